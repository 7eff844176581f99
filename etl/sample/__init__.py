"""`juesuan sample`: a realistic corpus of 部门决算 PDFs, each with its exact ground truth.

Modules, one concern each: catalog (static classification and naming data), layout (which
typesetting features a region-year uses), figures (the consistent figures of a department-year),
fmt (how a figure is printed), fonts, render_tables / render_narrative (reportlab drawing),
document (assembling a whole report), truth (the ground-truth JSON), seed_data / seed_report (the
re-rendered 2017 Guangzhou Tianhe seed report), audit_errors (the audit errors `--audit-errors`
prints into a share of the documents) and cli.

Report families (`--families`, opt-in; the default corpus is unchanged): families
(write_family_corpus, the API), family_docs (the documents of each family and their truth),
district (one national-form report drawn under family options, several per file for volumes),
university (the 高等学校 template), budget (部门预算), blank (the blank template form) and extras
(unknown tables, indented names, year-on-year wording, the family truth keys).
"""
