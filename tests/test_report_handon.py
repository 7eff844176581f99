"""`juesuan report` as a researcher uses it and hands it on (issue 20, points 4, 5 and 6).

- Before any ETL, or on a selection that matches nothing, the command stops with a message naming
  the folder and what to run first, and writes no page about zero files.
- `--region/--years/--department` reach every notebook through its parameters cell; the pages hold
  only the selection (recomputed here from the hand-built rows), their names carry the parameters,
  a second run with nothing changed executes nothing.
- The pages link to each other, the index and the audit, every link resolving; each states its date,
  version and data snapshot (the input files' sha256), in zh-CN, with no path of this machine and no
  instructions meant for the analyst in JupyterLab.

One `juesuan audit` and one parameterised `juesuan report` of two notebooks per module.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest
import report_fixture

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STEMS = ("03_personnel_public", "05_department_profile")
NAMES = {"03_personnel_public": "03_personnel_public--天河区-2020-2022.html",
         "05_department_profile": "05_department_profile--天河区-卫生健康局-2020-2022.html"}
SELECTION = ["--region", "天河区", "--years", "2020-2022", "--department", "卫生健康局"]


def juesuan(*args: str, cwd: Path = ROOT, **env_extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")} | {"PYTHONWARNINGS": ""} | env_extra
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=900)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    base = tmp_path_factory.mktemp("handon")
    hand = report_fixture.write(base / "parquet")
    notebooks = base / "notebooks"
    notebooks.mkdir()
    for stem in STEMS:
        shutil.copy(NOTEBOOKS / f"{stem}.py", notebooks / f"{stem}.py")
    for d in report_fixture.department_years():             # the PDFs, where juesuan etl read them
        pdf = base / "raw" / d["region"] / f"{d['department']}{d['year']}年度部门决算.pdf"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.4\n")
    return base, hand, notebooks


@pytest.fixture(scope="module")
def built(work):
    """The audit, then the reports beside it with a selection, then the same command again."""
    base, hand, notebooks = work
    audit = juesuan("audit", "--parquet", str(hand), "--out", str(base / "audit"), JUESUAN_RAW=str(base / "raw"))
    assert audit.returncode == 0, audit.stdout + audit.stderr
    args = ["report", "--parquet", str(hand), "--out", str(base / "reports"), "--notebooks", str(notebooks),
            *SELECTION, "--pdfs", str(base / "raw")]
    first = juesuan(*args)
    second = juesuan(*args)
    return base, first, second


def test_report_before_any_etl_names_the_folder_and_the_command_to_run(tmp_path):
    proc = juesuan("report", "--parquet", str(tmp_path / "data" / "parquet"), "--out", str(tmp_path / "r"))
    assert proc.returncode == 2
    assert str(tmp_path / "data" / "parquet") in proc.stderr and "juesuan etl" in proc.stderr
    assert not (tmp_path / "r").exists()


def test_report_on_an_etl_output_without_documents_stops(tmp_path):
    from etl.analysis.synthetic import write_tables

    pq = write_tables(tmp_path / "pq", {"documents": []})
    proc = juesuan("report", "--parquet", str(pq), "--out", str(tmp_path / "r"))
    assert proc.returncode == 2 and "没有任何文件" in proc.stderr and "juesuan etl" in proc.stderr
    assert not (tmp_path / "r" / "01_overview.html").exists()   # no page stating facts about zero files


@pytest.mark.parametrize("selection, message", [
    (["--region", "越秀区"], "没有与地区「越秀区」匹配的文件。数据中的地区：广州市天河区、广州市海珠区"),
    (["--years", "2021"], "所选年度（2021）没有文件。有文件的年度：2019–2020、2022"),
])
def test_report_refuses_a_selection_matching_nothing(work, selection, message, tmp_path):
    _, hand, _ = work
    proc = juesuan("report", "--parquet", str(hand), "--out", str(tmp_path / "r"), *selection)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert not list((tmp_path / "r").glob("*.html")) if (tmp_path / "r").exists() else True


def test_a_notebook_refuses_a_selection_matching_nothing(work):
    from etl.analysis.notebook import setup
    from etl.analysis.select import SelectionError

    _, hand, _ = work
    with pytest.raises(SelectionError, match="没有与地区「越秀区」匹配的文件"):
        setup(hand, region="越秀区")


def test_every_notebook_has_a_tagged_parameters_cell():
    from etl.reports.notebooks import notebook_sources, read_notebook
    from etl.reports.params import declared

    for src in notebook_sources(NOTEBOOKS):
        names = declared(read_notebook(src))
        assert {"REGION", "YEARS", "ALL_QUALITY", "SANGONG_BASIS"} <= names, src.name
        assert ("DEPARTMENT" in names) == src.stem.startswith("05"), src.name
        assert "JUESUAN_REGION" not in src.read_text(encoding="utf-8"), src.name


def test_output_names_carry_the_parameters_and_the_index_lists_them(built):
    base, first, _ = built
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    out = base / "reports"
    assert sorted(p.name for p in out.glob("*.html")) == sorted([*NAMES.values(), "index.html"])
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in NAMES.values():
        assert f'href="{name}"' in index
    assert "地区 天河区；年度 2020–2022" in index


def _chart_rows(page: str, field: str) -> list[dict]:
    rows = []
    for m in re.finditer(r"var spec=", page):
        spec, _ = json.JSONDecoder().raw_decode(page, m.end())
        for data in spec.get("datasets", {}).values():
            rows += [r for r in data if field in r]
    return rows


def test_a_region_report_holds_only_that_regions_departments(built):
    base, first, _ = built
    assert first.returncode == 0, first.stderr[-3000:]
    out = base / "reports"
    want = {(d["department"], d["year"]) for d in report_fixture.included()
            if d["region"] == report_fixture.TIANHE and d["year"] in (2020, 2022)}
    page = (out / NAMES["03_personnel_public"]).read_text(encoding="utf-8")
    got = {(r["部门"], r["年度"]) for r in _chart_rows(page, "人员公用比")}
    assert got == want
    assert "海珠区" not in re.sub(r"<[^>]+>", "", page)
    # the inputs listed are exactly the selection's files
    sha = {d["doc_id"] * 8 for d in report_fixture.department_years()
           if d["region"] == report_fixture.TIANHE and d["year"] in (2020, 2022)}
    assert set(re.findall(r"<td><code>([0-9a-f]+)</code></td>", page)) == sha
    profile = (out / NAMES["05_department_profile"]).read_text(encoding="utf-8")
    assert "本页年度：2020、2022" in profile and "广州市天河区卫生健康局" in profile


def test_a_second_report_with_nothing_changed_executes_nothing(built):
    _, _, second = built
    assert second.returncode == 0, second.stderr[-3000:]
    assert "nothing executed" in second.stdout and second.stdout.count("up to date, not executed") == len(STEMS)


_LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
_META_JS = """() => { const m = document.querySelector('.juesuan-meta');
    return m ? {text: m.innerText, files: m.querySelectorAll('details.inputs tr').length} : null; }"""
_VISIBLE_JS = "() => document.body.innerText"


def _resolves(page_path: Path, href: str) -> bool:
    url = urlparse(href)
    if url.scheme or url.netloc:
        return False                                   # nothing may point off the folder
    target = (page_path.parent / unquote(url.path)).resolve() if url.path else page_path
    if not target.is_file():
        return False
    if url.fragment and target.suffix == ".html":
        ids = set(re.findall(r'\bid="([^"]*)"', target.read_text(encoding="utf-8")))
        # the HTML standard looks the raw fragment up first, then its percent-decoded form
        return bool({url.fragment, unquote(url.fragment), html_lib.escape(unquote(url.fragment))} & ids)
    return True


def test_pages_link_resolve_and_state_date_version_snapshot_in_chinese(built, tmp_path):
    from test_report import _offline_context, _require_chromium

    _require_chromium()
    from playwright.sync_api import sync_playwright

    base, first, _ = built
    assert first.returncode == 0, first.stderr[-3000:]
    out = base / "reports"
    problems: list[str] = []
    with sync_playwright() as p:
        ctx, _ = _offline_context(p, tmp_path)
        for name in [*NAMES.values(), "index.html"]:
            page = ctx.new_page()
            page.goto((out / name).as_uri())
            links = page.evaluate(_LINKS_JS)
            meta = page.evaluate(_META_JS)
            text = page.evaluate(_VISIBLE_JS)
            lang = page.evaluate("() => document.documentElement.lang")
            page.close()
            problems += [f"{name}: link {h!r} does not resolve" for h in links if not _resolves(out / name, h)]
            if lang != "zh-CN":
                problems.append(f"{name}: lang={lang!r}")
            if ("index.html" not in links and name != "index.html") or "../audit/index.html" not in links:
                problems.append(f"{name}: no link to the index or the audit: {links}")
            if name != "index.html":
                if not meta or not re.search(r"生成于 \d{4}-\d\d-\d\d \d\d:\d\d · juesuan \S+", meta["text"]):
                    problems.append(f"{name}: no date/version: {meta}")
                elif "数据快照 content-" not in meta["text"] or meta["files"] != 4:
                    problems.append(f"{name}: snapshot or input list missing: {meta}")
                siblings = {n for n in NAMES.values() if n != name}
                if not siblings <= set(links):
                    problems.append(f"{name}: no link to {siblings - set(links)}")
            raw = (out / name).read_text(encoding="utf-8")
            for path in {str(base), str(ROOT), str(Path.home()), str(tmp_path.parent)}:
                if path in raw or html_lib.escape(path) in raw:
                    problems.append(f"{name}: machine path {path} in the HTML")
            for prose in ("参数单元格", "JUESUAN_", "环境变量", "全部运行"):
                if prose in text:
                    problems.append(f"{name}: analyst prose {prose!r} on the reader's page")
        ctx.close()
    assert not problems, "\n".join(problems)


def test_audit_pages_cite_the_pdf_page_as_a_link(built):
    base, *_ = built
    page = next((base / "audit").glob("*海珠区财政局_2020*.html")).read_text(encoding="utf-8")
    want = "../raw/" + quote("广州市海珠区/广州市海珠区财政局2020年度部门决算.pdf") + "#page=5"
    assert f'href="{want}"' in page
    assert _resolves(base / "audit" / "x.html", want.split("#")[0])


def test_report_tables_cite_the_pdf_page_as_a_link(tmp_path, monkeypatch):
    """A table cell of `show` links to `file.pdf#page=N`, relative from the report folder; no link to a
    PDF that is not there."""
    import polars as pl

    from etl.analysis.notebook import pdf_link, table_html

    (tmp_path / "raw" / "甲区").mkdir(parents=True)
    (tmp_path / "raw" / "甲区" / "a b.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.setenv("JUESUAN_RAW", str(tmp_path / "raw"))
    monkeypatch.setenv("JUESUAN_PAGE_DIR", str(tmp_path / "reports"))
    assert pdf_link("甲区/a b.pdf", 7) == "../raw/" + quote("甲区/a b.pdf") + "#page=7"
    assert pdf_link("甲区/missing.pdf", 7) is None and pdf_link("../../etc/passwd", 1) is None
    df = pl.DataFrame({"出处": ["甲区/a b.pdf 第 7 页", "x"], "链接": [pdf_link("甲区/a b.pdf", 7), None]})
    html = table_html(df, links={"出处": "链接"})
    assert f'<a href="../raw/{quote("甲区/a b.pdf")}#page=7">甲区/a b.pdf 第 7 页</a>' in html
    assert "链接" not in html and ">x</td>" in html


def test_department_profile_cites_each_figures_page_as_a_link_to_its_pdf(built):
    """05's 数据来源 table: every page number a figure is printed on opens that page of its PDF."""
    base, first, _ = built
    assert first.returncode == 0, first.stderr[-3000:]
    page = base / "reports" / NAMES["05_department_profile"]
    links = re.findall(r'href="([^"]+#page=\d+)"', page.read_text(encoding="utf-8"))
    years = {2020, 2021, 2022} & {d["year"] for d in report_fixture.department_years()
                                  if d["region"].endswith("天河区") and "卫生健康" in d["department"]}
    assert len(links) >= len(years) and all(_resolves(page, h) for h in links), links
