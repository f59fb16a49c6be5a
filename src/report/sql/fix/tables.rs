//! Fixes for tables and partitions: a missing table is created whole (its schema and serial
//! sequences first, its foreign keys once every table exists), an unexpected one is a
//! commented-out drop, and what PostgreSQL cannot change in place (partition key, bound,
//! column order) is explained rather than attempted.

use crate::diff::Finding;
use crate::model::{Column, ConstraintKind, Partition, QualifiedName, Table};
use crate::report::ddl_text::{
    constraint_clause, create_partition, create_table, local_constraints, local_indexes,
};
use crate::report::matrix::Target;

use super::hazards::{needed_functions, nextval_sequence};
use super::{Fixer, Phase};

pub(super) fn fix(fixer: &mut Fixer<'_>, finding: &Finding, target: &Target) {
    use crate::diff::FindingKind::*;
    match (finding.kind, target) {
        (TableMissing, Target::Table(name)) => {
            if let Some(table) = fixer.expected_table(name) {
                fixer.ensure_schema(&name.schema);
                create_whole_table(fixer, name, table);
            }
        }
        (TableUnexpected, Target::Table(name)) => {
            // A detached partition: the partition-missing fix attaches it again.
            if let Some(parent) = expected_parent(fixer, name) {
                fixer.explain(
                    Phase::Tables,
                    vec![format!(
                        "{name} is attached again as a partition of {parent} (see partition-missing above)."
                    )],
                );
                return;
            }
            let sql = format!("DROP TABLE {};", fixer.quoted(name));
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ destroys table {name} and its rows (the expected schema does not define it): uncomment only if nothing uses it."
                )],
                sql,
            );
        }
        (PartitionMissing, Target::Partition { parent, partition }) => {
            let expected = fixer
                .expected_table(parent)
                .and_then(|t| t.partitions.get(partition));
            match expected {
                // The table is there, detached: attach it, rows and all.
                Some(p) if fixer.actual_schema.table(partition).is_some() => {
                    let sql = format!(
                        "{} ATTACH PARTITION {} {};",
                        fixer.alter_table(parent),
                        fixer.quoted(partition),
                        p.bound
                    );
                    fixer.push(
                        Phase::Tables,
                        vec![
                            format!("{partition} exists as a table of its own: attaching it keeps its rows."),
                            "⚠ scans it to check the bound (a CHECK constraint matching the bound avoids the scan), and fails on rows outside it.".into(),
                        ],
                        sql,
                    );
                }
                Some(p) => {
                    fixer.ensure_schema(&partition.schema);
                    create_partition_tree(fixer, parent, partition, p, true);
                }
                None => {}
            }
        }
        (PartitionUnexpected, Target::Partition { parent, partition }) => {
            let detach = format!(
                "{} DETACH PARTITION {};",
                fixer.alter_table(parent),
                fixer.quoted(partition)
            );
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ the expected schema has no partition {partition}: detaching hides its rows from {parent}; then drop it if nothing needs them."
                )],
                detach,
            );
            let drop = format!("DROP TABLE {};", fixer.quoted(partition));
            fixer.push_commented(Phase::Destructive, Vec::new(), drop);
        }
        (PartitionBound, Target::Partition { parent, partition }) => {
            let expected = fixer
                .expected_table(parent)
                .and_then(|t| t.partitions.get(partition));
            if let Some(p) = expected {
                let detach = format!(
                    "{} DETACH PARTITION {};",
                    fixer.alter_table(parent),
                    fixer.quoted(partition)
                );
                let attach = format!(
                    "{} ATTACH PARTITION {} {};",
                    fixer.alter_table(parent),
                    fixer.quoted(partition),
                    p.bound
                );
                fixer.push_commented(
                    Phase::ByHand,
                    vec![
                        "The bound can only change by detaching and attaching again: rows outside the new bound make ATTACH fail".into(),
                        "and leave the partition detached. ATTACH scans the partition (a CHECK constraint matching the bound avoids it).".into(),
                    ],
                    format!("{detach}\n{attach}"),
                );
            }
        }
        (PartitionKey, Target::Table(name)) => fixer.explain(
            Phase::ByHand,
            vec![format!(
                "{name} is partitioned differently ({}, expected {}): PostgreSQL cannot change a partition key;",
                finding.actual.as_deref().unwrap_or("not partitioned"),
                finding.expected.as_deref().unwrap_or("not partitioned")
            ),
            "create the table anew with the expected key, move the rows, and swap the names.".into()],
        ),
        (ColumnOrder, _) => fixer.explain(
            Phase::ByHand,
            vec![format!(
                "Columns of {} are in another order: information, not drift. PostgreSQL cannot reorder columns without recreating the table.",
                finding.object
            )],
        ),
        _ => {}
    }
}

