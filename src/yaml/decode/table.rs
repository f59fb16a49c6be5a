//! YAML tree → tables, partitions and columns (with the shorthand column constraints).

use super::super::access::{self, items, named_entries, Cx, Fields, Keys};
use super::super::dto::{ColumnDoc, GeneratedDoc, IdentityDoc, Item, Named, TableDoc};
use super::super::error::{join_index, join_key, where_, YamlError};
use super::super::tree::{Node, Value};
use super::constraints::{
    decode_action, decode_checks, decode_constraints, decode_foreign_keys, decode_match,
    decode_primary_key, decode_references, decode_unique,
};
use super::indexes::decode_indexes;
use super::word;

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
    } else if cx.canonical || !partition {
        // A YAML table is a whole table (it becomes CREATE TABLE); only a hand-written
        // partition may leave its columns to its parent.
        return Err(cx.error(
            node.pos,
            path,
            format!(
                "missing key 'columns' {}: a table lists its columns (columns: [] for none)",
                where_(path)
            ),
        ));
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
