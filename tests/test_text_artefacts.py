"""Text artefacts and units of real publications (catalogue 2026-12-05 §7–§8) generated with exact truth, one
document per variant, in the form the real publications show them (PDF line wraps, mirrored web pages, a text
file that lost its 、), read by the ETL and scored 1.00 by the shared scorer and the families' own keys."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pyarrow.parquet as pq
import pytest

from etl.normalise import repair_lines
from etl.pagesource import read_pages
from etl.pagesource.cell_lines import cell_line_rows
from etl.pagesource.text_page import text_pages
from etl.parsing.claims import read_claims
from etl.parsing.narrative import item_segments
from etl.sample.artefacts import ACROSS_COLUMNS, ELIDED, OTHER_TOWN, SPAM_NAME, VARIANTS, WRAP_KINDS
from etl.sample.families import write_family_corpus
from tests.family_truth import extra_misses


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("pq")
    write_family_corpus(raw, ["artefacts"], seed=7, per_family=len(VARIANTS))
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return raw, out


def _files(raw: Path) -> dict[str, tuple[Path, dict]]:
    """artefact variant -> (its document, its truth)."""
    out = {}
    for path in sorted(raw.rglob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        out[truth["artefact"]] = (path.with_name(truth["source_file"]), truth)
    assert set(out) == {a.name for a in VARIANTS}
    return out


def _rows(out: Path, table: str, doc_of: str) -> list[dict]:
    docs = {d["doc_id"] for d in pq.read_table(out / "documents.parquet").to_pylist()
            if d["source_file"].endswith(doc_of)}
    return [r for r in pq.read_table(out / f"{table}.parquet").to_pylist() if r["doc_id"] in docs]


@pytest.mark.fidelity
def test_every_text_artefact_scores_one_with_the_shared_scorer(corpus, shared):
    """One run of the shared scorer over the corpus (one report per file, so no per-report copies are needed)."""
    raw, out = corpus
    proc = subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(out),
                           "--truth", str(raw / "artefacts")], capture_output=True, text=True, timeout=300)
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"fidelity: (\d+)/\1 = 1\.0000 over {len(VARIANTS)} documents", last), (
        "\n".join(line for line in proc.stdout.splitlines() if line.startswith("MISS"))[:4000] or proc.stderr[-2000:])


@pytest.mark.fidelity
def test_every_text_artefact_matches_its_own_truth_keys(corpus):
    raw, out = corpus
    assert extra_misses(out, raw) == []


def test_each_artefact_is_printed_in_its_publication_form(corpus):
    """The generated files really carry the artefact a parser must undo (else 1.00 above proves nothing)."""
    files = _files(corpus[0])
    text = {name: path.read_bytes().decode("utf-8") for name, (path, _) in files.items() if path.suffix != ".pdf"}
    assert "預(yù)算" in text["mirror_pinyin"] and "數(shù)" in text["mirror_pinyin"]
    assert "1銆�" in text["mirror_mojibake"] and "锛堜竴锛�" in text["mirror_mojibake"]
    dash = text["mirror_year_dash"]
    assert re.search(r"与\d{4}-度相比", dash) and "-初预算为" in dash and "年初" not in dash.split("第三部分", 2)[-1]
    assert "&lt;![endif]&gt;" in text["endif_captions"]
    assert "图2：一般公共预算财政拨款支出年初预算" in text["endif_captions"]
    assert "、" not in "".join(ln for ln in text["ocr_lost_comma"].splitlines() if "万元" in ln)
    assert "收支总计各是" in text["ocr_lost_comma"]
    assert re.search(r"\d{1,3},\d{3},\d{3}\.\d{2}元", text["yuan_text"]) and "万元。" not in text["yuan_text"]
    assert re.search(r"年初预算为\d{3},\d{3}\.\d{2}万元", text["unit_slips"])  # 元 figure under 万元, six digits
    assert re.search(r"项目支出[\d,]+\.\d{2}元", text["unit_slips"])
    assert re.search(r"支出决算为[\d,]+万元", text["whole_wan"])
    assert len(re.findall(r"预算为[\d,]+\.\d{2}\. 万元", text["stray_points"])) >= 2
    year = files["budget_title"][1]["year"]
    assert f"{year + 1}年预算公开" in text["budget_title"]


def test_pdf_line_wraps_split_digits_a_point_and_a_unit_and_are_read_whole(corpus):
    """The PDF's own lines (as pdfplumber reads them) end inside a number, after its point and before 元."""
    path, truth = _files(corpus[0])["line_wraps"]
    assert truth["line_wraps"] == sorted(WRAP_KINDS)
    with pdfplumber.open(path) as pdf:
        lines = [ln for page in pdf.pages for ln in (page.extract_text() or "").splitlines()]
    pairs = list(zip(lines, lines[1:], strict=False))
    assert any(re.search(r"\d\.$", a) and re.match(r"\d", b) for a, b in pairs)
    assert any(re.search(r"\d,?$", a) and re.match(r"[\d,]", b) for a, b in pairs)
    assert any(a.endswith("万") and b.startswith("元") for a, b in pairs)


