-- Columns of the tables in scope, with the attribute number, type and
-- collation OIDs the reader needs to resolve constraint and index keys. Plain defaults are
-- deparsed without a relation context (pg_get_expr(adbin, 0): a default cannot refer to
-- columns, the text is the same, only cheaper); generation expressions need the relation.
-- The reader names the collation when it differs from the type's (from the types and
-- collations lookups).
-- Unordered: sorting the wide rows here costs more than ordering them in the reader.
-- $1 text[]: schemas in scope.
SELECT a.attrelid,
       a.attnum,
       a.attname,
       a.atttypid,
       a.attcollation,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0)
            ELSE pg_get_expr(d.adbin, d.adrelid) END AS expression
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p')
  AND {{relation_scope}}
