//! Suggested fix SQL: per environment, the statements that would bring it to the expected
//! schema, in dependency order (schemas, types, sequences, tables, columns, then the indexes
//! and constraints that need them, foreign keys last), each under a comment naming its
//! finding, with hazards flagged (locks, table rewrites, `CONCURRENTLY`, `NOT VALID` then
//! `VALIDATE`) and anything that destroys data commented out.
//!
//! The statements are meant to be run one by one as psql runs a file (autocommit):
//! `CREATE INDEX CONCURRENTLY` cannot run inside a transaction block. Written from the
//! models, never from finding text; per object kind in `tables`, `columns`, `keys`, `enums`.

mod columns;
mod enums;
mod hazards;
mod identity;
mod keys;
mod tables;

use std::collections::BTreeSet;

use crate::diff::{Finding, FindingKind};
use crate::model::{quote_ident, PgVersion, QualifiedName, Schema, Table};
use crate::report::matrix::{Matrix, Source, TableMap, Target};
use crate::report::Audit;

/// Where a statement goes in the script: what must exist before it runs comes earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Schemas,
    Types,
    Sequences,
    Tables,
    Columns,
    Indexes,
    Constraints,
    ForeignKeys,
    Renames,
    /// Differences no statement can safely repair: explained, left to a person.
    ByHand,
    /// Drops of unexpected objects: commented out.
    Destructive,
}

impl Phase {
    pub fn title(self) -> &'static str {
        match self {
            Phase::Schemas => "schemas",
            Phase::Types => "types",
            Phase::Sequences => "sequences",
            Phase::Tables => "tables",
            Phase::Columns => "columns",
            Phase::Indexes => "indexes",
            Phase::Constraints => "constraints",
            Phase::ForeignKeys => "foreign keys",
            Phase::Renames => "renames",
            Phase::ByHand => "to review by hand",
            Phase::Destructive => "destructive: commented out, uncomment only what you mean",
        }
    }
}

/// One statement of a fix (or, with no `sql`, one explanation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixStep {
    pub phase: Phase,
    /// The finding it repairs: `env.findings[finding]`.
    pub finding: usize,
    /// Hazards and explanations, one line each (written as `-- ` comments).
    pub comments: Vec<String>,
    /// The statement, ending with `;`.
    pub sql: Option<String>,
    /// Written commented out: it destroys data, or needs a decision only a person can make.
    pub commented_out: bool,
}

/// Writes the steps of one environment.
pub(super) struct Fixer<'a> {
    pub expected: TableMap<'a>,
    pub expected_schema: &'a Schema,
    pub actual: TableMap<'a>,
    pub actual_schema: &'a Schema,
    pub version: PgVersion,
    pub findings: Vec<&'a Finding>,
    steps: Vec<FixStep>,
    current: usize,
    /// Statements already written that must not be repeated (`CREATE SCHEMA`, sequences).
    once: BTreeSet<String>,
}

impl<'a> Fixer<'a> {
    pub fn quoted(&self, name: &QualifiedName) -> String {
        name.quoted(self.version)
    }

    pub fn ident(&self, name: &str) -> String {
        quote_ident(name, self.version)
    }

    pub fn alter_table(&self, table: &QualifiedName) -> String {
        format!("ALTER TABLE {}", self.quoted(table))
    }

    /// A statement for the current finding.
    pub fn push(&mut self, phase: Phase, comments: Vec<String>, sql: impl Into<String>) {
        self.steps.push(FixStep {
            phase,
            finding: self.current,
            comments,
            sql: Some(sql.into()),
            commented_out: false,
        });
    }

    /// A statement written commented out.
    pub fn push_commented(&mut self, phase: Phase, comments: Vec<String>, sql: impl Into<String>) {
        self.steps.push(FixStep {
            phase,
            finding: self.current,
            comments,
            sql: Some(sql.into()),
            commented_out: true,
        });
    }

    /// An explanation with no statement.
    pub fn explain(&mut self, phase: Phase, comments: Vec<String>) {
        self.steps.push(FixStep {
            phase,
            finding: self.current,
            comments,
            sql: None,
            commented_out: false,
        });
    }

    /// A statement written once per script, however many findings need it.
    pub fn push_once(&mut self, phase: Phase, comments: Vec<String>, sql: String) {
        if self.once.insert(sql.clone()) {
            self.push(phase, comments, sql);
        }
    }

    /// `CREATE SCHEMA IF NOT EXISTS` when the environment has nothing in `schema`.
    pub fn ensure_schema(&mut self, schema: &str) {
        if !self.actual_schema.namespaces.contains_key(schema) {
            let sql = format!("CREATE SCHEMA IF NOT EXISTS {};", self.ident(schema));
            self.push_once(Phase::Schemas, Vec::new(), sql);
        }
    }

    pub fn expected_table(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.expected.get(name)
    }

    pub fn actual_table(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.actual.get(name)
    }

    /// The current finding's kind of the same object, if the environment has one.
    pub fn has_finding(&self, kind: FindingKind, object: &crate::diff::ObjectPath) -> bool {
        self.findings
            .iter()
            .any(|f| f.kind == kind && &f.object == object)
    }
}

