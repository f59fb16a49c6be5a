//! The full form means the same thing both ways: read as a snapshot (straight into the
//! model, no SQL) and replayed as SQL on a real server (the same document without its
//! `canonical: true` header), the model's canonical text is what PostgreSQL prints.

use std::collections::BTreeSet;

use pgdrift::model::{
    constraint_definition, index_definition, IndexTarget, Loaded, PgVersion, QualifiedName, Table,
};
use pgdrift::yaml::{self, YamlSource};

use crate::harness::{fresh_db, server};
use crate::yaml_support::{table_rows, yaml_text_sql};

const FULL_FORM: &str = r#"pgdrift: {format: 1, canonical: true}
schemas:
  public:
    enums:
      mood: [sad, ok, happy]
    tables:
      accounts:
        columns:
          - {name: id, type: bigint, not_null: true, identity: by default}
          - {name: Email, type: text, not_null: true, collation: '"C"'}
          - {name: mood, type: public.mood, default: "'ok'::public.mood"}
          - {name: price, type: "numeric(10,2)", default: "0"}
          - {name: qty, type: integer, not_null: true, default: "1"}
          - {name: total, type: numeric, generated: "(price * (qty)::numeric)"}
          - {name: parent_id, type: bigint}
          - {name: tags, type: "text[]", default: "'{}'::text[]"}
          - {name: created_at, type: timestamp with time zone, default: now()}
        constraints:
          accounts_Email_mood_key: {unique: [Email], include: [mood]}
          accounts_check: {check: "((qty > 0) AND (price >= (0)::numeric))"}
          accounts_parent_id_fkey: {foreign_key: [parent_id], references: {table: public.accounts, columns: [id]}, on_delete: cascade, deferrable: true}
          accounts_pkey: {primary_key: [id]}
          accounts_price_cap: {check: "(price < (1000)::numeric)", not_valid: true}
        indexes:
          accounts_lower_idx: {columns: [{expression: "lower(\"Email\")", order: desc, nulls: last}], where: (qty > 1)}
          accounts_mood_idx: {columns: [mood, {column: price, order: desc}]}
          accounts_tags_idx: {columns: [tags], using: gin}
      events:
        columns:
          - {name: id, type: bigint, not_null: true}
          - {name: at, type: date, not_null: true}
          - {name: kind, type: text, default: "'x'::text"}
        constraints:
          events_pkey: {primary_key: [id, at]}
        indexes:
          events_kind_idx: {columns: [kind]}
        partition_by: RANGE (at)
        partitions:
          public.events_2024:
            bound: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
            columns:
              - {name: id, type: bigint, not_null: true}
              - {name: at, type: date, not_null: true}
              - {name: kind, type: text, default: "'x'::text"}
            constraints:
              events_2024_pkey: {primary_key: [id, at], inherited: true}
            indexes:
              events_2024_kind_idx: {columns: [kind], inherited: true}
          public.events_rest:
            bound: DEFAULT
            columns:
              - {name: id, type: bigint, not_null: true}
              - {name: at, type: date, not_null: true}
              - {name: kind, type: text, default: "'x'::text"}
            constraints:
              events_rest_pkey: {primary_key: [id, at], inherited: true}
            indexes:
              events_rest_id_idx: {columns: [id]}
              events_rest_kind_idx: {columns: [kind], inherited: true}
"#;

/// The rows `table_rows` would print for `table`, rendered from the model.
fn model_rows(name: &QualifiedName, table: &Table, version: PgVersion) -> BTreeSet<String> {
    let mut rows = BTreeSet::new();
    for (i, c) in table.columns.iter().enumerate() {
        let mut row = format!("column {} {} {}", i + 1, c.name, c.data_type);
        if c.not_null {
            row.push_str(" NOT NULL");
        }
        // A generated column's expression sits where a default would (pg_attrdef).
        if let Some(d) = c
            .default
            .as_ref()
            .or(c.generated.as_ref().map(|g| &g.expression))
        {
            row.push_str(&format!(" DEFAULT {d}"));
        }
        if let Some(identity) = c.identity {
            let code = match identity {
                pgdrift::model::Identity::Always => 'a',
                pgdrift::model::Identity::ByDefault => 'd',
            };
            row.push_str(&format!(" IDENTITY {code}"));
        }
        if let Some(g) = &c.generated {
            row.push_str(if g.stored {
                " GENERATED s"
            } else {
                " GENERATED v"
            });
        }
        if let Some(coll) = &c.collation {
            row.push_str(&format!(" COLLATE {coll}"));
        }
        rows.insert(row);
    }
    for (cname, c) in &table.constraints {
        rows.insert(format!(
            "constraint {cname} {}",
            constraint_definition(c, version)
        ));
    }
    let target = IndexTarget {
        table: name,
        partitioned: table.partition_by.is_some(),
    };
    for (iname, index) in &table.indexes {
        rows.insert(format!(
            "index {}",
            index_definition(iname, target, index, version)
        ));
    }
    rows
}

fn every_table(loaded: &Loaded) -> Vec<(QualifiedName, Table)> {
    fn walk(name: QualifiedName, table: &Table, out: &mut Vec<(QualifiedName, Table)>) {
        out.push((name, table.clone()));
        for (pname, p) in &table.partitions {
            walk(pname.clone(), &p.table, out);
        }
    }
    let mut out = Vec::new();
    for (name, table) in loaded.schema.tables() {
        walk(name, table, &mut out);
    }
    out
}

#[test]
fn full_form_read_as_snapshot_equals_its_sql_replayed_on_the_server() {
    let version = PgVersion(server().major());
    let loaded = match yaml::read(FULL_FORM, "snapshot.yaml") {
        Ok(YamlSource::Canonical(loaded)) => loaded,
        other => panic!("{other:?}"),
    };
    let without_header: String = FULL_FORM
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    let db = fresh_db("yaml_full_form");
    db.exec(&yaml_text_sql(&without_header, "snapshot-as-sql.yaml"));

    let tables = every_table(&loaded);
    assert_eq!(tables.len(), 4);
    for (name, table) in &tables {
        assert_eq!(
            table_rows(&db, &name.name),
            model_rows(name, table, version),
            "{name}"
        );
    }
    // Partition bounds, the partition key and the enum are what the server holds too.
    let bounds = db.exec(
        "SELECT relname || ' ' || coalesce(pg_get_expr(relpartbound, oid), pg_get_partkeydef(oid)) \
         FROM pg_class WHERE relname LIKE 'events%' AND relkind IN ('r', 'p') ORDER BY 1",
    );
    let events = loaded
        .schema
        .table(&QualifiedName::new("public", "events"))
        .unwrap();
    let mut expected = vec![format!(
        "events {}",
        events.partition_by.as_deref().unwrap()
    )];
    for (name, p) in &events.partitions {
        expected.push(format!("{} {}", name.name, p.bound));
    }
    assert_eq!(bounds.lines().collect::<Vec<_>>(), expected);
    let labels = db.exec("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum");
    assert_eq!(
        labels,
        loaded
            .schema
            .enum_type(&QualifiedName::new("public", "mood"))
            .unwrap()
            .labels
            .join(",")
    );
}
