-- Follow-up: the full definition of the indexes whose keys the catalog could not settle.
-- $1 oid[]: the indexes.
SELECT i.indexrelid, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indexrelid = ANY ($1::oid[])
ORDER BY i.indexrelid
