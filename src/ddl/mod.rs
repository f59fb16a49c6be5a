//! Reading SQL: migration folders and their order (`files`), statements with their location
//! (`split`), one statement into something applicable (`parse`: sqlparser plus PostgreSQL
//! pre-passes), statements applied in order as PostgreSQL would (`replay`), and
//! PostgreSQL's canonical rendering of types and expressions (`canon`). Never touches a
//! database.
//!
//! INTERFACE CONTRACT: `ReadOptions`, `DdlError` and `read_path` keep these names and
//! signatures (the body is a first version).

pub mod canon;
pub mod files;
pub mod parse;
pub mod replay;
pub mod split;

use std::path::Path;

use crate::model::PgVersion;

pub use files::{FilesError, SourcePlan};
pub use replay::{ReplayStats, Replayer};
pub use split::SplitError;

/// How to read SQL statically.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// The server version whose rendering and semantics to reproduce.
    pub version: PgVersion,
}

/// Trouble that stops reading a source (bad input is otherwise a located note).
#[derive(Debug, thiserror::Error)]
pub enum DdlError {
    #[error(transparent)]
    Files(#[from] FilesError),
    #[error(transparent)]
    Split(#[from] SplitError),
}

/// Read the SQL migrations at `path` (a file or a folder) in apply order. YAML files found
/// in a folder are listed in the returned plan and left to the caller to apply afterwards
/// (through the same `Replayer`, see `Replayer::replay_statements`).
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<(Replayer, SourcePlan), DdlError> {
    let plan = files::discover(path)?;
    let mut replayer = Replayer::new(options);
    for file in &plan.sql {
        let text = files::read_text(file)?;
        replayer.replay_text(&text, &file.display)?;
    }
    Ok((replayer, plan))
}
