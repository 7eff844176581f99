"""A researcher's fresh clone (issue 20, points 3, 8, 9): `make test` without ../shared or root, a light
`make demo`, and notebooks that open in JupyterLab as one file, with their kernel, saving no outputs.

Cheap on purpose: two pytest runs in a subprocess on a two-test selection (skipped before their fixtures),
`make -n`, and the system-deps script against stub commands.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
import pytest
from jupytext import TextFileContentsManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: One real-PDF test and one browser test: both must be skipped (or failed under the CI switch) before their
#: fixtures (an ETL of the real PDFs, an audit of a corpus) run.
SELECTION = ["tests/test_parser_real_pdfs.py::test_scorer_gives_full_fidelity_on_real_pdfs",
             "tests/test_audit.py::test_audit_pages_open_offline_in_chromium"]
#: The dev group: never needed by `make demo` (sample, etl, report) nor by the notebooks.
DEV_ONLY = {"pandas", "playwright", "pytest", "hypothesis", "pypdf", "openpyxl", "dask", "distributed", "ruff"}
#: The Dask executor: the `distributed` extra, chosen with --executor dask only.
DASK_MODULES = {"etl/batch/executors/dask.py", "etl/batch/executors/sandbox.py"}


def _pytest_without_prerequisites(tmp_path: Path, require_all: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    (tmp_path / "empty-shared").mkdir()
    env |= {"JUESUAN_SHARED": str(tmp_path / "empty-shared"), "JUESUAN_CHROMIUM": str(tmp_path / "no-chromium")}
    if require_all:
        env["JUESUAN_REQUIRE_ALL"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *SELECTION],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_without_shared_or_chromium_make_test_skips_those_tests_and_says_why(tmp_path):
    proc = _pytest_without_prerequisites(tmp_path, require_all=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\b2 skipped\b", proc.stdout), proc.stdout[-3000:]
    summary = proc.stdout.split("short test summary info")[-1]      # -rs (pyproject's addopts) prints it
    assert "SKIPPED" in summary and "real PDFs not found" in summary and "JUESUAN_SHARED" in summary, summary
    assert "browser test" in summary and "JUESUAN_CHROMIUM" in summary, summary


def test_under_the_ci_switch_the_same_missing_prerequisites_fail(tmp_path):
    proc = _pytest_without_prerequisites(tmp_path, require_all=True)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "skipped" not in proc.stdout.split("short test summary info")[-1].lower(), proc.stdout[-3000:]
    assert re.search(r"\b2 errors?\b", proc.stdout), proc.stdout[-3000:]
    assert "real PDFs not found" in proc.stdout and "browser test" in proc.stdout
    assert "JUESUAN_REQUIRE_ALL is set" in proc.stdout


def test_ci_entry_point_requires_every_test():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    switch, make = run.find("\nexport JUESUAN_REQUIRE_ALL=1\n"), run.find("\nmake test")
    assert 0 <= switch < make, run


def _make_n(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    proc = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_make_test_never_asks_for_root_itself():
    commands = _make_n("test")
    assert "sudo" not in commands and "apt-get" not in commands, commands
    assert "scripts/install-system-deps.sh" in commands and "sync --all-groups" in commands


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _system_deps_as_a_user(tmp_path: Path, require_all: bool) -> tuple[subprocess.CompletedProcess, Path]:
    """The script on a Debian machine with nothing installed, run by a user without passwordless sudo."""
    stubs, calls = tmp_path / "bin", tmp_path / "calls"
    stubs.mkdir()
    _stub(stubs, "dpkg-query", "exit 1")                          # no package installed
    _stub(stubs, "id", 'echo 1000')                               # not root
    _stub(stubs, "sudo", f'echo "sudo $*" >> {calls}; exit 1')   # sudo -n: a password would be needed
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> {calls}')
    env = {k: v for k, v in os.environ.items() if k != "JUESUAN_REQUIRE_ALL"}
    env["PATH"] = f"{stubs}{os.pathsep}{env['PATH']}"
    if require_all:
        env["JUESUAN_REQUIRE_ALL"] = "1"
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "install-system-deps.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    return proc, calls


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script with POSIX stubs")
def test_system_deps_without_root_says_what_is_missing_and_lets_make_test_go_on(tmp_path):
    proc, calls = _system_deps_as_a_user(tmp_path, require_all=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Missing: chromium fonts-noto-cjk" in proc.stdout and "playwright install chromium" in proc.stdout
    assert "apt-get" not in (calls.read_text() if calls.exists() else ""), "installed without root"


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script with POSIX stubs")
def test_system_deps_without_root_is_an_error_under_the_ci_switch(tmp_path):
    proc, _ = _system_deps_as_a_user(tmp_path, require_all=True)
    assert proc.returncode == 1 and "JUESUAN_REQUIRE_ALL" in proc.stderr, proc.stdout + proc.stderr


# --- point 8: a light `make demo` -----------------------------------------------------------------------------


def test_make_demo_installs_no_developer_tools_and_shows_progress():
    commands = _make_n("demo")
    syncs = [line for line in commands.splitlines() if re.search(r"\buv\b.* sync\b", line)]
    assert syncs and all("--no-dev" in s and "--all-groups" not in s for s in syncs), syncs
    assert "--quiet" not in commands and " -q " not in commands, commands
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # `uv run juesuan …` in the demo's steps would otherwise install the dev group (uv's default)
    assert project["tool"]["uv"]["default-groups"] == []
    runtime = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["project"]["dependencies"]}
    assert not runtime & DEV_ONLY, runtime & DEV_ONLY


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_demo_and_the_notebooks_import_no_developer_tool():
    """pandas, Playwright, pytest…: `make demo` (uv sync --no-dev) does not install them."""
    sources = [*NOTEBOOKS.glob("*.py"), *(p for p in (ROOT / "etl").rglob("*.py")
                                         if p.relative_to(ROOT).as_posix() not in DASK_MODULES)]
    found = {p.relative_to(ROOT).as_posix(): _imported_roots(p) & DEV_ONLY for p in sources}
    assert not {k: v for k, v in found.items() if v}


# --- point 9: JupyterLab without friction ---------------------------------------------------------------------


def test_every_notebook_names_its_kernel_so_lab_asks_for_none():
    for path in sorted(NOTEBOOKS.glob("*.py")):
        kernelspec = jupytext.read(path, fmt="py:percent").metadata.get("kernelspec", {})
        assert kernelspec.get("name") == "python3" and kernelspec.get("language") == "python", path.name


def test_one_file_per_notebook_and_no_ipynb_is_tracked():
    assert not list(NOTEBOOKS.glob("*.ipynb")) or shutil.which("git"), "an .ipynb beside the .py sources"
    if shutil.which("git") and (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True, text=True).stdout
        assert not [f for f in tracked.splitlines() if f.endswith(".ipynb")], tracked
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", "notebooks/01_overview.ipynb"], cwd=ROOT)
        assert ignored.returncode == 0, "an .ipynb made from a notebook would not be git-ignored"
    for path in NOTEBOOKS.glob("*.py"):
        assert "formats:" not in path.read_text(encoding="utf-8").split("# ---")[1], f"{path.name} pairs an .ipynb"


def test_saving_a_run_notebook_in_lab_leaves_its_tracked_file_unchanged(tmp_path):
    """What Lab's (auto)save does through jupytext: outputs and the kernel's metadata written back."""
    for src in sorted(NOTEBOOKS.glob("*.py")):
        shutil.copy(src, tmp_path / src.name)
    manager = TextFileContentsManager(root_dir=str(tmp_path))
    for src in sorted(NOTEBOOKS.glob("*.py")):
        model = manager.get(src.name, type="notebook")
        nb = model["content"]
        nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.0"}
        for n, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
            cell["execution_count"] = n + 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 1000}]
        manager.save({"type": "notebook", "format": "json", "content": nb}, src.name)
        assert (tmp_path / src.name).read_bytes() == src.read_bytes(), f"{src.name} changed by a save"
        assert [p.name for p in tmp_path.iterdir() if p.suffix == ".ipynb"] == []


def test_make_lab_opens_at_the_project_root_on_the_notebooks_folder():
    commands = _make_n("lab")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    assert f'--ServerApp.root_dir="{ROOT}"' in lab or f"--ServerApp.root_dir={ROOT}" in lab, lab
    assert "--LabApp.default_url=/lab/tree/notebooks" in lab, lab
    assert not re.search(r"jupyter lab\s+\S*notebooks/?\s*$", lab), lab   # the old root: notebooks/
    assert "scripts/lab_settings.py" in commands


def test_lab_settings_make_a_py_open_as_a_notebook(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import lab_settings
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    monkeypatch.setattr(lab_settings, "get_app_dir", lambda: str(tmp_path))
    lab_settings.main()
    written = (tmp_path / "settings" / "overrides.d" / "juesuan.json").read_text(encoding="utf-8")
    assert '"python": "Jupytext Notebook"' in written


def _chromium_requirement(monkeypatch, browsers: Path) -> str | None:
    """require_chromium() on a machine with no system Chromium, Playwright's browsers looked for in `browsers`."""
    import prerequisites

    monkeypatch.delenv("JUESUAN_CHROMIUM", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(browsers))
    monkeypatch.setattr(prerequisites, "_system_chromium", lambda: None)
    prerequisites._playwright_has_chromium.cache_clear()
    try:
        prerequisites.require_chromium()
        return None
    finally:
        prerequisites._playwright_has_chromium.cache_clear()


