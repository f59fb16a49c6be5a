//! Fixes for columns of tables that exist: added (with what is folded into a missing column:
//! its indexes and constraints, after it), retyped (default, indexes and checks made to read
//! as expected again), made NOT NULL without a long lock (a validated CHECK first),
//! defaults, identity, generation and collation set — each with its hazard — and dropped
//! only in a comment.

use crate::diff::{Finding, FindingKind, Folded};
use crate::model::naming::make_object_name;
use crate::model::{Column, Identity, QualifiedName};
use crate::report::ddl_text::column_definition;
use crate::report::matrix::Target;

use super::hazards::{needed_functions, rewrite_comments};
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
struct ColumnFix<'a> {
    table: &'a QualifiedName,
    name: &'a str,
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

fn functions_comment(expr: &str) -> Vec<String> {
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
fn set_not_null(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>) {
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

fn set_default(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column) {
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

fn identity_word(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

fn identity(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
    let alter = fixer.alter_table(column.table);
    let ident = fixer.ident(column.name);
    match (e.identity, a.identity) {
        (Some(wanted), None) => {
            if a.default.is_some() {
                fixer.push(
                    Phase::Columns,
                    vec!["An identity column has no default: the old one goes.".into()],
                    format!("{alter} ALTER COLUMN {ident} DROP DEFAULT;"),
                );
            }
            if !a.not_null {
                set_not_null(fixer, column);
            }
            fixer.push(
                Phase::Columns,
                Vec::new(),
                format!(
                    "{alter} ALTER COLUMN {ident} ADD GENERATED {} AS IDENTITY;",
                    identity_word(wanted)
                ),
            );
            let table_text = crate::model::quote_literal(&fixer.quoted(column.table));
            fixer.push(
                Phase::Columns,
                vec!["Starts the identity after the values the column already holds.".into()],
                format!(
                    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence({table_text}, {}), coalesce(max({ident}), 0) + 1, false) FROM {};",
                    crate::model::quote_literal(column.name),
                    fixer.quoted(column.table)
                ),
            );
        }
        (None, Some(_)) => {
            fixer.push(
                Phase::Columns,
                Vec::new(),
                format!("{alter} ALTER COLUMN {ident} DROP IDENTITY;"),
            );
            restore_plain_properties(fixer, column, e, a);
        }
        (Some(wanted), Some(_)) => fixer.push(
            Phase::Columns,
            Vec::new(),
            format!(
                "{alter} ALTER COLUMN {ident} SET GENERATED {};",
                identity_word(wanted)
            ),
        ),
        (None, None) => {}
    }
}

/// Once a column is plain again (no identity, no generation): its default and NOT NULL as
/// expected.
fn restore_plain_properties(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
    if e.default.is_some() {
        set_default(fixer, column, e);
    }
    if e.not_null && !a.not_null {
        set_not_null(fixer, column);
    } else if !e.not_null && a.not_null {
        let sql = format!(
            "{} ALTER COLUMN {} DROP NOT NULL;",
            fixer.alter_table(column.table),
            fixer.ident(column.name)
        );
        fixer.push(Phase::Columns, Vec::new(), sql);
    }
}

/// Keep the column's values under another name and add the expected column in its place:
/// PostgreSQL cannot turn a plain column into a generated one (or change a generated
/// column's kind) in place.
fn replace_by_new_column(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, why: &str) {
    let alter = fixer.alter_table(column.table);
    let old = make_object_name(column.name, None, Some("pgdrift_old"));
    let mut comments = vec![
        format!("{why}: the old values are kept as {old}, and the expected column is added."),
        format!(
            "Indexes, constraints and views on {} stay with {old}: recreate them.",
            column.name
        ),
    ];
    if e.generated.as_ref().is_some_and(|g| g.stored) {
        comments.push("⚠ computes the new column for every row: rewrites the table under an ACCESS EXCLUSIVE lock.".into());
    }
    fixer.push(
        Phase::Columns,
        comments,
        format!(
            "{alter} RENAME COLUMN {} TO {};",
            fixer.ident(column.name),
            fixer.ident(&old)
        ),
    );
    fixer.push(
        Phase::Columns,
        Vec::new(),
        format!(
            "{alter} ADD COLUMN {};",
            column_definition(e, fixer.version)
        ),
    );
    fixer.push_commented(
        Phase::Destructive,
        vec![format!(
            "⚠ destroys the old values of {} kept as {old}: once nothing reads or writes them.",
            column.name
        )],
        format!("{alter} DROP COLUMN {};", fixer.ident(&old)),
    );
}

fn generated(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
    let alter = fixer.alter_table(column.table);
    let ident = fixer.ident(column.name);
    match (&e.generated, &a.generated) {
        (Some(_), None) => replace_by_new_column(
            fixer,
            column,
            e,
            "PostgreSQL cannot turn a plain column into a generated one",
        ),
        (None, Some(g)) if g.stored => {
            fixer.push(
                Phase::Columns,
                vec!["Keeps the values computed so far and stops computing them.".into()],
                format!("{alter} ALTER COLUMN {ident} DROP EXPRESSION;"),
            );
            restore_plain_properties(fixer, column, e, a);
        }
        (None, Some(_)) => replace_by_new_column(
            fixer,
            column,
            e,
            "PostgreSQL cannot turn a virtual generated column into a plain one",
        ),
        (Some(ge), Some(ga)) if ge.stored == ga.stored && fixer.version.major() >= 17 => {
            let mut comments = functions_comment(&ge.expression);
            if ge.stored {
                comments.push("⚠ computes the column again for every row: rewrites the table under an ACCESS EXCLUSIVE lock.".into());
            }
            fixer.push(
                Phase::Columns,
                comments,
                format!(
                    "{alter} ALTER COLUMN {ident} SET EXPRESSION AS ({});",
                    ge.expression
                ),
            );
        }
        (Some(_), Some(_)) => replace_by_new_column(
            fixer,
            column,
            e,
            "Before PostgreSQL 17 (or between stored and virtual) a generation expression cannot change in place",
        ),
        (None, None) => {}
    }
}
