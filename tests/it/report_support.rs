//! Shared by the report tests: the five scenarios loaded into real databases (the intended
//! schema, dev, prod), read back with the test-only live reader, compared, and turned into an
//! `Audit` as the CLI will build it; plus a small synchronous session for running the
//! report's SQL as any role, in any session state.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use pgdrift::diff::{compare, DiffOptions};
use pgdrift::model::Loaded;
use pgdrift::report::{Audit, EnvironmentAudit, ExpectedSource};

use crate::catalog_common::read_db as read;
use crate::harness::{fresh_db, TestDb};
use crate::report_schemas::{DEV_VS_MAIN_MODELS, HAND_MADE_MODELS};

pub const SCENARIOS: [&str; 5] = [
    "failed-migration",
    "undeployed-migration",
    "hand-made-tables",
    "dev-vs-main",
    "invitation-quotas",
];

pub fn scenario_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
}

/// The intended schema's files (in apply order), the SQL its YAML stands for, and the
/// migration names the scenario's tool records.
fn intended(name: &str) -> (Vec<PathBuf>, &'static str, Vec<String>) {
    let dir = scenario_dir(name).join("intended");
    let sorted = |dir: PathBuf| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        files
    };
    let stems = |files: &[PathBuf]| -> Vec<String> {
        files
            .iter()
            .map(|f| f.file_stem().unwrap().to_string_lossy().to_string())
            .collect()
    };
    match name {
        "undeployed-migration" => {
            let m = dir.join("prisma/migrations");
            let names = vec![
                "20250101090000_init".to_string(),
                "20250116140000_add_workspace_invites".to_string(),
            ];
            let files = names
                .iter()
                .map(|n| m.join(n).join("migration.sql"))
                .collect();
            (files, "", names)
        }
        "hand-made-tables" => {
            let files = sorted(dir.join("alembic"));
            let names = stems(&files);
            (files, HAND_MADE_MODELS, names)
        }
        "dev-vs-main" => {
            let files = sorted(dir.join("migrations"));
            let names = stems(&files);
            (files, DEV_VS_MAIN_MODELS, names)
        }
        "failed-migration" => {
            // `*.disabled` files are not migrations.
            let files = sorted(dir.join("migrations"));
            let names = stems(&files);
            (files, "", names)
        }
        _ => {
            let files = sorted(dir);
            let names = stems(&files);
            (files, "", names)
        }
    }
}

/// A database and what was read from it.
pub struct Side {
    pub db: TestDb,
    pub loaded: Loaded,
}

impl Side {
    /// A fresh database loaded with `files` then `extra_sql`, read back.
    pub fn load(label: &str, files: &[PathBuf], extra_sql: &str) -> Side {
        let db = fresh_db(label);
        db.load_files(files);
        if !extra_sql.trim().is_empty() {
            db.exec(extra_sql);
        }
        Side::read(db)
    }

    /// Read a database as it is now.
    pub fn read(db: TestDb) -> Side {
        let loaded = read(&db);
        Side { db, loaded }
    }
}

/// A scenario in real databases.
pub struct Scenario {
    pub name: String,
    pub expected: Side,
    pub migrations: Vec<String>,
    /// dev, then prod.
    pub environments: Vec<(String, Side)>,
}

impl Scenario {
    /// Load a scenario into fresh databases.
    pub fn load(name: &str) -> Scenario {
        let (files, models, migrations) = intended(name);
        let label = name.replace('-', "_");
        let expected = Side::load(&format!("{label}_expected"), &files, models);
        let dir = scenario_dir(name);
        let environments = ["dev", "prod"]
            .iter()
            .map(|env| {
                let side = Side::load(
                    &format!("{label}_{env}"),
                    &[dir.join(format!("{env}.sql"))],
                    "",
                );
                (env.to_string(), side)
            })
            .collect();
        Scenario {
            name: name.into(),
            expected,
            migrations,
            environments,
        }
    }

    /// The audit the CLI would build, with its SQL filled in.
    pub fn audit(&self) -> Audit {
        audit_of(
            &format!("tests/fixtures/scenarios/{}/intended", self.name),
            &self.expected.loaded,
            &self.migrations,
            self.environments
                .iter()
                .map(|(name, side)| (name.as_str(), &side.loaded))
                .collect(),
        )
    }

