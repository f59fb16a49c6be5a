-- Columns of the tables in scope, in physical order, with the attribute number, type and
-- collation OIDs the reader needs to resolve constraint and index keys. Plain defaults are
-- deparsed without a relation context (pg_get_expr(adbin, 0): a default cannot refer to
-- columns, the text is the same, only cheaper); generation expressions need the relation.
-- A collation is named only when it differs from the type's, as ruleutils'
-- generate_collation_name does (qualified unless visible on the pinned search_path).
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
            ELSE pg_get_expr(d.adbin, d.adrelid) END AS expression,
       CASE WHEN a.attcollation <> t.typcollation THEN
         CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
              ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p')
  AND {{relation_scope}}
ORDER BY a.attrelid, a.attnum
