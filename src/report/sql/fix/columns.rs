//! Fixes for columns of tables that exist: added (with what is folded into a missing column:
//! its indexes and constraints, after it), retyped (default, indexes and checks made to read
//! as expected again), made NOT NULL without a long lock (a validated CHECK first),
//! defaults, identity, generation and collation set — each with its hazard — and dropped
//! only in a comment.

use crate::diff::{Finding, FindingKind, Folded};
use crate::model::column_definition;
use crate::model::naming::make_object_name;
use crate::model::{Column, QualifiedName};
use crate::report::matrix::Target;

use super::hazards::{needed_functions, rewrite_comments};
use super::identity::{generated, identity};
use super::keys::{add_constraint, create_index, replace_constraint, replace_index};
use super::tables::{ensure_sequence, own_sequence};
use super::{Fixer, Phase};

pub(super) fn fix(
    fixer: &mut Fixer<'_>,
    finding: &Finding,
    target: &Target,
    folded: &[(&Folded, Option<&Target>)],
) {
    let Target::Column { table, name } = target else {
        return;
    };
    let expected = fixer.expected_table(table).and_then(|t| t.column(name));
    let actual = fixer.actual_table(table).and_then(|t| t.column(name));
    let column = ColumnFix { table, name };
    match (finding.kind, expected, actual) {
        (FindingKind::ColumnMissing, Some(e), _) => add_column(fixer, &column, e),
        (FindingKind::ColumnUnexpected, _, _) => {
            let sql = format!(
                "{} DROP COLUMN {};",
                fixer.alter_table(table),
                fixer.ident(name)
            );
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ destroys column {name} of {table} and its values, with the indexes and constraints that use it."
                )],
                sql,
            );
        }
        (FindingKind::ColumnType, Some(e), Some(a)) => change_type(fixer, &column, e, a),
        (FindingKind::ColumnNullable, Some(e), _) => {
            if e.not_null {
                set_not_null(fixer, &column);
            } else {
                let sql = format!(
                    "{} ALTER COLUMN {} DROP NOT NULL;",
                    fixer.alter_table(table),
                    fixer.ident(name)
                );
                fixer.push(Phase::Columns, Vec::new(), sql);
            }
        }
        (FindingKind::ColumnDefault, Some(e), _) => {
            if fixer.has_finding(FindingKind::ColumnType, &finding.object) {
                fixer.explain(
                    Phase::Columns,
                    vec![format!(
                        "The default of {name} is set with its type change."
                    )],
                );
            } else {
                set_default(fixer, &column, e);
            }
        }
        (FindingKind::ColumnIdentity, Some(e), Some(a)) => identity(fixer, &column, e, a),
        (FindingKind::ColumnGenerated, Some(e), Some(a)) => generated(fixer, &column, e, a),
        (FindingKind::ColumnCollation, Some(e), _) => {
            if fixer.has_finding(FindingKind::ColumnType, &finding.object) {
                fixer.explain(
                    Phase::Columns,
                    vec![format!(
                        "The collation of {name} is set with its type change."
                    )],
                );
            } else {
                let collation = e
                    .collation
                    .clone()
                    .unwrap_or_else(|| "pg_catalog.\"default\"".into());
                let sql = format!(
                    "{} ALTER COLUMN {} TYPE {} COLLATE {collation};",
                    fixer.alter_table(table),
                    fixer.ident(name),
                    e.data_type
                );
                fixer.push(
                    Phase::Columns,
                    vec!["⚠ rebuilds the indexes that use the column under an ACCESS EXCLUSIVE lock.".into()],
                    sql,
                );
            }
        }
        _ => {}
    }
    fix_folded(fixer, folded);
}

/// The column a fix is about.
pub(super) struct ColumnFix<'a> {
    pub table: &'a QualifiedName,
    pub name: &'a str,
}

