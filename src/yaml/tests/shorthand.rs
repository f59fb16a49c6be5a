//! Hand-written shorthand → SQL statements (what they say is checked against a real
//! server in tests/it/yaml_*.rs; here: which statements, in which order, from which line).

use crate::yaml::{read, YamlSource, YamlStatement};

fn statements(text: &str) -> Vec<YamlStatement> {
    match read(text, "models.yaml") {
        Ok(YamlSource::Statements(s)) => s,
        Ok(other) => panic!("read as a snapshot: {other:?}"),
        Err(e) => panic!("{e}"),
    }
}

fn listing(text: &str) -> String {
    statements(text)
        .iter()
        .map(|s| format!("-- {}\n{};\n", s.location, s.sql))
        .collect()
}

/// Every shorthand form in one file (also run on a real server in tests/it/yaml_shorthand.rs).
const RICH: &str = include_str!("all_forms.yaml");

#[test]
fn every_shorthand_form_becomes_sql() {
    insta::assert_snapshot!(listing(RICH));
}

#[test]
fn scenario_models_become_the_sql_a_migration_would_hold() {
    let text =
        include_str!("../../../tests/fixtures/scenarios/hand-made-tables/intended/models.yaml");
    insta::assert_snapshot!(listing(text));
}

#[test]
fn forward_references_wait_until_every_table_exists() {
    let s = statements(
        "tables:
  a:
    columns:
      - {name: b_id, type: integer, references: b(id)}
      - {name: self_id, type: integer, references: a(id)}
      - {name: id, type: integer, primary_key: true}
  b:
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: a_id, type: integer, references: a(id)}
",
    );
    let sql: Vec<&str> = s.iter().map(|s| s.sql.as_str()).collect();
    assert!(sql[0].starts_with("CREATE TABLE \"public\".\"a\""));
    assert!(!sql[0].contains("REFERENCES b(id)"), "{}", sql[0]);
    assert!(
        sql[0].contains("\"self_id\" integer REFERENCES a(id)"),
        "{}",
        sql[0]
    );
    assert!(
        sql[1].contains("\"a_id\" integer REFERENCES a(id)"),
        "{}",
        sql[1]
    );
    assert_eq!(
        sql[2],
        "ALTER TABLE \"public\".\"a\" ADD FOREIGN KEY (\"b_id\") REFERENCES b(id)"
    );
    assert_eq!(s[2].location.line, 4);
}

#[test]
fn several_primary_key_columns_make_one_composite_key() {
    let s = statements(
        "tables:
  t:
    columns:
      - {name: a, type: integer, primary_key: true}
      - {name: b, type: integer, primary_key: true}
",
    );
    assert_eq!(
        s[0].sql,
        "CREATE TABLE \"public\".\"t\" (\n    \"a\" integer,\n    \"b\" integer,\n    PRIMARY KEY (\"a\", \"b\")\n)"
    );
}

#[test]
fn unique_lists_read_one_way_only() {
    let one = statements(
        "tables:
  t:
    columns: [{name: a, type: int}, {name: b, type: int}]
    unique: [a, b]
",
    );
    assert!(
        one[0].sql.contains("UNIQUE (\"a\", \"b\")"),
        "{}",
        one[0].sql
    );
    let two = statements(
        "tables:
  t:
    columns: [{name: a, type: int}, {name: b, type: int}]
    unique: [[a], [b]]
",
    );
    assert!(
        two[0].sql.contains("UNIQUE (\"a\"),\n    UNIQUE (\"b\")"),
        "{}",
        two[0].sql
    );
}

#[test]
fn empty_mapping_means_no_statements() {
    assert!(statements("{}\n").is_empty());
    assert!(statements("tables: {}\nenums: {}\n").is_empty());
}

#[test]
fn a_snapshot_without_its_header_is_replayed_as_sql() {
    // The full form is valid hand-written input too: names explicit, references exact.
    let mut model = super::fixture::rich_model();
    model.notes.clear();
    model.recorded_migrations.clear();
    let text = crate::yaml::write(&model, &Default::default());
    let without_header: String = text
        .lines()
        .filter(|l| !l.starts_with("pgdrift:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = statements(&without_header);
    let all: Vec<&str> = s.iter().map(|s| s.sql.as_str()).collect();
    assert!(
        all.contains(&"CREATE SCHEMA IF NOT EXISTS \"Billing\""),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|s| {
            s.starts_with(
        "CREATE TABLE \"public\".\"events_2024\" PARTITION OF \"public\".\"events\" FOR VALUES FROM"
    )
        }),
        "{all:#?}"
    );
    // Inherited constraints and indexes come with the partition; only the local index is made.
    assert!(
        all.contains(&"CREATE INDEX \"events_2024_local\" ON \"public\".\"events_2024\" (\"id\")")
    );
    assert!(!all
        .iter()
        .any(|s| s.contains("events_2024_pkey") || s.contains("events_2024_kind_idx")));
    assert!(all.iter().any(|s| s.contains(
        "CONSTRAINT \"users_org_fkey\" FOREIGN KEY (\"org_id\", \"workspaceId\") REFERENCES \"Billing\".\"Orgs\" (\"id\", \"workspace\") MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (\"org_id\") DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )), "{all:#?}");
}