def test_without_a_system_chromium_the_browser_tests_use_playwrights_own_or_say_how_to_get_it(tmp_path, monkeypatch):
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    monkeypatch.delenv("JUESUAN_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="uv run playwright install chromium"):
        _chromium_requirement(monkeypatch, tmp_path)
    monkeypatch.setenv("JUESUAN_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="no Chromium found"):
        _chromium_requirement(monkeypatch, tmp_path)
    # what `playwright install chromium` leaves (an empty stand-in here): the tests then launch Playwright's own
    with sync_playwright() as p:
        executable = Path(p.chromium.executable_path)
    assert tmp_path in executable.parents, executable            # never touch the real browser cache
    executable.parent.mkdir(parents=True)
    executable.touch()
    import prerequisites

    assert _chromium_requirement(monkeypatch, tmp_path) is None and prerequisites.chromium_path() is None


def test_saving_a_notebook_in_lab_keeps_its_parameters_and_analyst_tags():
    """Lab saves the .py through jupytext with the header's cell_metadata_filter: a filter of `-all` drops every
    cell tag, and with it the `parameters` cell `juesuan report` injects after and the `analyst` prose it removes."""
    for path in sorted(NOTEBOOKS.glob("*.py")):
        saved = jupytext.writes(jupytext.read(path, fmt="py:percent"), fmt="py:percent")
        assert 'tags=["parameters"]' in saved, path.name
        assert saved.count("tags=") == path.read_text(encoding="utf-8").count("tags="), path.name
