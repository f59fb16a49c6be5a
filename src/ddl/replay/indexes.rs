//! `CREATE INDEX` (implicit names by `ChooseIndexName`: `t_col_idx`, `t_lower_idx`,
//! `t_expr_idx`; recursion into partitions unless `ON ONLY`) and `ALTER INDEX` (rename, which
//! renames a backing constraint too; `ATTACH PARTITION`).

use std::collections::BTreeSet;

use super::constraints::index_column_names;
use super::render::{expr_columns, figure_colname, storage_parameters};
use super::resolve::{ident, idents, split_name, written};
use super::state::{ExprSrc, IndexMeta, OtherRelation};
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::{AlterIndexAction, AlterIndexStmt, CreateIndexStmt};
use crate::model::naming::{choose_name, name_addition};
use crate::model::{Index, NoteKind, QualifiedName};

impl Apply<'_> {
    pub(crate) fn create_index(&mut self, stmt: CreateIndexStmt) -> ReplayResult<Outcome> {
        for clause in &stmt.not_modelled {
            self.note(NoteKind::NotModelled, format!("{clause} not modelled"));
        }
        let ci = stmt.index;
        let explicit = match &ci.name {
            Some(name) => Some(split_name(name)?.1),
            None => None,
        };
        let Some(table) = self.state.lookup_table(&ci.table_name, &self.path) else {
            let mut names: Vec<String> = ci
                .columns
                .iter()
                .map(|c| {
                    let mut e = &c.column.expr;
                    while let sqlparser::ast::Expr::Nested(inner)
                    | sqlparser::ast::Expr::Collate { expr: inner, .. } = e
                    {
                        e = inner;
                    }
                    figure_colname(e, self.state.version).unwrap_or_else(|| "expr".into())
                })
                .collect();
            names.extend(idents(&ci.include));
            return self.index_on_other_relation(
                &ci.table_name,
                explicit,
                &names,
                ci.if_not_exists,
            );
        };
        if let Some(name) = &explicit {
            if self.state.relation_taken(&table.schema, name) {
                if ci.if_not_exists {
                    self.note(
                        NoteKind::Info,
                        format!("skipped: relation \"{name}\" already exists (IF NOT EXISTS)"),
                    );
                    return Ok(Outcome::Applied);
                }
                return Err(Fail::new(format!("relation \"{name}\" already exists")));
            }
        }
        let method = ci
            .using
            .as_ref()
            .map(|m| m.to_string().to_lowercase())
            .unwrap_or_else(|| "btree".into());
        let t = &self.state.tables[&table];
        let columns = &t.table.columns;
        let mut keys = Vec::new();
        let mut key_exprs = Vec::new();
        let mut collations = Vec::new();
        let mut used = BTreeSet::new();
        let mut names = Vec::new();
        for (position, key) in ci.columns.iter().enumerate() {
            let (mut k, src, cols, collation) = self
                .state
                .index_key(&table, columns, key, &method, &self.path);
            if let Some((_, options)) = stmt.opclass_options.iter().find(|(p, _)| *p == position) {
                k.opclass = super::opclass::with_options(k.opclass, key, options);
            }
            names.push(match (&k.expr, &src) {
                (crate::model::IndexExpr::Column(c), _) => c.clone(),
                (_, Some(src)) => {
                    figure_colname(&src.expr, self.state.version).unwrap_or_else(|| "expr".into())
                }
                _ => "expr".into(),
            });
            keys.push(k);
            key_exprs.push(src);
            collations.push(collation);
            used.extend(cols);
        }
        let include = idents(&ci.include);
        for c in &include {
            if !t.has_column(c) {
                return Err(Fail::new(format!("column \"{c}\" does not exist")));
            }
        }
        for k in &keys {
            if let crate::model::IndexExpr::Column(c) = &k.expr {
                if !t.has_column(c) {
                    return Err(Fail::new(format!("column \"{c}\" does not exist")));
                }
            }
        }
        used.extend(include.iter().cloned());
        names.extend(include.iter().cloned());
        let predicate_src = ci
            .predicate
            .as_ref()
            .map(|p| ExprSrc::new(p.clone(), self.path.clone()));
        let predicate = predicate_src.as_ref().map(|src| {
            used.extend(expr_columns(&src.expr, columns));
            self.state.render_predicate(Some(&table), columns, src)
        });
        let index = Index {
            unique: ci.unique,
            method,
            keys,
            include,
            predicate,
            nulls_not_distinct: ci.nulls_distinct == Some(false),
            storage_parameters: storage_parameters(&ci.with),
            inherited: false,
        };
        let schema = table.schema.clone();
        let name = explicit.unwrap_or_else(|| {
            choose_name(
                &table.name,
                Some(&name_addition(&index_column_names(&names))),
                "idx",
                |n| self.state.relation_taken(&schema, n),
            )
        });
        let partitioned = t.table.partition_by.is_some();
        let meta = IndexMeta {
            oid: self.state.oid(),
            columns: used,
            key_exprs,
            collations,
            predicate: predicate_src,
            parent: None,
            only: stmt.only,
        };
        if let Some(mut t) = self.state.tables.get_mut(&table) {
            t.table.indexes.insert(name.clone(), index);
            t.indexes_meta.insert(name.clone(), meta);
        }
        self.state.register_index(&table, &name);
        if partitioned && !stmt.only {
            for child in self.state.partitions_of(&table) {
                self.clone_index_like(&table, &name, &child)?;
            }
        }
        Ok(Outcome::Applied)
    }

    /// An index on a materialized view (or anything else pgdrift does not model): only its
    /// name is tracked.
    fn index_on_other_relation(
        &mut self,
        relation: &sqlparser::ast::ObjectName,
        explicit: Option<String>,
        key_names: &[String],
        if_not_exists: bool,
    ) -> ReplayResult<Outcome> {
        let owner = self
            .state
            .lookup(relation, &self.path, |qn| {
                self.state.others.contains_key(qn)
            })
            .ok_or_else(|| {
                Fail::new(format!("relation \"{}\" does not exist", written(relation)))
            })?;
        let schema = owner.schema.clone();
        let name = match explicit {
            Some(name) => {
                if self.state.relation_taken(&schema, &name) {
                    if if_not_exists {
                        return Ok(Outcome::Applied);
                    }
                    return Err(Fail::new(format!("relation \"{name}\" already exists")));
                }
                name
            }
            None => choose_name(
                &owner.name,
                Some(&name_addition(&index_column_names(key_names))),
                "idx",
                |n| self.state.relation_taken(&schema, n),
            ),
        };
        self.state.register_index(&owner, &name);
        let what = match self.state.others.get(&owner) {
            Some(OtherRelation::MaterializedView) => "a materialized view",
            _ => "a relation pgdrift does not model",
        };
        self.note(
            NoteKind::NotModelled,
            format!("not modelled: index on {what} ({owner}); its name is tracked"),
        );
        Ok(Outcome::Noted)
    }

    pub(crate) fn alter_index(&mut self, stmt: AlterIndexStmt) -> ReplayResult<Outcome> {
        let Some((index, owner)) = self.state.lookup_index(&stmt.name, &self.path) else {
            if stmt.if_exists {
                self.note(
                    NoteKind::Info,
                    format!("skipped: index \"{}\" does not exist", written(&stmt.name)),
                );
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "index \"{}\" does not exist",
                written(&stmt.name)
            )));
        };
        match stmt.action {
            AlterIndexAction::Rename(new) => {
                let new = ident(&new);
                self.rename_index(&index, &owner, &new)?;
            }
            AlterIndexAction::SetSchema(_) => {
                return Err(Fail::new("an index moves only with its table"));
            }
            AlterIndexAction::AttachPartition(child) => {
                self.attach_index(&index, &owner, &child)?;
            }
            AlterIndexAction::Other(words) => {
                self.note(NoteKind::NotModelled, format!("{words} not modelled"));
                return Ok(Outcome::Noted);
            }
        }
        Ok(Outcome::Applied)
    }

    /// Drop an index (with the partition indexes attached to it).
    pub(crate) fn drop_index(&mut self, table: &QualifiedName, name: &str) {
        let Some(oid) = self.state.tables[table]
            .indexes_meta
            .get(name)
            .map(|m| m.oid)
        else {
            return;
        };
        if let Some(mut t) = self.state.tables.get_mut(table) {
            t.table.indexes.remove(name);
            t.indexes_meta.remove(name);
        }
        self.state.unregister_index(table, name);
        for child in self.state.partitions_of(table) {
            let attached = self.state.tables[&child]
                .indexes_meta
                .iter()
                .find(|(_, m)| m.parent == Some(oid))
                .map(|(n, _)| n.clone());
            if let Some(n) = attached {
                self.drop_index(&child, &n);
            }
        }
    }
}
