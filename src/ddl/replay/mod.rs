//! Replaying statements, in order, onto a model as PostgreSQL would apply them: implicit
//! names, serial sequences, constraint and index cloning onto partitions, renames that keep
//! dependent names, drops that cascade. What is not modelled or cannot be parsed becomes a
//! located note; the replay always goes on.
//!
//! INTERFACE CONTRACT: `Replayer::{new, replay_text, replay_statements, overlay, finish}`
//! keep these names and signatures.

mod alter;
mod alter_column;
mod columns;
mod constraints;
mod derived;
mod do_block;
mod drop;
mod finish;
mod foreign_keys;
mod guard_catalog;
mod guards;
mod indexes;
mod journal;
mod objects;
mod opclass;
mod partition_clone;
mod partitions;
mod pending;
mod rename;
mod render;
mod resolve;
mod rewrite;
mod schema_elements;
mod state;
mod tables;
mod types;

use super::parse::{self, first_words, Ddl, Hints, Parsed, TransactionStmt};
use super::split::{self, RawStatement, SplitError};
use super::ReadOptions;
use crate::model::{Location, Note, NoteKind, Schema};

use state::State;

/// Why a statement was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub message: String,
    /// The statement touches something pgdrift does not model (a view, a temporary table),
    /// as opposed to one PostgreSQL itself would reject.
    pub not_modelled: bool,
}

impl Fail {
    pub fn new(message: impl Into<String>) -> Fail {
        Fail {
            message: message.into(),
            not_modelled: false,
        }
    }

    pub fn skipped(message: impl Into<String>) -> Fail {
        Fail {
            message: message.into(),
            not_modelled: true,
        }
    }
}

pub(crate) type ReplayResult<T> = Result<T, Fail>;

/// How many statements the replay applied, noted or could not read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayStats {
    pub statements: usize,
    /// Applied to the model (or to what the replay tracks: names, search path, transactions).
    pub applied: usize,
    /// Recognised but not modelled: a `NotModelled` note.
    pub noted: usize,
    /// Could not be parsed: an `Unparsed` note.
    pub unparsed: usize,
    /// Parsed, but not applicable to the replayed schema (an `Info` note says why).
    pub rejected: usize,
}

/// One statement's context while it is applied.
pub(crate) struct Apply<'a> {
    pub state: &'a mut State,
    /// The effective search path when the statement runs.
    pub path: state::SearchPath,
    pub location: Location,
    pub first: String,
    pub notes: &'a mut Vec<Note>,
}

impl Apply<'_> {
    /// A note about this statement.
    pub fn note(&mut self, kind: NoteKind, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            location: Some(self.location.clone()),
            object: None,
            message: format!("{} … {}", self.first, message.into()),
        });
    }
}

/// What applying a statement amounted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Applied,
    /// Tracked what matters (a name) and left a `NotModelled` note about the rest.
    Noted,
}

/// An open transaction (or savepoint): the state to return to on `ROLLBACK`.
#[derive(Debug, Clone)]
struct Savepoint {
    name: Option<String>,
    mark: state::Mark,
    location: Location,
}

/// Applies statements in order to a schema that starts empty.
#[derive(Debug)]
pub struct Replayer {
    state: State,
    notes: Vec<Note>,
    stats: ReplayStats,
    transaction: Vec<Savepoint>,
}

impl Replayer {
    pub fn new(options: &ReadOptions) -> Replayer {
        Replayer {
            state: State::new(options.version),
            notes: Vec::new(),
            stats: ReplayStats::default(),
            transaction: Vec::new(),
        }
    }

    /// Split and replay the text of one file (`file` is its display name, for notes).
    pub fn replay_text(&mut self, text: &str, file: &str) -> Result<(), SplitError> {
        let split = split::split(text, file)?;
        self.notes.extend(split.notes);
        self.replay_statements(&split.statements);
        if let Some(open) = self.transaction.first() {
            // A migration tool commits what a file leaves open; psql alone would roll it back.
            self.notes.push(Note {
                kind: NoteKind::Info,
                location: Some(open.location.clone()),
                object: None,
                message: "BEGIN … never committed in this file; replayed as committed".into(),
            });
            self.close_transaction();
            self.end_transaction();
        }
        Ok(())
    }

    /// Replay statements in order; what cannot be parsed or is not modelled becomes a note.
    pub fn replay_statements(&mut self, statements: &[RawStatement]) {
        for statement in statements {
            self.replay_one(statement);
        }
    }

    /// Counts of what the replay did with each statement so far.
    pub fn stats(&self) -> ReplayStats {
        self.stats
    }

