//! Snapshot round trip: a live database read by `catalog`, written as a YAML snapshot by the
//! `pgdrift snapshot` command, read back by `yaml`, gives a model equal to the live one — for
//! every scenario database and the real-world corpora.

use std::path::{Path, PathBuf};

use pgdrift::model::Loaded;
use pgdrift::yaml::{self, YamlSource};

use crate::catalog_common::read;
use crate::harness::{fresh_db, TestDb};
use crate::run::pgdrift;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The files of a corpus in their apply order (ORDER is only for loading databases).
pub fn corpus_files(name: &str) -> Vec<PathBuf> {
    let root = fixture(&format!("corpus/{name}"));
    std::fs::read_to_string(root.join("ORDER"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| root.join(l))
        .collect()
}

/// Snapshot `db` with the CLI, read the file back, and compare with a direct read.
fn round_trip(db: &TestDb) {
    let live: Loaded = read(&db.url());
    let out = std::env::temp_dir().join(format!("{}.yaml", db.name));
    let run = pgdrift(&["snapshot", &db.url(), "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "snapshot failed: {}", run.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let back = match yaml::read(&text, "snapshot.yaml") {
        Ok(YamlSource::Canonical(loaded)) => loaded,
        Ok(YamlSource::Statements(_)) => panic!("a snapshot must read back as canonical"),
        Err(e) => panic!("snapshot does not read back: {e}"),
    };
    assert_eq!(
        back.schema, live.schema,
        "{}: schema differs after the round trip",
        db.name
    );
    assert_eq!(back.notes, live.notes);
    assert_eq!(back.recorded_migrations, live.recorded_migrations);
    assert_eq!(back.server_version, live.server_version);
    // Snapshots are deterministic apart from their one time stamp.
    let again = pgdrift(&["snapshot", &db.url()]);
    let strip = |t: &str| {
        t.lines()
            .filter(|l| !l.contains("generated_at"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&again.stdout), strip(&text));
}

#[test]
fn scenario_databases_round_trip() {
    for scenario in [
        "failed-migration",
        "undeployed-migration",
        "hand-made-tables",
        "dev-vs-main",
        "invitation-quotas",
    ] {
        for side in ["dev", "prod"] {
            let db = fresh_db(&format!("rt_{scenario}_{side}"));
            db.load_file(&fixture(&format!("scenarios/{scenario}/{side}.sql")));
            round_trip(&db);
        }
    }
}

#[test]
fn corpora_round_trip() {
    for corpus in ["pagila", "crates-io", "umami"] {
        let db = fresh_db(&format!("rt_{corpus}"));
        if corpus == "crates-io" && db.server.major() < 14 {
            eprintln!(
                "skipped on PostgreSQL {}: crates-io needs 14+ (CREATE OR REPLACE TRIGGER)",
                db.server.major()
            );
            continue;
        }
        db.load_files(&corpus_files(corpus));
        round_trip(&db);
    }
}
