//! Table constraints as PostgreSQL creates them: implicit names (`t_col_check`, `t_pkey`,
//! `t_a_b_key`, `t_col_fkey`, `t_col_excl`) chosen against the schema's relation and
//! constraint names, PRIMARY KEY implying NOT NULL, `USING INDEX` turning an index into a
//! constraint, duplicate index constraints merged as `transformIndexConstraints` does, and
//! everything cloned onto partitions.

use std::collections::BTreeSet;

use sqlparser::ast::{
    ColumnOption, ConstraintCharacteristics, ConstraintReferenceMatchKind, DeferrableInitial,
    ExcludeConstraintOperator, Expr, Ident, IndexColumn, NullsDistinctOption, ObjectName,
    ReferentialAction, Spanned, TableConstraint,
};

use super::render::{expr_columns, figure_colname};
use super::resolve::{ident, idents};
use super::state::{ConstraintMeta, ExclusionSrc, ExprSrc, State};
use super::{Apply, Fail, ReplayResult};
use crate::model::naming::{
    choose_name, clip_bytes, make_object_name, name_addition, MAX_IDENTIFIER_BYTES,
};
use crate::model::{
    Check, Constraint, ConstraintKind, Exclusion, FkAction, ForeignKey, IndexExpr, KeyConstraint,
    MatchType, QualifiedName,
};

/// A constraint read from a statement, not yet given a name or added.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pending {
    pub name: Option<String>,
    pub kind: PendingKind,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub not_valid: bool,
    /// Where it is written: constraints of one `CREATE TABLE` are added in text order.
    pub position: (u64, u64),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PendingKind {
    PrimaryKey {
        columns: Vec<String>,
        include: Vec<String>,
    },
    Unique {
        columns: Vec<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
    },
    /// `ADD [CONSTRAINT c] {PRIMARY KEY | UNIQUE} USING INDEX i`.
    UsingIndex {
        primary: bool,
        index: String,
    },
    ForeignKey {
        columns: Vec<String>,
        table: ObjectName,
        referenced: Vec<String>,
        on_delete: FkAction,
        on_update: FkAction,
        match_type: MatchType,
    },
    Check {
        expr: Expr,
        no_inherit: bool,
    },
    Exclusion {
        method: String,
        elements: Vec<(IndexColumn, String)>,
        include: Vec<String>,
        predicate: Option<Expr>,
    },
}

impl PendingKind {
    pub fn is_check(&self) -> bool {
        matches!(self, PendingKind::Check { .. })
    }

    pub fn is_foreign_key(&self) -> bool {
        matches!(self, PendingKind::ForeignKey { .. })
    }

    pub fn is_index_backed(&self) -> bool {
        !self.is_check() && !self.is_foreign_key()
    }
}

fn characteristics(c: &Option<ConstraintCharacteristics>) -> (bool, bool) {
    let Some(c) = c else {
        return (false, false);
    };
    let deferred = matches!(c.initially, Some(DeferrableInitial::Deferred));
    // INITIALLY DEFERRED implies DEFERRABLE.
    (c.deferrable.unwrap_or(deferred), deferred)
}

fn action(a: &Option<ReferentialAction>) -> FkAction {
    match a {
        None | Some(ReferentialAction::NoAction) => FkAction::NoAction,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
    }
}

fn match_type(m: &Option<ConstraintReferenceMatchKind>) -> MatchType {
    match m {
        Some(ConstraintReferenceMatchKind::Full) => MatchType::Full,
        Some(ConstraintReferenceMatchKind::Partial) => MatchType::Partial,
        _ => MatchType::Simple,
    }
}

/// Key columns of a UNIQUE / PRIMARY KEY constraint: plain column names only.
fn key_columns(columns: &[IndexColumn]) -> ReplayResult<Vec<String>> {
    columns
        .iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(id) => Ok(ident(id)),
            other => Err(Fail::new(format!(
                "a key constraint needs column names, not {other}"
            ))),
        })
        .collect()
}

fn name_of(explicit: Option<&Ident>, inner: &Option<Ident>) -> Option<String> {
    explicit.or(inner.as_ref()).map(ident)
}