/// What is folded into a column's finding and needs a statement of its own, after the
/// column's: indexes and constraints that use a missing column, or that read differently
/// because the column's type does.
fn fix_folded(fixer: &mut Fixer<'_>, folded: &[(&Folded, Option<&Target>)]) {
    for (f, target) in folded {
        match (f.kind, target) {
            (FindingKind::IndexMissing, Some(Target::Index { table, name })) => {
                if let Some(index) = fixer
                    .expected_table(table)
                    .and_then(|t| t.indexes.get(name))
                {
                    create_index(fixer, table, name, index);
                }
            }
            (FindingKind::IndexDefinition, Some(Target::Index { table, name })) => {
                if let Some(index) = fixer
                    .expected_table(table)
                    .and_then(|t| t.indexes.get(name))
                {
                    replace_index(fixer, table, name, index);
                }
            }
            (FindingKind::ConstraintMissing, Some(Target::Constraint { table, name })) => {
                if let Some(c) = fixer
                    .expected_table(table)
                    .and_then(|t| t.constraints.get(name))
                {
                    add_constraint(fixer, table, name, c);
                }
            }
            (FindingKind::ConstraintDefinition, Some(Target::Constraint { table, name })) => {
                if let Some(c) = fixer
                    .expected_table(table)
                    .and_then(|t| t.constraints.get(name))
                {
                    replace_constraint(fixer, table, name, c);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn functions_comment(expr: &str) -> Vec<String> {
    let functions = needed_functions(expr);
    if functions.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "needs {} to exist (an extension's?).",
            functions
                .iter()
                .map(|f| format!("{f}()"))
                .collect::<Vec<_>>()
                .join(", ")
        )]
    }
}

fn add_column(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column) {
    let alter = fixer.alter_table(column.table);
    let sequence = ensure_sequence(fixer, e);
    let mut comments = Vec::new();
    if let Some(g) = &e.generated {
        comments.extend(functions_comment(&g.expression));
        if g.stored {
            comments.push("⚠ computes the column for every row: rewrites the table under an ACCESS EXCLUSIVE lock.".into());
        }
    } else if e.identity.is_some() {
        comments
            .push("⚠ numbers every row: rewrites the table under an ACCESS EXCLUSIVE lock.".into());
    } else if let Some(default) = &e.default {
        comments.extend(functions_comment(default));
        comments.extend(rewrite_comments(default, "the default"));
    }
    let plain_not_null =
        e.not_null && e.default.is_none() && e.generated.is_none() && e.identity.is_none();
    if plain_not_null {
        // ADD COLUMN … NOT NULL without a default fails on a table that has rows.
        let mut nullable = e.clone();
        nullable.not_null = false;
        comments.push(format!(
            "NOT NULL without a default fails on a table with rows: add {} nullable, backfill it, then make it NOT NULL.",
            column.name
        ));
        let sql = format!(
            "{alter} ADD COLUMN {};",
            column_definition(&nullable, fixer.version)
        );
        fixer.push(Phase::Columns, comments, sql);
        fixer.explain(
            Phase::Columns,
            vec![format!(
                "UPDATE {} SET {} = … WHERE {} IS NULL;  -- backfill: only you know the values",
                fixer.quoted(column.table),
                fixer.ident(column.name),
                fixer.ident(column.name)
            )],
        );
        set_not_null(fixer, column);
    } else {
        let sql = format!(
            "{alter} ADD COLUMN {};",
            column_definition(e, fixer.version)
        );
        fixer.push(Phase::Columns, comments, sql);
    }
    if let Some(sequence) = sequence {
        own_sequence(fixer, Phase::Columns, &sequence, column.table, column.name);
    }
}

/// SET NOT NULL without holding ACCESS EXCLUSIVE for a whole scan: a CHECK added NOT VALID
/// and validated lets SET NOT NULL skip the scan (PostgreSQL 12+), then goes.
pub(super) fn set_not_null(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>) {
    let alter = fixer.alter_table(column.table);
    let ident = fixer.ident(column.name);
    let partitioned = fixer
        .actual_table(column.table)
        .is_some_and(|t| t.partition_by.is_some());
    if partitioned {
        fixer.push(
            Phase::Columns,
            vec![format!(
                "⚠ scans every partition under an ACCESS EXCLUSIVE lock; fails while rows hold NULL in {}.",
                column.name
            )],
            format!("{alter} ALTER COLUMN {ident} SET NOT NULL;"),
        );
        return;
    }
    let check = make_object_name(
        &column.table.name,
        Some(column.name),
        Some("pgdrift_not_null"),
    );
    let check = fixer.ident(&check);
    fixer.push(
        Phase::Columns,
        vec![
            "SET NOT NULL alone scans the table under an ACCESS EXCLUSIVE lock. Instead: a CHECK added NOT VALID (brief lock),".into(),
            "validated without blocking writes, lets SET NOT NULL skip the scan; then the CHECK goes.".into(),
            format!("VALIDATE fails while rows hold NULL in {}: backfill them first.", column.name),
        ],
        format!("{alter} ADD CONSTRAINT {check} CHECK ({ident} IS NOT NULL) NOT VALID;"),
    );
    fixer.push(
        Phase::Columns,
        Vec::new(),
        format!("{alter} VALIDATE CONSTRAINT {check};"),
    );
    fixer.push(
        Phase::Columns,
        Vec::new(),
        format!("{alter} ALTER COLUMN {ident} SET NOT NULL;"),
    );
    fixer.push(
        Phase::Columns,
        Vec::new(),
        format!("{alter} DROP CONSTRAINT {check};"),
    );
}

pub(super) fn set_default(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column) {
    let alter = fixer.alter_table(column.table);
    let ident = fixer.ident(column.name);
    match &e.default {
        Some(default) => {
            ensure_sequence(fixer, e);
            fixer.push(
                Phase::Columns,
                functions_comment(default),
                format!("{alter} ALTER COLUMN {ident} SET DEFAULT {default};"),
            );
        }
        None => fixer.push(
            Phase::Columns,
            Vec::new(),
            format!("{alter} ALTER COLUMN {ident} DROP DEFAULT;"),
        ),
    }
}

fn change_type(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
    let ident = fixer.ident(column.name);
    let mut clauses = Vec::new();
    // The old default may not cast to the new type: it goes first, the expected one after.
    if a.default.is_some() {
        clauses.push(format!("ALTER COLUMN {ident} DROP DEFAULT"));
    }
    let mut retype = format!("ALTER COLUMN {ident} TYPE {}", e.data_type);
    if let Some(collation) = &e.collation {
        retype.push_str(&format!(" COLLATE {collation}"));
    }
    // A generated column is computed again; USING is not allowed for it.
    if e.generated.is_none() && a.generated.is_none() {
        retype.push_str(&format!(" USING {ident}::{}", e.data_type));
    }
    clauses.push(retype);
    if let (Some(default), None) = (&e.default, &e.generated) {
        if e.identity.is_none() {
            ensure_sequence(fixer, e);
            clauses.push(format!("ALTER COLUMN {ident} SET DEFAULT {default}"));
        }
    }
    let sql = format!(
        "{}\n    {};",
        fixer.alter_table(column.table),
        clauses.join(",\n    ")
    );
    fixer.push(
        Phase::Columns,
        vec![
            "⚠ ACCESS EXCLUSIVE lock: rewrites the table and rebuilds its indexes unless the change is binary-coercible".into(),
            "(varchar → text, a longer varchar …); fails if a view uses the column or a value does not convert.".into(),
        ],
        sql,
    );
}
