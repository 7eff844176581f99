"""Parse one PDF: read pages → locate tables → parse rows → normalise → check.

`parse_pdf` is the single entry point the batch calls in a worker process; it never writes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from etl.document import DocumentError, ParsedDocument
from etl.normalise import clean_text, compact, squeeze
from etl.pagesource import DEFAULT_PAGES, read_pages, source_format
from etl.pagesource.page import Page, strip_running_lines
from etl.parsing.checks import DocFigures, name_key, run_checks
from etl.parsing.claims import read_claims
from etl.parsing.contents import contents_pages
from etl.parsing.families import body_kind, core_tables, recognise_form, recognise_template, report_scope, scope_printed
from etl.parsing.locate import LocatedTable, covered, locate_tables
from etl.parsing.metadata import Metadata, department_type, read_metadata
from etl.parsing.narrative import Statement, read_statements
from etl.parsing.narrative_counts import read_counts
from etl.parsing.narrative_sangong import read_sangong_item_statements, read_sangong_narrative
from etl.parsing.narrative_yoy import read_yoy_statements
from etl.parsing.prior_year import prior_year_rows
from etl.parsing.publication import SANGONG_ONLY, has_narrative, publication
from etl.parsing.quality import grade
from etl.parsing.readings import ocr_confidence, set_narrative_confidences, settle_report_readings
from etl.parsing.split import split_reports
from etl.parsing.tables.body import is_empty_note
from etl.parsing.tables.economic import parse_economic_table
from etl.parsing.tables.function import parse_function_table
from etl.parsing.tables.sangong import read_sangong
from etl.parsing.tables.summary import parse_summary
from etl.schema import TABLES

_UNIT = re.compile(r"单位[:：](万元|元)")


def table_unit(table: LocatedTable) -> str:
    page = table.pages[0]
    top, bottom = table.span(page)
    for line in [ln for ln in page.lines() if top - 40 <= ln.top < bottom][:10]:  # 单位 sits by the title
        m = _UNIT.search(squeeze(line.text))
        if m:
            return m.group(1)
    return "万元"


def parse_pdf(path, doc_id: str, ocr: str = "auto", pages: str = DEFAULT_PAGES) -> ParsedDocument:
    """Every report of one PDF: the first is the returned document, further ones its `parts`. Pages come
    from the text layer (read by the `pages` source), or from OCR where `ocr` asks for it
    (etl.pagesource.read_pages)."""
    sourced = read_pages(path, ocr, pages)
    pages = sourced.pages  # the source's name is in sourced.page_source; from here on, the pages read
    kind = source_format(path)
    if not pages:
        raise DocumentError("PDF has no pages" if kind == "pdf" else f"no text in the {_FORMAT_ZH[kind]}")
    if kind != "pdf" and not any(p.has_text() for p in pages):
        raise DocumentError(f"no text in the {_FORMAT_ZH[kind]}")
    if not any(p.has_text() for p in pages):
        raise DocumentError(f"no text on any of {len(pages)} pages: no text layer, and "
                            + ("nothing OCR could read (blank pages?)" if ocr != "off" else "OCR is off (--ocr off)"))
    reports = split_reports(pages)
    first = parse_report(reports[0], doc_id)
    first.parts = [parse_report(r, f"{doc_id}-{n}") for n, r in enumerate(reports[1:], start=2)]
    for n, doc in enumerate([first, *first.parts], start=1):
        doc.document["report_part"] = n
        doc.document["source_format"] = kind
        doc.document["page_source"] = sourced.page_source
    return first


def parse_report(pages: list[Page], doc_id: str) -> ParsedDocument:
    """One report's pages (a whole file, a part of a volume, or a narrative and its tables from two files)."""
    meta = read_metadata(pages)  # before stripping: a running header may be the only title
    strip_running_lines(pages)
    tables = locate_tables(pages)
    doc = _document(doc_id, pages, meta, tables)
    if doc["doc_kind"] != "final_accounts":  # a budget, a blank form or another PDF: no figure is 决算
        doc.update(_NOT_READ["aggregate" if meta.aggregate else doc["doc_kind"]])
        return ParsedDocument({**doc, **grade(doc["status"], doc["doc_kind"], None)},
                              {"document_pages": page_rows(pages, doc_id)})
    rows, problems = _parse_tables(tables, pages, doc_id, doc, meta)
    rows["document_pages"] = page_rows(pages, doc_id)
    problems += _unreadable_parts(pages, tables, doc["template"], owes_tables=doc["publication"] != SANGONG_ONLY)
    if problems:
        doc["status"], doc["error"] = "partial", "; ".join(problems)
    doc.update(grade(doc["status"], doc["doc_kind"], rows["checks"]))  # quality: clean / warn / fail
    return ParsedDocument(doc, rows)


