//! Constraints of a table present on both sides: primary keys, unique, foreign keys,
//! checks and exclusions (NOT NULL is a column property, compared with the column).
//! Which fields count: the whole definition except the name, so a renamed constraint is
//! one `constraint-renamed` finding. A constraint that needs a missing column is part of
//! that column's finding; a foreign key to a missing table points at that table.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Constraint, ConstraintKind, KeyConstraint, QualifiedName, Table};

use super::describe;
use super::expr::{equal_modulo_casts, referenced_names};
use super::finding::{Finding, FindingKind, FindingRef, Folded, ObjectPath};
use super::keyed::{differences, pair_renames};
use super::tables::{TableCompare, TableFindings};

type ExprEq<'a> = &'a dyn Fn(&str, &str) -> bool;

fn same_kind(e: &ConstraintKind, a: &ConstraintKind, eq: ExprEq<'_>) -> bool {
    match (e, a) {
        (ConstraintKind::PrimaryKey(ke), ConstraintKind::PrimaryKey(ka))
        | (ConstraintKind::Unique(ke), ConstraintKind::Unique(ka)) => ke == ka,
        (ConstraintKind::ForeignKey(fe), ConstraintKind::ForeignKey(fa)) => fe == fa,
        (ConstraintKind::Check(ce), ConstraintKind::Check(ca)) => {
            ce.no_inherit == ca.no_inherit && eq(&ce.expression, &ca.expression)
        }
        (ConstraintKind::Exclusion(xe), ConstraintKind::Exclusion(xa)) => {
            eq(&xe.definition, &xa.definition)
        }
        _ => false,
    }
}

/// Whether two constraints are the same constraint, whatever their names.
///
/// A constraint the expected side adds `NOT VALID` that the database has since validated
/// is stricter than intended, not drift; the reverse (rows never checked) is.
pub(super) fn same_constraint(e: &Constraint, a: &Constraint, eq: ExprEq<'_>) -> bool {
    e.deferrable == a.deferrable
        && e.initially_deferred == a.initially_deferred
        && (e.validated == a.validated || a.validated)
        && same_kind(&e.kind, &a.kind, eq)
}

/// The columns a constraint uses (for a check or exclusion, the names in its expression).
pub(super) fn constraint_columns(constraint: &Constraint) -> BTreeSet<String> {
    match &constraint.kind {
        ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => {
            k.columns.iter().chain(&k.include).cloned().collect()
        }
        ConstraintKind::ForeignKey(fk) => fk.columns.iter().cloned().collect(),
        ConstraintKind::Check(c) => referenced_names(&c.expression),
        ConstraintKind::Exclusion(x) => referenced_names(&x.definition),
    }
}

