//! What is read and what is left out: extension-owned objects, system schemas, the schema
//! filter, migration bookkeeping tables, notes for what the model reads differently, and the
//! round trips a read takes.

use pgdrift::catalog::ReadOptions;
use pgdrift::model::{NoteKind, QualifiedName};

use crate::catalog_common::{read, read_with, runtime, session};
use crate::catalog_oracle::compare_with_server;
use crate::harness::fresh_db;

#[test]
fn objects_created_by_extensions_are_not_read() {
    let db = fresh_db("catalog_extensions");
    db.exec(
        "CREATE EXTENSION citext; \
         CREATE SCHEMA ext_owned; CREATE TABLE ext_owned.inside (id int PRIMARY KEY); \
         CREATE TABLE public.ext_table (id int PRIMARY KEY, v public.citext); \
         CREATE TYPE public.ext_enum AS ENUM ('a'); \
         CREATE TABLE public.mine (id int PRIMARY KEY, v public.citext, e public.ext_enum, \
           ext_ref int REFERENCES public.ext_table (id)); \
         ALTER EXTENSION citext ADD SCHEMA ext_owned; \
         ALTER EXTENSION citext ADD TABLE public.ext_table; \
         ALTER EXTENSION citext ADD TYPE public.ext_enum",
    );
    let loaded = read(&db.url());
    let public = &loaded.schema.namespaces["public"];
    assert!(public.tables.contains_key("mine"));
    assert!(!public.tables.contains_key("ext_table"));
    assert!(!public.enums.contains_key("ext_enum"));
    assert!(!loaded.schema.namespaces.contains_key("ext_owned"));
    assert_eq!(public.tables["mine"].columns[1].data_type, "public.citext");
    // No system schema leaks in.
    for name in loaded.schema.namespaces.keys() {
        assert!(
            !name.starts_with("pg_") && name != "information_schema",
            "{name}"
        );
    }
    assert!(compare_with_server(&db, &loaded).is_empty());
}

#[test]
fn the_schema_filter_keeps_partition_trees_whole() {
    let db = fresh_db("catalog_schema_filter");
    db.exec(
        "CREATE SCHEMA app; CREATE SCHEMA other; \
         CREATE TABLE public.m (id int, at date) PARTITION BY RANGE (at); \
         CREATE TABLE app.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'); \
         CREATE TABLE app.own (id int, \"otherId\" int); CREATE TABLE other.t (\"Id\" int PRIMARY KEY); \
         ALTER TABLE app.own ADD FOREIGN KEY (\"otherId\") REFERENCES other.t (\"Id\"); \
         CREATE TYPE app.e AS ENUM ('x')",
    );
    let only_public = read_with(
        &db.url(),
        &ReadOptions {
            schemas: vec!["public".into()],
        },
    );
    assert_eq!(
        only_public.schema.namespaces.keys().collect::<Vec<_>>(),
        vec!["public"]
    );
    let m = &only_public.schema.namespaces["public"].tables["m"];
    assert!(m
        .partitions
        .contains_key(&QualifiedName::new("app", "m_2024")));

    let only_app = read_with(
        &db.url(),
        &ReadOptions {
            schemas: vec!["app".into(), "nope".into()],
        },
    );
    assert_eq!(
        only_app.schema.namespaces.keys().collect::<Vec<_>>(),
        vec!["app"]
    );
    let app = &only_app.schema.namespaces["app"];
    assert_eq!(app.tables.keys().collect::<Vec<_>>(), vec!["own"]);
    assert!(app.enums.contains_key("e"));
    // The referenced table is out of scope; its column names are still read.
    let fk = &app.tables["own"].constraints["own_otherId_fkey"];
    assert_eq!(
        pgdrift::model::constraint_definition(fk, only_app.server_version.unwrap()),
        "FOREIGN KEY (\"otherId\") REFERENCES other.t(\"Id\")"
    );
    assert!(only_app
        .notes
        .iter()
        .any(|n| n.message.contains("schema \"nope\" does not exist")));

    let all = read(&db.url());
    assert_eq!(
        all.schema.namespaces.keys().collect::<Vec<_>>(),
        vec!["app", "other", "public"]
    );
}

