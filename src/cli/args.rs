//! The command-line grammar (clap derive): raw flags, validated later without I/O by `plan`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Audit PostgreSQL schema drift: compare the schema your migrations and models define with
/// what each database actually has.
#[derive(Debug, Parser)]
#[command(name = "pgdrift", version, about, long_about = None)]
#[command(
    after_help = "Exit status: 0 no drift at or above --fail-on, 1 drift, 2 trouble.\n\
Sources: a postgres:// URL or libpq keyword string (PGHOST, PGUSER, PGPASSWORD … and ~/.pgpass \
apply), a .sql file, a .yaml snapshot or model file, or a folder of migrations (+ YAML)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare each environment with the expected schema.
    Audit(AuditArgs),
    /// Compare any two sources; FROM is the reference.
    Diff(DiffArgs),
    /// Write a live database's schema as a YAML snapshot.
    Snapshot(SnapshotArgs),
    /// Show the model pgdrift reads from a source, and its notes.
    Inspect(InspectArgs),
    /// Run the verification queries against each environment and check they agree with the audit.
    Verify(VerifyArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Never,
}

/// Options shared by every command that reads sources.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Only these schemas (repeatable; default: all non-system schemas).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// PostgreSQL major version whose rendering static SQL follows when no database is
    /// compared with it (default 15).
    #[arg(long, value_name = "MAJOR", value_parser = clap::value_parser!(u32).range(13..=18))]
    pub pg_version: Option<u32>,

    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,

    /// Seconds a catalog query may run before the server cancels it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub statement_timeout: u64,
}

/// Options shared by the commands that report findings.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The intended schema: a migration folder, SQL or YAML file, or a database.
    #[arg(long, value_name = "SRC")]
    pub expected: String,

    /// An environment to audit, as NAME=SRC (repeatable): --env prod=postgres://…
    #[arg(long = "env", value_name = "NAME=SRC", required = true)]
    pub envs: Vec<String>,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The reference source.
    #[arg(value_name = "FROM")]
    pub from: String,

    /// The source compared with it.
    #[arg(value_name = "TO")]
    pub to: String,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The database: a postgres:// URL or libpq keyword string.
    #[arg(value_name = "URL")]
    pub source: String,

    /// Write the snapshot to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Any source: a database, a migration folder, a SQL or YAML file.
    #[arg(value_name = "SRC")]
    pub source: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Yaml)]
    pub format: InspectFormat,

    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The intended schema.
    #[arg(long, value_name = "SRC")]
    pub expected: String,

    /// An environment (database) to verify, as NAME=URL (repeatable).
    #[arg(long = "env", value_name = "NAME=URL", required = true)]
    pub envs: Vec<String>,

    #[command(flatten)]
    pub read: ReadArgs,
}
