//! Least privilege: the owner, a role with CONNECT + USAGE + SELECT and a role with only
//! CONNECT + USAGE (no SELECT on anything) read the identical schema, including a schema the
//! roles have no USAGE on; only what the catalog truly hides (the rows of a bookkeeping
//! table) becomes an Invisible note.

use pgdrift::model::NoteKind;

use crate::catalog_canonical::apply_defs;
use crate::catalog_common::read;
use crate::catalog_oracle::compare_with_server;
use crate::harness::fresh_db;

#[test]
fn least_privileged_roles_read_the_same_schema_as_the_owner() {
    let db = fresh_db("catalog_privileges");
    apply_defs(&db);
    db.exec(
        "CREATE SCHEMA hidden; \
         CREATE TABLE hidden.t (id serial PRIMARY KEY, x text DEFAULT 'h' CHECK (x <> ''), \
           ref int REFERENCES public.parent (id)); \
         CREATE INDEX hidden_lower ON hidden.t (lower(x)) WHERE id > 0; \
         CREATE TABLE public._prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, \
           finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, \
           started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0); \
         INSERT INTO public._prisma_migrations (id, checksum, finished_at, migration_name, started_at) VALUES \
           ('1', 'c', now(), '20240101000000_init', '2024-01-01'), \
           ('2', 'c', now(), '20240201000000_add_users', '2024-02-01'), \
           ('3', 'c', NULL, '20240301000000_failed', '2024-03-01')",
    );
    let server = &db.server;
    server.ensure_role("catalog_usage_only", "LOGIN");
    server.ensure_role("catalog_reader", "LOGIN");
    let dbname = &db.name;
    db.exec(&format!(
        "REVOKE ALL ON DATABASE \"{dbname}\" FROM PUBLIC; \
         GRANT CONNECT ON DATABASE \"{dbname}\" TO catalog_usage_only, catalog_reader; \
         REVOKE ALL ON SCHEMA public FROM PUBLIC; \
         GRANT USAGE ON SCHEMA public, app, \"Sales\" TO catalog_usage_only, catalog_reader; \
         GRANT SELECT ON ALL TABLES IN SCHEMA public, app, \"Sales\" TO catalog_reader"
    ));
    // The roles really are least-privileged.
    let denied = std::process::Command::new("psql")
        .args([
            "-X",
            "-A",
            "-t",
            "-c",
            "SELECT count(*) FROM public.parent",
            "-d",
        ])
        .arg(db.url_as("catalog_usage_only"))
        .output()
        .unwrap();
    assert!(!denied.status.success(), "usage-only role can read rows");

    let owner = read(&db.url());
    let reader = read(&db.url_as("catalog_reader"));
    let usage_only = read(&db.url_as("catalog_usage_only"));

    assert!(owner.schema.namespaces.contains_key("hidden"));
    assert!(owner.schema.table(&"hidden.t".parse_name()).is_some());
    assert!(compare_with_server(&db, &owner).is_empty());
    assert_eq!(
        owner.schema, reader.schema,
        "SELECT-only role sees a different schema"
    );
    assert_eq!(
        owner.schema, usage_only.schema,
        "USAGE-only role sees a different schema"
    );

    let applied = |l: &pgdrift::model::Loaded| {
        l.recorded_migrations
            .iter()
            .map(|r| (r.tool.clone(), r.table.to_string(), r.applied.clone()))
            .collect::<Vec<_>>()
    };
    let expected = vec![(
        "prisma".to_string(),
        "public._prisma_migrations".to_string(),
        vec![
            "20240101000000_init".to_string(),
            "20240201000000_add_users".to_string(),
        ],
    )];
    assert_eq!(applied(&owner), expected);
    assert_eq!(applied(&reader), expected);
    assert!(usage_only.recorded_migrations.is_empty());
    let invisible: Vec<_> = usage_only
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Invisible)
        .collect();
    assert_eq!(invisible.len(), 1, "{:?}", usage_only.notes);
    assert!(invisible[0].message.contains("public._prisma_migrations"));
    assert!(!owner.notes.iter().any(|n| n.kind == NoteKind::Invisible));
}

trait ParseName {
    fn parse_name(&self) -> pgdrift::model::QualifiedName;
}

impl ParseName for str {
    fn parse_name(&self) -> pgdrift::model::QualifiedName {
        let (s, n) = self.split_once('.').unwrap();
        pgdrift::model::QualifiedName::new(s, n)
    }
}
