//! The types of the YAML format itself (a DTO, not the model): what `write` serialises,
//! what `to_json` serialises, and what the reader decodes before turning a document into a
//! model (snapshot) or into SQL statements (hand-written shorthand).
//!
//! Field order here is the order keys are written. Keys only hand-written files use
//! (`primary_key: true` on a column, `unique`, `foreign_keys`, `checks` …) are never set by
//! the writer and so never serialised.

use serde::{Serialize, Serializer};

use super::events::Pos;

/// A whole file.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Document {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgdrift: Option<Header>,
    /// Shorthand: the schema of the top-level `tables` and `enums` (default `public`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_schema: Option<String>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub enums: Named<EnumDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub tables: Named<TableDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schemas: Option<Named<NamespaceDoc>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteDoc>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recorded_migrations: Vec<RecordedDoc>,
    #[serde(skip)]
    pub default_schema_pos: Pos,
}

/// One schema's enums and tables as the document gives them: the top-level `tables:` and
/// `enums:` (in `default_schema`), or an entry of `schemas:`.
pub(crate) struct NamespaceRef<'d> {
    pub schema: &'d str,
    /// `schemas.<name>`, or empty for the top level.
    pub path: String,
    pub pos: Pos,
    pub enums: &'d Named<EnumDoc>,
    pub tables: &'d Named<TableDoc>,
}

impl NamespaceRef<'_> {
    /// The path of `key` (`tables`, `enums`) in this namespace.
    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            super::error::join_key(&self.path, key)
        }
    }
}

impl Document {
    /// The schema of top-level `tables:` and `enums:`.
    pub fn default_schema(&self) -> &str {
        self.default_schema.as_deref().unwrap_or(DEFAULT_SCHEMA)
    }

    /// Every namespace the document declares, top level first, then `schemas:` in order.
    pub fn namespaces(&self) -> Vec<NamespaceRef<'_>> {
        let mut out = Vec::new();
        if !self.enums.is_empty() || !self.tables.is_empty() {
            out.push(NamespaceRef {
                schema: self.default_schema(),
                path: String::new(),
                pos: self.default_schema_pos,
                enums: &self.enums,
                tables: &self.tables,
            });
        }
        if let Some(schemas) = &self.schemas {
            for item in &schemas.0 {
                let schema = item.name.as_deref().unwrap_or_default();
                out.push(NamespaceRef {
                    schema,
                    path: super::error::join_key("schemas", schema),
                    pos: item.pos,
                    enums: &item.value.enums,
                    tables: &item.value.tables,
                });
            }
        }
        out
    }
}

/// The schema of top-level `tables:` and `enums:` when `default_schema` is not given.
pub(crate) const DEFAULT_SCHEMA: &str = "public";

/// `pgdrift: {format: 1, canonical: true, source: …, server_version: 150018}`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Header {
    pub format: u32,
    #[serde(skip_serializing_if = "is_false")]
    pub canonical: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `server_version_num` (150018), or just the major version (15) when that is all we know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
}

/// Objects keyed by name, in document order. In `constraints:` and `indexes:` a list whose
/// items carry an optional `name:` is accepted too; the writer always writes a mapping.
#[derive(Debug, Clone)]
pub(crate) struct Named<T>(pub Vec<Item<T>>);

