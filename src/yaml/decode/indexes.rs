//! YAML tree → indexes: the named `indexes:` collection and its keys (a column name, SQL,
//! or a mapping with options).

use super::super::access::{Cx, Fields, Keys};
use super::super::dto::{IndexDoc, IndexKeyDoc, KeySpecDoc, Named, NullsDoc, OrderDoc};
use super::super::error::{join_index, where_, YamlError};
use super::super::tree::{Node, Value};
use super::{decode_named, word};

const INDEX_KEYS: Keys = Keys {
    common: &[
        "columns",
        "unique",
        "using",
        "include",
        "where",
        "nulls_not_distinct",
        "with",
        "inherited",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

const LISTED_INDEX_KEYS: Keys = Keys {
    common: &[
        "name",
        "columns",
        "unique",
        "using",
        "include",
        "where",
        "nulls_not_distinct",
        "with",
        "inherited",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// `indexes:` — a mapping from name to index, or a list with an optional `name:` each.
pub(crate) fn decode_indexes(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Named<IndexDoc>, YamlError> {
    decode_named(cx, node, path, "index", |cx, node, path, listed| {
        let keys = if listed {
            &LISTED_INDEX_KEYS
        } else {
            &INDEX_KEYS
        };
        let f = Fields::open(cx, node, path, "an index", keys)?;
        let Some(columns_node) = f.value("columns") else {
            return Err(f.missing("columns"));
        };
        let columns_path = f.child_path("columns");
        let key_nodes: Vec<&Node> = match &columns_node.value {
            Value::Seq(list) => list.iter().collect(),
            Value::Scalar(_) | Value::Map(_) => vec![columns_node],
            Value::Null => Vec::new(),
        };
        if key_nodes.is_empty() {
            return Err(f.error_at(
                "columns",
                "an index needs at least one column or expression",
            ));
        }
        let mut columns = Vec::with_capacity(key_nodes.len());
        let mut positions = Vec::with_capacity(key_nodes.len());
        for (i, key) in key_nodes.iter().enumerate() {
            columns.push(decode_index_key(cx, key, &join_index(&columns_path, i))?);
            positions.push(key.pos);
        }
        let index = IndexDoc {
            columns,
            unique: f.flag("unique")?,
            using: f.string("using")?,
            include: f.names("include")?,
            predicate: f.string("where")?,
            nulls_not_distinct: f.flag("nulls_not_distinct")?,
            with: f.names("with")?,
            inherited: f.flag("inherited")?,
            columns_pos: positions,
        };
        Ok((
            listed.then(|| f.string("name")).transpose()?.flatten(),
            index,
        ))
    })
}

const KEY_SPEC_KEYS: Keys = Keys {
    common: &[
        "column",
        "expression",
        "collation",
        "opclass",
        "order",
        "nulls",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

fn decode_index_key(cx: Cx<'_>, node: &Node, path: &str) -> Result<IndexKeyDoc, YamlError> {
    match &node.value {
        Value::Scalar(s) => Ok(IndexKeyDoc::Bare(s.text.clone())),
        Value::Map(_) => {
            let f = Fields::open(cx, node, path, "an index key", &KEY_SPEC_KEYS)?;
            let column = f.string("column")?;
            let expression = f.string("expression")?;
            if column.is_some() == expression.is_some() {
                return Err(cx.error(
                    node.pos,
                    path,
                    format!(
                        "an index key has either 'column' or 'expression' {}",
                        where_(path)
                    ),
                ));
            }
            let order = match f.string("order")? {
                None => None,
                Some(t) => Some(match word(&t).as_str() {
                    "asc" => OrderDoc::Asc,
                    "desc" => OrderDoc::Desc,
                    _ => {
                        return Err(f.error_at(
                            "order",
                            format!("unknown order '{t}' (expected asc or desc)"),
                        ))
                    }
                }),
            };
            let nulls = match f.string("nulls")? {
                None => None,
                Some(t) => Some(match word(&t).as_str() {
                    "first" => NullsDoc::First,
                    "last" => NullsDoc::Last,
                    _ => {
                        return Err(f.error_at(
                            "nulls",
                            format!("unknown nulls order '{t}' (expected first or last)"),
                        ))
                    }
                }),
            };
            Ok(IndexKeyDoc::Spec(KeySpecDoc {
                column,
                expression,
                collation: f.string("collation")?,
                opclass: f.string("opclass")?,
                order,
                nulls,
            }))
        }
        _ => Err(cx.wrong_type(
            node,
            path,
            "a column name, an expression, or {column: …, order: desc}",
        )),
    }
}
