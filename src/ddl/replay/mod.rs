//! Replaying statements, in order, onto a model as PostgreSQL would apply them.
//!
//! INTERFACE CONTRACT: `Replayer::{new, replay_text, replay_statements, overlay, finish}`
//! keep these names and signatures. The body is a placeholder.

use super::split::{self, RawStatement, SplitError};
use super::ReadOptions;
use crate::model::{Loaded, Schema};

/// Applies statements in order to a schema that starts empty.
#[derive(Debug, Default)]
pub struct Replayer {
    loaded: Loaded,
}

impl Replayer {
    pub fn new(options: &ReadOptions) -> Replayer {
        let _ = options;
        Replayer::default()
    }

    /// Split and replay the text of one file (`file` is its display name, for notes).
    pub fn replay_text(&mut self, text: &str, file: &str) -> Result<(), SplitError> {
        let split = split::split(text, file)?;
        self.loaded.notes.extend(split.notes);
        self.replay_statements(&split.statements);
        Ok(())
    }

    /// Replay statements in order; what cannot be parsed or is not modelled becomes a note.
    pub fn replay_statements(&mut self, statements: &[RawStatement]) {
        let _ = statements;
    }

    /// Add the tables and enums of an already canonical schema (a snapshot YAML placed in a
    /// migration folder), replacing same-named objects.
    pub fn overlay(&mut self, schema: Schema) {
        for (name, ns) in schema.namespaces {
            let target = self.loaded.schema.namespace_mut(&name);
            target.tables.extend(ns.tables);
            target.enums.extend(ns.enums);
        }
    }

    /// The schema after everything replayed, with the notes gathered on the way.
    pub fn finish(self) -> Loaded {
        self.loaded
    }
}
