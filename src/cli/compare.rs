//! `audit` and `diff`: read the expected side and each environment (databases concurrently,
//! a migration folder on a blocking thread meanwhile), compare, render, and choose the exit
//! status.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::task::{JoinHandle, JoinSet};

use crate::diff::{self, DiffOptions, FailOn, Finding};
use crate::model::{Loaded, PgVersion};
use crate::report::{self, Audit, EnvironmentAudit, ExpectedSource};

use super::args::{FailOnArg, ReadArgs, ReportArgs, ReportFormat};
use super::output::{self, ExitStatus};
use super::plan::{EnvSpec, SourceSpec};
use super::progress::Progress;
use super::source::{self, LiveOptions, SourceError, StaticSource};

use super::{clock, live_options, print_error};

/// What to compare: the reference and the environments, as validated by `plan`.
pub struct Comparison {
    pub expected: SourceSpec,
    pub environments: Vec<EnvSpec>,
    pub read: ReadArgs,
}

/// An audit built from every source that could be read.
pub struct Built {
    pub audit: Audit,
    /// Some environment could not be read (reported on stderr; exit 2 at the end).
    pub trouble: bool,
}

/// A source once read, remembering whether it came from files.
struct Read {
    loaded: Loaded,
    display: String,
    is_static: bool,
}

type StaticRead = Result<StaticSource, SourceError>;

/// The expected files read on blocking threads while the databases are read, once per server
/// version they will be compared at, started as soon as a database has connected and said
/// its version (the static read renders as that server would). Nothing is started when the
/// expected side is not files.
#[derive(Clone, Default)]
struct Prefetch(Option<Arc<PrefetchFiles>>);

struct PrefetchFiles {
    path: PathBuf,
    schemas: Vec<String>,
    started: Mutex<BTreeMap<PgVersion, JoinHandle<StaticRead>>>,
}

impl Prefetch {
    fn of(expected: &SourceSpec, schemas: &[String]) -> Prefetch {
        match expected {
            SourceSpec::Path(path) => Prefetch(Some(Arc::new(PrefetchFiles {
                path: path.clone(),
                schemas: schemas.to_vec(),
                started: Mutex::new(BTreeMap::new()),
            }))),
            SourceSpec::Database(_) => Prefetch(None),
        }
    }

    /// Start reading the files as PostgreSQL `version` renders, unless already started.
    fn start(&self, version: PgVersion) {
        let Some(files) = &self.0 else {
            return;
        };
        let Ok(mut started) = files.started.lock() else {
            return;
        };
        started.entry(version).or_insert_with(|| {
            let (path, schemas) = (files.path.clone(), files.schemas.clone());
            tokio::task::spawn_blocking(move || source::read_static(&path, version, &schemas))
        });
    }

    /// The reads started so far.
    fn take(&self) -> BTreeMap<PgVersion, JoinHandle<StaticRead>> {
        self.0
            .as_ref()
            .and_then(|files| {
                files
                    .started
                    .lock()
                    .ok()
                    .map(|mut s| std::mem::take(&mut *s))
            })
            .unwrap_or_default()
    }
}

/// Read every database named in the comparison, concurrently.
async fn read_databases(
    specs: Vec<(usize, String)>,
    options: &LiveOptions,
    prefetch: &Prefetch,
) -> BTreeMap<usize, Result<source::LiveSource, SourceError>> {
    let mut set = JoinSet::new();
    for (index, raw) in specs {
        let options = options.clone();
        let prefetch = prefetch.clone();
        set.spawn(async move {
            let result = match source::connect_live(&raw, &options).await {
                Ok(connected) => {
                    prefetch.start(connected.session.version());
                    source::read_connected(connected, &options).await
                }
                Err(e) => Err(e),
            };
            (index, result)
        });
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
    /// Reads started while the databases were read.
    prefetched: BTreeMap<PgVersion, JoinHandle<StaticRead>>,
    /// The migrations the folder holds, as their tools record them.
    migrations: Vec<String>,
}

impl StaticExpected<'_> {
    async fn at(&mut self, version: PgVersion) -> Result<&Loaded, SourceError> {
        if !self.by_version.contains_key(&version) {
            let read = match self.prefetched.remove(&version) {
                Some(handle) => match handle.await {
                    Ok(read) => read?,
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => source::read_static(self.path, version, self.schemas)?,
                },
                None => source::read_static(self.path, version, self.schemas)?,
            };
            if let Some(plan) = &read.plan {
                self.migrations = source::migration_ids(plan);
            }
            self.by_version.insert(version, read.loaded);
        }
        Ok(&self.by_version[&version])
    }

    /// The model at `version`, taken out (read first if need be).
    async fn take(&mut self, version: PgVersion) -> Result<Loaded, SourceError> {
        self.at(version).await?;
        Ok(self.by_version.remove(&version).unwrap_or_default())
    }
}

