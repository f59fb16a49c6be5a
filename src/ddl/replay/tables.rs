//! `CREATE TABLE` in the order `transformCreateStmt` and `DefineRelation` apply it: columns
//! from INHERITS parents, LIKE sources and the table's own (merged as `MergeAttributes`
//! does); serial and identity sequences; the table; inherited and own CHECK constraints;
//! index constraints (primary key first); LIKE's constraints and indexes; foreign keys.

use std::collections::BTreeSet;

use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::columns::ColumnBuild;
use super::constraints::{assign_set_columns, insert_constraint, Order, Pending, PendingKind};
use super::state::{is_index_backed, OtherRelation, Partitioning, TableState};
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::canon::{self, UserType};
use crate::ddl::parse::CreateTableStmt;
use crate::model::{Column, ConstraintKind, NoteKind, QualifiedName};

impl Apply<'_> {
    pub(crate) fn create_table(&mut self, stmt: CreateTableStmt) -> ReplayResult<Outcome> {
        let CreateTableStmt {
            table: ct,
            likes,
            cut,
            skipped,
        } = stmt;
        if ct.unlogged {
            // Persistence is not in the model (neither side compares it): say so.
            self.note(
                NoteKind::NotModelled,
                "UNLOGGED not modelled (whether a table is logged is not compared)",
            );
        }
        for (element, error) in &skipped {
            self.note(
                NoteKind::Unparsed,
                format!(
                    "could not parse the element `{element}` ({error}); it is missing, the rest of the table is applied"
                ),
            );
        }
        for clause in &cut.not_modelled {
            self.note(NoteKind::NotModelled, format!("{clause} not modelled"));
        }
        if ct.temporary {
            return Err(Fail::skipped("temporary tables are not part of the schema"));
        }
        let qn = self.state.creation_name(&ct.name, &self.path)?;
        if self.state.relation_taken(&qn.schema, &qn.name) {
            if ct.if_not_exists {
                // A classic migration bug: the table exists with another shape, and this
                // definition is silently ignored. Say which of its columns do not exist.
                let missing: Vec<String> = match self.state.tables.get(&qn) {
                    Some(t) => ct
                        .columns
                        .iter()
                        .map(|c| super::resolve::ident(&c.name))
                        .filter(|c| !t.has_column(c))
                        .collect(),
                    None => Vec::new(),
                };
                let detail = if missing.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the existing table lacks column(s) {} written here, which are not added",
                        missing.join(", ")
                    )
                };
                self.note(
                    NoteKind::Info,
                    format!("skipped: {qn} already exists (IF NOT EXISTS){detail}"),
                );
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "relation \"{}\" already exists",
                qn.name
            )));
        }
        if ct.query.is_some() {
            self.state.relations.insert(qn.clone());
            self.state
                .others
                .insert(qn.clone(), OtherRelation::OpaqueTable);
            self.state.types.insert(qn.clone(), UserType::Composite);
            self.note(
                NoteKind::NotModelled,
                format!("not modelled: the columns of {qn} come from a query"),
            );
            return Ok(Outcome::Noted);
        }
        if let Some(parent) = &ct.partition_of {
            return self.create_partition(qn, &ct, parent);
        }

        // Columns: the parents' (INHERITS) first, then LIKE sources' and own columns in
        // the order written (MergeAttributes).
        let mut builds: Vec<ColumnBuild> = Vec::new();
        let mut parents: Vec<QualifiedName> = Vec::new();
        for parent in ct.inherits.iter().flatten() {
            let pq = self.state.require_table(parent, &self.path)?;
            for build in self.parent_columns(&pq) {
                match builds
                    .iter_mut()
                    .find(|b| b.column.name == build.column.name)
                {
                    Some(existing) => existing.column.not_null |= build.column.not_null,
                    None => builds.push(build),
                }
            }
            parents.push(pq);
        }
        let mut likes = likes;
        likes.sort_by_key(|l| l.columns_before);
        let mut sources: Vec<(QualifiedName, Vec<String>)> = Vec::new();
        let mut pending_likes = likes.into_iter().peekable();
        for i in 0..=ct.columns.len() {
            while let Some(like) = pending_likes.next_if(|l| l.columns_before <= i) {
                let source = self.state.require_table(&like.source, &self.path)?;
                for build in self.like_columns(&source, &like.including) {
                    add_column_build(&mut builds, build, false)?;
                }
                sources.push((source, like.including));
            }
            if let Some(def) = ct.columns.get(i) {
                let build = self.build_column(&qn, def)?;
                add_column_build(&mut builds, build, true)?;
            }
        }
        // A `SEQUENCE NAME` belongs to the last column written before it.
        for (position, name) in cut.identity_sequences.clone() {
            let owner = builds
                .iter_mut()
                .filter(|b| b.position != (0, 0) && b.position <= position)
                .max_by_key(|b| b.position);
            if let Some(build) = owner {
                build.sequence_name = Some(name);
            }
        }
        self.finish_columns(&qn, &mut builds)?;

        let mut table = TableState::new(self.state.oid());
        for build in &builds {
            table.table.columns.push(build.column.clone());
            table
                .columns_src
                .insert(build.column.name.clone(), build.src.clone());
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

        // Inherited CHECK constraints come with the table, before its own.
        for parent in &parents {
            let checks = self.checks_of(parent, true);
            for name in checks {
                self.clone_check(parent, &name, &qn)?;
            }
        }
        let mut pending: Vec<Pending> = Vec::new();
        for build in &builds {
            for c in &build.constraints {
                let mut c = c.clone();
                c.position = build.position;
                pending.push(c);
            }
        }
        for (i, tc) in ct.constraints.iter().enumerate() {
            let mut p = Pending::from_table_constraint(tc)?;
            if p.position == (0, 0) {
                p.position = (u64::MAX, i as u64);
            }
            pending.push(p);
        }
        assign_set_columns(&mut pending, &cut.fk_set_columns);
        let (fks, rest): (Vec<Pending>, Vec<Pending>) =
            pending.into_iter().partition(|p| p.kind.is_foreign_key());
        self.add_constraints(&qn, rest, Order::CreateTable, false)?;
        // LIKE's constraints and indexes come after the table's own index constraints and
        // before its foreign keys (transformCreateStmt).
        for (source, including) in &sources {
            self.like_objects(source, &qn, including)?;
        }
        self.add_constraints(&qn, fks, Order::CreateTable, false)?;
        if !parents.is_empty() {
            self.note(
                NoteKind::Info,
                "INHERITS: the parents' columns and CHECK constraints are copied; the \
                 inheritance itself (and later changes to the parents) is not modelled",
            );
        }
        Ok(Outcome::Applied)
    }

    /// A parent's columns as an inheritance child gets them: type, NOT NULL, default,
    /// generation expression and collation, but not identity.
    fn parent_columns(&self, parent: &QualifiedName) -> Vec<ColumnBuild> {
        let t = &self.state.tables[parent];
        t.table
            .columns
            .iter()
            .map(|c| {
                let mut column = c.clone();
                column.identity = None;
                ColumnBuild {
                    src: t.columns_src.get(&c.name).cloned().unwrap_or_default(),
                    column,
                    serial: false,
                    constraints: Vec::new(),
                    position: (0, 0),
                    inherited: true,
                    sequence_name: None,
                }
            })
            .collect()
    }

    /// The CHECK constraints of `table` (in creation order), inheritable ones only when
    /// `inheritable`.
    pub(crate) fn checks_of(&self, table: &QualifiedName, inheritable: bool) -> Vec<String> {
        let t = &self.state.tables[table];
        let mut out: Vec<(u64, String)> = t
            .table
            .constraints
            .iter()
            .filter(|(_, c)| match &c.kind {
                ConstraintKind::Check(check) => !(inheritable && check.no_inherit),
                _ => false,
            })
            .map(|(n, _)| (t.constraint_oid(n).unwrap_or(0), n.clone()))
            .collect();
        out.sort();
        out.into_iter().map(|(_, n)| n).collect()
    }

    /// `LIKE source`: its columns with types, NOT NULL and collation; defaults, generation
    /// expressions and identity only when included.
    fn like_columns(&self, source: &QualifiedName, including: &[String]) -> Vec<ColumnBuild> {
        let has = |o: &str| including.iter().any(|i| i == o);
        let t = &self.state.tables[source];
        t.table
            .columns
            .iter()
            .map(|c| {
                let mut column = c.clone();
                let mut src = t.columns_src.get(&c.name).cloned().unwrap_or_default();
                if !has("DEFAULTS") {
                    column.default = None;
                    src.default = None;
                }
                if !has("GENERATED") {
                    column.generated = None;
                    src.generated = None;
                }
                if !has("IDENTITY") {
                    column.identity = None;
                }
                ColumnBuild {
                    column,
                    src,
                    serial: false,
                    constraints: Vec::new(),
                    position: (0, 0),
                    inherited: false,
                    sequence_name: None,
                }
            })
            .collect()
    }

    /// `LIKE … INCLUDING CONSTRAINTS / INDEXES`: CHECK constraints under their names, then
    /// indexes and index constraints under names chosen for the new table.
    fn like_objects(
        &mut self,
        source: &QualifiedName,
        target: &QualifiedName,
        including: &[String],
    ) -> ReplayResult<()> {
        let has = |o: &str| including.iter().any(|i| i == o);
        if has("CONSTRAINTS") {
            for name in self.checks_of(source, false) {
                let (c, meta) = {
                    let t = &self.state.tables[source];
                    (
                        t.table.constraints[&name].clone(),
                        t.constraints_meta[&name].clone(),
                    )
                };
                if let (ConstraintKind::Check(check), Some(src)) = (&c.kind, &meta.check) {
                    // expandTableLikeClause copies CHECK constraints as valid ones.
                    let p = Pending {
                        name: Some(name.clone()),
                        kind: PendingKind::Check {
                            expr: (*src.expr).clone(),
                            no_inherit: check.no_inherit,
                        },
                        deferrable: false,
                        initially_deferred: false,
                        not_valid: false,
                        position: (0, 0),
                    };
                    self.add_check(target, p, false)?;
                } else {
                    let mut meta = meta;
                    meta.oid = self.state.oid();
                    meta.parent = None;
                    insert_constraint(self.state, target, &name, c, meta);
                }
            }
        }
        if has("INDEXES") {
            let t = &self.state.tables[source];
            let mut objects: Vec<(u64, String)> = t
                .indexes_meta
                .iter()
                .map(|(n, m)| (m.oid, n.clone()))
                .chain(
                    t.table
                        .constraints
                        .iter()
                        .filter(|(_, c)| is_index_backed(&c.kind))
                        .map(|(n, _)| (t.constraint_oid(n).unwrap_or(0), n.clone())),
                )
                .collect();
            objects.sort();
            for (_, name) in objects {
                self.copy_index_like(source, &name, target, false)?;
            }
        }
        Ok(())
    }

    /// Serial and identity sequences (named at parse-analysis time, before the table
    /// exists), then defaults and generated expressions.
    pub(crate) fn finish_columns(
        &mut self,
        qn: &QualifiedName,
        builds: &mut [ColumnBuild],
    ) -> ReplayResult<()> {
        for build in builds.iter_mut() {
            if build.serial || build.column.identity.is_some() {
                let sequence = match &build.sequence_name {
                    Some(name) => self.create_named_sequence(qn, &build.column.name, name)?,
                    None => self.create_owned_sequence(qn, &build.column.name),
                };
                if build.serial {
                    let (src, text) = self.serial_default(qn, &sequence, &build.column.data_type);
                    build.src.default = Some(src);
                    build.column.default = Some(text);
                }
            }
        }
        let columns: Vec<Column> = builds.iter().map(|b| b.column.clone()).collect();
        for build in builds.iter_mut() {
            if !build.serial {
                self.render_column_exprs(qn, build, &columns);
            }
        }
        Ok(())
    }
}