    /// The notes gathered so far.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Add the tables and enums of an already canonical schema (a snapshot YAML placed in a
    /// migration folder), replacing same-named objects.
    pub fn overlay(&mut self, schema: Schema) {
        finish::overlay(&mut self.state, schema);
    }

    /// The schema after everything replayed, with the notes gathered on the way.
    pub fn finish(self) -> crate::model::Loaded {
        crate::model::Loaded {
            schema: finish::fold(self.state),
            notes: self.notes,
            server_version: None,
            recorded_migrations: Vec::new(),
        }
    }

    fn replay_one(&mut self, statement: &RawStatement) {
        self.stats.statements += 1;
        let first = first_words(&statement.text);
        let parsed = parse::parse(&statement.text);
        let location = statement.location.clone();
        let note = |kind: NoteKind, message: String| Note {
            kind,
            location: Some(location.clone()),
            object: None,
            message,
        };
        match parsed {
            Parsed::Ddl(Ddl::Transaction(tx)) => {
                self.stats.applied += 1;
                self.transaction_control(tx, &statement.location, &first);
            }
            Parsed::Ddl(ddl) => {
                let path = self.state.effective_path().into();
                let mut notes = Vec::new();
                let result = {
                    let mut apply = Apply {
                        state: &mut self.state,
                        path,
                        location: statement.location.clone(),
                        first: first.clone(),
                        notes: &mut notes,
                    };
                    apply.ddl(ddl)
                };
                self.notes.extend(notes);
                match result {
                    Ok(Outcome::Applied) => self.stats.applied += 1,
                    Ok(Outcome::Noted) => self.stats.noted += 1,
                    Err(fail) if fail.not_modelled => {
                        self.stats.noted += 1;
                        self.notes.push(note(
                            NoteKind::NotModelled,
                            format!("{first} … not modelled: {}", fail.message),
                        ));
                    }
                    Err(fail) => {
                        self.stats.rejected += 1;
                        self.notes.push(note(
                            NoteKind::Info,
                            format!("{first} … not applied: {}", fail.message),
                        ));
                    }
                }
            }
            Parsed::Other(other) if !other.hints.body_harmless.is_empty() => {
                // A body of grants and ownership changes: nothing pgdrift models changes.
                self.stats.noted += 1;
                self.notes.push(note(
                    NoteKind::Info,
                    format!(
                        "{first} … not run: its body only runs {}, which change nothing pgdrift models",
                        other.hints.body_harmless.join(", ")
                    ),
                ));
            }
            Parsed::Other(other) => {
                self.stats.noted += 1;
                let hints = self.hint_text(&other.kind, &other.hints);
                self.notes.push(note(
                    NoteKind::NotModelled,
                    format!("{first} … not modelled{}{hints}", reason(&other.kind)),
                ));
            }
            Parsed::Unparsed(unparsed) => {
                self.stats.unparsed += 1;
                let hints = self.hint_text("", &unparsed.hints);
                self.notes.push(note(
                    NoteKind::Unparsed,
                    format!("{first} … could not be parsed ({}){hints}", unparsed.error),
                ));
            }
        }
    }

