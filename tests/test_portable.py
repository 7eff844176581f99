"""juesuan on macOS and Windows, tested on Linux by forcing the portable paths (JUESUAN_PLATFORM_FALLBACKS=1,
etl.portable): workers spawned (no forkserver), no RLIMIT_AS backstop (the RSS watchdog is the ceiling, RSS read
by psutil), no symlinks (CURRENT is the pointer, contract files are hard links), no pidfd/prctl (the worker polls
for its run); the output lock is filelock's everywhere. And no command's modules import a Unix-only module
unguarded (Windows has no fcntl, resource, termios …)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import hostile_pdfs as hostile
import polars as pl
import pytest

from etl import portable
from etl.batch.interrupt import ORPHAN_EXIT_CODE
from etl.batch.lock import OutputLock
from etl.batch.pool import PRELOAD
from etl.cli import COMMANDS, main
from etl.layout import POINTER_FILE, POINTER_LINK
from etl.portable import FALLBACKS_ENV

ETL = Path(__file__).resolve().parents[1] / "etl"
FORCED = {**os.environ, FALLBACKS_ENV: "1"}
#: Columns that differ between two runs of the same input: time taken.
VOLATILE = ("parse_seconds",)
#: Modules Windows does not have (fcntl, resource: the lock and memory ceiling used them; the rest for good measure).
UNIX_ONLY = ("fcntl", "resource", "termios", "pwd", "grp", "pty", "tty", "posix")


def juesuan(*args: str, environment: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], env=environment or dict(os.environ),
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four generated reports (two departments, two years), parsed by the real parser."""
    raw = tmp_path_factory.mktemp("portable") / "raw"
    assert main(["sample", "--out", str(raw), "--regions", "1", "--departments", "2", "--years", "2021-2022",
                 "--no-seed-report"]) == 0
    return raw


@pytest.fixture(scope="module")
def outputs(corpus: Path) -> dict[str, Path]:
    """The same corpus through `juesuan etl` twice: the default paths, and every portable path forced."""
    out = {"default": corpus.parent / "default", "forced": corpus.parent / "forced"}
    for name, environment in (("default", None), ("forced", FORCED)):
        done = juesuan("etl", str(corpus), "--out", str(out[name]), "--jobs", "2", environment=environment)
        assert done.returncode == 0, done.stderr
    return out


def tables(out: Path) -> dict[str, pl.DataFrame]:
    """Each table read through its contract path `<out>/<table>.parquet`, without the time columns."""
    return {p.stem: pl.read_parquet(p).drop(VOLATILE, strict=False) for p in sorted(out.glob("*.parquet"))}


def test_etl_with_spawn_library_lock_no_rlimit_no_symlink_writes_the_same_parquet(outputs) -> None:
    default, forced = tables(outputs["default"]), tables(outputs["forced"])
    assert default.keys() == forced.keys() and len(default) >= 9
    assert default["documents"].height == 4 and set(default["documents"]["status"]) == {"ok"}
    for name, frame in default.items():
        assert frame.equals(forced[name]), f"{name}.parquet differs with the portable paths forced"


def test_without_symlinks_current_file_is_the_pointer_and_tables_are_plain_files(outputs) -> None:
    forced = outputs["forced"]
    assert (outputs["default"] / POINTER_LINK).is_symlink()  # the convenience, where symlinks can be made
    assert not (forced / POINTER_LINK).exists()
    ident = (forced / POINTER_FILE).read_text().strip()
    for contract in forced.glob("*.parquet"):
        assert not contract.is_symlink()
        assert contract.samefile(forced / "snapshots" / ident / contract.name)  # a hard link into the snapshot


def test_second_run_is_refused_while_the_library_lock_is_held(outputs, corpus) -> None:
    with OutputLock(outputs["forced"], "juesuan etl"):
        refused = juesuan("etl", str(corpus), "--out", str(outputs["forced"]), environment=FORCED)
    assert refused.returncode == 3, refused.stderr
    assert f"pid {os.getpid()}" in refused.stderr and "juesuan etl since" in refused.stderr


