"""The codebook's column descriptions in Chinese (`juesuan export --lang zh`, the default).

The English descriptions stay the reference (export_schema.py, etl/schema.py); these say the same
for a Chinese reader. A column without one here falls back to the English description (a test
lists none missing for the export tables).
"""

from __future__ import annotations

#: department_years, column -> 说明: issue 21's columns (both budget bases, OCR provenance, peer type,
#: balanced panel, per-scale measures); merged into DEPARTMENT_YEARS_ZH below.
ISSUE21_ZH = {
    "gpb_completion_initial_pct": "按年初预算计算的完成率：100 × 决算数 ÷ 年初预算；未印年初预算或为0时为空。与全年预"
                                  "算口径并列，两者各有各的样本数（非空行数）。",
    "gpb_flag_initial": "按年初预算口径的预算执行情况（超预算 > 110%、执行不足 < 90%、基本持平）；无年初预算时为空。",
    "gpb_completion_full_year_pct": "按全年预算（调整预算）计算的完成率：100 × 决算数 ÷ 全年预算；未印全年预算或为0时"
                                    "为空。",
    "gpb_flag_full_year": "按全年预算口径的预算执行情况（超预算 > 110%、执行不足 < 90%、基本持平）；无全年预算时为空。",
    "text_source": "该部门-年度所用文件的文字来源：文本层（均读自PDF文本层）、OCR识读（均经OCR）、部分OCR识读；网页或"
                   "文本文件为空。",
    "ocr_min_confidence": "该部门-年度所用各表数字、计数与上年比较陈述中OCR置信度（0–1）的最低值；"
                          "没有数字经OCR识读时为空。",
    "peer_type": "同类比较所用的部门职能类型：按 etl/analysis/peer_types.csv 的规则（见 docs/views.md）对更名处理后的"
                 "部门名称依次匹配，取第一条；都不匹配时为该名称本身。单位决算在类型后加“（单位）”，不与部门混在一组。",
    "in_balanced_panel": "该部门在 balanced_span 的每一年都有导出的部门-年度，且本行在该范围内时为“是”；否则为“否”；"
                         "未指定范围时为空（juesuan export --balanced 2019-2022）。",
    "balanced_span": "in_balanced_panel 所指的年份范围（“起-止”）；未指定时为空。",
    "vehicles_held": "报告印出的公务用车保有量（辆）；未印时为空。",
    "vehicles_held_page": "公务用车保有量所在页码。",
    "sangong_per_vehicle": "公务用车购置及运行费决算数 ÷ 公务用车保有量，单位：万元/辆；任一缺失或保有量为0时为空（原"
                           "因见 sangong_per_vehicle_note）。",
    "sangong_per_vehicle_note": "每辆车费用为空的原因（如 未读到公务用车保有量、公务用车保有量为 0）；已计算时为空。",
    "staff": "人数：印有实有人数时取实有人数，否则取编制人数（见 staff_kind）。",
    "staff_kind": "staff 的口径：实有人数或编制人数；都未印时为空。",
    "staff_page": "人数所在页码。",
    "sangong_per_staff": "三公经费决算数（所选口径）÷ 人数，单位：万元/人；任一缺失或人数为0时为空。",
    "sangong_per_staff_note": "人均三公经费为空的原因；已计算时为空。",
    "public_cost_per_staff": "公用经费 ÷ 人数，单位：万元/人；任一缺失或人数为0时为空。",
    "public_cost_per_staff_note": "人均公用经费为空的原因；已计算时为空。",
}

