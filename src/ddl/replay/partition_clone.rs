//! What a partition gets from its parent, as PostgreSQL clones it: CHECK constraints
//! (merged with same-named ones), indexes and index constraints (an unattached matching one
//! is attached, as `AttachPartitionEnsureIndexes` does by `CompareIndexInfo`, else a new one
//! is named by `ChooseIndexName` on the partition), foreign keys (attached by
//! `tryAttachPartitionForeignKey`, else cloned under the parent's name).

use sqlparser::ast::ObjectName;

use super::constraints::{index_column_names, insert_constraint};
use super::render::figure_colname;
use super::state::is_index_backed;
use super::{Apply, Fail, ReplayResult};
use crate::model::naming::{choose_name, name_addition};
use crate::model::{Constraint, ConstraintKind, Index, IndexExpr, QualifiedName};

/// What `CompareIndexInfo` compares (ordering and names are not part of it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexSig {
    unique: bool,
    method: String,
    keys: Vec<(IndexExpr, Option<String>, Option<String>)>,
    include: Vec<String>,
    predicate: Option<String>,
    nulls_not_distinct: bool,
}

fn index_sig(index: &Index) -> IndexSig {
    IndexSig {
        unique: index.unique,
        method: index.method.clone(),
        keys: index
            .keys
            .iter()
            .map(|k| (k.expr.clone(), k.collation.clone(), k.opclass.clone()))
            .collect(),
        include: index.include.clone(),
        predicate: index.predicate.clone(),
        nulls_not_distinct: index.nulls_not_distinct,
    }
}

/// Exclusion constraints never match (`CompareIndexInfo` does not compare them).
fn constraint_sig(c: &Constraint) -> Option<IndexSig> {
    match &c.kind {
        ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => Some(IndexSig {
            unique: true,
            method: "btree".into(),
            keys: k
                .columns
                .iter()
                .map(|c| (IndexExpr::Column(c.clone()), None, None))
                .collect(),
            include: k.include.clone(),
            predicate: None,
            nulls_not_distinct: k.nulls_not_distinct,
        }),
        _ => None,
    }
}