impl Pending {
    fn new(
        name: Option<String>,
        kind: PendingKind,
        c: &Option<ConstraintCharacteristics>,
    ) -> Pending {
        let (deferrable, initially_deferred) = characteristics(c);
        Pending {
            name,
            kind,
            deferrable,
            initially_deferred,
            not_valid: false,
            position: (0, 0),
        }
    }

    /// A table constraint (`CONSTRAINT x UNIQUE (a, b)`, `FOREIGN KEY …`, `CHECK (…)` …).
    pub fn from_table_constraint(tc: &TableConstraint) -> ReplayResult<Pending> {
        let start = tc.span().start;
        let mut pending = match tc {
            TableConstraint::PrimaryKey(pk) => Pending::new(
                pk.name.as_ref().map(ident),
                PendingKind::PrimaryKey {
                    columns: key_columns(&pk.columns)?,
                    include: idents(&pk.include),
                },
                &pk.characteristics,
            ),
            TableConstraint::Unique(u) => Pending::new(
                u.name.as_ref().map(ident),
                PendingKind::Unique {
                    columns: key_columns(&u.columns)?,
                    include: idents(&u.include),
                    nulls_not_distinct: u.nulls_distinct == NullsDistinctOption::NotDistinct,
                },
                &u.characteristics,
            ),
            TableConstraint::ForeignKey(fk) => Pending::new(
                fk.name.as_ref().map(ident),
                PendingKind::ForeignKey {
                    columns: idents(&fk.columns),
                    table: fk.foreign_table.clone(),
                    referenced: idents(&fk.referred_columns),
                    on_delete: action(&fk.on_delete),
                    on_update: action(&fk.on_update),
                    match_type: match_type(&fk.match_kind),
                },
                &fk.characteristics,
            ),
            TableConstraint::Check(c) => Pending::new(
                c.name.as_ref().map(ident),
                PendingKind::Check {
                    expr: (*c.expr).clone(),
                    no_inherit: c.no_inherit,
                },
                &None,
            ),
            TableConstraint::PrimaryKeyUsingIndex(c) | TableConstraint::UniqueUsingIndex(c) => {
                Pending::new(
                    c.name.as_ref().map(ident),
                    PendingKind::UsingIndex {
                        primary: matches!(tc, TableConstraint::PrimaryKeyUsingIndex(_)),
                        index: ident(&c.index_name),
                    },
                    &c.characteristics,
                )
            }
            TableConstraint::Exclude(e) => Pending::new(
                e.name.as_ref().map(ident),
                PendingKind::Exclusion {
                    method: e
                        .index_method
                        .as_ref()
                        .map(ident)
                        .unwrap_or_else(|| "btree".into()),
                    elements: e
                        .elements
                        .iter()
                        .map(|el| (el.column.clone(), operator_text(&el.operator)))
                        .collect(),
                    include: idents(&e.include),
                    predicate: e.where_clause.as_ref().map(|w| (**w).clone()),
                },
                &e.characteristics,
            ),
            other => return Err(Fail::new(format!("{other} is not a PostgreSQL constraint"))),
        };
        pending.position = (start.line, start.column);
        Ok(pending)
    }

    /// An inline column constraint (`a int PRIMARY KEY`, `REFERENCES t`, `CHECK (…)`).
    pub fn from_column_option(
        column: &str,
        name: Option<&Ident>,
        option: &ColumnOption,
    ) -> ReplayResult<Option<Pending>> {
        let columns = vec![column.to_string()];
        Ok(Some(match option {
            ColumnOption::PrimaryKey(pk) => Pending::new(
                name_of(name, &pk.name),
                PendingKind::PrimaryKey {
                    columns,
                    include: Vec::new(),
                },
                &pk.characteristics,
            ),
            ColumnOption::Unique(u) => Pending::new(
                name_of(name, &u.name),
                PendingKind::Unique {
                    columns,
                    include: Vec::new(),
                    nulls_not_distinct: u.nulls_distinct == NullsDistinctOption::NotDistinct,
                },
                &u.characteristics,
            ),
            ColumnOption::ForeignKey(fk) => Pending::new(
                name_of(name, &fk.name),
                PendingKind::ForeignKey {
                    columns,
                    table: fk.foreign_table.clone(),
                    referenced: idents(&fk.referred_columns),
                    on_delete: action(&fk.on_delete),
                    on_update: action(&fk.on_update),
                    match_type: match_type(&fk.match_kind),
                },
                &fk.characteristics,
            ),
            ColumnOption::Check(c) => Pending::new(
                name_of(name, &c.name),
                PendingKind::Check {
                    expr: (*c.expr).clone(),
                    no_inherit: c.no_inherit,
                },
                &None,
            ),
            _ => return Ok(None),
        }))
    }
}

