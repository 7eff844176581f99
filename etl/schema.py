"""Every output table and column, declared once.

The Parquet writer enforces these schemas and `juesuan dictionary` renders
`docs/data-dictionary.md` from them, so the two cannot drift apart.
Amounts are DECIMAL(18,2) in 万元 unless the column name carries another unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

AMOUNT = pa.decimal128(18, 2)
PCT = pa.decimal128(9, 2)


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    one_row_per: str
    source: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> Column:
    return Column(name, type_, description, nullable)


DOC_ID = _c("doc_id", pa.string(), "Document key: first 16 hex digits of the PDF's sha256.", False)
PAGE = _c("page", pa.int32(), "1-based PDF page the figure was read from.")
OCR_CONFIDENCE = _c(
    "ocr_confidence", pa.float64(),
    "Lowest confidence (0–1) the OCR recogniser gave the words this row's figures were read from (for a row read "
    "from the narrative: the words of the lines it was read from); NULL when no figure of the row was read by OCR "
    "(the PDF's text layer, or cells printed blank). A table reading the identities corrected, or a look-alike "
    "reading none confirms, is listed in checks (ocr.readings_corrected, ocr.readings_unconfirmed).")

TABLE_KEYS: dict[str, str] = {
    "income_expenditure_summary": "收入支出决算总表 (公开01)",
    "income": "收入决算表 (02)",
    "expenditure": "支出决算表 (03)",
    "fiscal_summary": "财政拨款收入支出决算总表 (04)",
    "gpb_expenditure": "一般公共预算财政拨款支出决算表 (05)",
    "gpb_basic_expenditure": "一般公共预算财政拨款基本支出决算表 (06)",
    "sangong": "（一般公共预算）财政拨款“三公”经费支出决算表 (07)",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表 (08)",
    "state_capital": "国有资本经营预算财政拨款收入支出决算表 (09)",
    "fiscal_expenditure": "财政拨款支出决算表 across all funds (高等学校 and central-unit templates; not the "
                          "一般公共预算 table 05)",
    "sangong_related": "a 三公 table beside 07: for 政府性基金 only, or the all-fund 三公 and 机关运行经费 table where "
                       "a 一般公共预算 三公 table follows (云南 2023); read into related_costs, never into sangong",
    "other": "a table none of the above (its printed title is in `title`); it ends the table before it",
}

TABLES: dict[str, Table] = {}


def _register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


DOCUMENTS = _register(Table(
    "documents", "source PDF", "the whole PDF (cover, title lines, narrative)",
    (
        DOC_ID,
        _c("source_file", pa.string(), "Path of the PDF relative to the raw root, '/'-separated.", False),
        _c("sha256", pa.string(), "SHA-256 of the PDF bytes (hex).", False),
        _c("file_bytes", pa.int64(), "Size of the PDF in bytes."),
        _c("region", pa.string(), "District/county or city the department belongs to, e.g. 广州市天河区."),
        _c("department", pa.string(), "Full department name as printed on the cover/title."),
        _c("department_type", pa.string(),
           "Department name without its region prefix, aliases unified (e.g. 财政局), for cross-region comparison."),
        _c("year", pa.int32(), "Fiscal year the accounts are for."),
        _c("doc_kind", pa.string(),
           "final_accounts (部门决算), budget (部门预算: recognised, none of its figures is written) or other "
           "(no 决算 title and none of the standard tables, or a region's 本级汇总 三公 page — every department "
           "together, no department's report: status failed) or template (a blank form with "
           "placeholders such as XX局, not a department's report: no figures written)."),
        _c("template", pa.string(),
           "Report family recognised from the document itself (etl/parsing/families.py): district (the national "
           "district/county template, 9 tables), district_legacy (its older forms: 公共财政 wording, 8 tables, "
           "unnumbered), central (central departments and their units), university (the 高等学校 template); "
           "NULL when not recognised."),
        _c("report_form", pa.string(),
           "Province form of the report (etl/parsing/families.py recognise_form): sichuan (名词解释 before the tables, "
           "which come last as 附表), yunnan (第四部分 其他重要事项及相关口径), chongqing (决算公开说明), guangxi "
           "(…安排的“三公” title); NULL for the national form or one not recognised."),
        _c("body_kind", pa.string(),
           "hospital, school or town (乡镇/街道) from the department's name; NULL otherwise."),
        _c("scope_printed", pa.string(),
           "own_level where the report prints (本级) / 本级决算, consolidated where it prints 部门汇总数 / 含所属单位; "
           "NULL where it prints neither."),
        _c("report_scope", pa.string(),
           "department (部门决算: the whole department, consolidated) or unit (单位决算: one unit of it), so "
           "analyses do not add a unit to its own department."),
        _c("text_source", pa.string(),
           "Where the words were read: text (the PDF's text layer on every page), ocr (every page read by OCR: a "
           "scan, or a text layer that is missing or garbled) or mixed (some pages by OCR; the check "
           "source.ocr_pages names them and why)."),
        _c("source_format", pa.string(),
           "The kind of file the report was read from: pdf, html (a saved web page: its tables read from its HTML "
           "tables, its text as the narrative) or text (a .txt file: a web page's or a PDF's text). A web page's or "
           "text file's pages are synthetic (document_pages.position says where each is in the file)."),
        _c("page_source", pa.string(),
           "Which library read the PDF's text layer, as `juesuan etl --pages` asked: pdfium (the default) or "
           "pdfplumber (the reference, tested to give the same rows; PDFium hands to pdfplumber the files and "
           "pages it reads otherwise than pdfminer: one it cannot open or with a stream /Length past its end, a "
           "page it cannot load, glyphs without a "
           "Unicode mapping, a page it finds nothing on). Set for a failed PDF too (its error may come from the "
           "source); NULL for a web page or text file, and for a file refused before any source read it (not a "
           "PDF, unreadable)."),
        _c("publication", pa.string(),
           "What the report publishes: full (standard tables and a narrative), tables_only, narrative_only, or "
           "sangong_only (a stand-alone 三公 disclosure: the 三公 table and/or its 总体/具体 text, nothing else; "
           "the tables it does not print are not counted missing). Only the figures it prints are written. NULL "
           "for a document that is not a final-accounts report."),
        _c("report_part", pa.int32(),
           "1-based position of the report in its file when one PDF holds several reports (a 部门 report and "
           "its units', or two departments'); 1 otherwise. Each report is its own document."),
        _c("companion_of", pa.string(),
           "doc_id of the document that carries this file's figures when the narrative and the tables of one "
           "department-year come as separate files (the two are parsed and checked as one report under that "
           "doc_id); NULL otherwise."),
        _c("unit", pa.string(), "Unit the tables were printed in (万元 or 元); amounts are always stored in 万元."),
        _c("layout", pa.string(), "Function-code layout of the tables: joined (7-digit codes) or split (类/款/项)."),
        _c("pages", pa.int32(), "Number of pages in the PDF (synthetic pages for a web page or text file)."),
        _c("status", pa.string(), "ok, partial (some standard tables unreadable) or failed (see error).", False),
        _c("error", pa.string(), "Why the document failed or is partial; NULL when ok."),
        _c("quality", pa.string(),
           "Quality grade of the figures from the status and the checks (etl/parsing/quality.py): fail (status "
           "failed, or a check of severity error that puts figures in doubt failed), warn (status partial, or such "
           "a check of severity warning failed) or clean. Disclosure defects (checks whose doubts is empty) and info "
           "checks never count. NULL for a budget or other document (not checked)."),
        _c("checks_errors", pa.int32(),
           "Checks of severity error that failed and put figures in doubt; NULL when no check was run (failed, "
           "budget or other document)."),
        _c("checks_warnings", pa.int32(),
           "Checks of severity warning that failed and put figures in doubt; NULL when no check was run."),
        _c("disclosure_defects", pa.int32(),
           "Failed checks that contradict no figure (doubts empty): a placeholder, a heading or 截至 year, a "
           "standard table not printed, a narrative figure of the wrong basis. The figures stand; the disclosure "
           "is defective. NULL when no check was run."),
        _c("figures_in_doubt", pa.string(),
           "The figure groups (sangong, cost, gpb, totals, items, narrative; comma-separated, sorted) that failed "
           "checks of severity error put in doubt: the analysis drops only these figures of the department-year. "
           "'' when none; NULL when no check was run."),
        _c("metadata_source", pa.string(), "document (read from the PDF) or manifest (overridden by --manifest)."),
        _c("manifest_department_id", pa.string(),
           "Stable department key set by the manifest (its department_id column); NULL when not given — the "
           "analysis layer's department_id then derives one from region and department_type."),
        _c("parser_version", pa.string(), "juesuan version that parsed the document."),
        _c("parse_seconds", pa.float64(), "Wall time spent parsing the document, seconds."),
    ),
))

TABLES_FOUND = _register(Table(
    "tables_found", "standard table found in a document", "table titles on each page",
    (
        DOC_ID,
        _c("table_key", pa.string(), "Which standard table: " + "; ".join(f"{k} = {v}" for k, v in TABLE_KEYS.items()),
           False),
        _c("title", pa.string(), "Title as printed (NFC, spaces removed)."),
        _c("first_page", pa.int32(), "First page of the table (1-based)."),
        _c("last_page", pa.int32(), "Last page of the table, continuation pages included."),
        _c("rows", pa.int32(), "Data rows parsed from the table."),
        _c("empty", pa.bool_(), "True when the table is printed without figures (本部门无…, 故本表无数据)."),
    ),
))

SUMMARY_ITEMS = _register(Table(
    "summary_items", "row of 收入支出决算总表 (01)", "收入支出决算总表",
    (
        DOC_ID,
        _c("side", pa.string(), "income or expenditure (left or right half of the table).", False),
        _c("item", pa.string(),
           "Stable key: income_total, fiscal_appropriation_income, gpb_income, gov_fund_income, "
           "state_capital_income, superior_subsidy_income, business_income, operating_income, "
           "affiliate_income, other_income, carryover_begin, use_of_reserves, grand_total (income side); "
           "expenditure_total, carryover_end, surplus_distribution, grand_total, function_class (one row per "
           "printed 功能分类 类, the label names it) (expenditure side). Where 财政拨款收入 is printed split by "
           "fund, fiscal_appropriation_income repeats the 一般公共预算财政拨款收入 row; a hospital's or school's "
           "财政补助收入 is fiscal_appropriation_income; 上年结转和结余 is carryover_begin; a bare 合计 closing the "
           "table after the side's 本年合计 is grand_total. NULL for a label not recognised, and for a hospital's "
           "or school's own rows no key means (医疗收入, 科教项目收入, 医疗业务支出, 管理费用 …)."),
        _c("label", pa.string(), "Row label as printed (NFC, spaces removed)."),
        _c("amount", AMOUNT, "决算数, 万元 (blank, '-' or '—' printed = 0)."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

FUNCTION_EXPENDITURE = _register(Table(
    "function_expenditure", "row of 支出决算表 (03) or 一般公共预算财政拨款支出决算表 (05)",
    "支出决算表, 一般公共预算财政拨款支出决算表",
    (
        DOC_ID,
        _c("table_key", pa.string(), "expenditure (03), gpb_expenditure (05) or fiscal_expenditure (财政拨款支出决算表 "
           "across all funds).", False),
        _c("code", pa.string(), "Function code: 3 (类), 5 (款) or 7 (项) digits; split 类/款/项 columns joined. "
           "NULL on the 合计 row."),
        _c("level", pa.string(), "total, class, section or item (合计/类/款/项).", False),
        _c("name", pa.string(), "科目名称 as printed, wrapped lines joined."),
        _c("total", AMOUNT, "合计 / 本年支出合计, 万元."),
        _c("basic", AMOUNT, "基本支出, 万元."),
        _c("project", AMOUNT, "项目支出, 万元."),
        _c("row_order", pa.int32(), "Position of the row in the printed table (0 = first)."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

ECONOMIC_EXPENDITURE = _register(Table(
    "economic_expenditure", "row of 一般公共预算财政拨款基本支出决算表 (06)", "一般公共预算财政拨款基本支出决算表",
    (
        DOC_ID,
        _c("code", pa.string(), "Economic classification code: 3 (类) or 5 (款) digits.", False),
        _c("level", pa.string(), "class or section (类/款).", False),
        _c("name", pa.string(), "科目名称 as printed."),
        _c("amount", AMOUNT, "决算数, 万元."),
        _c("cost_group", pa.string(),
           "personnel (人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助) or public (公用经费: every other class, "
           "304 对企事业单位的补贴 included)."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

COST_TOTALS = _register(Table(
    "cost_totals", "document with a 基本支出决算表", "一般公共预算财政拨款基本支出决算表 (合计 rows)",
    (
        DOC_ID,
        _c("personnel_cost", AMOUNT, "人员经费合计 as printed, 万元."),
        _c("public_cost", AMOUNT, "公用经费合计 as printed, 万元."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

SANGONG = _register(Table(
    "sangong", "三公 item of a document", "（一般公共预算）财政拨款“三公”经费支出决算表",
    (
        DOC_ID,
        _c("item", pa.string(), "total, overseas, vehicle_total, vehicle_purchase, vehicle_operation or reception.",
           False),
        _c("budget", AMOUNT, "预算数, 万元 (blank printed = 0)."),
        _c("actual", AMOUNT, "决算数, 万元 (blank printed = 0)."),
        _c("source", pa.string(),
           "table (the 三公 table) or narrative (stated only in the text; a report that states no 三公 at all "
           "has no rows)."),
        _c("budget_basis", pa.string(),
           "Which 预算 `budget` is: initial (年初预算), full_year (全年/调整预算) or unqualified (预算 printed "
           "with neither, as the national 三公 table's 预算数 heading); for table rows from the budget columns' "
           "heading. NULL when the narrative states no budget."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

RELATED_COSTS = _register(Table(
    "related_costs", "cost printed beside the 三公 in a 三公 table (a column, row or second table)",
    "“三公”经费及会议费、培训费 / 、机关运行经费情况表 / 政府性基金 三公 columns or table",
    (
        DOC_ID,
        _c("item", pa.string(), "meeting (会议费), training (培训费), admin_operation (机关运行经费), or a 三公 item "
           "(total, overseas, vehicle_total, vehicle_purchase, vehicle_operation, reception) of a fund other than "
           "一般公共预算 alone (the 一般公共预算 三公 is in sangong only).", False),
        _c("fund", pa.string(), "gpb (一般公共预算), gov_fund (政府性基金) or all (财政拨款, every fund) where "
           "the table says; NULL where it does not."),
        _c("budget", AMOUNT, "预算数, 万元; NULL where the table prints none."),
        _c("actual", AMOUNT, "决算数, 万元 (blank printed = 0)."),
        _c("source", pa.string(), "table (the only source so far).", False),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

BUDGET_EXECUTION = _register(Table(
    "budget_execution", "budget-versus-actual statement in the narrative", "情况说明 (narrative)",
    (
        DOC_ID,
        _c("scope", pa.string(), "gpb_total (whole 一般公共预算财政拨款支出), item (one 项), sangong_total or "
           "sangong_item (one 三公 item's budget, rate or difference as the text states it).", False),
        _c("path", pa.string(), "类/款/项 names joined by '/', as printed; for sangong_item the item (overseas, "
           "vehicle_total, vehicle_purchase, vehicle_operation, reception); NULL for the totals."),
        _c("code", pa.string(),
           "7-digit function code of the 项, linked by 项 (and 款) name to the 05/03 table; NULL if not linked."),
        _c("initial_budget", AMOUNT, "年初预算, 万元; NULL if not printed."),
        _c("full_year_budget", AMOUNT, "全年预算 / 调整预算, 万元; NULL if not printed."),
        _c("unqualified_budget", AMOUNT,
           "预算 printed with neither 年初 nor 全年/调整 (预算为 X, 完成预算 X 万元的 Z%), 万元; never put into "
           "initial_budget; NULL if not printed."),
        _c("actual", AMOUNT, "支出决算, 万元."),
        _c("completion_pct", PCT,
           "完成…的 Z% as printed (percent); NULL if absent or printed as no rate (--, --%, 基数为0,不可比)."),
        _c("budget_basis", pa.string(),
           "The budget completion_pct is against: initial (完成年初预算), full_year (完成全年/调整预算) or "
           "unqualified (完成预算, where the sentence prints no 年初/全年 budget it could mean); NULL when no rate."),
        _c("budget_difference", AMOUNT,
           "Difference against the budget as printed (比预算增加/减少 X, 决算数大于/小于预算数 X, 差值 X), signed "
           "决算 − 预算, 万元; NULL if not printed (never computed)."),
        _c("reason", pa.string(), "The printed explanation (主要原因…); NULL if absent."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

ITEM_YOY = _register(Table(
    "item_yoy", "year-on-year statement in the narrative (this year's 决算 against last year's)",
    "情况说明 (narrative), where a report compares with last year instead of a budget",
    (
        DOC_ID,
        _c("scope", pa.string(), "total (the whole 财政拨款支出 the sentence names) or item (one 项).", False),
        _c("path", pa.string(), "类/款/项 names joined by '/', as printed (NULL for total)."),
        _c("code", pa.string(), "7-digit function code of the 项, linked by name as in budget_execution; NULL if not."),
        _c("actual", AMOUNT, "This year's 决算, 万元."),
        _c("prior_actual", AMOUNT, "Last year's 决算 where printed, 万元; NULL otherwise."),
        _c("change", AMOUNT, "Change against last year as printed, signed (减少 = negative), 万元; NULL if absent."),
        _c("change_pct", PCT, "增长 / 下降 Z% as printed, signed (percent); NULL if absent."),
        _c("reason", pa.string(), "The printed explanation (主要原因…); NULL if absent."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

#: An implied prior value: 万元 to four decimals (actual ÷ (1 + pct/100) is not a printed figure).
PRIOR = pa.decimal128(18, 4)

PRIOR_YEAR_STATEMENTS = _register(Table(
    "prior_year_statements", "year-on-year statement in the narrative, with the prior value it implies",
    "情况说明 (narrative): 比上年增加/减少 X 万元，增长/下降 Y%，持平，上年决算数为 X",
    (
        DOC_ID,
        _c("scope", pa.string(), "What the statement is about: grand_total (收入、支出总计), income_total (收入合计), "
           "expenditure_total (支出合计), fiscal_total (财政拨款收入支出总计), gpb_total (一般公共预算财政拨款支出), "
           "sangong_total (“三公”经费), sangong_item (one 三公 item, named in path), admin_operation (机关运行经费) "
           "or item (one 项, from item_yoy).", False),
        _c("path", pa.string(), "For sangong_item the item (overseas, vehicle_total, vehicle_purchase, "
           "vehicle_operation, reception); for item the 类/款/项 names joined by '/'; NULL otherwise."),
        _c("code", pa.string(), "7-digit function code of the 项 (item rows), linked as in item_yoy; NULL if not."),
        _c("actual", AMOUNT, "This year's figure of the subject as the narrative prints it, 万元."),
        _c("change", AMOUNT, "Change against last year as printed, signed (减少 = negative; 持平 = 0), 万元; NULL "
           "if not printed."),
        _c("change_pct", PCT, "增长 / 下降 Z% as printed, signed (持平 = 0); NULL if not printed (or --, 不可比)."),
        _c("prior_stated", AMOUNT, "Last year's figure where the text prints it (上年决算数为 X), 万元; NULL "
           "otherwise."),
        _c("prior_implied", PRIOR, "The prior value the statement implies, 万元: prior_stated where "
           "printed, else actual − change, else actual ÷ (1 + change_pct/100); actual for 持平 (implied_from "
           "says which). NULL when nothing implies one (a % of −100 or less)."),
        _c("implied_from", pa.string(), "stated, change, pct or flat: how prior_implied was obtained."),
        _c("prior_low", PRIOR, "Lowest prior value the printed figures allow once their rounding (half "
           "a unit of the last printed digit of each) is taken into account, 万元."),
        _c("prior_high", PRIOR, "Highest such prior value, 万元 (NULL when unbounded)."),
        _c("sentence", pa.string(), "The sentence the statement was read from, as printed (NULL for item rows: "
           "see item_yoy)."),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

COUNTS = _register(Table(
    "counts", "count or scale the narrative prints (the denominators of a comparison)",
    "情况说明 (narrative): 三公 counts, 部门概况, 其他重要事项 (机关运行经费, 政府采购, 国有资产)",
    (
        DOC_ID,
        _c("kind", pa.string(),
           "What is counted: vehicles_held (公务用车保有量, 辆), vehicles_purchased (购置公务用车, 辆), vehicles_owned "
           "(国有资产: 共有车辆, 辆), overseas_groups (因公出国（境）团组, 个), overseas_people (出国（境）人次), "
           "reception_batches (公务接待批次), reception_people (公务接待人次), units_consolidated (决算单位构成 / "
           "纳入决算编制范围的单位, 个), staff_authorised (编制人数, 人), staff_actual (实有人数, 人), "
           "admin_operation_cost (机关运行经费, 万元), procurement_total / procurement_goods / "
           "procurement_works / procurement_services (政府采购总额 and 货物/工程/服务, 万元), procurement_sme "
           "(授予中小企业合同金额, 万元), "
           "equipment_over_50 / equipment_over_100 (单价 50 / 100 万元以上设备, 台（套）).", False),
        _c("value", pa.float64(), "The figure as printed (a count; money in 万元, a figure printed in 元 divided by "
           "10,000). Chinese numerals (一辆) read as numbers.", False),
        _c("unit", pa.string(), "The unit as a word: 辆, 个, 人次, 批次, 人, 台（套） or 万元 (money always 万元).",
           False),
        _c("scope", pa.string(), "For reception_batches / reception_people: domestic (国内) or foreign (外事) "
           "where the report splits them; NULL for the total (国内公务接待共N批次（其中外事接待K批次）: N the "
           "total) and every other kind."),
        _c("sentence", pa.string(), "The sentence the figure was read from, as printed (blanks squeezed).", False),
        OCR_CONFIDENCE,
        PAGE,
    ),
))

CHECKS = _register(Table(
    "checks", "consistency check run on a document", "computed by juesuan",
    (
        DOC_ID,
        _c("check_id", pa.string(), "Which check (see docs/data-dictionary.md, section checks).", False),
        _c("status", pa.string(), "pass, fail or skipped (inputs not printed).", False),
        _c("detail", pa.string(), "What was compared and, on fail, by how much it disagreed."),
        _c("severity", pa.string(),
           "What a failure means, from the check's rule (etl/parsing/checks/ rules; section checks below): error (a "
           "table identity is broken: 01 balances, 合计 = Σ 类 rows, 基本 + 项目 = 合计, 05 = 04, 06 = 05 基本支出, "
           "06 类 rows = cost totals), warning (two sources disagree and the analysis takes one: 三公 parts ≠ "
           "合计, narrative ≠ table) or info (reported only). Set on every status; a check matters when "
           "status = 'fail'. NULL only on rows not produced by etl.parsing.checks."),
        _c("message", pa.string(),
           "One line of Chinese a reviewer can act on: on fail what disagreed with what and by how much (e.g. "
           "支出决算表（合计列）：各类合计 12.30 与合计行 112.30 不符（差 100.00，允许 0.03）); on pass or skipped a "
           "short statement (相符 / 未列示，未校验)."),
        _c("pages", pa.string(),
           "PDF page(s) of the figures compared, comma-separated (e.g. '5,12'); NULL if not known."),
        _c("value_a", AMOUNT,
           "The first figure compared (e.g. the sum of the parts, or the narrative's figure), 万元."),
        _c("source_a", pa.string(), "Where value_a was read or how it was computed, in Chinese."),
        _c("value_b", AMOUNT, "The figure value_a was compared with (e.g. the printed 合计), 万元."),
        _c("source_b", pa.string(), "Where value_b was read, in Chinese."),
        _c("doubts", pa.string(),
           "The figure groups a failure of this check puts in doubt, comma-separated: sangong (07), cost (06 "
           "人员/公用经费), gpb (the 一般公共预算财政拨款 total and its completion), totals (01/03 totals), items "
           "(类/款/项 rows and per-项 statements), narrative (the narrative's own changes and shares). '' when a "
           "failure contradicts no figure: a disclosure defect. From the check's rule, narrowed per result where "
           "the check knows the item (etl/parsing/checks/base.py FIGURE_GROUPS)."),
    ),
))


DOCUMENT_PAGES = _register(Table(
    "document_pages", "page of a document that was read (every kind; none for a failed document)",
    "the files the document was read from",
    (
        DOC_ID,
        _c("page", pa.int32(),
           "The page number the document's rows carry (page, first_page, checks.pages …): 1-based within the document "
           "as parsed. A department-year whose tables and narrative are two files (the narrative's pages numbered "
           "after the tables'), or a report split out of a volume, numbers its pages unlike either file.", False),
        _c("source_file", pa.string(),
           "The file the page is in, as in documents.source_file (for a tables+narrative pair: the narrative file's "
           "name for its pages).", False),
        _c("file_page", pa.int32(),
           "The page's own 1-based number in source_file: cite a figure as `source_file 第file_page页`. For a web "
           "page or text file, the number of the synthetic page (cite its position instead).", False),
        _c("position", pa.string(),
           "Where a synthetic page is in its web page or text file (documents.source_format html or text): "
           "第N个表格（源文件第L行） for a table, 源文件第A–B行 (html) or 第A–B行 (text) for text; cite a figure "
           "as `source_file position`. NULL for a PDF page (file_page says it)."),
    ),
))

#: Tables about the runs rather than the documents

#: Tables about the runs rather than the documents: not rebuilt by the ETL, appended to by each run.
RUN_TABLES: dict[str, Table] = {}


def _seconds(stage: str, what: str) -> Column:
    return _c(f"{stage}_seconds", pa.float64(), f"Wall time of the {stage} stage ({what}), seconds; "
              "NULL if the run did not reach it.")


def _count(name: str, description: str) -> Column:
    return _c(name, pa.int64(), description + " NULL if the run stopped before it was known.")


RUNS = Table(
    "runs", "`juesuan run` or `juesuan etl` invocation on this output folder", "recorded by juesuan",
    (
        _c("run_id", pa.string(), "Random key of the run (12 hex digits).", False),
        _c("command", pa.string(), "run or etl.", False),
        _c("started_at", pa.timestamp("us", tz="UTC"), "When the run started.", False),
        _c("ended_at", pa.timestamp("us", tz="UTC"), "When the run ended (was recorded).", False),
        _c("host", pa.string(), "Host name of the machine that ran it."),
        _c("pid", pa.int64(), "Process id of the run."),
        _count("files_seen", "PDF files found under RAW_DIR."),
        _count("files_new", "Files not seen by the previous run."),
        _count("files_changed", "Files whose bytes (sha256) changed since the previous run."),
        _count("files_removed", "Files of the previous run no longer present."),
        _count("files_failed", "Files that failed in this run: unreadable, or parsed now with status failed."),
        _count("documents_parsed", "Documents parsed in this run (new, changed, or of an older parser version)."),
        _count("documents_ok", "Documents in the output with status ok."),
        _count("documents_partial", "Documents in the output with status partial."),
        _count("documents_failed", "Documents in the output with status failed."),
        _count("checks_failed", "Rows of checks with status fail in the output."),
        _count("reports_failed", "Notebooks that failed to execute (juesuan run)."),
        _c("output_written", pa.bool_(), "True when the Parquet tables were rebuilt, False when unchanged."),
        _seconds("discover", "finding and hashing the files"),
        _seconds("parse", "the worker pool"),
        _seconds("assemble", "writing the Parquet tables"),
        _seconds("report", "executing the notebooks; 0 when they were up to date"),
        _c("juesuan_version", pa.string(), "Version of juesuan that ran.", False),
        _c("parser_version", pa.string(), "Parser version (version + fingerprint of the parser's source).", False),
        _c("exit_code", pa.int32(), "Exit status of the command (see docs/scheduling.md).", False),
        _c("error", pa.string(), "Why the run did not finish normally; NULL when it did."),
    ),
)
RUN_TABLES[RUNS.name] = RUNS


def empty_table(name: str) -> pa.Table:
    return TABLES[name].arrow_schema().empty_table()
