"""Several reports in one PDF: each is found from its own cover and becomes a document of its own.

The two real reports merged into one volume must give two documents, each scoring full fidelity against
its own truth; a single real report, a generated report and a report whose cover recurs as a page of its
own must stay one document.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader, PdfWriter

from etl.pagesource import load_pages
from etl.pagesource.page import Page, Word
from etl.parsing.split import cover_of, split_reports
from tests.doc_scoring import score_document

REPO = Path(__file__).resolve().parents[1]


def _etl(raw: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, cwd=REPO, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def _merge(paths: list[Path], dest: Path) -> Path:
    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


@pytest.fixture(scope="module")
def volume(real_pdfs, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("volume")
    merged = _merge([real_pdfs["finance"], real_pdfs["social"]], root / "raw" / "volume.pdf")
    _etl(root / "raw", root / "out")
    return merged, root / "out"


def _documents(out: Path) -> list[tuple]:
    return duckdb.sql(f"SELECT doc_id, department, report_part, sha256, source_file, pages FROM "
                      f"'{out / 'documents.parquet'}' ORDER BY report_part").fetchall()


def test_a_volume_of_two_reports_gives_two_documents(volume):
    merged, out = volume
    docs = _documents(out)
    sha = hashlib.sha256(merged.read_bytes()).hexdigest()
    assert [d[1] for d in docs] == ["上海市普陀区财政局", "中共上海市普陀区委社会工作部"]
    assert [d[2] for d in docs] == [1, 2]
    assert docs[1][0] == docs[0][0] + "-2"
    assert {d[3] for d in docs} == {sha} and {d[4] for d in docs} == {"volume.pdf"}
    assert sum(d[5] for d in docs) == len(PdfReader(str(merged)).pages)


@pytest.mark.parametrize("part,truth_name", [(1, "finance"), (2, "social")])
def test_each_report_of_the_volume_scores_full_fidelity(volume, shared, real_pdfs, tmp_path, part, truth_name):
    merged, out = volume
    doc_id = next(d[0] for d in _documents(out) if d[2] == part)
    truth = shared / "ground-truth" / (real_pdfs[truth_name].stem + ".json")
    sha = hashlib.sha256(merged.read_bytes()).hexdigest()
    proc = score_document(shared, out, doc_id, sha, truth, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "= 1.0000" in proc.stdout


def test_figures_carry_the_doc_id_of_their_report(volume):
    _, out = volume
    per_doc = dict(duckdb.sql(f"SELECT doc_id, count(*) FROM '{out / 'function_expenditure.parquet'}' "
                              "GROUP BY doc_id").fetchall())
    docs = [d[0] for d in _documents(out)]
    assert set(per_doc) == set(docs)
    assert all(n > 10 for n in per_doc.values())


def test_document_pages_cite_each_report_in_the_volumes_own_page_numbers(volume):
    """A report split out of a volume keeps the volume's page numbers: document_pages maps each to volume.pdf, the
    same number (W5: a page cited is the file's own page)."""
    merged, out = volume
    rows = duckdb.sql(f"SELECT doc_id, page, source_file, file_page FROM '{out / 'document_pages.parquet'}' "
                      "ORDER BY page").fetchall()
    assert [r[1] for r in rows] == list(range(1, len(PdfReader(str(merged)).pages) + 1))
    assert all(source == "volume.pdf" and own == page for _, page, source, own in rows)
    first, second = (d[0] for d in _documents(out))
    assert [r[0] for r in rows] == sorted([r[0] for r in rows], key=lambda d: d != first)  # part 1, then part 2
    assert {r[0] for r in rows} == {first, second}


@pytest.mark.parametrize("name", ["finance", "social", "template"])
def test_a_single_real_report_is_not_split(real_pdfs, name):
    assert len(split_reports(load_pages(real_pdfs[name]))) == 1


def test_a_generated_corpus_is_never_split(tmp_path):
    raw = tmp_path / "raw"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "sample", "--out", str(raw), "--regions", "2",
                           "--departments", "2", "--years", "2021-2022", "--seed", "5"],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pdfs = sorted(raw.rglob("*.pdf"))
    assert len(pdfs) >= 8
    for pdf in pdfs:
        assert len(split_reports(load_pages(pdf))) == 1, pdf


def _page(number: int, *texts: str) -> Page:
    words = [Word(t, 100.0, 300.0, 100.0 + 30 * i, 112.0 + 30 * i) for i, t in enumerate(texts)]
    return Page(number, 595.0, 842.0, words)