DEPARTMENT_YEARS_ZH = {
    "source_file": "数字所出自的PDF文件名；一个部门-年度的数字来自多个文件时以“;”连接。",
    "region": "部门所属的区县或城市，如 广州市天河区。",
    "department": "封面或标题上印的部门全称。",
    "department_id": "跨年度、跨机构改革更名和写法差异稳定不变的部门标识：清单（manifest）给出的 department_id，否则为"
                     "“地区全称/规范化部门名称”（经更名对照表处理）。",
    "year": "决算所属的财政年度。",
    "quality": "各数据组质量等级中最差的一个：无问题；有警告（文件部分解析，或警告级校验未通过，如三公合计与分项之和不"
               "符、说明与表格不符）；未通过（错误级校验使部分数字存疑，仅这些数字留空，见 figures_dropped）。披露缺陷"
               "不计入。",
    "sangong_budget": "三公经费表“合计”行印的预算数。单位：万元。",
    "sangong_actual": "三公经费表“合计”行印的决算数。单位：万元。",
    "sangong_parts_actual": "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 的决算数之和（用车取印的小计，否则购"
                            "置费 + 运行维护费）。单位：万元。",
    "overseas_actual": "因公出国（境）费决算数。单位：万元。",
    "vehicle_actual": "公务用车购置及运行费决算数：印的小计，否则购置费 + 运行维护费。单位：万元。",
    "reception_actual": "公务接待费决算数。单位：万元。",
    "personnel_cost": "人员经费合计（一般公共预算财政拨款基本支出决算表），按印出的数。单位：万元。",
    "public_cost": "公用经费合计（一般公共预算财政拨款基本支出决算表），按印出的数。单位：万元。",
    "personnel_public_ratio": "人员经费 ÷ 公用经费；公用经费为0或缺失时为空。",
    "gpb_budget": "一般公共预算财政拨款支出的预算数（情况说明）：年初预算大于0时取年初预算，否则取全年预算（调整预算）"
                  "，都没有则为空（见 budget_basis）。单位：万元。",
    "gpb_actual": "情况说明所述的一般公共预算财政拨款支出决算数，说明未提及时取一般公共预算财政拨款支出决算表（05）的"
                  "合计。单位：万元。",
    "gpb_completion_pct": "预算完成率（%）：口径为年初预算或全年预算时为 100 × 决算数 ÷ 预算数；口径为公开完成率时取印"
                          "出的完成率；口径为无时为空。数值即百分数（96.15 表示 96.15%）。",
    "budget_basis": "gpb_completion_pct 所用的预算：年初预算（年初预算大于0）、全年预算（年初预算为0或未印，全年预算大"
                    "于0）、公开完成率（未印预算数，只印完成率）、无。",
    "department_type": "去掉地区前缀并统一别称后的部门名称（如 财政局），用于跨地区比较。",
    "report_scope": "部门决算（整个部门，含所属单位）或单位决算（其中一个单位）；地区汇总视图不计单位决算，以免重复。",
    "template": "从文件识别出的报告模板：区县模板、区县旧版模板、中央部门及所属单位、高等学校模板。",
    "report_form": "报告的省份格式（四川、云南、广西、重庆）；全国通用格式或未识别时为空。",
    "body_kind": "按部门名称识别的单位类别：医院、学校、乡镇/街道；其他为空。",
    "source_format": "报告读自的文件格式：PDF、网页（另存的HTML）或文本。",
    "publication": "公开形式：完整报告（标准表和情况说明）、仅表格、仅情况说明、单独公开的三公经费。",
    "sangong_source": "三公经费数字的来源：三公经费表，或仅在情况说明文字中；报告未提及三公经费时为空。",
    "quality_reason": "数据质量为有警告或未通过的原因，多条以“；”连接；无问题时为空。",
    "checks_failed": "这些数字所出自的文件中，未通过且使数字存疑的错误级或警告级一致性校验的个数（提示级校验和披露缺陷"
                     "不计）。",
    "figures_dropped": "因评为未通过而在本次导出中留空的数据组（以逗号分隔：sangong 三公、cost 人员/公用经费、gpb 一般"
                       "公共预算、totals 收支总额、items 类款项明细）；没有或使用 --all-quality 时为空。",
    "disclosure_defects": "不与任何数字矛盾的未通过校验个数（如占位符、标题或“截至”年份有误、未公开某张标准表）：数字"
                          "照常保留。",
    "disclosure_reason": "披露缺陷的中文说明，以“；”连接；没有时为空。",
    "versions_disagree": "同一部门-年度的另一个版本（文件）所印的主要数字（三公合计决算数、人员经费、05表合计）与本行"
                         "所用版本不同（超出四舍五入）时为“是”。",
    "sangong_parts_budget": "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 的预算数之和。单位：万元。",
    "sangong_parts_mismatch": "三公合计与分项之和在预算数或决算数上相差超过四舍五入误差（每个加数0.01）时为“是”；无法"
                              "比较（未印三公经费）时为空。",
    "sangong_basis": "sangong_used_budget / sangong_used_actual 所用的三公经费口径：公开合计（默认）或分项之和；由 jue"
                     "suan export --sangong-basis 选择。",
    "sangong_used_budget": "按 sangong_basis 所选口径的三公经费预算数（公开合计或分项之和）。单位：万元。",
    "sangong_used_actual": "按 sangong_basis 所选口径的三公经费决算数（公开合计或分项之和）。单位：万元。",
    "overseas_budget": "因公出国（境）费预算数。单位：万元。",
    "vehicle_budget": "公务用车购置及运行费预算数：印的小计，否则购置费 + 运行维护费。单位：万元。",
    "reception_budget": "公务接待费预算数。单位：万元。",
    "gpb_initial_budget": "情况说明中一般公共预算财政拨款支出的年初预算；未印时为空。单位：万元。",
    "gpb_full_year_budget": "同一说明中的全年预算（调整预算）；未印时为空。单位：万元。",
    "gpb_completion_pct_printed": "情况说明印出的一般公共预算财政拨款支出预算完成率（%）；未印时为空。",
    "gpb_flag": "预算执行情况：超预算（完成率高于110%）、执行不足（低于90%）、基本持平（90%–110%）；没有完成率时：无预"
                "算支出（预算为0、决算大于0）、无预算无支出（均为0）、未公开预算（有决算数，无预算数也无完成率）；未印"
                "任何一般公共预算财政拨款支出数字时为空。",
    "gpb_actual_source": "gpb_actual 的来源：情况说明，或说明未提及时取支出决算表（05表合计）。",
    "gpb_table_actual": "一般公共预算财政拨款支出决算表（05）的合计，只取表格数字，不取说明。单位：万元。",
    "gpb_narrative_table_mismatch": "情况说明中的一般公共预算财政拨款支出决算数与05表合计相差超过0.01时为“是”；任一缺"
                                    "失时为空。",
    "total_expenditure": "收入支出决算总表（01）的本年支出合计，否则支出决算表（03）的合计。单位：万元。",
    "basic_expenditure": "一般公共预算财政拨款支出决算表（05）合计行的基本支出，否则人员经费 + 公用经费。单位：万元。",
    "doc_id": "所用版本文件的标识：其 SHA-256 的前16位十六进制数字（完整值见 run_record.json）。",
    "sangong_file": "三公经费数字所在的PDF文件。",
    "sangong_page": "三公经费数字在 sangong_file 中的页码（从1起，按该文件自身的页序）。",
    "cost_file": "人员经费、公用经费所在的PDF文件。",
    "cost_page": "人员经费、公用经费（06表）在 cost_file 中的页码。",
    "gpb_file": "情况说明中一般公共预算财政拨款支出一段所在的PDF文件（说明与表格分开公开时为说明文件）。",
    "gpb_page": "该段说明（gpb_budget、gpb_actual）在 gpb_file 中的页码。",
    "gpb_table_file": "05表合计所在的PDF文件。",
    "gpb_table_page": "05表合计（gpb_table_actual）在 gpb_table_file 中的页码。",
}

