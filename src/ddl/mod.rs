//! Reading SQL: migration folders and their order (`files`), statements with their location
//! (`split`), sqlparser AST → model changes (`replay`), and PostgreSQL's canonical rendering
//! of types and expressions (`canon`). Never touches a database.

pub mod canon;
pub mod files;
pub mod replay;
pub mod split;
