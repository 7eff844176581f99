"""Every table and column `juesuan export` writes, declared once.

The export is checked against these declarations (a view whose columns differ fails the export),
the Parquet files are written with these arrow types, the Stata files take their variable
labels and value labels from here, and the codebook (codebook.md / codebook.csv, and the columns
section of docs/export.md) is generated from them.

The pattern is etl/schema.py's: its `Column` / `Table` classes, extended with what a researcher's
file needs besides a type and a description: a Chinese label (the Stata variable label, at most
80 characters) and, for a categorical column, its values with their Chinese labels (coded 1, 2, …
in the .dta file, in the order declared here). Columns copied from the Parquet tables reuse the
descriptions of etl/schema.py, so they are written only there.

    uv run python -m etl.analysis.export_schema docs/export.md   # refresh the columns section
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.schema import AMOUNT, PCT, Column, Table
from etl.schema import TABLES as PARQUET_TABLES

RATIO = pa.float64()
PERCENT = pa.float64()

#: Stata: a variable label holds at most 80 characters; a name 32 ASCII characters.
STATA_LABEL_MAX = 80
STATA_NAME_MAX = 32
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STATA_RESERVED = frozenset({"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
                            "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"})

#: Value labels of the boolean columns in the .dta file (0/1 there; true/false in CSV, Parquet, xlsx).
BOOL_LABELS = {0: "否", 1: "是"}


@dataclass(frozen=True)
class ExportColumn(Column):
    """A column of an export table: etl.schema's Column plus a Chinese label and value labels."""

    label: str = ""
    #: categorical column: (value, Chinese label) pairs; value i is coded i + 1 in the .dta file
    values: tuple[tuple[str, str], ...] = ()

    @property
    def codes(self) -> dict[str, int]:
        return {v: i for i, (v, _) in enumerate(self.values, 1)}

    @property
    def value_labels(self) -> dict[int, str]:
        """Stata value labels: code -> Chinese label (booleans: 0 = 否, 1 = 是)."""
        if self.values:
            return {i: lab for i, (_, lab) in enumerate(self.values, 1)}
        if pa.types.is_boolean(self.type):
            return dict(BOOL_LABELS)
        return {}


def col(name: str, type_: pa.DataType, label: str, description: str, values=(), nullable: bool = True
        ) -> ExportColumn:
    return ExportColumn(name, type_, description, nullable, label, tuple(values))


def from_parquet(table: str, name: str, label: str, values=(), *, description: str | None = None) -> ExportColumn:
    """A column copied from a Parquet table: its type and description come from etl/schema.py."""
    c = next(c for c in PARQUET_TABLES[table].columns if c.name == name)
    return ExportColumn(c.name, c.type, description or c.description, c.nullable, label, tuple(values))


# -- value labels ---------------------------------------------------------------------------------

QUALITY = (("clean", "无问题"), ("warn", "有警告"), ("fail", "未通过"))
#: What a narrative budget is (etl/schema.py budget_execution.budget_basis, sangong.budget_basis).
NARRATIVE_BASIS = (("initial", "年初预算"), ("full_year", "全年预算"), ("unqualified", "预算（未注明年初或全年）"))
BUDGET_BASIS = (("initial", "年初预算"), ("full_year", "全年预算"), ("printed_pct", "公开完成率"), ("none", "无"))
SANGONG_BASIS = (("printed", "公开合计"), ("parts", "分项之和"))
GPB_ACTUAL_SOURCE = (("narrative", "情况说明"), ("table", "支出决算表"))
EXECUTION_FLAG = (("over", "超预算"), ("under", "执行不足"), ("on_target", "基本持平"),
                  ("unbudgeted", "无预算支出"), ("idle", "无预算无支出"), ("no_budget", "未公开预算"))
SIDE = (("income", "收入"), ("expenditure", "支出"))
FUNCTION_TABLE = (("expenditure", "支出决算表"), ("gpb_expenditure", "一般公共预算财政拨款支出决算表"),
                  ("fiscal_expenditure", "财政拨款支出决算表（全部资金）"))
REPORT_SCOPE = (("department", "部门决算"), ("unit", "单位决算"))
TEMPLATE = (("district", "区县模板"), ("district_legacy", "区县旧版模板"), ("central", "中央部门及所属单位"),
            ("university", "高等学校模板"))
SANGONG_SOURCE = (("table", "三公经费表"), ("narrative", "情况说明"))
REPORT_FORM = (("sichuan", "四川格式"), ("yunnan", "云南格式"), ("guangxi", "广西格式"), ("chongqing", "重庆格式"))
BODY_KIND = (("hospital", "医院"), ("school", "学校"), ("town", "乡镇/街道"))
SOURCE_FORMAT = (("pdf", "PDF"), ("html", "网页"), ("text", "文本"))
PUBLICATION = (("full", "完整报告"), ("tables_only", "仅表格"), ("narrative_only", "仅情况说明"),
               ("sangong_only", "单独公开的三公经费"))
FUND = (("gpb", "一般公共预算"), ("gov_fund", "政府性基金预算"), ("all", "财政拨款（全部资金）"))
FUNCTION_LEVEL = (("total", "合计"), ("class", "类"), ("section", "款"), ("item", "项"))
ECONOMIC_LEVEL = (("class", "类"), ("section", "款"))
COST_GROUP = (("personnel", "人员经费"), ("public", "公用经费"))
SANGONG_ITEM = (("total", "合计"), ("overseas", "因公出国（境）费"), ("vehicle_total", "公务用车购置及运行费"),
                ("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行维护费"),
                ("reception", "公务接待费"))
RELATED_ITEM = (("meeting", "会议费"), ("training", "培训费"), ("admin_operation", "机关运行经费"), *SANGONG_ITEM)
#: prior_year_statements.scope and implied_from as Chinese value labels.
PRIOR_SCOPE = (("grand_total", "收入支出总计"), ("income_total", "本年收入合计"), ("expenditure_total", "本年支出合计"),
               ("fiscal_total", "财政拨款收入支出总计"), ("gpb_total", "一般公共预算财政拨款支出"),
               ("sangong_total", "“三公”经费合计"), ("sangong_item", "“三公”经费分项"),
               ("admin_operation", "机关运行经费"), ("item", "项级科目"))
