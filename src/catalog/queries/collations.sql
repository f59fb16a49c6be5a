-- Every collation with its name as ruleutils' generate_collation_name prints it (qualified
-- unless visible on the pinned search_path).
SELECT co.oid,
       CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(co.collname) END AS name
FROM pg_collation co
JOIN pg_namespace n ON n.oid = co.collnamespace
ORDER BY co.oid
