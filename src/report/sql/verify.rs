//! Verification queries, so every claim of a report can be checked by pasting SQL into psql:
//! a `verify_sql` per finding (one row, `ok` true exactly when the environment has that
//! object as expected, or no longer has an unexpected one), one query per environment with a
//! row per object of the state matrix, and the list of checks `pgdrift verify` runs with
//! the answer each should give today.

use crate::report::matrix::{Matrix, Row, Source, State, TableMap};
use crate::report::{Audit, EnvironmentAudit};

use super::checks::Checker;
use super::pin;

/// One check `pgdrift verify` runs: `sql` returns one row whose boolean `ok` should equal
/// `expect_ok` on `environment` if the audit is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub environment: String,
    pub label: String,
    pub sql: String,
    pub expect_ok: bool,
}

fn finding_comment(env: &EnvironmentAudit, row: &Row) -> Vec<String> {
    let question = if row.expected {
        format!(
            "pgdrift: does {} have {} as expected? ok is true once it does.",
            env.name,
            row.label()
        )
    } else {
        format!(
            "pgdrift: is {} {} gone from {}, as expected? ok is true once it is.",
            row.class.noun(),
            row.object,
            env.name
        )
    };
    vec![
        question,
        "Read-only; pins search_path and friends for this statement and puts them back.".into(),
    ]
}

/// The `verify_sql` of each finding of environment `e`, in finding order: the finding's
/// object checked in full (everything a table holds included).
pub fn finding_sql(audit: &Audit, matrix: &Matrix, e: usize) -> Vec<String> {
    let env = &audit.environments[e];
    let expected = TableMap::new(&audit.expected.schema);
    let checker = Checker {
        expected: &expected,
        expected_schema: &audit.expected.schema,
        version: env.sql_version(&audit.expected),
        covered: None,
    };
    env.findings()
        .enumerate()
        .map(|(i, _)| {
            match matrix.row_of(e, Source::Finding(i)) {
                Some(row) => pin::single(
                    &finding_comment(env, row),
                    &checker.object(&row.object, &row.target),
                ),
                // Every finding has a row; kept total for safety.
                None => String::new(),
            }
        })
        .collect()
}

/// The rows of environment `e`'s query: each matrix row's label and predicate (objects other
/// rows cover left to them).
fn row_checks(audit: &Audit, matrix: &Matrix, e: usize) -> Vec<(String, String)> {
    let env = &audit.environments[e];
    let expected = TableMap::new(&audit.expected.schema);
    let checker = Checker {
        expected: &expected,
        expected_schema: &audit.expected.schema,
        version: env.sql_version(&audit.expected),
        covered: Some(matrix),
    };
    matrix
        .rows
        .iter()
        .map(|row| (row.label(), checker.object(&row.object, &row.target)))
        .collect()
}

/// The query for environment `e`: one row per object of the state matrix (`check`, `ok`);
/// every `ok` is true once the environment matches. `None` when the matrix is empty.
pub fn environment_query(audit: &Audit, matrix: &Matrix, e: usize) -> Option<String> {
    if matrix.rows.is_empty() {
        return None;
    }
    let env = &audit.environments[e];
    let checks = row_checks(audit, matrix, e);
    let comment = vec![
        format!(
            "pgdrift verification for {}: {} checks, one row each; every ok is true once {} matches the expected schema.",
            env.name,
            checks.len(),
            env.name
        ),
        "Read-only. Pins search_path, TimeZone, DateStyle, IntervalStyle and extra_float_digits for this statement and puts them back.".into(),
    ];
    Some(pin::many(&comment, &checks))
}

/// Every check `pgdrift verify` runs, environment by environment: each finding's
/// `verify_sql` expecting `ok = false`, each object folded into a finding or inside a missing
/// table expecting `false`, and each matrix object the environment matches expecting `true`.
/// Objects pgdrift could not read are left out (their answer is unknown).
pub fn checks(audit: &Audit) -> Vec<Check> {
    let matrix = Matrix::build(audit);
    let mut out = Vec::new();
    for (e, env) in audit.environments.iter().enumerate() {
        let findings = finding_sql(audit, &matrix, e);
        let rows = row_checks(audit, &matrix, e);
        for (row, (label, predicate)) in matrix.rows.iter().zip(&rows) {
            let cell = &row.cells[e];
            let Some(expect_ok) = cell.state.expect_ok() else {
                continue;
            };
            let own: Vec<usize> = cell
                .sources
                .iter()
                .filter_map(|s| match s {
                    Source::Finding(i) => Some(*i),
                    Source::Folded(..) => None,
                })
                .collect();
            if own.is_empty() {
                let what = match cell.state {
                    State::Matches => "matches",
                    State::ParentMissing => "missing with its table",
                    _ => "differs",
                };
                out.push(Check {
                    environment: env.name.clone(),
                    label: format!("{label} ({what})"),
                    sql: pin::single(&finding_comment(env, row), predicate),
                    expect_ok,
                });
            }
            for i in own {
                let finding = &env.findings[i].finding;
                if let Some(sql) = findings.get(i).filter(|s| !s.is_empty()) {
                    out.push(Check {
                        environment: env.name.clone(),
                        label: format!("{label} ({})", finding.kind),
                        sql: sql.clone(),
                        expect_ok: false,
                    });
                }
            }
        }
    }
    out
}