for _group, _zh in (("sangong", "三公经费数字（sangong_*、overseas_*、vehicle_*、reception_*）"),
                    ("cost", "人员经费、公用经费及其比值"), ("gpb", "一般公共预算财政拨款支出数字（gpb_*）"),
                    ("totals", "收支总额（total_expenditure）"), ("items", "长表中的类、款、项明细行")):
    DEPARTMENT_YEARS_ZH[f"{_group}_quality"] = (
        f"{_zh}的质量等级：未通过（文件解析失败，或错误级校验未通过使这些数字存疑：除非使用 --all-quality，本次导出中"
        f"留空）、"
        "有警告（文件部分解析，或警告级校验未通过）、无问题。")
    DEPARTMENT_YEARS_ZH[f"{_group}_quality_reason"] = (
        f"{_group}_quality 为有警告或未通过的原因（以“；”连接）；无问题时为空。")

#: The long tables: columns shared by all, then per table.
LONG_COMMON_ZH = {
    "source_file": "该行读自的PDF文件名。",
    "doc_id": "文件标识：PDF的 SHA-256 前16位十六进制数字。",
    "ocr_confidence": "该行数字所读文字的最低OCR识读置信度（0–1）；读自文字层时为空。",
    "page": "数字所在的PDF页码（从1起）。",
}

