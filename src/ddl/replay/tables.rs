//! `CREATE TABLE` in the order `transformCreateStmt` and `DefineRelation` apply it: serial
//! and identity sequences first, then the table, its CHECK constraints, its index
//! constraints (primary key first) and its foreign keys.

use std::collections::BTreeSet;

use sqlparser::ast::{
    CreateTable, CreateTableLikeDefaults, CreateTableLikeKind, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments,
};

use super::columns::ColumnBuild;
use super::constraints::{Order, Pending};
use super::state::{OtherRelation, Partitioning, TableState};
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::canon::{self, UserType};
use crate::model::{Column, NoteKind, QualifiedName};

impl Apply<'_> {
    pub(crate) fn create_table(&mut self, ct: CreateTable) -> ReplayResult<Outcome> {
        if ct.temporary {
            return Err(Fail::skipped("temporary tables are not part of the schema"));
        }
        let qn = self.state.creation_name(&ct.name, &self.path)?;
        if self.state.relation_taken(&qn.schema, &qn.name) {
            if ct.if_not_exists {
                self.note(
                    NoteKind::Info,
                    format!("skipped: {qn} already exists (IF NOT EXISTS)"),
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
            self.state
                .types
                .types
                .insert(qn.clone(), UserType::Composite);
            self.note(
                NoteKind::NotModelled,
                format!("not modelled: the columns of {qn} come from a query"),
            );
            return Ok(Outcome::Noted);
        }
        if let Some(parent) = &ct.partition_of {
            return self.create_partition(qn, &ct, parent);
        }
        if let Some(inherits) = ct.inherits.as_ref().filter(|i| !i.is_empty()) {
            let parents: Vec<String> = inherits.iter().map(|p| p.to_string()).collect();
            self.note(
                NoteKind::NotModelled,
                format!(
                    "INHERITS ({}) not modelled: the inherited columns of {qn} are missing",
                    parents.join(", ")
                ),
            );
        }

        let mut builds: Vec<ColumnBuild> = Vec::new();
        if let Some(like) = &ct.like {
            builds.extend(self.like_columns(&qn, like)?);
        }
        for def in &ct.columns {
            let build = self.build_column(&qn, def)?;
            if builds.iter().any(|b| b.column.name == build.column.name) {
                return Err(Fail::new(format!(
                    "column \"{}\" specified more than once",
                    build.column.name
                )));
            }
            builds.push(build);
        }
        self.finish_columns(&qn, &mut builds);

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
        self.add_constraints(&qn, pending, Order::CreateTable, false)?;
        Ok(Outcome::Applied)
    }

    /// Serial and identity sequences (named at parse-analysis time, before the table
    /// exists), then defaults and generated expressions.
    pub(crate) fn finish_columns(&mut self, qn: &QualifiedName, builds: &mut [ColumnBuild]) {
        for build in builds.iter_mut() {
            if build.serial || build.column.identity.is_some() {
                let sequence = self.create_owned_sequence(qn, &build.column.name);
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
    }

    /// `LIKE source [INCLUDING DEFAULTS]`: the source's columns (types, NOT NULL, and
    /// defaults when asked); other `INCLUDING` options are not modelled.
    fn like_columns(
        &mut self,
        qn: &QualifiedName,
        like: &CreateTableLikeKind,
    ) -> ReplayResult<Vec<ColumnBuild>> {
        let like = match like {
            CreateTableLikeKind::Parenthesized(l) | CreateTableLikeKind::Plain(l) => l,
        };
        let source = self.state.require_table(&like.name, &self.path)?;
        let with_defaults = matches!(like.defaults, Some(CreateTableLikeDefaults::Including));
        let t = &self.state.tables[&source];
        let mut out = Vec::new();
        for column in &t.table.columns {
            let mut column = column.clone();
            let mut src = t.columns_src.get(&column.name).cloned().unwrap_or_default();
            column.identity = None;
            column.generated = None;
            src.generated = None;
            if !with_defaults {
                column.default = None;
                src.default = None;
            }
            out.push(ColumnBuild {
                column,
                src,
                serial: false,
                constraints: Vec::new(),
                position: (0, 0),
            });
        }
        self.note(
            NoteKind::Info,
            format!("LIKE {source}: columns copied into {qn}; only INCLUDING DEFAULTS is modelled"),
        );
        Ok(out)
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
#[allow(dead_code)]
pub(crate) fn partition_key_columns(keys: &[Expr], columns: &[Column]) -> BTreeSet<String> {
    keys.iter()
        .flat_map(|k| super::render::expr_columns(k, columns))
        .collect()
}
