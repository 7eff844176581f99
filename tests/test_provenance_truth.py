"""text_source and ocr_min_confidence (department_year_provenance, department_years_export) scored on a
generated corpus some of whose documents this test turns into scans:

- a report left as generated (its text layer): text, no OCR confidence;
- a report whose page stating the 公务用车保有量 is replaced by a scan of itself: mixed;
- a one-page 三公 disclosure scanned whole: ocr.

text_source must be how the test made each file; ocr_min_confidence the lowest ocr_confidence of any row the
ETL wrote for the document, read here straight from the Parquet tables (never through a view). OCR is slow,
so two pages in all are scanned. A hand-built fixture covers the narrative's rows (counts, prior-year
statements), which the view once left out of the minimum.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2
import pytest
from pypdf import PdfReader, PdfWriter
from scans import scan_pdf

from etl.analysis import connect
from etl.analysis.synthetic import write_tables
from etl.sample.corpus import write_corpus
from etl.sample.families import write_family_corpus

REPO = Path(__file__).resolve().parents[1]


def _page_with(pdf: Path, words: str) -> int:
    """The 0-based index of the first page whose text layer holds `words`."""
    doc = pypdfium2.PdfDocument(str(pdf))
    for i in range(len(doc)):
        if words in "".join(doc[i].get_textpage().get_text_range().split()):
            return i
    raise AssertionError(f"{pdf.name}: no page says {words}")


def _scan_one_page(pdf: Path, index: int, tmp: Path) -> None:
    """Replace page `index` of `pdf` (in place) by a 200 dpi scan of itself."""
    scan = scan_pdf(pdf, tmp / "page.pdf", [index], dpi=200, skews=[0.6], seed=11)
    writer = PdfWriter()
    for i, page in enumerate(PdfReader(pdf).pages):
        writer.add_page(PdfReader(scan).pages[0] if i == index else page)
    with open(tmp / "mixed.pdf", "wb") as fh:
        writer.write(fh)
    pdf.write_bytes((tmp / "mixed.pdf").read_bytes())


@pytest.fixture(scope="module")
def provenance(tmp_path_factory) -> dict:
    """The Parquet of the three documents and how each was made, by file name."""
    raw, work = tmp_path_factory.mktemp("prov-raw"), tmp_path_factory.mktemp("prov-work")
    write_corpus(raw / "reports", regions=1, departments=2, years=[2022], seed=7, seed_report=False)
    text_pdf, mixed_pdf = sorted((raw / "reports").rglob("*.pdf"))
    _scan_one_page(mixed_pdf, _page_with(mixed_pdf, "公务用车保有量"), work)
    (whole,) = write_family_corpus(raw / "pages", ["sangong_pages"], seed=5, per_family=1)
    pages = len(pypdfium2.PdfDocument(str(whole)))
    assert pages <= 2, f"{whole.name}: {pages} pages, too many to OCR here"
    scan_pdf(whole, work / "whole.pdf", list(range(pages)), dpi=200, skews=[0.5, -0.7], seed=13)
    whole.write_bytes((work / "whole.pdf").read_bytes())
    for json_file in raw.rglob("*.json"):  # the truths' sha256 no longer match the scans: not needed here
        json_file.unlink()
    out = tmp_path_factory.mktemp("prov-pq")
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {"pq": out, "made": {text_pdf.name: "text", mixed_pdf.name: "mixed", whole.name: "ocr"}}


def _lowest_ocr_confidence(out: Path) -> dict[str, float | None]:
    """Per doc_id, the lowest ocr_confidence of any row of any Parquet table that has the column."""
    lowest: dict[str, float | None] = {}
    for path in sorted(out.glob("*.parquet")):
        table = pq.read_table(path)
        if "ocr_confidence" not in table.column_names or "doc_id" not in table.column_names:
            continue
        for row in table.select(["doc_id", "ocr_confidence"]).to_pylist():
            lowest.setdefault(row["doc_id"], None)
            if row["ocr_confidence"] is not None:
                old = lowest[row["doc_id"]]
                lowest[row["doc_id"]] = row["ocr_confidence"] if old is None else min(old, row["ocr_confidence"])
    return lowest


@pytest.fixture(scope="module")
def exported(provenance) -> dict[str, dict]:
    """department_years_export's provenance columns, by the file name of the document each row is read from."""
    names = {d["doc_id"]: Path(d["source_file"]).name
             for d in pq.read_table(provenance["pq"] / "documents.parquet").to_pylist()}
    rows = connect(provenance["pq"], quality="all").execute(
        "SELECT doc_id, text_source, ocr_min_confidence FROM department_years_export").fetchall()
    return {names[doc_id]: {"doc_id": doc_id, "text_source": src, "ocr_min_confidence": conf}
            for doc_id, src, conf in rows}


