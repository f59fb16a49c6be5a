//! Foreign keys: implicit names (`t_col_fkey`), the referenced table's primary key when no
//! columns are given, cloning onto partitions, and the hidden per-partition copies
//! PostgreSQL keeps on the referencing table when the referenced table is partitioned
//! (they take constraint names: `t_a_fkey1` … up to 17, `t_a_fkey_1` … from 18).

use super::constraints::{insert_constraint, Pending, PendingKind};
use super::state::ConstraintMeta;
use super::{Apply, Fail, ReplayResult};
use crate::model::naming::{choose_name, make_object_name, name_addition};
use crate::model::{Constraint, ConstraintKind, ForeignKey, QualifiedName};

impl Apply<'_> {
    pub(crate) fn add_foreign_key(
        &mut self,
        table: &QualifiedName,
        p: Pending,
        only: bool,
    ) -> ReplayResult<()> {
        let PendingKind::ForeignKey {
            columns,
            table: target,
            referenced,
            on_delete,
            on_update,
            match_type,
            set_columns,
        } = p.kind
        else {
            return Ok(());
        };
        self.require_columns(table, columns.iter())?;
        let referenced_table = self.state.require_table(&target, &self.path)?;
        let referenced = if referenced.is_empty() {
            match self.state.tables[&referenced_table].table.primary_key() {
                Some((_, key)) => key.columns.clone(),
                None => {
                    return Err(Fail::new(format!(
                        "there is no primary key for referenced table \"{}\"",
                        referenced_table.name
                    )))
                }
            }
        } else {
            referenced
        };
        if referenced.len() != columns.len() {
            return Err(Fail::new(
                "number of referencing and referenced columns for foreign key disagree",
            ));
        }
        let name = match p.name {
            Some(name) => {
                self.existing_name_check(table, &name)?;
                name
            }
            None => {
                let schema = table.schema.clone();
                choose_name(&table.name, Some(&name_addition(&columns)), "fkey", |n| {
                    self.state.constraint_taken(&schema, n)
                })
            }
        };
        let mut constraint = Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
            columns: columns.clone(),
            referenced_table,
            referenced_columns: referenced,
            on_update,
            on_delete,
            on_delete_set_columns: set_columns,
            match_type,
        }));
        constraint.deferrable = p.deferrable;
        constraint.initially_deferred = p.initially_deferred;
        constraint.validated = !p.not_valid;
        let oid = self.state.oid();
        let meta = ConstraintMeta {
            oid,
            columns: columns.iter().cloned().collect(),
            check: None,
            exclusion: None,
            parent: None,
        };
        let target = match &constraint.kind {
            ConstraintKind::ForeignKey(fk) => fk.referenced_table.clone(),
            _ => QualifiedName::new("", ""),
        };
        insert_constraint(self.state, table, &name, constraint, meta);
        for partition in self.state.all_partitions_of(&target) {
            self.add_hidden_fk(table, &name, oid, &partition, &columns);
        }
        if !only {
            for child in self.state.partitions_of(table) {
                self.clone_fk(table, &name, &child)?;
            }
        }
        Ok(())
    }

    /// Take the name PostgreSQL gives the hidden copy of foreign key `root_name` (of
    /// `table`) for `partition` of the table it references: `ChooseConstraintName(table,
    /// columns, "fkey")` up to 17, `root_name_N` from 18.
    pub(crate) fn add_hidden_fk(
        &mut self,
        table: &QualifiedName,
        root_name: &str,
        root: u64,
        partition: &QualifiedName,
        columns: &[String],
    ) {
        let schema = table.schema.clone();
        let name = if self.state.version.major() >= 18 {
            (1..)
                .map(|n| make_object_name(root_name, None, Some(&n.to_string())))
                .find(|n| !self.state.constraint_taken(&schema, n))
                .unwrap_or_default()
        } else {
            choose_name(&table.name, Some(&name_addition(columns)), "fkey", |n| {
                self.state.constraint_taken(&schema, n)
            })
        };
        if let Some(mut t) = self.state.tables.get_mut(table) {
            t.hidden_fks.insert(
                name,
                super::state::HiddenFk {
                    root,
                    root_name: root_name.to_string(),
                    referenced: partition.clone(),
                    columns: columns.to_vec(),
                },
            );
        }
    }
}