/// An exclusion operator as `pg_get_constraintdef` prints it (`=`, `&&`, or
/// `OPERATOR(schema.op)` for one outside `pg_catalog`).
fn operator_text(op: &ExcludeConstraintOperator) -> String {
    match op {
        ExcludeConstraintOperator::Token(t) => t.clone(),
        ExcludeConstraintOperator::PGOperator(parts) => match parts.as_slice() {
            [schema, op] if schema.eq_ignore_ascii_case("pg_catalog") => op.clone(),
            [op] => op.clone(),
            _ => format!("OPERATOR({})", parts.join(".")),
        },
    }
}

/// `ChooseIndexColumnNames`: each key's name, with a numeric suffix when it repeats.
pub(crate) fn index_column_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut current = name.clone();
        let mut i = 1;
        while out.contains(&current) {
            let suffix = i.to_string();
            let base = clip_bytes(name, MAX_IDENTIFIER_BYTES - suffix.len());
            current = format!("{base}{suffix}");
            i += 1;
        }
        out.push(current);
    }
    out
}

/// `transformIndexConstraints`: the primary key first, then the other index constraints in
/// order, a duplicate of an earlier one merged into it (keeping a name if only one has one).
pub(crate) fn merge_index_constraints(list: Vec<Pending>) -> Vec<Pending> {
    let mut out: Vec<Pending> = Vec::new();
    let (primary, others): (Vec<_>, Vec<_>) = list
        .into_iter()
        .partition(|p| matches!(p.kind, PendingKind::PrimaryKey { .. }));
    for p in primary.into_iter().chain(others) {
        let same = out.iter_mut().find(|prior| same_index(prior, &p));
        match same {
            Some(prior) => {
                if prior.name.is_none() {
                    prior.name = p.name;
                }
            }
            None => out.push(p),
        }
    }
    out
}

fn same_index(a: &Pending, b: &Pending) -> bool {
    let keys = |p: &Pending| match &p.kind {
        PendingKind::PrimaryKey { columns, include } => {
            Some((columns.clone(), include.clone(), false))
        }
        PendingKind::Unique {
            columns,
            include,
            nulls_not_distinct,
        } => Some((columns.clone(), include.clone(), *nulls_not_distinct)),
        _ => None,
    };
    match (keys(a), keys(b)) {
        (Some(ka), Some(kb)) => {
            ka == kb && a.deferrable == b.deferrable && a.initially_deferred == b.initially_deferred
        }
        _ => false,
    }
}

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

    fn existing_name_check(&self, table: &QualifiedName, name: &str) -> ReplayResult<()> {
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
        let src = ExprSrc {
            expr,
            search_path: self.path.clone(),
        };
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
            exclusion,
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
            .get_mut(table)
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
        let meta = t.indexes_meta.remove(index_name);
        t.table.indexes.remove(index_name);
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
            on_delete_set_columns: Vec::new(),
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
        if let Some(t) = self.state.tables.get_mut(table) {
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
            let psrc = ExprSrc {
                expr: predicate.clone(),
                search_path: src.search_path.clone(),
            };
            used.extend(expr_columns(predicate, columns));
            out.push_str(" WHERE ");
            out.push_str(&self.state.render_predicate(Some(table), columns, &psrc));
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
            if let Some(t) = self.state.tables.get_mut(&qn) {
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
    if let Some(t) = state.tables.get_mut(table) {
        t.table.constraints.insert(name.to_string(), constraint);
        t.constraints_meta.insert(name.to_string(), meta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_index_column_names_get_suffixes() {
        let names = vec!["lower".to_string(), "lower".to_string(), "a".to_string()];
        assert_eq!(index_column_names(&names), vec!["lower", "lower1", "a"]);
    }
}