LONG_ZH: dict[str, dict[str, str]] = {
    "summary_items": {
        "side": "收入或支出（表格左半或右半）。",
        "item": "稳定的项目代码（如 income_total 本年收入合计、expenditure_total 本年支出合计）。",
        "label": "印出的项目名称。",
        "amount": "决算数（空白、“-”或“—”记为0）。单位：万元。",
    },
    "function_expenditure": {
        "table_key": "表别：支出决算表（03）、一般公共预算财政拨款支出决算表（05），或财政拨款支出决算表（全部资金）。",
        "code": "功能分类科目编码：类3位、款5位、项7位；合计行为空。",
        "level": "科目级次：合计、类、款、项。",
        "name": "印出的科目名称（换行已合并）。",
        "total": "合计（本年支出合计）。单位：万元。",
        "basic": "基本支出。单位：万元。",
        "project": "项目支出。单位：万元。",
        "row_order": "该行在印出表格中的位置（0为第一行）。",
    },
    "economic_expenditure": {
        "code": "经济分类科目编码（类3位、款5位）。",
        "level": "科目级次：类、款。",
        "name": "印出的科目名称。",
        "amount": "决算数。单位：万元。",
        "cost_group": "经费类别：人员经费（301 工资福利支出 + 303 对个人和家庭的补助）或公用经费（其他各类）。",
    },
    "sangong": {
        "item": "三公经费项目：合计、因公出国（境）费、公务用车购置及运行费（及其购置费、运行维护费）、公务接待费。",
        "budget": "预算数（空白记为0）。单位：万元。",
        "actual": "决算数（空白记为0）。单位：万元。",
        "source": "数据来源：三公经费表，或仅见于情况说明。",
        "budget_basis": "budget 是哪种预算：年初预算、全年预算（调整预算），或未注明年初或全年。",
    },
    "budget_execution": {
        "completion_initial_pct": "按年初预算计算的完成率：100 × 支出决算 ÷ 年初预算；年初预算未印或为0时为空。",
        "flag_initial": "按年初预算口径的预算执行情况（超预算 > 110%、执行不足 < 90%、基本持平）；无年初预算时为空。",
        "completion_full_year_pct": "按全年预算计算的完成率：100 × 支出决算 ÷ 全年预算；全年预算未印或为0时为空。",
        "flag_full_year": "按全年预算口径的预算执行情况（超预算 > 110%、执行不足 < 90%、基本持平）；无全年预算时为空。",
        "scope": "口径：一般公共预算财政拨款支出总体、项级科目、三公经费、三公经费分项。",
        "path": "类/款/项名称以“/”连接（按印出）；三公经费分项为项目代码；总体为空。",
        "code": "功能分类科目编码（印出时）。",
        "initial_budget": "年初预算；未印时为空。单位：万元。",
        "full_year_budget": "全年预算（调整预算）；未印时为空。单位：万元。",
        "actual": "支出决算数。单位：万元。",
        "unqualified_budget": "未注明年初或全年的预算数（从不计入年初预算）；未印时为空。单位：万元。",
        "completion_pct": "印出的完成率（%，数值即百分数）；未印或印为不可比时为空。",
        "budget_basis": "完成率所对应的预算：年初预算、全年预算，或未注明。",
        "budget_difference": "印出的决算与预算差额（决算 − 预算，带符号），从不计算得出；未印时为空。单位：万元。",
        "reason": "印出的原因说明（主要原因……）；没有时为空。",
    },
    "related_costs": {
        "item": "项目：会议费、培训费、机关运行经费，或三公经费各项。",
        "fund": "资金来源：一般公共预算、政府性基金预算、财政拨款（全部资金）；表格未注明时为空。",
        "budget": "预算数。单位：万元。",
        "actual": "决算数。单位：万元。",
        "source": "数据来源：表格或情况说明。",
    },
    "cost_totals": {
        "personnel_cost": "人员经费合计（按印出）。单位：万元。",
        "public_cost": "公用经费合计（按印出）。单位：万元。",
    },
    "item_yoy": {
        "scope": "口径：财政拨款支出总体或项级科目。",
        "path": "类/款/项名称以“/”连接（按印出）；总体为空。",
        "code": "功能分类科目编码（印出时）。",
        "actual": "本年决算数。单位：万元。",
        "prior_actual": "上年决算数（印出时）。单位：万元。",
        "change": "印出的比上年增减（减少为负）；未印时为空。单位：万元。",
        "change_pct": "印出的增长或下降百分比（带符号，数值即百分数）；未印时为空。",
        "reason": "印出的原因说明；没有时为空。",
    },
    "prior_year_statements": {
        "scope": "口径：收入支出总计、财政拨款收入支出总计、一般公共预算财政拨款支出、三公经费合计或分项、"
                 "机关运行经费、项级科目。",
        "path": "三公分项时为项目（overseas 因公出国（境）费等），项级科目时为类/款/项名称；其余为空。",
        "code": "功能分类科目编码（项级科目，对应到表格时）。",
        "actual": "情况说明印出的本年数。单位：万元。",
        "change": "印出的比上年增减（减少为负，持平为 0）；未印时为空。单位：万元。",
        "change_pct": "印出的增长或下降百分比（带符号，持平为 0）；未印时为空。",
        "prior_stated": "印出的上年数（如“上年决算数为X万元”）；未印时为空。单位：万元。",
        "prior_implied": "由本句推算的上年数：印出的上年数，否则本年数减增减额，否则本年数除以（1+增减率）；"
                         "持平时等于本年数。单位：万元。",
        "implied_from": "上年数的推算依据：印出、增减额、增减率或持平。",
        "prior_low": "考虑印出数字舍入（末位半个单位）后上年数的下限。单位：万元。",
        "prior_high": "考虑印出数字舍入后上年数的上限；无上限时为空。单位：万元。",
        "sentence": "读取该数字的原文句子（按印出）；项级科目为空（见 item_yoy）。",
    },
    "counts": {
        "kind": "计数项目：公务用车保有量、购置公务用车、共有车辆、因公出国（境）团组和人次、公务接待批次和人次、"
                "纳入决算编制范围的单位数、编制人数、实有人数、机关运行经费、政府采购（总额、货物、工程、服务、"
                "授予中小企业）、单价50万元或100万元以上设备。",
        "value": "印出的数值：计数按印出（中文数字读作数字）；金额单位为万元（以元印出的除以10000）。单位见 unit。",
        "unit": "计量单位：辆、个、人次、批次、人、台（套）或万元。",
        "scope": "公务接待分列国内、外事时的范围；合计及其他项目为空。",
        "sentence": "读取该数字的原文句子（按印出，空白已压缩）。",
    },
    "checks": {
        "check_id": "校验项目（见 docs/data-dictionary.md 的 checks 一节）。",
        "status": "校验结果：通过、未通过、未执行（所需数字未印出）。",
        "detail": "比较了什么；未通过时相差多少。",
        "severity": "严重程度：错误（表格恒等关系被破坏）、警告（两个来源不一致）、提示。",
        "message": "一句可据以核查的中文说明：未通过时何处与何处不符、相差多少。",
        "pages": "所比较数字所在的页码，以逗号分隔；未知时为空。",
        "value_a": "比较的第一个数字（如分项之和或情况说明中的数字）。单位：万元。",
        "source_a": "value_a 读自何处或如何算得。",
        "value_b": "与 value_a 比较的数字（如印出的合计）。单位：万元。",
        "source_b": "value_b 读自何处。",
        "doubts": "该校验未通过时存疑的数据组，以逗号分隔（sangong、cost、gpb、totals、items、narrative）；为空表示披"
                  "露缺陷，数字不受影响。",
    },
}