def test_pdf_line_wraps_leave_no_narrative_figure_misread(corpus):
    """Every figure of the wrapped narrative agrees with the tables and its own sums (the generated text is
    consistent, so a claims or narrative check that fails would be a figure read in pieces)."""
    raw, out = corpus
    path, _ = _files(raw)["line_wraps"]
    checks = [c for c in _rows(out, "checks", path.name) if c["check_id"].startswith(("claims.", "narrative."))]
    assert checks and [c["message"] for c in checks if c["status"] == "fail"] == []


@pytest.mark.parametrize("variant", ["comma_totals", "ocr_lost_comma"])
def test_totals_joined_by_a_comma_are_read_as_income_and_expenditure_totals(corpus, variant):
    """收、支总计各是X,Y万元 (and 收支总计 with its 、 lost): X is the 收入总计, Y the 支出总计."""
    path, truth = _files(corpus[0])[variant]
    claims = read_claims(read_pages(path).pages)
    got = {a.topic: a.value for a in claims.amounts if a.topic in ("收入总计", "支出总计")}
    grand = Decimal(str(truth["summary"]["grand_total"])).quantize(Decimal("0.01"))
    assert got == {"收入总计": grand, "支出总计": grand}


def test_unit_slips_are_kept_as_printed_and_flagged_by_the_completion_check(corpus):
    """A 元 figure printed under 万元 is read as printed (not silently rescaled); its completion rate then fails."""
    raw, out = corpus
    path, truth = _files(raw)["unit_slips"]
    slipped = max(truth["item_budget_execution"], key=lambda r: r["initial_budget"] or 0)
    rows = {r["path"]: r for r in _rows(out, "budget_execution", path.name) if r["scope"] == "item"}
    assert rows[slipped["path"]]["initial_budget"] == Decimal(str(slipped["initial_budget"])).quantize(Decimal("0.01"))
    failed = [c for c in _rows(out, "checks", path.name)
              if c["check_id"] == "claims.completion_pct" and c["status"] == "fail"]
    assert failed, "the slipped budget's completion rate was not flagged"


def test_chart_captions_and_a_next_year_budget_title_are_not_read_as_the_report(corpus):
    raw, out = corpus
    files = _files(raw)
    path, truth = files["endif_captions"]
    gpb = next(r for r in _rows(out, "budget_execution", path.name) if r["scope"] == "gpb_total")
    want = truth["gpb_budget_execution"]
    assert (float(gpb["initial_budget"]), float(gpb["actual"])) == (want["initial_budget"], want["actual"])
    path, truth = files["budget_title"]
    doc = next(d for d in pq.read_table(out / "documents.parquet").to_pylist() if d["source_file"].endswith(path.name))
    assert (doc["year"], doc["doc_kind"], doc["department"]) == (truth["year"], "final_accounts", truth["department"])


def test_item_statements_keep_their_paths_through_every_artefact(corpus):
    """Lost or mangled item markers (1一般公共服务支出, 1銆�…) never end up in the 类 name of an item statement."""
    raw, out = corpus
    for name, (path, truth) in _files(raw).items():
        got = sorted(r["path"] for r in _rows(out, "budget_execution", path.name) if r["scope"] == "item")
        assert got == sorted(r["path"] for r in truth["item_budget_execution"]), name


