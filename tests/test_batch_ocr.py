"""The batch runs OCR: `juesuan etl --ocr auto|off|force`.

With a stand-in parser that records the mode it was given (fast): the mode reaches the parser in the
worker for each mode, companion pairs included; the time limit grows with a document's pages unless OCR is
off (and timed-out documents are retried consistently with that limit); the progress bar counts pages; a
change of mode re-parses. One real run: an image-only PDF of two pages of a real report is read by OCR.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, fake_parse, fake_pdf
from pypdf import PdfWriter
from scans import scan_pdf

from etl.batch import cli as batch_cli
from etl.batch import options as batch_options
from etl.batch import pipeline
from etl.batch.fragments import FragmentStore, fragment_version
from etl.batch.options import MAX_OCR_PAGES, OCR_MODES, OCR_SECONDS_PER_PAGE, BatchOptions
from etl.batch.pagecount import pdf_pages
from etl.batch.pipeline import BatchResult, run_batch
from etl.batch.worker import Task, process, takes
from etl.cli import main
from etl.document import ParsedDocument


def mode_parse(path: Path, doc_id: str, ocr: str = "unset") -> ParsedDocument:
    """The stand-in parser, logging `<file> <mode>` beside the raw folder (workers do not share the test's state)."""
    raw = next(p for p in path.parents if p.name == "raw")
    with open(raw.parent / "modes.log", "a", encoding="utf-8") as fh:
        fh.write(f"{path.name} {ocr}\n")
    return fake_parse(path, doc_id)


def modes(raw: Path) -> list[tuple[str, str]]:
    log = raw.parent / "modes.log"
    return sorted(tuple(line.split()) for line in log.read_text().splitlines()) if log.exists() else []


def blank_pdf(path: Path, pages: int, marker: str = "") -> Path:
    """A real PDF of `pages` blank pages (PDFium counts them), with the stand-in parser's marker appended."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as fh:
        writer.write(fh)
        fh.write(f"\n%{marker}\n%{path.name}\n".encode())
    return path


def run(raw: Path, out: Path, parser=mode_parse, **options) -> BatchResult:
    options.setdefault("jobs", 2)
    options.setdefault("timeout", 30)
    options.setdefault("progress", False)
    return run_batch(BatchOptions(raw, out, **options), parser=parser)


def documents(out: Path) -> dict[str, dict]:
    return {row["source_file"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


def test_the_cli_modes_are_the_page_sources_modes() -> None:
    from etl.pagesource.select import MODES

    assert OCR_MODES == MODES


@pytest.mark.parametrize("command", ["etl", "run"])
@pytest.mark.parametrize("mode", OCR_MODES)
def test_ocr_option_reaches_the_batch_options(tmp_path: Path, command: str, mode: str) -> None:
    from etl import run as run_command

    parser = argparse.ArgumentParser()
    (batch_cli if command == "etl" else run_command).add_arguments(parser)
    args = parser.parse_args([str(tmp_path), "--out", str(tmp_path / "out"), "--ocr", mode])
    options = batch_cli.options_from_args(args, command)
    assert isinstance(options, BatchOptions) and options.ocr == mode
    assert batch_cli.options_from_args(parser.parse_args([str(tmp_path)]), command).ocr == "auto"


def test_an_unknown_ocr_mode_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["etl", str(tmp_path), "--ocr", "sometimes"])
    assert exit_.value.code == 2 and "--ocr" in capsys.readouterr().err


@pytest.mark.parametrize("mode", OCR_MODES)
def test_the_mode_reaches_the_parser_in_the_worker(tmp_path: Path, mode: str) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    blank_pdf(raw / "b/two-pages.pdf", 2)
    result = run(raw, out, ocr=mode)
    assert result.parsed == 2 and result.totals.ok == 2
    assert modes(raw) == [("a.pdf", mode), ("two-pages.pdf", mode)]


def test_a_parser_without_the_ocr_parameter_still_works(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    result = run(raw, out, parser=fake_parse, ocr="force")
    assert result.totals.ok == 1 and calls(calls_log(raw)) == ["a.pdf"]
    assert not takes(fake_parse, "ocr") and takes(mode_parse, "ocr") and takes(lambda path, doc_id, **kw: None, "ocr")


@pytest.mark.parametrize("mode", OCR_MODES)
def test_a_companion_pair_reads_both_files_pages_in_the_mode(tmp_path: Path, monkeypatch, mode: str) -> None:
    import etl.pagesource
    import etl.parsing.parse
    from etl.pagesource import SourcedPages

    read: list[tuple[str, str]] = []

    def recording_read_pages(path, ocr="auto", pages="pdfium"):
        read.append((Path(path).name, ocr))
        return SourcedPages([])

    tables, narrative = fake_pdf(tmp_path / "tables.pdf"), fake_pdf(tmp_path / "narrative.pdf")

    def stand_in_report(pages, doc_id):
        return fake_parse(tables, doc_id)

    monkeypatch.setattr(etl.pagesource, "read_pages", recording_read_pages)
    monkeypatch.setattr(etl.parsing.parse, "parse_report", stand_in_report)
    task = Task("t+n", tables, "tables.pdf", "0" * 64, tables.stat().st_size, "v", companion=narrative,
                rows_doc_id="t", ocr=mode)
    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    outcome = process(task, store)
    assert outcome.status == "ok", outcome.error
    assert read == [("tables.pdf", mode), ("narrative.pdf", mode)]


def test_a_pair_task_carries_the_mode_and_both_files_pages(tmp_path: Path) -> None:
    from etl.batch.companions import Pair
    from etl.batch.discover import Identified, SourceFile

    def identified(path: Path) -> Identified:
        st = path.stat()
        return Identified(SourceFile(path.name, path, st.st_size, st.st_mtime_ns), "ab" * 32, None)

    tables, narrative = blank_pdf(tmp_path / "t.pdf", 3), blank_pdf(tmp_path / "n.pdf", 2)
    task = pipeline._pair_task(identified(tables), identified(narrative), Pair("t", "n"), "v", "force")
    assert (task.ocr, task.pdf_pages, task.companion) == ("force", 5, narrative)


def bad_alloc_parse(path: Path, doc_id: str, ocr: str = "auto") -> ParsedDocument:
    """Fails as onnxruntime does when an allocation is refused at the worker's memory ceiling."""
    raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running "
                       "Mul node. Status Message: std::bad_alloc")


