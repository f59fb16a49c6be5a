//! Typed access to catalog rows, with errors that name the query and column.

use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

use crate::catalog::error::CatalogError;

/// Decodes the rows of one catalog query.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub target: &'a str,
    pub query: &'static str,
}

impl<'a> Rows<'a> {
    pub fn get<'r, T: FromSql<'r>>(&self, row: &'r Row, column: &str) -> Result<T, CatalogError> {
        row.try_get(column).map_err(|e| CatalogError::Decode {
            target: self.target.to_string(),
            query: self.query.to_string(),
            message: format!("column {column}: {e}"),
        })
    }

    pub fn error(&self, message: impl Into<String>) -> CatalogError {
        CatalogError::Decode {
            target: self.target.to_string(),
            query: self.query.to_string(),
            message: message.into(),
        }
    }
}

/// The first character of a `"char"` catalog code read as text (`contype`, `confdeltype` …).
pub fn code(text: &str) -> char {
    text.chars().next().unwrap_or('\0')
}

/// `schema.table.name`, formatted only when a message needs it.
#[derive(Debug, Clone, Copy)]
pub struct ObjectPath<'a>(pub &'a crate::model::QualifiedName, pub &'a str);

impl std::fmt::Display for ObjectPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}