#: budget_credibility (PEFA 2016 PI-1、PI-2.1), column -> 说明.
BUDGET_CREDIBILITY_ZH = {
    "source_file": "数字所出自的PDF文件名；多个文件时以“;”连接。",
    "report_scope": "部门决算（整个部门）或单位决算（其中一个单位）。",
    "initial_budget": "情况说明所述一般公共预算财政拨款支出的年初预算；未说明时为空。单位：万元。",
    "actual": "同一句中一般公共预算财政拨款支出的决算数。单位：万元。",
    "pi1_outturn_pct": "PEFA PI-1 总支出执行率：100 × 决算 ÷ 年初预算（只用年初批准的预算，不用全年/调整预算）；"
                       "没有大于0的年初预算时为空。",
    "pi1_band": "PEFA PI-1 当年等级：95%–105% 为 A，90%–110% 为 B，85%–115% 为 C（含端点），其余为 D。",
    "pi1_score_3y": "PEFA PI-1 三年评分：本年及前两年中至少两年达到的等级；三个连续年度不全时为空。",
    "pi2_lines": "参与 PI-2 比较的项数：情况说明中同时给出年初预算和决算的项；超过 20 项时取预算最大、合计占 75% "
                 "的项，其余合为一行。",
    "pi2_budget": "参与 PI-2 的各项年初预算之和。单位：万元。",
    "pi2_actual": "参与 PI-2 的各项决算之和。单位：万元。",
    "pi2_coverage_pct": "100 × pi2_actual ÷ actual：所列各项决算占一般公共预算财政拨款支出决算的比例。",
    "pi2_variance_pct": "PEFA PI-2.1 支出结构偏差：100 × Σ|决算ᵢ − 年初预算ᵢ × 决算合计 ÷ 年初预算合计| ÷ 决算合计"
                        "（剔除总量偏差后的结构偏差）；少于 2 项时为空。",
    "pi2_band": "PEFA PI-2.1 当年等级：低于 5% 为 A，低于 10% 为 B，低于 15% 为 C（不含端点），其余为 D。",
    "pi2_score_3y": "PEFA PI-2.1 三年评分：本年及前两年中至少两年达到的等级；三个连续年度不全时为空。",
    "gpb_page": "情况说明中一般公共预算财政拨款支出预算执行一句所在页码（从1起）。",
}

