-- dq_documents_by_status: how many documents parsed ok / partial / failed, by region, year and
-- doc_kind (all documents, duplicates included; region/year NULL when the parser could not tell).
CREATE OR REPLACE VIEW dq_documents_by_status AS
SELECT region, year, doc_kind, status, count(*) AS documents
FROM documents
GROUP BY ALL
ORDER BY region NULLS LAST, year NULLS LAST, doc_kind, status;