IMPLIED_FROM = (("stated", "印出的上年数"), ("change", "本年数减增减额"), ("pct", "本年数除以（1+增减率）"),
                ("flat", "持平：等于本年数"))
SCOPE = (("gpb_total", "一般公共预算财政拨款支出总体"), ("item", "项级科目"), ("sangong_total", "三公经费"),
         ("sangong_item", "三公经费分项"))
CHECK_STATUS = (("pass", "通过"), ("fail", "未通过"), ("skipped", "未执行"))
SEVERITY = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
TEXT_SOURCE = (("text", "文本层"), ("ocr", "OCR识读"), ("mixed", "部分OCR识读"))
STAFF_KIND = (("staff_actual", "实有人数"), ("staff_authorised", "编制人数"))
#: counts.kind (etl/parsing/narrative_counts.py) as Chinese value labels, with the unit each is counted in.
COUNT_KIND = (("vehicles_held", "公务用车保有量（辆）"), ("vehicles_purchased", "购置公务用车（辆）"),
              ("vehicles_owned", "国有资产：共有车辆（辆）"), ("overseas_groups", "因公出国（境）团组（个）"),
              ("overseas_people", "因公出国（境）人次"), ("reception_batches", "公务接待批次"),
              ("reception_people", "公务接待人次"), ("units_consolidated", "纳入决算编制范围的单位（个）"),
              ("staff_authorised", "编制人数（人）"), ("staff_actual", "实有人数（人）"),
              ("admin_operation_cost", "机关运行经费（万元）"), ("procurement_total", "政府采购支出总额（万元）"),
              ("procurement_goods", "政府采购货物（万元）"), ("procurement_works", "政府采购工程（万元）"),
              ("procurement_services", "政府采购服务（万元）"), ("procurement_sme", "授予中小企业合同金额（万元）"),
              ("equipment_over_50", "单价50万元以上设备（台（套））"),
              ("equipment_over_100", "单价100万元以上设备（台（套））"))
COUNT_SCOPE = (("domestic", "国内"), ("foreign", "外事"))
#: prior_year_restatements.reported_from: where last year's own figure was read.
REPORTED_FROM = (("narrative", "上年报告情况说明"), ("tables", "上年报告表格（主要指标）"))


# -- department_years -----------------------------------------------------------------------------

_W = "万元"

def _group_quality(group: str, zh: str, what: str) -> tuple[ExportColumn, ExportColumn]:
    """<group>_quality and <group>_quality_reason of one figure group (department_year_figures)."""
    return (
        col(f"{group}_quality", pa.string(), f"{zh}数据质量",
            f"Grade of {what}: fail (document failed, or a failed check of severity error puts these figures in "
            "doubt: they are left empty in this export unless --all-quality), warn (document partly parsed, or a "
            "failed warning check doubts them), clean.", QUALITY),
        col(f"{group}_quality_reason", pa.string(), f"{zh}数据质量说明",
            f"Why {group}_quality is warn or fail, in Chinese ('；'-joined); empty when clean."),
    )


#: Issue 21 (panel part): both budget bases side by side, OCR provenance, peer type, the balanced
#: panel of a chosen span and the per-scale measures; appended after the columns above.
ISSUE21_DEPARTMENT_YEARS: tuple[ExportColumn, ...] = (
    col("gpb_completion_initial_pct", PERCENT, "一般公共预算财政拨款支出预算完成率（年初预算口径，%）",
        "100 × gpb_actual / gpb_initial_budget; empty unless a 年初预算 > 0 is printed. Side by side with "
        "gpb_completion_full_year_pct: each basis has its own n (its non-empty rows)."),
    col("gpb_flag_initial", pa.string(), "预算执行情况（年初预算口径）",
        "gpb_flag's thresholds applied to gpb_completion_initial_pct; empty when no 年初预算 > 0.", EXECUTION_FLAG),
    col("gpb_completion_full_year_pct", PERCENT, "一般公共预算财政拨款支出预算完成率（全年预算口径，%）",
        "100 × gpb_actual / gpb_full_year_budget (全年预算 / 调整预算); empty unless a 全年预算 > 0 is printed."),
    col("gpb_flag_full_year", pa.string(), "预算执行情况（全年预算口径）",
        "gpb_flag's thresholds applied to gpb_completion_full_year_pct; empty when no 全年预算 > 0.",
        EXECUTION_FLAG),
    col("text_source", pa.string(), "文字来源（文本层/OCR）",
        "How the department-year's documents were read: text (every one from the PDF's text layer), ocr (every one "
        "by OCR), mixed (some pages or documents by OCR); empty for a web page or text file.", TEXT_SOURCE),
    col("ocr_min_confidence", RATIO, "OCR最低置信度",
        "The lowest ocr_confidence (0–1) of any figure row the department-year uses (every figure table of the "
        "chosen version, its counts and its prior-year statements); empty when no figure was read by OCR."),
    col("peer_type", pa.string(), "同类部门类型",
        "The department's function type for peer comparisons: the first pattern of etl/analysis/peer_types.csv "
        "(docs/views.md) matching its name after the rename crosswalk, else that name; a unit's own report "
        "(report_scope unit) gets the type followed by （单位）, so units never pool with departments."),
    col("in_balanced_panel", pa.bool_(), "属于平衡面板",
        "True when the department (department_id) has an exported department-year in every year of balanced_span "
        "and this row lies in it; false otherwise; empty when no span was chosen (juesuan export --balanced "
        "2019-2022)."),
    col("balanced_span", pa.string(), "平衡面板年份范围",
        "The span in_balanced_panel refers to, 'first-last' (juesuan export --balanced); empty when none."),
    col("vehicles_held", RATIO, "公务用车保有量（辆）",
        "公务用车保有量 as the report prints it (counts.kind vehicles_held), 辆; empty when not printed."),
    col("vehicles_held_page", pa.int32(), "公务用车保有量页码", "Page of vehicles_held (in its file's numbering)."),
    col("sangong_per_vehicle", RATIO, "每辆公务用车购置及运行费（万元/辆）",
        "vehicle_actual / vehicles_held, 万元 per vehicle; empty when either is missing or vehicles_held is 0 "
        "(sangong_per_vehicle_note says why)."),
    col("sangong_per_vehicle_note", pa.string(), "每辆车费用为空的原因",
        "Why sangong_per_vehicle is empty, in Chinese (未读到公务用车保有量, 公务用车保有量为 0, …); empty when compu"
        "ted."),
    col("staff", RATIO, "人数（实有人数，无则编制人数）",
        "实有人数 where printed (counts.kind staff_actual), else 编制人数 (staff_authorised); staff_kind says which."),
    col("staff_kind", pa.string(), "人数口径", "Which count staff is: staff_actual (实有人数) or staff_authorised "
        "(编制人数); empty when neither is printed.", STAFF_KIND),
    col("staff_page", pa.int32(), "人数页码", "Page of staff (in its file's numbering)."),
    col("sangong_per_staff", RATIO, "人均三公经费（万元/人）",
        "sangong_used_actual / staff, 万元 per person; empty when either is missing or staff is 0."),
    col("sangong_per_staff_note", pa.string(), "人均三公经费为空的原因",
        "Why sangong_per_staff is empty, in Chinese; empty when computed."),
    col("public_cost_per_staff", RATIO, "人均公用经费（万元/人）",
        "public_cost / staff, 万元 per person; empty when either is missing or staff is 0."),
    col("public_cost_per_staff_note", pa.string(), "人均公用经费为空的原因",
        "Why public_cost_per_staff is empty, in Chinese; empty when computed."),
)

