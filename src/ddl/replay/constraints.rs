//! Table constraints as PostgreSQL creates them: implicit names (`t_col_check`, `t_pkey`,
//! `t_a_b_key`, `t_col_fkey`, `t_col_excl`) chosen against the schema's relation and
//! constraint names, PRIMARY KEY implying NOT NULL, `USING INDEX` turning an index into a
//! constraint, and everything cloned onto partitions. (Constraints as written: `pending`.)

use std::collections::BTreeSet;

pub(crate) use super::pending::{
    assign_set_columns, index_column_names, merge_index_constraints, Pending, PendingKind,
};
use super::render::{expr_columns, figure_colname};
use super::state::{ConstraintMeta, ExclusionSrc, ExprSrc, State};
use super::{Apply, Fail, ReplayResult};
use crate::model::naming::{choose_name, name_addition};
use crate::model::{
    Check, Constraint, ConstraintKind, Exclusion, IndexExpr, KeyConstraint, QualifiedName,
};

/// The order constraints of one statement are created in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// `CREATE TABLE`: CHECKs with the table, then index constraints, then foreign keys.
    CreateTable,
    /// `ALTER TABLE`: index constraints, then CHECKs and foreign keys in order.
    AlterTable,
}

impl Apply<'_> {
    /// Add constraints to `table` in the order PostgreSQL creates them.
    pub(crate) fn add_constraints(
        &mut self,
        table: &QualifiedName,
        mut pending: Vec<Pending>,
        order: Order,
        only: bool,
    ) -> ReplayResult<()> {
        pending.sort_by_key(|p| p.position);
        let (index_backed, other): (Vec<_>, Vec<_>) =
            pending.into_iter().partition(|p| p.kind.is_index_backed());
        let (checks, fks): (Vec<_>, Vec<_>) = other.into_iter().partition(|p| p.kind.is_check());
        if order == Order::CreateTable {
            for p in checks {
                self.add_check(table, p, only)?;
            }
            for p in merge_index_constraints(index_backed) {
                self.add_index_constraint(table, p, only)?;
            }
            for p in fks {
                self.add_foreign_key(table, p, only)?;
            }
        } else {
            for p in index_backed {
                self.add_index_constraint(table, p, only)?;
            }
            let mut rest: Vec<Pending> = checks.into_iter().chain(fks).collect();
            rest.sort_by_key(|p| p.position);
            for p in rest {
                if p.kind.is_check() {
                    self.add_check(table, p, only)?;
                } else {
                    self.add_foreign_key(table, p, only)?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn existing_name_check(
        &self,
        table: &QualifiedName,
        name: &str,
    ) -> ReplayResult<()> {
        if self.state.tables[table]
            .table
            .constraints
            .contains_key(name)
        {
            return Err(Fail::new(format!(
                "constraint \"{name}\" for relation \"{}\" already exists",
                table.name
            )));
        }
        Ok(())
    }

    pub(crate) fn add_check(
        &mut self,
        table: &QualifiedName,
        p: Pending,
        only: bool,
    ) -> ReplayResult<()> {
        let PendingKind::Check { expr, no_inherit } = p.kind else {
            return Ok(());
        };
        let t = &self.state.tables[table];
        let used = expr_columns(&expr, &t.table.columns);
        let name = match p.name {
            Some(name) => {
                self.existing_name_check(table, &name)?;
                name
            }
            None => {
                // AddRelationNewConstraints: the column's name when the expression uses
                // exactly one column, else just the table's.
                let column = (used.len() == 1)
                    .then(|| used.iter().next().cloned())
                    .flatten();
                let schema = table.schema.clone();
                choose_name(&table.name, column.as_deref(), "check", |n| {
                    self.state.constraint_taken(&schema, n)
                })
            }
        };
        let src = ExprSrc::new(expr, self.path.clone());
        let text = self.state.render_check(Some(table), &t.table.columns, &src);
        let mut constraint = Constraint::new(ConstraintKind::Check(Check {
            expression: text,
            no_inherit,
        }));
        constraint.validated = !p.not_valid;
        let oid = self.state.oid();
        let meta = ConstraintMeta {
            oid,
            columns: used,
            check: Some(src),
            exclusion: None,
            parent: None,
        };
        insert_constraint(self.state, table, &name, constraint, meta);
        if !only && !no_inherit {
            for child in self.state.partitions_of(table) {
                self.clone_check(table, &name, &child)?;
            }
        }
        Ok(())
    }

    pub(crate) fn add_index_constraint(
        &mut self,
        table: &QualifiedName,
        p: Pending,
        only: bool,
    ) -> ReplayResult<()> {
        let schema = table.schema.clone();
        let (kind, label, columns_for_name, used, exclusion, oid) = match &p.kind {
            PendingKind::UsingIndex { primary, index } => {
                return self.constraint_using_index(table, &p, *primary, index);
            }
            PendingKind::PrimaryKey { columns, include } => {
                self.require_columns(table, columns.iter().chain(include))?;
                if self.state.tables[table].table.primary_key().is_some() {
                    return Err(Fail::new(format!(
                        "multiple primary keys for table \"{}\" are not allowed",
                        table.name
                    )));
                }
                let kind = ConstraintKind::PrimaryKey(KeyConstraint {
                    columns: columns.clone(),
                    include: include.clone(),
                    nulls_not_distinct: false,
                });
                let names: Vec<String> = columns.iter().chain(include).cloned().collect();
                let used: BTreeSet<String> = names.iter().cloned().collect();
                (kind, "pkey", names, used, None, None)
            }
            PendingKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            } => {
                self.require_columns(table, columns.iter().chain(include))?;
                let kind = ConstraintKind::Unique(KeyConstraint {
                    columns: columns.clone(),
                    include: include.clone(),
                    nulls_not_distinct: *nulls_not_distinct,
                });
                let names: Vec<String> = columns.iter().chain(include).cloned().collect();
                let used: BTreeSet<String> = names.iter().cloned().collect();
                (kind, "key", names, used, None, None)
            }
            PendingKind::Exclusion {
                method,
                elements,
                include,
                predicate,
            } => {
                let src = ExclusionSrc {
                    method: method.clone(),
                    elements: elements.clone(),
                    include: include.clone(),
                    predicate: predicate.clone(),
                    search_path: self.path.clone(),
                };
                let (definition, used) = self.exclusion_definition(table, &src);
                let names: Vec<String> = elements
                    .iter()
                    .map(|(c, _)| {
                        figure_colname(&c.column.expr, self.state.version)
                            .unwrap_or_else(|| "expr".into())
                    })
                    .chain(include.iter().cloned())
                    .collect();
                let kind = ConstraintKind::Exclusion(Exclusion { definition });
                (kind, "excl", names, used, Some(src), None::<u64>)
            }
            _ => return Ok(()),
        };
        let name = match &p.name {
            Some(name) => {
                self.existing_name_check(table, name)?;
                if self.state.relation_taken(&schema, name) {
                    return Err(Fail::new(format!("relation \"{name}\" already exists")));
                }
                name.clone()
            }
            None => {
                let addition = match label {
                    "pkey" => None,
                    _ => Some(name_addition(&index_column_names(&columns_for_name))),
                };
                choose_name(&table.name, addition.as_deref(), label, |n| {
                    self.state.relation_taken(&schema, n) || self.state.constraint_taken(&schema, n)
                })
            }
        };
        let is_primary = label == "pkey";
        let mut constraint = Constraint::new(kind);
        constraint.deferrable = p.deferrable;
        constraint.initially_deferred = p.initially_deferred;
        let oid = oid.unwrap_or_else(|| self.state.oid());
        let meta = ConstraintMeta {
            oid,
            columns: used,
            check: None,
            exclusion: exclusion.map(Box::new),
            parent: None,
        };
        insert_constraint(self.state, table, &name, constraint, meta);
        self.state.register_index(table, &name);
        if is_primary {
            let columns = match &p.kind {
                PendingKind::PrimaryKey { columns, .. } => columns.clone(),
                _ => Vec::new(),
            };
            self.set_not_null(table, &columns);
        }
        if !only {
            for child in self.state.partitions_of(table) {
                self.clone_index_like(table, &name, &child)?;
            }
        }
        Ok(())
    }

    /// `ADD [CONSTRAINT c] {PRIMARY KEY | UNIQUE} USING INDEX i`: the index becomes the
    /// constraint, renamed to `c` when one is given.
    fn constraint_using_index(
        &mut self,
        table: &QualifiedName,
        p: &Pending,
        primary: bool,
        index_name: &str,
    ) -> ReplayResult<()> {
        let t = self
            .state
            .tables
            .get(table)
            .ok_or_else(|| Fail::new("table vanished"))?;
        let Some(index) = t.table.indexes.get(index_name).cloned() else {
            return Err(Fail::new(format!(
                "index \"{index_name}\" does not exist on {table}"
            )));
        };
        if !index.unique || index.predicate.is_some() {
            return Err(Fail::new(format!(
                "index \"{index_name}\" is not a plain unique index"
            )));
        }
        let mut columns = Vec::new();
        for key in &index.keys {
            match &key.expr {
                IndexExpr::Column(c) => columns.push(c.clone()),
                IndexExpr::Expression(_) => {
                    return Err(Fail::new(format!(
                        "index \"{index_name}\" contains expressions"
                    )))
                }
            }
        }
        if primary && t.table.primary_key().is_some() {
            return Err(Fail::new(format!(
                "multiple primary keys for table \"{}\" are not allowed",
                table.name
            )));
        }
        let meta = match self.state.tables.get_mut(table) {
            Some(mut t) => {
                t.table.indexes.remove(index_name);
                t.indexes_meta.remove(index_name)
            }
            None => None,
        };
        let key = KeyConstraint {
            columns: columns.clone(),
            include: index.include.clone(),
            nulls_not_distinct: index.nulls_not_distinct,
        };
        let kind = if primary {
            ConstraintKind::PrimaryKey(key)
        } else {
            ConstraintKind::Unique(key)
        };
        let mut constraint = Constraint::new(kind);
        constraint.deferrable = p.deferrable;
        constraint.initially_deferred = p.initially_deferred;
        let name = p.name.clone().unwrap_or_else(|| index_name.to_string());
        let oid = match &meta {
            Some(m) => m.oid,
            None => self.state.oid(),
        };
        let meta = ConstraintMeta {
            oid,
            columns: meta.map(|m| m.columns).unwrap_or_default(),
            check: None,
            exclusion: None,
            parent: None,
        };
        self.state.unregister_index(table, index_name);
        insert_constraint(self.state, table, &name, constraint, meta);
        self.state.register_index(table, &name);
        if primary {
            self.set_not_null(table, &columns);
        }
        Ok(())
    }

    /// The exclusion definition (`USING gist (room WITH =) WHERE (…)`) and its columns.
    pub(crate) fn exclusion_definition(
        &self,
        table: &QualifiedName,
        src: &ExclusionSrc,
    ) -> (String, BTreeSet<String>) {
        let t = &self.state.tables[table];
        let columns = &t.table.columns;
        let mut used = BTreeSet::new();
        let mut keys = Vec::new();
        for (element, op) in &src.elements {
            let (key, _, cols, _) =
                self.state
                    .index_key(table, columns, element, &src.method, &src.search_path);
            used.extend(cols);
            let index = crate::model::Index {
                unique: false,
                method: src.method.clone(),
                keys: vec![key],
                include: Vec::new(),
                predicate: None,
                nulls_not_distinct: false,
                storage_parameters: Vec::new(),
                inherited: false,
            };
            // Reuse the index renderer for one key: `CREATE INDEX x ON t USING m (key)`.
            let def = crate::model::index_definition(
                "x",
                crate::model::IndexTarget {
                    table,
                    partitioned: false,
                },
                &index,
                self.state.version,
            );
            let key_text = def
                .split_once(" (")
                .map(|(_, rest)| rest.strip_suffix(')').unwrap_or(rest).to_string())
                .unwrap_or_default();
            keys.push(format!("{key_text} WITH {op}"));
        }
        let mut out = format!("USING {} ({})", src.method, keys.join(", "));
        if !src.include.is_empty() {
            let v = self.state.version;
            let include: Vec<String> = src
                .include
                .iter()
                .map(|c| crate::model::quote_ident(c, v))
                .collect();
            out.push_str(&format!(" INCLUDE ({})", include.join(", ")));
            used.extend(src.include.iter().cloned());
        }
        if let Some(predicate) = &src.predicate {
            let psrc = ExprSrc::new(predicate.clone(), src.search_path.clone());
            used.extend(expr_columns(predicate, columns));
            // pg_get_constraintdef wraps an exclusion's predicate once more than
            // pg_get_indexdef does (`isConstraint` in pg_get_indexdef_worker).
            out.push_str(" WHERE (");
            out.push_str(&self.state.render_predicate(Some(table), columns, &psrc));
            out.push(')');
        }
        (out, used)
    }

    pub(crate) fn require_columns<'c>(
        &self,
        table: &QualifiedName,
        columns: impl Iterator<Item = &'c String>,
    ) -> ReplayResult<()> {
        let t = &self.state.tables[table];
        for c in columns {
            if !t.has_column(c) {
                return Err(Fail::new(format!(
                    "column \"{c}\" named in key does not exist in {table}"
                )));
            }
        }
        Ok(())
    }

    /// Mark columns NOT NULL on `table` and its partitions (a primary key does this).
    pub(crate) fn set_not_null(&mut self, table: &QualifiedName, columns: &[String]) {
        let mut targets = vec![table.clone()];
        targets.extend(self.state.all_partitions_of(table));
        for qn in targets {
            if let Some(mut t) = self.state.tables.get_mut(&qn) {
                for c in &mut t.table.columns {
                    if columns.contains(&c.name) {
                        c.not_null = true;
                    }
                }
            }
        }
    }
}

/// Put a constraint and its meta on a table (the relation name, for index-backed ones, is
/// registered by the caller).
pub(crate) fn insert_constraint(
    state: &mut State,
    table: &QualifiedName,
    name: &str,
    constraint: Constraint,
    meta: ConstraintMeta,
) {
    if let Some(mut t) = state.tables.get_mut(table) {
        t.table.constraints.insert(name.to_string(), constraint);
        t.constraints_meta.insert(name.to_string(), meta);
    }
}
