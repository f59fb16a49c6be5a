//! Indexes of a table present on both sides (those backing a constraint are the constraint's).
//! Which fields count: uniqueness, method, keys, INCLUDE, predicate, NULLS NOT DISTINCT and
//! storage parameters — never the name, so a renamed index is one `index-renamed` finding.
//! An index that needs a missing column is part of that column's finding.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Index, IndexExpr, Table};

use super::describe;
use super::expr::{equal_modulo_casts, referenced_names};
use super::finding::{Finding, FindingKind, Folded};
use super::keyed::{differences, pair_renames};
use super::tables::{TableCompare, TableFindings};

type ExprEq<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Whether two indexes are the same index, whatever their names, comparing expressions
/// with `eq`.
pub(super) fn same_index(e: &Index, a: &Index, eq: ExprEq<'_>) -> bool {
    e.unique == a.unique
        && e.method == a.method
        && e.include == a.include
        && e.nulls_not_distinct == a.nulls_not_distinct
        && e.storage_parameters == a.storage_parameters
        && match (&e.predicate, &a.predicate) {
            (None, None) => true,
            (Some(pe), Some(pa)) => eq(pe, pa),
            _ => false,
        }
        && e.keys.len() == a.keys.len()
        && e.keys.iter().zip(&a.keys).all(|(ke, ka)| {
            ke.collation == ka.collation
                && ke.opclass == ka.opclass
                && ke.descending == ka.descending
                && ke.nulls_first == ka.nulls_first
                && match (&ke.expr, &ka.expr) {
                    (IndexExpr::Column(ce), IndexExpr::Column(ca)) => ce == ca,
                    (IndexExpr::Expression(xe), IndexExpr::Expression(xa)) => eq(xe, xa),
                    _ => false,
                }
        })
}

/// The columns an index uses: its key and INCLUDE columns and any named in its key
/// expressions or predicate.
pub(super) fn index_columns(index: &Index) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = index.column_names().map(str::to_string).collect();
    for key in &index.keys {
        if let IndexExpr::Expression(e) = &key.expr {
            out.extend(referenced_names(e));
        }
    }
    if let Some(p) = &index.predicate {
        out.extend(referenced_names(p));
    }
    out
}

/// Which parts of two same-named indexes differ, one line each.
fn differing_parts(
    tc: &TableCompare<'_>,
    e: &Index,
    a: &Index,
) -> (Vec<&'static str>, Vec<String>) {
    let version = tc.cx.version;
    let eq = |x: &str, y: &str| tc.cx.exprs.same(x, y);
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    let mut part = |label: &'static str, expected: String, actual: String| {
        parts.push(label);
        lines.push(format!("{label}: expected {expected}, actual {actual}"));
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    if e.unique != a.unique {
        part("unique", yes_no(e.unique), yes_no(a.unique));
    }
    if e.method != a.method {
        part("method", e.method.clone(), a.method.clone());
    }
    let mut keys_only = e.clone();
    keys_only.keys = a.keys.clone();
    if !same_index(e, &keys_only, &eq) {
        part(
            "keys",
            describe::index_keys(e, version),
            describe::index_keys(a, version),
        );
    }
    if e.include != a.include {
        part("include", e.include.join(", "), a.include.join(", "));
    }
    let predicate = |i: &Index| {
        i.predicate
            .as_ref()
            .map_or_else(|| "none".to_string(), |p| format!("WHERE {p}"))
    };
    let same_predicate = match (&e.predicate, &a.predicate) {
        (None, None) => true,
        (Some(x), Some(y)) => eq(x, y),
        _ => false,
    };
    if !same_predicate {
        part("predicate", predicate(e), predicate(a));
    }
    if e.nulls_not_distinct != a.nulls_not_distinct {
        part(
            "nulls not distinct",
            yes_no(e.nulls_not_distinct),
            yes_no(a.nulls_not_distinct),
        );
    }
    if e.storage_parameters != a.storage_parameters {
        let params = |i: &Index| {
            if i.storage_parameters.is_empty() {
                "none".to_string()
            } else {
                format!("WITH ({})", i.storage_parameters.join(", "))
            }
        };
        part("storage parameters", params(e), params(a));
    }
    (parts, lines)
}