impl Apply<'_> {
    /// Everything a new or attached partition gets from its parent, in PostgreSQL's order:
    /// CHECK constraints, then indexes in creation order, then foreign keys.
    pub(crate) fn clone_parent_objects(
        &mut self,
        parent: &QualifiedName,
        child: &QualifiedName,
    ) -> ReplayResult<()> {
        let p = &self.state.tables[parent];
        let mut checks: Vec<(u64, String)> = Vec::new();
        let mut index_like: Vec<(u64, String)> = Vec::new();
        let mut fks: Vec<(u64, String)> = Vec::new();
        for (name, c) in &p.table.constraints {
            let oid = p.constraint_oid(name).unwrap_or(0);
            match &c.kind {
                ConstraintKind::Check(check) if !check.no_inherit => {
                    checks.push((oid, name.clone()))
                }
                ConstraintKind::ForeignKey(_) => fks.push((oid, name.clone())),
                kind if is_index_backed(kind) => index_like.push((oid, name.clone())),
                _ => {}
            }
        }
        for (name, m) in &p.indexes_meta {
            index_like.push((m.oid, name.clone()));
        }
        checks.sort();
        index_like.sort();
        fks.sort();
        for (_, name) in checks {
            self.clone_check(parent, &name, child)?;
        }
        for (_, name) in index_like {
            self.clone_index_like(parent, &name, child)?;
        }
        for (_, name) in fks {
            self.clone_fk(parent, &name, child)?;
        }
        Ok(())
    }

    /// The parent's CHECK `name` on `child`: merged with a same-named one, else copied.
    pub(crate) fn clone_check(
        &mut self,
        parent: &QualifiedName,
        name: &str,
        child: &QualifiedName,
    ) -> ReplayResult<()> {
        let p = &self.state.tables[parent];
        let (Some(c), Some(meta)) = (p.table.constraints.get(name), p.constraints_meta.get(name))
        else {
            return Ok(());
        };
        let (c, mut meta) = (c.clone(), meta.clone());
        let parent_oid = meta.oid;
        let t = &self.state.tables[child];
        match t.table.constraints.get(name) {
            Some(existing) if matches!(existing.kind, ConstraintKind::Check(_)) => {
                if let Some(mut t) = self.state.tables.get_mut(child) {
                    if let Some(m) = t.constraints_meta.get_mut(name) {
                        m.parent = Some(parent_oid);
                    }
                }
            }
            Some(_) => {
                return Err(Fail::new(format!(
                    "constraint \"{name}\" of \"{}\" conflicts with the parent's CHECK",
                    child.name
                )))
            }
            None => {
                meta.oid = self.state.oid();
                meta.parent = Some(parent_oid);
                insert_constraint(self.state, child, name, c, meta);
            }
        }
        for grandchild in self.state.partitions_of(child) {
            self.clone_check(child, name, &grandchild)?;
        }
        Ok(())
    }

    /// The parent's index or index constraint `name` on `child`: an unattached matching one
    /// is attached, else a new one is created and named on the partition.
    pub(crate) fn clone_index_like(
        &mut self,
        parent: &QualifiedName,
        name: &str,
        child: &QualifiedName,
    ) -> ReplayResult<()> {
        let p = &self.state.tables[parent];
        let (parent_oid, is_constraint, sig) = if let Some(index) = p.table.indexes.get(name) {
            (p.indexes_meta[name].oid, false, Some(index_sig(index)))
        } else if let Some(c) = p.table.constraints.get(name) {
            (p.constraints_meta[name].oid, true, constraint_sig(c))
        } else {
            return Ok(());
        };
        let t = &self.state.tables[child];
        let already = if is_constraint {
            t.constraints_meta
                .iter()
                .find(|(_, m)| m.parent == Some(parent_oid))
                .map(|(n, _)| n.clone())
        } else {
            t.indexes_meta
                .iter()
                .find(|(_, m)| m.parent == Some(parent_oid))
                .map(|(n, _)| n.clone())
        };
        let matched = already.or_else(|| {
            let sig = sig.as_ref()?;
            let mut candidates: Vec<(u64, String)> = if is_constraint {
                t.table
                    .constraints
                    .iter()
                    .filter(|(n, c)| {
                        t.constraints_meta[*n].parent.is_none()
                            && constraint_sig(c).as_ref() == Some(sig)
                    })
                    .map(|(n, _)| (t.constraints_meta[n].oid, n.clone()))
                    .collect()
            } else {
                t.table
                    .indexes
                    .iter()
                    .filter(|(n, i)| t.indexes_meta[*n].parent.is_none() && &index_sig(i) == sig)
                    .map(|(n, _)| (t.indexes_meta[n].oid, n.clone()))
                    .collect()
            };
            candidates.sort();
            let (_, found) = candidates.into_iter().next()?;
            Some(found)
        });
        let child_name = match matched {
            Some(found) => {
                if let Some(mut t) = self.state.tables.get_mut(child) {
                    if is_constraint {
                        if let Some(m) = t.constraints_meta.get_mut(&found) {
                            m.parent = Some(parent_oid);
                        }
                    } else if let Some(m) = t.indexes_meta.get_mut(&found) {
                        m.parent = Some(parent_oid);
                    }
                }
                found
            }
            None => self.copy_index_like(parent, name, child, true)?,
        };
        for grandchild in self.state.partitions_of(child) {
            self.clone_index_like(child, &child_name, &grandchild)?;
        }
        Ok(())
    }

    /// A new index (or index constraint) on `child` copied from `parent`'s `name`, named by
    /// `ChooseIndexName` on `child`; `link` makes it the parent's partition index (else it
    /// is a `LIKE … INCLUDING INDEXES` copy).
    pub(crate) fn copy_index_like(
        &mut self,
        parent: &QualifiedName,
        name: &str,
        child: &QualifiedName,
        link: bool,
    ) -> ReplayResult<String> {
        let p = &self.state.tables[parent];
        let is_constraint = !p.table.indexes.contains_key(name);
        let version = self.state.version;
        let schema = child.schema.clone();
        if is_constraint {
            let c = p.table.constraints[name].clone();
            let mut meta = p.constraints_meta[name].clone();
            let (label, names) = match &c.kind {
                ConstraintKind::PrimaryKey(k) => (
                    "pkey",
                    k.columns.iter().chain(&k.include).cloned().collect(),
                ),
                ConstraintKind::Unique(k) => {
                    ("key", k.columns.iter().chain(&k.include).cloned().collect())
                }
                _ => {
                    let names: Vec<String> = meta
                        .exclusion
                        .as_ref()
                        .map(|ex| {
                            ex.elements
                                .iter()
                                .map(|(e, _)| {
                                    figure_colname(&e.column.expr, version)
                                        .unwrap_or_else(|| "expr".into())
                                })
                                .chain(ex.include.iter().cloned())
                                .collect()
                        })
                        .unwrap_or_default();
                    ("excl", names)
                }
            };
            let addition = (label != "pkey").then(|| name_addition(&index_column_names(&names)));
            let new_name = choose_name(&child.name, addition.as_deref(), label, |n| {
                self.state.relation_taken(&schema, n) || self.state.constraint_taken(&schema, n)
            });
            meta.parent = link.then_some(meta.oid);
            meta.oid = self.state.oid();
            let key_columns = match &c.kind {
                ConstraintKind::PrimaryKey(k) => Some(k.columns.clone()),
                _ => None,
            };
            insert_constraint(self.state, child, &new_name, c, meta);
            self.state.register_index(child, &new_name);
            if let Some(columns) = key_columns {
                self.set_not_null(child, &columns);
            }
            Ok(new_name)
        } else {
            let index = p.table.indexes[name].clone();
            let mut meta = p.indexes_meta[name].clone();
            let names: Vec<String> = index
                .keys
                .iter()
                .zip(&meta.key_exprs)
                .map(|(k, src)| match (&k.expr, src) {
                    (IndexExpr::Column(c), _) => c.clone(),
                    (IndexExpr::Expression(_), Some(src)) => {
                        figure_colname(&src.expr, version).unwrap_or_else(|| "expr".into())
                    }
                    (IndexExpr::Expression(_), None) => "expr".into(),
                })
                .chain(index.include.iter().cloned())
                .collect();
            let new_name = choose_name(
                &child.name,
                Some(&name_addition(&index_column_names(&names))),
                "idx",
                |n| self.state.relation_taken(&schema, n),
            );
            meta.parent = link.then_some(meta.oid);
            meta.oid = self.state.oid();
            meta.only = false;
            if let Some(mut t) = self.state.tables.get_mut(child) {
                t.table.indexes.insert(new_name.clone(), index);
                t.indexes_meta.insert(new_name.clone(), meta);
            }
            self.state.register_index(child, &new_name);
            Ok(new_name)
        }
    }

    /// The parent's foreign key `name` on `child`: an equivalent one is attached, else it
    /// is cloned under the parent's name (another one if the partition uses that name).
    pub(crate) fn clone_fk(
        &mut self,
        parent: &QualifiedName,
        name: &str,
        child: &QualifiedName,
    ) -> ReplayResult<()> {
        let p = &self.state.tables[parent];
        let (Some(c), Some(meta)) = (p.table.constraints.get(name), p.constraints_meta.get(name))
        else {
            return Ok(());
        };
        let (c, mut meta) = (c.clone(), meta.clone());
        let ConstraintKind::ForeignKey(fk) = &c.kind else {
            return Ok(());
        };
        let parent_oid = meta.oid;
        let t = &self.state.tables[child];
        if t.constraints_meta
            .values()
            .any(|m| m.parent == Some(parent_oid))
        {
            return Ok(());
        }
        let mut candidates: Vec<(u64, String)> = t
            .table
            .constraints
            .iter()
            .filter(|(n, other)| {
                let m = &t.constraints_meta[*n];
                m.parent.is_none()
                    && other.validated
                    && other.deferrable == c.deferrable
                    && other.initially_deferred == c.initially_deferred
                    && matches!(&other.kind, ConstraintKind::ForeignKey(o)
                        if o.columns == fk.columns
                            && o.referenced_table == fk.referenced_table
                            && o.referenced_columns == fk.referenced_columns
                            && o.on_update == fk.on_update
                            && o.on_delete == fk.on_delete
                            && o.match_type == fk.match_type)
            })
            .map(|(n, _)| (t.constraints_meta[n].oid, n.clone()))
            .collect();
        candidates.sort();
        let child_name = if let Some((_, found)) = candidates.into_iter().next() {
            if let Some(mut t) = self.state.tables.get_mut(child) {
                if let Some(m) = t.constraints_meta.get_mut(&found) {
                    m.parent = Some(parent_oid);
                }
            }
            found
        } else {
            let new_name = if t.table.constraints.contains_key(name) {
                let schema = child.schema.clone();
                choose_name(
                    &child.name,
                    Some(&name_addition(&fk.columns)),
                    "fkey",
                    |n| self.state.constraint_taken(&schema, n),
                )
            } else {
                name.to_string()
            };
            meta.parent = Some(parent_oid);
            meta.oid = self.state.oid();
            insert_constraint(self.state, child, &new_name, c, meta);
            new_name
        };
        for grandchild in self.state.partitions_of(child) {
            self.clone_fk(child, &child_name, &grandchild)?;
        }
        Ok(())
    }

    /// `ALTER INDEX parent ATTACH PARTITION child`.
    pub(crate) fn attach_index(
        &mut self,
        parent_index: &QualifiedName,
        parent_table: &QualifiedName,
        child_name: &ObjectName,
    ) -> ReplayResult<()> {
        let (child_index, child_table) = self
            .state
            .lookup_index(child_name, &self.path)
            .ok_or_else(|| Fail::new(format!("index \"{child_name}\" does not exist")))?;
        let is_partition = self.state.tables.get(&child_table).is_some_and(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| &p.parent == parent_table)
        });
        if !is_partition {
            return Err(Fail::new(format!(
                "\"{}\" is not an index of a partition of {parent_table}",
                child_index.name
            )));
        }
        let p = &self.state.tables[parent_table];
        let parent_oid = p
            .indexes_meta
            .get(&parent_index.name)
            .map(|m| m.oid)
            .or_else(|| p.constraints_meta.get(&parent_index.name).map(|m| m.oid))
            .ok_or_else(|| Fail::new("parent index vanished"))?;
        let parent_is_constraint = p.constraints_meta.contains_key(&parent_index.name);
        let mut t = self
            .state
            .tables
            .get_mut(&child_table)
            .ok_or_else(|| Fail::new("partition vanished"))?;
        if let Some(m) = t.indexes_meta.get_mut(&child_index.name) {
            if parent_is_constraint {
                return Err(Fail::new(format!(
                    "index \"{}\" backs no constraint, as its parent does",
                    child_index.name
                )));
            }
            m.parent = Some(parent_oid);
        } else if let Some(m) = t.constraints_meta.get_mut(&child_index.name) {
            m.parent = Some(parent_oid);
        }
        Ok(())
    }
}
