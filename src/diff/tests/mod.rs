//! Unit tests of `compare` on hand-built models: every kind, and each rule that keeps
//! findings trustworthy. Expression texts are copied from what PostgreSQL 15 prints.
//! This file holds the model builders; each submodule tests one part of the comparison.

mod columns;
mod dependents;
mod keys;
mod partitions_enums;
mod properties;
mod rules;
mod tables;

use super::*;
use crate::model::{
    Check, Column, Constraint, ConstraintKind, EnumType, Exclusion, FkAction, ForeignKey,
    Generated, Identity, Index, IndexExpr, IndexKey, KeyConstraint, MatchType, Note, NoteKind,
    Partition, Table,
};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, ty)
}

fn not_null(mut c: Column) -> Column {
    c.not_null = true;
    c
}

fn default(mut c: Column, d: &str) -> Column {
    c.default = Some(d.into());
    c
}

fn serial(name: &str, table: &str) -> Column {
    default(
        not_null(col(name, "integer")),
        &format!("nextval('public.{table}_{name}_seq'::regclass)"),
    )
}

fn pk(columns: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }))
}

fn unique(columns: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::Unique(KeyConstraint {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }))
}

fn fk(columns: &[&str], table: &str, referenced: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        referenced_table: q(table),
        referenced_columns: referenced.iter().map(|c| c.to_string()).collect(),
        on_update: FkAction::NoAction,
        on_delete: FkAction::NoAction,
        on_delete_set_columns: vec![],
        match_type: MatchType::Simple,
    }))
}

fn check(expression: &str) -> Constraint {
    Constraint::new(ConstraintKind::Check(Check {
        expression: expression.into(),
        no_inherit: false,
    }))
}

fn table(columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Default::default()
    }
}

fn with_constraint(mut t: Table, name: &str, c: Constraint) -> Table {
    t.constraints.insert(name.into(), c);
    t
}

fn with_index(mut t: Table, name: &str, i: Index) -> Table {
    t.indexes.insert(name.into(), i);
    t
}

fn schema_of(tables: Vec<(&str, Table)>) -> Loaded {
    let mut loaded = Loaded::default();
    let ns = loaded.schema.namespace_mut("public");
    for (name, t) in tables {
        ns.tables.insert(name.into(), t);
    }
    loaded
}

fn options() -> DiffOptions {
    DiffOptions {
        environment: "prod".into(),
        ..Default::default()
    }
}

fn run(expected: &Loaded, actual: &Loaded) -> Vec<Finding> {
    compare(expected, actual, &options())
}

/// `kind object` per finding, in the order `compare` returns them.
fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect()
}

fn users() -> Table {
    let t = table(vec![
        serial("id", "users"),
        not_null(col("email", "character varying(255)")),
        col("name", "text"),
        default(col("created_at", "timestamp with time zone"), "now()"),
    ]);
    let t = with_constraint(t, "users_pkey", pk(&["id"]));
    with_constraint(t, "users_email_key", unique(&["email"]))
}

fn enum_schema(name: &str, labels: &[&str]) -> Loaded {
    let mut loaded = Loaded::default();
    loaded.schema.namespace_mut("public").enums.insert(
        name.into(),
        EnumType {
            labels: labels.iter().map(|l| l.to_string()).collect(),
        },
    );
    loaded
}

fn partitioned(partitions: Vec<(&str, &str, Table)>) -> Table {
    let mut parent = with_constraint(
        table(vec![
            not_null(col("id", "integer")),
            not_null(col("payment_date", "date")),
        ]),
        "payment_pkey",
        pk(&["id", "payment_date"]),
    );
    parent = with_index(
        parent,
        "payment_date_idx",
        Index::on_columns(["payment_date"]),
    );
    parent.partition_by = Some("RANGE (payment_date)".into());
    for (name, bound, t) in partitions {
        parent.partitions.insert(
            q(name),
            Partition {
                bound: bound.into(),
                table: t,
            },
        );
    }
    parent
}

/// A partition as PostgreSQL makes it: the parent's columns, and the parent's key and
/// index inherited.
fn partition_table() -> Table {
    let mut pkey = pk(&["id", "payment_date"]);
    pkey.inherited = true;
    let mut index = Index::on_columns(["payment_date"]);
    index.inherited = true;
    with_index(
        with_constraint(
            table(vec![
                not_null(col("id", "integer")),
                not_null(col("payment_date", "date")),
            ]),
            "payment_p1_pkey",
            pkey,
        ),
        "payment_p1_payment_date_idx",
        index,
    )
}

const JAN: &str = "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')";
const FEB: &str = "FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')";

fn prisma_table() -> Table {
    with_constraint(
        table(vec![
            not_null(col("id", "character varying(36)")),
            not_null(col("checksum", "character varying(64)")),
        ]),
        "_prisma_migrations_pkey",
        pk(&["id"]),
    )
}