DEPARTMENT_YEARS = Table(
    "department_years", "department-year (the chosen version of its documents), behind the quality gate",
    "view department_years_export (etl/analysis/sql)",
    (
        col("source_file", pa.string(), "来源文件名",
            "File name of the PDF the figures come from; several joined by ';' when a department-year's "
            "figures come from several PDFs.", nullable=False),
        from_parquet("documents", "region", "地区"),
        from_parquet("documents", "department", "部门名称"),
        col("department_id", pa.string(), "部门标识（跨年度、跨更名稳定）",
            "Stable key of the department across years, renames (机构改革) and spelling variants: the manifest's "
            "department_id, else full region name + '/' + normalised department name after the rename "
            "crosswalk (etl/analysis/department_renames.csv plus any user CSV)."),
        from_parquet("documents", "year", "年度"),
        col("quality", pa.string(), "数据质量",
            "The worst of the per-figure grades (sangong_quality … items_quality): clean: no check contradicting "
            "the figures failed; warn: document partly parsed, a warning check failed (三公 parts ≠ 合计, narrative "
            "≠ table) or a mismatch below; fail: a check of severity error put some figures in doubt (only those "
            "are left empty, see figures_dropped). Disclosure defects do not count (disclosure_defects).", QUALITY),
        col("sangong_budget", AMOUNT, "三公经费预算数（公开合计，万元）",
            "三公经费 预算数 as printed on the 合计 row, 万元."),
        col("sangong_actual", AMOUNT, "三公经费决算数（公开合计，万元）",
            "三公经费 决算数 as printed on the 合计 row, 万元."),
        col("sangong_parts_actual", AMOUNT, "三公经费决算数（分项之和，万元）",
            "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费, 决算数, 万元 (用车: the printed 小计, else "
            "购置费 + 运行维护费)."),
        col("overseas_actual", AMOUNT, "因公出国（境）费决算数（万元）", "因公出国（境）费 决算数, 万元."),
        col("vehicle_actual", AMOUNT, "公务用车购置及运行费决算数（万元）",
            "公务用车购置及运行费 决算数, 万元: the printed 小计, else 购置费 + 运行维护费."),
        col("reception_actual", AMOUNT, "公务接待费决算数（万元）", "公务接待费 决算数, 万元."),
        from_parquet("cost_totals", "personnel_cost", "人员经费（万元）"),
        from_parquet("cost_totals", "public_cost", "公用经费（万元）"),
        col("personnel_public_ratio", RATIO, "人员经费与公用经费之比",
            "personnel_cost / public_cost; empty when public_cost is 0 or missing."),
        col("gpb_budget", AMOUNT, "一般公共预算财政拨款支出预算数（万元）",
            "Budget of 一般公共预算财政拨款支出 (narrative statement): 年初预算 when > 0, else 全年预算 (调整预算) "
            "when printed and > 0, else empty (see budget_basis), 万元."),
        col("gpb_actual", AMOUNT, "一般公共预算财政拨款支出决算数（万元）",
            "一般公共预算财政拨款支出 决算数 as the narrative states it, else the 合计 of "
            "一般公共预算财政拨款支出决算表 (05), 万元."),
        col("gpb_completion_pct", PERCENT, "一般公共预算财政拨款支出预算完成率（%）",
            "100 × gpb_actual / gpb_budget on budget_basis initial or full_year; the printed completion % "
            "on printed_pct; empty on none."),
        col("budget_basis", pa.string(), "预算完成率口径",
            "Which budget gpb_completion_pct uses: initial (年初预算 > 0), full_year (年初预算 0 or not printed, "
            "全年预算 > 0), printed_pct (no budget amount, the printed completion %), none.", BUDGET_BASIS),
        from_parquet("documents", "department_type", "部门类型"),
        col("report_scope", pa.string(), "报告范围",
            "department (部门决算, the whole department) or unit (单位决算, one unit of it); the region views "
            "leave units out, their figures being inside their department's.", REPORT_SCOPE),
        col("template", pa.string(), "报告模板",
            "The report family recognised from the document: district, district_legacy, central, university.",
            TEMPLATE),
        from_parquet("documents", "report_form", "报告格式（省份）", REPORT_FORM),
        from_parquet("documents", "body_kind", "单位类别", BODY_KIND),
        from_parquet("documents", "source_format", "文件格式", SOURCE_FORMAT),
        from_parquet("documents", "publication", "公开形式", PUBLICATION),
        col("sangong_source", pa.string(), "三公经费数据来源",
            "table (the 三公 table) or narrative (stated only in the text); empty when the report states no 三公.",
            SANGONG_SOURCE),
        col("quality_reason", pa.string(), "数据质量问题说明",
            "Why quality is warn or fail, in Chinese, several reasons joined by '；'; empty when clean."),
        col("checks_failed", pa.int64(), "未通过的校验数",
            "Consistency checks of severity error or warning that failed on the documents the figures come from "
            "and put figures in doubt (info checks and disclosure defects never count)."),
        *_group_quality("sangong", "三公经费", "the 三公 figures (sangong_*, overseas_*, vehicle_*, reception_*)"),
        *_group_quality("cost", "人员经费、公用经费", "personnel_cost, public_cost and their ratio"),
        *_group_quality("gpb", "一般公共预算财政拨款支出", "the gpb_* figures"),
        *_group_quality("totals", "收支总额", "total_expenditure"),
        *_group_quality("items", "类款项明细",
                        "the 类/款/项 rows of the long tables (item views keep rows only when not fail)"),
        col("figures_dropped", pa.string(), "因数字矛盾而留空的数据组",
            "The figure groups graded fail whose figures are left empty in this export (comma-separated: sangong, "
            "cost, gpb, totals, items); empty when none or with --all-quality."),
        col("disclosure_defects", pa.int64(), "披露缺陷数",
            "Failed checks that contradict no figure (a placeholder, a heading or 截至 year, a standard table not "
            "printed): the figures stand and are kept."),
        col("disclosure_reason", pa.string(), "披露缺陷说明",
            "The disclosure defects in Chinese ('；'-joined); empty when none."),
        col("versions_disagree", pa.bool_(), "不同版本数字不一致",
            "True when another version (file) of the department-year prints a headline figure (三公 合计 决算数, "
            "人员经费, 05 合计) differing beyond rounding; this row uses the chosen version."),
        col("sangong_parts_budget", AMOUNT, "三公经费预算数（分项之和，万元）",
            "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费, 预算数, 万元."),
        col("sangong_parts_mismatch", pa.bool_(), "三公经费合计与分项之和不符",
            "True when the printed 合计 and the sum of the parts differ by more than printed rounding "
            "(0.01 per summand) on 预算数 or 决算数; empty when neither can be compared (no 三公 printed)."),
        col("sangong_basis", pa.string(), "三公经费口径（本次导出）",
            "Which 三公 figure sangong_used_budget / sangong_used_actual hold: printed (the printed 合计, the "
            "default) or parts (the sum of the parts); chosen with juesuan export --sangong-basis.",
            SANGONG_BASIS),
        col("sangong_used_budget", AMOUNT, "三公经费预算数（所选口径，万元）",
            "sangong_budget or sangong_parts_budget, as sangong_basis says, 万元."),
        col("sangong_used_actual", AMOUNT, "三公经费决算数（所选口径，万元）",
            "sangong_actual or sangong_parts_actual, as sangong_basis says, 万元."),
        col("overseas_budget", AMOUNT, "因公出国（境）费预算数（万元）", "因公出国（境）费 预算数, 万元."),
        col("vehicle_budget", AMOUNT, "公务用车购置及运行费预算数（万元）",
            "公务用车购置及运行费 预算数, 万元: the printed 小计, else 购置费 + 运行维护费."),
        col("reception_budget", AMOUNT, "公务接待费预算数（万元）", "公务接待费 预算数, 万元."),
        col("gpb_initial_budget", AMOUNT, "一般公共预算财政拨款支出年初预算（万元）",
            "年初预算 of the narrative's 一般公共预算财政拨款支出 statement, 万元; empty if not printed."),
        col("gpb_full_year_budget", AMOUNT, "一般公共预算财政拨款支出全年预算（万元）",
            "全年预算 / 调整预算 of the same statement, 万元; empty if not printed."),
        col("gpb_completion_pct_printed", PCT, "公开的预算完成率（%）",
            "The completion % the narrative prints for 一般公共预算财政拨款支出; empty if absent."),
        col("gpb_flag", pa.string(), "预算执行情况",
            "over (completion > 110 %), under (< 90 %), on_target (90–110 %); without a completion %: "
            "unbudgeted (budget printed as 0, actual > 0), idle (budget 0, actual 0), no_budget (an actual "
            "printed, narrative or 05 合计, but no budget figure and no %); empty when no 一般公共预算财政拨款支出 "
            "figure is printed at all.", EXECUTION_FLAG),
        col("gpb_actual_source", pa.string(), "决算数来源",
            "Where gpb_actual comes from: narrative (the narrative's statement) or table (05 合计, when the "
            "narrative has none).", GPB_ACTUAL_SOURCE),
        col("gpb_table_actual", AMOUNT, "一般公共预算财政拨款支出决算表合计（万元）",
            "合计 of 一般公共预算财政拨款支出决算表 (05), 万元: the table figure, never the narrative."),
        col("gpb_narrative_table_mismatch", pa.bool_(), "说明与决算表的一般公共预算支出不符",
            "True when the narrative's 一般公共预算财政拨款支出决算数 and the 05 合计 differ by more than 0.01; "
            "empty when either is missing."),
        col("total_expenditure", AMOUNT, "本年支出合计（万元）",
            "本年支出合计 of 收入支出决算总表 (01), else the 合计 of 支出决算表 (03), 万元."),
        col("basic_expenditure", AMOUNT, "基本支出（万元）",
            "基本支出 on the 合计 row of 一般公共预算财政拨款支出决算表 (05), else personnel_cost + public_cost, "
            "万元."),
        from_parquet("documents", "doc_id", "文件标识（SHA-256前16位）",
                     description="Document key of the chosen version: first 16 hex digits of its sha256."),
        col("sangong_file", pa.string(), "三公经费表所在文件", "The PDF file the 三公 figures are printed in."),
        col("sangong_page", pa.int32(), "三公经费表页码",
            "Page (1-based, in sangong_file's own numbering) of the 三公 figures."),
        col("cost_file", pa.string(), "人员经费、公用经费所在文件", "The PDF file of personnel_cost / public_cost."),
        col("cost_page", pa.int32(), "人员经费、公用经费页码",
            "Page, in cost_file's own numbering, of personnel_cost / public_cost (table 06)."),
        col("gpb_file", pa.string(), "预算执行说明所在文件",
            "The PDF file of the narrative's 一般公共预算财政拨款支出 statement (the narrative file when the "
            "narrative is published apart from the tables)."),
        col("gpb_page", pa.int32(), "预算执行说明页码",
            "Page, in gpb_file's own numbering, of the narrative's 一般公共预算财政拨款支出 statement "
            "(gpb_budget, gpb_actual)."),
        col("gpb_table_file", pa.string(), "一般公共预算财政拨款支出决算表所在文件", "The PDF file of the 05 合计."),
        col("gpb_table_page", pa.int32(), "一般公共预算财政拨款支出决算表页码",
            "Page, in gpb_table_file's own numbering, of the 05 合计 (gpb_table_actual)."),
        *ISSUE21_DEPARTMENT_YEARS,
    ),
)


