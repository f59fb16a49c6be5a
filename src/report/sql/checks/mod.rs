//! Catalog predicates: for one object of the expected schema, a boolean SQL expression over
//! `pg_catalog` that is true exactly when a database has that object as defined (or, for an
//! object the expected schema does not define, when the database does not have it).
//!
//! Existence is decided by exact names; types, defaults, expressions and definitions by the
//! text PostgreSQL renders for them (`format_type`, `pg_get_expr`, `pg_get_indexdef`,
//! `pg_get_constraintdef`), which is what the canonical model holds — the caller pins the
//! settings that rendering depends on (`pin`). Which objects count mirrors the catalog
//! reader: constraint-backed indexes are the constraint's, a partition's inherited indexes
//! and constraints are its parent's, NOT NULL is a column property.
//!
//! A table's predicate includes its columns, indexes, constraints and partitions, except
//! those another check covers (`covered`), so the per-environment query has one row per
//! object and every row is true once the environment matches.

mod children;

use crate::diff::ObjectPath;
use crate::model::{quote_literal, Partition, PgVersion, QualifiedName, Table};
use crate::report::ddl_text::local_indexes;
use crate::report::matrix::{partition_part, Matrix, ObjectClass, TableMap, Target};

use super::pin::{indent_rest, PINNED};

use children::{
    column_order, column_presence, constraint_presence, index_presence, no_other_columns,
    no_other_partitions,
};

/// `[NOT ]EXISTS (SELECT FROM <from> WHERE <cond> AND <cond> …)`, one condition per line.
fn exists(negated: bool, from: &str, conds: &[String]) -> String {
    let mut out = String::new();
    if negated {
        out.push_str("NOT ");
    }
    out.push_str("EXISTS (SELECT FROM ");
    out.push_str(from);
    for (i, cond) in conds.iter().enumerate() {
        out.push_str(if i == 0 { "\n  WHERE " } else { "\n    AND " });
        out.push_str(&indent_rest(cond, "        "));
    }
    out.push(')');
    out
}

fn lit(text: &str) -> String {
    quote_literal(text)
}

fn list(items: &[String]) -> String {
    items.iter().map(|s| lit(s)).collect::<Vec<_>>().join(", ")
}

/// Writes the predicates for one environment's server version.
pub struct Checker<'a> {
    pub expected: &'a TableMap<'a>,
    pub expected_schema: &'a crate::model::Schema,
    pub version: PgVersion,
    /// The matrix whose rows are checked on their own: a table's predicate leaves their
    /// objects to them. `None` checks everything inside a table.
    pub covered: Option<&'a Matrix>,
}

const RELATION_FROM: &str =
    "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";

fn relation_is(name: &QualifiedName) -> String {
    format!(
        "n.nspname = {} AND c.relname = {}",
        lit(&name.schema),
        lit(&name.name)
    )
}