#: budget_credibility_region (PEFA PI-1、PI-2.1 per region-year over a balanced set), column -> 说明.
BUDGET_CREDIBILITY_REGION_ZH = {
    "departments": "样本量 n：本行各数所依据的部门数（按 department_id，只含部门决算，不含单位）——即该地区每个有"
                   "部门-年度的年份都有 PI-1 执行率的部门（平衡样本）。",
    "balanced_first_year": "平衡样本覆盖的起始年度。",
    "balanced_last_year": "平衡样本覆盖的截止年度。",
    "initial_budget": "平衡样本各部门一般公共预算财政拨款支出年初预算之和。单位：万元。",
    "actual": "同一批部门一般公共预算财政拨款支出决算之和。单位：万元。",
    "pi1_outturn_pct": "地区 PEFA PI-1 总支出执行率：100 × 决算合计 ÷ 年初预算合计。",
    "pi1_score_3y": "PEFA PI-1 三年评分：本年及前两年中至少两年达到的等级；三年不全有等级时为空（见 pi1_years）。",
    "pi1_years": "pi1_score_3y 的样本量 n：本年及前两年中有 PI-1 等级的年数（0–3）；评分需要 3 年。",
    "pi2_lines": "PI-2.1 比较的行数：平衡样本中每个部门一行（按行政分类）；超过 20 个部门时取预算最大、合计占 75% 的"
                 "部门（至少 20 个），其余合为一行。",
    "pi2_variance_pct": "按部门计算的 PEFA PI-2.1 支出结构偏差：100 × Σ|决算ᵢ − 年初预算ᵢ × 决算合计 ÷ 年初预算合计| ÷ "
                        "决算合计；少于 2 行时为空。",
    "pi2_score_3y": "PEFA PI-2.1 三年评分：本年及前两年中至少两年达到的等级；三年不全有等级时为空（见 pi2_years）。",
    "pi2_years": "pi2_score_3y 的样本量 n：本年及前两年中有 PI-2 等级的年数（0–3）；评分需要 3 年。",
}