# -- the long tables ------------------------------------------------------------------------------

#: Columns every long table starts with: who and when, and the PDF the row was read from.
KEY_COLUMNS: tuple[ExportColumn, ...] = (
    *(c for name in ("region", "department", "department_id", "year")
      for c in DEPARTMENT_YEARS.columns if c.name == name),
    col("source_file", pa.string(), "来源文件名", "File name of the PDF the row was read from.", nullable=False),
)

#: Chinese labels of the Parquet tables' columns (types and descriptions come from etl/schema.py).
LONG_LABELS: dict[str, dict[str, str | tuple[str, tuple]]] = {
    "summary_items": {
        "doc_id": "文件标识", "side": ("收支方向", SIDE), "item": "项目代码", "label": "项目名称",
        "amount": "决算数（万元）", "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "function_expenditure": {
        "doc_id": "文件标识", "table_key": ("表别", FUNCTION_TABLE), "code": "功能分类科目编码",
        "level": ("科目级次", FUNCTION_LEVEL), "name": "科目名称", "total": "合计（万元）",
        "basic": "基本支出（万元）", "project": "项目支出（万元）", "row_order": "表内行序",
        "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "economic_expenditure": {
        "doc_id": "文件标识", "code": "经济分类科目编码", "level": ("科目级次", ECONOMIC_LEVEL),
        "name": "科目名称", "amount": "决算数（万元）", "cost_group": ("经费类别", COST_GROUP),
        "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "sangong": {
        "doc_id": "文件标识", "item": ("三公经费项目", SANGONG_ITEM), "budget": "预算数（万元）",
        "actual": "决算数（万元）", "source": ("数据来源", SANGONG_SOURCE),
        "budget_basis": ("预算口径（情况说明）", NARRATIVE_BASIS), "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "budget_execution": {
        "doc_id": "文件标识", "scope": ("口径", SCOPE), "path": "科目路径（类/款/项）", "code": "功能分类科目编码",
        "initial_budget": "年初预算（万元）", "full_year_budget": "全年预算（万元）", "actual": "支出决算（万元）",
        "unqualified_budget": "预算（未注明年初或全年，万元）", "completion_pct": "公开完成率（%）",
        "budget_basis": ("完成率口径", NARRATIVE_BASIS), "budget_difference": "决算与预算差额（公开，万元）",
        "reason": "差异原因", "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "related_costs": {
        "doc_id": "文件标识", "item": ("项目", RELATED_ITEM), "fund": ("资金来源", FUND), "budget": "预算数（万元）",
        "actual": "决算数（万元）", "source": ("数据来源", SANGONG_SOURCE), "ocr_confidence": "OCR识读置信度",
        "page": "页码",
    },
    "cost_totals": {
        "doc_id": "文件标识", "personnel_cost": "人员经费合计（万元）", "public_cost": "公用经费合计（万元）",
        "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "item_yoy": {
        "doc_id": "文件标识", "scope": ("口径", (("total", "财政拨款支出总体"), ("item", "项级科目"))),
        "path": "科目路径（类/款/项）", "code": "功能分类科目编码", "actual": "本年决算（万元）",
        "prior_actual": "上年决算（万元）", "change": "比上年增减（万元）", "change_pct": "比上年增减（%）",
        "reason": "原因说明", "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "prior_year_statements": {
        "doc_id": "文件标识", "scope": ("口径", PRIOR_SCOPE), "path": "科目或三公项目", "code": "功能分类科目编码",
        "actual": "本年数（万元）", "change": "比上年增减（万元）", "change_pct": "比上年增减（%）",
        "prior_stated": "印出的上年数（万元）", "prior_implied": "推算的上年数（万元）",
        "implied_from": ("上年数推算依据", IMPLIED_FROM), "prior_low": "上年数下限（按印出舍入，万元）",
        "prior_high": "上年数上限（按印出舍入，万元）", "sentence": "原文句子", "ocr_confidence": "OCR识读置信度",
        "page": "页码",
    },
    "counts": {
        "doc_id": "文件标识", "kind": ("计数项目", COUNT_KIND), "value": "数值（单位见计量单位）",
        "unit": "计量单位", "scope": ("范围（国内/外事）", COUNT_SCOPE), "sentence": "原文句子",
        "ocr_confidence": "OCR识读置信度", "page": "页码",
    },
    "checks": {
        "doc_id": "文件标识", "check_id": "校验项目", "status": ("校验结果", CHECK_STATUS), "detail": "校验详情",
        "severity": ("严重程度", SEVERITY), "message": "校验说明",
        "pages": "页码", "value_a": "比较数一", "source_a": "比较数一来源", "value_b": "比较数二",
        "source_b": "比较数二来源",
        "doubts": "未通过时存疑的数字组（空 = 披露缺陷，数字不受影响）",
    },
}