def test_watchdog_alone_stops_a_flate_bomb_where_there_is_no_rlimit(tmp_path) -> None:
    """Without the RLIMIT_AS backstop (macOS, Windows) the RSS watchdog alone stops a 4 GB decompression bomb."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "flate-bomb.pdf").write_bytes(hostile.flate_bomb(gigabytes=4))
    done = juesuan("etl", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1", "--max-memory", "200",
                   environment=FORCED)
    assert done.returncode == 0, done.stderr
    error = pl.read_parquet(tmp_path / "out" / "documents.parquet")["error"][0]
    assert error.startswith("memory limit exceeded (--max-memory 200 MB per worker)"), error


def test_forced_fallbacks_leave_address_space_unlimited_and_start_the_watchdog() -> None:
    """What the run above relies on, in a worker's shoes: spawn, no RLIMIT_AS, RSS read without /proc."""
    script = textwrap.dedent("""
        import resource, threading
        from etl.batch import limits, pool
        from etl.batch.interrupt import child_options
        assert pool.pool_context().get_start_method() == "spawn"
        limits.limit_memory(300)
        assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY
        assert "memory-watchdog" in [t.name for t in threading.enumerate()]
        assert limits.resident_bytes() > 10 << 20 and limits.peak_resident_mb() > 10
        assert child_options() == {}
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], env=FORCED, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_no_command_imports_a_unix_only_module_unguarded() -> None:
    """The modules of every sub-command (etl, run, report, export, audit, sql, sample, dictionary) and of the
    workers import with fcntl, resource, termios … refused to etl's own code, as on Windows; and the lock, the
    memory ceiling and the snapshot pointer still work there. (Third-party libraries import their own platform's
    modules: psutil's Linux half needs resource, its Windows half does not.)"""
    modules = [*(module for module, _ in COMMANDS.values()), *PRELOAD]
    script = textwrap.dedent(f"""
        import builtins, importlib, pathlib, sys, tempfile
        real_import = builtins.__import__

        def refuse_unix_only(name, globals=None, locals=None, fromlist=(), level=0):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if name.split(".")[0] in {UNIX_ONLY!r} and caller.split(".")[0] == "etl":
                raise ImportError(f"{{caller}} imports {{name}}, which Windows does not have")
            return real_import(name, globals, locals, fromlist, level)

        builtins.__import__ = refuse_unix_only
        for module in {modules!r}:
            importlib.import_module(module)
        from etl.batch.limits import limit_memory, peak_resident_mb, resident_bytes
        from etl.batch.lock import LockHeld, OutputLock
        from etl.layout import snapshot_dir
        out = pathlib.Path(tempfile.mkdtemp())
        with OutputLock(out):
            try:
                OutputLock(out).acquire()
                raise SystemExit("the lock was taken twice")
            except LockHeld:
                pass
        limit_memory(300)
        assert resident_bytes() and peak_resident_mb() and snapshot_dir(out) == out.resolve()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `node` sits in a `try:` whose handlers catch ImportError."""
    while node in parents:
        node, child = parents[node], node
        if isinstance(node, ast.Try) and child in node.body:
            caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
            if "ImportError" in caught or "ModuleNotFoundError" in caught:
                return True
    return False


def test_no_etl_module_imports_a_unix_only_module_outside_a_guard() -> None:
    """The same for imports made later, inside functions (which importing the modules does not run): every import
    of a Unix-only module anywhere in etl/ is guarded, or goes through etl.portable.unix_module."""
    unguarded = []
    for path in sorted(ETL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in UNIX_ONLY for n in names) and not _guarded(node, parents):
                unguarded.append(f"{path.relative_to(ETL.parent)}:{node.lineno}")
    assert not unguarded, unguarded


def test_pointer_replace_waits_for_a_reader_on_windows_and_never_elsewhere(tmp_path, monkeypatch) -> None:
    """Windows refuses to replace CURRENT while a reader has it open: the switch tries again for a moment."""
    refusals = iter([PermissionError(13, "in use"), PermissionError(13, "in use")])
    real = os.replace

    def busy(source, target):
        error = next(refusals, None)
        if error:
            raise error
        real(source, target)

    (tmp_path / "new").write_text("b")
    monkeypatch.setattr(portable.os, "replace", busy)
    with pytest.raises(PermissionError):  # Linux and macOS: a refusal is a real error, at once
        portable.replace(tmp_path / "new", tmp_path / "CURRENT")
    refusals = iter([PermissionError(13, "in use"), PermissionError(13, "in use")])
    monkeypatch.setattr(portable, "WINDOWS", True)
    portable.replace(tmp_path / "new", tmp_path / "CURRENT")
    assert (tmp_path / "CURRENT").read_text() == "b"


def test_worker_ends_when_its_run_is_killed_without_pidfd_or_signals() -> None:
    """Where there is no pidfd (macOS, Windows) a worker polls for its run (psutil), and ends once it is gone."""
    run = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    worker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from etl.batch import interrupt
        assert interrupt._pidfd({run.pid}) is None  # the poll, not the pidfd
        interrupt.exit_with({run.pid})
        print("watching", flush=True)
        time.sleep(120)
    """)], env=FORCED, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "watching"
        run.kill()
        run.wait()
        assert worker.wait(timeout=15) == ORPHAN_EXIT_CODE
    finally:
        for process in (run, worker):
            process.kill()
