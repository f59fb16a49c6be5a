//! Index rows → `Index`es on their tables, from structured key columns. Where the catalog
//! cannot say whether `pg_get_indexdef` prints a key's COLLATE or operator class (an
//! expression whose collation or type is not recorded), the query also returns the full
//! definition and the reader picks the variant whose rendering equals it.

use tokio_postgres::Row;

use super::rows::Rows;
use super::tables::{info, Relations};
use crate::catalog::error::CatalogError;
use crate::model::{index_definition, Index, IndexExpr, IndexKey, IndexTarget, Note, PgVersion};

/// `indoption` bits (pg_index.h).
const INDOPTION_DESC: i16 = 0x0001;
const INDOPTION_NULLS_FIRST: i16 = 0x0002;

/// At most this many undecided key decorations are settled by trying every combination.
const MAX_UNDECIDED: usize = 10;

#[derive(Clone, Copy)]
enum Decoration {
    Collation,
    Opclass,
}

pub fn add_indexes(
    relations: &mut Relations,
    rows: &[Row],
    d: Rows<'_>,
    version: PgVersion,
    notes: &mut Vec<Note>,
) -> Result<(), CatalogError> {
    for row in rows {
        let relid: u32 = d.get(row, "indrelid")?;
        let Some(relation) = relations.get_mut(&relid) else {
            continue;
        };
        let name: String = d.get(row, "name")?;
        let object = format!("{}.{name}", relation.name);
        let can_order: bool = d.get(row, "can_order")?;
        let key_count = usize::try_from(d.get::<i32>(row, "key_count")?).unwrap_or(0);
        let key_options: Vec<i16> = d.get(row, "key_options")?;
        let columns: Vec<Option<String>> = d.get(row, "columns")?;
        let expressions: Vec<Option<String>> = d.get(row, "expressions")?;
        let collations: Vec<Option<String>> = d.get(row, "collations")?;
        let collation_shown: Vec<Option<bool>> = d.get(row, "collation_shown")?;
        let opclasses: Vec<Option<String>> = d.get(row, "opclasses")?;
        let opclass_shown: Vec<Option<bool>> = d.get(row, "opclass_shown")?;
        let at = |v: &[Option<String>], i: usize| v.get(i).cloned().flatten();
        let flag = |v: &[Option<bool>], i: usize| v.get(i).copied().flatten();

        let mut index = Index {
            unique: d.get(row, "indisunique")?,
            method: d.get(row, "amname")?,
            keys: Vec::with_capacity(key_count),
            include: Vec::new(),
            predicate: d.get(row, "predicate")?,
            nulls_not_distinct: d.get(row, "nulls_not_distinct")?,
            storage_parameters: d.get(row, "storage_parameters")?,
            inherited: d.get(row, "attached")?,
        };
        let mut undecided = Vec::new();
        for i in 0..columns.len() {
            if i >= key_count {
                let column = at(&columns, i)
                    .ok_or_else(|| d.error(format!("{object}: INCLUDE column {i} has no name")))?;
                index.include.push(column);
                continue;
            }
            let expr = match (at(&columns, i), at(&expressions, i)) {
                (Some(column), _) => IndexExpr::Column(column),
                (None, Some(expression)) => IndexExpr::Expression(expression),
                (None, None) => {
                    return Err(d.error(format!(
                        "{object}: key {i} is neither column nor expression"
                    )))
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
            match flag(&collation_shown, i) {
                Some(true) => key.collation = at(&collations, i),
                Some(false) => {}
                None => undecided.push((i, Decoration::Collation)),
            }
            match flag(&opclass_shown, i) {
                Some(true) => key.opclass = at(&opclasses, i),
                Some(false) => {}
                None => undecided.push((i, Decoration::Opclass)),
            }
            index.keys.push(key);
        }

        if !undecided.is_empty() {
            let definition: Option<String> = d.get(row, "definition")?;
            let target = IndexTarget {
                table: &relation.name,
                partitioned: relation.is_partitioned(),
            };
            let settled = definition.as_deref().and_then(|definition| {
                settle(
                    &name,
                    target,
                    &index,
                    &undecided,
                    &collations,
                    &opclasses,
                    version,
                    definition,
                )
            });
            match settled {
                Some(resolved) => index = resolved,
                None => notes.push(info(format!(
                    "{object}: could not reproduce the server's definition exactly ({}); COLLATE and operator classes of expression keys may be missing",
                    definition.unwrap_or_default()
                ))),
            }
        }

        if !d.get::<bool>(row, "indisvalid")? {
            notes.push(info(format!(
                "{object}: index is INVALID (a failed CREATE INDEX CONCURRENTLY?); queries do not use it"
            )));
        }
        if relation.table.indexes.insert(name, index).is_some() {
            notes.push(info(format!("{object}: index name seen twice")));
        }
    }
    Ok(())
}

/// Try every combination of the undecided decorations; keep the one whose rendering is the
/// server's definition.
#[allow(clippy::too_many_arguments)]
fn settle(
    name: &str,
    target: IndexTarget<'_>,
    index: &Index,
    undecided: &[(usize, Decoration)],
    collations: &[Option<String>],
    opclasses: &[Option<String>],
    version: PgVersion,
    definition: &str,
) -> Option<Index> {
    if undecided.len() > MAX_UNDECIDED {
        return None;
    }
    for mask in 0u32..(1 << undecided.len()) {
        let mut candidate = index.clone();
        for (bit, (i, decoration)) in undecided.iter().enumerate() {
            if mask & (1 << bit) == 0 {
                continue;
            }
            let key = candidate.keys.get_mut(*i)?;
            match decoration {
                Decoration::Collation => key.collation = collations.get(*i).cloned().flatten(),
                Decoration::Opclass => key.opclass = opclasses.get(*i).cloned().flatten(),
            }
        }
        if index_definition(name, target, &candidate, version) == definition {
            return Some(candidate);
        }
    }
    None
}