/// The steps of environment `e`, in script order: by phase, then by finding, then as written.
pub fn steps(audit: &Audit, matrix: &Matrix, e: usize) -> Vec<FixStep> {
    let env = &audit.environments[e];
    let mut fixer = Fixer {
        expected: TableMap::new(&audit.expected.schema),
        expected_schema: &audit.expected.schema,
        actual: TableMap::new(&env.schema),
        actual_schema: &env.schema,
        version: env.sql_version(&audit.expected),
        findings: env.findings().collect(),
        steps: Vec::new(),
        current: 0,
        once: BTreeSet::new(),
    };
    let target_of =
        |source: Source| -> Option<&Target> { matrix.row_of(e, source).map(|r| &r.target) };
    for i in 0..fixer.findings.len() {
        fixer.current = i;
        let finding = fixer.findings[i];
        let Some(target) = target_of(Source::Finding(i)) else {
            continue;
        };
        let folded: Vec<(&crate::diff::Folded, Option<&Target>)> = finding
            .folded
            .iter()
            .enumerate()
            .map(|(j, f)| (f, target_of(Source::Folded(i, j))))
            .collect();
        fix_finding(&mut fixer, finding, target, &folded);
    }
    let mut steps = fixer.steps;
    // Stable: within a phase, findings in their order and each finding's steps as written.
    steps.sort_by_key(|s| (s.phase, s.finding));
    steps
}

fn fix_finding(
    fixer: &mut Fixer<'_>,
    finding: &Finding,
    target: &Target,
    folded: &[(&crate::diff::Folded, Option<&Target>)],
) {
    use FindingKind::*;
    match finding.kind {
        TableMissing | TableUnexpected | PartitionKey | PartitionMissing | PartitionUnexpected
        | PartitionBound | ColumnOrder => tables::fix(fixer, finding, target),
        ColumnMissing | ColumnUnexpected | ColumnType | ColumnNullable | ColumnDefault
        | ColumnIdentity | ColumnGenerated | ColumnCollation => {
            columns::fix(fixer, finding, target, folded)
        }
        IndexMissing | IndexUnexpected | IndexDefinition | IndexRenamed | ConstraintMissing
        | ConstraintUnexpected | ConstraintDefinition | ConstraintRenamed => {
            keys::fix(fixer, finding, target)
        }
        EnumMissing | EnumUnexpected | EnumValues => enums::fix(fixer, finding, target),
        ObjectInvisible => fixer.explain(
            Phase::ByHand,
            vec![format!(
                "pgdrift could not read {}: connect with a role that can, then audit again.",
                finding.object
            )],
        ),
    }
}

fn render_step(step: &FixStep, out: &mut String) {
    for comment in &step.comments {
        for line in comment.lines() {
            out.push_str("-- ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(sql) = &step.sql {
        for line in sql.lines() {
            if step.commented_out {
                out.push_str("-- ");
            }
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The steps of one finding as SQL (`None` when none is a statement).
pub fn finding_sql(steps: &[FixStep], finding: usize) -> Option<String> {
    let own: Vec<&FixStep> = steps.iter().filter(|s| s.finding == finding).collect();
    if own.iter().all(|s| s.sql.is_none()) {
        return None;
    }
    let mut out = String::new();
    for step in own {
        render_step(step, &mut out);
    }
    Some(out)
}

/// The fix script of environment `e` (`None` when it has no findings).
pub fn script(audit: &Audit, matrix: &Matrix, e: usize) -> Option<String> {
    script_of(audit, e, &steps(audit, matrix, e))
}

/// The fix script of environment `e` from its `steps` (`None` when it has no findings).
pub fn script_of(audit: &Audit, e: usize, steps: &[FixStep]) -> Option<String> {
    let env = &audit.environments[e];
    if env.findings.is_empty() {
        return None;
    }
    let statements = steps.iter().filter(|s| s.sql.is_some()).count();
    let commented = steps
        .iter()
        .filter(|s| s.sql.is_some() && s.commented_out)
        .count();
    let mut out = format!(
        "-- pgdrift: suggested fix for {}: {statements} statement{} ({commented} commented out). Review before running.\n",
        env.name,
        if statements == 1 { "" } else { "s" }
    );
    out.push_str("-- Run it as psql runs a file, outside a transaction block: CREATE INDEX CONCURRENTLY cannot run inside one.\n");
    out.push_str("-- Consider SET lock_timeout = '5s'; first: a statement waiting for its lock then gives up instead of\n");
    out.push_str("-- holding up every query queued behind it.\n");
    let mut phase = None;
    let mut last: Option<(Phase, usize)> = None;
    for step in steps {
        if phase != Some(step.phase) {
            phase = Some(step.phase);
            out.push_str(&format!("\n-- ==== {} ====\n", step.phase.title()));
        }
        if last != Some((step.phase, step.finding)) {
            last = Some((step.phase, step.finding));
            let f = &env.findings[step.finding].finding;
            out.push_str(&format!("\n-- {} {}\n", f.kind, f.object));
        }
        render_step(step, &mut out);
    }
    Some(out)
}
