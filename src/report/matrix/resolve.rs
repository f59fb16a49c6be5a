//! Where an object of a finding lives: its path resolved against the models (partitions
//! named by path part, objects by class) into a `Target` the SQL writers can use.

use std::collections::BTreeMap;

use crate::diff::{Finding, ObjectPath};
use crate::model::{QualifiedName, Schema, Table};
use crate::report::Audit;

use super::ObjectClass;

/// Where an object lives: enough to find it in a model and in a database's catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Table(QualifiedName),
    Enum(QualifiedName),
    /// A partition of `parent` (itself a table or a partition).
    Partition {
        parent: QualifiedName,
        partition: QualifiedName,
    },
    /// A column of `table` (a table or a partition).
    Column {
        table: QualifiedName,
        name: String,
    },
    Index {
        table: QualifiedName,
        name: String,
    },
    Constraint {
        table: QualifiedName,
        name: String,
    },
}

impl Target {
    /// The table or partition the object is, or belongs to (`None` for an enum).
    pub fn relation(&self) -> Option<&QualifiedName> {
        match self {
            Target::Table(t) => Some(t),
            Target::Enum(_) => None,
            Target::Partition { partition, .. } => Some(partition),
            Target::Column { table, .. }
            | Target::Index { table, .. }
            | Target::Constraint { table, .. } => Some(table),
        }
    }
}

/// Every table and partition of a schema by qualified name, with the partitions of each.
#[derive(Debug, Default)]
pub struct TableMap<'a> {
    tables: BTreeMap<QualifiedName, &'a Table>,
}

impl<'a> TableMap<'a> {
    pub fn new(schema: &'a Schema) -> TableMap<'a> {
        fn add<'a>(
            map: &mut BTreeMap<QualifiedName, &'a Table>,
            name: QualifiedName,
            t: &'a Table,
        ) {
            for (pname, p) in &t.partitions {
                add(map, pname.clone(), &p.table);
            }
            map.insert(name, t);
        }
        let mut tables = BTreeMap::new();
        for (name, t) in schema.tables() {
            add(&mut tables, name, t);
        }
        TableMap { tables }
    }

    /// A table or a partition, at any depth.
    pub fn get(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.tables.get(name).copied()
    }
}

/// The path part naming a partition under its parent (as `diff` writes it): its name,
/// qualified when it lives in another schema.
pub fn partition_part(parent: &QualifiedName, partition: &QualifiedName) -> String {
    if partition.schema == parent.schema {
        partition.name.clone()
    } else {
        partition.to_string()
    }
}

/// The expected schema and every environment's, for resolving paths.
pub(super) struct Models<'a> {
    expected: &'a Schema,
    schemas: Vec<&'a Schema>,
    tables: Vec<TableMap<'a>>,
}

impl<'a> Models<'a> {
    pub(super) fn new(audit: &'a Audit) -> Models<'a> {
        let mut schemas = vec![&audit.expected.schema];
        schemas.extend(audit.environments.iter().map(|e| &e.schema));
        Models {
            expected: &audit.expected.schema,
            tables: schemas.iter().map(|s| TableMap::new(s)).collect(),
            schemas,
        }
    }

    pub(super) fn class_of(&self, finding: &Finding) -> ObjectClass {
        ObjectClass::of(finding.kind).unwrap_or_else(|| {
            let name = finding.object.top_object();
            let is_enum = self.schemas.iter().any(|s| s.enum_type(&name).is_some());
            if is_enum && finding.object.parts().len() == 2 {
                ObjectClass::Enum
            } else {
                ObjectClass::Table
            }
        })
    }

    /// The partition of `parent` that `part` names, in any model.
    fn partition(&self, parent: &QualifiedName, part: &str) -> QualifiedName {
        for tables in &self.tables {
            if let Some(t) = tables.get(parent) {
                if let Some(name) = t
                    .partitions
                    .keys()
                    .find(|name| partition_part(parent, name) == part)
                {
                    return name.clone();
                }
            }
        }
        match part.split_once('.') {
            Some((schema, name)) if !schema.is_empty() => QualifiedName::new(schema, name),
            _ => QualifiedName::new(parent.schema.clone(), part),
        }
    }

    pub(super) fn target(&self, path: &ObjectPath, class: ObjectClass) -> Target {
        let parts = path.parts();
        let top = path.top_object();
        if parts.len() <= 2 {
            return match class {
                ObjectClass::Enum => Target::Enum(top),
                _ => Target::Table(top),
            };
        }
        let mut relation = top;
        for part in &parts[2..parts.len() - 1] {
            relation = self.partition(&relation, part);
        }
        let last = parts[parts.len() - 1].clone();
        match class {
            ObjectClass::Partition => Target::Partition {
                partition: self.partition(&relation, &last),
                parent: relation,
            },
            ObjectClass::Column => Target::Column {
                table: relation,
                name: last,
            },
            ObjectClass::Index => Target::Index {
                table: relation,
                name: last,
            },
            ObjectClass::Constraint => Target::Constraint {
                table: relation,
                name: last,
            },
            // A table-level finding under a partition path is about that partition.
            ObjectClass::Table | ObjectClass::Enum => Target::Partition {
                partition: self.partition(&relation, &last),
                parent: relation,
            },
        }
    }

    pub(super) fn expected_has(&self, target: &Target) -> bool {
        let tables = &self.tables[0];
        match target {
            Target::Table(name) => self.expected.table(name).is_some(),
            Target::Enum(name) => self.expected.enum_type(name).is_some(),
            Target::Partition { parent, partition } => tables
                .get(parent)
                .is_some_and(|t| t.partitions.contains_key(partition)),
            Target::Column { table, name } => {
                tables.get(table).is_some_and(|t| t.column(name).is_some())
            }
            Target::Index { table, name } => tables
                .get(table)
                .is_some_and(|t| t.indexes.get(name).is_some_and(|i| !i.inherited)),
            Target::Constraint { table, name } => tables
                .get(table)
                .is_some_and(|t| t.constraints.get(name).is_some_and(|c| !c.inherited)),
        }
    }
}