def test_mirror_artefacts_split_by_a_line_break_are_repaired_line_for_line():
    """A web page's or PDF's line break falls inside pinyin, Word's residue, a 年 printed as '-': each is undone,
    and the page keeps its number of lines (a text layer's own NUL characters never split one)."""
    lines = ["一般公共預", "(yù)算缴費(f", "èi)<![en", "dif]>與2022-", "度相比"]
    assert repair_lines(lines) == ["一般公共预", "算缴费", "", "与2022年", "度相比"]
    assert repair_lines(["收入\x00合计", "正常文本"]) == ["收入\x00合计", "正常文本"]
    assert repair_lines(["預\x00算", "2023-度"]) == ["预算", "2023年度"]
    dashed = ["支出为-万元，2023-度。", "-初预算为-，"]
    assert repair_lines(dashed) == ["支出为-万元，2023年度。", "年初预算为-，"]  # zero marks stay


def test_small_amounts_labelled_yuan_are_kept_as_printed_and_flagged_against_the_table(corpus):
    """A 万元 amount labelled 元 with one digit before the point (the 三公 total's 决算) and 项目支出 with two
    (catalogue §7): read as 元, as printed (never rescaled because the figure looks small); the 三公 total then
    disagrees with its table, and that check fails."""
    raw, out = corpus
    path, truth = _files(raw)["small_yuan_slips"]
    text = path.read_text(encoding="utf-8")
    assert re.search(r"支出决算为\d\.\d{2}元", text) and re.search(r"项目支出\d{2}\.\d{2}元", text)
    row = next(r for r in _rows(out, "budget_execution", path.name) if r["scope"] == "sangong_total")
    assert row["actual"] == Decimal(str(truth["sangong_narrative"]["actual_total"])).quantize(Decimal("0.01"))
    assert row["initial_budget"] == Decimal(str(truth["sangong_narrative"]["budget_total"])).quantize(Decimal("0.01"))
    failed = [c for c in _rows(out, "checks", path.name)
              if c["check_id"] == "narrative.sangong_matches_table" and c["status"] == "fail"]
    assert failed, "the 三公 total labelled 元 was not flagged against the 三公 table"


# -- catalogue §8: flattened 三公 tables, names not the report's own, OCR elisions, chart captions -----------


def _sangong_read(out: Path, path: Path) -> dict[tuple[str, str], Decimal]:
    return {(r["item"], side): r[side] for r in _rows(out, "sangong", path.name) for side in ("budget", "actual")}


def _sangong_truth(truth: dict) -> dict[tuple[str, str], Decimal]:
    return {(item, side): Decimal(str(v)).quantize(Decimal("0.01"))
            for side in ("budget", "actual") for item, v in truth["sangong"][side].items()}


def test_sangong_table_flattened_one_cell_per_line_is_read_exactly(corpus):
    """A web page's 三公 table saved one cell per line (header labels, then 预算数 and its 6 figures, 决算数 and
    its 6): every figure lands in its item and side."""
    raw, out = corpus
    path, truth = _files(raw)["sangong_cell_lines"]
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("预算数")
    assert "\t" not in "".join(lines[at - 7: at + 14])
    assert lines[at - 7: at] == ["项目", *(label for label, _ in ACROSS_COLUMNS)]
    assert all(re.fullmatch(r"\d+\.\d{2}", ln) for ln in lines[at + 1: at + 7]) and lines[at + 7] == "决算数"
    assert _sangong_read(out, path) == _sangong_truth(truth)


def test_sangong_table_with_collapsed_blanks_is_read_exactly(corpus):
    """The same table with its blanks collapsed (a row per line, cells one blank apart, the header longer than a
    prose line): the column positions are gone, the figures still land in their columns."""
    raw, out = corpus
    path, truth = _files(raw)["sangong_single_blanks"]
    text = path.read_text(encoding="utf-8")
    assert "项目 " + " ".join(label for label, _ in ACROSS_COLUMNS) in text.splitlines()
    assert re.search(r"^预算数( \d+\.\d{2}){6}$", text, re.M) and re.search(r"^决算数( \d+\.\d{2}){6}$", text, re.M)
    assert _sangong_read(out, path) == _sangong_truth(truth)


