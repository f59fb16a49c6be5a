//! The YAML schema format: one format for hand-written intent and for snapshots.
//!
//! A snapshot (`pgdrift snapshot`) is the full, canonical form: every name, type, default
//! and definition explicit, as PostgreSQL reports them. It says so in its header
//! (`pgdrift: {format: 1, canonical: true, …}`) and is read straight into a `Loaded`.
//! A hand-written file (ORM models no migration creates) may use shorthand that is SQL in
//! YAML (`type: serial`, `references: users(id) on delete set null`); the reader turns it
//! into SQL statements, located at their YAML line, for the SQL replay (`ddl`) to apply
//! after the migrations, so the shorthand means exactly what the same SQL means.
//!
//! This module never depends on `ddl` or `catalog`; `docs/yaml-format.md` documents every
//! key. Layers: `events` (libyaml) → `tree` (positioned nodes) → `decode` (the format's
//! types, `dto`) → `to_model` (snapshot) or `sql` (shorthand); and for writing `from_model`
//! → `emit` (layout) with `scalar` (quoting).

mod access;
mod decode;
mod dto;
mod emit;
mod error;
mod events;
mod from_model;
mod qname;
mod redact;
mod scalar;
mod sql;
mod to_model;
mod tree;

pub use error::YamlError;

use crate::model::{Loaded, Location};
use access::Cx;
use events::Pos;

/// The format version written in snapshot headers.
pub const FORMAT: u32 = decode::FORMAT;

/// What the snapshot header says besides the model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotMeta {
    /// Where the snapshot was taken, redacted (`postgres://user@host:5432/db`). The writer
    /// strips any password left in it anyway.
    pub source: Option<String>,
    /// The server's `server_version_num` (150018).
    pub server_version_num: Option<u32>,
    /// When the snapshot was taken; the only time in the file, and optional.
    pub generated_at: Option<String>,
}

/// One SQL statement generated from a hand-written document, without a terminating `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlStatement {
    pub sql: String,
    /// The file and the line of the YAML object the statement comes from.
    pub location: Location,
}

/// What a YAML file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlSource {
    /// A canonical snapshot, read into the model as written.
    Canonical(Loaded),
    /// Hand-written intent, as SQL for the replay to apply in order.
    Statements(Vec<YamlStatement>),
}

/// The full (canonical) form of `loaded`, deterministic: the same model and meta always
/// give the same text.
pub fn write(loaded: &Loaded, meta: &SnapshotMeta) -> String {
    let doc = from_model::document(loaded, meta);
    let comment = ["pgdrift schema snapshot: the full, canonical form (see docs/yaml-format.md)."];
    match serde_norway::to_value(&doc) {
        Ok(value) => emit::emit(&value, &comment),
        // Unreachable with these types (every key is a string); never write a wrong model.
        Err(e) => format!("# pgdrift could not write this snapshot: {e}\n"),
    }
}

/// The same document as `write`, as JSON (for `pgdrift inspect --format json`).
pub fn to_json(loaded: &Loaded, meta: &SnapshotMeta) -> serde_json::Value {
    let doc = from_model::document(loaded, meta);
    serde_json::to_value(&doc)
        .unwrap_or_else(|e| serde_json::json!({ "error": format!("cannot encode the model: {e}") }))
}

/// The same document as `write`, as pretty-printed JSON serialised straight to `out` (for
/// `pgdrift inspect --format json`), with `order` (the apply order of a folder) as a last
/// top-level key when given. Keys come in the document's order, as in the YAML.
pub fn write_json<O: serde::Serialize>(
    loaded: &Loaded,
    meta: &SnapshotMeta,
    order: Option<&O>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct WithOrder<'a, O> {
        #[serde(flatten)]
        doc: dto::Document,
        #[serde(skip_serializing_if = "Option::is_none")]
        order: Option<&'a O>,
    }
    let doc = from_model::document(loaded, meta);
    let mut serializer = serde_json::Serializer::pretty(out);
    match order {
        None => serde::Serialize::serialize(&doc, &mut serializer),
        Some(order) => serde::Serialize::serialize(
            &WithOrder {
                doc,
                order: Some(order),
            },
            &mut serializer,
        ),
    }
    // serde_json hands an I/O error back as it was (a closed pipe stays a closed pipe).
    .map_err(std::io::Error::from)
}

/// Read a YAML schema file (`file` names it in errors and statement locations).
pub fn read(text: &str, file: &str) -> Result<YamlSource, YamlError> {
    let root = parse_root(text, file)?;
    let canonical = decode::is_canonical(file, &root)?;
    let cx = Cx { file, canonical };
    let doc = decode::decode_document(cx, &root)?;
    if canonical {
        Ok(YamlSource::Canonical(to_model::to_loaded(cx, &doc)?))
    } else {
        Ok(YamlSource::Statements(sql::statements(cx, &doc)?))
    }
}

/// The header of a YAML schema file, if it has one (`pgdrift: {…}`).
pub fn read_meta(text: &str, file: &str) -> Result<Option<SnapshotMeta>, YamlError> {
    let root = parse_root(text, file)?;
    let canonical = decode::is_canonical(file, &root)?;
    let doc = decode::decode_document(Cx { file, canonical }, &root)?;
    Ok(doc.pgdrift.map(|h| SnapshotMeta {
        source: h.source,
        server_version_num: h.server_version,
        generated_at: h.generated_at,
    }))
}

fn parse_root(text: &str, file: &str) -> Result<tree::Node, YamlError> {
    match tree::parse(text) {
        Ok(Some(root)) => Ok(root),
        Ok(None) => Err(YamlError::at(
            file,
            Pos { line: 1, column: 1 },
            "",
            "the file is empty: a pgdrift schema file is a YAML mapping with tables:, enums: \
             or schemas: (see docs/yaml-format.md)",
        )),
        Err(e) => Err(YamlError::at(file, e.pos, "", e.message)),
    }
}

#[cfg(test)]
mod tests;
