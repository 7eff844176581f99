-- department_ids: a stable department_id for every (region, department) seen in a final-accounts
-- document, surviving renames and spelling variants so a department is followed across years.
--   region_key  the region's full name: a short name (普陀区) is resolved to the one full name in
--               the corpus that ends with it (上海市普陀区); kept as printed when none or several do.
--   name_key    department_type (region prefix, 中共…委员会/委 and aliases already unified by the
--               ETL) after the rename crosswalk: department_renames maps an old name to its
--               current one (机构改革 2018–19: 卫生和计划生育局 → 卫生健康委员会, …), chains resolved,
--               optionally for one region only. The shipped crosswalk is
--               etl/analysis/department_renames.csv; users add their own CSV (same columns) through
--               connect(crosswalk=…) or $JUESUAN_CROSSWALK.
--   department_id  the manifest's department_id where given (documents.manifest_department_id),
--               else region_key || '/' || name_key.
CREATE OR REPLACE VIEW department_ids AS
WITH names AS (
    SELECT region, department,
           arg_max(department_type, year) AS department_type,          -- the latest reading
           max(manifest_department_id) AS manifest_department_id
    FROM documents
    WHERE coalesce(doc_kind, 'final_accounts') = 'final_accounts'
      AND region IS NOT NULL AND department IS NOT NULL AND year IS NOT NULL
    GROUP BY region, department
),
regions AS (SELECT DISTINCT region FROM names),
region_keys AS (
    SELECT r.region,
           coalesce((SELECT CASE WHEN count(*) = 1 THEN any_value(f.region) END
                     FROM regions AS f
                     WHERE f.region <> r.region AND f.region LIKE '%' || r.region), r.region) AS region_key
    FROM regions AS r
),
keyed AS (
    SELECT n.*, k.region_key
    FROM names AS n JOIN region_keys AS k USING (region)
),
renamed AS (
    SELECT k.*,
           -- a region-specific rename wins over one that applies everywhere
           (SELECT arg_min(c.new_name, CASE WHEN c.region IS NULL THEN 1 ELSE 0 END)
            FROM department_renames AS c
            WHERE c.old_name IN (k.department_type, k.department)
              AND (c.region IS NULL OR c.region IN (k.region, k.region_key))) AS renamed_to
    FROM keyed AS k
)
SELECT
    region, department, department_type, region_key,
    coalesce(renamed_to, department_type, department) AS name_key,
    renamed_to IS NOT NULL AS renamed,
    coalesce(manifest_department_id,
             region_key || '/' || coalesce(renamed_to, department_type, department)) AS department_id
FROM renamed;
