"""One department-year in two files, and names resolved against the collection.

Pairs are built by cutting a real or generated report with pypdf into its table pages and the rest:
the batch must parse the two as one report under the tables file's doc_id (full fidelity against the
whole report's truth), keep both files in `documents` (the narrative's row pointing at the tables'),
stay incremental, and fall back to the two files' own results when the joint parse fails.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader, PdfWriter

from etl.batch.assemble import Entry, build
from etl.batch.collection_names import completed_name, resolve
from etl.batch.companions import FileSummary, find_pairs
from etl.batch.fragments import FragmentStore
from etl.batch.pipeline import BatchOptions, run_batch
from etl.batch.worker import Task, process
from etl.batch.writer import to_arrow
from etl.pagesource import load_pages
from etl.parsing.locate import locate_tables
from tests.doc_scoring import score_document

REPO = Path(__file__).resolve().parents[1]


def _cut(src: Path, dest_dir: Path) -> tuple[Path, Path]:
    """The report's table pages as `<stem>-tables.pdf`, every other page as `<stem>-text.pdf`."""
    table_pages = {p.number for t in locate_tables(load_pages(src)) for p in t.pages}
    reader = PdfReader(str(src))
    out = []
    for suffix, keep in (("tables", lambda n: n in table_pages), ("text", lambda n: n not in table_pages)):
        writer = PdfWriter()
        for n, page in enumerate(reader.pages, start=1):
            if keep(n):
                writer.add_page(page)
        dest = dest_dir / f"{src.stem}-{suffix}.pdf"
        dest_dir.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as fh:
            writer.write(fh)
        out.append(dest)
    return out[0], out[1]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _batch(raw: Path, out: Path, **options) -> object:
    return run_batch(BatchOptions(raw, out, jobs=2, progress=False, **options))


def _documents(out: Path) -> dict[str, dict]:
    rel = duckdb.sql(f"SELECT * FROM '{out / 'documents.parquet'}'")
    cols = rel.columns
    return {row[cols.index("source_file")]: dict(zip(cols, row, strict=True)) for row in rel.fetchall()}


