//! Command-line arguments → a resolved plan → run → exit status. Only this module prints.
//!
//! `args` is the grammar, `plan` validates it without I/O, `source` reads sources into the
//! model, `compare` runs `audit` and `diff`, `snapshot`, `inspect` and `verify` theirs; the
//! exit status is chosen once, at the end (0 no drift, 1 drift, 2 trouble).

pub mod args;
mod clock;
mod compare;
mod inspect;
pub mod output;
pub mod plan;
mod progress;
mod snapshot;
pub mod source;
mod verify;

use std::fmt::Display;
use std::io::IsTerminal;
use std::time::Duration;

use clap::Parser;

use crate::catalog::ConnectOptions;

use args::{Cli, Command, ReadArgs};
use output::ExitStatus;
use plan::SourceSpec;
use source::LiveOptions;

/// Run the command line and return the process exit status (0 no drift, 1 drift, 2 trouble).
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            print_error(&format!("cannot start the async runtime: {e}"));
            return ExitStatus::Trouble.code();
        }
    };
    let status = runtime.block_on(run(cli));
    // Do not wait for work nobody needs any more (a migration folder read ahead for a
    // database that then failed).
    runtime.shutdown_background();
    status.code()
}

async fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Audit(a) => {
            let environments = match plan::parse_envs(&a.envs) {
                Ok(envs) => envs,
                Err(e) => {
                    print_error(&e);
                    return ExitStatus::Trouble;
                }
            };
            let comparison = compare::Comparison {
                expected: SourceSpec::classify(&a.expected),
                environments,
                read: a.read,
            };
            compare::run(comparison, a.report).await
        }
        Command::Diff(d) => {
            let to = SourceSpec::classify(&d.to);
            let name = source::display(&to);
            let comparison = compare::Comparison {
                expected: SourceSpec::classify(&d.from),
                environments: vec![plan::EnvSpec { name, source: to }],
                read: d.read,
            };
            compare::run(comparison, d.report).await
        }
        Command::Snapshot(s) => snapshot::run(s).await,
        Command::Inspect(i) => inspect::run(i).await,
        Command::Verify(v) => verify::run(v).await,
    }
}

/// Print one error line to standard error.
pub(crate) fn print_error(message: &dyn Display) {
    eprintln!("pgdrift: error: {message}");
}

/// Colour on standard output only for a terminal, and never with `NO_COLOR` set.
pub(crate) fn colour_stdout() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    std::io::stdout().is_terminal() && !no_color
}

/// How every command reaches databases.
pub(crate) fn live_options(read: &ReadArgs) -> LiveOptions {
    LiveOptions {
        connect: ConnectOptions {
            statement_timeout: Duration::from_secs(read.statement_timeout),
            ..ConnectOptions::default()
        },
        connect_timeout: Duration::from_secs(read.connect_timeout),
        schemas: read.schemas.clone(),
    }
}
