-- Enum types in scope with their labels in sort order (not those created by extensions).
-- $1 text[]: schemas in scope.
SELECT n.nspname,
       t.typname,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND t.oid NOT IN ({{extension_members}} AND d.classid = 'pg_type'::regclass)
  AND n.oid NOT IN ({{extension_members}} AND d.classid = 'pg_namespace'::regclass)
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
ORDER BY n.nspname, t.typname
