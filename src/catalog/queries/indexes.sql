-- Indexes of the tables in scope that do not back a constraint (a primary key, unique or
-- exclusion constraint is the constraint, not an index). Keys come from the structured
-- columns (indkey, indclass, indcollation, indoption); the server deparses only expression
-- keys (pg_get_indexdef(oid, k, false)) and predicates (pg_get_expr).
--
-- COLLATE and the operator class are printed by pg_get_indexdef only when they differ from
-- the key's defaults (pg_get_indexdef_worker and get_opclass_name in ruleutils.c):
--   * COLLATE when indcollation differs from the key's own collation: the column's
--     attcollation, or for an expression its exprCollation;
--   * the operator class when it is not GetDefaultOpClass(key type, access method)
--     (indexcmds.c), or always when it has options (PostgreSQL 13+).
-- Both are decided here where the catalog allows; when it does not (an expression whose
-- collation or type the catalog does not record), the flag is NULL and the full
-- pg_get_indexdef is fetched so the reader can settle it by comparison.
-- $1 text[]: schemas in scope.
SELECT i.indrelid,
       ic.relname AS name,
       i.indisunique,
       i.indisvalid,
       am.amname,
       pg_indexam_has_property(am.oid, 'can_order') AS can_order,
       i.indnkeyatts::int4 AS key_count,
       i.indoption::int2[] AS key_options,
       k.columns,
       k.expressions,
       k.collations,
       k.collation_shown,
       k.opclasses,
       k.opclass_shown,
       CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END AS predicate,
       {{index_nulls_not_distinct}} AS nulls_not_distinct,
       -- get_reloptions (ruleutils.c): name=value, the value bare when quote_ident leaves it
       -- alone, else a literal with doubled quotes.
       ARRAY(SELECT quote_ident(split_part(o.opt, '=', 1)) || '='
                    || CASE WHEN quote_ident(o.val) = o.val THEN o.val
                            ELSE '''' || replace(o.val, '''', '''''') || '''' END
             FROM (SELECT r.opt,
                          CASE WHEN strpos(r.opt, '=') > 0 THEN substr(r.opt, strpos(r.opt, '=') + 1)
                               ELSE '' END AS val,
                          r.ord
                   FROM unnest(ic.reloptions) WITH ORDINALITY AS r(opt, ord)) o
             ORDER BY o.ord) AS storage_parameters,
       EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS attached,
       CASE WHEN k.undecided THEN pg_get_indexdef(i.indexrelid) END AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT array_agg(ta.attname ORDER BY u.ord) AS columns,
         array_agg(CASE WHEN u.attnum = 0 THEN pg_get_indexdef(i.indexrelid, u.ord::int4, false) END
                   ORDER BY u.ord) AS expressions,
         array_agg(CASE WHEN co.oid IS NOT NULL THEN
                     CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
                          ELSE quote_ident(con.nspname) || '.' || quote_ident(co.collname) END
                   END ORDER BY u.ord) AS collations,
         array_agg(s.collation_shown ORDER BY u.ord) AS collation_shown,
         array_agg(CASE WHEN oc.oid IS NOT NULL THEN
                     CASE WHEN pg_opclass_is_visible(oc.oid) THEN quote_ident(oc.opcname)
                          ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
                     || CASE WHEN ia.attoptions IS NOT NULL THEN
                          ' (' || (SELECT string_agg(quote_ident(split_part(o.opt, '=', 1)) || '='
                                       || CASE WHEN quote_ident(o.val) = o.val THEN o.val
                                               ELSE '''' || replace(o.val, '''', '''''') || '''' END,
                                       ', ' ORDER BY o.ord)
                                   FROM (SELECT r.opt, r.ord,
                                                CASE WHEN strpos(r.opt, '=') > 0
                                                     THEN substr(r.opt, strpos(r.opt, '=') + 1)
                                                     ELSE '' END AS val
                                         FROM unnest(ia.attoptions) WITH ORDINALITY AS r(opt, ord)) o)
                          || ')'
                        ELSE '' END
                   END ORDER BY u.ord) AS opclasses,
         array_agg(s.opclass_shown ORDER BY u.ord) AS opclass_shown,
         coalesce(bool_or(s.collation_shown IS NULL OR s.opclass_shown IS NULL), false) AS undecided
  FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[])
         WITH ORDINALITY AS u(attnum, opclass, coll, ord)
  LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = u.attnum AND u.attnum <> 0
  LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = u.ord
  LEFT JOIN pg_opclass oc ON oc.oid = u.opclass
  LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
  LEFT JOIN pg_collation co ON co.oid = u.coll
  LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
  -- The key's type: the column's, or for an expression the index column's (which is the
  -- expression's type unless the operator class stores another type, opckeytype).
  LEFT JOIN pg_type kt ON kt.oid = CASE WHEN u.attnum <> 0 THEN ta.atttypid
                                        WHEN oc.opckeytype = 0 THEN ia.atttypid END
  -- GetDefaultOpClass looks at the base type of a domain.
  LEFT JOIN pg_type kb ON kb.oid = CASE WHEN kt.typtype = 'd' THEN kt.typbasetype ELSE kt.oid END
  CROSS JOIN LATERAL (
    SELECT
      CASE WHEN u.ord > i.indnkeyatts OR u.coll IS NULL OR u.coll = 0 THEN false
           WHEN u.attnum <> 0 THEN u.coll <> ta.attcollation
           -- An expression's collation is the default one (100) when nothing in it says
           -- otherwise: no COLLATE clause and no column with another collation.
           WHEN u.coll = 100
                AND i.indexprs::text NOT LIKE '%{COLLATEEXPR%'
                AND NOT EXISTS (SELECT FROM pg_attribute ca
                                WHERE ca.attrelid = i.indrelid AND ca.attnum > 0
                                  AND NOT ca.attisdropped AND ca.attcollation NOT IN (0, 100))
             THEN false
      END AS collation_shown,
      CASE WHEN u.ord > i.indnkeyatts OR oc.oid IS NULL THEN false
           WHEN ia.attoptions IS NOT NULL THEN true
           WHEN NOT oc.opcdefault THEN true
           WHEN kb.oid IS NULL OR kb.typtype = 'd' THEN NULL
           -- At most one default operator class per type and access method.
           WHEN oc.opcintype = kb.oid THEN false
           ELSE oc.oid <> (
             -- GetDefaultOpClass (indexcmds.c): the exact default for the type, else the
             -- only binary-coercible preferred default, else the only binary-coercible one.
             SELECT CASE
                      WHEN count(*) FILTER (WHERE d.exact) = 1 THEN min(d.oid) FILTER (WHERE d.exact)
                      WHEN count(*) FILTER (WHERE d.exact) > 1 THEN 0::oid
                      WHEN count(*) FILTER (WHERE d.compatible AND d.preferred) = 1
                        THEN min(d.oid) FILTER (WHERE d.compatible AND d.preferred)
                      WHEN count(*) FILTER (WHERE d.compatible AND d.preferred) = 0
                           AND count(*) FILTER (WHERE d.compatible) = 1
                        THEN min(d.oid) FILTER (WHERE d.compatible)
                      ELSE 0::oid
                    END
             FROM (
               SELECT o.oid,
                      o.opcintype = kb.oid AS exact,
                      ot.typispreferred AND ot.typcategory = kb.typcategory AS preferred,
                      -- IsBinaryCoercible (parse_coerce.c), polymorphic targets included.
                      (o.opcintype IN (2276, 2283, 5077)                            -- any, anyelement, anycompatible
                       OR (o.opcintype IN (2277, 5078) AND kb.typelem <> 0 AND kb.typlen = -1)     -- anyarray
                       OR (o.opcintype IN (2776, 5079) AND NOT (kb.typelem <> 0 AND kb.typlen = -1)) -- anynonarray
                       OR (o.opcintype = 3500 AND kb.typtype = 'e')                 -- anyenum
                       OR (o.opcintype IN (3831, 5080) AND kb.typtype = 'r')        -- anyrange
                       OR (o.opcintype IN (4537, 4538) AND kb.typtype = 'm')        -- anymultirange
                       OR (o.opcintype = 2249 AND kb.typtype = 'c')                 -- record
                       OR (o.opcintype = 2287 AND kb.typelem <> 0 AND kb.typlen = -1 -- record[]
                           AND EXISTS (SELECT FROM pg_type et WHERE et.oid = kb.typelem AND et.typtype = 'c'))
                       OR EXISTS (SELECT FROM pg_cast pc
                                  WHERE pc.castsource = kb.oid AND pc.casttarget = o.opcintype
                                    AND pc.castmethod = 'b' AND pc.castcontext = 'i')) AS compatible
               FROM pg_opclass o
               JOIN pg_type ot ON ot.oid = o.opcintype
               WHERE o.opcmethod = oc.opcmethod AND o.opcdefault) d)
      END AS opclass_shown
  ) s
) k
WHERE c.relkind IN ('r', 'p')
  AND {{relation_scope}}
  AND NOT EXISTS (
        SELECT FROM pg_constraint x
        WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid AND x.contype IN ('p', 'u', 'x'))
ORDER BY n.nspname, c.relname, ic.relname
