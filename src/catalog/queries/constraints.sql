-- Table constraints in scope (NOT NULL is a column property: PostgreSQL 18's contype 'n' rows
-- are read only when NOT VALID, to be noted). Structured columns are resolved to names here;
-- only check expressions (pg_get_expr) and exclusion constraints (pg_get_constraintdef) are
-- deparsed by the server.
-- A foreign key referencing a partitioned table has one clone per referenced partition on the
-- *same* referencing table (addFkRecurseReferenced in tablecmds.c); those are internal and
-- skipped. Clones on a referencing partition (addFkRecurseReferencing) are kept.
-- $1 text[]: schemas in scope.
SELECT co.conrelid,
       co.conname,
       co.contype::text AS contype,
       co.condeferrable,
       co.condeferred,
       co.convalidated,
       co.conislocal,
       co.conparentid <> 0 AS has_parent,
       co.connoinherit,
       {{conenforced}} AS enforced,
       {{conperiod}} AS period,
       CASE WHEN co.contype IN ('p', 'u', 'f') THEN
         ARRAY(SELECT a.attname
               FROM unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
               ORDER BY k.ord)
       END AS columns,
       CASE WHEN co.contype IN ('p', 'u') THEN
         ARRAY(SELECT a.attname
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE i.indexrelid = co.conindid AND k.ord > i.indnkeyatts
               ORDER BY k.ord)
       END AS include,
       CASE WHEN co.contype IN ('p', 'u') THEN {{key_nulls_not_distinct}} END AS nulls_not_distinct,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       CASE WHEN co.contype = 'f' THEN
         ARRAY(SELECT a.attname
               FROM unnest(co.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum
               ORDER BY k.ord)
       END AS ref_columns,
       co.confupdtype::text AS on_update,
       co.confdeltype::text AS on_delete,
       co.confmatchtype::text AS match_type,
       {{delete_set_columns}} AS on_delete_set_columns,
       CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END AS check_expression,
       CASE WHEN co.contype = 'x' THEN pg_get_constraintdef(co.oid) END AS definition
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE (co.contype IN ('p', 'u', 'f', 'c', 'x') {{invalid_not_null}})
  AND c.relkind IN ('r', 'p')
  AND {{relation_scope}}
  AND NOT (co.contype = 'f' AND co.conparentid <> 0 AND EXISTS (
        SELECT FROM pg_constraint pc WHERE pc.oid = co.conparentid AND pc.conrelid = co.conrelid))
ORDER BY co.conrelid, co.conname, co.contype
