//! Index rows → `Index`es on their tables, rendered from structured key columns the way
//! `pg_get_indexdef_worker` (ruleutils.c) prints them: COLLATE when the key's collation
//! differs from the column's (or the expression's), the operator class when it is not the
//! key type's default (`get_opclass_name`), DESC/NULLS only for ordering access methods.
//!
//! Where the catalog cannot say whether a decoration is printed (an expression's collation or
//! type is not recorded anywhere), the index is settled later against the server's full
//! definition, fetched in the follow-up round trip for those indexes only.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::lookups::{Lookups, DEFAULT_COLLATION};
use super::rows::{ObjectPath, Rows};
use super::tables::{info, Relations};
use crate::catalog::error::CatalogError;
use crate::model::{index_definition, Index, IndexExpr, IndexKey, IndexTarget, Note, PgVersion};

/// `indoption` bits (pg_index.h).
const INDOPTION_DESC: i16 = 0x0001;
const INDOPTION_NULLS_FIRST: i16 = 0x0002;

/// At most this many undecided key decorations are settled by trying every combination.
const MAX_UNDECIDED: usize = 10;

#[derive(Debug, Clone, Copy)]
enum Decoration {
    Collation,
    Opclass,
}

/// An index whose rendering depends on decorations the catalog could not decide.
#[derive(Debug)]
pub struct PendingIndex {
    pub relid: u32,
    pub name: String,
    pub indexrelid: u32,
    undecided: Vec<(usize, Decoration, String)>,
}

pub fn add_indexes(
    relations: &mut Relations,
    rows: &[Row],
    d: Rows<'_>,
    lookups: &Lookups,
    notes: &mut Vec<Note>,
) -> Result<Vec<PendingIndex>, CatalogError> {
    let [indexrelid, indrelid, name_col, indisunique, indisvalid, amname, can_order_col, key_count_col, attnums_col, opclasses_col, collations_col, key_options_col, expressions_col, key_types_col, collate_in_expressions_col, predicate, nulls_not_distinct, storage_parameters, opclass_options_col, attached] =
        d.columns(
            rows,
            [
                "indexrelid",
                "indrelid",
                "name",
                "indisunique",
                "indisvalid",
                "amname",
                "can_order",
                "key_count",
                "attnums",
                "opclasses",
                "collations",
                "key_options",
                "expressions",
                "key_types",
                "collate_in_expressions",
                "predicate",
                "nulls_not_distinct",
                "storage_parameters",
                "opclass_options",
                "attached",
            ],
        )?;
    let mut pending = Vec::new();
    for row in rows {
        let relid: u32 = d.at(row, indrelid)?;
        let Some(relation) = relations.get_mut(&relid) else {
            continue;
        };
        let name: String = d.at(row, name_col)?;
        let object = ObjectPath(&relation.name, &name);
        let can_order: bool = d.at(row, can_order_col)?;
        let key_count = usize::try_from(d.at::<i32>(row, key_count_col)?).unwrap_or(0);
        let attnums: Vec<i16> = d.at(row, attnums_col)?;
        let opclasses: Vec<u32> = d.at(row, opclasses_col)?;
        let collations: Vec<u32> = d.at(row, collations_col)?;
        let key_options: Vec<i16> = d.at(row, key_options_col)?;
        let expressions: Vec<Option<String>> = d
            .at::<Option<Vec<Option<String>>>>(row, expressions_col)?
            .unwrap_or_default();
        let key_types: Vec<u32> = d
            .at::<Option<Vec<u32>>>(row, key_types_col)?
            .unwrap_or_default();
        let collate_in_expressions = d
            .at::<Option<bool>>(row, collate_in_expressions_col)?
            .unwrap_or(false);
        // "k:name=value, …" for keys whose operator class has options.
        let opclass_options: BTreeMap<usize, String> = d
            .at::<Option<Vec<String>>>(row, opclass_options_col)?
            .unwrap_or_default()
            .into_iter()
            .filter_map(|entry| {
                let (k, options) = entry.split_once(':')?;
                Some((
                    k.parse::<usize>().ok()?.checked_sub(1)?,
                    options.to_string(),
                ))
            })
            .collect();
        // An expression takes its collation from the columns it uses, unless it says COLLATE.
        let expression_collation_known = !collate_in_expressions
            && relation
                .attributes
                .iter()
                .flatten()
                .all(|a| a.collation == 0 || a.collation == DEFAULT_COLLATION);

        let mut index = Index {
            unique: d.at(row, indisunique)?,
            method: d.at(row, amname)?,
            keys: Vec::with_capacity(key_count),
            include: Vec::new(),
            predicate: d.at(row, predicate)?,
            nulls_not_distinct: d.at(row, nulls_not_distinct)?,
            storage_parameters: d
                .at::<Option<Vec<String>>>(row, storage_parameters)?
                .unwrap_or_default(),
            inherited: d.at(row, attached)?,
        };
        let mut undecided = Vec::new();
        for (i, &attnum) in attnums.iter().enumerate() {
            let column = (attnum != 0).then(|| relation.attribute(attnum)).flatten();
            if attnum != 0 && column.is_none() {
                return Err(d.error(format!("{object}: key {i} names an unknown column")));
            }
            if i >= key_count {
                let column = column.ok_or_else(|| {
                    d.error(format!("{object}: INCLUDE key {i} is an expression"))
                })?;
                index.include.push(relation.name_of(column).to_string());
                continue;
            }
            let expr =
                match column {
                    Some(c) => IndexExpr::Column(relation.name_of(c).to_string()),
                    None => {
                        IndexExpr::Expression(expressions.get(i).cloned().flatten().ok_or_else(
                            || d.error(format!("{object}: key {i} has no expression")),
                        )?)
                    }
                };
            let option = key_options.get(i).copied().unwrap_or(0);
            let mut key = IndexKey {
                expr,
                collation: None,
                opclass: None,
                descending: can_order && option & INDOPTION_DESC != 0,
                nulls_first: can_order && option & INDOPTION_NULLS_FIRST != 0,
            };

            let collation = collations.get(i).copied().unwrap_or(0);
            if collation != 0 {
                let shown = match column {
                    Some(c) => Some(collation != c.collation),
                    None if collation == DEFAULT_COLLATION && expression_collation_known => {
                        Some(false)
                    }
                    None => None,
                };
                let name = lookups.collation_name(collation).map(str::to_string);
                match (shown, name) {
                    (Some(false), _) => {}
                    (Some(true), Some(name)) => key.collation = Some(name),
                    (None, Some(name)) => undecided.push((i, Decoration::Collation, name)),
                    (_, None) => {
                        return Err(d.error(format!("{object}: unknown collation {collation}")))
                    }
                }
            }

            let opclass = opclasses.get(i).copied().unwrap_or(0);
            let class = lookups
                .opclass(opclass)
                .ok_or_else(|| d.error(format!("{object}: unknown operator class {opclass}")))?;
            if let Some(options) = opclass_options.get(&i) {
                // With options the name is always printed (then the options).
                key.opclass = Some(format!("{} ({options})", class.name));
            } else {
                let key_type = match column {
                    Some(c) => Some(c.type_oid),
                    // The index column has the expression's type unless the operator class
                    // stores another one.
                    None if class.key_type == 0 => key_types.get(i).copied(),
                    None => None,
                };
                match lookups.opclass_shown(opclass, key_type) {
                    Some(false) => {}
                    Some(true) => key.opclass = Some(class.name.clone()),
                    None => undecided.push((i, Decoration::Opclass, class.name.clone())),
                }
            }
            index.keys.push(key);
        }

        if !d.at::<bool>(row, indisvalid)? {
            notes.push(info(format!(
                "{object}: index is INVALID (a failed CREATE INDEX CONCURRENTLY?); queries do not use it"
            )));
        }
        if !undecided.is_empty() {
            pending.push(PendingIndex {
                relid,
                name: name.clone(),
                indexrelid: d.at(row, indexrelid)?,
                undecided,
            });
        }
        if relation.table.indexes.contains_key(&name) {
            notes.push(info(format!("{object}: index name seen twice")));
        }
        relation.table.indexes.insert(name, index);
    }
    Ok(pending)
}

