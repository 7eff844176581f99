"""Citations a reader can follow (review finding W5): a department-year whose narrative and tables are two
files numbers the narrative's pages after the tables' (one page number names one page of the pair). The
`document_pages` table maps every page the rows carry to the file it is in and that file's own page, so
each figure cited in checks and budget_execution can be found as `file 第N页`; the audit report cites
them that way."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pdfplumber
import pytest

from etl.reports.audit import write_audit
from tests.test_collections import _batch, _cut


@pytest.fixture(scope="module")
def pair(real_pdfs, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("citations")
    _cut(real_pdfs["finance"], root / "raw")  # <stem>-tables.pdf and <stem>-text.pdf
    result = _batch(root / "raw", root / "out")
    assert result.companions == 1
    return root / "raw", root / "out"


def _rows(out: Path, table: str) -> list[dict]:
    return duckdb.sql(f"SELECT * FROM '{out / (table + '.parquet')}'").to_arrow_table().to_pylist()


def _page_texts(raw: Path) -> dict[tuple[str, int], str]:
    """Every page of every file by (file, own page number): its text without spaces or thousands separators."""
    out = {}
    for pdf in raw.glob("*.pdf"):
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages, start=1):
                out[(pdf.name, n)] = re.sub(r"[\s,]", "", page.extract_text() or "")
    return out


def _printed(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def test_document_pages_name_both_files_with_their_own_page_numbers(pair):
    raw, out = pair
    pages = _rows(out, "document_pages")
    docs = {d["source_file"]: d for d in _rows(out, "documents")}
    tables_file = next(f for f in docs if f.endswith("-tables.pdf"))
    text_file = next(f for f in docs if f.endswith("-text.pdf"))
    doc_id = docs[tables_file]["doc_id"]
    mine = sorted((r["page"], r["source_file"], r["file_page"]) for r in pages if r["doc_id"] == doc_id)
    n_tables = len(pdfplumber.open(raw / tables_file).pages)
    n_text = len(pdfplumber.open(raw / text_file).pages)
    assert mine == ([(p, tables_file, p) for p in range(1, n_tables + 1)]
                    + [(n_tables + p, text_file, p) for p in range(1, n_text + 1)])
    # the narrative file is a companion: its own pages are written too, under its own doc_id
    companion = sorted((r["page"], r["file_page"]) for r in pages if r["doc_id"] == docs[text_file]["doc_id"])
    assert companion == [(p, p) for p in range(1, n_text + 1)]


def test_every_cited_page_is_a_page_of_the_named_file_that_prints_the_figure(pair):
    raw, out = pair
    texts = _page_texts(raw)
    where = {(r["doc_id"], r["page"]): (r["source_file"], r["file_page"]) for r in _rows(out, "document_pages")}
    cited = 0
    for row in _rows(out, "budget_execution"):
        if row["page"] is None or row["actual"] is None:
            continue
        file, own = where[(row["doc_id"], row["page"])]
        assert _printed(row["actual"]) in texts[(file, own)], (row["path"], row["scope"], file, own)
        cited += 1
    assert cited >= 3
    for c in _rows(out, "checks"):
        if not c["pages"]:
            continue
        cites = [where[(c["doc_id"], int(p))] for p in c["pages"].split(",")]  # KeyError: a page of no file
        # zero is often printed blank or as 0; a figure is matched when non-zero
        figures = [v for v in (_printed(c["value_a"]), _printed(c["value_b"])) if v and v != "0.00"]
        if figures:  # one of the two figures is printed (the other may be a sum or a ratio the check computed)
            forms = figures + [v[:-3] for v in figures if v.endswith(".00")]  # a year, a count: printed whole
            assert any(v in texts[cite] for v in forms for cite in cites), (c["check_id"], figures, cites)
        cited += 1
    assert cited > 20


def test_a_narrative_figure_compared_with_a_table_cites_both_files(pair):
    _, out = pair
    rows = [c for c in _rows(out, "checks") if c["check_id"].startswith("claims.total_matches_table")
            and c["status"] == "fail"]
    where = {(r["doc_id"], r["page"]): r["source_file"] for r in _rows(out, "document_pages")}
    for c in rows:
        files = {where[(c["doc_id"], int(p))] for p in c["pages"].split(",")}
        assert len(files) == 2, c  # the narrative's page and the table's


def test_the_audit_cites_each_page_in_its_own_files_numbering(pair, tmp_path):
    raw, out = pair
    docs = write_audit(out, tmp_path / "audit")
    doc = next(d for d in docs if d.row["source_file"].endswith("-tables.pdf"))
    html = (tmp_path / "audit" / doc.file).read_text(encoding="utf-8")
    text_file = next(p.name for p in raw.glob("*-text.pdf"))
    n_tables = doc.row["pages"]
    # a narrative page is cited as the narrative file's own page, never as its offset in the pair
    assert text_file in html
    for page in re.findall(r'data-pages="([\d,]*)"', html):
        for p in filter(None, page.split(",")):
            if int(p) > n_tables:
                assert f"{text_file} 第 {int(p) - n_tables} 页" in html


def test_department_years_cite_each_headline_figure_in_the_file_a_reader_opens(pair):
    """The analysis layer's citations (department_year_figures *_file / *_page): the narrative's gpb
    statement is cited in the narrative file with its own page number, the table figures in the tables
    file; each cited page prints the figure (pdfplumber text of that file's page)."""
    from etl.analysis import connect

    raw, out = pair
    texts = _page_texts(raw)
    con = connect(out)
    row = con.execute("""SELECT gpb_file, gpb_page, gpb_actual, gpb_table_file, gpb_table_page, gpb_table_actual,
                                sangong_file, sangong_page, sangong_actual, cost_file, cost_page, personnel_cost
                         FROM department_year_figures""").fetchall()
    assert len(row) == 1, row
    (gf, gp, ga, tf, tp, ta, sf, sp, sa, cf, cp, pc) = row[0]
    assert gf.endswith("-text.pdf") and tf.endswith("-tables.pdf") and sf == tf == cf, row
    n_text = len(pdfplumber.open(raw / gf).pages)
    assert 1 <= gp <= n_text, row  # the narrative file's own numbering, not an offset into the pair
    for file, page, value in ((gf, gp, ga), (tf, tp, ta), (sf, sp, sa), (cf, cp, pc)):
        if value:  # zero is often printed blank
            assert _printed(value) in texts[(file, page)], (file, page, value)