fn local(table: &Table) -> BTreeMap<&String, &Index> {
    // A partition's index attached to its parent's index is the parent's, compared there.
    table.indexes.iter().filter(|(_, i)| !i.inherited).collect()
}

pub(super) fn compare(tc: &TableCompare<'_>, found: &mut TableFindings) {
    let version = tc.cx.version;
    let exprs = tc.cx.exprs;
    let strict = |x: &str, y: &str| exprs.same(x, y);
    let expected = local(tc.expected);
    let actual = local(tc.actual);
    let d = differences(&expected, &actual);
    let (mut only_expected, mut only_actual) = (d.only_expected, d.only_actual);
    let definition = |table: &Table, name: &str, index: &Index| {
        describe::index(name, tc.name, table, index, version)
    };

    for ((en, ei), (an, _)) in pair_renames(&mut only_expected, &mut only_actual, |x, y| {
        same_index(x, y, &strict)
    }) {
        found.push(
            Finding::new(
                FindingKind::IndexRenamed,
                tc.path.child(en.as_str()),
                format!("index {en} is named {an}"),
            )
            .expected(Some(en.to_string()))
            .actual(Some(an.to_string()))
            .details(vec![definition(tc.expected, en, ei)]),
        );
    }

    for (name, e, a) in d.both {
        if same_index(e, a, &strict) {
            continue;
        }
        let path = tc.path.child(name.as_str());
        let expected_sql = definition(tc.expected, name, e);
        let actual_sql = definition(tc.actual, name, a);
        let mut columns = index_columns(e);
        columns.extend(index_columns(a));
        // Differs only by the casts a column type change brings: part of that finding.
        if same_index(e, a, &equal_modulo_casts) {
            if let Some(cause) = tc.column_finding(found, &columns, &[FindingKind::ColumnType]) {
                found.fold(
                    &cause,
                    Folded {
                        kind: FindingKind::IndexDefinition,
                        object: path,
                        expected: Some(expected_sql.clone()),
                        actual: Some(actual_sql.clone()),
                    },
                    format!("index {name} follows from the type: {actual_sql} (expected {expected_sql})"),
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
        found.push(
            Finding::new(
                FindingKind::IndexDefinition,
                path,
                format!(
                    "index {name} differs: {}",
                    describe::join_and(&parts.iter().map(|p| p.to_string()).collect::<Vec<_>>())
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
        let sql = definition(tc.expected, name, e);
        match tc.column_finding(found, &index_columns(e), &[FindingKind::ColumnMissing]) {
            Some(cause) => found.fold(
                &cause,
                Folded {
                    kind: FindingKind::IndexMissing,
                    object: path,
                    expected: Some(sql.clone()),
                    actual: None,
                },
                format!("index {sql}"),
            ),
            None => found.push(
                Finding::new(
                    FindingKind::IndexMissing,
                    path,
                    format!("index {name} is missing"),
                )
                .expected(Some(sql)),
            ),
        }
    }

    for (name, a) in only_actual {
        let path = tc.path.child(name.as_str());
        let sql = definition(tc.actual, name, a);
        match tc.column_finding(found, &index_columns(a), &[FindingKind::ColumnUnexpected]) {
            Some(cause) => found.fold(
                &cause,
                Folded {
                    kind: FindingKind::IndexUnexpected,
                    object: path,
                    expected: None,
                    actual: Some(sql.clone()),
                },
                format!("index {sql}"),
            ),
            None => found.push(
                Finding::new(
                    FindingKind::IndexUnexpected,
                    path,
                    format!("index {name} is not in the expected schema"),
                )
                .actual(Some(sql)),
            ),
        }
    }
}
