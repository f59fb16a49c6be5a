//! `DO` blocks with existence guards and `CREATE SCHEMA` with schema elements, checked
//! against the server: each snippet is loaded with psql into a fresh database and replayed
//! statically; the two listings must agree, and the replay must say how it read each block.

use pgdrift::model::Loaded;

use crate::ddl_replay_semantics::{agree, replay};

fn messages(loaded: &Loaded) -> Vec<String> {
    loaded
        .notes
        .iter()
        .map(|n| format!("{:?} {}", n.kind, n.message))
        .collect()
}

#[test]
fn guarded_create_schema_then_its_tables() {
    // Supabase storage's first migration (FINDINGS F3), and the pg_namespace spelling.
    agree(
        "guard_schema",
        r#"
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'storage') THEN
    CREATE SCHEMA storage;
  END IF;
END $$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'Audit') THEN
        CREATE SCHEMA "Audit";
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'storage') THEN
        CREATE SCHEMA this_must_not_run;
    END IF;
END
$$;
CREATE TABLE IF NOT EXISTS "storage"."buckets" ("id" text PRIMARY KEY, "name" text NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "bname" ON "storage"."buckets" USING BTREE ("name");
CREATE TABLE "Audit".log (id int);
"#,
    );
}

#[test]
fn guarded_enum_types() {
    let loaded = agree(
        "guard_type",
        r#"
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad');
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'status') THEN
    CREATE TYPE status AS ENUM ('active', 'inactive');
  END IF;
END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typname = 'mood' AND n.nspname = 'public') THEN
    CREATE TYPE public.mood AS ENUM ('happy', 'ok');
  END IF;
  -- exists already: the branch must not run
  IF NOT EXISTS (SELECT 1 FROM pg_type t, pg_namespace n
                 WHERE n.oid = t.typnamespace AND t.typname = 'mood' AND n.nspname = 'app') THEN
    CREATE TYPE app.mood AS ENUM ('never');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'glad' AND enumtypid = 'app.mood'::regtype) THEN
    ALTER TYPE app.mood ADD VALUE 'glad';
  END IF;
END $$;
CREATE TABLE t (s status, m mood, a app.mood);
"#,
    );
    assert!(messages(&loaded).iter().any(|m| m
        .starts_with("Info DO $$ … `IF NOT EXISTS (SELECT 1 FROM pg_type t, pg_namespace n")
        && m.contains("is false here")));
}

#[test]
fn guarded_tables_indexes_and_constraints() {
    agree(
        "guard_relations",
        r#"
CREATE TABLE users (id int PRIMARY KEY, email text);
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'orders' AND n.nspname = current_schema() AND c.relkind = 'r') THEN
    CREATE TABLE orders (id int PRIMARY KEY, user_id int);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'users') THEN
    CREATE TABLE users (never int);
  ELSE
    CREATE TABLE users_seen (id int);
  END IF;
  IF NOT EXISTS (SELECT * FROM information_schema.tables WHERE table_name = 'items') THEN
    CREATE TABLE items (id int);
  END IF;
  IF to_regclass('public.items') IS NOT NULL AND to_regclass('nope') IS NULL THEN
    CREATE TABLE regclass_ok (id int);
  END IF;
END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email_idx') THEN
    CREATE INDEX users_email_idx ON users (email);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'users_email_idx') THEN
    CREATE INDEX users_email_idx2 ON users (email);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'orders_user_id_fkey') THEN
    ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'u') THEN
    ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
  END IF;
  IF (SELECT count(*) FROM information_schema.table_constraints
      WHERE table_name = 'users' AND constraint_type = 'UNIQUE') = 0 THEN
    ALTER TABLE users ADD CONSTRAINT users_email_key2 UNIQUE (email);
  END IF;
END $$;
"#,
    );
}

