//! Fixes for indexes and constraints on tables that exist: indexes built `CONCURRENTLY`
//! (swapped in under a temporary name when a definition changes), unique and primary keys
//! added `USING INDEX` built the same way, checks and foreign keys added `NOT VALID` then
//! validated, renames as renames, unexpected ones as commented-out drops. Partitioned tables
//! take neither `CONCURRENTLY` nor `USING INDEX`: their statements say what they lock.

use crate::diff::{Finding, FindingKind};
use crate::model::naming::make_object_name;
use crate::model::{
    constraint_definition, index_definition, Constraint, ConstraintKind, Index, IndexTarget,
    KeyConstraint, QualifiedName,
};
use crate::report::matrix::Target;

use super::{Fixer, Phase};

pub(super) fn fix(fixer: &mut Fixer<'_>, finding: &Finding, target: &Target) {
    match target {
        Target::Index { table, name } => fix_index(fixer, finding, table, name),
        Target::Constraint { table, name } => fix_constraint(fixer, finding, table, name),
        _ => {}
    }
}

fn fix_index(fixer: &mut Fixer<'_>, finding: &Finding, table: &QualifiedName, name: &str) {
    let index_name = QualifiedName::new(table.schema.clone(), name);
    let expected = fixer
        .expected_table(table)
        .and_then(|t| t.indexes.get(name));
    match finding.kind {
        FindingKind::IndexMissing => {
            if let Some(index) = expected {
                create_index(fixer, table, name, index);
            }
        }
        FindingKind::IndexDefinition => {
            if let Some(index) = expected {
                replace_index(fixer, table, name, index);
            }
        }
        FindingKind::IndexRenamed => {
            if let Some(actual) = &finding.actual {
                let sql = format!(
                    "ALTER INDEX {} RENAME TO {};",
                    fixer.quoted(&QualifiedName::new(table.schema.clone(), actual.as_str())),
                    fixer.ident(name)
                );
                fixer.push(Phase::Renames, Vec::new(), sql);
            }
        }
        FindingKind::IndexUnexpected => {
            let concurrently = if partitioned(fixer, table) {
                ""
            } else {
                "CONCURRENTLY "
            };
            let sql = format!("DROP INDEX {concurrently}{};", fixer.quoted(&index_name));
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ the expected schema has no index {name}: queries that use it slow down once it is gone."
                )],
                sql,
            );
        }
        _ => {}
    }
}

fn fix_constraint(fixer: &mut Fixer<'_>, finding: &Finding, table: &QualifiedName, name: &str) {
    let expected = fixer
        .expected_table(table)
        .and_then(|t| t.constraints.get(name));
    match finding.kind {
        FindingKind::ConstraintMissing => {
            if let Some(constraint) = expected {
                add_constraint(fixer, table, name, constraint);
            }
        }
        FindingKind::ConstraintDefinition => {
            if let Some(constraint) = expected {
                replace_constraint(fixer, table, name, constraint);
            }
        }
        FindingKind::ConstraintRenamed => {
            if let Some(actual) = &finding.actual {
                let sql = format!(
                    "{} RENAME CONSTRAINT {} TO {};",
                    fixer.alter_table(table),
                    fixer.ident(actual),
                    fixer.ident(name)
                );
                fixer.push(Phase::Renames, Vec::new(), sql);
            }
        }
        FindingKind::ConstraintUnexpected => {
            let sql = format!(
                "{} DROP CONSTRAINT {};",
                fixer.alter_table(table),
                fixer.ident(name)
            );
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ the expected schema has no constraint {name}: once dropped, rows it rejects get in."
                )],
                sql,
            );
        }
        _ => {}
    }
}

/// Whether the environment's table is partitioned (then no CONCURRENTLY, no USING INDEX).
fn partitioned(fixer: &Fixer<'_>, table: &QualifiedName) -> bool {
    fixer
        .actual_table(table)
        .or_else(|| fixer.expected_table(table))
        .is_some_and(|t| t.partition_by.is_some())
}

