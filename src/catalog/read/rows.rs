//! Typed access to catalog rows, with errors that name the query and column.
//!
//! A query's columns are looked up by name once (`Rows::columns`), not for every value of
//! every row: tens of thousands of rows make the lookups add up.

use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

use crate::catalog::error::CatalogError;

/// Decodes the rows of one catalog query.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub target: &'a str,
    pub query: &'static str,
}

/// One column of a query's rows: its position, and its name for messages.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    index: usize,
    name: &'static str,
}

impl std::fmt::Display for Col {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl<'a> Rows<'a> {
    /// The positions of the columns `names` in `rows` (all rows of a query have the same
    /// columns). An error names a column the query does not return.
    pub fn columns<const N: usize>(
        &self,
        rows: &[Row],
        names: [&'static str; N],
    ) -> Result<[Col; N], CatalogError> {
        let columns = rows.first().map(Row::columns).unwrap_or_default();
        let mut out = [Col { index: 0, name: "" }; N];
        for (slot, name) in out.iter_mut().zip(names) {
            let index = if rows.is_empty() {
                0
            } else {
                columns
                    .iter()
                    .position(|c| c.name() == name)
                    .ok_or_else(|| self.error(format!("no column {name}")))?
            };
            *slot = Col { index, name };
        }
        Ok(out)
    }

    /// The value of `column` in `row`.
    pub fn at<'r, T: FromSql<'r>>(&self, row: &'r Row, column: Col) -> Result<T, CatalogError> {
        row.try_get(column.index)
            .map_err(|e| self.error(format!("column {column}: {e}")))
    }

    /// The value of the column named `column` in `row` (for small queries).
    pub fn get<'r, T: FromSql<'r>>(&self, row: &'r Row, column: &str) -> Result<T, CatalogError> {
        row.try_get(column)
            .map_err(|e| self.error(format!("column {column}: {e}")))
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