def _document(doc_id: str, pages: list[Page], meta: Metadata, tables: list[LocatedTable]) -> dict:
    """The documents row the parser knows: metadata, kind, family and scope of the report."""
    kind = _doc_kind(meta, tables)
    early = _early_text(pages)
    doc = {
        "doc_id": doc_id, "region": meta.region, "department": meta.department,
        "department_type": department_type(meta.department, meta.region), "year": meta.year,
        "pages": len(pages), "metadata_source": "document", "unit": None, "layout": None,
        "doc_kind": kind, "status": "ok", "error": None, "text_source": text_source(pages),
        "report_scope": report_scope("".join(ln.key for p in pages[:2] for ln in p.lines()[:12]), early),
        # the family of a blank form is read from its titles and wording alone (its region is a placeholder)
        "template": None if kind == "other" else recognise_template(
            [t.title for t in tables], early, meta.region if kind != "template" else "(placeholder)"),
    }
    doc.update(_form(pages, tables, meta, early) if kind == "final_accounts" else
               {"report_form": None, "body_kind": None, "scope_printed": None})
    if kind == "template":  # placeholders name no department
        doc.update(region=None, department=None, department_type=None, report_scope=None)
    if kind == "final_accounts" and doc["template"] in ("central", "university") and not doc["region"]:
        doc["region"] = CENTRAL_REGION
    return doc


def _form(pages: list[Page], tables: list[LocatedTable], meta: Metadata, early: str) -> dict:
    """report_form, body_kind and scope_printed of a final-accounts report (etl.parsing.families)."""
    first = min((t.first_page for t in tables), default=pages[-1].number + 1)
    contents = {p.number for p in contents_pages(pages)}
    before = [p for p in pages if p.number < first and p.number not in contents]
    lines = [ln.key for p in before for ln in p.lines()]
    text = "".join(ln.key for p in pages for ln in p.lines())
    title = "".join(ln.key for p in pages[:2] for ln in p.lines()[:12])
    return {"report_form": recognise_form(text, lines, [t.title for t in tables]),
            "body_kind": body_kind(meta.department), "scope_printed": scope_printed(title, early)}


#: documents_pages.source_file while parsing: the file the document was read from (the batch writes its name)
OWN_FILE = ""


def page_rows(pages: list[Page], doc_id: str) -> list[dict]:
    """document_pages rows: each page's number as the document's rows carry it, and its number in its own file.
    A page of a split volume keeps its file's number; a companion pair renumbers (etl.batch.companions)."""
    return [{"doc_id": doc_id, "page": p.number, "source_file": OWN_FILE, "file_page": p.number,
             "position": p.position} for p in pages]


_FORMAT_ZH = {"html": "web page", "text": "text file"}

_NOT_READ = {
    "budget": {"error": "not a final-accounts report (a 预算 budget disclosure); no figures written"},
    "template": {"error": "a blank template (placeholders such as XX局), not a department's report; "
                          "no figures written"},
    "aggregate": {"status": "failed",
                  "error": "not a department's report: a region's 本级汇总 三公 disclosure (every department together, "
                           "会议费/培训费 possibly counted in its total); no figures written"},
    "other": {"status": "failed",
              "error": "not a final-accounts report: no 决算 title and none of the standard tables found"},
}


#: the region of a central department or unit (its name carries none)
CENTRAL_REGION = "中央"


def text_source(pages: list[Page]) -> str:
    """documents.text_source: text (every page from the text layer), ocr (every page by OCR) or mixed;
    a blank page, read by neither, counts for neither."""
    read = [p for p in pages if p.words]
    ocr = sum(p.source == "ocr" for p in read)
    return "text" if not ocr else "ocr" if ocr == len(read) else "mixed"


