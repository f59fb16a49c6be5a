-- Schemas that hold user objects: not pg_catalog, information_schema, pg_toast*, pg_temp_*
-- (PostgreSQL reserves the pg_ prefix), not created by an extension, and in scope.
-- $1 text[]: the schemas asked for (empty = all).
SELECT n.nspname
FROM pg_namespace n
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
ORDER BY n.nspname
