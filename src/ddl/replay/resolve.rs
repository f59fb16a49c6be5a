//! Names as PostgreSQL reads them: unquoted identifiers fold to lower case, every identifier
//! is cut to 63 bytes, and unqualified names resolve through the search path (creation goes
//! to its first existing schema).

use sqlparser::ast::{Ident, ObjectName};

use super::state::{OtherRelation, State};
use super::{Fail, ReplayResult};
use crate::ddl::parse::cursor::name_parts;
use crate::model::naming::truncate_identifier;
use crate::model::QualifiedName;

/// An identifier as PostgreSQL stores it (`downcase_truncate_identifier`): quoted ones
/// exact, unquoted ones with ASCII letters lower-cased; both cut to 63 bytes.
pub(crate) fn ident(id: &Ident) -> String {
    let value = if id.quote_style.is_some() {
        id.value.clone()
    } else {
        id.value.to_ascii_lowercase()
    };
    truncate_identifier(&value).to_string()
}

pub(crate) fn idents(ids: &[Ident]) -> Vec<String> {
    ids.iter().map(ident).collect()
}

/// A name as PostgreSQL writes it in a message (`RangeVar` parts folded, joined with `.`,
/// never quoted): `relation "storage.buckets" does not exist`.
pub(crate) fn written(name: &ObjectName) -> String {
    name_parts(name)
        .iter()
        .map(|part| ident(part))
        .collect::<Vec<_>>()
        .join(".")
}

/// `(schema, name)` of an object name; a catalog part (`db.schema.name`) is ignored.
pub(crate) fn split_name(name: &ObjectName) -> ReplayResult<(Option<String>, String)> {
    let parts = name_parts(name);
    match parts.as_slice() {
        [n] => Ok((None, ident(n))),
        [s, n] | [_, s, n] => Ok((Some(ident(s)), ident(n))),
        _ => Err(Fail::new(format!("improper qualified name: {name}"))),
    }
}

impl State {
    /// Where `CREATE` puts `name`: its schema, or the first existing schema on the path.
    pub(crate) fn creation_name(
        &self,
        name: &ObjectName,
        path: &[String],
    ) -> ReplayResult<QualifiedName> {
        let (schema, object) = split_name(name)?;
        let schema = match schema {
            Some(schema) if schema == "pg_temp" => {
                return Err(Fail::new("temporary objects are not part of the schema"))
            }
            Some(schema) => {
                if !self.schemas.contains(&schema) {
                    return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
                }
                schema
            }
            None => path
                .first()
                .cloned()
                .ok_or_else(|| Fail::new("no schema has been selected to create in"))?,
        };
        Ok(QualifiedName::new(schema, object))
    }

    /// Resolve `name` to the first qualified name on the path for which `exists` holds.
    pub(crate) fn lookup(
        &self,
        name: &ObjectName,
        path: &[String],
        exists: impl Fn(&QualifiedName) -> bool,
    ) -> Option<QualifiedName> {
        let (schema, object) = split_name(name).ok()?;
        match schema {
            Some(schema) => {
                let qn = QualifiedName::new(schema, object);
                exists(&qn).then_some(qn)
            }
            None => path
                .iter()
                .map(|s| QualifiedName::new(s.clone(), object.clone()))
                .find(|qn| exists(qn)),
        }
    }

    pub(crate) fn lookup_table(&self, name: &ObjectName, path: &[String]) -> Option<QualifiedName> {
        self.lookup(name, path, |qn| self.tables.contains_key(qn))
    }

    /// A table, or a failure naming what the relation is instead.
    pub(crate) fn require_table(
        &self,
        name: &ObjectName,
        path: &[String],
    ) -> ReplayResult<QualifiedName> {
        if let Some(qn) = self.lookup_table(name, path) {
            return Ok(qn);
        }
        if let Some(qn) = self.lookup(name, path, |qn| self.relations.contains(qn)) {
            let what = match self.others.get(&qn) {
                Some(OtherRelation::View) => "a view",
                Some(OtherRelation::MaterializedView) => "a materialized view",
                Some(OtherRelation::CompositeType) => "a composite type",
                Some(OtherRelation::OpaqueTable) => "a table whose columns pgdrift cannot know",
                None if self.sequences.contains_key(&qn) => "a sequence",
                None => "an index",
            };
            return Err(Fail::skipped(format!("{qn} is {what}")));
        }
        Err(Fail::new(format!(
            "relation \"{}\" does not exist",
            written(name)
        )))
    }

    /// An index or constraint-backed index: `(index, its relation)`.
    pub(crate) fn lookup_index(
        &self,
        name: &ObjectName,
        path: &[String],
    ) -> Option<(QualifiedName, QualifiedName)> {
        let qn = self.lookup(name, path, |qn| self.index_owner.contains_key(qn))?;
        let owner = self.index_owner.get(&qn)?.clone();
        Some((qn, owner))
    }

    pub(crate) fn lookup_sequence(
        &self,
        name: &ObjectName,
        path: &[String],
    ) -> Option<QualifiedName> {
        self.lookup(name, path, |qn| self.sequences.contains_key(qn))
    }

    pub(crate) fn lookup_type(&self, name: &ObjectName, path: &[String]) -> Option<QualifiedName> {
        self.lookup(name, path, |qn| self.types.types.contains_key(qn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_fold_like_postgres() {
        assert_eq!(ident(&Ident::new("Users")), "users");
        assert_eq!(ident(&Ident::with_quote('"', "Users")), "Users");
        assert_eq!(ident(&Ident::new("ÀB")), "Àb");
        assert_eq!(ident(&Ident::new("a".repeat(70))).len(), 63);
    }
}
