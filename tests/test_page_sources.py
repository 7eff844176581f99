"""PDFium (the default page source) and pdfplumber (the reference) must give the same Parquet: every table of
the output, every column but a few declared volatile ones, on every corpus we have — the real reports, a
generated default corpus, one document of each report family, producer copies of a real report (rotated,
re-converted, encrypted), real reports altered the way the audit tests alter them, and hostile input (same
status and the same error text). One `run_batch` per source over all corpora (each in its own folder, so a
difference names its corpus); each test compares one corpus. `--pages` itself, documents.page_source and the
fragments kept apart per source are tested on the stand-in parser (batch_fakes), which costs no parsing.

A failing comparison prints the first differing rows of each document and table (`differences`): that is the
report the PDFium source's author needs, so nothing here is skipped or marked xfail."""

from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path
from typing import Any

import hostile_pdfs as hostile
import pyarrow.parquet as pq
import pytest
from batch_fakes import calls, calls_log, documents, fake_parse, fake_pdf
from producer_copies import make_copies
from test_audit_altered_real_pdf import CASES as ALTERED_CASES
from test_hostile_input import _encrypt

from etl.batch import cli, pipeline
from etl.batch.fragments import FRAGMENTS, FragmentStore
from etl.batch.limits import memory_limit_message
from etl.batch.options import BatchOptions
from etl.batch.pipeline import run_batch
from etl.batch.worker import Task, process
from etl.pagesource import DEFAULT_PAGES, PAGE_SOURCES, SourcedPages
from etl.schema import TABLES

#: Columns that may differ between the two runs: how long a document took, and which source read it.
VOLATILE = {"documents": {"parse_seconds", "page_source"}}
#: A small memory ceiling: a decompression bomb is stopped soon (real reports use < 400 MiB above the start).
MAX_MEMORY_MB = 1024
#: The altered real reports compared (of test_audit_altered_real_pdf's): Helvetica glyphs written into a
#: CID-font page, and a page dropped.
ALTERED = ("placeholder_department_in_heading", "contents_lists_dropped_gpb_table")
#: The producer copies compared (of producer_copies.REWRITES): pages turned by /Rotate 0, 90, 270 and 180 in one
#: file, content turned inside the page, mutool's re-embedded fonts, RC4 and AES encryption.
REWRITES = ["rotate-some", "content-rotated", "mutool", "rc4", "aes256"]
CORPORA = ("real", "default", "families", "copies", "altered", "hostile")
ROWS_SHOWN = 3


def _write_default(folder: Path) -> None:
    """A slice of `juesuan sample`'s default corpus: its first district's first 3 departments in one year."""
    from etl.sample.corpus import write_corpus

    write_corpus(folder, regions=1, departments=3, years=[2022], seed=2024, seed_report=False)


def _write_families(folder: Path) -> None:
    """One PDF of every report family (`juesuan sample --families all --per-family 1`)."""
    from etl.sample.families import FAMILIES, write_family_corpus

    write_family_corpus(folder, list(FAMILIES), seed=53, per_family=1, formats=("pdf",))


def _write_altered(folder: Path, finance: Path) -> None:
    folder.mkdir(parents=True)
    for case in ALTERED_CASES:
        if case.id in ALTERED:
            case.alter(finance, folder / f"{case.id}.pdf")
    assert len(list(folder.glob("*.pdf"))) == len(ALTERED)