/// Settle each pending index against the server's definition: keep the combination of
/// undecided decorations whose rendering is exactly `pg_get_indexdef`.
pub fn settle(
    relations: &mut Relations,
    pending: &[PendingIndex],
    definitions: &BTreeMap<u32, String>,
    version: PgVersion,
    notes: &mut Vec<Note>,
) {
    for p in pending {
        let Some(relation) = relations.get_mut(&p.relid) else {
            continue;
        };
        let object = format!("{}.{}", relation.name, p.name);
        let target = IndexTarget {
            table: &relation.name,
            partitioned: relation.is_partitioned(),
        };
        let definition = definitions.get(&p.indexrelid);
        let settled = match (relation.table.indexes.get(&p.name), definition) {
            (Some(index), Some(definition)) => {
                try_combinations(&p.name, target, index, &p.undecided, version, definition)
            }
            _ => None,
        };
        match settled {
            Some(index) => {
                relation.table.indexes.insert(p.name.clone(), index);
            }
            None => notes.push(info(format!(
                "{object}: could not reproduce the server's definition exactly ({}); COLLATE or operator classes of some keys may be missing",
                definition.map(String::as_str).unwrap_or("not read")
            ))),
        }
    }
}

fn try_combinations(
    name: &str,
    target: IndexTarget<'_>,
    index: &Index,
    undecided: &[(usize, Decoration, String)],
    version: PgVersion,
    definition: &str,
) -> Option<Index> {
    if undecided.len() > MAX_UNDECIDED {
        return None;
    }
    for mask in 0u32..(1 << undecided.len()) {
        let mut candidate = index.clone();
        for (bit, (i, decoration, text)) in undecided.iter().enumerate() {
            if mask & (1 << bit) == 0 {
                continue;
            }
            let key = candidate.keys.get_mut(*i)?;
            match decoration {
                Decoration::Collation => key.collation = Some(text.clone()),
                Decoration::Opclass => key.opclass = Some(text.clone()),
            }
        }
        if index_definition(name, target, &candidate, version) == definition {
            return Some(candidate);
        }
    }
    None
}
