//! Indexes over the replay state that answer, without scanning every table, what
//! PostgreSQL finds through its catalog indexes: whether a constraint name is taken in a
//! schema (`ChooseConstraintName`), which foreign keys reference a table (`pg_constraint`
//! by `confrelid`), the partitions of a table (`pg_inherits`), the sequences a table owns
//! and the indexes of a relation (`pg_depend`). Each follows its map through `Derive`.

use std::collections::{BTreeMap, BTreeSet};

use super::journal::Derive;
use super::state::{SequenceState, TableState};
use crate::model::{ConstraintKind, QualifiedName};

/// Add one to a count, allocating the key only when it is new.
fn bump(counts: &mut BTreeMap<String, usize>, name: &str) {
    match counts.get_mut(name) {
        Some(n) => *n += 1,
        None => {
            counts.insert(name.to_string(), 1);
        }
    }
}

fn add_to<K: Ord + Clone, T: Ord>(index: &mut BTreeMap<K, BTreeSet<T>>, key: &K, item: T) {
    match index.get_mut(key) {
        Some(set) => {
            set.insert(item);
        }
        None => {
            index.insert(key.clone(), BTreeSet::from([item]));
        }
    }
}

fn remove_from<K: Ord, T: Ord>(index: &mut BTreeMap<K, BTreeSet<T>>, key: &K, item: &T) {
    if let Some(set) = index.get_mut(key) {
        set.remove(item);
        if set.is_empty() {
            index.remove(key);
        }
    }
}

/// What the replay asks of all tables at once.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableIndex {
    /// schema → constraint name → how many tables have a constraint (or hidden foreign
    /// key) of that name. Counts may fall to zero and stay.
    constraint_names: BTreeMap<String, BTreeMap<String, usize>>,
    /// referenced table → (referencing table, constraint) of every visible foreign key.
    fk_refs: BTreeMap<QualifiedName, BTreeSet<(QualifiedName, String)>>,
    /// referenced partition → (referencing table, name) of every hidden foreign key copy.
    hidden_refs: BTreeMap<QualifiedName, BTreeSet<(QualifiedName, String)>>,
    /// parent → (oid, partition) of its direct partitions.
    children: BTreeMap<QualifiedName, BTreeSet<(u64, QualifiedName)>>,
}

impl TableIndex {
    /// Does any table of `schema` have a constraint or hidden foreign key named `name`?
    pub fn constraint_taken(&self, schema: &str, name: &str) -> bool {
        self.constraint_names
            .get(schema)
            .and_then(|names| names.get(name))
            .is_some_and(|n| *n > 0)
    }

    /// `(table, constraint)` of the visible foreign keys that reference `table`.
    pub fn fks_referencing(&self, table: &QualifiedName) -> Vec<(QualifiedName, String)> {
        self.fk_refs
            .get(table)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// `(table, name)` of the hidden foreign key copies that reference `partition`.
    pub fn hidden_referencing(&self, partition: &QualifiedName) -> Vec<(QualifiedName, String)> {
        self.hidden_refs
            .get(partition)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The tables whose `partition_of` names `parent`, by creation order.
    pub fn children_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        self.children
            .get(parent)
            .map(|s| s.iter().map(|(_, qn)| qn.clone()).collect())
            .unwrap_or_default()
    }
}

impl Derive<QualifiedName, TableState> for TableIndex {
    fn add(&mut self, qn: &QualifiedName, t: &TableState) {
        if !self.constraint_names.contains_key(&qn.schema) {
            self.constraint_names
                .insert(qn.schema.clone(), BTreeMap::new());
        }
        if let Some(names) = self.constraint_names.get_mut(&qn.schema) {
            for name in t.table.constraints.keys().chain(t.hidden_fks.keys()) {
                bump(names, name);
            }
        }
        for (name, c) in &t.table.constraints {
            if let ConstraintKind::ForeignKey(fk) = &c.kind {
                add_to(
                    &mut self.fk_refs,
                    &fk.referenced_table,
                    (qn.clone(), name.clone()),
                );
            }
        }
        for (name, h) in &t.hidden_fks {
            add_to(
                &mut self.hidden_refs,
                &h.referenced,
                (qn.clone(), name.clone()),
            );
        }
        if let Some(p) = &t.partition_of {
            add_to(&mut self.children, &p.parent, (t.oid, qn.clone()));
        }
    }

    fn remove(&mut self, qn: &QualifiedName, t: &TableState) {
        if let Some(names) = self.constraint_names.get_mut(&qn.schema) {
            for name in t.table.constraints.keys().chain(t.hidden_fks.keys()) {
                if let Some(n) = names.get_mut(name) {
                    *n = n.saturating_sub(1);
                }
            }
        }
        for (name, c) in &t.table.constraints {
            if let ConstraintKind::ForeignKey(fk) = &c.kind {
                remove_from(
                    &mut self.fk_refs,
                    &fk.referenced_table,
                    &(qn.clone(), name.clone()),
                );
            }
        }
        for (name, h) in &t.hidden_fks {
            remove_from(
                &mut self.hidden_refs,
                &h.referenced,
                &(qn.clone(), name.clone()),
            );
        }
        if let Some(p) = &t.partition_of {
            remove_from(&mut self.children, &p.parent, &(t.oid, qn.clone()));
        }
    }
}

/// Owned sequences by the table that owns them.
#[derive(Debug, Clone, Default)]
pub(crate) struct SequenceIndex {
    by_table: BTreeMap<QualifiedName, BTreeSet<QualifiedName>>,
}

impl SequenceIndex {
    pub fn owned_by(&self, table: &QualifiedName) -> Vec<QualifiedName> {
        self.by_table
            .get(table)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Derive<QualifiedName, SequenceState> for SequenceIndex {
    fn add(&mut self, qn: &QualifiedName, s: &SequenceState) {
        if let Some((table, _)) = &s.owned_by {
            add_to(&mut self.by_table, table, qn.clone());
        }
    }

    fn remove(&mut self, qn: &QualifiedName, s: &SequenceState) {
        if let Some((table, _)) = &s.owned_by {
            remove_from(&mut self.by_table, table, qn);
        }
    }
}

/// Indexes by the relation they are on.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnerIndex {
    by_owner: BTreeMap<QualifiedName, BTreeSet<QualifiedName>>,
}

impl OwnerIndex {
    pub fn indexes_of(&self, owner: &QualifiedName) -> Vec<QualifiedName> {
        self.by_owner
            .get(owner)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Derive<QualifiedName, QualifiedName> for OwnerIndex {
    fn add(&mut self, index: &QualifiedName, owner: &QualifiedName) {
        add_to(&mut self.by_owner, owner, index.clone());
    }

    fn remove(&mut self, index: &QualifiedName, owner: &QualifiedName) {
        remove_from(&mut self.by_owner, owner, index);
    }
}