LONG_SOURCES = {
    "summary_items": "收入支出决算总表 (01)",
    "function_expenditure": "支出决算表 (03) and 一般公共预算财政拨款支出决算表 (05)",
    "economic_expenditure": "一般公共预算财政拨款基本支出决算表 (06)",
    "sangong": "“三公”经费支出决算表 (07)",
    "related_costs": "会议费、培训费、机关运行经费 and other funds' 三公 beside the 三公 table (never in sangong)",
    "budget_execution": "the narrative's budget-versus-actual statements",
    "cost_totals": "人员经费合计 / 公用经费合计 of table 06",
    "item_yoy": "the narrative's year-on-year statements (this year's 决算 against last year's)",
    "prior_year_statements": "the narrative's year-on-year statements of every subject, with the prior value each "
                             "implies",
    "counts": "the narrative's counts and scales: 三公 counts (公务用车, 团组, 接待), 部门概况 (决算单位构成, "
              "编制/实有人数), 其他重要事项 (机关运行经费, 政府采购, 国有资产)",
    "checks": "the consistency checks juesuan ran on the document",
}


#: Columns computed onto a long table (not in its Parquet table): name -> (column, SQL over the row t).
#: budget_execution: each statement's completion on 年初预算 and on 全年预算 side by side (issue 21 point 3).
LONG_COMPUTED: dict[str, tuple[tuple[ExportColumn, str], ...]] = {
    "budget_execution": (
        (col("completion_initial_pct", PERCENT, "预算完成率（年初预算口径，%）",
             "100 × actual / initial_budget; empty unless initial_budget > 0."),
         "CASE WHEN t.initial_budget > 0 THEN safe_pct(t.actual, t.initial_budget) END"),
        (col("flag_initial", pa.string(), "预算执行情况（年初预算口径）",
             "over (> 110 %), under (< 90 %), on_target on completion_initial_pct; empty without 年初预算 > 0.",
             EXECUTION_FLAG),
         "CASE WHEN t.initial_budget > 0 THEN execution_flag(safe_pct(t.actual, t.initial_budget), "
         "t.initial_budget, NULL, t.actual) END"),
        (col("completion_full_year_pct", PERCENT, "预算完成率（全年预算口径，%）",
             "100 × actual / full_year_budget; empty unless full_year_budget > 0."),
         "CASE WHEN t.full_year_budget > 0 THEN safe_pct(t.actual, t.full_year_budget) END"),
        (col("flag_full_year", pa.string(), "预算执行情况（全年预算口径）",
             "over (> 110 %), under (< 90 %), on_target on completion_full_year_pct; empty without 全年预算 > 0.",
             EXECUTION_FLAG),
         "CASE WHEN t.full_year_budget > 0 THEN execution_flag(safe_pct(t.actual, t.full_year_budget), "
         "t.full_year_budget, NULL, t.actual) END"),
    ),
}