def test_ocr_running_out_of_memory_is_reported_as_the_memory_limit(tmp_path: Path) -> None:
    pdf = fake_pdf(tmp_path / "scan.pdf")
    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    outcome = process(Task("d", pdf, "scan.pdf", "0" * 64, pdf.stat().st_size, "v", ocr="force"), store,
                      bad_alloc_parse)
    assert outcome.status == "failed" and outcome.error.startswith("memory limit exceeded")


def test_pages_are_counted_and_an_unreadable_file_has_none(tmp_path: Path) -> None:
    assert pdf_pages(blank_pdf(tmp_path / "seven.pdf", 7)) == 7
    assert pdf_pages(fake_pdf(tmp_path / "not-really.pdf")) == 0
    assert pdf_pages(tmp_path / "missing.pdf") == 0


def test_the_time_limit_grows_with_pages_unless_ocr_is_off(tmp_path: Path) -> None:
    def limit(mode: str, pages: int) -> float:
        return BatchOptions(tmp_path, tmp_path / "out", timeout=100, ocr=mode).time_limit(pages)

    for mode in ("auto", "force"):
        assert limit(mode, 0) == 100
        assert limit(mode, 10) == 100 + 10 * OCR_SECONDS_PER_PAGE
        assert limit(mode, 20) > limit(mode, 10)
        assert limit(mode, 10 * MAX_OCR_PAGES) == 100 + MAX_OCR_PAGES * OCR_SECONDS_PER_PAGE
    assert limit("off", 0) == limit("off", 50) == 100
    # ~2 s per page were measured on one core: the allowance leaves room for a slower or busier machine
    assert OCR_SECONDS_PER_PAGE >= 2 * 2


def test_a_hung_document_times_out_under_its_scaled_limit_and_is_retried_consistently(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(batch_options, "OCR_SECONDS_PER_PAGE", 0.5)  # the limit is computed in this process
    raw, out = tmp_path / "raw", tmp_path / "out"
    blank_pdf(raw / "hang.pdf", 3, "SLEEP")
    fake_pdf(raw / "good.pdf")
    run(raw, out, timeout=1)
    assert documents(out)["hang.pdf"]["error"] == "timed out after 2.5 s; its worker was stopped"
    assert run(raw, out, timeout=1).parsed == 0, "retried under the same limit"
    result = run(raw, out, timeout=1.5)
    assert result.parsed == 1 and documents(out)["hang.pdf"]["error"] == "timed out after 3 s; its worker was stopped"
    assert run(raw, out, timeout=1.5).parsed == 0


class _Bar:
    """Stands in for tqdm, keeping each bar's total and how far it moved."""

    made: list[_Bar] = []

    def __init__(self, iterable=None, total=None, desc=None, unit=None, **kwargs) -> None:
        self.iterable, self.total, self.desc, self.unit, self.n = iterable, total, desc, unit, 0
        _Bar.made.append(self)

    def __iter__(self):
        return iter(self.iterable)

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int = 1) -> None:
        self.n += n


def test_the_progress_bar_counts_pages(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "tqdm", _Bar)
    _Bar.made = []
    raw, out = tmp_path / "raw", tmp_path / "out"
    blank_pdf(raw / "three.pdf", 3)
    blank_pdf(raw / "five.pdf", 5)
    fake_pdf(raw / "unreadable.pdf")  # PDFium cannot open it: one step
    (raw / "empty.pdf").write_bytes(b"")  # not a PDF at all: one step
    run(raw, out, progress=True)
    bar = next(b for b in _Bar.made if b.desc == "parsing")
    assert (bar.unit, bar.total, bar.n) == ("page", 3 + 5 + 1 + 1, 10)


def test_changing_the_mode_reparses_every_document(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    fake_pdf(raw / "b.pdf")
    assert run(raw, out).parsed == 2
    assert run(raw, out).parsed == 0
    off = run(raw, out, ocr="off")
    assert (off.parsed, off.reparsed_for_new_parser) == (2, 2)
    assert run(raw, out, ocr="off").parsed == 0
    assert run(raw, out, ocr="force").parsed == 2
    assert run(raw, out).parsed == 2
    assert modes(raw) == sorted([(f, m) for m in ("auto", "off", "force", "auto") for f in ("a.pdf", "b.pdf")])
    assert {d["parser_version"] for d in documents(out).values()} == {"test+1"}
    assert [p.name for p in (out / ".cache/fragments").iterdir()] == ["test+1"], "other modes' fragments pruned"
    assert fragment_version("v", "auto") == "v" and len({fragment_version("v", m) for m in OCR_MODES}) == 3


def test_an_image_only_report_is_read_by_ocr_in_the_batch(tmp_path: Path, real_pdfs: dict[str, Path]) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    scan_pdf(real_pdfs["social"], raw / "scanned.pdf", pages=[0, 4])
    assert main(["etl", str(raw), "--out", str(out), "--jobs", "2"]) == 0
    document = documents(out)["scanned.pdf"]
    assert document["status"] != "failed", document["error"]
    assert (document["text_source"], document["pages"]) == ("ocr", 2)