#[test]
fn guarded_columns_renames_and_drops() {
    agree(
        "guard_columns",
        r#"
CREATE SCHEMA app;
SET search_path = app, public;
CREATE TABLE posts (id varchar(26) PRIMARY KEY, props varchar(8000), "Old" int, legacy int);
CREATE TABLE stale (id int);
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'posts' AND column_name = 'title') THEN
    ALTER TABLE posts ADD COLUMN title text;
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'Old') THEN
    ALTER TABLE posts RENAME COLUMN "Old" TO renamed;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'posts'::regclass AND attname = 'legacy' AND NOT attisdropped) THEN
    ALTER TABLE posts DROP COLUMN legacy;
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'app' AND table_name = 'stale') THEN
    DROP TABLE stale;
  END IF;
  -- Mattermost's idiom: change a column's type unless it already has it.
  IF (SELECT data_type FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'props') <> 'jsonb' THEN
    ALTER TABLE posts ALTER COLUMN props TYPE jsonb USING props::jsonb;
  END IF;
  IF (SELECT data_type FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'id') = 'character varying' THEN
    ALTER TABLE posts ALTER COLUMN id TYPE varchar(64);
  END IF;
END $$;
"#,
    );
}

#[test]
fn variables_set_by_select_into() {
    // Mattermost's idiom (FINDINGS F2): a flag from the catalog, then IF flag THEN.
    agree(
        "guard_variables",
        r#"
CREATE TABLE teams (id varchar(26), alloweddomains varchar(500), "type" varchar(64));
DO $$
DECLARE
    column_exist boolean := false;
BEGIN
SELECT count(*) != 0 INTO column_exist
    FROM information_schema.columns
    WHERE table_name = 'teams'
    AND table_schema = current_schema()
    AND column_name = 'alloweddomains'
    AND NOT data_type = 'varchar(1000)';
IF column_exist THEN
    ALTER TABLE teams ALTER COLUMN alloweddomains TYPE VARCHAR(1000);
END IF;
END $$;
DO $$
<<fix_type>>
DECLARE
    current_type text;
    n int;
BEGIN
    SELECT data_type INTO current_type FROM information_schema.columns
     WHERE table_name = 'teams' AND column_name = 'type';
    n := 1;
    IF current_type = 'character varying' AND n = 1 THEN
        ALTER TABLE teams ALTER COLUMN "type" TYPE varchar(255);
    END IF;
    SELECT data_type INTO current_type FROM information_schema.columns
     WHERE table_name = 'teams' AND column_name = 'missing';
    IF current_type IS NULL THEN
        ALTER TABLE teams ADD COLUMN missing int;
    END IF;
END fix_type $$;
"#,
    );
}

#[test]
fn exception_handlers_nested_blocks_and_constant_execute() {
    let loaded = agree(
        "guard_exceptions",
        r#"
CREATE TABLE a (id int PRIMARY KEY);
DO $$ BEGIN CREATE TABLE a (x int); EXCEPTION WHEN duplicate_table THEN NULL; END $$;
DO $$ BEGIN ALTER TABLE a ADD COLUMN id int; EXCEPTION WHEN duplicate_column THEN RAISE NOTICE 'exists'; END $$;
DO $$ BEGIN DROP TYPE nope; EXCEPTION WHEN undefined_object THEN NULL; END $$;
DO $$ BEGIN CREATE TABLE a (y int); EXCEPTION WHEN others THEN NULL; END $$;
DO LANGUAGE plpgsql $$
BEGIN
  CREATE TABLE b (id int);
  BEGIN
    CREATE TABLE c (id int);
    CREATE TABLE a (id int);
  EXCEPTION WHEN duplicate_table THEN NULL;
  END;
  EXECUTE 'CREATE INDEX b_id_idx ON b (id)';
  EXECUTE 'ALTER TABLE b ' || 'ADD COLUMN note text';
  BEGIN
    ALTER TABLE b ADD CONSTRAINT b_id_check CHECK (id > 0);
  END;
END
$$;
"#,
    );
    let m = messages(&loaded);
    assert!(
        m.iter().any(
            |m| m.contains("`CREATE TABLE a (id int)` (line 12) fails here")
                && m.contains("undoes that inner block")
        ),
        "{m:#?}"
    );
}