#[derive(Debug, Clone)]
pub(crate) struct Item<T> {
    /// None for a list item without `name:` (PostgreSQL chooses the name).
    pub name: Option<String>,
    /// The key (mapping form) or the item (list form).
    pub pos: Pos,
    pub value: T,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T> Named<T> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, name: impl Into<String>, value: T) {
        self.0.push(Item {
            name: Some(name.into()),
            pos: Pos::default(),
            value,
        });
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for item in &self.0 {
            map.serialize_entry(item.name.as_deref().unwrap_or(""), &item.value)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct NamespaceDoc {
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub enums: Named<EnumDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub tables: Named<TableDoc>,
}

/// An enum's labels, in sort order.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub(crate) struct EnumDoc {
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct TableDoc {
    /// Partitions only: `FOR VALUES FROM (…) TO (…)`, `DEFAULT` …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    /// None when the key is absent (a partition that takes its parent's columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<ColumnDoc>>,
    /// Shorthand: table-level keys; PostgreSQL names those left unnamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Item<ConstraintDoc>>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub unique: Named<ConstraintDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub foreign_keys: Named<ConstraintDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub checks: Named<ConstraintDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub constraints: Named<ConstraintDoc>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub indexes: Named<IndexDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<String>,
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub partitions: Named<TableDoc>,
}

impl<T: Serialize> Serialize for Item<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ColumnDoc {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
    /// `not_null: true`, or the shorthand's `nullable: false`.
    #[serde(skip_serializing_if = "is_not_true")]
    pub not_null: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<GeneratedDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Shorthand column constraints.
    #[serde(skip_serializing_if = "is_false")]
    pub primary_key: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub unique: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<ReferencesDoc>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_update: Option<ActionDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<ActionDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(skip)]
    pub pos: Pos,
    /// Where `nullable` / `not_null` was given, for errors about it.
    #[serde(skip)]
    pub not_null_pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum IdentityDoc {
    #[serde(rename = "always")]
    Always,
    #[serde(rename = "by default")]
    ByDefault,
}

/// `generated: "(a + b)"` (stored), or `{expression: …, stored: false}` (virtual).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum GeneratedDoc {
    Stored(String),
    Full { expression: String, stored: bool },
}

impl GeneratedDoc {
    pub fn expression(&self) -> &str {
        match self {
            GeneratedDoc::Stored(e) | GeneratedDoc::Full { expression: e, .. } => e,
        }
    }

    pub fn stored(&self) -> bool {
        match self {
            GeneratedDoc::Stored(_) => true,
            GeneratedDoc::Full { stored, .. } => *stored,
        }
    }
}

/// What a foreign key references: SQL as written (`users(id) on delete set null`, shorthand)
/// or exact names (`{table: public.users, columns: [id]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum ReferencesDoc {
    Sql(String),
    Target { table: String, columns: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum ActionDoc {
    #[serde(rename = "no action")]
    NoAction,
    #[serde(rename = "restrict")]
    Restrict,
    #[serde(rename = "cascade")]
    Cascade,
    #[serde(rename = "set null")]
    SetNull,
    #[serde(rename = "set default")]
    SetDefault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum MatchDoc {
    #[serde(rename = "simple")]
    Simple,
    #[serde(rename = "full")]
    Full,
    #[serde(rename = "partial")]
    Partial,
}

/// A table constraint. Exactly one of the kind keys (`primary_key`, `unique`,
/// `foreign_key`, `check`, `exclude`) is set.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ConstraintDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_key: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<ReferencesDoc>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_update: Option<ActionDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<ActionDoc>,
    /// `ON DELETE SET NULL (col, …)` (PostgreSQL 15+).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_delete_set: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub deferrable: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// A partition's copy of its parent's constraint.
    #[serde(skip_serializing_if = "is_false")]
    pub inherited: bool,
    /// Where the column list (or expression) was given, for errors about it.
    #[serde(skip)]
    pub columns_pos: Pos,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct IndexDoc {
    pub columns: Vec<IndexKeyDoc>,
    #[serde(skip_serializing_if = "is_false")]
    pub unique: bool,
    /// The access method, when not `btree`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Storage parameters: `["fillfactor='70'"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub inherited: bool,
    #[serde(skip)]
    pub columns_pos: Vec<Pos>,
}

/// One index key: a bare string (a column name; in shorthand also SQL such as
/// `created_at DESC` or `lower(email)`), or a mapping with options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum IndexKeyDoc {
    Bare(String),
    Spec(KeySpecDoc),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct KeySpecDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nulls: Option<NullsDoc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum OrderDoc {
    #[serde(rename = "asc")]
    Asc,
    #[serde(rename = "desc")]
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum NullsDoc {
    #[serde(rename = "first")]
    First,
    #[serde(rename = "last")]
    Last,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoteDoc {
    pub kind: NoteKindDoc,
    /// Qualified name text of the object the note is about (see `qname`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum NoteKindDoc {
    #[serde(rename = "not-modelled")]
    NotModelled,
    #[serde(rename = "unparsed")]
    Unparsed,
    #[serde(rename = "invisible")]
    Invisible,
    #[serde(rename = "info")]
    Info,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordedDoc {
    /// Qualified name text (see `qname`).
    pub table: String,
    pub tool: String,
    pub applied: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_not_true(b: &Option<bool>) -> bool {
    *b != Some(true)
}