#: prior_year_restatements (a report's statement of last year against last year's own report), column -> 说明.
PRIOR_YEAR_RESTATEMENTS_ZH = {
    "source_file": "本年报告的PDF文件名。",
    "prior_year": "该句所说的上一年度（year − 1）。",
    "prior_source_file": "上年度报告的PDF文件名。",
    "scope": "口径：收入支出总计、财政拨款收入支出总计、一般公共预算财政拨款支出、三公经费合计或分项、机关运行经费、"
             "项级科目。",
    "path": "三公分项时为项目，项级科目时为类/款/项名称；其余为空。",
    "code": "功能分类科目编码（项级科目，已知时）。",
    "stated_prior": "本年报告印出或推算的上年数（prior_year_statements.prior_implied）。单位：万元。",
    "implied_from": "上年数的推算依据：印出、增减额、增减率或持平。",
    "prior_low": "考虑印出舍入后上年数的下限。单位：万元。",
    "prior_high": "考虑印出舍入后上年数的上限；无上限时为空。单位：万元。",
    "reported_prior": "上年度报告自己对同一口径印出的数（来源见 reported_from）。单位：万元。",
    "reported_from": "上年数来源：上年报告情况说明中同一口径的同比句（按页码取第一句），没有时取上年报告的主要指标"
                     "（一般公共预算财政拨款支出决算、三公经费决算）。",
    "difference": "reported_prior − stated_prior。单位：万元。",
    "within_rounding": "reported_prior 落在 [prior_low, prior_high]（各放宽半分）之内时为“是”。",
    "restated": "within_rounding 的否定：两份报告对上年数说法不一（重述，或任一报告印错，无法判断哪份正确）。"
                "面板数据仍取各年自己的数。",
    "sentence": "本年报告中该同比句的原文。",
    "page": "该句在本年报告中的页码（从1起）。",
    "doc_id": "本年报告的文件标识。",
    "prior_doc_id": "上年度报告的文件标识。",
}

#: The export tables computed by the views, table -> their own 说明 (before the long tables' shared ones).
DERIVED_ZH = {"budget_credibility": BUDGET_CREDIBILITY_ZH, "budget_credibility_region": BUDGET_CREDIBILITY_REGION_ZH,
              "prior_year_restatements": PRIOR_YEAR_RESTATEMENTS_ZH}

DEPARTMENT_YEARS_ZH.update(ISSUE21_ZH)


def description_zh(table: str, column: str) -> str | None:
    """The Chinese description of `table`.`column`, or None when none is written."""
    if table == "department_years":
        return DEPARTMENT_YEARS_ZH.get(column)
    if column in DERIVED_ZH.get(table, {}):
        return DERIVED_ZH[table][column]
    if table == "budget_credibility_region" and column in BUDGET_CREDIBILITY_ZH:   # the same bands
        return BUDGET_CREDIBILITY_ZH[column]
    own = LONG_ZH.get(table, {})
    if column in own:
        return own[column]
    return LONG_COMMON_ZH.get(column) or DEPARTMENT_YEARS_ZH.get(column)