@pytest.mark.slow
def test_text_source_is_how_each_file_was_made(provenance, exported):
    assert {name: exported[name]["text_source"] for name in provenance["made"]} == provenance["made"]


@pytest.mark.slow
def test_lowest_ocr_confidence_is_the_parquets_lowest_per_department_year(provenance, exported):
    want = _lowest_ocr_confidence(provenance["pq"])
    for name, made in provenance["made"].items():
        doc_id, got = exported[name]["doc_id"], exported[name]["ocr_min_confidence"]
        if made == "text":
            assert got is None and want.get(doc_id) is None, name
        else:
            assert want[doc_id] is not None and 0 < want[doc_id] < 1, (name, want[doc_id])
            assert got == pytest.approx(want[doc_id], abs=1e-12), name


def test_lowest_ocr_confidence_counts_the_narratives_counts_and_prior_year_statements(tmp_path):
    """a: its 三公 read at 0.91, the 公务用车保有量 it prints (the per-scale denominator) at 0.62 → 0.62.
    b: its 三公 at 0.93, a 比上年增长 statement at 0.55 → 0.55. c: text layer only → NULL."""
    out = write_tables(tmp_path / "pq", {
        "documents": [dict(_doc("a", "财政局"), text_source="ocr"), dict(_doc("b", "教育局"), text_source="ocr"),
                      _doc("c", "民政局")],
        "sangong": [dict(doc_id="a", item="total", budget="10", actual="9", page=9, ocr_confidence=0.91),
                    dict(doc_id="b", item="total", budget="5", actual="5", page=9, ocr_confidence=0.93),
                    dict(doc_id="c", item="total", budget="5", actual="5", page=9)],
        "prior_year_statements": [dict(doc_id="b", scope="expenditure_total", page=12, ocr_confidence=0.55),
                                  dict(doc_id="c", scope="expenditure_total", page=12)],
    })
    _write_counts(out, [dict(doc_id="a", kind="vehicles_held", value=3.0, unit="辆", page=11, ocr_confidence=0.62),
                        dict(doc_id="c", kind="vehicles_held", value=2.0, unit="辆", page=11)])
    got = connect(out).execute("""SELECT department, ocr_min_confidence FROM department_years_export
                                  ORDER BY department""").fetchall()
    assert got == [("甲区教育局", pytest.approx(0.55)), ("甲区民政局", None), ("甲区财政局", pytest.approx(0.62))]


def _doc(doc_id: str, department: str) -> dict:
    return dict(doc_id=doc_id, source_file=f"甲区/2022/{doc_id}.pdf", sha256=doc_id * 4, region="甲区",
                department="甲区" + department, department_type=department, year=2022, doc_kind="final_accounts",
                status="ok", report_scope="department", text_source="text")


def _write_counts(pq_dir: Path, rows: list[dict]) -> None:
    """counts.parquet by its agreed columns (etl.analysis.COUNTS_COLUMNS), built by hand."""
    import pyarrow as pa

    cols = {"doc_id": pa.string(), "kind": pa.string(), "value": pa.float64(), "unit": pa.string(),
            "scope": pa.string(), "sentence": pa.string(), "page": pa.int32(), "ocr_confidence": pa.float64()}
    pq.write_table(pa.table({c: pa.array([r.get(c) for r in rows], type=t) for c, t in cols.items()}),
                   pq_dir / "counts.parquet")