def test_sangong_table_on_one_line_with_collapsed_blanks_is_read_exactly(corpus):
    """The whole table on one line, every cell one blank apart (where one row ends is lost too): the figures are
    read back into their rows and columns."""
    raw, out = corpus
    path, truth = _files(raw)["sangong_one_line"]
    labels = " ".join(label for label, _ in ACROSS_COLUMNS)
    assert re.search(rf"^项目 {labels} 预算数( \d+\.\d{{2}}){{6}} 决算数( \d+\.\d{{2}}){{6}}$",
                     path.read_text(encoding="utf-8"), re.M)
    assert _sangong_read(out, path) == _sangong_truth(truth)


def _document(out: Path, path: Path) -> dict:
    return next(d for d in pq.read_table(out / "documents.parquet").to_pylist() if d["source_file"].endswith(path.name))


def test_spam_mirror_title_is_not_taken_for_the_department(corpus):
    """A mirror printed a spam site's name in its page title, cover and 第一部分 heading: the department (and its
    region) is the one the tables and statements name, and the report's figures are all read."""
    raw, out = corpus
    path, truth = _files(raw)["spam_mirror"]
    page = path.read_text(encoding="utf-8")
    assert f"<title>{SPAM_NAME}" in page and f"第一部分 {SPAM_NAME}概况" in page and "預(yù)算" in page
    doc = _document(out, path)
    assert (doc["department"], doc["region"]) == (truth["department"], truth["region"])
    assert _sangong_read(out, path) == _sangong_truth(truth)
    gpb = next(r for r in _rows(out, "budget_execution", path.name) if r["scope"] == "gpb_total")
    assert float(gpb["actual"]) == truth["gpb_budget_execution"]["actual"]


def test_another_towns_name_copied_into_the_概况_leaves_the_reports_own_metadata(corpus):
    """A 街道's 概况 carries a sentence copied from another town's report naming that town and its county in
    full: department and region stay the report's own (its title's)."""
    raw, out = corpus
    path, truth = _files(raw)["other_town_named"]
    assert OTHER_TOWN in path.read_text(encoding="utf-8") and "街道" in truth["department"]
    doc = _document(out, path)
    assert (doc["department"], doc["region"]) == (truth["department"], truth["region"])


def test_ocr_elided_text_is_neither_a_figure_nor_a_table_row(corpus):
    """OCR'd text that lost its 、 and prints （略） where text was elided: no table row or statement holds it,
    every narrative check passes (no figure misread), and the 三公 and gpb statements are read."""
    raw, out = corpus
    path, truth = _files(raw)["ocr_elided"]
    text = path.read_text(encoding="utf-8")
    assert text.count(ELIDED) >= 3 and "、" not in "".join(ln for ln in text.splitlines() if "万元" in ln)
    for table in ("function_expenditure", "economic_expenditure", "summary_items", "budget_execution"):
        rows = _rows(out, table, path.name)
        assert rows and not [r for r in rows if "略" in json.dumps(r, default=str, ensure_ascii=False)], table
    checks = [c for c in _rows(out, "checks", path.name) if c["check_id"].startswith(("claims.", "narrative."))]
    assert checks and [c["message"] for c in checks if c["status"] == "fail"] == []
    gpb = next(r for r in _rows(out, "budget_execution", path.name) if r["scope"] == "gpb_total")
    assert float(gpb["initial_budget"]) == truth["gpb_budget_execution"]["initial_budget"]


