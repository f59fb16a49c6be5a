-- Table constraints in scope (NOT NULL is a column property: PostgreSQL 18's contype 'n' rows
-- are read only when NOT VALID, to be noted). Key columns come as attribute numbers, which
-- the reader resolves with the columns it read; only check expressions (pg_get_expr) and
-- exclusion constraints (pg_get_constraintdef) are deparsed by the server.
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
       co.conkey,
       -- The backing index of a primary key or unique constraint: its INCLUDE columns are
       -- the index keys after the first indnkeyatts.
       i.indkey::int2[] AS index_keys,
       i.indnkeyatts::int4 AS index_key_count,
       {{key_nulls_not_distinct}} AS nulls_not_distinct,
       co.confrelid,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       co.confkey,
       co.confupdtype::text AS on_update,
       co.confdeltype::text AS on_delete,
       co.confmatchtype::text AS match_type,
       {{delete_set_columns}} AS on_delete_set_columns,
       CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END AS check_expression,
       CASE WHEN co.contype = 'x' THEN pg_get_constraintdef(co.oid) END AS definition
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = co.conindid AND co.contype IN ('p', 'u')
LEFT JOIN pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE (co.contype IN ('p', 'u', 'f', 'c', 'x') {{invalid_not_null}})
  AND c.relkind IN ('r', 'p')
  AND {{relation_scope}}
  AND NOT (co.contype = 'f' AND co.conparentid <> 0 AND EXISTS (
        SELECT FROM pg_constraint pc WHERE pc.oid = co.conparentid AND pc.conrelid = co.conrelid))
ORDER BY co.conrelid, co.conname, co.contype
