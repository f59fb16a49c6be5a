//! `CREATE SCHEMA s CREATE TABLE … CREATE VIEW … CREATE INDEX … GRANT …`: PostgreSQL creates
//! the schema, then runs the elements with the new schema first on the search path, sorted
//! by kind — sequences, tables, views, indexes, triggers, grants — keeping the written order
//! within a kind (`transformCreateSchemaStmtElements` in parse_utilcmd.c, the same in
//! PostgreSQL 13 to 18). The statement is atomic: one failing element undoes it all.

use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::{self, first_words, Ddl, Parsed};
use crate::model::{Location, Note, NoteKind};

/// The rank of an element's kind in PostgreSQL's execution order.
fn rank(parsed: &Parsed) -> u8 {
    match parsed {
        Parsed::Ddl(Ddl::CreateSequence(_)) => 0,
        Parsed::Ddl(Ddl::CreateTable(_)) => 1,
        Parsed::Ddl(Ddl::CreateView(_)) => 2,
        Parsed::Ddl(Ddl::CreateIndex(_)) => 3,
        Parsed::Other(o) if o.kind == "CREATE TRIGGER" || o.kind == "CREATE CONSTRAINT" => 4,
        Parsed::Other(o) if o.kind == "GRANT" => 5,
        // PostgreSQL accepts no other element; keep it last so the error is reported.
        _ => 6,
    }
}

impl Apply<'_> {
    /// Run the elements of `CREATE SCHEMA schema …` (the schema was just created); on a
    /// failure the schema goes too.
    pub(crate) fn schema_elements(
        &mut self,
        schema: &str,
        elements: &[(usize, String)],
    ) -> ReplayResult<Outcome> {
        let mark = self.state.savepoint();
        let notes_before = self.notes.len();
        let result = self.run_elements(schema, elements);
        if result.is_err() {
            self.state.rollback_to(&mark);
            self.notes.truncate(notes_before);
            self.state.schemas.remove(schema);
        }
        self.state.release(&mark);
        result
    }

    fn run_elements(
        &mut self,
        schema: &str,
        elements: &[(usize, String)],
    ) -> ReplayResult<Outcome> {
        let mut parsed: Vec<(u8, usize, &str, Parsed)> = elements
            .iter()
            .map(|(line, text)| {
                let p = parse::parse(text);
                (rank(&p), *line, text.as_str(), p)
            })
            .collect();
        parsed.sort_by_key(|(rank, ..)| *rank);
        let mut path: Vec<String> = vec![schema.to_string()];
        for s in self.state.effective_path() {
            if s != schema {
                path.push(s);
            }
        }
        let path: super::state::SearchPath = path.into();
        let mut outcome = Outcome::Applied;
        for (rank, line, text, element) in parsed {
            let location = Location {
                file: self.location.file.clone(),
                line: self.location.line + line - 1,
            };
            let first = first_words(text);
            let failed = |message: String| Fail {
                message: format!("its element `{first}` (line {}): {message}", location.line),
                not_modelled: false,
            };
            match element {
                Parsed::Ddl(ddl) if rank < 6 => {
                    let mut inner = Apply {
                        state: &mut *self.state,
                        path: path.clone(),
                        location: location.clone(),
                        first: first.clone(),
                        notes: &mut *self.notes,
                    };
                    match inner.ddl(ddl) {
                        Ok(Outcome::Noted) => outcome = Outcome::Noted,
                        Ok(Outcome::Applied) => {}
                        Err(fail) => {
                            return Err(Fail {
                                not_modelled: fail.not_modelled,
                                ..failed(fail.message)
                            })
                        }
                    }
                }
                Parsed::Other(other) if rank < 6 => {
                    self.notes.push(Note {
                        kind: NoteKind::NotModelled,
                        location: Some(location),
                        object: None,
                        message: format!(
                            "{first} … not modelled{}",
                            super::reason(&other.kind)
                        ),
                    });
                    outcome = Outcome::Noted;
                }
                Parsed::Unparsed(u) => {
                    return Err(Fail::skipped(format!(
                        "its element `{first}` (line {}) could not be parsed ({}); the schema's other elements are not applied",
                        location.line, u.error
                    )))
                }
                _ => {
                    return Err(failed(
                        "CREATE SCHEMA accepts only CREATE TABLE, VIEW, SEQUENCE, INDEX, TRIGGER and GRANT elements".into(),
                    ))
                }
            }
        }
        Ok(outcome)
    }
}
