//! The benchmark's generated schema (examples/bench_schema) on a real server: both folders load
//! with `psql -v ON_ERROR_STOP=1`, and each database holds exactly the objects the generator
//! predicted — the counts the benchmark prints are the server's, not the generator's hopes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::{fresh_db, TestDb};

#[allow(dead_code)]
#[path = "../../examples/bench_schema/gen/mod.rs"]
mod gen;

const COUNTS_SQL: &str = include_str!("../../scripts/bench/counts.sql");

fn write_files(dir: &Path, files: &[&gen::SqlFile]) -> Vec<PathBuf> {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap();
    }
    fs::create_dir_all(dir).unwrap();
    files
        .iter()
        .map(|f| {
            let path = dir.join(&f.name);
            fs::write(&path, &f.text).unwrap();
            path
        })
        .collect()
}

fn catalog_counts(db: &TestDb) -> gen::Counts {
    let line = db.exec(COUNTS_SQL);
    let v: Vec<usize> = line.trim().split('|').map(|x| x.parse().unwrap()).collect();
    assert_eq!(v.len(), 6, "{line}");
    gen::Counts {
        tables: v[0],
        partitions: v[1],
        columns: v[2],
        indexes: v[3],
        constraints: v[4],
        enums: v[5],
    }
}

/// Generate `tables` tables, load the expected and the drifted folder into two databases, and
/// compare the catalog with the generator's prediction.
fn load_and_count(label: &str, tables: usize, seed: u64) -> gen::Output {
    let out = gen::generate(&gen::Options {
        tables,
        seed,
        ..gen::Options::default()
    });
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bench_{label}_{}", std::process::id()));
    let expected: Vec<&gen::SqlFile> = out.files.iter().collect();
    let mut drifted = expected.clone();
    drifted.push(&out.drift);
    let expected_paths = write_files(&root.join("expected"), &expected);
    let drifted_paths = write_files(&root.join("drifted"), &drifted);

    let a = fresh_db(&format!("bench_{label}_a"));
    a.load_files(&expected_paths);
    let b = fresh_db(&format!("bench_{label}_b"));
    b.load_files(&drifted_paths);
    let _ = fs::remove_dir_all(&root);

    assert_eq!(
        catalog_counts(&a),
        out.expected,
        "database loaded from the migration folder"
    );
    assert_eq!(
        catalog_counts(&b),
        out.drifted,
        "database loaded from the drifted folder"
    );
    out
}

#[test]
fn twenty_tables_load_and_match_the_prediction() {
    let out = load_and_count("small", 20, 1);
    assert_eq!(out.expected.tables, 20);
    assert!(out.change_count() > 0);
}

#[test]
fn every_feature_of_the_generator_loads() {
    // 300 tables cover partitions, Prisma batches, enums, later ALTER migrations and the drift
    // kinds (the unit tests check they are there).
    let out = load_and_count("features", 300, 2);
    assert!(out.expected.partitions > 0, "{:?}", out.expected);
    assert!(out.expected.enums > 0, "{:?}", out.expected);
    assert!(out.files.iter().any(|f| f.name.contains("_alter_")));
    assert!(out.files.iter().any(|f| f.text.contains("-- CreateTable")));
}
