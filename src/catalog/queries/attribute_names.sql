-- Follow-up: column names of tables referenced by foreign keys that were not read
-- themselves (another schema, or a table that belongs to an extension). $1 oid[]: the tables.
SELECT a.attrelid, a.attnum, a.attname
FROM pg_attribute a
WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
