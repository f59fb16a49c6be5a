-- Types as IsBinaryCoercible and TypeCategory (parse_coerce.c) see them, without table row
-- types and their arrays (an index key of such a type is settled by comparison instead),
-- plus the implicit binary-coercible casts (castsource, casttarget as a second row kind).
-- typcollation decides whether a column's collation is printed (generate_collation_name).
SELECT 't' AS kind,
       t.oid,
       t.typtype::text AS typtype,
       t.typbasetype AS base,
       t.typelem <> 0 AND t.typlen = -1 AS is_array,
       t.typcategory::text AS category,
       t.typispreferred AS preferred,
       et.typtype::text AS element_typtype,
       t.typcollation
FROM pg_type t
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typlen = -1
WHERE t.typtype <> 'c'
  AND NOT (t.typelem <> 0 AND t.typlen = -1 AND et.typtype = 'c')
UNION ALL
SELECT 'c', pc.castsource, NULL, pc.casttarget, NULL, NULL, NULL, NULL, NULL
FROM pg_cast pc
WHERE pc.castmethod = 'b' AND pc.castcontext = 'i'
ORDER BY 1, 2, 4