#[test]
fn migration_bookkeeping_tables_are_read_and_kept() {
    let db = fresh_db("catalog_migrations");
    db.exec(
        "CREATE SCHEMA flyway; CREATE SCHEMA ecto; CREATE SCHEMA gm; CREATE SCHEMA odd; \
         CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY); \
         INSERT INTO public.alembic_version VALUES ('ae1027a6acf'); \
         CREATE TABLE public.schema_migrations (version varchar(255) PRIMARY KEY); \
         INSERT INTO public.schema_migrations VALUES ('20240102000000'), ('20240101000000'); \
         CREATE TABLE ecto.schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp); \
         INSERT INTO ecto.schema_migrations VALUES (20240101, now()); \
         CREATE TABLE gm.schema_migrations (version bigint NOT NULL, dirty boolean NOT NULL); \
         INSERT INTO gm.schema_migrations VALUES (7, true); \
         CREATE TABLE odd.schema_migrations (name text); \
         CREATE TABLE flyway.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), \
           description varchar(200), type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), \
           installed_on timestamp DEFAULT now(), execution_time int, success boolean); \
         INSERT INTO flyway.flyway_schema_history (installed_rank, version, script, success) VALUES \
           (1, '1', 'V1__init.sql', true), (2, '2', 'V2__users.sql', false), (3, NULL, 'R__views.sql', true); \
         CREATE TABLE public.__diesel_schema_migrations (version varchar(50) PRIMARY KEY, run_on timestamp DEFAULT now()); \
         INSERT INTO public.__diesel_schema_migrations (version) VALUES ('20240101000000'), ('00000000000000'); \
         CREATE TABLE public.goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now()); \
         INSERT INTO public.goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (2, false), (3, true); \
         CREATE TABLE public.knex_migrations (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz); \
         INSERT INTO public.knex_migrations (name) VALUES ('20240101_init.js'), ('20240102_users.js'); \
         CREATE TABLE public._sqlx_migrations (version bigint PRIMARY KEY, description text, installed_on timestamptz DEFAULT now(), \
           success boolean NOT NULL, checksum bytea, execution_time bigint); \
         INSERT INTO public._sqlx_migrations (version, description, success) VALUES (20240101, 'init', true), (20240102, 'broken', false)",
    );
    let loaded = read(&db.url());
    let got: Vec<(String, String, Vec<String>)> = loaded
        .recorded_migrations
        .iter()
        .map(|r| (r.table.to_string(), r.tool.clone(), r.applied.clone()))
        .collect();
    let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "ecto.schema_migrations".into(),
                "ecto".into(),
                v(&["20240101"])
            ),
            (
                "flyway.flyway_schema_history".into(),
                "flyway".into(),
                v(&["V1__init.sql", "R__views.sql"])
            ),
            (
                "gm.schema_migrations".into(),
                "golang-migrate".into(),
                v(&["7 (dirty)"])
            ),
            (
                "public.__diesel_schema_migrations".into(),
                "diesel".into(),
                v(&["00000000000000", "20240101000000"])
            ),
            (
                "public._sqlx_migrations".into(),
                "sqlx".into(),
                v(&["20240101"])
            ),
            (
                "public.alembic_version".into(),
                "alembic".into(),
                v(&["ae1027a6acf"])
            ),
            (
                "public.goose_db_version".into(),
                "goose".into(),
                v(&["1", "3"])
            ),
            (
                "public.knex_migrations".into(),
                "knex".into(),
                v(&["20240101_init.js", "20240102_users.js"])
            ),
            (
                "public.schema_migrations".into(),
                "rails/dbmate".into(),
                v(&["20240101000000", "20240102000000"])
            ),
        ]
    );
    // The tables stay in the schema; an unrecognisable one is noted, not read.
    assert!(loaded.schema.namespaces["public"]
        .tables
        .contains_key("alembic_version"));
    assert!(loaded
        .notes
        .iter()
        .any(|n| n.message.contains("odd.schema_migrations")));

    // Reading bookkeeping tables costs one round trip, shared with the COMMIT.
    let rt = runtime();
    let s = session(&rt, &db.url());
    let before = s.round_trips();
    rt.block_on(s.read(&ReadOptions::default())).unwrap();
    assert_eq!(s.round_trips() - before, 2);
}

#[test]
fn a_read_takes_two_round_trips() {
    let db = fresh_db("catalog_round_trips");
    db.exec("CREATE TABLE t (id int PRIMARY KEY)");
    let rt = runtime();
    let s = session(&rt, &db.url());
    assert_eq!(s.round_trips(), 1, "session setup");
    rt.block_on(s.read(&ReadOptions::default())).unwrap();
    assert_eq!(s.round_trips(), 3);
}

#[test]
fn what_the_model_reads_differently_is_noted() {
    let db = fresh_db("catalog_notes");
    let major = db.server.major();
    db.exec(
        "CREATE TABLE public.p (id int, k text) PARTITION BY LIST (k); \
         CREATE TABLE public.p_a PARTITION OF public.p FOR VALUES IN ('a'); \
         CREATE EXTENSION file_fdw; CREATE SERVER files FOREIGN DATA WRAPPER file_fdw; \
         CREATE FOREIGN TABLE public.p_remote PARTITION OF public.p FOR VALUES IN ('r') SERVER files OPTIONS (filename '/dev/null'); \
         CREATE TABLE public.t (a int); CREATE INDEX t_broken ON public.t (a); \
         UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'public.t_broken'::regclass",
    );
    if major >= 18 {
        db.exec(
            "CREATE TABLE public.u (a int, b int, CONSTRAINT a_pos CHECK (a > 0) NOT ENFORCED); \
             ALTER TABLE public.u ADD CONSTRAINT b_nn NOT NULL b NOT VALID",
        );
    } else {
        eprintln!("SKIPPED on PostgreSQL {major}: NOT ENFORCED and NOT VALID NOT NULL (18+)");
    }
    let loaded = read(&db.url());
    let notes: Vec<&str> = loaded.notes.iter().map(|n| n.message.as_str()).collect();
    let has = |text: &str| notes.iter().any(|n| n.contains(text));
    assert!(
        has("public.p_remote is a foreign-table partition of public.p"),
        "{notes:?}"
    );
    assert!(has("public.t.t_broken: index is INVALID"), "{notes:?}");
    let p = &loaded.schema.namespaces["public"].tables["p"];
    assert_eq!(p.partitions.len(), 1);
    assert!(!loaded.schema.namespaces["public"]
        .tables
        .contains_key("p_remote"));
    if major >= 18 {
        assert!(
            has("public.u.a_pos: constraint is NOT ENFORCED"),
            "{notes:?}"
        );
        assert!(
            has("public.u.b_nn: NOT NULL constraint is NOT VALID"),
            "{notes:?}"
        );
        let u = &loaded.schema.namespaces["public"].tables["u"];
        assert!(u.columns[1].not_null);
        assert!(!u.constraints.contains_key("b_nn"));
    }
    assert!(loaded.notes.iter().all(|n| n.kind == NoteKind::Info));
}
