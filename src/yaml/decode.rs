//! YAML tree → `Document`: the document, its header, schemas, enums, tables and columns.
//! Constraints and indexes are decoded in `decode_keys`. Every unknown key, wrong type or
//! shorthand key in a snapshot is a located `YamlError`.

use super::access::{self, items, named_entries, Cx, Fields, Keys};
use super::decode_keys::{
    decode_action, decode_checks, decode_constraints, decode_foreign_keys, decode_indexes,
    decode_match, decode_primary_key, decode_references, decode_unique,
};
use super::dto::{
    ColumnDoc, Document, EnumDoc, GeneratedDoc, Header, IdentityDoc, Item, Named, NamespaceDoc,
    NoteDoc, NoteKindDoc, RecordedDoc, TableDoc,
};
use super::error::{join_index, join_key, where_, YamlError};
use super::tree::{Node, Value};

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

pub(crate) fn decode_tables(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
    partitions: bool,
) -> Result<Named<TableDoc>, YamlError> {
    let what = if partitions {
        "a mapping of partition names to partitions"
    } else {
        "a mapping of table names to tables"
    };
    let mut out = Named::default();
    for entry in named_entries(cx, node, path, what)? {
        let path = join_key(path, &entry.key);
        out.0.push(Item {
            name: Some(entry.key.clone()),
            pos: entry.key_pos,
            value: decode_table(cx, &entry.value, &path, partitions)?,
        });
    }
    Ok(out)
}

const TABLE_KEYS: Keys = Keys {
    common: &[
        "columns",
        "constraints",
        "indexes",
        "partition_by",
        "partitions",
    ],
    shorthand: &["primary_key", "unique", "foreign_keys", "checks"],
    canonical_hint: "list every constraint by name under 'constraints:'",
    snapshot_only: &[],
};

const PARTITION_KEYS: Keys = Keys {
    common: &[
        "bound",
        "columns",
        "constraints",
        "indexes",
        "partition_by",
        "partitions",
    ],
    shorthand: &["primary_key", "unique", "foreign_keys", "checks"],
    canonical_hint: "list every constraint by name under 'constraints:'",
    snapshot_only: &[],
};

fn decode_table(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
    partition: bool,
) -> Result<TableDoc, YamlError> {
    let what = if partition { "a partition" } else { "a table" };
    let keys = if partition {
        &PARTITION_KEYS
    } else {
        &TABLE_KEYS
    };
    let f = Fields::open(cx, node, path, what, keys)?;
    let mut table = TableDoc {
        bound: f.string("bound")?,
        partition_by: f.string("partition_by")?,
        ..TableDoc::default()
    };
    if partition && table.bound.is_none() {
        return Err(f.missing("bound"));
    }
    if let Some(entry) = f.entry("columns") {
        let path = f.child_path("columns");
        let list = items(cx, &entry.value, &path, "a list of columns")?;
        let mut columns: Vec<ColumnDoc> = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let column = decode_column(cx, item, &join_index(&path, i))?;
            if let Some(first) = columns.iter().find(|c| c.name == column.name) {
                return Err(cx.error(
                    item.pos,
                    &join_index(&path, i),
                    format!(
                        "column '{}' is listed twice {} (first at line {})",
                        column.name,
                        where_(&path),
                        first.pos.line
                    ),
                ));
            }
            columns.push(column);
        }
        table.columns = Some(columns);
    } else if cx.canonical {
        return Err(f.missing("columns"));
    }
    if let Some(node) = f.value("primary_key") {
        table.primary_key = Some(decode_primary_key(cx, node, &f.child_path("primary_key"))?);
    }
    if let Some(node) = f.value("unique") {
        table.unique = decode_unique(cx, node, &f.child_path("unique"))?;
    }
    if let Some(node) = f.value("foreign_keys") {
        table.foreign_keys = decode_foreign_keys(cx, node, &f.child_path("foreign_keys"))?;
    }
    if let Some(node) = f.value("checks") {
        table.checks = decode_checks(cx, node, &f.child_path("checks"))?;
    }
    if let Some(node) = f.value("constraints") {
        table.constraints = decode_constraints(cx, node, &f.child_path("constraints"))?;
    }
    if let Some(node) = f.value("indexes") {
        table.indexes = decode_indexes(cx, node, &f.child_path("indexes"))?;
    }
    if let Some(node) = f.value("partitions") {
        table.partitions = decode_tables(cx, node, &f.child_path("partitions"), true)?;
        if table.partition_by.is_none() && !table.partitions.is_empty() {
            return Err(f.error_at(
                "partitions",
                format!(
                    "{} has partitions but no 'partition_by' (e.g. partition_by: RANGE (created_at))",
                    path
                ),
            ));
        }
    }
    Ok(table)
}

