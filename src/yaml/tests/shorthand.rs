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

const RICH: &str = r#"# Every shorthand form, in one file.
default_schema: public
enums:
  InviteStatus: [PENDING, ACCEPTED, "it's"]
x-defaults: &timestamps
  - &created {name: created_at, type: timestamptz, nullable: false, default: now()}
tables:
  invitations:
    columns:
      - {name: id, type: bigint, identity: always, primary_key: true}
      - {name: status, type: InviteStatus, default: "'PENDING'"}
      - {name: history, type: "InviteStatus[]"}
      - {name: email, type: varchar(255), nullable: false, unique: true, collation: C}
      - {name: workspaceId, type: uuid, references: {table: workspaces, columns: [id]}, on_delete: cascade}
      - {name: parent_id, type: bigint, references: invitations(id)}
      - {name: total, type: numeric, generated: "price * 2"}
      - {name: price, type: numeric, check: "price >= 0"}
      - *created
    unique: [email, workspaceId]
    checks:
      - "total < 1000000"
      - {name: price_sane, check: "price < 1e9", not_valid: true}
    indexes:
      - {columns: [status]}
      - {name: invitations_email_lower, columns: ["lower(email)"], unique: true, where: "status = 'PENDING'"}
      - {name: invitations_ws_created, columns: [workspaceId, {column: created_at, order: desc, nulls: last}], include: [email]}
      - {name: invitations_hist, columns: [history], using: gin, with: ["fastupdate=off"]}
      - {name: invitations_created, columns: ["created_at DESC"]}
  workspaces:
    columns:
      - {name: id, type: uuid, primary_key: true, default: gen_random_uuid()}
      - {name: slug, type: text, not_null: true}
    constraints:
      workspaces_slug_key: {unique: [slug], deferrable: true}
schemas:
  billing:
    tables:
      accounts:
        columns:
          - {name: tenant, type: integer}
          - {name: number, type: integer}
          - {name: workspace_id, type: uuid}
        primary_key: {name: accounts_pk, columns: [tenant, number]}
        foreign_keys:
          - {columns: [workspace_id], references: "public.workspaces (id)", on_delete: set null, not_valid: true}
      line_items:
        columns:
          - {name: tenant, type: integer, primary_key: true}
          - {name: number, type: integer, primary_key: true}
          - {name: at, type: date, nullable: false}
        partition_by: RANGE (at)
        indexes:
          - {columns: [at]}
        partitions:
          line_items_2024:
            bound: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
          line_items_rest:
            bound: DEFAULT
            columns:
              - {name: tenant, type: integer, not_null: true}
              - {name: number, type: integer, not_null: true}
              - {name: at, type: date, not_null: true, default: CURRENT_DATE}
            indexes:
              - {name: line_items_rest_number, columns: [number]}
"#;

#[test]
fn every_shorthand_form_becomes_sql() {
    insta::assert_snapshot!(listing(RICH));
}

#[test]
fn scenario_models_become_the_sql_a_migration_would_hold() {
    let text = include_str!("../../../tests/fixtures/scenarios/hand-made-tables/intended/models.yaml");
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
    assert!(sql[0].contains("\"self_id\" integer REFERENCES a(id)"), "{}", sql[0]);
    assert!(sql[1].contains("\"a_id\" integer REFERENCES a(id)"), "{}", sql[1]);
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
    assert!(one[0].sql.contains("UNIQUE (\"a\", \"b\")"), "{}", one[0].sql);
    let two = statements(
        "tables:
  t:
    columns: [{name: a, type: int}, {name: b, type: int}]
    unique: [[a], [b]]
",
    );
    assert!(two[0].sql.contains("UNIQUE (\"a\"),\n    UNIQUE (\"b\")"), "{}", two[0].sql);
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
    assert!(all.contains(&"CREATE SCHEMA IF NOT EXISTS \"Billing\""), "{all:#?}");
    assert!(all.iter().any(|s| s.starts_with(
        "CREATE TABLE \"public\".\"events_2024\" PARTITION OF \"public\".\"events\" FOR VALUES FROM"
    )), "{all:#?}");
    // Inherited constraints and indexes come with the partition; only the local index is made.
    assert!(all.contains(
        &"CREATE INDEX \"events_2024_local\" ON \"public\".\"events_2024\" (\"id\")"
    ));
    assert!(!all.iter().any(|s| s.contains("events_2024_pkey") || s.contains("events_2024_kind_idx")));
    assert!(all.iter().any(|s| s.contains(
        "CONSTRAINT \"users_org_fkey\" FOREIGN KEY (\"org_id\", \"workspaceId\") REFERENCES \"Billing\".\"Orgs\" (\"id\", \"workspace\") MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (\"org_id\") DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )), "{all:#?}");
}
