//! Keyed comparison of two models into findings. Pure: no I/O, no printing, no SQL text
//! beyond the canonical definitions the model renders; depends only on `model`.
//!
//! `compare(expected, actual, options)` walks both schemas with one generic keyed
//! comparison (`keyed::differences`); the per-kind files say only which fields count and
//! how a difference reads. Rules that keep findings trustworthy live here too: a missing
//! table is one finding, renames are not drop + add, consequences of a column difference
//! are folded into it or point at it, migration tools' bookkeeping tables are not drift,
//! and objects the role cannot see are reported as such.

mod bookkeeping;
mod columns;
mod constraints;
mod describe;
mod enums;
mod expr;
mod finding;
mod indexes;
mod instant;
mod invisible;
mod keyed;
mod partitions;
mod tables;

use std::collections::BTreeSet;

use crate::model::{Loaded, PgVersion, QualifiedName, Schema};

pub use bookkeeping::{bookkeeping_tool, BOOKKEEPING_TABLES};
pub use expr::equal_modulo_casts;
pub use finding::{worst, FailOn, Finding, FindingKind, FindingRef, Folded, ObjectPath, Severity};
pub use keyed::{differences, Differences};

/// What to compare and how.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// The name of the environment `actual` is (`dev`, `prod` …), stamped on every finding.
    pub environment: String,
    /// Only these schemas, on both sides (empty: all).
    pub schemas: Vec<String>,
    /// The expected side was read from files (SQL, YAML), not from a server.
    pub expected_is_static: bool,
    /// The actual side was read from files, not from a server.
    pub actual_is_static: bool,
    /// "Equal modulo implicit casts" for expression texts, supplied by the caller (from
    /// `ddl::canon`); consulted only when a side was read statically, because a static
    /// reader cannot always know which implicit casts PostgreSQL would print.
    pub expressions_equivalent: Option<fn(&str, &str) -> bool>,
}

/// Everything one comparison consults, decided once.
struct Context<'a> {
    expected: &'a Schema,
    actual: &'a Schema,
    options: &'a DiffOptions,
    exprs: expr::Exprs,
    /// The version whose quoting rules definitions are printed with.
    version: PgVersion,
    /// Tables reported `table-missing` / `table-unexpected`, for `caused_by` of foreign keys.
    missing_tables: BTreeSet<QualifiedName>,
    unexpected_tables: BTreeSet<QualifiedName>,
}

impl<'a> Context<'a> {
    fn in_scope(&self, schema: &str) -> bool {
        self.options.schemas.is_empty() || self.options.schemas.iter().any(|s| s == schema)
    }
}

/// Compare what `actual` has with what `expected` defines, for the environment named in
/// `options`. Findings come sorted by object path, then kind.
pub fn compare(expected: &Loaded, actual: &Loaded, options: &DiffOptions) -> Vec<Finding> {
    let any_static = options.expected_is_static || options.actual_is_static;
    let mut cx = Context {
        expected: &expected.schema,
        actual: &actual.schema,
        options,
        exprs: expr::Exprs {
            equivalent: options.expressions_equivalent.filter(|_| any_static),
        },
        version: actual
            .server_version
            .or(expected.server_version)
            .unwrap_or_default(),
        missing_tables: BTreeSet::new(),
        unexpected_tables: BTreeSet::new(),
    };
    let tables = tables::table_differences(&cx);
    cx.missing_tables = tables.missing.iter().map(|(n, _)| n.clone()).collect();
    cx.unexpected_tables = tables.unexpected.iter().map(|(n, _)| n.clone()).collect();

    let mut findings = Vec::new();
    tables::compare_tables(&cx, &tables, &mut findings);
    enums::compare_enums(&cx, &mut findings);
    invisible::apply(&cx, &expected.notes, &actual.notes, &mut findings);
    for finding in &mut findings {
        finding.environment = options.environment.clone();
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

#[cfg(test)]
mod tests;