    pub fn environment(&self, name: &str) -> &Side {
        &self
            .environments
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no environment {name}"))
            .1
    }
}

/// An audit of `environments` against `expected`, SQL filled in. Sources are shown as the
/// CLI shows them (redacted, stable across runs).
pub fn audit_of(
    source: &str,
    expected: &Loaded,
    migrations: &[String],
    environments: Vec<(&str, &Loaded)>,
) -> Audit {
    let environments = environments
        .into_iter()
        .map(|(name, loaded)| {
            let options = DiffOptions {
                environment: name.into(),
                ..Default::default()
            };
            let findings = compare(expected, loaded, &options);
            EnvironmentAudit::new(
                name,
                format!("postgres://auditor@db.example:5432/{name}"),
                loaded,
                findings,
            )
        })
        .collect();
    let mut audit = Audit {
        tool_version: "0.1.0".into(),
        generated_at: now(),
        expected: ExpectedSource {
            migrations: migrations.to_vec(),
            ..ExpectedSource::new(source, expected)
        },
        environments,
    };
    audit.fill_sql();
    audit
}

/// The time as the CLI writes it (seconds since the epoch are enough for tests: the time
/// line is redacted in snapshots).
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("@{secs}")
}

/// Scenarios loaded so far, by name.
type LoadedScenarios = Mutex<Vec<(String, Arc<Scenario>)>>;

/// Scenarios are loaded once per test binary for the tests that only read them.
pub fn shared(name: &str) -> Arc<Scenario> {
    static LOADED: OnceLock<LoadedScenarios> = OnceLock::new();
    let cell = LOADED.get_or_init(|| Mutex::new(Vec::new()));
    {
        let loaded = cell.lock().unwrap();
        if let Some((_, s)) = loaded.iter().find(|(n, _)| n == name) {
            return s.clone();
        }
    }
    let scenario = Arc::new(Scenario::load(name));
    let mut loaded = cell.lock().unwrap();
    if let Some((_, s)) = loaded.iter().find(|(n, _)| n == name) {
        return s.clone();
    }
    loaded.push((name.to_string(), scenario.clone()));
    scenario
}

/// The Markdown report of an audit.
pub fn markdown(audit: &Audit) -> String {
    let mut out = Vec::new();
    pgdrift::report::markdown::render(audit, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A connection that runs the report's SQL synchronously.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl Session {
    pub fn connect(url: &str) -> Session {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("connect {url}: {e}"));
            tokio::spawn(connection);
            client
        });
        Session { runtime, client }
    }

    pub fn execute(&self, sql: &str) {
        self.runtime
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }

    pub fn show(&self, setting: &str) -> String {
        let row = self
            .runtime
            .block_on(
                self.client
                    .query_one(&format!("SELECT current_setting('{setting}')"), &[]),
            )
            .unwrap();
        row.get(0)
    }

    /// A single-check query's `ok`.
    pub fn ok(&self, sql: &str) -> bool {
        let rows = self
            .runtime
            .block_on(self.client.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{e:?}:\n{sql}"));
        assert_eq!(rows.len(), 1, "one row expected from\n{sql}");
        rows[0].get("ok")
    }

    /// An environment query's rows: (check, ok).
    pub fn checks(&self, sql: &str) -> Vec<(String, bool)> {
        let rows = self
            .runtime
            .block_on(self.client.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{e:?}:\n{sql}"));
        rows.iter().map(|r| (r.get("check"), r.get("ok"))).collect()
    }
}

/// Run a SQL file with psql as a reviewer would (`-v ON_ERROR_STOP=1 -f`), so that
/// statements like CREATE INDEX CONCURRENTLY run outside a transaction block.
pub fn run_script(db: &TestDb, sql: &str) {
    let path = std::env::temp_dir().join(format!(
        "pgdrift-report-{}-{}.sql",
        std::process::id(),
        db.name
    ));
    std::fs::write(&path, sql).unwrap();
    let result = std::panic::catch_unwind(|| db.load_file(&path));
    let _ = std::fs::remove_file(&path);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