def _write_hostile(folder: Path, real_pdfs: dict[str, Path]) -> None:
    """test_hostile_input's traps that reach a page source (not its 5000-page, OCR or file-system ones)."""
    folder.mkdir(parents=True)
    data = real_pdfs["social"].read_bytes()
    files = {
        "zero-bytes.pdf": b"", "random-bytes.pdf": random.Random(5).randbytes(50_000),
        "truncated-25.pdf": data[: len(data) // 4], "truncated-99.pdf": data[: int(len(data) * 0.99)],
        "kids-loop.pdf": hostile.kids_loop(), "deep-nesting.pdf": hostile.deep_nesting(),
        "huge-length.pdf": hostile.huge_length(), "flate-bomb.pdf": hostile.flate_bomb(gigabytes=4),
        "huge-image.pdf": hostile.huge_image(), "active-content.pdf": hostile.active_content(folder / "EXECUTED"),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    _encrypt(real_pdfs["social"], folder / "password-protected.pdf", "RC4-128")
    hostile.many_pages(folder / "20-pages.pdf", 20)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory, real_pdfs: dict[str, Path]) -> Path:
    raw = tmp_path_factory.mktemp("page-sources") / "raw"
    for name in ("finance", "social", "template"):
        (raw / "real").mkdir(parents=True, exist_ok=True)
        shutil.copy(real_pdfs[name], raw / "real" / real_pdfs[name].name)
    _write_default(raw / "default")
    _write_families(raw / "families")
    make_copies(real_pdfs["social"], raw / "copies", REWRITES)
    _write_altered(raw / "altered", real_pdfs["finance"])
    _write_hostile(raw / "hostile", real_pdfs)  # (the generators' truth .json files beside their PDFs are no input)
    return raw


@pytest.fixture(scope="module")
def outputs(raw: Path) -> dict[str, Path]:
    """Each source's output folder of one run over every corpus."""
    out = {}
    for source in PAGE_SOURCES:
        out[source] = raw.parent / f"out-{source}"
        run_batch(BatchOptions(raw, out[source], jobs=2, timeout=60, progress=False, max_memory_mb=MAX_MEMORY_MB,
                               pages=source))
    return out


def _table(out: Path, name: str) -> list[dict[str, Any]]:
    path = out / f"{name}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def _corpus_of(out: Path) -> dict[str, str]:
    """doc_id -> the corpus folder of its file."""
    return {d["doc_id"]: d["source_file"].split("/", 1)[0] for d in _table(out, "documents")}


def _kept(name: str, row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in VOLATILE.get(name, ())}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _by_document(out: Path, name: str, corpus: str) -> dict[str, list[dict[str, Any]]]:
    """The table's rows of one corpus by the source file they belong to, in the output's order."""
    corpus_of = _corpus_of(out)
    files = {d["doc_id"]: d["source_file"] for d in _table(out, "documents")}
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in _table(out, name):
        if corpus_of.get(row.get("doc_id")) == corpus:
            rows.setdefault(files[row["doc_id"]], []).append(_kept(name, row))
    return rows


def differences(left: Path, right: Path, corpus: str, names: tuple[str, str] = PAGE_SOURCES) -> list[str]:
    """Where two outputs differ on one corpus: per table and file, the first ROWS_SHOWN differing rows, each as
    the columns whose values differ (or the row one side lacks)."""
    found = []
    for name in TABLES:
        a, b = _by_document(left, name, corpus), _by_document(right, name, corpus)
        for file in sorted(set(a) | set(b)):
            found += _row_differences(name, file, a.get(file, []), b.get(file, []), names)
    return found


def _row_differences(table: str, file: str, a: list[dict], b: list[dict], names: tuple[str, str]) -> list[str]:
    out = []
    if len(a) != len(b):
        out.append(f"{table} {file}: {len(a)} rows from {names[0]}, {len(b)} from {names[1]}")
    for i in range(max(len(a), len(b))):
        if len(out) > ROWS_SHOWN:
            break
        x, y = (a[i] if i < len(a) else None), (b[i] if i < len(b) else None)
        if x is None or y is None:
            out.append(f"{table} {file} row {i}: only {names[0] if y is None else names[1]} has {x or y}")
        elif any(not _same(x.get(k), y.get(k)) for k in x.keys() | y.keys()):
            cols = {k: (x.get(k), y.get(k)) for k in sorted(x.keys() | y.keys()) if not _same(x.get(k), y.get(k))}
            out.append(f"{table} {file} row {i}: {cols}")
    return out


@pytest.mark.parametrize("corpus", CORPORA)
def test_both_page_sources_write_the_same_parquet(outputs: dict[str, Path], corpus: str) -> None:
    docs = [d for d in _table(outputs["pdfium"], "documents") if d["source_file"].startswith(corpus + "/")]
    assert docs, f"no document of the {corpus} corpus in the output"
    found = differences(outputs["pdfium"], outputs["pdfplumber"], corpus)
    assert not found, f"{len(found)} differences on the {corpus} corpus (pdfium, pdfplumber):\n" + "\n".join(found)


def test_both_page_sources_write_the_same_tables(outputs: dict[str, Path]) -> None:
    assert ({p.name for p in outputs["pdfium"].glob("*.parquet")}
            == {p.name for p in outputs["pdfplumber"].glob("*.parquet")})


def test_the_real_reports_are_read_by_each_source_and_recorded(outputs: dict[str, Path]) -> None:
    for source, out in outputs.items():
        real = [d for d in _table(out, "documents") if d["source_file"].startswith("real/")]
        assert [(d["status"], d["page_source"]) for d in real] == [("ok", source)] * 3


def test_page_source_is_null_only_where_no_source_read_the_file(outputs: dict[str, Path]) -> None:
    for source, out in outputs.items():
        rows = {d["source_file"]: d for d in _table(out, "documents")}
        unread = {f for f, d in rows.items() if d["page_source"] is None}
        assert unread == {"hostile/zero-bytes.pdf", "hostile/random-bytes.pdf"}, unread  # refused at sniffing
        assert {d["page_source"] for f, d in rows.items() if f not in unread} == {source}


def test_a_decompression_bomb_is_the_memory_limit_with_either_source(outputs: dict[str, Path]) -> None:
    for out in outputs.values():
        bomb = next(d for d in _table(out, "documents") if d["source_file"] == "hostile/flate-bomb.pdf")
        assert (bomb["status"], bomb["error"]) == ("failed", memory_limit_message(MAX_MEMORY_MB))


# --pages through the batch, on the stand-in parser: no PDF is parsed


def _pages_parse(path: Path, doc_id: str, pages: str = DEFAULT_PAGES):
    """fake_parse that records the page source it was asked for as documents.page_source."""
    document = fake_parse(path, doc_id)
    document.document["page_source"] = pages
    return document


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    return calls_log(tmp_path / "raw")


def _run(raw: Path, out: Path, pages: str) -> pipeline.BatchResult:
    return run_batch(BatchOptions(raw, out, jobs=1, timeout=30, progress=False, pages=pages), parser=_pages_parse)


def test_a_change_of_page_source_reparses_every_document_and_keeps_fragments_apart(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "a.pdf")
    fake_pdf(raw / "b.pdf")
    assert _run(raw, out, "pdfium").parsed == 2
    assert {d["page_source"] for d in documents(out).values()} == {"pdfium"}
    changed = _run(raw, out, "pdfplumber")
    assert (changed.parsed, changed.reparsed_for_new_parser) == (2, 2)
    assert {d["page_source"] for d in documents(out).values()} == {"pdfplumber"}
    assert "2 for a new parser version, --ocr mode or --pages source" in cli.summary(changed)
    assert [p.name for p in (out / ".cache" / FRAGMENTS).iterdir()] == ["test+1+pages-pdfplumber"]
    assert _run(raw, out, "pdfplumber").parsed == 0 and len(calls(log)) == 4


def test_a_failed_pdf_records_the_source_that_was_asked_to_read_it(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "bug.pdf", "RAISE")
    (raw / "empty.pdf").write_bytes(b"")
    _run(raw, out, "pdfplumber")
    rows = documents(out)
    assert rows["bug.pdf"]["status"] == "failed" and rows["bug.pdf"]["page_source"] == "pdfplumber"
    assert rows["empty.pdf"]["status"] == "failed" and rows["empty.pdf"]["page_source"] is None


def test_the_pages_option_reaches_the_batch_and_defaults_to_pdfium() -> None:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    assert parser.parse_args([]).pages == DEFAULT_PAGES == "pdfium"
    assert parser.parse_args(["--pages", "pdfplumber"]).pages == "pdfplumber"
    with pytest.raises(SystemExit):
        parser.parse_args(["--pages", "pdfminer"])
    with pytest.raises(ValueError, match="page source 'pdfminer'"):
        BatchOptions(Path("raw"), Path("out"), pages="pdfminer")
    assert "pdfplumber" in parser.format_help() and "reference" in parser.format_help()


def test_a_companion_pair_reads_both_files_with_the_run_s_source(tmp_path: Path, monkeypatch) -> None:
    import etl.pagesource
    import etl.parsing.parse

    read: list[tuple[str, str]] = []

    def recording_read_pages(path, ocr="auto", pages=DEFAULT_PAGES):
        read.append((Path(path).name, pages))
        return SourcedPages([], page_source=pages)

    tables, narrative = fake_pdf(tmp_path / "tables.pdf"), fake_pdf(tmp_path / "narrative.pdf")
    monkeypatch.setattr(etl.pagesource, "read_pages", recording_read_pages)
    monkeypatch.setattr(etl.parsing.parse, "parse_report", lambda pages, doc_id: fake_parse(tables, doc_id))
    task = Task("t+n", tables, "tables.pdf", "0" * 64, tables.stat().st_size, "v", companion=narrative,
                rows_doc_id="t", pages="pdfplumber")
    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    assert process(task, store).status == "ok"
    assert read == [("tables.pdf", "pdfplumber"), ("narrative.pdf", "pdfplumber")]
    assert store.read("t+n", "documents").to_pylist()[0]["page_source"] == "pdfplumber"


#: The corpora whose glyphs and drawings are compared between the compiled helper and its Python fallback, in
#: process (the hostile ones reach the helper through the batch runs above; a decompression bomb is no in-process
#: input).
GLYPH_CORPORA = ("real", "default", "families", "copies", "altered")


def _page_objects(pdf: Path) -> bytes:
    """Every page's glyphs (`pdfium_glyphs.page_glyphs`), those `text_layer.dedupe_overlaid` keeps (both as dicts:
    the helper keeps them as columns), their words (`text_layer.upright_words`: `char_words` with the helper,
    pdfplumber's `extract_words` without) and drawing (`pdfium_drawings.Drawings`: edges, image and curve counts),
    pickled: equal bytes are equal bits."""
    import pickle

    import pypdfium2 as pdfium

    from etl.pagesource import pdfium_drawings, pdfium_frame, pdfium_glyphs, text_layer
    from etl.pagesource.glyph_columns import as_dicts

    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for page in document:
            frame = pdfium_frame.Frame(page)
            drawings = pdfium_drawings.Drawings(frame)
            drawings.read(page.raw)
            glyphs = pdfium_glyphs.page_glyphs(page, frame)
            kept = text_layer.dedupe_overlaid(glyphs) if glyphs else glyphs
            words = text_layer.upright_words(kept) if kept else []
            parts = (as_dicts(glyphs) if glyphs else glyphs, as_dicts(kept) if kept else kept, words,
                     drawings.edges(), drawings.images, drawings.curves)
            pages.append(tuple(pickle.dumps(part) for part in parts))  # each alone: kept dicts need not be glyphs'
    finally:
        document.close()
    return pickle.dumps(pages)


def test_the_compiled_helper_and_its_python_fallback_read_the_same_glyphs_words_and_drawings(
        raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.pagesource.pdfium_native import NATIVE_ENV, helper

    if helper() is None:
        pytest.skip("no compiled helper here (no C compiler?): only the Python loop runs")
    pdfs = sorted(p for corpus in GLYPH_CORPORA for p in (raw / corpus).rglob("*.pdf"))
    compiled = {p: _page_objects(p) for p in pdfs}
    monkeypatch.setenv(NATIVE_ENV, "0")
    assert helper() is None
    differing = [str(p.relative_to(raw)) for p in pdfs if _page_objects(p) != compiled[p]]
    assert len(pdfs) > 20 and not differing, f"{len(differing)} of {len(pdfs)} PDFs differ: {differing}"
