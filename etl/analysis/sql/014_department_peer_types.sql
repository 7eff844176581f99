-- department_peer_types: the peer type of every (region, department) of department_ids (issue 21
-- point 6): departments doing the same job under different names pooled into one type. The
-- taxonomy is etl/analysis/peer_types.csv (a user's CSV, $JUESUAN_PEER_TYPES, is read first):
-- patterns (regular expressions) tried in order on name_key — the department_type after the rename
-- crosswalk — the first match giving the type (大数据中心 and 政务服务数据管理局 are both
-- 政务服务和数据管理). A name no pattern matches keeps its name_key as its type (peer_type_matched
-- false), so renamed bodies are still pooled by the crosswalk. docs/views.md lists the taxonomy.
CREATE OR REPLACE VIEW department_peer_types AS
SELECT
    i.region, i.department, i.name_key,
    coalesce(m.peer_type, i.name_key) AS peer_function,
    m.peer_type IS NOT NULL AS peer_type_matched
FROM department_ids AS i
LEFT JOIN (
    SELECT i2.region, i2.department, arg_min(p.peer_type, p.position) AS peer_type
    FROM department_ids AS i2 JOIN peer_type_patterns AS p ON regexp_matches(i2.name_key, p.pattern)
    GROUP BY i2.region, i2.department
) AS m USING (region, department);

-- peer_type(function, report_scope): units (a unit's own report) are typed apart from departments,
-- so no peer group mixes a department with one of its units.
CREATE OR REPLACE MACRO peer_type(peer_function, report_scope) AS
    CASE WHEN report_scope = 'unit' THEN peer_function || '（单位）' ELSE peer_function END;
