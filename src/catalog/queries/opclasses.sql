-- Every operator class, with what GetDefaultOpClass (indexcmds.c) needs and its name as
-- ruleutils' get_opclass_name prints it (qualified unless visible on the pinned search_path).
SELECT oc.oid,
       oc.opcmethod,
       oc.opcintype,
       oc.opckeytype,
       oc.opcdefault,
       CASE WHEN pg_opclass_is_visible(oc.oid) THEN quote_ident(oc.opcname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(oc.opcname) END AS name
FROM pg_opclass oc
JOIN pg_namespace n ON n.oid = oc.opcnamespace
ORDER BY oc.oid