def _body(number: int, title: str) -> Page:
    return _page(number, title, "一、收入支出决算总体情况说明", "本年收入合计100.00万元。", "本年支出合计100.00万元。",
                 "二、收入决算情况说明", "财政拨款收入100.00万元。", "三、支出决算情况说明", "基本支出80.00万元。",
                 "项目支出20.00万元。")


def test_a_department_report_followed_by_a_units_report_splits():
    pages = [_page(1, "上海市某区教育局", "2024年度部门决算"), _page(2, "目录", "第一部分 概况"),
             _body(3, "第一部分"), _body(4, "第二部分"),
             _page(5, "上海市某区第一中学", "2024年度单位决算"), _page(6, "目录", "第一部分 概况"),
             _body(7, "第一部分"), _body(8, "第二部分")]
    assert [[p.number for p in r] for r in split_reports(pages)] == [[1, 2, 3, 4], [5, 6, 7, 8]]


def test_the_same_cover_and_contents_again_start_another_report():
    cover = ("上海市某区教育局", "2024年度部门决算")
    pages = [_page(1, *cover), _page(2, "目录"), _body(3, "一"), _body(4, "二"),
             _page(5, *cover), _page(6, "目录"), _body(7, "一"), _body(8, "二")]
    assert len(split_reports(pages)) == 2


def test_a_cover_repeated_as_a_page_of_its_own_does_not_split():
    cover = ("上海市某区教育局", "2024年度部门决算")
    pages = [_page(1, *cover), _page(2, "目录"), _body(3, "一"), _body(4, "二"),
             _page(5, *cover), _body(6, "三"), _body(7, "四"), _page(8, *cover)]
    assert len(split_reports(pages)) == 1


def test_a_part_divider_and_a_heading_page_are_not_covers():
    assert cover_of(_page(1, "第二部分", "上海市某区教育局2024年度部门决算表")) is None
    heading = _page(1, "上海市某区教育局2024年度部门决算", "收入支出决算总表", "单位：万元", "合计100.00")
    assert cover_of(heading) is None
    assert cover_of(_page(1, "中共上海市某区委", "社会工作部2024年度", "部门决算", "2025年9月")).name == \
        "中共上海市某区委社会工作部"


def test_generated_volumes_give_one_document_per_report_each_scoring_its_truth(shared, tmp_path):
    from etl.sample.families import write_family_corpus

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_family_corpus(raw, ["volume"], seed=4)
    _etl(raw, out)
    docs = duckdb.sql(f"SELECT doc_id, source_file, report_part FROM '{out / 'documents.parquet'}'").fetchall()
    truths = sorted(raw.rglob("*.part*.json"))
    assert len(docs) == len(truths) >= 4
    for path in truths:
        pdf_name = path.name.split(".part")[0] + ".pdf"
        part = int(path.stem.rsplit(".part", 1)[1])
        doc_id = next(d[0] for d in docs if d[1].endswith(pdf_name) and d[2] == part)
        truth = json.loads(path.read_text(encoding="utf-8"))
        proc = score_document(shared, out, doc_id, truth["sha256"], path, tmp_path / "score" / path.stem)
        assert proc.returncode == 0, (path.name, proc.stdout[-3000:])


def test_assemble_writes_one_row_per_report_with_the_manifest_applied_to_each(tmp_path):
    from etl.batch.assemble import Entry, build
    from etl.batch.fragments import FragmentStore
    from etl.batch.manifest import Override
    from etl.batch.writer import to_arrow
    from etl.parsing.metadata import department_type

    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    reports = [("f", "上海市某区教育局"), ("f-2", "上海市某区第一中学")]
    rows = [{"doc_id": doc_id, "source_file": "old.pdf", "sha256": "ab", "status": "ok", "department": dept,
             "report_part": n} for n, (doc_id, dept) in enumerate(reports, 1)]
    store.write("f", {"documents": to_arrow("documents", rows)})
    build(store, tmp_path / "pq", [Entry("vol.pdf", "f")], {"vol.pdf": Override(year=2023)}, "x", department_type)
    docs = duckdb.sql(f"SELECT doc_id, source_file, sha256, year, metadata_source FROM "
                      f"'{tmp_path / 'pq' / 'documents.parquet'}' ORDER BY doc_id").fetchall()
    assert docs == [("f", "vol.pdf", "ab", 2023, "manifest"), ("f-2", "vol.pdf", "ab", 2023, "manifest")]
