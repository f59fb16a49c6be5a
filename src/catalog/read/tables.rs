//! Relations and their columns → tables, with partitions folded under their parent
//! (recursively) and table inheritance noted.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::lookups::Lookups;
use super::rows::{code, Rows};
use crate::catalog::error::CatalogError;
use crate::model::{
    Column, Generated, Identity, Note, NoteKind, Partition, QualifiedName, Schema, Table,
};

/// One relation as read, before partitions are folded.
#[derive(Debug)]
pub struct Relation {
    pub name: QualifiedName,
    /// `r` table, `p` partitioned table, `f` foreign table (only read when a partition).
    pub kind: char,
    pub is_partition: bool,
    pub parent: Option<u32>,
    pub partition_by: Option<String>,
    pub bound: Option<String>,
    /// Parents by table inheritance (`INHERITS`), `schema.name`.
    pub inherits: Vec<String>,
    /// For migration bookkeeping tables: whether the role may read them.
    pub can_select: Option<bool>,
    /// Columns by attribute number (`attributes[attnum - 1]`; dropped columns leave a
    /// gap), to resolve constraint and index keys.
    pub attributes: Vec<Option<Attribute>>,
    pub table: Table,
}

/// What keys need to know about a column.
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    /// Its position in `table.columns`.
    pub column: usize,
    pub type_oid: u32,
    pub collation: u32,
}

impl Relation {
    pub fn is_partitioned(&self) -> bool {
        self.kind == 'p'
    }

    /// The column `attnum`, if the table has it.
    pub fn attribute(&self, attnum: i16) -> Option<&Attribute> {
        let index = usize::try_from(attnum).ok()?.checked_sub(1)?;
        self.attributes.get(index)?.as_ref()
    }

    /// The name of the column `attribute` describes.
    pub fn name_of(&self, attribute: &Attribute) -> &str {
        self.table
            .columns
            .get(attribute.column)
            .map_or("", |c| c.name.as_str())
    }

    /// The name of column `attnum`, if the table has it.
    pub fn column_name(&self, attnum: i16) -> Option<&str> {
        Some(self.name_of(self.attribute(attnum)?))
    }

    /// The names of columns `attnums`, in order; `None` if one is unknown.
    pub fn column_names(&self, attnums: &[i16]) -> Option<Vec<String>> {
        attnums
            .iter()
            .map(|n| self.column_name(*n).map(str::to_string))
            .collect()
    }
}

/// Relations by OID (the OID only joins the kind queries; the model is keyed by names).
pub type Relations = BTreeMap<u32, Relation>;

pub fn relations(rows: &[Row], d: Rows<'_>) -> Result<Relations, CatalogError> {
    let [oid, nspname, relname, relkind, relispartition, parent, partition_by, bound, inherits, can_select] =
        d.columns(
            rows,
            [
                "oid",
                "nspname",
                "relname",
                "relkind",
                "relispartition",
                "parent",
                "partition_by",
                "bound",
                "inherits",
                "can_select",
            ],
        )?;
    let mut out = Relations::new();
    for row in rows {
        out.insert(
            d.at(row, oid)?,
            Relation {
                name: QualifiedName::new(
                    d.at::<String>(row, nspname)?,
                    d.at::<String>(row, relname)?,
                ),
                kind: code(d.at(row, relkind)?),
                is_partition: d.at(row, relispartition)?,
                parent: d.at(row, parent)?,
                partition_by: d.at(row, partition_by)?,
                bound: d.at(row, bound)?,
                inherits: d
                    .at::<Option<Vec<String>>>(row, inherits)?
                    .unwrap_or_default(),
                can_select: d.at(row, can_select)?,
                attributes: Vec::new(),
                table: Table::default(),
            },
        );
    }
    Ok(out)
}