impl Checker<'_> {
    fn is_covered(&self, path: &ObjectPath, class: ObjectClass) -> bool {
        self.covered.is_some_and(|m| m.covers(path, class))
    }

    fn covered_names(&self, path: &ObjectPath, class: ObjectClass) -> Vec<String> {
        self.covered
            .map(|m| m.covered_children(path, class))
            .unwrap_or_default()
    }

    /// The predicate for the object at `path`, true exactly when the database matches the
    /// expected schema there. References `pin.pinned`.
    pub fn object(&self, path: &ObjectPath, target: &Target) -> String {
        match target {
            Target::Table(name) => match self.expected_schema.table(name) {
                Some(table) => {
                    let mut conds = vec![PINNED.to_string(), relation_is(name)];
                    conds.push(match &table.partition_by {
                        Some(_) => "c.relkind = 'p' AND NOT c.relispartition".into(),
                        None => "c.relkind = 'r' AND NOT c.relispartition".into(),
                    });
                    conds.extend(self.table_conds("c", name, table, path, 1, false));
                    exists(false, RELATION_FROM, &conds)
                }
                None => exists(
                    true,
                    RELATION_FROM,
                    &[
                        PINNED.to_string(),
                        relation_is(name),
                        "c.relkind IN ('r', 'p') AND NOT c.relispartition".into(),
                    ],
                ),
            },
            Target::Enum(name) => self.enum_check(name, self.expected_schema.enum_type(name)),
            Target::Partition { parent, partition } => {
                let expected = self
                    .expected
                    .get(parent)
                    .and_then(|t| t.partitions.get(partition));
                let inner = match expected {
                    Some(p) => self.partition_cond("c", partition, p, path, 1),
                    None => self.partition_presence("c", partition, 1),
                };
                exists(
                    expected.is_none(),
                    RELATION_FROM,
                    &[PINNED.to_string(), relation_is(parent), inner],
                )
            }
            Target::Column { table, name } => {
                let expected = self.expected.get(table).and_then(|t| t.column(name));
                let inner = match expected {
                    Some(column) => self.column_cond("c", column),
                    None => column_presence("c", name),
                };
                exists(
                    expected.is_none(),
                    RELATION_FROM,
                    &[PINNED.to_string(), relation_is(table), inner],
                )
            }
            Target::Index { table, name } => {
                let expected = self
                    .expected
                    .get(table)
                    .and_then(|t| t.indexes.get(name).filter(|i| !i.inherited).map(|i| (t, i)));
                let inner = match expected {
                    Some((t, index)) => self.index_cond("c", table, t, name, index),
                    None => index_presence(false, "c", name, &[]),
                };
                exists(
                    expected.is_none(),
                    RELATION_FROM,
                    &[PINNED.to_string(), relation_is(table), inner],
                )
            }
            Target::Constraint { table, name } => {
                let expected = self
                    .expected
                    .get(table)
                    .and_then(|t| t.constraints.get(name).filter(|c| !c.inherited));
                let inner = match expected {
                    Some(constraint) => self.constraint_cond("c", name, constraint),
                    None => constraint_presence(false, "c", name, &[]),
                };
                exists(
                    expected.is_none(),
                    RELATION_FROM,
                    &[PINNED.to_string(), relation_is(table), inner],
                )
            }
        }
    }

    /// What a table (alias `rel`) must satisfy besides its name: column order, columns,
    /// indexes, constraints and partitions not covered elsewhere, and nothing else.
    fn table_conds(
        &self,
        rel: &str,
        name: &QualifiedName,
        table: &Table,
        path: &ObjectPath,
        depth: usize,
        is_partition: bool,
    ) -> Vec<String> {
        let mut conds = Vec::new();
        if let Some(key) = &table.partition_by {
            conds.push(format!(
                "pg_catalog.pg_get_partkeydef({rel}.oid) = {}",
                lit(key)
            ));
        }
        // A partition's columns are its parent's: checked (and reported) there.
        if !is_partition {
            if table.columns.len() > 1 {
                conds.push(column_order(rel, &table.columns));
            }
            let mut names = Vec::new();
            for column in &table.columns {
                names.push(column.name.clone());
                if !self.is_covered(&path.child(column.name.as_str()), ObjectClass::Column) {
                    conds.push(self.column_cond(rel, column));
                }
            }
            names.extend(self.covered_names(path, ObjectClass::Column));
            conds.push(no_other_columns(rel, &names));
        }

        let mut names = Vec::new();
        for (index_name, index) in local_indexes(table) {
            names.push(index_name.clone());
            if !self.is_covered(&path.child(index_name.as_str()), ObjectClass::Index) {
                conds.push(self.index_cond(rel, name, table, index_name, index));
            }
        }
        names.extend(self.covered_names(path, ObjectClass::Index));
        conds.push(index_presence(true, rel, "", &names));

        let mut names = Vec::new();
        for (constraint_name, constraint) in &table.constraints {
            if constraint.inherited {
                continue;
            }
            names.push(constraint_name.clone());
            if !self.is_covered(
                &path.child(constraint_name.as_str()),
                ObjectClass::Constraint,
            ) {
                conds.push(self.constraint_cond(rel, constraint_name, constraint));
            }
        }
        names.extend(self.covered_names(path, ObjectClass::Constraint));
        conds.push(constraint_presence(true, rel, "", &names));

        if table.partition_by.is_some() || !table.partitions.is_empty() {
            let mut partitions: Vec<QualifiedName> = Vec::new();
            for (partition_name, partition) in &table.partitions {
                partitions.push(partition_name.clone());
                let child = path.child(partition_part(name, partition_name));
                if !self.is_covered(&child, ObjectClass::Partition) {
                    conds.push(self.partition_cond(rel, partition_name, partition, &child, depth));
                }
            }
            if let Some(matrix) = self.covered {
                partitions.extend(matrix.covered_partitions(path));
            }
            conds.push(no_other_partitions(rel, &partitions, depth));
        }
        conds
    }

    /// The partition `name` of the relation aliased `rel`, as expected (bound, partition key
    /// and what it holds of its own).
    fn partition_cond(
        &self,
        rel: &str,
        name: &QualifiedName,
        partition: &Partition,
        path: &ObjectPath,
        depth: usize,
    ) -> String {
        let (h, c, n) = (
            format!("h{depth}"),
            format!("c{depth}"),
            format!("n{depth}"),
        );
        let from = format!(
            "pg_catalog.pg_inherits {h} JOIN pg_catalog.pg_class {c} ON {c}.oid = {h}.inhrelid JOIN pg_catalog.pg_namespace {n} ON {n}.oid = {c}.relnamespace"
        );
        let mut conds = vec![
            format!("{h}.inhparent = {rel}.oid AND {c}.relispartition"),
            format!(
                "{n}.nspname = {} AND {c}.relname = {}",
                lit(&name.schema),
                lit(&name.name)
            ),
            format!(
                "pg_catalog.pg_get_expr({c}.relpartbound, {c}.oid) = {}",
                lit(&partition.bound)
            ),
            match &partition.table.partition_by {
                Some(_) => format!("{c}.relkind = 'p'"),
                None => format!("{c}.relkind <> 'p'"),
            },
        ];
        conds.extend(self.table_conds(&c, name, &partition.table, path, depth + 1, true));
        exists(false, &from, &conds)
    }

    fn partition_presence(&self, rel: &str, name: &QualifiedName, depth: usize) -> String {
        let (h, c, n) = (
            format!("h{depth}"),
            format!("c{depth}"),
            format!("n{depth}"),
        );
        exists(
            false,
            &format!(
                "pg_catalog.pg_inherits {h} JOIN pg_catalog.pg_class {c} ON {c}.oid = {h}.inhrelid JOIN pg_catalog.pg_namespace {n} ON {n}.oid = {c}.relnamespace"
            ),
            &[
                format!("{h}.inhparent = {rel}.oid AND {c}.relispartition"),
                format!(
                    "{n}.nspname = {} AND {c}.relname = {}",
                    lit(&name.schema),
                    lit(&name.name)
                ),
            ],
        )
    }
}
