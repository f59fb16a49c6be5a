//! Agreement on the scenarios: each scenario's intended migrations, `dev.sql` and
//! `prod.sql`, loaded into a fresh database with psql and read statically with
//! `ddl::read_path`, must list the same objects (see `agreement_listing`).

use std::path::{Path, PathBuf};

use pgdrift::ddl::{read_path, ReadOptions};
use pgdrift::model::PgVersion;

use crate::agreement_listing::{assert_agree, compare_text, from_model, live};
use crate::harness::{fresh_db, server};

fn scenario_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
}

/// The SQL files of a folder in the order its migration tool applies them (every layout in
/// the scenarios sorts by path; `*.disabled` files are not migrations).
fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Load `files` into a fresh database, read `source` statically, compare; `context` is
/// added to a failure message.
pub fn check(label: &str, files: &[PathBuf], source: &Path, context: &str) {
    let db = fresh_db(label);
    db.load_files(files);
    let version = PgVersion(server().major());
    let (replayer, _) = read_path(source, &ReadOptions { version }).unwrap();
    let loaded = replayer.finish();
    let text = compare_text();
    assert_agree(
        label,
        &live(&db, text),
        &from_model(&loaded, version, text),
        text,
        context,
    );
}

fn intended(name: &str) {
    let dir = scenario_dir(name).join("intended");
    check(&format!("{name}/intended"), &sql_files(&dir), &dir, "");
}

fn env_file(name: &str, file: &str) {
    let path = scenario_dir(name).join(file);
    check(
        &format!("{name}/{file}"),
        std::slice::from_ref(&path),
        &path,
        "",
    );
}

macro_rules! scenario {
    ($module:ident, $name:literal) => {
        mod $module {
            #[test]
            fn intended() {
                super::intended($name);
            }
            #[test]
            fn dev() {
                super::env_file($name, "dev.sql");
            }
            #[test]
            fn prod() {
                super::env_file($name, "prod.sql");
            }
        }
    };
}

scenario!(dev_vs_main, "dev-vs-main");
scenario!(failed_migration, "failed-migration");
scenario!(hand_made_tables, "hand-made-tables");
scenario!(invitation_quotas, "invitation-quotas");
scenario!(undeployed_migration, "undeployed-migration");