def long_table(name: str) -> Table:
    """A long table: KEY_COLUMNS, then every column of the Parquet table `name` with its label.

    Every Parquet column must have a Chinese label in LONG_LABELS (KeyError otherwise: a column
    added to etl/schema.py is added here too, or the export does not run)."""
    parquet = PARQUET_TABLES[name]
    labels = LONG_LABELS[name]
    cols = []
    for c in parquet.columns:
        spec = labels[c.name]
        label, values = (spec, ()) if isinstance(spec, str) else spec
        cols.append(from_parquet(name, c.name, label, values))
    cols += [c for c, _ in LONG_COMPUTED.get(name, ())]
    return Table(name, f"{parquet.one_row_per} (chosen version, behind the quality gate)",
                 LONG_SOURCES[name], (*KEY_COLUMNS, *cols))


LONG_TABLES = tuple(LONG_LABELS)


# -- budget credibility (PEFA 2016 PI-1, PI-2.1; etl/analysis/sql/160–166, docs/views.md) -------------

PEFA_BAND = (("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"))

#: The PEFA bands of a year, declared once for the department-year and the region-year tables.
PI1_BAND = col("pi1_band", pa.string(), "PI-1 当年等级",
               "PEFA PI-1 band of the year: A 95–105 %, B 90–110 %, C 85–115 % (bounds included), else D.",
               PEFA_BAND)
PI2_BAND = col("pi2_band", pa.string(), "PI-2 当年等级",
               "PEFA PI-2.1 band of the year: A < 5 %, B < 10 %, C < 15 % (bounds excluded), else D.", PEFA_BAND)

BUDGET_CREDIBILITY = Table(
    "budget_credibility", "department-year (behind the quality gate) with its PEFA budget-credibility measures",
    "view budget_credibility_export (etl/analysis/sql/166; formulas in docs/views.md budget_credibility_department)",
    (
        *KEY_COLUMNS[:4],
        col("source_file", pa.string(), "来源文件名",
            "File name of the PDF the figures come from; several joined by ';'.", nullable=False),
        col("report_scope", pa.string(), "报告范围",
            "department (部门决算) or unit (单位决算, one unit of a department).", REPORT_SCOPE),
        col("initial_budget", AMOUNT, "一般公共预算财政拨款支出年初预算（万元）",
            "年初预算 of 一般公共预算财政拨款支出 as the narrative states it, 万元; empty if not stated."),
        col("actual", AMOUNT, "一般公共预算财政拨款支出决算（万元）",
            "决算 of 一般公共预算财政拨款支出 in the same statement, 万元."),
        col("pi1_outturn_pct", PERCENT, "PI-1 总支出执行率（%）",
            "PEFA PI-1 aggregate expenditure outturn: 100 × actual / initial_budget (the original budget only, "
            "never the 全年预算); empty without a 年初预算 > 0."),
        PI1_BAND,
        col("pi1_score_3y", pa.string(), "PI-1 三年评分",
            "PEFA PI-1 score over this and the two previous years: the band met in at least two of the three; "
            "empty unless all three consecutive years have a PI-1.", PEFA_BAND),
        col("pi2_lines", pa.int64(), "PI-2 项数",
            "Budget heads (项) compared: those the narrative states with a 年初预算 and a 决算; over 20, the "
            "largest making up 75 % of the budget plus one line for the rest."),
        col("pi2_budget", AMOUNT, "PI-2 各项年初预算合计（万元）", "Σ 年初预算 of the PI-2 heads, 万元."),
        col("pi2_actual", AMOUNT, "PI-2 各项决算合计（万元）", "Σ 决算 of the PI-2 heads, 万元."),
        col("pi2_coverage_pct", PERCENT, "PI-2 覆盖率（%）",
            "100 × pi2_actual / actual: how much of the 决算 the stated 项 cover."),
        col("pi2_variance_pct", PERCENT, "PI-2 支出结构偏差（%）",
            "PEFA PI-2.1 composition variance: 100 × Σ|actual_i − budget_i × Σactual / Σbudget| / Σactual over "
            "the heads; empty with fewer than 2 heads."),
        PI2_BAND,
        col("pi2_score_3y", pa.string(), "PI-2 三年评分",
            "PEFA PI-2.1 score over this and the two previous years: the band met in at least two of the three; "
            "empty unless all three consecutive years have a PI-2.", PEFA_BAND),
        col("gpb_page", pa.int32(), "预算执行说明页码",
            "Page (1-based) of the narrative's 一般公共预算财政拨款支出 statement."),
    ),
)