/// A name for an index built to replace another, within PostgreSQL's 63 bytes.
fn temporary_name(name: &str) -> String {
    make_object_name(name, None, Some("pgdrift"))
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY …` for an index `name` with `index`'s definition.
/// Without ONLY on a partitioned table, so that its partitions get theirs.
fn index_sql(
    fixer: &Fixer<'_>,
    table: &QualifiedName,
    name: &str,
    index: &Index,
    concurrently: bool,
) -> String {
    let target = IndexTarget {
        table,
        partitioned: false,
    };
    let definition = index_definition(name, target, index, fixer.version);
    let definition = if concurrently {
        definition.replacen("INDEX ", "INDEX CONCURRENTLY ", 1)
    } else {
        definition
    };
    format!("{definition};")
}

const CONCURRENTLY: &str = "CONCURRENTLY: writes go on while it builds; if it fails it leaves an INVALID index: drop it and run this again.";

fn partitioned_lock(table: &QualifiedName) -> String {
    format!(
        "⚠ blocks writes to {table} and every partition while it builds: CONCURRENTLY is not supported on partitioned tables."
    )
}

/// An index the table lacks.
pub(super) fn create_index(
    fixer: &mut Fixer<'_>,
    table: &QualifiedName,
    name: &str,
    index: &Index,
) {
    if partitioned(fixer, table) {
        let sql = index_sql(fixer, table, name, index, false);
        fixer.push(Phase::Indexes, vec![partitioned_lock(table)], sql);
    } else {
        let sql = index_sql(fixer, table, name, index, true);
        fixer.push(Phase::Indexes, vec![CONCURRENTLY.into()], sql);
    }
}

/// An index whose definition differs: built anew under a temporary name, then swapped in.
pub(super) fn replace_index(
    fixer: &mut Fixer<'_>,
    table: &QualifiedName,
    name: &str,
    index: &Index,
) {
    let old = QualifiedName::new(table.schema.clone(), name);
    if partitioned(fixer, table) {
        let drop = format!("DROP INDEX {};", fixer.quoted(&old));
        let create = index_sql(fixer, table, name, index, false);
        fixer.push(
            Phase::Indexes,
            vec![partitioned_lock(table)],
            format!("{drop}\n{create}"),
        );
        return;
    }
    let temporary = temporary_name(name);
    let create = index_sql(fixer, table, &temporary, index, true);
    fixer.push(
        Phase::Indexes,
        vec![format!(
            "Builds the expected {name} as {temporary} without blocking writes, then swaps it in."
        )],
        create,
    );
    let drop = format!("DROP INDEX CONCURRENTLY {};", fixer.quoted(&old));
    fixer.push(Phase::Indexes, Vec::new(), drop);
    let rename = format!(
        "ALTER INDEX {} RENAME TO {};",
        fixer.quoted(&QualifiedName::new(
            table.schema.clone(),
            temporary.as_str()
        )),
        fixer.ident(name)
    );
    fixer.push(Phase::Indexes, Vec::new(), rename);
}

fn phase_of(constraint: &Constraint) -> Phase {
    match constraint.kind {
        ConstraintKind::ForeignKey(_) => Phase::ForeignKeys,
        _ => Phase::Constraints,
    }
}

/// The unique index a primary key or unique constraint is built on.
fn key_index(key: &KeyConstraint) -> Index {
    let mut index = Index::on_columns(key.columns.iter().cloned());
    index.unique = true;
    index.include = key.include.clone();
    index.nulls_not_distinct = key.nulls_not_distinct;
    index
}

/// `PRIMARY KEY USING INDEX x DEFERRABLE …`.
fn using_index(fixer: &Fixer<'_>, constraint: &Constraint, index: &str) -> String {
    let word = match constraint.kind {
        ConstraintKind::PrimaryKey(_) => "PRIMARY KEY",
        _ => "UNIQUE",
    };
    let mut out = format!("{word} USING INDEX {}", fixer.ident(index));
    if constraint.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if constraint.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    out
}

fn validate_comments(constraint: &Constraint) -> Vec<String> {
    let mut out = vec![
        "NOT VALID takes a brief lock and checks new rows only; VALIDATE then checks the existing rows".into(),
        "without blocking reads or writes (SHARE UPDATE EXCLUSIVE).".into(),
    ];
    if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
        out.push("VALIDATE fails on rows that reference nothing: fix or delete them first.".into());
    }
    out
}

/// A constraint the (existing) table lacks.
pub(super) fn add_constraint(
    fixer: &mut Fixer<'_>,
    table: &QualifiedName,
    name: &str,
    constraint: &Constraint,
) {
    let alter = fixer.alter_table(table);
    let ident = fixer.ident(name);
    let definition = constraint_definition(constraint, fixer.version);
    let phase = phase_of(constraint);
    let is_partitioned = partitioned(fixer, table);
    match &constraint.kind {
        ConstraintKind::ForeignKey(_) | ConstraintKind::Check(_) => {
            if !constraint.validated {
                // Expected NOT VALID: the definition says so already.
                fixer.push(
                    phase,
                    Vec::new(),
                    format!("{alter} ADD CONSTRAINT {ident} {definition};"),
                );
            } else if is_partitioned {
                fixer.push(
                    phase,
                    vec![format!(
                        "⚠ checks every row of {table}'s partitions while holding its lock (NOT VALID is not used on partitioned tables)."
                    )],
                    format!("{alter} ADD CONSTRAINT {ident} {definition};"),
                );
            } else {
                fixer.push(
                    phase,
                    validate_comments(constraint),
                    format!("{alter} ADD CONSTRAINT {ident} {definition} NOT VALID;"),
                );
                fixer.push(
                    phase,
                    Vec::new(),
                    format!("{alter} VALIDATE CONSTRAINT {ident};"),
                );
            }
        }
        ConstraintKind::PrimaryKey(key) | ConstraintKind::Unique(key) if !is_partitioned => {
            let index = key_index(key);
            let create = index_sql(fixer, table, name, &index, true);
            fixer.push(Phase::Indexes, vec![CONCURRENTLY.into()], create);
            let mut comments = vec![format!(
                "Turns the index {name} built above into the constraint (a brief lock)."
            )];
            if matches!(constraint.kind, ConstraintKind::PrimaryKey(_)) {
                comments.push("⚠ a primary key sets NOT NULL on its columns: a full scan under ACCESS EXCLUSIVE if any is nullable.".into());
            }
            let sql = format!(
                "{alter} ADD CONSTRAINT {ident} {};",
                using_index(fixer, constraint, name)
            );
            fixer.push(phase, comments, sql);
        }
        _ => {
            fixer.push(
                phase,
                vec![format!(
                    "⚠ builds its index under an ACCESS EXCLUSIVE lock on {table}: reads and writes wait."
                )],
                format!("{alter} ADD CONSTRAINT {ident} {definition};"),
            );
        }
    }
}

/// A constraint whose definition differs: dropped and added as expected in one statement
/// (the table never goes without it), validated afterwards where that is possible.
pub(super) fn replace_constraint(
    fixer: &mut Fixer<'_>,
    table: &QualifiedName,
    name: &str,
    constraint: &Constraint,
) {
    let alter = fixer.alter_table(table);
    let ident = fixer.ident(name);
    let definition = constraint_definition(constraint, fixer.version);
    let phase = phase_of(constraint);
    let is_partitioned = partitioned(fixer, table);
    let dependents =
        "⚠ fails if foreign keys reference it: drop them first and add them back after.";
    match &constraint.kind {
        ConstraintKind::ForeignKey(_) | ConstraintKind::Check(_)
            if constraint.validated && !is_partitioned =>
        {
            fixer.push(
                phase,
                validate_comments(constraint),
                format!(
                    "{alter} DROP CONSTRAINT {ident}, ADD CONSTRAINT {ident} {definition} NOT VALID;"
                ),
            );
            fixer.push(
                phase,
                Vec::new(),
                format!("{alter} VALIDATE CONSTRAINT {ident};"),
            );
        }
        ConstraintKind::PrimaryKey(key) | ConstraintKind::Unique(key) if !is_partitioned => {
            let temporary = temporary_name(name);
            let create = index_sql(fixer, table, &temporary, &key_index(key), true);
            fixer.push(Phase::Indexes, vec![CONCURRENTLY.into()], create);
            let sql = format!(
                "{alter} DROP CONSTRAINT {ident}, ADD CONSTRAINT {ident} {};",
                using_index(fixer, constraint, &temporary)
            );
            fixer.push(
                phase,
                vec![
                    format!("Swaps in the index built above as {name} (a brief lock; the index takes the constraint's name)."),
                    dependents.into(),
                ],
                sql,
            );
        }
        _ => {
            let mut comments = vec![format!(
                "⚠ checks or rebuilds under an ACCESS EXCLUSIVE lock on {table}: reads and writes wait."
            )];
            if matches!(
                constraint.kind,
                ConstraintKind::PrimaryKey(_) | ConstraintKind::Unique(_)
            ) {
                comments.push(dependents.into());
            }
            fixer.push(
                phase,
                comments,
                format!("{alter} DROP CONSTRAINT {ident}, ADD CONSTRAINT {ident} {definition};"),
            );
        }
    }
}
