//! The replay never panics: the corpora's statements replayed in reverse, shuffled, cut
//! short at arbitrary points, and with statements duplicated, give notes, not crashes.

use std::path::Path;

use pgdrift::ddl::split::{split, RawStatement};
use pgdrift::ddl::{ReadOptions, Replayer};
use pgdrift::model::PgVersion;

fn corpus_statements() -> Vec<RawStatement> {
    let mut out = Vec::new();
    for name in ["pagila", "crates-io", "umami"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus")
            .join(name);
        let order = std::fs::read_to_string(dir.join("ORDER")).unwrap();
        for file in order.lines().filter(|l| !l.trim().is_empty()) {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            out.extend(split(&text, file).unwrap().statements);
        }
    }
    out
}

/// A small deterministic generator (no dependency needed for a shuffle).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn replay_all(statements: &[RawStatement], version: u32) {
    let mut r = Replayer::new(&ReadOptions {
        version: PgVersion(version),
    });
    r.replay_statements(statements);
    let stats = r.stats();
    assert_eq!(
        stats.applied + stats.noted + stats.unparsed + stats.rejected,
        stats.statements
    );
    let _ = r.finish();
}

#[test]
fn reversed_and_shuffled_corpora_do_not_panic() {
    let statements = corpus_statements();
    let mut reversed = statements.clone();
    reversed.reverse();
    replay_all(&reversed, 15);
    let mut rng = Lcg(42);
    for version in [13, 15, 18] {
        let mut shuffled = statements.clone();
        for i in (1..shuffled.len()).rev() {
            let j = rng.next(i + 1);
            shuffled.swap(i, j);
        }
        replay_all(&shuffled, version);
    }
}

#[test]
fn truncated_and_repeated_statements_do_not_panic() {
    let statements = corpus_statements();
    let mut rng = Lcg(7);
    let mut mangled = Vec::new();
    for s in &statements {
        let mut cut = s.clone();
        let mut end = rng.next(s.text.len() + 1);
        while !s.text.is_char_boundary(end) {
            end -= 1;
        }
        cut.text.truncate(end);
        mangled.push(s.clone());
        mangled.push(cut);
        mangled.push(s.clone());
    }
    replay_all(&mangled, 15);
}

/// Statements that touch partitions, renames and drops from many sides.
const TANGLE: &str = "
CREATE TABLE r (id int PRIMARY KEY);
CREATE TABLE p (a int, b text, c int, PRIMARY KEY (a, c), UNIQUE (b, c), CHECK (a > 0)) PARTITION BY RANGE (c);
CREATE INDEX ON p (lower(b));
CREATE INDEX p_b ON ONLY p (b);
ALTER TABLE p ADD FOREIGN KEY (a) REFERENCES r (id);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
CREATE TABLE p2 (a int NOT NULL, b text, c int NOT NULL) PARTITION BY LIST (b);
CREATE TABLE p21 PARTITION OF p2 FOR VALUES IN ('x');
ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (10) TO (20);
ALTER INDEX p_b ATTACH PARTITION p1_b_idx;
ALTER TABLE p DETACH PARTITION p1;
ALTER TABLE p RENAME TO q;
ALTER TABLE q RENAME COLUMN b TO bb;
ALTER TABLE q DROP CONSTRAINT q_pkey;
ALTER TABLE p2 DROP COLUMN b;
ALTER TABLE r RENAME COLUMN id TO rid;
DROP TABLE r CASCADE;
CREATE TABLE x (a int REFERENCES q);
ALTER TABLE q ADD CONSTRAINT q_pkey PRIMARY KEY (a, c);
DROP TABLE p1;
DROP TABLE q CASCADE;
CREATE SCHEMA s;
ALTER TABLE x SET SCHEMA s;
ALTER SCHEMA s RENAME TO t;
DROP SCHEMA t CASCADE;
CREATE TYPE e AS ENUM ('a');
ALTER TYPE e RENAME TO f;
CREATE TABLE y (v f, w serial, z int GENERATED ALWAYS AS IDENTITY);
ALTER TABLE y ALTER COLUMN z DROP IDENTITY;
ALTER TABLE y ALTER COLUMN v TYPE text;
DROP TYPE f CASCADE;
ALTER SEQUENCE y_w_seq RENAME TO y_seq;
BEGIN;
ALTER TABLE y ADD COLUMN q int UNIQUE;
SAVEPOINT a;
DROP TABLE y;
ROLLBACK TO SAVEPOINT a;
ROLLBACK;
";

#[test]
fn shuffled_tangles_do_not_panic() {
    let statements = split(TANGLE, "tangle.sql").unwrap().statements;
    let mut rng = Lcg(2024);
    for round in 0..300 {
        let mut shuffled = statements.clone();
        for i in (1..shuffled.len()).rev() {
            let j = rng.next(i + 1);
            shuffled.swap(i, j);
        }
        replay_all(&shuffled, [13, 15, 18][round % 3]);
    }
}

#[test]
fn statements_with_a_word_missing_do_not_panic() {
    let statements = corpus_statements();
    let mut rng = Lcg(99);
    for round in 0..3 {
        let mut mangled = Vec::new();
        for s in &statements {
            let words: Vec<&str> = s.text.split_whitespace().collect();
            if words.len() < 2 {
                continue;
            }
            let drop = rng.next(words.len());
            let mut m = s.clone();
            m.text = words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join(" ");
            mangled.push(s.clone());
            mangled.push(m);
        }
        replay_all(&mangled, [13, 15, 18][round]);
    }
}