def _early_text(pages: list[Page]) -> str:
    return "".join(ln.key for p in pages[:12] for ln in p.lines())


def _unreadable_parts(pages: list[Page], tables: list[LocatedTable], template: str | None,
                      owes_tables: bool = True) -> list[str]:
    """What makes a final-accounts document partial beyond its tables: pages that are only an image
    (a scanned table pasted in), and core tables that could not be found (none owed by a stand-alone 三公
    disclosure)."""
    problems = []
    scanned = [p.number for p in pages if not p.char_count and p.image_count and p.source != "ocr"]
    if scanned:
        problems.append(f"{len(scanned)} page(s) are images without a text layer (scanned?): "
                        + ", ".join(map(str, scanned[:20])))
    missing = [k for k in core_tables(template) if owes_tables and k not in covered({t.key for t in tables})]
    if missing:
        problems.append("standard tables not found: " + ", ".join(missing))
    return problems


def _doc_kind(meta: Metadata, tables: list[LocatedTable]) -> str:
    """final_accounts, budget (a 预算 disclosure, table-only ones included), template or other."""
    standard = [t for t in tables if t.key != "other"]
    if meta.aggregate:
        return "other"  # a region's 本级汇总 三公 page: every department together, no department's 决算
    if meta.placeholder and all(_is_empty(t) for t in standard):
        return "template"  # placeholders and no figures: a blank form (placeholders in a filled-in report are
        # its unfinished name, flagged by metadata.placeholder)
    titles = [compact(t.title) for t in tables if t.key == "other"]
    budget_titles = [t for t in titles if "预算" in t and "决算" not in t]
    # a set opening with 收支预算总表 is a budget's table set even when it is the only table read
    opens_budget = bool(titles) and bool(_BUDGET_SUMMARY.search(titles[0]))
    if not standard and (meta.kind == "预算" or len(budget_titles) >= 2 or opens_budget):
        return "budget"
    if standard or meta.kind == "决算":
        return "final_accounts"
    return "other"


#: the first table of a 预算 disclosure: (部门/单位/财政拨款)收支预算总表
_BUDGET_SUMMARY = re.compile(r"收支预算总表$")