def test_chart_caption_lines_add_no_figure_and_take_none(corpus):
    """A chart's title, 单位：万元, the year, a legend with a share and a rounded total, each on a line of its own
    before the 收入 and 支出 paragraphs: the paragraphs' totals are read under their own topics, no statement
    holds a caption's line (its share, its rounded 合计), and the narrative checks pass."""
    raw, out = corpus
    path, truth = _files(raw)["chart_caption_lines"]
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("图2：支出决算结构")
    assert lines[at + 1] == "单位：万元" and re.fullmatch(r"合计[\d,]+", lines[at + 3])
    assert f"{truth['year']}年" in lines
    claims = read_claims(read_pages(path).pages)
    got = {a.topic: a.value for a in claims.amounts if a.topic in ("本年收入合计", "本年支出合计")}
    summary = truth["summary"]
    assert got == {"本年收入合计": Decimal(str(summary["income_total"])).quantize(Decimal("0.01")),
                   "本年支出合计": Decimal(str(summary["expenditure_total"])).quantize(Decimal("0.01"))}
    caption = [ln for at in (lines.index(f"图1：{truth['year']}年度收入决算结构"), at) for ln in lines[at: at + 4]
               if ln.startswith(("图", "合计")) or ln.endswith("%")]  # the year, 单位：万元 stand in any sentence
    assert len(caption) == 5
    assert [a.sentence.text for a in claims.amounts if any(ln in a.sentence.text for ln in caption)] == []
    checks = [c for c in _rows(out, "checks", path.name) if c["check_id"].startswith(("claims.", "narrative."))]
    assert checks and [c["message"] for c in checks if c["status"] == "fail"] == []


def test_cells_on_lines_are_a_table_only_when_every_row_has_every_figure():
    """One cell per line: rows of 6 figures under 项目 and 6 labels are rows; a row that lost a cell (printed
    nowhere), or short lines with no figures (a contents list), stay lines — never a table read out of place."""
    head = ["项目", *(label for label, _ in ACROSS_COLUMNS)]
    full = head + ["预算数", *["1.00"] * 6, "决算数", *["2.00"] * 6]
    rows = cell_line_rows([(n, text, False) for n, text in enumerate(full, 1)])
    assert rows == [(1, head), (8, ["预算数", *["1.00"] * 6]), (15, ["决算数", *["2.00"] * 6])]
    gap = head + ["预算数", *["1.00"] * 5, "决算数", *["2.00"] * 6]
    contents = ["目录", "一、收入支出决算总表", "二、收入决算表", "三、支出决算表"]
    for lines in (gap, contents):
        items = [(n, text, False) for n, text in enumerate(lines, 1)]
        assert cell_line_rows(items) == items
    one_line = [(1, " ".join(full), False)]
    assert cell_line_rows(one_line) == [(1, cells) for _, cells in rows]  # all on one line: the same rows


def test_a_long_note_wrapped_after_a_table_stays_on_one_page():
    """A table's 说明 longer than a text line is wrapped; its second piece (prose after a table) must not open a
    page of its own, or the table is ended before the narrative and a table inside the narrative is taken for
    one of the tables part's."""
    rows = ["国有资本经营预算财政拨款收入支出决算表", "单位：万元", "项目\t本年收入\t本年支出", "合计\t\t",
            "注：本表反映部门本年度国有资本经营预算财政拨款收入、支出及结转和结余情况。"]
    # wrapped after 故本表: its first piece reads as a table's title (…预算…表), the rest as prose after a table
    note = "说明：广州市天河区卫生健康局2022年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。"
    pages = text_pages("\n".join([*rows, note, "第三部分 情况说明"]) + "\n")
    assert [p.position for p in pages].count("第6行") == 1


def test_an_item_number_whose_mark_ocr_lost_at_a_line_start_is_not_part_of_the_class_name():
    """OCR lost the 、 of the first item's number, printed at the start of its line after 如下：: the 类 name is
    社会保障和就业支出, not 1社会保障和就业支出 (the next items, after a 。, were always read)."""
    text = ("具体情况如下：\n1社会保障和就业支出（类）就业补助（款）其他就业补助支出（项）。年初预算为1.00万元，"
            "支出决算为1.00万元。2卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。年初预算为2.00万元，支出决算为2.00万元。")
    assert [s.path for s in item_segments(text)] == ["社会保障和就业支出/就业补助/其他就业补助支出",
                                                     "卫生健康支出/行政事业单位医疗/行政单位医疗"]
