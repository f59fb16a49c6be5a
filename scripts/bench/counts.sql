-- What one database holds, counted the way the generator predicts it (examples/bench_schema):
-- tables = ordinary and partitioned tables, partitions included (they carry their own copies of
-- columns, indexes and constraints); NOT NULL rows of PostgreSQL 18 (contype 'n') are not
-- constraints here. Output: one line, `tables|partitions|columns|indexes|constraints|enums`.
WITH rels AS (
    SELECT c.oid, c.relispartition
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%'
)
SELECT
    (SELECT count(*) FROM rels) AS tables,
    (SELECT count(*) FROM rels WHERE relispartition) AS partitions,
    (SELECT count(*) FROM pg_catalog.pg_attribute a JOIN rels r ON a.attrelid = r.oid
      WHERE a.attnum > 0 AND NOT a.attisdropped) AS columns,
    (SELECT count(*) FROM pg_catalog.pg_index i JOIN rels r ON i.indrelid = r.oid) AS indexes,
    (SELECT count(*) FROM pg_catalog.pg_constraint k JOIN rels r ON k.conrelid = r.oid
      WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')) AS constraints,
    (SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS enums;
