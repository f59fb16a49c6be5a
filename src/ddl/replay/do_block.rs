//! `DO` blocks that are plain DDL, run as PostgreSQL runs them: the statements apply in
//! order; when one fails, everything the block did is undone (the block is a
//! subtransaction, or the whole `DO` fails), and an `EXCEPTION WHEN duplicate_object THEN
//! NULL` handler that matches the failure swallows it.

use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::plpgsql::DoBlock;
use crate::ddl::parse::{self, first_words, Ddl, Parsed};
use crate::model::{Location, NoteKind};

/// The condition name PostgreSQL raises for a failure the replay reports (by its message).
fn condition_of(message: &str) -> &'static str {
    if message.contains("already exists") {
        if message.starts_with("relation") || message.starts_with("table") {
            "duplicate_table"
        } else if message.starts_with("column") {
            "duplicate_column"
        } else if message.starts_with("schema") {
            "duplicate_schema"
        } else {
            "duplicate_object"
        }
    } else if message.contains("does not exist") {
        if message.starts_with("relation") || message.starts_with("table") {
            "undefined_table"
        } else if message.starts_with("column") {
            "undefined_column"
        } else {
            "undefined_object"
        }
    } else {
        "other"
    }
}

fn sqlstate(condition: &str) -> &'static str {
    match condition {
        "duplicate_table" => "42P07",
        "duplicate_column" => "42701",
        "duplicate_schema" => "42P06",
        "duplicate_object" => "42710",
        "undefined_table" => "42P01",
        "undefined_column" => "42703",
        "undefined_object" => "42704",
        _ => "",
    }
}

fn swallowed(swallows: &[String], message: &str) -> bool {
    let condition = condition_of(message);
    swallows.iter().any(|s| {
        s == "others" || s == condition || s == &format!("sqlstate {}", sqlstate(condition))
    })
}

impl Apply<'_> {
    pub(crate) fn do_block(&mut self, block: DoBlock) -> ReplayResult<Outcome> {
        let snapshot = self.state.savepoint();
        let notes_before = self.notes.len();
        for (line, text) in &block.statements {
            let location = Location {
                file: self.location.file.clone(),
                line: self.location.line + line - 1,
            };
            let first = first_words(text);
            let result = match parse::parse(text) {
                Parsed::Ddl(Ddl::Transaction(_) | Ddl::DoBlock(_)) => Err(Fail::new(
                    "transaction control is not allowed in a DO block",
                )),
                Parsed::Ddl(ddl) => {
                    let path = self.state.effective_path().into();
                    let mut inner = Apply {
                        state: &mut *self.state,
                        path,
                        location: location.clone(),
                        first: first.clone(),
                        notes: &mut *self.notes,
                    };
                    inner.ddl(ddl).map(|_| ())
                }
                Parsed::Other(_) => {
                    self.notes.push(crate::model::Note {
                        kind: NoteKind::NotModelled,
                        location: Some(location.clone()),
                        object: None,
                        message: format!("{first} … not modelled (inside a DO block)"),
                    });
                    Ok(())
                }
                Parsed::Unparsed(u) => {
                    self.state.rollback_to(&snapshot);
                    self.state.release(&snapshot);
                    self.notes.truncate(notes_before);
                    return Err(Fail::skipped(format!(
                        "its statement `{first}` (line {}) could not be parsed ({}); the block may change the schema",
                        location.line, u.error
                    )));
                }
            };
            if let Err(fail) = result {
                self.state.rollback_to(&snapshot);
                self.state.release(&snapshot);
                self.notes.truncate(notes_before);
                if !fail.not_modelled && swallowed(&block.swallows, &fail.message) {
                    self.note(
                        NoteKind::Info,
                        format!(
                            "`{first}` (line {}) fails here ({}); the block's EXCEPTION handler swallows it, so the block changes nothing",
                            location.line, fail.message
                        ),
                    );
                    return Ok(Outcome::Applied);
                }
                return Err(Fail {
                    message: format!("`{first}` (line {}): {}", location.line, fail.message),
                    not_modelled: fail.not_modelled,
                });
            }
        }
        self.state.release(&snapshot);
        Ok(Outcome::Applied)
    }
}
