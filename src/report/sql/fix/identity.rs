//! Fixes for where a column's values come from: identity (added with its sequence started
//! after the values already there, dropped, or switched ALWAYS / BY DEFAULT) and generation
//! (dropped in place, changed in place on PostgreSQL 17+, or — what PostgreSQL cannot do in
//! place — a new column added beside the old values, whose drop is left commented out).

use crate::model::column_definition;
use crate::model::naming::make_object_name;
use crate::model::{quote_literal, Column, Identity};

use super::columns::{functions_comment, set_default, set_not_null, ColumnFix};
use super::{Fixer, Phase};

fn identity_word(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

pub(super) fn identity(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
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
            let table_text = quote_literal(&fixer.quoted(column.table));
            fixer.push(
                Phase::Columns,
                vec!["Starts the identity after the values the column already holds.".into()],
                format!(
                    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence({table_text}, {}), coalesce(max({ident}), 0) + 1, false) FROM {};",
                    quote_literal(column.name),
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

pub(super) fn generated(fixer: &mut Fixer<'_>, column: &ColumnFix<'_>, e: &Column, a: &Column) {
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
