-- Ordinary and partitioned tables in scope, partitions included with their parent and bound.
-- Foreign tables are listed only when they are partitions (so that a partition list is never
-- silently short). $1 text[]: schemas in scope; $2 text[]: migration bookkeeping table names.
SELECT c.oid,
       n.nspname,
       c.relname,
       c.relkind::text AS relkind,
       c.relispartition,
       CASE WHEN c.relispartition THEN h.parents[1] END AS parent,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       -- Table inheritance (INHERITS), which the model reads as plain tables.
       CASE WHEN NOT c.relispartition THEN h.parent_names END AS inherits,
       CASE WHEN c.relname = ANY ($2::text[]) THEN has_table_privilege(c.oid, 'SELECT') END AS can_select
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN (
  SELECT ih.inhrelid,
         array_agg(ih.inhparent ORDER BY ih.inhseqno) AS parents,
         array_agg(pn.nspname || '.' || p.relname ORDER BY ih.inhseqno) AS parent_names
  FROM pg_inherits ih
  JOIN pg_class p ON p.oid = ih.inhparent
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
  GROUP BY ih.inhrelid
) h ON h.inhrelid = c.oid
WHERE (c.relkind IN ('r', 'p') OR (c.relkind = 'f' AND c.relispartition))
  AND {{relation_scope}}
ORDER BY n.nspname, c.relname