    /// What a statement that was not applied may have changed, for its note.
    fn hint_text(&self, kind: &str, hints: &Hints) -> String {
        let path = self.state.effective_path();
        let mut parts = Vec::new();
        for name in &hints.relations {
            let resolved = self
                .state
                .lookup(name, &path, |qn| self.state.relations.contains(qn))
                .map(|qn| qn.to_string())
                .unwrap_or_else(|| name.to_string());
            let verb = if hints.creates {
                "may create"
            } else {
                "may change"
            };
            parts.push(format!("{verb} {resolved}"));
        }
        if !hints.body_ddl.is_empty() {
            let verb = if kind == "DO" {
                "its body may run"
            } else {
                "its body runs"
            };
            parts.push(format!("{verb} {}", hints.body_ddl.join(", ")));
        }
        for call in &hints.calls {
            let found = self
                .state
                .lookup(call, &path, |qn| self.state.function_ddl.contains_key(qn));
            if let Some(function) = found {
                let ddl = &self.state.function_ddl[&function];
                parts.push(format!(
                    "calls {function}, whose body runs {}",
                    ddl.join(", ")
                ));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("; {}", parts.join("; "))
        }
    }

    fn transaction_control(&mut self, tx: TransactionStmt, location: &Location, first: &str) {
        let here = location.clone();
        match tx {
            TransactionStmt::Begin => {
                if self.transaction.is_empty() {
                    let mark = self.state.savepoint();
                    self.transaction.push(Savepoint {
                        name: None,
                        mark,
                        location: here,
                    });
                    self.state.in_transaction = true;
                }
            }
            TransactionStmt::Commit => {
                self.close_transaction();
                self.end_transaction();
            }
            TransactionStmt::Savepoint(name) => {
                if !self.transaction.is_empty() {
                    let mark = self.state.savepoint();
                    self.transaction.push(Savepoint {
                        name: Some(name),
                        mark,
                        location: here,
                    });
                }
            }
            TransactionStmt::Release(name) => {
                if let Some(i) = self.savepoint_index(&name) {
                    self.state.release(&self.transaction[i].mark);
                    self.transaction.truncate(i);
                }
            }
            TransactionStmt::Rollback => {
                if let Some(open) = self.transaction.first().cloned() {
                    self.state.rollback_to(&open.mark);
                    self.close_transaction();
                    self.end_transaction();
                    self.notes.push(Note {
                        kind: NoteKind::Info,
                        location: Some(here),
                        object: None,
                        message: format!(
                            "{first} … undoes everything since BEGIN at {}",
                            open.location
                        ),
                    });
                }
            }
            TransactionStmt::RollbackTo(name) => {
                if let Some(i) = self.savepoint_index(&name) {
                    let point = self.transaction[i].clone();
                    self.state.rollback_to(&point.mark);
                    self.transaction.truncate(i + 1);
                    self.notes.push(Note {
                        kind: NoteKind::Info,
                        location: Some(here),
                        object: None,
                        message: format!(
                            "{first} … undoes everything since SAVEPOINT at {}",
                            point.location
                        ),
                    });
                }
            }
        }
    }

    /// Close every open savepoint (the transaction commits or has been rolled back).
    fn close_transaction(&mut self) {
        if let Some(open) = self.transaction.first() {
            self.state.release(&open.mark);
        }
        self.transaction.clear();
    }

    /// Leave a transaction: `SET LOCAL` settings end with it.
    fn end_transaction(&mut self) {
        self.state.in_transaction = false;
        if let Some(path) = self.state.saved_search_path.take() {
            self.state.search_path = path;
        }
    }

    fn savepoint_index(&self, name: &str) -> Option<usize> {
        self.transaction
            .iter()
            .rposition(|s| s.name.as_deref() == Some(name))
    }
}

/// What kind of statement an unmodelled one is, for its note.
fn reason(kind: &str) -> &'static str {
    match kind {
        "INSERT" | "UPDATE" | "DELETE" | "COPY" | "TRUNCATE" | "MERGE" | "WITH" => " (data)",
        "GRANT" | "REVOKE" | "ALTER DEFAULT" | "REASSIGN" => " (privileges)",
        "COMMENT" | "SECURITY" => " (comment or label)",
        "CREATE TRIGGER" | "CREATE CONSTRAINT" | "DROP TRIGGER" | "ALTER TRIGGER" => " (trigger)",
        "CREATE POLICY" | "ALTER POLICY" | "DROP POLICY" => " (row security policy)",
        "CREATE RULE" | "DROP RULE" => " (rule)",
        "SET" | "RESET" => " (session setting)",
        "ANALYZE" | "ANALYSE" | "VACUUM" | "CLUSTER" | "REINDEX" | "REFRESH" | "CHECKPOINT" => {
            " (maintenance)"
        }
        _ => "",
    }
}

impl Apply<'_> {
    /// Apply one statement.
    fn ddl(&mut self, ddl: Ddl) -> ReplayResult<Outcome> {
        match ddl {
            Ddl::CreateTable(stmt) => self.create_table(*stmt),
            Ddl::CreateIndex(stmt) => self.create_index(*stmt),
            Ddl::AlterTable(stmt) => self.alter_table(stmt),
            Ddl::AlterIndex(stmt) => self.alter_index(stmt),
            Ddl::Drop(stmt) => self.drop(stmt),
            Ddl::CreateSchema(stmt) => self.create_schema(stmt),
            Ddl::AlterSchema(stmt) => self.alter_schema(stmt),
            Ddl::CreateType(stmt) => self.create_type(stmt),
            Ddl::CreateDomain(stmt) => self.create_domain(stmt),
            Ddl::AlterType(stmt) => self.alter_type(stmt),
            Ddl::CreateSequence(stmt) => self.create_sequence(stmt),
            Ddl::AlterSequence(stmt) => self.alter_sequence(stmt),
            Ddl::CreateView(stmt) => self.create_view(stmt),
            Ddl::AlterView(stmt) => self.alter_view(stmt),
            Ddl::CreateRoutine(stmt) => self.create_routine(stmt),
            Ddl::CreateExtension(stmt) => self.create_extension(stmt),
            Ddl::SearchPath(stmt) => self.search_path(stmt),
            Ddl::Transaction(_) => Ok(Outcome::Applied),
            Ddl::DoBlock(block) => self.do_block(block),
        }
    }
}

#[cfg(test)]
mod tests;