/// Columns, in physical order per table. A collation is named only when it differs from the
/// type's, as ruleutils' generate_collation_name does.
pub fn add_columns(
    relations: &mut Relations,
    rows: &[Row],
    d: Rows<'_>,
    lookups: &Lookups,
) -> Result<(), CatalogError> {
    let [attrelid, attnum, attname, atttypid, attcollation, data_type, attnotnull, identity, generated, expression] =
        d.columns(
            rows,
            [
                "attrelid",
                "attnum",
                "attname",
                "atttypid",
                "attcollation",
                "data_type",
                "attnotnull",
                "identity",
                "generated",
                "expression",
            ],
        )?;
    // The query leaves the rows unordered: put them in physical order per table here (the
    // keys are small, the rows are not), then look each relation up once.
    let mut order = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        order.push((d.at::<u32>(row, attrelid)?, d.at::<i16>(row, attnum)?, i));
    }
    order.sort_unstable();
    let mut current: Option<(u32, Option<&mut Relation>)> = None;
    for (relid, number, i) in order {
        let row = &rows[i];
        if current.as_ref().is_none_or(|(id, _)| *id != relid) {
            current = Some((relid, relations.get_mut(&relid)));
        }
        let Some((_, Some(relation))) = current.as_mut() else {
            continue;
        };
        let type_oid: u32 = d.at(row, atttypid)?;
        let collation: u32 = d.at(row, attcollation)?;
        let mut column = Column::new(
            d.at::<String>(row, attname)?,
            d.at::<String>(row, data_type)?,
        );
        column.not_null = d.at(row, attnotnull)?;
        column.identity = match code(d.at(row, identity)?) {
            'a' => Some(Identity::Always),
            'd' => Some(Identity::ByDefault),
            _ => None,
        };
        let expression: Option<String> = d.at(row, expression)?;
        match code(d.at(row, generated)?) {
            generated @ ('s' | 'v') => {
                let stored = generated == 's';
                let expression =
                    expression.ok_or_else(|| d.error("generated column without expression"))?;
                column.generated = Some(Generated { expression, stored });
            }
            _ => column.default = expression,
        }
        if collation != 0 && collation != lookups.type_collation(type_oid) {
            let name = lookups
                .collation_name(collation)
                .ok_or_else(|| d.error(format!("unknown collation {collation}")))?;
            column.collation = Some(name.to_string());
        }
        let Some(slot) = usize::try_from(number).ok().and_then(|n| n.checked_sub(1)) else {
            return Err(d.error(format!("attribute number {number}")));
        };
        if relation.attributes.len() <= slot {
            relation.attributes.resize(slot + 1, None);
        }
        relation.attributes[slot] = Some(Attribute {
            column: relation.table.columns.len(),
            type_oid,
            collation,
        });
        relation.table.columns.push(column);
    }
    Ok(())
}

/// Put every table into `schema`, partitions under their parent; note what the model reads
/// differently from how PostgreSQL stores it.
pub fn fold(mut relations: Relations, schema: &mut Schema, notes: &mut Vec<Note>) {
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut roots = Vec::new();
    for (oid, relation) in &relations {
        match relation.parent {
            Some(parent) if relation.is_partition && relations.contains_key(&parent) => {
                children.entry(parent).or_default().push(*oid);
            }
            _ => roots.push(*oid),
        }
    }
    for oid in roots {
        let Some(relation) = relations.remove(&oid) else {
            continue;
        };
        if relation.kind == 'f' {
            notes.push(info(format!(
                "{} is a foreign table; pgdrift does not model foreign tables",
                relation.name
            )));
            continue;
        }
        if relation.is_partition {
            // Only when the parent is out of reach (it always is in scope with its partitions).
            notes.push(info(format!(
                "{} is a partition whose parent was not read; it is shown as a table",
                relation.name
            )));
        }
        if !relation.inherits.is_empty() {
            notes.push(info(format!(
                "{} inherits from {} (table inheritance); it is read as a plain table with its inherited columns and constraints",
                relation.name,
                relation.inherits.join(", ")
            )));
        }
        let name = relation.name.clone();
        let table = build(relation, oid, &mut relations, &children, notes);
        schema
            .namespace_mut(&name.schema)
            .tables
            .insert(name.name, table);
    }
}

fn build(
    relation: Relation,
    oid: u32,
    relations: &mut Relations,
    children: &BTreeMap<u32, Vec<u32>>,
    notes: &mut Vec<Note>,
) -> Table {
    let mut table = relation.table;
    table.partition_by = relation.partition_by;
    for child in children.get(&oid).into_iter().flatten() {
        let Some(partition) = relations.remove(child) else {
            continue;
        };
        if partition.kind == 'f' {
            notes.push(info(format!(
                "{} is a foreign-table partition of {}; pgdrift does not model foreign tables, so it is not listed among the partitions",
                partition.name, relation.name
            )));
            continue;
        }
        let name = partition.name.clone();
        let bound = partition.bound.clone().unwrap_or_default();
        let partition_table = build(partition, *child, relations, children, notes);
        table.partitions.insert(
            name,
            Partition {
                bound,
                table: partition_table,
            },
        );
    }
    table
}

pub fn info(message: String) -> Note {
    Note {
        kind: NoteKind::Info,
        location: None,
        object: None,
        message,
    }
}