fn key_lines(
    e: &KeyConstraint,
    a: &KeyConstraint,
    part: &mut impl FnMut(&'static str, String, String),
) {
    if e.columns != a.columns {
        part("columns", e.columns.join(", "), a.columns.join(", "));
    }
    if e.include != a.include {
        part("include", e.include.join(", "), a.include.join(", "));
    }
    if e.nulls_not_distinct != a.nulls_not_distinct {
        part(
            "nulls not distinct",
            e.nulls_not_distinct.to_string(),
            a.nulls_not_distinct.to_string(),
        );
    }
}

/// Which parts of two same-named constraints differ, one line each.
fn differing_parts(
    tc: &TableCompare<'_>,
    e: &Constraint,
    a: &Constraint,
) -> (Vec<&'static str>, Vec<String>) {
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    let mut part = |label: &'static str, expected: String, actual: String| {
        parts.push(label);
        lines.push(format!("{label}: expected {expected}, actual {actual}"));
    };
    let version = tc.cx.version;
    match (&e.kind, &a.kind) {
        (ConstraintKind::PrimaryKey(ke), ConstraintKind::PrimaryKey(ka))
        | (ConstraintKind::Unique(ke), ConstraintKind::Unique(ka)) => key_lines(ke, ka, &mut part),
        (ConstraintKind::ForeignKey(fe), ConstraintKind::ForeignKey(fa)) => {
            if fe.columns != fa.columns {
                part("columns", fe.columns.join(", "), fa.columns.join(", "));
            }
            let target = |t: &QualifiedName, c: &[String]| {
                format!("{}({})", t.quoted(version), c.join(", "))
            };
            if fe.referenced_table != fa.referenced_table
                || fe.referenced_columns != fa.referenced_columns
            {
                part(
                    "references",
                    target(&fe.referenced_table, &fe.referenced_columns),
                    target(&fa.referenced_table, &fa.referenced_columns),
                );
            }
            if fe.on_update != fa.on_update {
                part(
                    "ON UPDATE",
                    fe.on_update.sql().into(),
                    fa.on_update.sql().into(),
                );
            }
            if fe.on_delete != fa.on_delete || fe.on_delete_set_columns != fa.on_delete_set_columns
            {
                let action = |f: &crate::model::ForeignKey| {
                    if f.on_delete_set_columns.is_empty() {
                        f.on_delete.sql().to_string()
                    } else {
                        format!(
                            "{} ({})",
                            f.on_delete.sql(),
                            f.on_delete_set_columns.join(", ")
                        )
                    }
                };
                part("ON DELETE", action(fe), action(fa));
            }
            if fe.match_type != fa.match_type {
                part(
                    "MATCH",
                    fe.match_type.sql().into(),
                    fa.match_type.sql().into(),
                );
            }
        }
        (ConstraintKind::Check(ce), ConstraintKind::Check(ca)) => {
            if !tc.cx.exprs.same(&ce.expression, &ca.expression) {
                part("expression", ce.expression.clone(), ca.expression.clone());
            }
            if ce.no_inherit != ca.no_inherit {
                part(
                    "NO INHERIT",
                    ce.no_inherit.to_string(),
                    ca.no_inherit.to_string(),
                );
            }
        }
        (ConstraintKind::Exclusion(xe), ConstraintKind::Exclusion(xa)) => {
            part("exclusion", xe.definition.clone(), xa.definition.clone());
        }
        (ke, ka) => part("type", ke.label().into(), ka.label().into()),
    }
    if e.deferrable != a.deferrable {
        part(
            "DEFERRABLE",
            e.deferrable.to_string(),
            a.deferrable.to_string(),
        );
    }
    if e.initially_deferred != a.initially_deferred {
        part(
            "INITIALLY DEFERRED",
            e.initially_deferred.to_string(),
            a.initially_deferred.to_string(),
        );
    }
    if e.validated && !a.validated {
        part("validated", "yes".into(), "no (NOT VALID)".into());
    }
    (parts, lines)
}

fn local(table: &Table) -> BTreeMap<&String, &Constraint> {
    // A partition's constraint cloned from its parent is the parent's, compared there.
    table
        .constraints
        .iter()
        .filter(|(_, c)| !c.inherited)
        .collect()
}

/// What a foreign key present on one side only follows from: the table it references being
/// on that side only too (`table-missing` / `table-unexpected`), or, failing that, a
/// referenced column being so (`column-missing` / `column-unexpected`).
fn foreign_key_cause(
    tc: &TableCompare<'_>,
    constraint: &Constraint,
    missing: bool,
) -> Option<FindingRef> {
    let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
        return None;
    };
    let target = &fk.referenced_table;
    let (tables, table_kind, column_kind) = if missing {
        (
            &tc.cx.missing_tables,
            FindingKind::TableMissing,
            FindingKind::ColumnMissing,
        )
    } else {
        (
            &tc.cx.unexpected_tables,
            FindingKind::TableUnexpected,
            FindingKind::ColumnUnexpected,
        )
    };
    if tables.contains(target) {
        return Some(FindingRef {
            kind: table_kind,
            object: ObjectPath::object(target),
        });
    }
    if !tc.cx.in_scope(&target.schema) {
        return None;
    }
    let (has, lacks) = if missing {
        (tc.cx.expected.table(target)?, tc.cx.actual.table(target)?)
    } else {
        (tc.cx.actual.table(target)?, tc.cx.expected.table(target)?)
    };
    fk.referenced_columns
        .iter()
        .find(|c| has.column(c).is_some() && lacks.column(c).is_none())
        .map(|c| FindingRef {
            kind: column_kind,
            object: ObjectPath::object(target).child(c.as_str()),
        })
}

