//! Columns of a table present on both sides: missing, unexpected, and which properties
//! count (type, nullability, default, identity, generated, collation), plus column order.
//!
//! Folding: a column that should be generated (or identity) but is plain is one finding
//! whose nullability and default differences are part of it; a default that differs only
//! by the casts a type change brings is part of the `column-type` finding.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{column_definition, quote_ident, Column};

use super::expr::equal_modulo_casts;
use super::finding::{Finding, FindingKind, FindingRef, Folded};
use super::keyed::differences;
use super::tables::{TableCompare, TableFindings};

pub(super) fn compare(tc: &TableCompare<'_>, found: &mut TableFindings) {
    let expected: BTreeMap<&str, &Column> = tc
        .expected
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    let actual: BTreeMap<&str, &Column> = tc
        .actual
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    let d = differences(&expected, &actual);
    let version = tc.cx.version;
    for (name, column) in d.only_expected {
        if mirrors_parent(tc, name, Some(column), None) {
            continue;
        }
        let definition = column_definition(column, version);
        found.push(
            Finding::new(
                FindingKind::ColumnMissing,
                tc.path.child(*name),
                format!("column {name} is missing"),
            )
            .expected(Some(definition)),
        );
    }
    for (name, column) in d.only_actual {
        if mirrors_parent(tc, name, None, Some(column)) {
            continue;
        }
        let definition = column_definition(column, version);
        found.push(
            Finding::new(
                FindingKind::ColumnUnexpected,
                tc.path.child(*name),
                format!("column {name} is not in the expected schema"),
            )
            .actual(Some(definition)),
        );
    }
    for (name, e, a) in d.both {
        if !mirrors_parent(tc, name, Some(e), Some(a)) {
            compare_column(tc, found, e, a);
        }
    }
}

/// A partition's columns are its parent's: a difference the parent already shows is not
/// reported again for every partition.
fn mirrors_parent(
    tc: &TableCompare<'_>,
    name: &str,
    expected: Option<&Column>,
    actual: Option<&Column>,
) -> bool {
    match tc.parent {
        Some((pe, pa)) => pe.column(name) == expected && pa.column(name) == actual,
        None => false,
    }
}

fn nullability(column: &Column) -> String {
    if column.not_null { "NOT NULL" } else { "NULL" }.to_string()
}