#[test]
fn unevaluable_guards_apply_creations_if_not_exists() {
    let loaded = agree(
        "guard_unevaluable",
        r#"
CREATE TABLE t (id int, v int);
-- The guard is false on the server (the role exists): nothing runs. Statically it cannot
-- be evaluated, and every creation is skipped because its object exists.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user) THEN
    CREATE TABLE t (id int);
    ALTER TABLE t ADD COLUMN v int;
  END IF;
END $$;
-- True on the server: everything runs, as it does statically.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgdrift_nobody') THEN
    CREATE TABLE u (id int);
    ALTER TABLE t ADD COLUMN w int;
    CREATE INDEX t_w_idx ON t (w);
    GRANT SELECT ON t TO PUBLIC;
  END IF;
END $$;
"#,
    );
    let m = messages(&loaded);
    assert!(
        m.iter().any(|m| m.contains("cannot be evaluated statically; its creations are applied as their IF NOT EXISTS forms would be")),
        "{m:#?}"
    );
    assert!(
        m.iter().any(|m| m
            == "Info CREATE TABLE t (id int) … skipped: relation \"t\" already exists (applied as IF NOT EXISTS)"),
        "{m:#?}"
    );
}

#[test]
fn create_schema_with_elements() {
    // AdventureWorks' form (FINDINGS F1), elements in an order PostgreSQL sorts by kind.
    agree(
        "schema_elements",
        r#"
CREATE SCHEMA Person
  CREATE TABLE BusinessEntity (BusinessEntityID SERIAL, ModifiedDate TIMESTAMP NOT NULL DEFAULT (NOW()))
  CREATE TABLE CountryRegion (CountryRegionCode varchar(3) NOT NULL);
ALTER TABLE Person.BusinessEntity ADD CONSTRAINT "PK_BE" PRIMARY KEY (BusinessEntityID);
CREATE SCHEMA s AUTHORIZATION CURRENT_USER
  CREATE INDEX i ON t (a)
  CREATE VIEW v AS SELECT * FROM t
  GRANT SELECT ON t TO PUBLIC
  CREATE TABLE t (a int PRIMARY KEY, b serial)
  CREATE TABLE r (a int REFERENCES t, CHECK (a > 0))
  CREATE SEQUENCE q;
CREATE TABLE t (x int);
"#,
    );
}

#[test]
fn bodies_that_cannot_be_run_are_notes_naming_their_changes() {
    let loaded = replay(
        r#"CREATE TABLE posts (id int, props text);
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT 1 LOOP ALTER TABLE posts ALTER COLUMN props TYPE jsonb USING props::jsonb, DROP COLUMN id; END LOOP;
END $$;
DO $$ DECLARE role text := 'anon'; BEGIN
  EXECUTE 'grant usage on schema public to ' || role;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon;
  ALTER TABLE posts OWNER TO anon;
END $$;
DO $$ BEGIN
  IF (SELECT current_setting('server_version_num')::int) >= 120000 THEN
    ALTER TABLE posts ADD COLUMN x int;
    ALTER TABLE posts ALTER COLUMN props TYPE varchar(10);
  END IF;
END $$;
ALTER TABLE "Missing"."Rel" ADD COLUMN x int;
"#,
    );
    let m = messages(&loaded);
    assert_eq!(
        m,
        [
            "NotModelled DO $$ … not modelled; its body may run ALTER TABLE posts ALTER COLUMN props TYPE jsonb, DROP COLUMN id",
            "Info DO $$ … not run: its body only runs GRANT, ALTER DEFAULT PRIVILEGES, OWNER TO, which change nothing pgdrift models",
            "NotModelled DO $$ … not modelled: its `IF (SELECT current_setting('server_version_num')::int) >=` (line 11) cannot be evaluated statically; the body may run ALTER TABLE posts ALTER COLUMN props TYPE varchar(10)",
            "Info ALTER TABLE \"Missing\".\"Rel\" ADD COLUMN x int … not applied: relation \"Missing.Rel\" does not exist",
        ],
        "{m:#?}"
    );
}