@pytest.fixture(scope="module")
def real_pairs(real_pdfs, tmp_path_factory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("pairs")
    for name in ("finance", "social"):
        _cut(real_pdfs[name], root / "raw")
    result = _batch(root / "raw", root / "out")
    return root / "raw", root / "out", result


def test_a_two_file_department_year_is_one_report(real_pairs, real_pdfs):
    raw, out, result = real_pairs
    docs = _documents(out)
    assert result.companions == 2 and len(docs) == 4
    for name in ("finance", "social"):
        tables, text = docs[f"{real_pdfs[name].stem}-tables.pdf"], docs[f"{real_pdfs[name].stem}-text.pdf"]
        assert text["companion_of"] == tables["doc_id"] and tables["companion_of"] is None
        assert tables["status"] == "ok" and text["status"] == "ok"
        assert tables["pages"] == len(PdfReader(str(raw / tables["source_file"])).pages)
    narrative_ids = [d["doc_id"] for d in docs.values() if d["companion_of"]]
    for table in ("budget_execution", "checks", "tables_found", "summary_items"):
        ids = {r[0] for r in duckdb.sql(f"SELECT DISTINCT doc_id FROM '{out / (table + '.parquet')}'").fetchall()}
        assert not ids & set(narrative_ids), table


@pytest.mark.parametrize("name", ["finance", "social"])
def test_the_tables_file_scores_the_whole_reports_truth(real_pairs, real_pdfs, shared, tmp_path, name):
    raw, out, _ = real_pairs
    tables_pdf = raw / f"{real_pdfs[name].stem}-tables.pdf"
    doc_id = _documents(out)[tables_pdf.name]["doc_id"]
    truth = shared / "ground-truth" / f"{real_pdfs[name].stem}.json"
    proc = score_document(shared, out, doc_id, _sha(tables_pdf), truth, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "item_budget_execution" in proc.stdout  # the narrative's statements were read into it


def test_pairs_are_incremental_and_redone_when_a_file_changes(real_pairs, real_pdfs, tmp_path):
    raw, _, _ = real_pairs
    raw2, out2 = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(raw, raw2)
    first = _batch(raw2, out2)
    again = _batch(raw2, out2)
    assert (first.parsed, first.companions) == (4, 2)
    assert (again.parsed, again.companions, again.wrote_output) == (0, 2, False)
    text = raw2 / f"{real_pdfs['finance'].stem}-text.pdf"
    writer = PdfWriter(clone_from=str(text))
    writer.add_metadata({"/Title": "changed"})  # other bytes, same pages
    with text.open("wb") as fh:
        writer.write(fh)
    changed = _batch(raw2, out2)
    assert changed.parsed == 1 and changed.wrote_output
    docs = _documents(out2)
    assert docs[text.name]["companion_of"] == docs[f"{real_pdfs['finance'].stem}-tables.pdf"]["doc_id"]
    keys = {p.name for p in FragmentStore(out2, "x").root.glob("*/*") if "+" in p.name}
    assert len(keys) == 2 and any(docs[text.name]["doc_id"] in k for k in keys)


def test_a_generated_report_cut_in_two_scores_its_truth(shared, tmp_path):
    raw0 = tmp_path / "gen"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "sample", "--out", str(raw0), "--regions", "1",
                           "--departments", "1", "--years", "2022", "--seed", "7"],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pdf = sorted(raw0.rglob("*.pdf"))[0]
    tables_pdf, _ = _cut(pdf, tmp_path / "raw")
    result = _batch(tmp_path / "raw", tmp_path / "out")
    assert result.companions == 1
    doc_id = _documents(tmp_path / "out")[tables_pdf.name]["doc_id"]
    proc = score_document(shared, tmp_path / "out", doc_id, _sha(tables_pdf), pdf.with_suffix(".json"),
                          tmp_path / "score")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_a_pair_whose_joint_parse_fails_fails_alone(real_pdfs, tmp_path):
    tables_pdf, _ = _cut(real_pdfs["finance"], tmp_path / "raw")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all\n")
    st = tables_pdf.stat()
    task = Task("a+b", tables_pdf, tables_pdf.name, "0" * 64, st.st_size, "v", mtime_ns=st.st_mtime_ns,
                companion=broken, rows_doc_id="a")
    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    outcome = process(task, store)
    assert outcome.status == "failed"
    row = store.read("a+b", "documents").to_pylist()[0]
    assert row["doc_id"] == "a" and row["status"] == "failed"


def _summary(doc_id: str, department: str, keys: tuple[str, ...], statements: bool, year: int = 2024,
             region: str = "上海市普陀区") -> FileSummary:
    doc = {"doc_id": doc_id, "department": department, "region": region, "year": year,
           "doc_kind": "final_accounts", "status": "partial"}
    tables = {"documents", *(["tables_found"] if keys else []), *(["budget_execution"] if statements else [])}
    return FileSummary(doc_id, [doc], frozenset(tables), frozenset(keys))


CORE = ("income_expenditure_summary", "expenditure", "gpb_expenditure")


def test_pairs_need_exactly_one_tables_file_and_one_narrative_file():
    t = _summary("t", "上海市普陀区财政局", CORE, False)
    n = _summary("n", "上海市普陀区财政局", (), True)
    assert [(p.tables, p.narrative) for p in find_pairs([t, n])] == [("t", "n")]
    assert find_pairs([t, n, _summary("n2", "上海市普陀区财政局", (), True)]) == []  # ambiguous
    assert find_pairs([t, _summary("n", "上海市普陀区财政局", (), True, year=2023)]) == []  # other year
    assert find_pairs([t, _summary("n", "上海市普陀区教育局", (), True)]) == []  # other department
    assert find_pairs([_summary("t", "上海市普陀区财政局", CORE, True), n]) == []  # tables file has narrative
    assert find_pairs([_summary("t", "上海市普陀区财政局", ("income_expenditure_summary", "other"), False), n]) == []


COLLECTION = {"上海市普陀区财政局", "上海市普陀区规划和自然资源局", "中共上海市普陀区委社会工作部"}


def test_a_name_without_its_district_is_completed_from_the_collection():
    assert completed_name("上海市规划和自然资源局", COLLECTION) == "上海市普陀区规划和自然资源局"
    assert completed_name("中共上海市委社会工作部", COLLECTION) == "中共上海市普陀区委社会工作部"
    assert completed_name("上海市委社会工作部", COLLECTION) is None  # the 中共 prefix must agree
    assert completed_name("上海市普陀区财政局", COLLECTION) is None  # already has its district
    assert completed_name("上海市教育局", COLLECTION) is None  # nobody in the collection completes it
    two = COLLECTION | {"上海市静安区规划和自然资源局"}
    assert completed_name("上海市规划和自然资源局", two) is None  # ambiguous: keep the printed name


def test_resolve_gives_the_region_and_type_of_the_completed_name():
    docs = [{"doc_id": "a", "department": "上海市普陀区规划和自然资源局", "status": "ok"},
            {"doc_id": "b", "department": "上海市规划和自然资源局", "status": "ok"}]
    [rename] = resolve(docs)
    assert (rename.doc_id, rename.department, rename.region, rename.department_type) == (
        "b", "上海市普陀区规划和自然资源局", "上海市普陀区", "规划和自然资源局")


def test_a_city_level_report_with_its_own_cover_is_never_taken_for_a_district_department():
    docs = [{"doc_id": "district", "department": "上海市普陀区财政局", "status": "ok"},
            {"doc_id": "city", "department": "上海市财政局", "status": "ok"},
            {"doc_id": "heading", "department": "上海市规划和自然资源局", "status": "ok"},
            {"doc_id": "full", "department": "上海市普陀区规划和自然资源局", "status": "ok"}]
    renames = resolve(docs, coverless={"heading"})  # only the tables-only file named itself by a heading
    assert [(r.doc_id, r.department) for r in renames] == [("heading", "上海市普陀区规划和自然资源局")]


def test_assemble_applies_renames_and_companions(tmp_path):
    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    for doc_id, dept in (("a", "上海市规划和自然资源局"), ("b", "上海市普陀区财政局")):
        store.write(doc_id, {"documents": to_arrow("documents", [
            {"doc_id": doc_id, "source_file": "x", "sha256": "0", "status": "partial", "department": dept,
             "region": "上海市", "error": "standard tables not found"}])})
    rename = ("a", "上海市普陀区规划和自然资源局", "上海市普陀区", "规划和自然资源局")
    entries = [Entry("a.pdf", "a", renames=(rename,)),
               Entry("b.pdf", "b", companion_of="c")]
    build(store, tmp_path / "pq", entries, {}, "f", lambda d, r: None)
    docs = _documents(tmp_path / "pq")
    assert (docs["a.pdf"]["department"], docs["a.pdf"]["region"]) == ("上海市普陀区规划和自然资源局", "上海市普陀区")
    assert (docs["b.pdf"]["companion_of"], docs["b.pdf"]["status"], docs["b.pdf"]["error"]) == ("c", "ok", None)


def test_truth_files_of_the_generated_corpus_name_their_sha256(tmp_path):
    """Guard for the scoring helper: a truth copy carries the sha256 it is given."""
    from tests.doc_scoring import truth_for

    src = tmp_path / "t.json"
    src.write_text(json.dumps({"sha256": "a", "x": 1}), encoding="utf-8")
    dest = truth_for(src, "b" * 64, tmp_path / "d")
    assert json.loads((dest / "t.json").read_text(encoding="utf-8")) == {"sha256": "b" * 64, "x": 1}


@pytest.fixture(scope="module")
def generated_pairs(tmp_path_factory) -> tuple[Path, Path, object]:
    from etl.sample.families import write_family_corpus

    root = tmp_path_factory.mktemp("family")
    write_family_corpus(root / "raw", ["split_files"], seed=3)
    return root / "raw", root / "out", _batch(root / "raw", root / "out")


def test_generated_two_file_department_years_pair_up_and_names_resolve(generated_pairs):
    raw, out, result = generated_pairs
    docs = _documents(out)
    truths = {p.with_suffix(".pdf").name: json.loads(p.read_text(encoding="utf-8")) for p in raw.rglob("*.json")}
    assert result.companions == len([t for t in truths.values() if t["companion_of"]]) >= 2
    for truth in truths.values():
        doc = docs[f"split_files/{truth['source_file']}"]
        assert (doc["department"], doc["region"]) == (truth["department"], truth["region"])
        expected = docs[f"split_files/{truth['companion_of']}"]["doc_id"] if truth["companion_of"] else None
        assert doc["companion_of"] == expected


def test_generated_tables_files_score_full_fidelity(generated_pairs, shared, tmp_path):
    raw, out, _ = generated_pairs
    docs = _documents(out)
    scored = 0
    for path in raw.rglob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth["companion_of"]:
            continue
        doc = docs[f"split_files/{truth['source_file']}"]
        proc = score_document(shared, out, doc["doc_id"], truth["sha256"], path, tmp_path / path.stem)
        assert proc.returncode == 0, proc.stdout[-3000:]
        scored += 1
    assert scored >= 2