fn compare_column(tc: &TableCompare<'_>, found: &mut TableFindings, e: &Column, a: &Column) {
    let path = tc.path.child(&e.name);
    let exprs = tc.cx.exprs;
    let name = &e.name;

    let mut type_change: Option<FindingRef> = None;
    if e.data_type != a.data_type {
        let f = Finding::new(
            FindingKind::ColumnType,
            path.clone(),
            format!("column {name} is {}, expected {}", a.data_type, e.data_type),
        )
        .expected(Some(e.data_type.clone()))
        .actual(Some(a.data_type.clone()));
        type_change = Some(f.reference());
        found.push(f);
    }

    let nullability_differs = e.not_null != a.not_null;
    let default_differs = !exprs.same_opt(e.default.as_deref(), a.default.as_deref());
    let generated_presence = e.generated.is_some() != a.generated.is_some();
    let identity_presence = e.identity.is_some() != a.identity.is_some();
    // A column that should be generated or identity but is plain (or the reverse) gets
    // its value elsewhere: its NOT NULL and DEFAULT differences are part of that finding.
    let value_source_differs = generated_presence || identity_presence;
    let folded_properties = |f: &mut Finding| {
        if nullability_differs {
            f.folded.push(Folded {
                kind: FindingKind::ColumnNullable,
                object: path.clone(),
                expected: Some(nullability(e)),
                actual: Some(nullability(a)),
            });
        }
        if default_differs {
            f.folded.push(Folded {
                kind: FindingKind::ColumnDefault,
                object: path.clone(),
                expected: e.default.clone(),
                actual: a.default.clone(),
            });
        }
        let version = tc.cx.version;
        f.details
            .push(format!("expected: {}", column_definition(e, version)));
        f.details
            .push(format!("actual:   {}", column_definition(a, version)));
    };

    match (&e.generated, &a.generated) {
        (Some(g), None) | (None, Some(g)) => {
            let message = if e.generated.is_some() {
                format!("column {name} is a plain column, expected {}", g.sql())
            } else {
                format!("column {name} is {}, expected a plain column", g.sql())
            };
            let mut f = Finding::new(FindingKind::ColumnGenerated, path.clone(), message)
                .expected(e.generated.as_ref().map(|g| g.sql()))
                .actual(a.generated.as_ref().map(|g| g.sql()));
            folded_properties(&mut f);
            found.push(f);
        }
        (Some(ge), Some(ga))
            if ge.stored != ga.stored || !exprs.same(&ge.expression, &ga.expression) =>
        {
            let cast_only =
                ge.stored == ga.stored && equal_modulo_casts(&ge.expression, &ga.expression);
            match &type_change {
                Some(cause) if cast_only => found.fold(
                    cause,
                    Folded {
                        kind: FindingKind::ColumnGenerated,
                        object: path.clone(),
                        expected: Some(ge.sql()),
                        actual: Some(ga.sql()),
                    },
                    format!("generated as {} (expected {})", ga.sql(), ge.sql()),
                ),
                _ => found.push(
                    Finding::new(
                        FindingKind::ColumnGenerated,
                        path.clone(),
                        format!("column {name} is {}, expected {}", ga.sql(), ge.sql()),
                    )
                    .expected(Some(ge.sql()))
                    .actual(Some(ga.sql()))
                    .caused_by(type_change.clone()),
                ),
            }
        }
        _ => {}
    }

    if e.identity != a.identity {
        let text = |c: &Column| c.identity.map(|i| i.sql().to_string());
        let message = match (e.identity, a.identity) {
            (Some(i), None) => format!(
                "column {name} is not an identity column, expected {}",
                i.sql()
            ),
            (None, Some(i)) => format!("column {name} is {}, expected no identity", i.sql()),
            (Some(ie), Some(ia)) => format!("column {name} is {}, expected {}", ia.sql(), ie.sql()),
            (None, None) => String::new(),
        };
        let mut f = Finding::new(FindingKind::ColumnIdentity, path.clone(), message)
            .expected(text(e))
            .actual(text(a));
        if identity_presence && !generated_presence {
            folded_properties(&mut f);
        }
        found.push(f);
    }

    if nullability_differs && !value_source_differs {
        let message = if e.not_null {
            format!("column {name} is nullable, expected NOT NULL")
        } else {
            format!("column {name} is NOT NULL, expected nullable")
        };
        found.push(
            Finding::new(FindingKind::ColumnNullable, path.clone(), message)
                .expected(Some(nullability(e)))
                .actual(Some(nullability(a))),
        );
    }

    if default_differs && !value_source_differs {
        let both = e.default.is_some() && a.default.is_some();
        let cast_only = both
            && equal_modulo_casts(
                e.default.as_deref().unwrap_or_default(),
                a.default.as_deref().unwrap_or_default(),
            );
        match &type_change {
            Some(cause) if cast_only => found.fold(
                cause,
                Folded {
                    kind: FindingKind::ColumnDefault,
                    object: path.clone(),
                    expected: e.default.clone(),
                    actual: a.default.clone(),
                },
                format!(
                    "default {} (expected {}) follows from the type",
                    a.default.as_deref().unwrap_or_default(),
                    e.default.as_deref().unwrap_or_default()
                ),
            ),
            _ => {
                let message = match (&e.default, &a.default) {
                    (Some(de), Some(da)) => {
                        format!("column {name} defaults to {da}, expected {de}")
                    }
                    (Some(de), None) => format!("column {name} has no default, expected {de}"),
                    (None, Some(da)) => {
                        format!("column {name} defaults to {da}, expected no default")
                    }
                    (None, None) => String::new(),
                };
                found.push(
                    Finding::new(FindingKind::ColumnDefault, path.clone(), message)
                        .expected(e.default.clone())
                        .actual(a.default.clone())
                        .caused_by(type_change.clone().filter(|_| both)),
                );
            }
        }
    }

    if e.collation != a.collation {
        let text = |c: &Column| c.collation.clone().unwrap_or_else(|| "default".to_string());
        found.push(
            Finding::new(
                FindingKind::ColumnCollation,
                path.clone(),
                format!(
                    "column {name} has collation {}, expected {}",
                    text(a),
                    text(e)
                ),
            )
            .expected(e.collation.clone())
            .actual(a.collation.clone())
            .caused_by(type_change),
        );
    }
}

/// Column order is information, not drift: one finding per table when the columns both
/// sides have are not in the same relative order.
pub(super) fn compare_order(tc: &TableCompare<'_>, found: &mut TableFindings) {
    let actual_names: BTreeSet<&str> = tc.actual.columns.iter().map(|c| c.name.as_str()).collect();
    let expected_names: BTreeSet<&str> = tc
        .expected
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    fn common_in<'c>(columns: &'c [Column], other: &BTreeSet<&str>) -> Vec<&'c str> {
        columns
            .iter()
            .filter(|c| other.contains(c.name.as_str()))
            .map(|c| c.name.as_str())
            .collect()
    }
    let expected_order = common_in(&tc.expected.columns, &actual_names);
    let actual_order = common_in(&tc.actual.columns, &expected_names);
    if expected_order == actual_order {
        return;
    }
    let version = tc.cx.version;
    let list = |columns: &[Column]| {
        columns
            .iter()
            .map(|c| quote_ident(&c.name, version))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first = expected_order
        .iter()
        .zip(&actual_order)
        .position(|(e, a)| e != a)
        .unwrap_or_default();
    found.push(
        Finding::new(
            FindingKind::ColumnOrder,
            tc.path.clone(),
            format!(
                "columns of {} are in a different order (first difference: {} where {} is expected)",
                tc.name.name, actual_order[first], expected_order[first]
            ),
        )
        .expected(Some(list(&tc.expected.columns)))
        .actual(Some(list(&tc.actual.columns))),
    );
}
