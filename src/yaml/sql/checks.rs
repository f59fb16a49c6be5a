//! What the SQL replay would only find out later, said at the YAML line instead: columns
//! that do not exist, contradictions (a nullable primary key, a default on an identity
//! column), a default that YAML has stripped of its quotes.

use super::super::dto::{ColumnDoc, IndexKeyDoc};
use super::super::error::{join_index, join_key, YamlError};
use super::super::events::Pos;
use super::parts::{ident, is_order_suffix, qualified};
use super::{Gen, TableRef, SERIAL_TYPES};
use crate::model::QualifiedName;

impl Gen<'_> {
    pub(super) fn check_column(
        &self,
        c: &ColumnDoc,
        path: &str,
        is_partition: bool,
    ) -> Result<(), YamlError> {
        let cx = self.cx;
        let conflict = |what: &str| {
            cx.error(
                c.pos,
                path,
                format!("column '{}' {what}, in {path}", c.name),
            )
        };
        if is_partition {
            let shorthand = c.primary_key
                || c.unique
                || c.references.is_some()
                || c.check.is_some()
                || c.identity.is_some()
                || c.generated.is_some()
                || c.collation.is_some();
            if shorthand {
                return Err(conflict(
                    "of a partition sets more than not_null and default; a partition's columns \
                     come from its parent (declare constraints under the partition's constraints:)",
                ));
            }
            return self.check_default(c, path);
        }
        let serial = SERIAL_TYPES.contains(&c.data_type.trim().to_ascii_lowercase().as_str());
        if c.not_null == Some(false) {
            if c.primary_key {
                return Err(conflict("is a primary key, so it cannot be nullable: true"));
            }
            if c.identity.is_some() {
                return Err(conflict(
                    "is an identity column, so it cannot be nullable: true",
                ));
            }
            if serial {
                return Err(conflict(&format!(
                    "is {}, which is NOT NULL, so it cannot be nullable: true",
                    c.data_type.trim()
                )));
            }
        }
        if c.default.is_some() && (c.identity.is_some() || c.generated.is_some() || serial) {
            return Err(conflict(
                "has a default and is also serial, identity or generated (PostgreSQL allows one)",
            ));
        }
        if c.identity.is_some() && c.generated.is_some() {
            return Err(conflict("cannot be both identity and generated"));
        }
        self.check_default(c, path)
    }

    /// `default: 'brand'` is YAML for the text `brand`, which SQL reads as a column name (an
    /// error in a DEFAULT). A lone word that is not one of SQL's value keywords is almost
    /// surely a string whose quotes YAML removed: say so, with the fix.
    fn check_default(&self, c: &ColumnDoc, path: &str) -> Result<(), YamlError> {
        const VALUE_WORDS: [&str; 15] = [
            "true",
            "false",
            "null",
            "current_date",
            "current_time",
            "current_timestamp",
            "localtime",
            "localtimestamp",
            "current_user",
            "current_role",
            "session_user",
            "system_user",
            "user",
            "current_schema",
            "current_catalog",
        ];
        let Some(default) = &c.default else {
            return Ok(());
        };
        let word = default.trim();
        let lone_word = word
            .chars()
            .next()
            .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
            && word.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
        if lone_word && !VALUE_WORDS.contains(&word.to_lowercase().as_str()) {
            return Err(self.cx.error(
                c.pos,
                path,
                format!(
                    "column '{}' has default: {word}, which SQL reads as a column name; for the \
                     text '{word}' write default: \"'{word}'\" (YAML removes one level of quotes), \
                     in {path}",
                    c.name
                ),
            ));
        }
        Ok(())
    }

    /// `ALTER COLUMN` statements for a partition whose columns are listed (as a snapshot
    /// lists them): defaults and NOT NULL that differ from the parent.
    pub(super) fn partition_columns(
        &self,
        t: &TableRef<'_>,
        cols: &[ColumnDoc],
        parent_cols: &[ColumnDoc],
    ) -> Result<Vec<(Pos, String)>, YamlError> {
        let mut out = Vec::new();
        let table = qualified(&t.name);
        for (i, c) in cols.iter().enumerate() {
            let path = join_index(&join_key(&t.path, "columns"), i);
            let Some(p) = parent_cols.iter().find(|p| p.name == c.name) else {
                return Err(self.cx.error(
                    c.pos,
                    &path,
                    format!(
                        "partition {} lists column '{}', which its parent does not have",
                        t.name, c.name
                    ),
                ));
            };
            let column = ident(&c.name);
            match (&c.default, &p.default) {
                (Some(d), pd) if pd.as_deref().map(str::trim) != Some(d.trim()) => out.push((
                    c.pos,
                    format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {}",
                        d.trim()
                    ),
                )),
                (None, Some(_)) => out.push((
                    c.pos,
                    format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT"),
                )),
                _ => {}
            }
            if c.not_null == Some(true) && p.not_null != Some(true) && !p.primary_key {
                out.push((
                    c.pos,
                    format!("ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"),
                ));
            }
        }
        Ok(out)
    }

    /// An index key that names a column must name one of the table's: exactly (a mapping's
    /// `column:`), or as SQL would fold a plain word (`Email` finds `email`).
    pub(super) fn check_index_key(
        &self,
        key: &IndexKeyDoc,
        columns: &[&str],
        pos: Pos,
        path: &str,
        table: &QualifiedName,
    ) -> Result<(), YamlError> {
        let word = match key {
            IndexKeyDoc::Spec(spec) => match &spec.column {
                Some(c) if !columns.contains(&c.as_str()) => Some(c.clone()),
                _ => None,
            },
            IndexKeyDoc::Bare(text) => {
                let text = text.trim();
                let first = match text.split_once(char::is_whitespace) {
                    Some((first, rest)) if is_order_suffix(rest) => first,
                    Some(_) => return Ok(()),
                    None => text,
                };
                let simple = first
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && first
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
                let known = columns.contains(&first)
                    || columns.contains(&first.to_ascii_lowercase().as_str());
                (simple && !known).then(|| first.to_string())
            }
        };
        match word {
            None => Ok(()),
            Some(w) => Err(self.cx.error(
                pos,
                path,
                format!(
                    "'{w}' is not a column of {table}, in {path} (columns: {})",
                    columns.join(", ")
                ),
            )),
        }
    }
}