const COLUMN_KEYS: Keys = Keys {
    common: &[
        "name",
        "type",
        "nullable",
        "not_null",
        "default",
        "identity",
        "generated",
        "collation",
    ],
    shorthand: &[
        "primary_key",
        "unique",
        "references",
        "on_delete",
        "on_update",
        "match",
        "check",
    ],
    canonical_hint: "name the constraint under the table's 'constraints:'",
    snapshot_only: &[],
};

fn decode_column(cx: Cx<'_>, node: &Node, path: &str) -> Result<ColumnDoc, YamlError> {
    let f = Fields::open(cx, node, path, "a column", &COLUMN_KEYS)?;
    let name = f.required_string("name")?;
    let data_type = f.required_string("type")?;
    let not_null = f.opt_bool("not_null")?;
    let nullable = f.opt_bool("nullable")?;
    let not_null = match (not_null, nullable) {
        (Some(a), Some(b)) if a == b => {
            return Err(f.error_at(
                "nullable",
                format!(
                    "column '{name}' says both not_null: {a} and nullable: {b}; keep one of them"
                ),
            ))
        }
        (Some(a), _) => Some(a),
        (None, Some(b)) => Some(!b),
        (None, None) => None,
    };
    let not_null_pos = if f.has("not_null") {
        f.key_pos("not_null")
    } else {
        f.key_pos("nullable")
    };
    let identity = match f.value("identity") {
        None => None,
        Some(node) => Some(decode_identity(cx, node, &f.child_path("identity"))?),
    };
    let generated = match f.value("generated") {
        None => None,
        Some(node) => Some(decode_generated(cx, node, &f.child_path("generated"))?),
    };
    let references = match f.value("references") {
        None => None,
        Some(node) => Some(decode_references(cx, node, &f.child_path("references"))?),
    };
    if references.is_none() {
        for key in ["on_delete", "on_update", "match"] {
            if f.value(key).is_some() {
                return Err(f.error_at(key, format!("'{key}' only applies with 'references'")));
            }
        }
    }
    Ok(ColumnDoc {
        name,
        data_type,
        not_null,
        default: f.string("default")?,
        identity,
        generated,
        collation: f.string("collation")?,
        primary_key: f.flag("primary_key")?,
        unique: f.flag("unique")?,
        references,
        match_type: decode_match(&f, "match")?,
        on_update: decode_action(&f, "on_update")?,
        on_delete: decode_action(&f, "on_delete")?,
        check: f.string("check")?,
        pos: node.pos,
        not_null_pos,
    })
}

/// Lower-case, with `_` and `-` read as spaces: `by_default`, `By-Default` → `by default`.
pub(crate) fn word(text: &str) -> String {
    text.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_identity(cx: Cx<'_>, node: &Node, path: &str) -> Result<IdentityDoc, YamlError> {
    let text = access::text(cx, node, path)
        .map_err(|_| cx.wrong_type(node, path, "'always' or 'by default'"))?;
    match word(&text).as_str() {
        "always" => Ok(IdentityDoc::Always),
        "by default" => Ok(IdentityDoc::ByDefault),
        _ => Err(cx.wrong_type(node, path, "'always' or 'by default'")),
    }
}

const GENERATED_KEYS: Keys = Keys {
    common: &["expression", "stored"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_generated(cx: Cx<'_>, node: &Node, path: &str) -> Result<GeneratedDoc, YamlError> {
    match &node.value {
        Value::Scalar(s) => Ok(GeneratedDoc::Stored(s.text.clone())),
        Value::Map(_) => {
            let f = Fields::open(cx, node, path, "a generated column", &GENERATED_KEYS)?;
            Ok(GeneratedDoc::Full {
                expression: f.required_string("expression")?,
                stored: f.opt_bool("stored")?.unwrap_or(true),
            })
        }
        _ => Err(cx.wrong_type(
            node,
            path,
            "an expression, or {expression: …, stored: true|false}",
        )),
    }
}

const NOTE_KEYS: Keys = Keys {
    common: &["kind", "file", "line", "message"],
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
    Ok(NoteDoc {
        kind,
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
