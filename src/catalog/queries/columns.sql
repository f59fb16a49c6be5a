-- Columns of the tables in scope, in physical order. Plain defaults are deparsed without a
-- relation context (pg_get_expr(adbin, 0): a default cannot refer to columns, and the text
-- is the same, only cheaper); generation expressions need the relation.
-- A collation is reported only when it differs from the type's, named as ruleutils'
-- generate_collation_name does (qualified unless visible on the pinned search_path).
SELECT a.attrelid,
       a.attname,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.atthasdef THEN
         (SELECT CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0)
                      ELSE pg_get_expr(d.adbin, d.adrelid) END
          FROM pg_attrdef d
          WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum)
       END AS expression,
       CASE WHEN a.attcollation <> t.typcollation THEN
         (SELECT CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
          FROM pg_collation co
          JOIN pg_namespace cn ON cn.oid = co.collnamespace
          WHERE co.oid = a.attcollation)
       END AS collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p')
  AND {{relation_scope}}
ORDER BY a.attrelid, a.attnum
