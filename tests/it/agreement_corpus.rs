//! Agreement on the real-world corpora (pagila, crates-io, umami): each loaded with psql in
//! the order its `ORDER` file gives, read statically with `ddl::read_path` in pgdrift's own
//! order, compared object by object.

use std::path::{Path, PathBuf};

use crate::agreement_scenarios::check_except;

/// The oldest server a corpus loads on (crates-io uses `CREATE OR REPLACE TRIGGER`, 14+).
fn min_major(name: &str) -> u32 {
    match name {
        "crates-io" => 14,
        _ => 13,
    }
}

/// Whether the test server can load `name`; says so when it cannot.
fn loadable(name: &str) -> bool {
    let major = crate::harness::server().major();
    if major < min_major(name) {
        println!(
            "skipping {name}: it needs PostgreSQL {}+, the server is {major}",
            min_major(name)
        );
        return false;
    }
    true
}

/// Objects the static reader does not yet render exactly (canonical text only): each a
/// documented gap, removed from here when fixed (the test fails once one agrees).
/// None today: `(corpus, &["index public.t.name", …])` entries go here.
const KNOWN_GAPS: &[(&str, &[&str])] = &[];

fn known_gaps(name: &str) -> &'static [&'static str] {
    KNOWN_GAPS
        .iter()
        .find(|(corpus, _)| *corpus == name)
        .map_or(&[], |(_, gaps)| *gaps)
}

fn corpus(name: &str) {
    if !loadable(name) {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).unwrap();
    let files: Vec<PathBuf> = order
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| dir.join(l))
        .collect();
    check_except(
        name,
        &files,
        &dir,
        &order_context(&dir, &files),
        known_gaps(name),
    );
}

/// When pgdrift's file order differs from the migration tool's, say where: a replay in the
/// wrong order is expected to disagree.
fn order_context(dir: &Path, tool_order: &[PathBuf]) -> String {
    let plan = pgdrift::ddl::files::discover(dir).unwrap();
    let ours: Vec<&PathBuf> = plan.sql.iter().map(|f| &f.path).collect();
    let theirs: Vec<&PathBuf> = tool_order.iter().collect();
    match ours.iter().zip(&theirs).position(|(a, b)| a != b) {
        None if ours.len() == theirs.len() => String::new(),
        position => {
            let i = position.unwrap_or(ours.len().min(theirs.len()));
            format!(
                "\n\nNOTE: pgdrift applies the files in a different order than the migration tool \
                 (ddl::files); first difference at #{i}: pgdrift {:?}, tool {:?}",
                ours.get(i),
                theirs.get(i)
            )
        }
    }
}

#[test]
fn pagila() {
    corpus("pagila");
}

#[test]
fn crates_io() {
    corpus("crates-io");
}

#[test]
fn umami() {
    corpus("umami");
}
