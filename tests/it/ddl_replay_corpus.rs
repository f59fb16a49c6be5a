//! Every statement of the three corpora, replayed in its migration tool's order, either
//! applies or yields a note at its own file:line — and none is rejected (a rejection would
//! mean the replay disagrees with what PostgreSQL accepted). Also measures how many
//! statements sqlparser alone parses, against pgdrift's parse layer.

use std::path::Path;

use pgdrift::ddl::split::split;
use pgdrift::ddl::{ReadOptions, Replayer};
use pgdrift::model::NoteKind;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

struct Counts {
    statements: usize,
    sqlparser_ok: usize,
    applied: usize,
    noted: usize,
    unparsed: usize,
    rejected: usize,
}

fn replay_corpus(name: &str) -> Counts {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).unwrap();
    let mut replayer = Replayer::new(&ReadOptions::default());
    let mut sqlparser_ok = 0;
    for file in order.lines().filter(|l| !l.trim().is_empty()) {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let statements = split(&text, file).unwrap().statements;
        for statement in &statements {
            if Parser::parse_sql(&PostgreSqlDialect {}, &statement.text).is_ok() {
                sqlparser_ok += 1;
            }
            let before = replayer.stats();
            let notes_before = replayer.notes().len();
            replayer.replay_statements(std::slice::from_ref(statement));
            let after = replayer.stats();
            if after.applied == before.applied {
                let located = replayer.notes()[notes_before..]
                    .iter()
                    .any(|n| n.location.as_ref() == Some(&statement.location));
                assert!(
                    located,
                    "{}: not applied and no note at its location: {}",
                    statement.location, statement.text
                );
            }
            if after.rejected > before.rejected {
                let note = replayer.notes().last().unwrap();
                panic!(
                    "{}: rejected: {} ({:?})",
                    statement.location, note.message, note.kind
                );
            }
        }
    }
    let stats = replayer.stats();
    for note in replayer.notes() {
        assert!(note.location.is_some(), "unlocated note: {}", note.message);
        assert!(
            note.kind != NoteKind::Unparsed,
            "{}: {}",
            note.location.as_ref().unwrap(),
            note.message
        );
    }
    Counts {
        statements: stats.statements,
        sqlparser_ok,
        applied: stats.applied,
        noted: stats.noted,
        unparsed: stats.unparsed,
        rejected: stats.rejected,
    }
}

fn check(name: &str, expected_statements: usize) {
    let c = replay_corpus(name);
    let pct = |n: usize| 100.0 * n as f64 / c.statements as f64;
    println!(
        "{name}: {} statements; sqlparser alone parses {} ({:.1} %), pgdrift reads {} ({:.1} %); \
         applied {}, noted {}, unparsed {}, rejected {}",
        c.statements,
        c.sqlparser_ok,
        pct(c.sqlparser_ok),
        c.statements - c.unparsed,
        pct(c.statements - c.unparsed),
        c.applied,
        c.noted,
        c.unparsed,
        c.rejected
    );
    assert_eq!(c.statements, expected_statements);
    assert_eq!(c.applied + c.noted + c.unparsed + c.rejected, c.statements);
    assert_eq!(c.unparsed, 0);
    assert_eq!(c.rejected, 0);
}

#[test]
fn pagila_statements_apply_or_are_noted() {
    check("pagila", 377);
}

#[test]
fn crates_io_statements_apply_or_are_noted() {
    check("crates-io", 620);
}

#[test]
fn umami_statements_apply_or_are_noted() {
    check("umami", 177);
}