/// Add a column to a table being defined: a column of the same name is an error, unless
/// it was inherited and this is the table's own definition of it (which merges).
fn add_column_build(
    builds: &mut Vec<ColumnBuild>,
    build: ColumnBuild,
    own: bool,
) -> ReplayResult<()> {
    match builds
        .iter_mut()
        .find(|b| b.column.name == build.column.name)
    {
        Some(existing) if own && existing.inherited => {
            existing.column.not_null |= build.column.not_null;
            if build.src.default.is_some() {
                existing.src.default = build.src.default;
                existing.column.default = None;
            }
            if build.column.collation.is_some() {
                existing.column.collation = build.column.collation;
            }
            existing.constraints.extend(build.constraints);
            existing.position = build.position;
            existing.serial |= build.serial;
            Ok(())
        }
        Some(_) => Err(Fail::new(format!(
            "column \"{}\" specified more than once",
            build.column.name
        ))),
        None => {
            builds.push(build);
            Ok(())
        }
    }
}

/// `PARTITION BY RANGE (a, lower(b))` as sqlparser reads it (a call of `RANGE`): the
/// strategy and the key expressions.
pub(crate) fn partition_spec(spec: &Expr) -> ReplayResult<(String, Vec<Expr>)> {
    let Expr::Function(f) = spec else {
        return Err(Fail::new(format!("cannot read partition key {spec}")));
    };
    let strategy = f.name.to_string().to_uppercase();
    if !matches!(strategy.as_str(), "RANGE" | "LIST" | "HASH") {
        return Err(Fail::new(format!(
            "unknown partitioning strategy {strategy}"
        )));
    }
    let FunctionArguments::List(list) = &f.args else {
        return Err(Fail::new(format!("cannot read partition key {spec}")));
    };
    let keys = list
        .args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e.clone()),
            other => Err(Fail::new(format!("cannot read partition key {other}"))),
        })
        .collect::<ReplayResult<Vec<Expr>>>()?;
    Ok((strategy, keys))
}

/// The columns a partition key uses (they cannot be dropped).
pub(crate) fn partition_key_columns(keys: &[Expr], columns: &[Column]) -> BTreeSet<String> {
    keys.iter()
        .flat_map(|k| super::render::expr_columns(k, columns))
        .collect()
}