def _years_scored(pi: str) -> ExportColumn:
    return col(f"{pi}_years", pa.int64(), f"PI-{pi[-1]} 三年评分所据年数",
               f"n of {pi}_score_3y: how many of the years y−2, y−1, y have a {pi}_band (0–3); the score needs 3.")


BUDGET_CREDIBILITY_REGION = Table(
    "budget_credibility_region",
    "region-year: PEFA PI-1 and PI-2.1 over the region's balanced set of departments",
    "view budget_credibility_region (etl/analysis/sql/165; formulas in docs/views.md)",
    (
        KEY_COLUMNS[0],
        KEY_COLUMNS[3],
        col("departments", pa.int64(), "平衡样本部门数",
            "n: the departments (department_id, department reports only, never units) behind every figure of the "
            "row: those with a PI-1 outturn in every year the region has department-years behind the quality gate "
            "(pefa_balanced_departments)."),
        col("balanced_first_year", pa.int32(), "平衡样本起始年度", "First year of the span the balanced set covers."),
        col("balanced_last_year", pa.int32(), "平衡样本截止年度", "Last year of the span the balanced set covers."),
        col("initial_budget", AMOUNT, "一般公共预算财政拨款支出年初预算合计（万元）",
            "Σ 年初预算 of 一般公共预算财政拨款支出 over the departments of the set, 万元."),
        col("actual", AMOUNT, "一般公共预算财政拨款支出决算合计（万元）",
            "Σ 决算 of 一般公共预算财政拨款支出 over the same departments, 万元."),
        col("pi1_outturn_pct", PERCENT, "PI-1 总支出执行率（%）",
            "PEFA PI-1 aggregate outturn of the region: 100 × actual / initial_budget (sums over the set)."),
        PI1_BAND,
        col("pi1_score_3y", pa.string(), "PI-1 三年评分",
            "The PI-1 band met in at least two of this and the two previous years; empty unless all three have "
            "a band (pi1_years = 3).", PEFA_BAND),
        _years_scored("pi1"),
        col("pi2_lines", pa.int64(), "PI-2 比较行数（部门）",
            "Lines PI-2.1 compares: one per department of the set (administrative classification); over 20, "
            "the largest making up 75 % of the budget (at least 20) plus one line for the rest."),
        col("pi2_variance_pct", PERCENT, "PI-2 支出结构偏差（%）",
            "PEFA PI-2.1 composition variance by department: 100 × Σ|actual_i − budget_i × Σactual / Σbudget| / "
            "Σactual; empty with fewer than 2 lines."),
        PI2_BAND,
        col("pi2_score_3y", pa.string(), "PI-2 三年评分",
            "The PI-2.1 band met in at least two of this and the two previous years; empty unless all three have "
            "a band (pi2_years = 3).", PEFA_BAND),
        _years_scored("pi2"),
    ),
)

PRIOR_YEAR_RESTATEMENTS = Table(
    "prior_year_restatements",
    "year-on-year statement of a department-year whose prior year's own report (in the export) states the subject",
    "view prior_year_restatements (etl/analysis/sql/160; docs/views.md)",
    (
        *KEY_COLUMNS,
        col("prior_year", pa.int32(), "上年度", "year − 1: the year the statement speaks of."),
        col("prior_source_file", pa.string(), "上年报告文件名", "File name of the prior year's own report."),
        col("scope", pa.string(), "口径", "The subject stated (prior_year_statements.scope).", PRIOR_SCOPE),
        col("path", pa.string(), "科目或三公项目",
            "三公 item (overseas …) or the 类/款/项 path for an item statement; empty otherwise."),
        col("code", pa.string(), "功能分类科目编码", "Function code of an item statement, where known."),
        col("stated_prior", RATIO, "本年报告所述上年数（万元）",
            "The prior-year figure this report states or implies (prior_year_statements.prior_implied), 万元."),
        col("implied_from", pa.string(), "上年数推算依据", "How stated_prior was obtained.", IMPLIED_FROM),
        col("prior_low", RATIO, "上年数下限（按印出舍入，万元）",
            "Lowest prior figure the printed rounding allows, 万元."),
        col("prior_high", RATIO, "上年数上限（按印出舍入，万元）",
            "Highest prior figure the printed rounding allows, 万元; empty when unbounded."),
        col("reported_prior", RATIO, "上年报告印出的数（万元）",
            "The figure the prior year's own report prints for the same subject, 万元 (reported_from says where)."),
        col("reported_from", pa.string(), "上年数来源",
            "narrative (the prior report's own year-on-year statement of the subject, first by page) or tables "
            "(its headline figure: gpb_actual, the 三公 决算 figures) where its narrative states none.",
            REPORTED_FROM),
        col("difference", RATIO, "上年报告数减本年报告所述上年数（万元）", "reported_prior − stated_prior, 万元."),
        col("within_rounding", pa.bool_(), "在舍入范围内",
            "True when reported_prior lies in [prior_low, prior_high] widened by half a cent."),
        col("restated", pa.bool_(), "上年数被重述",
            "NOT within_rounding: the two reports disagree on the prior year (a restatement, or a misprint in "
            "either report: the view cannot tell which is right). A panel keeps each year's own figure."),
        col("sentence", pa.string(), "原文句子", "The statement as printed in this year's report."),
        col("page", pa.int32(), "页码", "Page (1-based) of the statement in this year's report."),
        col("doc_id", pa.string(), "文件标识", "Document key of this year's report."),
        col("prior_doc_id", pa.string(), "上年报告文件标识", "Document key of the prior year's report."),
    ),
)

