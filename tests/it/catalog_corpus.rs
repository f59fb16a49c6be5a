//! Real-world schemas (pagila, crates-io, umami) loaded in their apply order: every object
//! reads as the server prints it, on every supported version; and how long a read takes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pgdrift::catalog::ReadOptions;

use crate::catalog_common::{runtime, session};
use crate::catalog_oracle::{compare_with_server, flat_tables};
use crate::harness::{fresh_db, TestDb};

fn corpus_files(name: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(name);
    std::fs::read_to_string(root.join("ORDER"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| root.join(l))
        .collect()
}

fn load(name: &str) -> TestDb {
    let db = fresh_db(&format!("catalog_corpus_{name}"));
    db.load_files(&corpus_files(name));
    db
}

/// Read the database `runs` times on one session: (loaded, median read time, round trips
/// per read).
fn measure(db: &TestDb, runs: usize) -> (pgdrift::model::Loaded, Duration, usize) {
    let rt = runtime();
    let s = session(&rt, &db.url());
    let mut times = Vec::new();
    let mut loaded = None;
    let mut trips = 0;
    for _ in 0..runs {
        let before = s.round_trips();
        let started = Instant::now();
        loaded = Some(rt.block_on(s.read(&ReadOptions::default())).unwrap());
        times.push(started.elapsed());
        trips = s.round_trips() - before;
    }
    times.sort();
    (loaded.unwrap(), times[times.len() / 2], trips)
}

fn check_corpus(name: &str, min_tables: usize) {
    let db = load(name);
    let (loaded, median, trips) = measure(&db, 5);
    let problems = compare_with_server(&db, &loaded);
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    let tables = flat_tables(&loaded);
    assert!(
        tables.len() >= min_tables,
        "{name}: {} tables",
        tables.len()
    );
    let indexes: usize = tables.iter().map(|t| t.table.indexes.len()).sum();
    let constraints: usize = tables.iter().map(|t| t.table.constraints.len()).sum();
    let columns: usize = tables.iter().map(|t| t.table.columns.len()).sum();
    eprintln!(
        "{name} on PostgreSQL {}: {} tables, {columns} columns, {constraints} constraints, {indexes} indexes, \
         {} enums, {} notes; read median of 5: {:.1} ms, {trips} round trips",
        db.server.major(),
        tables.len(),
        loaded.schema.enums().count(),
        loaded.notes.len(),
        median.as_secs_f64() * 1000.0,
    );
    assert!(trips <= 2, "{name}: {trips} round trips");
}

#[test]
fn pagila() {
    check_corpus("pagila", 20);
}

#[test]
fn crates_io() {
    // Its migrations use CREATE OR REPLACE TRIGGER (PostgreSQL 14+).
    let major = crate::harness::server().major();
    if major < 14 {
        eprintln!("SKIPPED on PostgreSQL {major}: crates-io needs 14+");
        return;
    }
    check_corpus("crates-io", 30);
}

#[test]
fn umami() {
    check_corpus("umami", 10);
}