pub(super) fn compare(tc: &TableCompare<'_>, found: &mut TableFindings) {
    let version = tc.cx.version;
    let exprs = tc.cx.exprs;
    let strict = |x: &str, y: &str| exprs.same(x, y);
    let expected = local(tc.expected);
    let actual = local(tc.actual);
    let d = differences(&expected, &actual);
    let (mut only_expected, mut only_actual) = (d.only_expected, d.only_actual);

    for ((en, ec), (an, _)) in pair_renames(&mut only_expected, &mut only_actual, |x, y| {
        same_constraint(x, y, &strict)
    }) {
        found.push(
            Finding::new(
                FindingKind::ConstraintRenamed,
                tc.path.child(en.as_str()),
                format!("{} constraint {en} is named {an}", ec.kind.label()),
            )
            .expected(Some(en.to_string()))
            .actual(Some(an.to_string()))
            .details(vec![describe::constraint(en, ec, version)]),
        );
    }

    for (name, e, a) in d.both {
        if same_constraint(e, a, &strict) {
            continue;
        }
        let path = tc.path.child(name.as_str());
        let expected_sql = crate::model::constraint_definition(e, version);
        let actual_sql = crate::model::constraint_definition(a, version);
        let mut columns = constraint_columns(e);
        columns.extend(constraint_columns(a));
        // A check rendered differently only because a column's type differs.
        if same_constraint(e, a, &equal_modulo_casts) {
            if let Some(cause) = tc.column_finding(found, &columns, &[FindingKind::ColumnType]) {
                found.fold(
                    &cause,
                    Folded {
                        kind: FindingKind::ConstraintDefinition,
                        object: path,
                        expected: Some(expected_sql.clone()),
                        actual: Some(actual_sql.clone()),
                    },
                    format!(
                        "constraint {name} follows from the type: {actual_sql} (expected {expected_sql})"
                    ),
                );
                continue;
            }
        }
        let cause = tc.column_finding(
            found,
            &columns,
            &[
                FindingKind::ColumnMissing,
                FindingKind::ColumnUnexpected,
                FindingKind::ColumnType,
                FindingKind::ColumnCollation,
            ],
        );
        let (parts, lines) = differing_parts(tc, e, a);
        let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        found.push(
            Finding::new(
                FindingKind::ConstraintDefinition,
                path,
                format!(
                    "{} constraint {name} differs: {}",
                    e.kind.label(),
                    describe::join_and(&parts)
                ),
            )
            .expected(Some(expected_sql))
            .actual(Some(actual_sql))
            .details(lines)
            .caused_by(cause),
        );
    }

    for (name, e) in only_expected {
        let path = tc.path.child(name.as_str());
        let sql = describe::constraint(name, e, version);
        match tc.column_finding(found, &constraint_columns(e), &[FindingKind::ColumnMissing]) {
            Some(cause) => found.fold(
                &cause,
                Folded {
                    kind: FindingKind::ConstraintMissing,
                    object: path,
                    expected: Some(crate::model::constraint_definition(e, version)),
                    actual: None,
                },
                format!("constraint {sql}"),
            ),
            None => found.push(
                Finding::new(
                    FindingKind::ConstraintMissing,
                    path,
                    format!("{} constraint {name} is missing", e.kind.label()),
                )
                .expected(Some(crate::model::constraint_definition(e, version)))
                .caused_by(foreign_key_cause(tc, e, true)),
            ),
        }
    }

    for (name, a) in only_actual {
        let path = tc.path.child(name.as_str());
        let sql = describe::constraint(name, a, version);
        match tc.column_finding(
            found,
            &constraint_columns(a),
            &[FindingKind::ColumnUnexpected],
        ) {
            Some(cause) => found.fold(
                &cause,
                Folded {
                    kind: FindingKind::ConstraintUnexpected,
                    object: path,
                    expected: None,
                    actual: Some(crate::model::constraint_definition(a, version)),
                },
                format!("constraint {sql}"),
            ),
            None => found.push(
                Finding::new(
                    FindingKind::ConstraintUnexpected,
                    path,
                    format!(
                        "{} constraint {name} is not in the expected schema",
                        a.kind.label()
                    ),
                )
                .actual(Some(crate::model::constraint_definition(a, version)))
                .caused_by(foreign_key_cause(tc, a, false)),
            ),
        }
    }
}