def _parse_tables(tables: list[LocatedTable], pages: list[Page], doc_id: str, doc: dict, meta: Metadata):
    standard = [t for t in tables if t.key != "other"]  # an unknown table is recorded, never read
    by_key = {t.key: t for t in standard}
    units = {t.key: table_unit(t) for t in standard}
    empty = {t.key: _is_empty(t) for t in standard}
    doc["unit"] = Counter(units.values()).most_common(1)[0][0] if units else "万元"
    problems: list[str] = []

    def guard(key: str, parse, default):
        """Parse one table; a failure costs that table only and makes the document partial."""
        if key not in by_key:
            return default
        try:
            return parse(by_key[key], units[key])
        except Exception as exc:  # a table we cannot read must not lose the rest of the document
            problems.append(f"{key}: {type(exc).__name__}: {exc}"[:300])
            return default

    summary = guard("income_expenditure_summary", parse_summary, [])
    fiscal = guard("fiscal_summary", parse_summary, [])
    functions = [row for key in ("expenditure", "gpb_expenditure", "fiscal_expenditure")
                 for row in guard(key, parse_function_table, [])]
    economic, costs = guard("gpb_basic_expenditure", parse_economic_table, ([], None))
    sangong_rows, related = guard("sangong", read_sangong, ([], []))
    sangong = [{**r, "source": "table"} for r in sangong_rows]
    related += guard("sangong_related", lambda t, u: read_sangong(t, u)[1], [])
    income = _income_rows(by_key.get("income"), units.get("income"))
    doc["layout"] = _layout(tables)
    narrative = narrative_pages(pages, tables)
    statements = read_statements(narrative) + read_sangong_item_statements(narrative)
    if "sangong" not in by_key:  # no 三公 table: the figures the text states, if it states any
        sangong = read_sangong_narrative(narrative)
    yoy = read_yoy_statements(narrative)
    scales = read_counts(narrative)
    sangong_text = [r for r in sangong if r["source"] == "narrative"]
    doc["publication"] = publication(set(by_key), has_narrative(narrative, statements, yoy, sangong_text),
                                     statements, yoy, sangong_text)
    set_narrative_confidences(narrative, statements,
                              [*yoy, *scales, *(r for r in sangong if r["source"] == "narrative")])
    _link_codes(statements + [_YoyPath(r) for r in yoy], functions)
    prior = prior_year_rows(read_claims(narrative), yoy, _sangong_figures(sangong))  # after _link_codes: 项 codes
    set_narrative_confidences(narrative, [], prior)
    readings = settle_report_readings(summary, fiscal, functions, economic, costs, sangong, units)
    table_sangong = [r for r in sangong if r["source"] == "table"]  # the checks compare the text with the table
    checks = run_checks(DocFigures(summary, fiscal, functions, economic, costs, table_sangong, statements, pages=pages,
                                   tables=tables, meta=meta, empty_tables={k for k, e in empty.items() if e},
                                   income_rows=income, template=doc.get("template"), readings=readings,
                                   publication=doc["publication"], counts=scales))
    counts = {"income_expenditure_summary": len(summary), "gpb_basic_expenditure": len(economic),
              "sangong": len(sangong), "sangong_related": len(related),
              **{k: sum(r["table_key"] == k for r in functions)
                 for k in ("expenditure", "gpb_expenditure", "fiscal_expenditure")}}
    problems += [f"{key}: no rows read" for key in by_key
                 if key in _ROW_TABLES and not counts[key] and not empty[key]]
    rows = {
        "tables_found": [{"doc_id": doc_id, "table_key": t.key, "title": clean_text(t.title),
                          "first_page": t.first_page, "last_page": t.last_page, "rows": counts.get(t.key, 0),
                          "empty": empty[t.key] if t.key in empty else _is_empty(t)}  # (a .get default: read twice)
                         for t in tables],
        "summary_items": [_strip("summary_items", r, doc_id) for r in summary],
        "function_expenditure": [_strip("function_expenditure", r, doc_id) for r in functions],
        "economic_expenditure": [_strip("economic_expenditure", r, doc_id) for r in economic],
        "cost_totals": [_strip("cost_totals", costs, doc_id)] if costs else [],
        "sangong": [_strip("sangong", r, doc_id) for r in sangong],
        "related_costs": [_strip("related_costs", r, doc_id) for r in related],
        "item_yoy": [_strip("item_yoy", r, doc_id) for r in yoy],
        "prior_year_statements": [_strip("prior_year_statements", r, doc_id) for r in prior],
        "counts": [_strip("counts", r, doc_id) for r in scales],
        "budget_execution": [_strip("budget_execution", vars(s), doc_id) for s in _budget_statements(statements, yoy)],
        "checks": [{"doc_id": doc_id, **vars(c)} for c in checks],
    }
    return rows, problems


def narrative_pages(pages: list[Page], tables: list[LocatedTable]) -> list[Page]:
    """The pages without a table, and of a page where the first table starts below text (a one-page 三公
    disclosure: its 总体/具体 text, then the table) the lines above that table's title."""
    out = []
    for page in pages:
        tops = [t.span(page)[0] for t in tables if any(p.number == page.number for p in t.pages)]
        if not tops:
            out.append(page)
            continue
        words = [w for ln in page.lines() if ln.bottom < min(tops) for w in ln.words]  # 0.0: continued from above
        if words:
            out.append(replace(page, words=words, _lines=None))
    return out


def _budget_statements(statements: list[Statement], yoy: list[dict]) -> list[Statement]:
    """The statements that are about a budget: a 项 paragraph with no budget figure and no completion % that
    compares with last year is a year-on-year statement (item_yoy), not a budget statement without a budget.
    (Its 决算 is still cross-checked against the tables: the checks take every statement.)"""
    yoy_paths = {r["path"] for r in yoy if r["scope"] == "item"}

    def states_no_budget(s: Statement) -> bool:
        return all(v is None for v in (s.initial_budget, s.full_year_budget, s.unqualified_budget,
                                        s.completion_pct, s.budget_difference))

    return [s for s in statements if not (s.scope == "item" and s.path in yoy_paths and states_no_budget(s))]