fn fail_on(arg: FailOnArg) -> FailOn {
    match arg {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Never => FailOn::Never,
    }
}

/// Run a comparison, write the report, and return the exit status.
pub async fn run(comparison: Comparison, report_args: ReportArgs) -> ExitStatus {
    let Built { audit, trouble } = match build(&comparison).await {
        Ok(built) => built,
        Err(status) => return status,
    };
    let out = report_args.out.as_deref();
    let colour = out.is_none() && super::colour_stdout();
    let written = output::write_with(out, |w| {
        let result = match report_args.format {
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
    let status = if trouble {
        ExitStatus::Trouble
    } else if fail_on(report_args.fail_on).fails(audit.findings()) {
        ExitStatus::Drift
    } else {
        ExitStatus::Success
    };
    // The process ends right after: freeing the models' many small allocations one by one
    // would cost more than comparing them did.
    std::mem::forget(audit);
    status
}

/// Read every source and compare: the audit, with its verification and fix SQL filled in.
/// Errors have been printed when this returns an exit status instead.
pub async fn build(comparison: &Comparison) -> Result<Built, ExitStatus> {
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
    let prefetch = Prefetch::of(&comparison.expected, &comparison.read.schemas);
    let progress = Progress::start(if databases.len() == 1 {
        "reading the database…".to_string()
    } else {
        format!("reading {} databases…", databases.len())
    });
    let mut live_results = if databases.is_empty() {
        BTreeMap::new()
    } else {
        read_databases(databases, &live, &prefetch).await
    };
    progress.finish();

    let mut trouble = false;
    let expected_live = match &comparison.expected {
        SourceSpec::Database(_) => match live_results.remove(&0) {
            Some(Ok(read)) => Some(read),
            Some(Err(e)) => {
                print_error(&e);
                return Err(ExitStatus::Trouble);
            }
            None => return Err(ExitStatus::Trouble),
        },
        SourceSpec::Path(_) => None,
    };
    let mut static_expected = match &comparison.expected {
        SourceSpec::Path(path) => Some(StaticExpected {
            path,
            schemas: &comparison.read.schemas,
            by_version: BTreeMap::new(),
            prefetched: prefetch.take(),
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

    // Each environment read and compared; the models are moved into the audit afterwards.
    let mut compared: Vec<(&EnvSpec, Read, Vec<Finding>)> = Vec::new();
    // The version of the expected model the report shows: the first environment's.
    let mut shown_version: Option<PgVersion> = None;
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
            (None, Some(files)) => match files.at(version).await {
                Ok(loaded) => loaded,
                Err(e) => {
                    print_error(&e);
                    return Err(ExitStatus::Trouble);
                }
            },
            (None, None) => return Err(ExitStatus::Trouble),
        };
        shown_version.get_or_insert(version);
        let options = DiffOptions {
            environment: env.name.clone(),
            schemas: comparison.read.schemas.clone(),
            expected_is_static: expected_live.is_none(),
            actual_is_static: actual.is_static,
            expressions_equivalent: Some(diff::equal_modulo_casts),
        };
        let findings = diff::compare(expected, &actual.loaded, &options);
        compared.push((env, actual, findings));
    }
    // With every environment unreadable there is nothing to report, only trouble.
    if compared.is_empty() && trouble {
        return Err(ExitStatus::Trouble);
    }
    let mut expected = match (expected_live, static_expected.as_mut()) {
        (Some(read), _) => ExpectedSource::from_loaded(expected_display, read.loaded),
        (None, Some(files)) => match files.take(shown_version.unwrap_or(reference_version)).await {
            Ok(loaded) => ExpectedSource::from_loaded(expected_display, loaded),
            Err(e) => {
                print_error(&e);
                return Err(ExitStatus::Trouble);
            }
        },
        (None, None) => return Err(ExitStatus::Trouble),
    };
    if let Some(files) = static_expected {
        expected.migrations = files.migrations;
    }
    let environments = compared
        .into_iter()
        .map(|(env, actual, findings)| {
            EnvironmentAudit::from_loaded(env.name.clone(), actual.display, actual.loaded, findings)
        })
        .collect();

    let mut audit = Audit {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at: clock::now_rfc3339(),
        expected,
        environments,
    };
    audit.fill_sql();
    Ok(Built { audit, trouble })
}
