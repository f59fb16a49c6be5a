//! Renderers of findings: terminal (`text`), JSON (`json`), Markdown (`markdown`), the
//! verification and fix SQL they offer (`sql`), and the verdict and counts they share. Every
//! renderer writes to a `&mut dyn std::io::Write` and never decides what drifted (that is
//! `diff`'s job) nor prints on its own (that is `cli`'s).
//!
//! The input every renderer takes is an `Audit`: the expected source, one entry per
//! environment with its findings, notes and schema, and when and by what it was produced.
//! The CLI builds it, then calls `Audit::fill_sql` to put a `verify_sql` / `fix_sql` on each
//! `ReportedFinding`.

mod ddl_text;
pub mod json;
pub mod markdown;
pub mod matrix;
pub mod sql;
pub mod text;
mod verdict;

#[cfg(test)]
mod fixture;

use crate::diff::{worst, Finding, Severity};
use crate::model::{Loaded, Note, PgVersion, RecordedMigrations, Schema};

pub use verdict::{environment_phrase, verdict, Counts, Verdict};

/// A renderer could not write its output.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode the JSON report: {0}")]
    Json(#[from] serde_json::Error),
}

/// Everything a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// The version of pgdrift that produced the audit.
    pub tool_version: String,
    /// When the audit ran, as the CLI formats it (RFC 3339, UTC). The one part of a report
    /// that differs between runs on the same inputs.
    pub generated_at: String,
    pub expected: ExpectedSource,
    /// In the order the user named them.
    pub environments: Vec<EnvironmentAudit>,
}

/// The reference side of the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedSource {
    /// The source as shown to users: a path, or a URL with the password removed.
    pub source: String,
    /// What the reader of the expected source wants a reviewer to know (statements not
    /// modelled, statements that did not parse …).
    pub notes: Vec<Note>,
    /// The expected schema itself: the Markdown DDL, the verification and the fix SQL are
    /// written from it.
    pub schema: Schema,
    /// The server's version when the expected side is a live database.
    pub version: Option<PgVersion>,
    /// The migrations the expected source holds, by name as their tool records them
    /// (`20250116140000_add_workspace_invites`, `0001_initial` …), in apply order; empty when
    /// the source is not a migration folder. Compared with what each environment recorded.
    pub migrations: Vec<String>,
}

impl ExpectedSource {
    /// The expected side from what was read from it (`migrations` left empty).
    pub fn new(source: impl Into<String>, loaded: &Loaded) -> ExpectedSource {
        ExpectedSource {
            source: source.into(),
            notes: loaded.notes.clone(),
            schema: loaded.schema.clone(),
            version: loaded.server_version,
            migrations: Vec::new(),
        }
    }

    /// The expected side from what was read from it, taking the model over (`migrations`
    /// left empty).
    pub fn from_loaded(source: impl Into<String>, loaded: Loaded) -> ExpectedSource {
        ExpectedSource {
            source: source.into(),
            notes: loaded.notes,
            schema: loaded.schema,
            version: loaded.server_version,
            migrations: Vec::new(),
        }
    }
}

/// One environment compared with the expected schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentAudit {
    /// `dev`, `prod` … as given on the command line.
    pub name: String,
    /// The source as shown to users, password removed (`postgres://user@host:port/db`).
    pub source: String,
    /// The server's version when the environment is a live database (`15`, `15.8` …).
    pub server_version: Option<String>,
    pub findings: Vec<ReportedFinding>,
    pub notes: Vec<Note>,
    /// What migration tools' bookkeeping tables say has been applied here.
    pub recorded_migrations: Vec<RecordedMigrations>,
    /// What the environment has: the Markdown DDL diff and the fix SQL are written from it.
    pub schema: Schema,
    /// The server's major version, whose quoting rules the SQL for this environment follows.
    pub version: Option<PgVersion>,
}

impl EnvironmentAudit {
    /// An environment from what was read from it and what the comparison found.
    pub fn new(
        name: impl Into<String>,
        source: impl Into<String>,
        loaded: &Loaded,
        findings: Vec<Finding>,
    ) -> EnvironmentAudit {
        EnvironmentAudit {
            name: name.into(),
            source: source.into(),
            server_version: loaded.server_version.map(|v| v.to_string()),
            findings: findings.into_iter().map(ReportedFinding::from).collect(),
            notes: loaded.notes.clone(),
            recorded_migrations: loaded.recorded_migrations.clone(),
            schema: loaded.schema.clone(),
            version: loaded.server_version,
        }
    }

    /// An environment from what was read from it, taking the model over, and what the
    /// comparison found.
    pub fn from_loaded(
        name: impl Into<String>,
        source: impl Into<String>,
        loaded: Loaded,
        findings: Vec<Finding>,
    ) -> EnvironmentAudit {
        EnvironmentAudit {
            name: name.into(),
            source: source.into(),
            server_version: loaded.server_version.map(|v| v.to_string()),
            findings: findings.into_iter().map(ReportedFinding::from).collect(),
            notes: loaded.notes,
            recorded_migrations: loaded.recorded_migrations,
            schema: loaded.schema,
            version: loaded.server_version,
        }
    }

    /// The version whose rules this environment's SQL is written for: the server's, else the
    /// expected side's, else pgdrift's default (as `diff::compare` decides).
    pub fn sql_version(&self, expected: &ExpectedSource) -> PgVersion {
        self.version.or(expected.version).unwrap_or_default()
    }

    /// The findings without their SQL.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().map(|f| &f.finding)
    }
}

/// A finding with the SQL a report offers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedFinding {
    pub finding: Finding,
    /// A read-only query whose `ok` column is true once the environment matches.
    pub verify_sql: Option<String>,
    /// SQL that would make the environment match, where one exists.
    pub fix_sql: Option<String>,
}

impl From<Finding> for ReportedFinding {
    fn from(finding: Finding) -> Self {
        ReportedFinding {
            finding,
            verify_sql: None,
            fix_sql: None,
        }
    }
}

impl Audit {
    /// Every finding of every environment.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.environments.iter().flat_map(|e| e.findings())
    }

    /// The most severe finding of the audit, if any.
    pub fn worst(&self) -> Option<Severity> {
        worst(self.findings())
    }

    /// Put a `verify_sql` and, where one exists, a `fix_sql` on every finding (written from
    /// the expected schema and each environment's schema; see `sql`).
    pub fn fill_sql(&mut self) {
        sql::fill(self);
    }
}