#: Export tables computed by the views (after the long tables).
DERIVED_TABLES = {"budget_credibility": BUDGET_CREDIBILITY, "budget_credibility_region": BUDGET_CREDIBILITY_REGION,
                  "prior_year_restatements": PRIOR_YEAR_RESTATEMENTS}


def export_tables() -> dict[str, Table]:
    """Every export table, department_years first."""
    return {"department_years": DEPARTMENT_YEARS, **{n: long_table(n) for n in LONG_TABLES}, **DERIVED_TABLES}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=True) for c in table.columns])


def stata_problems(table: Table) -> list[str]:
    """Why the table cannot be written as Stata .dta as declared (empty list: it can)."""
    out = []
    for c in table.columns:
        if not (_STATA_NAME.match(c.name) and len(c.name) <= STATA_NAME_MAX) or c.name in STATA_RESERVED:
            out.append(f"{table.name}.{c.name}: not a Stata variable name (ASCII, ≤ {STATA_NAME_MAX} characters)")
        if not c.label or len(c.label) > STATA_LABEL_MAX:
            out.append(f"{table.name}.{c.name}: label missing or longer than {STATA_LABEL_MAX} characters")
    return out


# -- the codebook ---------------------------------------------------------------------------------

def type_name(t: pa.DataType) -> str:
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    return {"string": "string", "int32": "integer", "int64": "integer", "double": "double",
            "bool": "boolean"}.get(str(t), str(t))


def stata_type(c: ExportColumn) -> str:
    if c.values:
        return "byte, value-labelled"
    if pa.types.is_boolean(c.type):
        return "byte 0/1, value-labelled"
    if pa.types.is_decimal(c.type) or pa.types.is_floating(c.type):
        return "double"
    if pa.types.is_integer(c.type):
        return "long"
    return "str"


def values_text(c: ExportColumn) -> str:
    if c.values:
        return "; ".join(f"{code} = {v} {lab}" for (v, lab), code in zip(c.values, c.codes.values(), strict=True))
    if pa.types.is_boolean(c.type):
        return "0 = false 否; 1 = true 是"
    return ""


CODEBOOK_FIELDS = ("table", "position", "column", "type", "stata_type", "label", "description", "values")
#: The codebook's field names in Chinese (the zh codebook.csv header and xlsx codebook sheet).
CODEBOOK_FIELDS_ZH = {"table": "表", "position": "序号", "column": "变量名", "type": "类型",
                      "stata_type": "Stata类型", "label": "中文标签", "description": "说明",
                      "values": "取值"}


def description(table: str, c: ExportColumn, lang: str = "en") -> str:
    """The column's description: in Chinese for zh (etl/analysis/export_zh.py), else the declared one."""
    if lang == "zh":
        from etl.analysis.export_zh import description_zh

        return description_zh(table, c.name) or c.description
    return c.description


def codebook_rows(tables: dict[str, Table] | None = None, lang: str = "en") -> list[dict]:
    rows = []
    for t in (tables or export_tables()).values():
        for i, c in enumerate(t.columns, 1):
            rows.append({"table": t.name, "position": i, "column": c.name, "type": type_name(c.type),
                         "stata_type": stata_type(c), "label": c.label, "description": description(t.name, c, lang),
                         "values": values_text(c)})
    return rows


# -- spreadsheet presentation ---------------------------------------------------------------------

LANGS = ("zh", "en")


def header(c: ExportColumn, lang: str) -> str:
    """The column's header in CSV and xlsx: its Chinese label (zh) or its variable name (en)."""
    return c.label if lang == "zh" else c.name


def cell_labels(c: ExportColumn, lang: str) -> dict | None:
    """Value -> what a spreadsheet cell shows, for a categorical or boolean column in zh; None otherwise
    (the value is shown as stored)."""
    if lang != "zh":
        return None
    if c.values:
        return dict(c.values)
    if pa.types.is_boolean(c.type):
        return {False: BOOL_LABELS[0], True: BOOL_LABELS[1]}
    return None


def is_percent(c: ExportColumn) -> bool:
    """A percentage as printed (96.15 means 96.15 %): its label says （%）."""
    return "%" in c.label and (pa.types.is_decimal(c.type) or pa.types.is_floating(c.type))


def number_format(c: ExportColumn) -> str | None:
    """The xlsx number format of a numeric column (None: text): 万元 amounts with thousands separators,
    percentages and ratios with 2 decimals (a percentage keeps its printed value, not a fraction)."""
    if c.values or pa.types.is_boolean(c.type) or pa.types.is_string(c.type):
        return None
    if is_percent(c):
        return "0.00"
    if c.type == AMOUNT:
        return "#,##0.00"
    if pa.types.is_integer(c.type):
        return "0"
    return "0.00##"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def columns_markdown(tables: dict[str, Table] | None = None, lang: str = "en") -> str:
    """The per-table column lists of the codebook, as Markdown (also the columns section of docs/export.md);
    descriptions in Chinese for lang zh."""
    head = ("| # | 变量名 | 类型 | 标签 | 说明 | 取值（.dta 编码 = 值 标签） |" if lang == "zh" else
            "| # | column | type | 标签 | description | values (.dta code = value 标签) |")
    parts = []
    for t in (tables or export_tables()).values():
        parts.append(f"### `{t.name}`\n\nOne row per {t.one_row_per}. Source: {t.source}.\n")
        parts.append(head + "\n|---|---|---|---|---|---|")
        for i, c in enumerate(t.columns, 1):
            parts.append(f"| {i} | `{c.name}` | {type_name(c.type)} | {_md(c.label)} | "
                         f"{_md(description(t.name, c, lang))} | {_md(values_text(c))} |")
        parts.append("")
    return "\n".join(parts)


BEGIN = "<!-- BEGIN generated columns: python -m etl.analysis.export_schema docs/export.md -->"
END = "<!-- END generated columns -->"


def with_columns_section(doc: str) -> str:
    """`doc` with the text between BEGIN and END replaced by columns_markdown()."""
    head, sep, rest = doc.partition(BEGIN)
    if not sep or END not in rest:
        raise ValueError(f"markers {BEGIN!r} … {END!r} not found")
    return head + BEGIN + "\n\n" + columns_markdown() + "\n" + END + rest.partition(END)[2]


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/export.md")
    path.write_text(with_columns_section(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {path}")
