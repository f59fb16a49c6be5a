//! Declarative partitioning as PostgreSQL applies it: `CREATE TABLE … PARTITION OF`,
//! `ATTACH PARTITION` (the partition then gets its parent's objects: `partition_clone`),
//! `DETACH PARTITION` (what it inherited becomes its own), partition bounds, and the hidden
//! foreign key copies a new partition of a referenced table brings.

use sqlparser::ast::{CreateTable, Expr, ForValues, ObjectName};

use super::constraints::{Order, Pending};
use super::resolve::ident;
use super::state::{PartitionOf, Partitioning, TableState};
use super::tables::partition_spec;
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::canon;
use crate::model::{ConstraintKind, QualifiedName};

impl Apply<'_> {
    /// `CREATE TABLE name PARTITION OF parent [(column options, constraints)] FOR VALUES …`.
    pub(crate) fn create_partition(
        &mut self,
        qn: QualifiedName,
        ct: &CreateTable,
        parent_name: &ObjectName,
    ) -> ReplayResult<Outcome> {
        let parent = self.state.require_table(parent_name, &self.path)?;
        let bound = ct
            .for_values
            .clone()
            .ok_or_else(|| Fail::new("a partition needs FOR VALUES or DEFAULT"))?;
        let oid = self.state.oid();
        let p = &self.state.tables[&parent];
        if p.table.partition_by.is_none() {
            return Err(Fail::new(format!(
                "table \"{}\" is not partitioned",
                parent.name
            )));
        }
        let mut table = TableState::new(oid);
        table.table.columns = p.table.columns.clone();
        table.columns_src = p.columns_src.clone();
        let text = self.bound_text(&parent, &qn, &bound);
        table.partition_of = Some(PartitionOf {
            parent: parent.clone(),
            bound,
            search_path: self.path.clone(),
            text,
        });

        let mut pending: Vec<Pending> = Vec::new();
        for def in &ct.columns {
            let build = self.build_column(&qn, def)?;
            let name = build.column.name.clone();
            let Some(column) = table.table.column_mut(&name) else {
                return Err(Fail::new(format!("column \"{name}\" does not exist")));
            };
            column.not_null |= build.column.not_null;
            if let Some(src) = build.src.default.clone() {
                let text =
                    self.state
                        .render_default(Some(&qn), &[], &src, &column.data_type.clone());
                if let Some(column) = table.table.column_mut(&name) {
                    column.default = text;
                }
                table.columns_src.entry(name.clone()).or_default().default = Some(src);
            }
            for c in build.constraints {
                let mut c = c;
                c.position = build.position;
                pending.push(c);
            }
        }
        if let Some(spec) = &ct.partition_by {
            let (strategy, keys) = partition_spec(spec)?;
            let scope = self
                .state
                .scope(&self.path, Some(&qn), &table.table.columns);
            table.table.partition_by = Some(canon::partition_key(&strategy, &keys, &scope));
            table.partitioning = Some(Partitioning {
                strategy,
                keys,
                search_path: self.path.clone(),
            });
        }
        self.state.insert_table(qn.clone(), table);
        self.clone_parent_objects(&parent, &qn)?;
        self.reference_new_partition(&parent, &qn);
        for (i, tc) in ct.constraints.iter().enumerate() {
            let mut p = Pending::from_table_constraint(tc)?;
            if p.position == (0, 0) {
                p.position = (u64::MAX, i as u64);
            }
            pending.push(p);
        }
        self.add_constraints(&qn, pending, Order::CreateTable, false)?;
        Ok(Outcome::Applied)
    }

    /// `pg_get_expr(relpartbound)` of a partition of `parent`.
    fn bound_text(
        &self,
        parent: &QualifiedName,
        child: &QualifiedName,
        bound: &ForValues,
    ) -> String {
        let p = &self.state.tables[parent];
        let key_types: Vec<String> = p
            .partitioning
            .as_ref()
            .map(|part| {
                part.keys
                    .iter()
                    .map(|k| match k {
                        Expr::Identifier(id) => p
                            .table
                            .column(&ident(id))
                            .map(|c| c.data_type.clone())
                            .unwrap_or_default(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let scope = self.state.scope(&self.path, Some(child), &p.table.columns);
        canon::partition_bound(bound, &key_types, &scope)
    }

    /// `ALTER TABLE parent ATTACH PARTITION child FOR VALUES …`.
    pub(crate) fn attach_partition(
        &mut self,
        parent: &QualifiedName,
        partition: &ObjectName,
        bound: ForValues,
    ) -> ReplayResult<()> {
        let child = self.state.require_table(partition, &self.path)?;
        let p = &self.state.tables[parent];
        if p.table.partition_by.is_none() {
            return Err(Fail::new(format!(
                "table \"{}\" is not partitioned",
                parent.name
            )));
        }
        let c = &self.state.tables[&child];
        if c.partition_of.is_some() {
            return Err(Fail::new(format!(
                "\"{}\" is already a partition",
                child.name
            )));
        }
        for column in &p.table.columns {
            if !c.has_column(&column.name) {
                return Err(Fail::new(format!(
                    "table \"{}\" is missing column \"{}\" of the parent",
                    child.name, column.name
                )));
            }
        }
        let not_null: Vec<String> = p
            .table
            .columns
            .iter()
            .filter(|c| c.not_null)
            .map(|c| c.name.clone())
            .collect();
        let text = self.bound_text(parent, &child, &bound);
        let path = self.path.clone();
        if let Some(mut t) = self.state.tables.get_mut(&child) {
            t.partition_of = Some(PartitionOf {
                parent: parent.clone(),
                bound,
                search_path: path,
                text,
            });
            for c in &mut t.table.columns {
                if not_null.contains(&c.name) {
                    c.not_null = true;
                }
            }
        }
        self.clone_parent_objects(parent, &child)?;
        self.reference_new_partition(parent, &child);
        Ok(())
    }

    /// Foreign keys that reference `parent` get a hidden copy for a new partition of it
    /// (and for the partitions below that one).
    fn reference_new_partition(&mut self, parent: &QualifiedName, partition: &QualifiedName) {
        // Table by table, its visible foreign keys (by name) before its hidden copies (by
        // name), as a scan of the tables in name order finds them.
        let mut found: Vec<(QualifiedName, bool, String)> = Vec::new();
        let derived = self.state.tables.derived();
        for (qn, name) in derived.fks_referencing(parent) {
            found.push((qn, false, name));
        }
        for (qn, name) in derived.hidden_referencing(parent) {
            found.push((qn, true, name));
        }
        found.sort();
        let mut referencing: Vec<(QualifiedName, String, u64, Vec<String>)> = Vec::new();
        for (qn, hidden, name) in found {
            let Some(t) = self.state.tables.get(&qn) else {
                continue;
            };
            if hidden {
                if let Some(h) = t.hidden_fks.get(&name) {
                    referencing.push((qn, h.root_name.clone(), h.root, h.columns.clone()));
                }
            } else if let (Some(c), Some(meta)) = (
                t.table.constraints.get(&name),
                t.constraints_meta.get(&name),
            ) {
                if let ConstraintKind::ForeignKey(fk) = &c.kind {
                    if meta.parent.is_none() {
                        referencing.push((qn, name, meta.oid, fk.columns.clone()));
                    }
                }
            }
        }
        let mut targets = vec![partition.clone()];
        targets.extend(self.state.all_partitions_of(partition));
        for (table, root_name, root, columns) in referencing {
            for target in &targets {
                self.add_hidden_fk(&table, &root_name, root, target, &columns);
            }
        }
    }

    /// `ALTER TABLE parent DETACH PARTITION child`: what it inherited becomes its own.
    pub(crate) fn detach_partition(
        &mut self,
        parent: &QualifiedName,
        partition: &ObjectName,
    ) -> ReplayResult<()> {
        let child = self.state.require_table(partition, &self.path)?;
        let is_child = self
            .state
            .tables
            .get(&child)
            .is_some_and(|t| t.partition_of.as_ref().map(|p| &p.parent) == Some(parent));
        if !is_child {
            return Err(Fail::new(format!(
                "relation \"{}\" is not a partition of relation \"{}\"",
                child.name, parent.name
            )));
        }
        if let Some(mut t) = self.state.tables.get_mut(&child) {
            t.partition_of = None;
            for m in t.constraints_meta.values_mut() {
                m.parent = None;
            }
            for m in t.indexes_meta.values_mut() {
                m.parent = None;
            }
        }
        let mut detached = vec![child.clone()];
        detached.extend(self.state.all_partitions_of(&child));
        for partition in &detached {
            self.drop_hidden_fks_referencing(partition);
        }
        Ok(())
    }
}
