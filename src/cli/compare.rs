//! `audit` and `diff`: read the expected side and each environment (databases concurrently),
//! compare, render, and choose the exit status.

use std::collections::BTreeMap;
use std::path::Path;

use tokio::task::JoinSet;

use crate::diff::{self, DiffOptions, FailOn};
use crate::model::{Loaded, PgVersion};
use crate::report::{self, Audit, EnvironmentAudit, ExpectedSource};

use super::args::{FailOnArg, ReadArgs, ReportArgs, ReportFormat};
use super::output::{self, ExitStatus};
use super::plan::{EnvSpec, SourceSpec};
use super::progress::Progress;
use super::source::{self, LiveOptions, SourceError};

use super::{clock, live_options, print_error};

/// What to compare: the reference and the environments, as validated by `plan`.
pub struct Comparison {
    pub expected: SourceSpec,
    pub environments: Vec<EnvSpec>,
    pub report: ReportArgs,
    pub read: ReadArgs,
}

/// A source once read, remembering whether it came from files.
struct Read {
    loaded: Loaded,
    display: String,
    is_static: bool,
}

/// Read every database named in the comparison, concurrently.
async fn read_databases(
    specs: Vec<(usize, String)>,
    options: &LiveOptions,
) -> BTreeMap<usize, Result<source::LiveSource, SourceError>> {
    let mut set = JoinSet::new();
    for (index, raw) in specs {
        let options = options.clone();
        set.spawn(async move { (index, source::read_live(&raw, &options).await) });
    }
    let mut results = BTreeMap::new();
    while let Some(joined) = set.join_next().await {
        if let Ok((index, result)) = joined {
            results.insert(index, result);
        }
    }
    results
}

/// The expected side read statically, once per PostgreSQL version it is compared at.
struct StaticExpected<'a> {
    path: &'a Path,
    schemas: &'a [String],
    by_version: BTreeMap<PgVersion, Loaded>,
    /// The migrations the folder holds, as their tools record them.
    migrations: Vec<String>,
}

impl StaticExpected<'_> {
    fn at(&mut self, version: PgVersion) -> Result<&Loaded, SourceError> {
        if !self.by_version.contains_key(&version) {
            let read = source::read_static(self.path, version, self.schemas)?;
            if let Some(plan) = &read.plan {
                self.migrations = source::migration_ids(plan);
            }
            self.by_version.insert(version, read.loaded);
        }
        Ok(&self.by_version[&version])
    }
}

fn fail_on(arg: FailOnArg) -> FailOn {
    match arg {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Never => FailOn::Never,
    }
}

