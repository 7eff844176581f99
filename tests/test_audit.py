"""The quality grade of a document, the pages of the table checks, and `juesuan audit` as a reviewer
would read it.

- The grade (etl/parsing/quality.py) on hand-built check results: an error fails, a warning warns, info and
  passes leave it clean, a partial document warns, a failed one fails, budget / other are not graded.
- The table checks say where their figures were printed: on the real PDFs every compared check has
  its pages, sorted and within the document; on hand-built figures the pages are the rows' own.
- The grade reaches documents.parquet through the batch (parsed documents and unreadable files).
- `juesuan audit` on a hand-built Parquet: one page per document, every failing check on its
  document's page with its pages and both figures (thousands separators), the index's counts equal
  the Parquet's, a short table on the terminal; Chromium opens the pages offline with no request,
  no script error and no English prose outside code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow.parquet as pq
import pytest

from etl.analysis.synthetic import write_tables
from etl.batch.pipeline import BatchOptions, run_batch
from etl.parsing.checks import CheckResult, DocFigures
from etl.parsing.checks.tables import RULES as TABLE_RULES
from etl.parsing.checks.tables import TABLE_CHECKS
from etl.parsing.quality import grade
from etl.reports.audit import QUALITY_ZH, SEVERITY_ZH, UNGRADED_ZH, num, write_audit

ROOT = Path(__file__).resolve().parent.parent
PAGES = re.compile(r"^\d+(,\d+)*$")


# -- the grade --------------------------------------------------------------------------------------

def _fail(check_id: str) -> CheckResult:
    return CheckResult(check_id, "fail", "d", "m")


def _pass(check_id: str) -> CheckResult:
    return CheckResult(check_id, "pass", "d", "m")


ERROR, WARNING = "summary.grand_totals_balance", "sangong.parts_sum_to_total.actual"


def _grade3(*args) -> tuple:
    g = grade(*args)
    return g["quality"], g["checks_errors"], g["checks_warnings"]


def test_grade_on_hand_built_check_results():
    fin = "final_accounts"
    assert _grade3("ok", fin, [_pass(ERROR), _pass(WARNING)]) == ("clean", 0, 0)
    assert _grade3("ok", fin, [_fail(ERROR), _fail(WARNING), _fail(WARNING)]) == ("fail", 1, 2)
    assert _grade3("ok", fin, [_pass(ERROR), _fail(WARNING)]) == ("warn", 0, 1)
    # skipped checks and failed info checks never change the grade; checks rows (dicts) are read too
    assert _grade3("ok", fin, [CheckResult(ERROR, "skipped", "d", "m"), {"status": "fail", "severity": "info"}]) == (
        "clean", 0, 0)
    assert grade("ok", fin, [{"status": "fail", "severity": "error", "doubts": "totals"}])["quality"] == "fail"
    # the document's status: partial warns (fail still wins), failed fails without any check
    assert grade("partial", fin, [_pass(ERROR)])["quality"] == "warn"
    assert grade("partial", fin, [_fail(ERROR)])["quality"] == "fail"
    assert grade("failed", None, None) == {"quality": "fail", "checks_errors": None, "checks_warnings": None,
                                           "disclosure_defects": None, "figures_in_doubt": None}
    for kind, status in (("budget", "ok"), ("other", "failed")):
        assert set(grade(status, kind, None).values()) == {None}


def test_disclosure_defects_do_not_grade_the_figures():
    """A placeholder or a heading year (no figure in doubt) is a disclosure defect, counted apart; a
    broken identity puts its own figure groups in doubt, and only those."""
    fin = "final_accounts"
    slips = [_fail("metadata.placeholder"), _fail("metadata.year_consistent"),
             _fail("completeness.mandatory_table_missing")]
    assert grade("ok", fin, slips) == {"quality": "clean", "checks_errors": 0, "checks_warnings": 0,
                                       "disclosure_defects": 3, "figures_in_doubt": ""}
    broken = grade("ok", fin, [_fail("gpb_basic_expenditure.costs_equal_basic"), *slips, _fail(WARNING)])
    assert broken == {"quality": "fail", "checks_errors": 1, "checks_warnings": 1, "disclosure_defects": 3,
                      "figures_in_doubt": "cost"}  # a warning warns but puts nothing in doubt


# -- pages of the table checks ------------------------------------------------------------------------

def _table_check(check_id: str) -> bool:
    return any(check_id == r.prefix or check_id.startswith(r.prefix + ".") for r in TABLE_RULES)


@pytest.mark.parametrize("name", ["finance", "social"])
def test_every_compared_table_check_has_its_pages(real_pdfs, name):
    from etl.parsing.parse import parse_pdf

    parsed = parse_pdf(real_pdfs[name], "0" * 16)
    checks = [c for c in parsed.rows["checks"] if _table_check(c["check_id"])]
    compared = [c for c in checks if c["status"] != "skipped"]
    assert len(compared) >= 15, [c["check_id"] for c in checks]
    for c in compared:
        assert c["pages"] and PAGES.match(c["pages"]), c
        pages = [int(p) for p in c["pages"].split(",")]
        assert pages == sorted(set(pages)) and all(1 <= p <= parsed.document["pages"] for p in pages), c
    assert all(c["pages"] is None for c in checks if c["status"] == "skipped")
    # the grade of the parsed document is the grade of its own checks
    doc = parsed.document
    assert {k: doc[k] for k in grade(None, None, None)} == grade(
        doc["status"], doc["doc_kind"], parsed.rows["checks"])
    assert doc["checks_errors"] == 0 and doc["quality"] in ("clean", "warn")  # genuine reports contradict nothing


def _rows(table_key: str, page: int, total: str, basic: str, project: str) -> list[dict]:
    return [{"table_key": table_key, "level": "total", "code": None, "total": D(total), "basic": D(basic),
             "project": D(project), "page": page},
            {"table_key": table_key, "level": "class", "code": "201", "total": D(total), "basic": D(basic),
             "project": D(project), "page": page + 1}]


def test_table_check_pages_are_the_pages_of_the_rows_compared():
    functions = _rows("expenditure", 8, "112.30", "100.00", "12.30") + _rows("gpb_expenditure", 10, "112.30",
                                                                              "100.00", "12.30")
    functions[3]["basic"] = D("90.00")        # 05 class row on page 11: 基本 + 项目 ≠ 合计
    sangong = [{"item": k, "budget": D(b), "actual": D(a), "page": 14} for k, b, a in (
        ("total", "3.00", "2.50"), ("overseas", "1.00", "0.50"), ("vehicle_total", "1.00", "1.00"),
        ("vehicle_purchase", "0.00", "0.00"), ("vehicle_operation", "1.00", "1.00"), ("reception", "1.00", "1.00"))]
    figures = DocFigures(
        summary=[{"side": "income", "item": "grand_total", "amount": D("112.30"), "page": 5},
                 {"side": "expenditure", "item": "grand_total", "amount": D("112.30"), "page": 6}],
        fiscal_summary=[{"side": "expenditure", "item": "expenditure_total", "amount": D("112.30"),
                         "values": {"gpb": D("112.30")}, "page": 9}],
        function_rows=functions,
        economic_rows=[{"level": "class", "cost_group": "personnel", "amount": D("80.00"), "page": 12},
                       {"level": "class", "cost_group": "public", "amount": D("20.00"), "page": 13}],
        cost_totals={"personnel_cost": D("80.00"), "public_cost": D("20.00"), "page": 13},
        sangong=sangong,
        statements=[SimpleNamespace(scope="gpb_total", actual=D("112.30"), page=3),
                    SimpleNamespace(scope="sangong_total", actual=D("9.99"), page=4)],
    )
    got = {c.check_id: c for group in TABLE_CHECKS for c in group(figures)}
    assert got["summary.grand_totals_balance"].pages == "5,6"
    assert got["expenditure.classes_sum_to_total.total"].pages == "8,9"
    assert got["gpb_expenditure.total_is_basic_plus_project"].status == "fail"
    assert got["gpb_expenditure.total_is_basic_plus_project"].pages == "11"      # the row that disagrees
    assert got["expenditure.total_is_basic_plus_project"].pages == "8,9"         # passed: every row compared
    assert got["gpb_expenditure.total_equals_fiscal_summary"].pages == "9,10"
    assert got["gpb_basic_expenditure.costs_equal_basic"].pages == "10,13"
    assert got["gpb_basic_expenditure.personnel_classes_sum"].pages == "12,13"
    assert got["sangong.parts_sum_to_total.actual"].pages == "14"
    assert got["narrative.gpb_actual_matches_table"].pages == "3,10"
    assert got["narrative.sangong_matches_table"].status == "fail"
    assert got["narrative.sangong_matches_table"].pages == "4,14"
    assert got["narrative.items_match_table"].status == "skipped" and got["narrative.items_match_table"].pages is None
    assert got["summary.income_side_adds_up"].status == "skipped"
    assert got["summary.income_side_adds_up"].pages is None


# -- the grade in the Parquet -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_output(real_pdfs, tmp_path_factory) -> Path:
    """The real PDFs and two unreadable files through the batch with the real parser."""
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("out")
    for name, pdf in real_pdfs.items():
        shutil.copy(pdf, raw / f"{name}.pdf")
    (raw / "zero.pdf").write_bytes(b"")
    (raw / "html.pdf").write_text("<html><body>404</body></html>")
    run_batch(BatchOptions(raw, out, jobs=3, timeout=300, progress=False))
    return out


def test_quality_reaches_the_parquet(real_output):
    docs = {r["source_file"]: r for r in pq.read_table(real_output / "documents.parquet").to_pylist()}
    checks = pq.read_table(real_output / "checks.parquet").to_pylist()
    for name in ("finance", "social"):
        d = docs[f"{name}.pdf"]
        mine = [c for c in checks if c["doc_id"] == d["doc_id"]]
        assert mine and {k: d[k] for k in grade(None, None, None)} == grade(d["status"], d["doc_kind"], mine), name
        assert all(c["doubts"] is not None for c in mine), name
    assert docs["finance.pdf"]["quality"] != "fail" and docs["social.pdf"]["quality"] != "fail"
    template = docs["template.pdf"]  # a blank form (XX局, 20XX): recognised, never graded as a report
    assert (template["doc_kind"], template["quality"], template["department"]) == ("template", None, None)
    assert not [c for c in checks if c["doc_id"] == template["doc_id"]]
    for bad in ("zero.pdf", "html.pdf"):
        assert docs[bad]["status"] == "failed"
        assert (docs[bad]["quality"], docs[bad]["checks_errors"], docs[bad]["checks_warnings"]) == ("fail", None, None)


def test_audit_of_the_real_output_lists_every_failed_check(real_output, tmp_path):
    docs = write_audit(real_output, tmp_path)
    checks = pq.read_table(real_output / "checks.parquet").to_pylist()
    assert len(docs) == 5
    for d in docs:
        page = (tmp_path / d.file).read_text(encoding="utf-8")
        failed = [c for c in checks if c["doc_id"] == d.row["doc_id"] and c["status"] == "fail"]
        assert page.count('<div class="finding ') == len(failed), d.file
        assert QUALITY_ZH.get(d.quality, UNGRADED_ZH) in page


# -- the audit report ---------------------------------------------------------------------------------

def _doc(doc_id: str, department: str, year: int, **kw) -> dict:
    return {"doc_id": doc_id, "source_file": f"{department}{year}.pdf", "sha256": doc_id * 4, "region": "广州市天河区",
            "department": department, "department_type": department[6:], "year": year, "doc_kind": "final_accounts",
            "pages": 24, "status": "ok", "metadata_source": "document", **kw}


def _check(doc_id: str, check_id: str, status: str, severity: str, message: str, **kw) -> dict:
    return {"doc_id": doc_id, "check_id": check_id, "status": status, "severity": severity, "message": message,
            "detail": f"{check_id}: compared", **kw}


A, B, C, BUD, BAD = "a" * 16, "b" * 16, "c" * 16, "d" * 16, "e" * 16
#: (doc_id, check_id, pages, value_a, value_b) of every failing check in the hand-built corpus
FAILING = [
    (A, "summary.grand_totals_balance", "5", D("12345.67"), D("12445.67")),
    (A, "narrative.sangong_matches_table", "4,14", D("2.50"), D("1234567.89")),
    (B, "sangong.parts_sum_to_total.actual", "14", D("3.01"), D("3.00")),
]


@pytest.fixture(scope="module")
def hand_parquet(tmp_path_factory) -> Path:
    documents = [
        _doc(A, "广州市天河区财政局", 2022, quality="fail", checks_errors=1, checks_warnings=1),
        _doc(B, "广州市天河区教育局", 2022, quality="warn", checks_errors=0, checks_warnings=1),
        _doc(C, "广州市天河区卫生健康局", 2022, quality="clean", checks_errors=0, checks_warnings=0),
        _doc(BUD, "广州市天河区民政局", 2023, doc_kind="budget"),
        {"doc_id": BAD, "source_file": "坏/文件.pdf", "sha256": "", "status": "failed", "error": "empty file (0 bytes)",
         "quality": "fail"},
    ]
    checks = [
        _check(A, "summary.grand_totals_balance", "fail", "error",
               "收入支出决算总表：收入总计 12345.67 与支出总计 12445.67 不符", pages="5",
               value_a=D("12345.67"), source_a="收入总计", value_b=D("12445.67"), source_b="支出总计"),
        _check(A, "narrative.sangong_matches_table", "fail", "warning", "情况说明与表：“三公”经费决算数不符",
               pages="4,14", value_a=D("2.50"), source_a="情况说明中“三公”经费决算数", value_b=D("1234567.89"),
               source_b="“三公”经费支出决算表合计决算数"),
        _check(A, "expenditure.classes_sum_to_total.total", "pass", "error", "支出决算表：相符", pages="8,9"),
        _check(B, "sangong.parts_sum_to_total.actual", "fail", "warning",
               "“三公”经费表：分项之和 3.01 与合计 3.00 不符", pages="14",
               value_a=D("3.01"), source_a="因公出国（境）+ 公务用车 + 公务接待", value_b=D("3.00"),
               source_b="合计"),
        _check(B, "summary.grand_totals_balance", "skipped", "error", "收入支出决算总表：支出总计未列示，未校验"),
        _check(C, "summary.grand_totals_balance", "pass", "error", "收入支出决算总表：相符", pages="5"),
    ]
    return write_tables(tmp_path_factory.mktemp("hand"), {"documents": documents, "checks": checks})


@pytest.fixture(scope="module")
def audit_out(hand_parquet, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    (out / ("f" * 16 + "_旧部门_2019.html")).write_text("stale")     # a page of an earlier run
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "audit", "--parquet", str(hand_parquet), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def _pages(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.html") if p.name != "index.html"}


def test_one_page_per_document_with_a_safe_unique_name(audit_out):
    out, _ = audit_out
    pages = _pages(out)
    assert sorted(pages) == sorted([f"{A}_广州市天河区财政局_2022.html", f"{B}_广州市天河区教育局_2022.html",
                                    f"{C}_广州市天河区卫生健康局_2022.html", f"{BUD}_广州市天河区民政局_2023.html",
                                    f"{BAD}_未知部门_未知年度.html"])
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in pages:
        assert f'href="{name}"' in index
        assert 'href="index.html"' in pages[name]


def test_every_failing_check_appears_with_its_pages_and_both_figures(audit_out):
    out, _ = audit_out
    pages = _pages(out)
    by_doc = {name[:16]: text for name, text in pages.items()}
    for doc_id, check_id, where, a, b in FAILING:
        page = by_doc[doc_id]
        block = re.search(rf'<div class="finding [^"]*" data-check="{re.escape(check_id)}".*?</div>', page, re.S)
        assert block, (doc_id, check_id)
        text = block.group(0)
        assert f'data-pages="{where}"' in text
        assert all(f" 第 {p} 页" in text for p in where.split(","))  # each cited as `<file> 第 N 页`
        assert num(a) in text and num(b) in text and num(a - b) in text
    assert "1,234,567.89" in by_doc[A] and "12,445.67" in by_doc[A]          # thousands separators
    # grouped by severity, errors first; the label of the rule heads each finding
    a_page = by_doc[A]
    assert a_page.index(f"{SEVERITY_ZH['error']}（1 项）") < a_page.index(f"{SEVERITY_ZH['warning']}（1 项）")
    assert "收入支出决算总表：收入总计 = 支出总计" in a_page
    assert "错误 1 项、警告 1 项、提示 0 项" in a_page
    # passed and not-run checks are collapsed
    assert re.search(r'<details class="passed"><summary>通过的校验（1 项）', a_page)
    assert re.search(r'<details class="skipped"><summary>未校验（数据未列示，1 项）', by_doc[B])
    assert '<div class="finding' not in by_doc[C] and "所有已运行的校验均通过" in by_doc[C]
    assert "未评级" in by_doc[BUD] and "未运行校验" in by_doc[BUD]
    assert "解析失败" in by_doc[BAD] and "未通过" in by_doc[BAD]


def test_index_counts_equal_the_parquet(audit_out, hand_parquet):
    out, stdout = audit_out
    index = (out / "index.html").read_text(encoding="utf-8")
    con = duckdb.connect()
    expected = dict(con.execute(f"SELECT coalesce(quality, 'none'), count(*) FROM "
                                f"'{hand_parquet / 'documents.parquet'}' GROUP BY 1").fetchall())
    shown = {q: int(n.replace(",", "")) for q, n in re.findall(
        r'<tr data-quality="(\w+)">.*?<td class="num">([\d,]+)</td>', index)}
    assert shown == expected == {"fail": 2, "warn": 1, "clean": 1, "none": 1}
    failed = dict(con.execute(f"SELECT check_id, count(*) FROM '{hand_parquet / 'checks.parquet'}' "
                              "WHERE status = 'fail' GROUP BY 1").fetchall())
    rules = {r: int(n) for r, n in re.findall(r'<tr data-rule="([\w.]+)">.*?<td class="num">(\d+)</td>', index)}
    assert rules == {"summary.grand_totals_balance": 1, "narrative.sangong_matches_table": 1,
                     "sangong.parts_sum_to_total": 1}
    assert sum(rules.values()) == sum(failed.values())
    assert "“三公”经费表：因公出国（境）+ 公务用车 + 公务接待 = 合计" in index      # the rule's Chinese label
    assert f"共 {len(_pages(out))} 个文件" in index
    # the terminal table
    assert "audit: 5 documents" in stdout
    assert re.search(r"fail\s+2\s+未通过", stdout) and re.search(r"clean\s+1\s+无问题", stdout)
    assert "summary.grand_totals_balance" in stdout and "收入支出决算总表：收入总计 = 支出总计" in stdout


def test_a_page_of_an_earlier_run_is_removed(audit_out):
    out, _ = audit_out
    assert not (out / ("f" * 16 + "_旧部门_2019.html")).exists()


def test_audit_pages_open_offline_in_chromium(audit_out, tmp_path):
    from test_report import _TEXT_JS, ENGLISH_RUN, _offline_context, _require_chromium

    _require_chromium()
    from playwright.sync_api import sync_playwright

    out, _ = audit_out
    problems = []
    with sync_playwright() as p:
        ctx, external = _offline_context(p, tmp_path)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto((out / "index.html").as_uri())
        pages = [page.evaluate(_TEXT_JS)]
        assert "部门决算审核总览" in pages[0]
        page.click(f'a[href^="{A}"]')                        # the link opens the document's page
        page.wait_for_load_state()
        assert page.url.endswith(".html") and A in page.url
        pages.append(page.evaluate(_TEXT_JS))
        assert "审核报告：广州市天河区财政局 2022 年度" in pages[1]
        assert page.locator("details.passed").evaluate("d => d.open") is False     # collapsed
        page.goto((out / f"{BAD}_未知部门_未知年度.html").as_uri())
        pages.append(page.evaluate(_TEXT_JS))
        ctx.close()
    for text in pages:
        english = ENGLISH_RUN.findall(text)
        if english:
            problems.append(f"English prose: {english[:3]}")
        for bad in ("None", "nan", "NaN", "null"):
            if re.search(rf"\b{bad}\b", text):
                problems.append(f"{bad!r} in the visible text")
    assert not external, external
    assert not errors, errors
    assert not problems, problems
