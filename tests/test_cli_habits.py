"""The `juesuan` command as a researcher meets it, run as real processes (the venv's `juesuan` script): empty or
wrong input stops with a clear message and exit 2 before anything is written (etl, run, audit); a mistyped
option or sub-command says what was probably meant, under the sub-command's usage; one PDF is a valid RAW_DIR;
the ETL's closing lines name the output folder and the next command (the audit when checks failed); no stray
empty progress bar on a terminal; names printed escaped. One ETL of four generated documents for the module."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

JUESUAN = Path(sys.executable).with_name("juesuan.exe" if os.name == "nt" else "juesuan")
EXTENSIONS = "*.pdf, *.html, *.htm, *.shtml, *.xhtml, *.txt"


def juesuan(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JUESUAN), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)


def on_a_terminal(*args: object, timeout: float = 180) -> tuple[int, str]:
    """Run juesuan with stdout and stderr on a pseudo-terminal 120 columns wide (as typed in a shell): the
    progress bars are drawn. Returns the exit code and everything written to the terminal."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen([str(JUESUAN), *map(str, args)], stdin=subprocess.DEVNULL, stdout=child, stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four generated reports, half with an injected audit error (so checks fail)."""
    raw = tmp_path_factory.mktemp("cli") / "raw"
    done = juesuan("sample", "--out", raw, "--regions", "1", "--departments", "2", "--years", "2021-2022",
                   "--no-seed-report", "--audit-errors", "0.5")
    assert done.returncode == 0, done.stderr
    return raw


@pytest.fixture(scope="module")
def etl_on_terminal(corpus: Path) -> tuple[Path, int, str]:
    if os.name == "nt":
        pytest.skip("pseudo-terminals are POSIX")
    out = corpus.parent / "parquet"
    code, screen = on_a_terminal("etl", corpus, "--out", out, "--jobs", "1")
    return out, code, screen


# -- point 4: empty or wrong input ------------------------------------------------------------------------------

