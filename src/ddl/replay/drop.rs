//! `DROP` of every kind, with what PostgreSQL drops along: a table's indexes, constraints,
//! owned sequences and partitions; with `CASCADE` the foreign keys of other tables that
//! reference it; a column's indexes and constraints; a schema's objects.

use std::collections::BTreeSet;

use sqlparser::ast::{ArrayElemTypeDef, DataType};

use super::resolve::written;
use super::state::{is_index_backed, OtherRelation, State};
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::{DropKind, DropStmt};
use crate::model::{ConstraintKind, NoteKind, QualifiedName};

/// Whether a declared type names `target` (directly or as an array element).
pub(crate) fn type_refers(
    state: &State,
    data_type: &DataType,
    path: &[String],
    target: &QualifiedName,
) -> bool {
    match data_type {
        DataType::Custom(name, _) => state.lookup(name, path, |qn| qn == target).is_some(),
        DataType::Array(
            ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::Parenthesis(inner)
            | ArrayElemTypeDef::Qualified(inner, _),
        ) => type_refers(state, inner, path, target),
        _ => false,
    }
}

impl Apply<'_> {
    pub(crate) fn drop(&mut self, stmt: DropStmt) -> ReplayResult<Outcome> {
        let mut outcome = Outcome::Applied;
        for name in &stmt.names {
            let missing = |apply: &mut Apply<'_>, what: &str| -> ReplayResult<()> {
                if stmt.if_exists {
                    apply.note(
                        NoteKind::Info,
                        format!("skipped: {what} \"{}\" does not exist", written(name)),
                    );
                    Ok(())
                } else {
                    Err(Fail::new(format!(
                        "{what} \"{}\" does not exist",
                        written(name)
                    )))
                }
            };
            match stmt.kind {
                DropKind::Table => match self.state.lookup_table(name, &self.path) {
                    Some(qn) => self.drop_table(&qn, stmt.cascade),
                    None => {
                        let other = self.state.lookup(name, &self.path, |qn| {
                            self.state.others.get(qn) == Some(&OtherRelation::OpaqueTable)
                        });
                        match other {
                            Some(qn) => self.drop_other_relation(&qn),
                            None => missing(self, "table")?,
                        }
                    }
                },
                DropKind::Index => match self.state.lookup_index(name, &self.path) {
                    Some((index, owner)) => self.drop_index_stmt(&index, &owner)?,
                    None => missing(self, "index")?,
                },
                DropKind::Sequence => match self.state.lookup_sequence(name, &self.path) {
                    Some(qn) => {
                        self.state.sequences.remove(&qn);
                        self.state.relations.remove(&qn);
                    }
                    None => missing(self, "sequence")?,
                },
                DropKind::View | DropKind::MaterializedView => {
                    let kind = if stmt.kind == DropKind::View {
                        OtherRelation::View
                    } else {
                        OtherRelation::MaterializedView
                    };
                    let found = self.state.lookup(name, &self.path, |qn| {
                        self.state.others.get(qn) == Some(&kind)
                    });
                    match found {
                        Some(qn) => {
                            self.drop_other_relation(&qn);
                            if stmt.cascade {
                                self.drop_dependent_views(&qn);
                            }
                        }
                        None => missing(self, "view")?,
                    }
                }
                DropKind::Type | DropKind::Domain => match self.state.lookup_type(name, &self.path)
                {
                    Some(qn) if !self.state.tables.contains_key(&qn) => {
                        self.drop_type(&qn, stmt.cascade)?
                    }
                    Some(qn) => {
                        return Err(Fail::new(format!(
                            "{qn} is a table's row type; drop the table instead"
                        )))
                    }
                    None => missing(self, "type")?,
                },
                DropKind::Schema => {
                    let schema = super::resolve::split_name(name)?.1;
                    if self.state.schemas.contains(&schema) {
                        self.drop_schema(&schema, stmt.cascade)?;
                    } else {
                        missing(self, "schema")?;
                    }
                }
                DropKind::Function | DropKind::Procedure | DropKind::Aggregate => {
                    let found = self
                        .state
                        .lookup(name, &self.path, |qn| self.state.functions.contains_key(qn));
                    if let Some(qn) = found {
                        self.state.functions.remove(&qn);
                        self.state.function_ddl.remove(&qn);
                    }
                    outcome = Outcome::Noted;
                }
                DropKind::Extension => {
                    let extension = super::resolve::split_name(name)?.1;
                    self.drop_extension(&extension);
                    outcome = Outcome::Noted;
                }
                DropKind::Other => outcome = Outcome::Noted,
            }
        }
        if outcome == Outcome::Noted {
            self.note(NoteKind::NotModelled, "not modelled");
        }
        Ok(outcome)
    }

    fn drop_index_stmt(
        &mut self,
        index: &QualifiedName,
        owner: &QualifiedName,
    ) -> ReplayResult<()> {
        let Some(t) = self.state.tables.get(owner) else {
            self.state.relations.remove(index);
            self.state.index_owner.remove(index);
            return Ok(());
        };
        if t.table.constraints.contains_key(&index.name) {
            return Err(Fail::new(format!(
                "cannot drop index {} because constraint {} on table {} requires it",
                index.name, index.name, owner.name
            )));
        }
        if t.indexes_meta
            .get(&index.name)
            .is_some_and(|m| m.parent.is_some())
        {
            return Err(Fail::new(format!(
                "cannot drop index {}: it is attached to an index of the parent table",
                index.name
            )));
        }
        self.drop_index(owner, &index.name);
        Ok(())
    }

    /// A view, materialized view, composite type or opaque table, with its indexes.
    fn drop_other_relation(&mut self, qn: &QualifiedName) {
        self.state.others.remove(qn);
        self.state.view_mentions.remove(qn);
        self.state.relations.remove(qn);
        self.state.types.remove(qn);
        for i in self.state.index_owner.derived().indexes_of(qn) {
            self.state.index_owner.remove(&i);
            self.state.relations.remove(&i);
        }
    }

    /// Drop a table with its partitions, owned sequences and the foreign keys that
    /// reference it.
    pub(crate) fn drop_table(&mut self, qn: &QualifiedName, cascade: bool) {
        for child in self.state.partitions_of(qn) {
            self.drop_table(&child, true);
        }
        if cascade {
            self.drop_dependent_views(qn);
        }
        self.drop_fks_referencing(qn, None, cascade, qn);
        self.drop_owned_sequences(qn, None);
        self.state.remove_table(qn);
        self.drop_hidden_fks_referencing(qn);
    }

    /// The hidden foreign key copies that reference `partition` go with it.
    pub(crate) fn drop_hidden_fks_referencing(&mut self, partition: &QualifiedName) {
        for (table, name) in self.state.tables.derived().hidden_referencing(partition) {
            if let Some(mut t) = self.state.tables.get_mut(&table) {
                t.hidden_fks.remove(&name);
            }
        }
    }

    /// With `CASCADE`, the views whose query names `relation` go too (and views on those).
    /// Which relation a view really uses is not known statically: a view is taken as
    /// dependent when its query mentions the relation's name.
    fn drop_dependent_views(&mut self, relation: &QualifiedName) {
        let dependents: Vec<QualifiedName> = self
            .state
            .view_mentions
            .iter()
            .filter(|(view, mentions)| *view != relation && mentions.contains(&relation.name))
            .map(|(view, _)| view.clone())
            .collect();
        for view in dependents {
            if self.state.others.contains_key(&view) {
                self.drop_other_relation(&view);
                self.drop_dependent_views(&view);
            }
        }
    }

    /// Drop the foreign keys (of tables other than `except`) that reference `target`,
    /// restricted to those using one of `columns` when given.
    fn drop_fks_referencing(
        &mut self,
        target: &QualifiedName,
        columns: Option<&BTreeSet<String>>,
        cascade: bool,
        except: &QualifiedName,
    ) {
        let mut found: Vec<(QualifiedName, String)> = Vec::new();
        for (qn, name) in self.state.tables.derived().fks_referencing(target) {
            if &qn == except {
                continue;
            }
            let Some(t) = self.state.tables.get(&qn) else {
                continue;
            };
            if let Some(ConstraintKind::ForeignKey(fk)) =
                t.table.constraints.get(&name).map(|c| &c.kind)
            {
                let uses = match columns {
                    None => true,
                    Some(cols) => fk.referenced_columns.iter().any(|c| cols.contains(c)),
                };
                let inherited = t
                    .constraints_meta
                    .get(&name)
                    .is_some_and(|m| m.parent.is_some());
                if uses && !inherited {
                    found.push((qn, name));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        if !cascade {
            let list: Vec<String> = found.iter().map(|(t, n)| format!("{n} on {t}")).collect();
            self.note(
                NoteKind::Info,
                format!(
                    "PostgreSQL needs CASCADE here: {} depend(s) on {target}; dropped with it",
                    list.join(", ")
                ),
            );
        }
        for (table, name) in found {
            if self
                .state
                .tables
                .get(&table)
                .is_some_and(|t| t.table.constraints.contains_key(&name))
            {
                let _ = self.drop_constraint(&table, &name, true);
            }
        }
    }

    pub(crate) fn drop_owned_sequences(&mut self, table: &QualifiedName, column: Option<&str>) {
        let owned: Vec<QualifiedName> = self
            .state
            .sequences
            .derived()
            .owned_by(table)
            .into_iter()
            .filter(|q| {
                self.state.sequences.get(q).is_some_and(|s| {
                    s.owned_by
                        .as_ref()
                        .is_some_and(|(_, c)| column.is_none_or(|col| col == c))
                })
            })
            .collect();
        for seq in owned {
            self.state.sequences.remove(&seq);
            self.state.relations.remove(&seq);
        }
    }

    /// Drop a column with the indexes and constraints that use it, on the table and its
    /// partitions.
    pub(crate) fn drop_column(
        &mut self,
        table: &QualifiedName,
        column: &str,
        cascade: bool,
    ) -> ReplayResult<()> {
        let t = &self.state.tables[table];
        if let Some(p) = &t.partitioning {
            let used = super::tables::partition_key_columns(&p.keys, &t.table.columns);
            if used.contains(column) {
                return Err(Fail::new(format!(
                    "cannot drop column \"{column}\" because it is part of the partition key"
                )));
            }
        }
        // Generated columns computed from this one go with it (CASCADE is required).
        let generated: Vec<String> = t
            .columns_src
            .iter()
            .filter(|(name, src)| {
                name.as_str() != column
                    && src.generated.as_ref().is_some_and(|g| {
                        super::render::expr_columns(&g.expr, &t.table.columns).contains(column)
                    })
            })
            .map(|(n, _)| n.clone())
            .collect();
        let constraints: Vec<String> = t
            .constraints_meta
            .iter()
            .filter(|(_, m)| m.columns.contains(column))
            .map(|(n, _)| n.clone())
            .collect();
        let indexes: Vec<String> = t
            .indexes_meta
            .iter()
            .filter(|(_, m)| m.columns.contains(column))
            .map(|(n, _)| n.clone())
            .collect();
        if !generated.is_empty() && !cascade {
            self.note(
                NoteKind::Info,
                format!(
                    "PostgreSQL needs CASCADE here: generated column(s) {} use \"{column}\"; dropped with it",
                    generated.join(", ")
                ),
            );
        }
        for name in generated {
            if self.state.tables[table].has_column(&name) {
                self.drop_column(table, &name, true)?;
            }
        }
        for name in constraints {
            if self.state.tables[table]
                .table
                .constraints
                .contains_key(&name)
            {
                self.drop_constraint(table, &name, cascade)?;
            }
        }
        let column_set = BTreeSet::from([column.to_string()]);
        self.drop_fks_referencing(
            table,
            Some(&column_set),
            cascade,
            &QualifiedName::new("", ""),
        );
        for name in indexes {
            if self.state.tables[table].table.indexes.contains_key(&name) {
                self.drop_index(table, &name);
            }
        }
        if let Some(mut t) = self.state.tables.get_mut(table) {
            t.table.columns.retain(|c| c.name != column);
            t.columns_src.remove(column);
        }
        self.drop_owned_sequences(table, Some(column));
        for child in self.state.partitions_of(table) {
            if self.state.tables[&child].has_column(column) {
                self.drop_column(&child, column, cascade)?;
            }
        }
        Ok(())
    }

    /// Drop a constraint, its inherited copies on partitions, and (for a key) the foreign
    /// keys that reference it.
    pub(crate) fn drop_constraint(
        &mut self,
        table: &QualifiedName,
        name: &str,
        cascade: bool,
    ) -> ReplayResult<()> {
        let t = &self.state.tables[table];
        let Some(c) = t.table.constraints.get(name).cloned() else {
            return Ok(());
        };
        let oid = t.constraint_oid(name);
        if let ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) = &c.kind {
            let key: BTreeSet<String> = k.columns.iter().cloned().collect();
            let mut found = Vec::new();
            for (qn, n) in self.state.tables.derived().fks_referencing(table) {
                let fk = self
                    .state
                    .tables
                    .get(&qn)
                    .and_then(|other| other.table.constraints.get(&n))
                    .map(|oc| &oc.kind);
                if let Some(ConstraintKind::ForeignKey(fk)) = fk {
                    let refs: BTreeSet<String> = fk.referenced_columns.iter().cloned().collect();
                    if refs == key {
                        found.push((qn, n));
                    }
                }
            }
            if !found.is_empty() && !cascade {
                let list: Vec<String> = found.iter().map(|(t, n)| format!("{n} on {t}")).collect();
                self.note(
                    NoteKind::Info,
                    format!(
                        "PostgreSQL needs CASCADE here: {} depend(s) on {name}; dropped with it",
                        list.join(", ")
                    ),
                );
            }
            for (qn, n) in found {
                if self
                    .state
                    .tables
                    .get(&qn)
                    .is_some_and(|t| t.table.constraints.contains_key(&n))
                {
                    self.drop_constraint(&qn, &n, true)?;
                }
            }
        }
        if let Some(mut t) = self.state.tables.get_mut(table) {
            t.table.constraints.remove(name);
            t.constraints_meta.remove(name);
            if let Some(oid) = oid {
                t.hidden_fks.retain(|_, h| h.root != oid);
            }
        }
        if is_index_backed(&c.kind) {
            self.state.unregister_index(table, name);
        }
        if let Some(oid) = oid {
            for child in self.state.partitions_of(table) {
                let copy = self.state.tables[&child]
                    .constraints_meta
                    .iter()
                    .find(|(_, m)| m.parent == Some(oid))
                    .map(|(n, _)| n.clone());
                if let Some(n) = copy {
                    self.drop_constraint(&child, &n, cascade)?;
                }
            }
        }
        Ok(())
    }

    /// Drop a type or domain; with `CASCADE`, the columns of that type go too.
    fn drop_type(&mut self, qn: &QualifiedName, cascade: bool) -> ReplayResult<()> {
        let mut users: Vec<(QualifiedName, String)> = Vec::new();
        for (tq, t) in &self.state.tables {
            if t.partition_of.is_some() {
                continue;
            }
            for (col, src) in &t.columns_src {
                if let Some(dt) = &src.data_type {
                    if type_refers(self.state, dt, &src.type_path, qn) {
                        users.push((tq.clone(), col.clone()));
                    }
                }
            }
        }
        if !users.is_empty() {
            if !cascade {
                let list: Vec<String> = users.iter().map(|(t, c)| format!("{t}.{c}")).collect();
                return Err(Fail::new(format!(
                    "cannot drop type {qn} because {} use(s) it",
                    list.join(", ")
                )));
            }
            for (table, column) in users {
                if self
                    .state
                    .tables
                    .get(&table)
                    .is_some_and(|t| t.has_column(&column))
                {
                    self.drop_column(&table, &column, true)?;
                }
            }
        }
        if self.state.others.get(qn) == Some(&OtherRelation::CompositeType) {
            self.drop_other_relation(qn);
        }
        self.state.types.remove(qn);
        self.state.enums.remove(qn);
        self.state.domain_constraints.retain(|_, owner| owner != qn);
        Ok(())
    }

    fn drop_schema(&mut self, schema: &str, cascade: bool) -> ReplayResult<()> {
        let in_schema = |qn: &QualifiedName| qn.schema == schema;
        let tables: Vec<QualifiedName> = self
            .state
            .tables
            .keys()
            .filter(|q| in_schema(q))
            .cloned()
            .collect();
        let nonempty = !tables.is_empty()
            || self.state.relations.iter().any(in_schema)
            || self.state.types.types.keys().any(in_schema)
            || self.state.functions.keys().any(in_schema);
        if nonempty && !cascade {
            return Err(Fail::new(format!(
                "cannot drop schema {schema} because other objects depend on it"
            )));
        }
        for qn in tables {
            if self.state.tables.contains_key(&qn) {
                self.drop_table(&qn, true);
            }
        }
        let types: Vec<QualifiedName> = self
            .state
            .types
            .types
            .keys()
            .filter(|q| in_schema(q))
            .cloned()
            .collect();
        for qn in types {
            self.drop_type(&qn, true)?;
        }
        self.state.others.retain(|q, _| !in_schema(q));
        self.state.view_mentions.retain(|q, _| !in_schema(q));
        self.state.sequences.retain(|q, _| !in_schema(q));
        self.state.relations.retain(|q| !in_schema(q));
        self.state.index_owner.retain(|q, _| !in_schema(q));
        self.state.functions.retain(|q, _| !in_schema(q));
        self.state.function_ddl.retain(|q, _| !in_schema(q));
        self.state.schemas.remove(schema);
        Ok(())
    }
}