/// Run a comparison and return the exit status.
pub async fn run(comparison: Comparison) -> ExitStatus {
    let default_version = comparison
        .read
        .pg_version
        .map(PgVersion)
        .unwrap_or(PgVersion::DEFAULT);
    let live = live_options(&comparison.read);

    // Index 0 is the expected side; environments follow in the order given.
    let mut specs: Vec<&SourceSpec> = vec![&comparison.expected];
    specs.extend(comparison.environments.iter().map(|e| &e.source));
    let databases: Vec<(usize, String)> = specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| match spec {
            SourceSpec::Database(raw) => Some((i, raw.clone())),
            SourceSpec::Path(_) => None,
        })
        .collect();
    let progress = Progress::start(if databases.len() == 1 {
        "reading the database…".to_string()
    } else {
        format!("reading {} databases…", databases.len())
    });
    let mut live_results = if databases.is_empty() {
        BTreeMap::new()
    } else {
        read_databases(databases, &live).await
    };
    progress.finish();

    let mut trouble = false;
    let expected_live = match &comparison.expected {
        SourceSpec::Database(_) => match live_results.remove(&0) {
            Some(Ok(read)) => Some(read),
            Some(Err(e)) => {
                print_error(&e);
                return ExitStatus::Trouble;
            }
            None => return ExitStatus::Trouble,
        },
        SourceSpec::Path(_) => None,
    };
    let mut static_expected = match &comparison.expected {
        SourceSpec::Path(path) => Some(StaticExpected {
            path,
            schemas: &comparison.read.schemas,
            by_version: BTreeMap::new(),
            migrations: Vec::new(),
        }),
        SourceSpec::Database(_) => None,
    };
    let expected_display = match &expected_live {
        Some(read) => read.display.clone(),
        None => source::display(&comparison.expected),
    };
    // A static side is rendered as the server it is compared with would render it.
    let reference_version = expected_live
        .as_ref()
        .and_then(|r| r.loaded.server_version)
        .unwrap_or(default_version);

    let mut environments = Vec::new();
    let mut expected_source: Option<ExpectedSource> = None;
    for (offset, env) in comparison.environments.iter().enumerate() {
        let actual = match &env.source {
            SourceSpec::Database(_) => match live_results.remove(&(offset + 1)) {
                Some(Ok(read)) => Read {
                    loaded: read.loaded,
                    display: read.display,
                    is_static: false,
                },
                Some(Err(e)) => {
                    print_error(&format!("{}: {e}", env.name));
                    trouble = true;
                    continue;
                }
                None => {
                    trouble = true;
                    continue;
                }
            },
            SourceSpec::Path(path) => {
                match source::read_static(path, reference_version, &comparison.read.schemas) {
                    Ok(read) => Read {
                        loaded: read.loaded,
                        display: path.display().to_string(),
                        is_static: true,
                    },
                    Err(e) => {
                        print_error(&format!("{}: {e}", env.name));
                        trouble = true;
                        continue;
                    }
                }
            }
        };
        let version = actual.loaded.server_version.unwrap_or(reference_version);
        let expected = match (&expected_live, static_expected.as_mut()) {
            (Some(read), _) => &read.loaded,
            (None, Some(files)) => match files.at(version) {
                Ok(loaded) => loaded,
                Err(e) => {
                    print_error(&e);
                    return ExitStatus::Trouble;
                }
            },
            (None, None) => return ExitStatus::Trouble,
        };
        expected_source
            .get_or_insert_with(|| ExpectedSource::new(expected_display.clone(), expected));
        let options = DiffOptions {
            environment: env.name.clone(),
            schemas: comparison.read.schemas.clone(),
            expected_is_static: expected_live.is_none(),
            actual_is_static: actual.is_static,
            expressions_equivalent: Some(diff::equal_modulo_casts),
        };
        let findings = diff::compare(expected, &actual.loaded, &options);
        environments.push(EnvironmentAudit::new(
            env.name.clone(),
            actual.display,
            &actual.loaded,
            findings,
        ));
    }
    // With every environment unreadable there is nothing to report, only trouble.
    if environments.is_empty() && trouble {
        return ExitStatus::Trouble;
    }
    let mut expected = match expected_source {
        Some(source) => source,
        None => match (static_expected.as_mut(), &expected_live) {
            (Some(files), _) => match files.at(reference_version) {
                Ok(loaded) => ExpectedSource::new(expected_display.clone(), loaded),
                Err(e) => {
                    print_error(&e);
                    return ExitStatus::Trouble;
                }
            },
            (None, Some(read)) => ExpectedSource::new(expected_display.clone(), &read.loaded),
            (None, None) => return ExitStatus::Trouble,
        },
    };
    if let Some(files) = &static_expected {
        expected.migrations = files.migrations.clone();
    }

    let mut audit = Audit {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at: clock::now_rfc3339(),
        expected,
        environments,
    };
    audit.fill_sql();
    let out = comparison.report.out.as_deref();
    let colour = out.is_none() && super::colour_stdout();
    let written = output::write_with(out, |w| {
        let result = match comparison.report.format {
            ReportFormat::Text => report::text::render(&audit, w, colour),
            ReportFormat::Json => report::json::render(&audit, w),
            ReportFormat::Markdown => report::markdown::render(&audit, w),
        };
        result.map_err(|e| match e {
            report::ReportError::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })
    });
    if let Err(e) = written {
        let target = out.map_or("standard output".to_string(), |p| p.display().to_string());
        print_error(&format!("cannot write {target}: {e}"));
        return ExitStatus::Trouble;
    }
    if let Some(path) = out {
        eprintln!("pgdrift: report written to {}", path.display());
    }
    if trouble {
        ExitStatus::Trouble
    } else if fail_on(comparison.report.fail_on).fails(audit.findings()) {
        ExitStatus::Drift
    } else {
        ExitStatus::Success
    }
}
