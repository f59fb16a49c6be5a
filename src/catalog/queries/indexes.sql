-- Indexes of the tables in scope that do not back a constraint (a primary key, unique or
-- exclusion constraint is the constraint, not an index). Keys come from the structured
-- columns (indkey, indclass, indcollation, indoption) and are resolved by the reader; the
-- server deparses only expression keys (pg_get_indexdef(oid, k, false)) and predicates.
-- Operator class options (PostgreSQL 13+) live on the index's own attributes.
-- $1 text[]: schemas in scope.
WITH am AS MATERIALIZED (
  -- Once per access method, not per index.
  SELECT a.oid, a.amname, pg_indexam_has_property(a.oid, 'can_order') AS can_order FROM pg_am a
)
SELECT i.indexrelid,
       i.indrelid,
       ic.relname AS name,
       i.indisunique,
       i.indisvalid,
       am.amname,
       am.can_order,
       i.indnkeyatts::int4 AS key_count,
       i.indkey::int2[] AS attnums,
       i.indclass::oid[] AS opclasses,
       i.indcollation::oid[] AS collations,
       i.indoption::int2[] AS key_options,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, false) END
               FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k)
       END AS expressions,
       -- The index columns' types: for an expression key, its type (unless the operator
       -- class stores another, opckeytype).
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT ia.atttypid FROM pg_attribute ia
               WHERE ia.attrelid = i.indexrelid AND ia.attnum > 0 ORDER BY ia.attnum)
       END AS key_types,
       -- A COLLATE clause inside an expression changes the expression's collation.
       CASE WHEN i.indexprs IS NOT NULL THEN strpos(i.indexprs::text, '{COLLATEEXPR') > 0 END
         AS collate_in_expressions,
       CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END AS predicate,
       {{index_nulls_not_distinct}} AS nulls_not_distinct,
       CASE WHEN ic.reloptions IS NOT NULL THEN
         ARRAY(SELECT {{render_option}} FROM unnest(ic.reloptions) WITH ORDINALITY AS r(opt, ord) ORDER BY r.ord)
       END AS storage_parameters,
       o.options AS opclass_options,
       h.inhrelid IS NOT NULL AS attached
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid
LEFT JOIN (
  -- "k:rendered options" per key with options: get_reloptions' rendering.
  SELECT a.attrelid,
         array_agg(a.attnum || ':' || (SELECT string_agg({{render_option}}, ', ' ORDER BY r.ord)
                                       FROM unnest(a.attoptions) WITH ORDINALITY AS r(opt, ord))
                   ORDER BY a.attnum) AS options
  FROM pg_attribute a
  WHERE a.attoptions IS NOT NULL
  GROUP BY a.attrelid
) o ON o.attrelid = i.indexrelid
WHERE c.relkind IN ('r', 'p')
  AND {{relation_scope}}
  -- (a hashed NOT IN: pg_constraint has no index on conindid)
  AND i.indexrelid NOT IN (SELECT x.conindid FROM pg_constraint x WHERE x.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
