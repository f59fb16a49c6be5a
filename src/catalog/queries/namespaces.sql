-- Schemas that hold user objects: not pg_catalog, information_schema, pg_toast*, pg_temp_*
-- (PostgreSQL reserves the pg_ prefix), not created by an extension, and in scope.
-- $1 text[]: the schemas asked for (empty = all).
SELECT n.nspname
FROM pg_namespace n
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.oid NOT IN ({{extension_members}} AND d.classid = 'pg_namespace'::regclass)
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
ORDER BY n.nspname
