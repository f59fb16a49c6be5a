//! The benchmark schema generator: a deterministic (seeded), realistic migration folder of N
//! tables and a drifted copy of it. Shared by `examples/bench_schema` (the command the
//! benchmark runs) and the integration test that loads the output into real databases.
//! Uses only std, so the benchmark measures pgdrift without depending on it.

mod batch;
mod columns;
mod constraints;
mod drift;
mod emit;
mod history;
mod index_ops;
mod indexes;
mod naming;
mod ops;
mod partitioned;
pub mod plan;
mod prisma;
mod rng;
mod table_parts;
mod tables;
mod words;

use std::collections::BTreeMap;

pub use plan::Counts;

#[derive(Clone, Debug)]
pub struct Options {
    /// Tables to create, partitions included.
    pub tables: usize,
    pub seed: u64,
    /// Share of the migrated schema's objects the drift changes, in percent.
    pub drift_percent: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            tables: 2000,
            seed: 1,
            drift_percent: 2.0,
        }
    }
}

/// One SQL file: its name in the folder, text, and the statements in it.
#[derive(Clone, Debug)]
pub struct SqlFile {
    pub name: String,
    pub text: String,
    pub statements: usize,
}

#[derive(Clone, Debug)]
pub struct Output {
    /// The migration folder, in apply order.
    pub files: Vec<SqlFile>,
    /// The extra file the drifted folder adds after `files`.
    pub drift: SqlFile,
    /// What a database migrated with `files` holds.
    pub expected: Counts,
    /// What it holds once `drift` is applied too.
    pub drifted: Counts,
    /// Drift changes by kind (`column-dropped` …); each touches one distinct object.
    pub changes: BTreeMap<String, usize>,
}

impl Output {
    pub fn change_count(&self) -> usize {
        self.changes.values().sum()
    }

    pub fn statements(&self) -> usize {
        self.files.iter().map(|f| f.statements).sum()
    }
}

const PREAMBLE: &str = "\
CREATE OR REPLACE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    -- Keep updated_at honest; $1 and ; inside the body must not end the statement.
    NEW.updated_at := now();
    RETURN NEW;
END;
$$";

fn file_name(number: usize, slug: &str) -> String {
    let slug: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(48)
        .collect();
    format!("{number:04}_{slug}.sql")
}

pub fn generate(options: &Options) -> Output {
    let mut rng = rng::Rng::new(options.seed);
    let mut plan = plan::Plan::default();
    let mut files = Vec::new();

    let mut init = emit::Sql::default();
    init.comment("Schemas and shared functions.");
    for (schema, _) in words::SCHEMAS.iter().filter(|(s, _)| *s != "public") {
        init.stmt(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"));
    }
    init.stmt(PREAMBLE);
    files.push(SqlFile {
        name: file_name(1, "init"),
        text: init.text,
        statements: init.statements,
    });

    let mut made = 0;
    while made < options.tables {
        let number = files.len() + 1;
        if made > 0 && rng.chance(0.16) {
            let (slug, sql) = history::file(&mut rng, &mut plan);
            files.push(SqlFile {
                name: file_name(number, &slug),
                text: sql.text,
                statements: sql.statements,
            });
            continue;
        }
        let size = rng.range(5, 15).min(options.tables - made);
        let (slug, sql, created) = batch::file(&mut rng, &mut plan, size);
        made += created;
        files.push(SqlFile {
            name: file_name(number, &slug),
            text: sql.text,
            statements: sql.statements,
        });
    }
    let expected = plan.counts();

    let mut drifted_plan = plan.clone();
    let wanted = (expected.objects() as f64 * options.drift_percent / 100.0).round() as usize;
    let (sql, changes) = drift::apply(&mut rng, &mut drifted_plan, wanted);
    let drift = SqlFile {
        name: file_name(files.len() + 1, "manual_hotfixes"),
        text: sql.text,
        statements: sql.statements,
    };
    Output {
        files,
        drift,
        expected,
        drifted: drifted_plan.counts(),
        changes,
    }
}