def test_etl_on_a_folder_with_no_pdfs_exits_2_saying_what_it_looked_for_and_where(tmp_path: Path) -> None:
    raw = tmp_path / "downloads"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "决算.docx").write_bytes(b"PK")
    done = juesuan("etl", raw, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert f"no input files in RAW_DIR {raw}" in done.stderr
    assert EXTENSIONS in done.stderr and "every sub-folder" in done.stderr
    assert "1 other file(s)" in done.stderr and f"juesuan sample --out {raw}`" in done.stderr
    assert not (tmp_path / "out").exists(), "no empty tables written"


def test_etl_on_a_missing_folder_exits_2_naming_it(tmp_path: Path) -> None:
    done = juesuan("etl", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert f"RAW_DIR {tmp_path / 'nowhere'} does not exist" in done.stderr and EXTENSIONS in done.stderr
    assert not (tmp_path / "out").exists()


def test_etl_on_an_emptied_folder_leaves_the_last_good_output_untouched(
        etl_on_terminal: tuple[Path, int, str], tmp_path: Path) -> None:
    out, code, _ = etl_on_terminal
    assert code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    (tmp_path / "unmounted").mkdir()
    done = juesuan("etl", tmp_path / "unmounted", "--out", out)
    assert done.returncode == 2 and f"{out} is left as it was" in done.stderr
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
    assert pq.read_table(out / "documents.parquet").num_rows == 4


def test_scheduled_run_on_an_empty_folder_exits_2_before_writing_anything(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    done = juesuan("run", tmp_path / "raw", "--out", tmp_path / "out", "--no-reports")
    assert done.returncode == 2
    assert "juesuan run: error: no input files in RAW_DIR" in done.stderr
    assert not (tmp_path / "out").exists(), "no lock, log, run record or empty snapshot"


def test_audit_before_any_etl_exits_2_naming_the_folder_and_the_etl_command(tmp_path: Path) -> None:
    done = juesuan("audit", "--parquet", tmp_path / "parquet", "--out", tmp_path / "audit")
    assert done.returncode == 2
    assert f"the folder {tmp_path / 'parquet'} does not exist" in done.stderr
    assert f"juesuan etl RAW_DIR --out {tmp_path / 'parquet'}` first" in done.stderr
    assert not (tmp_path / "audit").exists()


def test_audit_of_an_output_with_0_documents_exits_2_and_writes_no_page(tmp_path: Path) -> None:
    from etl.batch.options import BatchOptions
    from etl.batch.pipeline import run_batch

    (tmp_path / "raw").mkdir()
    run_batch(BatchOptions(tmp_path / "raw", tmp_path / "parquet", jobs=1))  # what `etl` on nothing wrote before
    assert pq.read_table(tmp_path / "parquet" / "documents.parquet").num_rows == 0
    done = juesuan("audit", "--parquet", tmp_path / "parquet", "--out", tmp_path / "audit")
    assert done.returncode == 2
    assert f"the Parquet output in {tmp_path / 'parquet'} holds 0 documents" in done.stderr
    assert "juesuan etl RAW_DIR" in done.stderr
    assert not (tmp_path / "audit").exists()


# -- point 10: CLI habits ---------------------------------------------------------------------------------------

def test_a_mistyped_option_prints_the_sub_commands_usage_and_suggests_the_option(tmp_path: Path) -> None:
    done = juesuan("etl", tmp_path, "--jbos", "2")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: juesuan etl ")
    assert "unrecognized arguments: --jbos 2; did you mean --jobs?" in done.stderr


def test_a_mistyped_sub_command_or_choice_suggests_the_nearest() -> None:
    done = juesuan("exprot", "--format", "xlsx")
    assert done.returncode == 2 and "did you mean 'export'?" in done.stderr
    done = juesuan("etl", "--ocr", "aut")
    assert done.returncode == 2 and done.stderr.startswith("usage: juesuan etl ")
    assert "did you mean 'auto'?" in done.stderr


def test_one_pdf_is_a_valid_raw_dir_and_names_are_printed_escaped(corpus: Path, tmp_path: Path) -> None:
    pdf = sorted(corpus.rglob("*.pdf"))[0]
    out = tmp_path / ("out\x1b[2J" if os.name != "nt" else "out")  # a hostile name must not clear the screen
    done = juesuan("etl", pdf, "--out", out, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    rows = pq.read_table(out / "documents.parquet", columns=["source_file", "status"]).to_pylist()
    assert rows == [{"source_file": pdf.name, "status": "ok"}]
    assert "\x1b" not in done.stdout and f"output: {out}".replace("\x1b", "\\x1b") in done.stdout


def test_one_pdf_is_not_parsed_over_a_collections_output(etl_on_terminal: tuple[Path, int, str],
                                                          corpus: Path) -> None:
    out = etl_on_terminal[0]
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    done = juesuan("etl", sorted(corpus.rglob("*.pdf"))[0], "--out", out)
    assert done.returncode == 2 and "holds the output of a collection (4 file(s)" in done.stderr
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_a_file_that_is_not_an_input_is_refused_as_raw_dir(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    done = juesuan("etl", tmp_path / "notes.docx", "--out", tmp_path / "out")
    assert done.returncode == 2 and "is neither a folder nor an input file" in done.stderr


def test_the_summary_names_the_output_folder_and_points_to_the_audit_when_checks_failed(
        etl_on_terminal: tuple[Path, int, str]) -> None:
    out, code, screen = etl_on_terminal
    assert code == 0
    assert "checks failed: 0" not in screen, "the corpus has injected errors: checks must fail"
    assert f"output: {out} " in screen
    next_line = next(line for line in screen.splitlines() if line.startswith("next: "))
    assert f"juesuan audit --parquet {out}`" in next_line and "audit/index.html" in next_line
    assert f"juesuan report --parquet {out}`" in screen


def test_no_stray_empty_progress_bar_on_a_terminal(etl_on_terminal: tuple[Path, int, str]) -> None:
    _, code, screen = etl_on_terminal
    assert code == 0 and "parsing:" in screen and "page/s" in screen, "the real bar is drawn"
    # the stray bar had no total: `parsing: 0page [00:00, ?page/s]` after the real one
    assert not re.search(r"parsing: \d+page \[", screen), screen[-600:]
