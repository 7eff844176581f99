-- department_years: one row per department-year, naming the version the comparison views use
-- (the rule is in document_versions), its stable department_id (see department_ids) and every
-- doc_id that arrived for it. versions_disagree: another version of the department-year prints a
-- headline figure (三公 合计 决算, 人员经费, 05 合计) differing beyond rounding (document_versions).
CREATE OR REPLACE VIEW department_years AS
SELECT
    v.dy_key,
    any_value(i.department_id) AS department_id,
    v.region,
    v.department,
    arg_min(v.department_type, v.version_rank) AS department_type,
    peer_type(any_value(pt.peer_function), arg_min(v.report_scope, v.version_rank)) AS peer_type,  -- 014
    v.year,
    arg_min(v.doc_id, v.version_rank) AS doc_id,          -- the chosen version
    arg_min(v.status, v.version_rank) AS status,          -- status of the chosen version
    arg_min(v.source_file, v.version_rank) AS source_file,
    arg_min(v.report_scope, v.version_rank) AS report_scope,   -- department, or unit (one unit's own report)
    arg_min(v.template, v.version_rank) AS template,           -- the report family
    arg_min(v.report_form, v.version_rank) AS report_form,     -- the province form (sichuan, yunnan …)
    arg_min(v.body_kind, v.version_rank) AS body_kind,         -- hospital, school, town
    arg_min(v.source_format, v.version_rank) AS source_format, -- pdf, html, text
    arg_min(v.publication, v.version_rank) AS publication,     -- full, sangong_only …
    count(*) AS versions,
    count(*) > 1 AS is_duplicate,
    bool_or(v.disagrees) AS versions_disagree,
    list(v.doc_id ORDER BY v.version_rank) AS all_doc_ids          -- best first
FROM document_versions AS v
LEFT JOIN department_ids AS i USING (region, department)
LEFT JOIN department_peer_types AS pt USING (region, department)
GROUP BY v.dy_key, v.region, v.department, v.year;
