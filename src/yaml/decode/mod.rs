//! YAML tree → `Document`: the document, its header, schemas, enums, notes and recorded
//! migrations; tables and columns are in `table`, constraints in `constraints`, indexes in
//! `indexes`. Every unknown key, wrong type or shorthand key in a snapshot is a located
//! `YamlError`.

mod constraints;
mod indexes;
mod table;

use super::access::{self, items, named_entries, Cx, Fields, Keys};
use super::dto::{
    Document, EnumDoc, Header, Item, Named, NamespaceDoc, NoteDoc, NoteKindDoc, RecordedDoc,
};
use super::error::{join_index, join_key, where_, YamlError};
use super::tree::{Node, Value};

pub(crate) use table::decode_tables;

/// The format version this pgdrift reads and writes.
pub(crate) const FORMAT: u32 = 1;

const TOP_KEYS: Keys = Keys {
    common: &["pgdrift", "default_schema", "schemas", "tables", "enums"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &["notes", "recorded_migrations"],
};

/// Whether the document declares itself a canonical snapshot (`pgdrift: {canonical: true}`).
pub(crate) fn is_canonical(file: &str, root: &Node) -> Result<bool, YamlError> {
    let cx = Cx {
        file,
        canonical: false,
    };
    let Value::Map(entries) = &root.value else {
        return Ok(false);
    };
    let Some(header) = entries.iter().find(|e| e.key == "pgdrift") else {
        return Ok(false);
    };
    let Value::Map(fields) = &header.value.value else {
        return Ok(false);
    };
    match fields.iter().find(|e| e.key == "canonical") {
        Some(e) if e.value.value != Value::Null => {
            access::boolean(cx, &e.value, "pgdrift.canonical")
        }
        _ => Ok(false),
    }
}

pub(crate) fn decode_document(cx: Cx<'_>, root: &Node) -> Result<Document, YamlError> {
    if !matches!(root.value, Value::Map(_)) {
        return Err(cx.error(
            root.pos,
            "",
            format!(
                "expected a mapping at the top level (with tables:, enums: or schemas:), found {}",
                root.describe()
            ),
        ));
    }
    let f = Fields::open(cx, root, "", "the document", &TOP_KEYS)?;
    let mut doc = Document {
        default_schema: f.string("default_schema")?,
        default_schema_pos: f.key_pos("default_schema"),
        ..Document::default()
    };
    if let Some(node) = f.value("pgdrift") {
        doc.pgdrift = Some(decode_header(cx, node, "pgdrift")?);
    }
    if let Some(node) = f.value("enums") {
        doc.enums = decode_enums(cx, node, "enums")?;
    }
    if let Some(node) = f.value("tables") {
        doc.tables = decode_tables(cx, node, "tables", false)?;
    }
    if let Some(node) = f.entry("schemas").map(|e| &e.value) {
        let mut schemas = Named::default();
        for entry in named_entries(cx, node, "schemas", "a mapping of schema names")? {
            let path = join_key("schemas", &entry.key);
            schemas.0.push(Item {
                name: Some(entry.key.clone()),
                pos: entry.key_pos,
                value: decode_namespace(cx, &entry.value, &path)?,
            });
        }
        doc.schemas = Some(schemas);
    }
    if let Some(node) = f.value("notes") {
        for (i, item) in items(cx, node, "notes", "a list of notes")?
            .iter()
            .enumerate()
        {
            doc.notes
                .push(decode_note(cx, item, &join_index("notes", i))?);
        }
    }
    if let Some(node) = f.value("recorded_migrations") {
        let list = items(cx, node, "recorded_migrations", "a list")?;
        for (i, item) in list.iter().enumerate() {
            let path = join_index("recorded_migrations", i);
            doc.recorded_migrations
                .push(decode_recorded(cx, item, &path)?);
        }
    }
    Ok(doc)
}

const HEADER_KEYS: Keys = Keys {
    common: &[
        "format",
        "canonical",
        "source",
        "server_version",
        "generated_at",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_header(cx: Cx<'_>, node: &Node, path: &str) -> Result<Header, YamlError> {
    let f = Fields::open(cx, node, path, "the pgdrift header", &HEADER_KEYS)?;
    let format = match f.unsigned("format")? {
        None => FORMAT,
        Some(n) if n == u64::from(FORMAT) => FORMAT,
        Some(n) => {
            return Err(f.error_at(
                "format",
                format!("format {n} is not supported: this pgdrift reads format {FORMAT}"),
            ))
        }
    };
    let server_version = match f.unsigned("server_version")? {
        None => None,
        Some(n) => Some(
            u32::try_from(n)
                .map_err(|_| f.error_at("server_version", "server_version is too large"))?,
        ),
    };
    Ok(Header {
        format,
        canonical: f.flag("canonical")?,
        source: f.string("source")?,
        server_version,
        generated_at: f.string("generated_at")?,
    })
}

const NAMESPACE_KEYS: Keys = Keys {
    common: &["enums", "tables"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_namespace(cx: Cx<'_>, node: &Node, path: &str) -> Result<NamespaceDoc, YamlError> {
    if node.value == Value::Null {
        return Ok(NamespaceDoc::default());
    }
    let f = Fields::open(cx, node, path, "a schema", &NAMESPACE_KEYS)?;
    let mut ns = NamespaceDoc::default();
    if let Some(node) = f.value("enums") {
        ns.enums = decode_enums(cx, node, &f.child_path("enums"))?;
    }
    if let Some(node) = f.value("tables") {
        ns.tables = decode_tables(cx, node, &f.child_path("tables"), false)?;
    }
    Ok(ns)
}

fn decode_enums(cx: Cx<'_>, node: &Node, path: &str) -> Result<Named<EnumDoc>, YamlError> {
    let mut out = Named::default();
    for entry in named_entries(cx, node, path, "a mapping of enum names to their labels")? {
        let path = join_key(path, &entry.key);
        let labels = match &entry.value.value {
            Value::Null => Vec::new(),
            Value::Seq(_) => access::names(cx, &entry.value, &path)?,
            _ => return Err(cx.wrong_type(&entry.value, &path, "a list of labels")),
        };
        out.0.push(Item {
            name: Some(entry.key.clone()),
            pos: entry.key_pos,
            value: EnumDoc { labels },
        });
    }
    Ok(out)
}

/// Lower-case, with `_` and `-` read as spaces: `by_default`, `By-Default` → `by default`.
pub(crate) fn word(text: &str) -> String {
    text.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const NOTE_KEYS: Keys = Keys {
    common: &["kind", "object", "file", "line", "message"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_note(cx: Cx<'_>, node: &Node, path: &str) -> Result<NoteDoc, YamlError> {
    let f = Fields::open(cx, node, path, "a note", &NOTE_KEYS)?;
    let kind_text = f.required_string("kind")?;
    let kind = match word(&kind_text).as_str() {
        "not modelled" => NoteKindDoc::NotModelled,
        "unparsed" => NoteKindDoc::Unparsed,
        "invisible" => NoteKindDoc::Invisible,
        "info" => NoteKindDoc::Info,
        _ => {
            return Err(f.error_at(
                "kind",
                format!(
                    "unknown note kind '{kind_text}' (expected one of: not-modelled, unparsed, \
                     invisible, info)"
                ),
            ))
        }
    };
    let line = match f.unsigned("line")? {
        None => None,
        Some(n) => Some(usize::try_from(n).map_err(|_| f.error_at("line", "line is too large"))?),
    };
    let file = f.string("file")?;
    if line.is_some() != file.is_some() {
        return Err(cx.error(
            node.pos,
            path,
            format!(
                "a note's location needs both 'file' and 'line' {}",
                where_(path)
            ),
        ));
    }
    let object = f.string("object")?;
    if let Some(text) = &object {
        crate::yaml::qname::parse(text).map_err(|e| f.error_at("object", e))?;
    }
    Ok(NoteDoc {
        kind,
        object,
        file,
        line,
        message: f.required_string("message")?,
    })
}

const RECORDED_KEYS: Keys = Keys {
    common: &["table", "tool", "applied"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_recorded(cx: Cx<'_>, node: &Node, path: &str) -> Result<RecordedDoc, YamlError> {
    let f = Fields::open(cx, node, path, "a migration table", &RECORDED_KEYS)?;
    Ok(RecordedDoc {
        table: f.required_string("table")?,
        tool: f.required_string("tool")?,
        applied: f.names("applied")?,
    })
}

/// The shared part of named collections: mapping form (key = name) or list form.
fn decode_named<T>(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
    what: &str,
    mut decode: impl FnMut(Cx<'_>, &Node, &str, bool) -> Result<(Option<String>, T), YamlError>,
) -> Result<Named<T>, YamlError> {
    let mut out: Named<T> = Named::default();
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                let path = join_key(path, &entry.key);
                let (_, value) = decode(cx, &entry.value, &path, false)?;
                out.0.push(Item {
                    name: Some(entry.key.clone()),
                    pos: entry.key_pos,
                    value,
                });
            }
        }
        Value::Seq(list) => {
            for (i, item) in list.iter().enumerate() {
                let item_path = join_index(path, i);
                let (name, value) = decode(cx, item, &item_path, true)?;
                if name.is_none() && cx.canonical {
                    return Err(cx.error(
                        item.pos,
                        &item_path,
                        format!(
                            "a canonical snapshot names every {what}: add 'name:' {}",
                            where_(&item_path)
                        ),
                    ));
                }
                if let Some(name) = &name {
                    if let Some(first) = out.0.iter().find(|i| i.name.as_ref() == Some(name)) {
                        return Err(cx.error(
                            item.pos,
                            &item_path,
                            format!(
                                "{what} '{name}' is listed twice {} (first at line {})",
                                where_(path),
                                first.pos.line
                            ),
                        ));
                    }
                }
                out.0.push(Item {
                    name,
                    pos: item.pos,
                    value,
                });
            }
        }
        _ => {
            return Err(cx.wrong_type(
                node,
                path,
                &format!("a mapping of {what} names (or a list of {what}s)"),
            ))
        }
    }
    Ok(out)
}