/// The table the expected schema has `name` as a partition of.
fn expected_parent(fixer: &Fixer<'_>, name: &QualifiedName) -> Option<QualifiedName> {
    fn find(parent: &QualifiedName, table: &Table, name: &QualifiedName) -> Option<QualifiedName> {
        table.partitions.iter().find_map(|(child, p)| {
            if child == name {
                Some(parent.clone())
            } else {
                find(child, &p.table, name)
            }
        })
    }
    fixer
        .expected_schema
        .tables()
        .find_map(|(parent, table)| find(&parent, table, name))
}

/// `CREATE SEQUENCE IF NOT EXISTS` for a `nextval` default whose sequence a new column needs
/// (what `serial` creates), returning the sequence.
pub(super) fn ensure_sequence(fixer: &mut Fixer<'_>, column: &Column) -> Option<String> {
    let sequence = nextval_sequence(column.default.as_deref()?)?;
    let as_type = match column.data_type.as_str() {
        "smallint" | "integer" | "bigint" => format!(" AS {}", column.data_type),
        _ => String::new(),
    };
    fixer.push_once(
        Phase::Sequences,
        Vec::new(),
        format!("CREATE SEQUENCE IF NOT EXISTS {sequence}{as_type};"),
    );
    Some(sequence)
}

/// `ALTER SEQUENCE … OWNED BY`, as `serial` leaves it.
pub(super) fn own_sequence(
    fixer: &mut Fixer<'_>,
    phase: Phase,
    sequence: &str,
    table: &QualifiedName,
    column: &str,
) {
    let sql = format!(
        "ALTER SEQUENCE {sequence} OWNED BY {}.{};",
        fixer.quoted(table),
        fixer.ident(column)
    );
    fixer.push(phase, Vec::new(), sql);
}

/// Comment lines naming functions outside `pg_catalog` the table's expressions call.
fn function_comments(table: &Table) -> Vec<String> {
    let mut functions: Vec<String> = Vec::new();
    let expressions = table
        .columns
        .iter()
        .flat_map(|c| {
            c.default
                .iter()
                .chain(c.generated.iter().map(|g| &g.expression))
        })
        .chain(table.constraints.values().filter_map(|c| match &c.kind {
            ConstraintKind::Check(check) => Some(&check.expression),
            _ => None,
        }));
    for expr in expressions {
        for f in needed_functions(expr) {
            if !functions.contains(&f) {
                functions.push(f);
            }
        }
    }
    if functions.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "needs {} to exist (an extension's?), or CREATE TABLE fails.",
            functions
                .iter()
                .map(|f| format!("{f}()"))
                .collect::<Vec<_>>()
                .join(", ")
        )]
    }
}

/// A missing table: sequences, the table with its keys and checks, its partitions, its
/// indexes (plain: the table is new and empty), then its foreign keys.
fn create_whole_table(fixer: &mut Fixer<'_>, name: &QualifiedName, table: &Table) {
    let mut owned = Vec::new();
    for column in &table.columns {
        if let Some(sequence) = ensure_sequence(fixer, column) {
            owned.push((sequence, column.name.clone()));
        }
    }
    let sql = create_table(name, table, fixer.version, false);
    fixer.push(Phase::Tables, function_comments(table), sql);
    for (sequence, column) in owned {
        own_sequence(fixer, Phase::Tables, &sequence, name, &column);
    }
    table_contents(fixer, name, table);
    for (partition_name, partition) in &table.partitions {
        create_partition_tree(fixer, name, partition_name, partition, false);
    }
}

/// A partition (and its own partitions), with its indexes and foreign keys.
fn create_partition_tree(
    fixer: &mut Fixer<'_>,
    parent: &QualifiedName,
    name: &QualifiedName,
    partition: &Partition,
    existing_parent: bool,
) {
    let mut comments = function_comments(&partition.table);
    if existing_parent {
        comments.push(format!(
            "⚠ locks {parent} while it runs, and fails if a DEFAULT partition holds rows for these values (move them first)."
        ));
    }
    let sql = create_partition(
        parent,
        name,
        &partition.bound,
        &partition.table,
        fixer.version,
        false,
    );
    fixer.push(Phase::Tables, comments, sql);
    table_contents(fixer, name, &partition.table);
    for (child_name, child) in &partition.table.partitions {
        create_partition_tree(fixer, name, child_name, child, false);
    }
}

/// The indexes and foreign keys of a table created by the fix.
fn table_contents(fixer: &mut Fixer<'_>, name: &QualifiedName, table: &Table) {
    for (index_name, index) in local_indexes(table) {
        // A new table is empty: no CONCURRENTLY needed. On a partitioned table the index is
        // created without ONLY so that every partition gets its own.
        let target = crate::model::IndexTarget {
            table: name,
            partitioned: false,
        };
        let sql = format!(
            "{};",
            crate::model::index_definition(index_name, target, index, fixer.version)
        );
        fixer.push(Phase::Indexes, Vec::new(), sql);
    }
    for (constraint_name, constraint) in local_constraints(table) {
        if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
            let sql = format!(
                "{} ADD {};",
                fixer.alter_table(name),
                constraint_clause(constraint_name, constraint, fixer.version)
            );
            fixer.push(Phase::ForeignKeys, Vec::new(), sql);
        }
    }
}
