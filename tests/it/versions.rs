//! What differs between PostgreSQL 13 and 18 and would turn into false drift if pgdrift only
//! knew one version. Each test runs on every server the suite runs on, checks the version's
//! own behaviour where it applies, and always checks the end-to-end promise: the same SQL read
//! statically and read from the server gives no findings.

use std::path::PathBuf;

use crate::catalog_common::read;
use crate::harness::{fresh_db, server, TestDb};
use crate::run::pgdrift;

/// Load `sql` into a fresh database and write it as a one-file migration folder.
fn load(label: &str, sql: &str) -> (TestDb, PathBuf) {
    let db = fresh_db(label);
    let dir = std::env::temp_dir().join(format!(
        "pgdrift-versions-{}-{}",
        std::process::id(),
        db.name
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("001_schema.sql");
    std::fs::write(&file, sql).unwrap();
    db.load_file(&file);
    (db, dir)
}

/// Audit the database against the same SQL read statically: no findings at all.
fn no_drift(db: &TestDb, dir: &PathBuf) {
    let run = pgdrift(&[
        "audit",
        "--expected",
        dir.to_str().unwrap(),
        "--env",
        &format!("db={}", db.url()),
        "--format",
        "json",
        "--fail-on",
        "warning",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    assert_eq!(
        run.code,
        0,
        "PostgreSQL {}: false drift:\n{:#}",
        db.server.major(),
        json["findings"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn not_null_is_a_column_property_on_every_version() {
    // PostgreSQL 18 stores NOT NULL as pg_constraint rows (contype 'n'); before, only attnotnull.
    let (db, dir) = load(
        "versions_not_null",
        "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, b text);
         ALTER TABLE t ALTER COLUMN b SET NOT NULL;",
    );
    let rows = db.exec(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'n'",
    );
    let expected_rows = if server().major() >= 18 { "3" } else { "0" };
    assert_eq!(
        rows, expected_rows,
        "what the catalog holds on this version"
    );
    let loaded = read(&db.url());
    let t = loaded
        .schema
        .table(&pgdrift::model::QualifiedName::new("public", "t"))
        .unwrap();
    assert_eq!(
        t.constraints.len(),
        1,
        "only the primary key: {:?}",
        t.constraints.keys()
    );
    assert!(t.columns.iter().all(|c| c.not_null));
    no_drift(&db, &dir);
}

#[test]
fn a_not_valid_not_null_still_sets_the_column_not_null_on_18() {
    if server().major() < 18 {
        println!(
            "skipped on PostgreSQL {}: NOT NULL … NOT VALID is 18+",
            server().major()
        );
        return;
    }
    let db = fresh_db("versions_not_null_not_valid");
    db.exec("CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID;");
    assert_eq!(
        db.exec(
            "SELECT attnotnull FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'a'"
        ),
        "t"
    );
    let loaded = read(&db.url());
    let t = loaded
        .schema
        .table(&pgdrift::model::QualifiedName::new("public", "t"))
        .unwrap();
    assert!(t.constraints.is_empty(), "{:?}", t.constraints);
    assert!(t.columns[0].not_null);
}

#[test]
fn generated_columns_stored_everywhere_and_virtual_on_18() {
    let mut sql =
        String::from("CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) STORED);\n");
    if server().major() >= 18 {
        // Without STORED, 18 makes the column virtual (earlier versions reject the syntax).
        sql.push_str("CREATE TABLE v (a int, b int GENERATED ALWAYS AS (a + 1));\n");
    }
    let (db, dir) = load("versions_generated", &sql);
    let loaded = read(&db.url());
    let g = loaded
        .schema
        .table(&pgdrift::model::QualifiedName::new("public", "g"))
        .unwrap();
    assert!(g.columns[1].generated.as_ref().unwrap().stored);
    if server().major() >= 18 {
        let v = loaded
            .schema
            .table(&pgdrift::model::QualifiedName::new("public", "v"))
            .unwrap();
        assert!(
            !v.columns[1].generated.as_ref().unwrap().stored,
            "virtual on 18"
        );
    }
    no_drift(&db, &dir);
}

#[test]
fn sql_standard_functions_render_per_version() {
    // 13 prints EXTRACT, POSITION, SUBSTRING, TRIM, OVERLAY and AT TIME ZONE as plain
    // function calls (and EXTRACT as double precision); 14+ keep the SQL syntax.
    let (db, dir) = load(
        "versions_sql_functions",
        "CREATE TABLE f (
           d date, t timestamptz, s text,
           CHECK (EXTRACT(year FROM d) > 2000),
           CHECK (position('@' IN s) > 1),
           CHECK (substring(s FROM 1 FOR 2) <> 'xx'),
           CHECK (trim(both ' ' FROM s) <> ''),
           CHECK (overlay(s PLACING 'a' FROM 1 FOR 1) <> 'b'),
           CHECK ((t AT TIME ZONE 'UTC') > '2000-01-01')
         );",
    );
    let checks = db.exec(
        "SET search_path = ''; SELECT string_agg(pg_get_constraintdef(oid), E'\\n' ORDER BY conname) \
         FROM pg_constraint WHERE conrelid = 'public.f'::regclass",
    );
    if server().major() == 13 {
        assert!(checks.contains("date_part('year'::text"), "{checks}");
        assert!(checks.contains("\"position\"("), "{checks}");
    } else {
        assert!(checks.contains("EXTRACT(year FROM d)"), "{checks}");
        assert!(checks.contains("POSITION(("), "{checks}");
    }
    no_drift(&db, &dir);
}

#[test]
fn nulls_not_distinct_and_set_null_columns_from_15() {
    if server().major() < 15 {
        println!(
            "skipped on PostgreSQL {}: NULLS NOT DISTINCT and ON DELETE SET NULL (cols) are 15+",
            server().major()
        );
        return;
    }
    let (db, dir) = load(
        "versions_15_features",
        "CREATE TABLE p (id int, tenant int, PRIMARY KEY (tenant, id));
         CREATE TABLE c (id int PRIMARY KEY, tenant int, parent int,
           UNIQUE NULLS NOT DISTINCT (tenant, parent),
           FOREIGN KEY (tenant, parent) REFERENCES p (tenant, id) ON DELETE SET NULL (parent));
         CREATE UNIQUE INDEX c_parent ON c (parent) NULLS NOT DISTINCT;",
    );
    no_drift(&db, &dir);
}

#[test]
fn or_replace_trigger_needs_14() {
    // A statement a version cannot run is skipped by the test, visibly.
    if server().major() < 14 {
        println!(
            "skipped on PostgreSQL {}: CREATE OR REPLACE TRIGGER is 14+",
            server().major()
        );
        return;
    }
    let (db, dir) = load(
        "versions_or_replace_trigger",
        "CREATE TABLE t (id int PRIMARY KEY, touched timestamptz);
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
         CREATE OR REPLACE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
    );
    no_drift(&db, &dir);
}

#[test]
fn time_zone_and_search_path_of_the_server_do_not_matter() {
    // The session pins TimeZone and search_path: a server (or role) configured otherwise
    // must read the same text.
    let (db, dir) = load(
        "versions_settings",
        "CREATE SCHEMA app;
         CREATE TYPE app.mood AS ENUM ('ok', 'sad');
         CREATE TABLE app.e (id bigserial PRIMARY KEY, m app.mood DEFAULT 'ok',
           at timestamptz DEFAULT '2024-01-01 12:00:00+02', d date DEFAULT '2024-02-03');",
    );
    db.exec(&format!(
        "ALTER DATABASE \"{}\" SET timezone = 'America/New_York'; \
         ALTER DATABASE \"{}\" SET search_path = app, public; \
         ALTER DATABASE \"{}\" SET datestyle = 'SQL, DMY'; \
         ALTER DATABASE \"{}\" SET intervalstyle = 'iso_8601'",
        db.name, db.name, db.name, db.name
    ));
    let loaded = read(&db.url());
    let e = loaded
        .schema
        .table(&pgdrift::model::QualifiedName::new("app", "e"))
        .unwrap();
    assert_eq!(
        e.column("at").unwrap().default.as_deref(),
        Some("'2024-01-01 10:00:00+00'::timestamp with time zone")
    );
    assert_eq!(e.column("m").unwrap().data_type, "app.mood");
    no_drift(&db, &dir);
}
