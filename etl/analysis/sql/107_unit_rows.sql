-- unit_rows: the units' own reports (report_scope = 'unit', behind the quality gate), with their
-- region_level. Their figures are inside their department's report, so comparison_rows keeps them
-- out of every region aggregate (in_region_aggregates = false); this view shows them on their own.
CREATE OR REPLACE VIEW unit_rows AS
SELECT * FROM comparison_rows WHERE NOT in_region_aggregates;
