//! Relations and their columns → tables, with partitions folded under their parent
//! (recursively) and table inheritance noted.

use std::collections::BTreeMap;

use tokio_postgres::Row;

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
    /// Columns by attribute number, to resolve constraint and index keys.
    pub attributes: BTreeMap<i16, Attribute>,
    pub table: Table,
}

/// What keys need to know about a column.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub type_oid: u32,
    pub collation: u32,
}

impl Relation {
    pub fn is_partitioned(&self) -> bool {
        self.kind == 'p'
    }

    /// The names of columns `attnums`, in order; `None` if one is unknown.
    pub fn column_names(&self, attnums: &[i16]) -> Option<Vec<String>> {
        attnums
            .iter()
            .map(|n| self.attributes.get(n).map(|a| a.name.clone()))
            .collect()
    }
}

/// Relations by OID (the OID only joins the kind queries; the model is keyed by names).
pub type Relations = BTreeMap<u32, Relation>;

pub fn relations(rows: &[Row], d: Rows<'_>) -> Result<Relations, CatalogError> {
    let mut out = Relations::new();
    for row in rows {
        let oid: u32 = d.get(row, "oid")?;
        let kind: String = d.get(row, "relkind")?;
        out.insert(
            oid,
            Relation {
                name: QualifiedName::new(
                    d.get::<String>(row, "nspname")?,
                    d.get::<String>(row, "relname")?,
                ),
                kind: code(&kind),
                is_partition: d.get(row, "relispartition")?,
                parent: d.get(row, "parent")?,
                partition_by: d.get(row, "partition_by")?,
                bound: d.get(row, "bound")?,
                inherits: d
                    .get::<Option<Vec<String>>>(row, "inherits")?
                    .unwrap_or_default(),
                can_select: d.get(row, "can_select")?,
                attributes: BTreeMap::new(),
                table: Table::default(),
            },
        );
    }
    Ok(out)
}

pub fn add_columns(
    relations: &mut Relations,
    rows: &[Row],
    d: Rows<'_>,
) -> Result<(), CatalogError> {
    for row in rows {
        let relid: u32 = d.get(row, "attrelid")?;
        let Some(relation) = relations.get_mut(&relid) else {
            continue;
        };
        let name: String = d.get(row, "attname")?;
        relation.attributes.insert(
            d.get(row, "attnum")?,
            Attribute {
                name: name.clone(),
                type_oid: d.get(row, "atttypid")?,
                collation: d.get(row, "attcollation")?,
            },
        );
        let mut column = Column::new(name, d.get::<String>(row, "data_type")?);
        column.not_null = d.get(row, "attnotnull")?;
        column.identity = match code(&d.get::<String>(row, "identity")?) {
            'a' => Some(Identity::Always),
            'd' => Some(Identity::ByDefault),
            _ => None,
        };
        let expression: Option<String> = d.get(row, "expression")?;
        match code(&d.get::<String>(row, "generated")?) {
            generated @ ('s' | 'v') => {
                let stored = generated == 's';
                let expression =
                    expression.ok_or_else(|| d.error("generated column without expression"))?;
                column.generated = Some(Generated { expression, stored });
            }
            _ => column.default = expression,
        }
        column.collation = d.get(row, "collation")?;
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