def _income_rows(table: LocatedTable | None, unit: str | None) -> list[dict]:
    """The rows of 收入决算表 (02), read for the checks only (the contract has no table for them): it
    has the function tables' shape. A layout it cannot read costs its check, never the document."""
    if table is None:
        return []
    try:
        return parse_function_table(table, unit or "万元")
    except Exception:  # noqa: BLE001 - 02 is checked, not written: an unreadable one is simply not compared
        return []


_ROW_TABLES = {"income_expenditure_summary", "expenditure", "gpb_expenditure", "gpb_basic_expenditure",
               "fiscal_expenditure"}
_MONEY = re.compile(r"^\d[\d,]*\.\d{1,2}$")


def _is_empty(table: LocatedTable) -> bool:
    """Printed without figures: no amount below the title, or a note such as 故本表无数据."""
    words = [w for p in table.pages for w in table.words(p)]
    text = "".join([w.text for w in words])
    return is_empty_note(text) or not any(_MONEY.match(w.text) for w in words)


def _layout(tables: list[LocatedTable]) -> str | None:
    for t in tables:
        if t.key in ("expenditure", "gpb_expenditure"):
            words = [w.text for p in t.pages for w in t.words(p)]
            if any(_JOINED_CODE.fullmatch(w) for w in words):
                return "joined"
            if any(_CLASS_CODE.fullmatch(w) for w in words):
                return "split"
    return None


_JOINED_CODE = re.compile(r"\d{7}")  # a function code printed in one cell (2010601)
_CLASS_CODE = re.compile(r"\d{3}")  # a class code in a column of its own (201 | 06 | 01)


def _sangong_figures(sangong: list[dict]) -> dict:
    """The 三公 table's 决算 by prior_year_statements subject: this year's figure of a year-on-year statement whose
    text prints none (…决算数与2023年度持平)."""
    return {("sangong_total", None) if r["item"] == "total" else ("sangong_item", r["item"]): r["actual"]
            for r in sangong if r.get("source") == "table" and r.get("actual") is not None}


class _YoyPath:
    """A year-on-year row seen as a statement by `_link_codes` (which sets its code)."""

    def __init__(self, row: dict):
        self.row, self.scope, self.path = row, row["scope"], row["path"]

    @property
    def code(self) -> str | None:
        return self.row.get("code")

    @code.setter
    def code(self, value: str | None) -> None:
        self.row["code"] = value


def _link_codes(statements: list[Statement], functions: list[dict]) -> None:
    """Attach the 7-digit code of the 05 (else 03) row whose 项 name (and 款 name) match."""
    items = [r for r in functions if r["level"] == "item"]
    sections = {r["code"]: name_key(r["name"]) for r in functions if r["level"] == "section"}
    for s in statements:
        if s.scope != "item" or not s.path:
            continue
        parts = [name_key(x) for x in s.path.split("/")]
        candidates = [r for r in items if name_key(r["name"]) == parts[-1]]
        if len({r["code"] for r in candidates}) > 1 and len(parts) > 1:
            candidates = [r for r in candidates if sections.get(r["code"][:5]) == parts[-2]] or candidates
        if candidates:
            s.code = sorted(candidates, key=lambda r: r["table_key"] != "gpb_expenditure")[0]["code"]


def _strip(table: str, row: dict, doc_id: str) -> dict:
    """Keep only the declared columns of the output table (a table row's OCR confidence from its words; a
    narrative row carries its own)."""
    confidence = row["ocr_confidence"] if "ocr_confidence" in row else ocr_confidence(row)
    columns = _COLUMNS.get(table)
    if columns is None:  # Table.column_names makes a new list per call; rows are stripped by the thousand
        columns = _COLUMNS[table] = TABLES[table].column_names
    get = row.get
    out = {c: get(c) for c in columns}  # the row is not copied: its doc_id and confidence are set in place below
    if "doc_id" in out:
        out["doc_id"] = doc_id
    if "ocr_confidence" in out:
        out["ocr_confidence"] = confidence
    return out


#: each output table's column names, by table (see _strip)
_COLUMNS: dict[str, list[str]] = {}
