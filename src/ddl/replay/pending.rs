//! Constraints as a statement writes them, before they are named and added: read from
//! sqlparser's column options and table constraints, and merged the way
//! `transformIndexConstraints` merges duplicate index constraints.

use sqlparser::ast::{
    ColumnOption, ConstraintCharacteristics, ConstraintReferenceMatchKind, DeferrableInitial,
    ExcludeConstraintOperator, Expr, Ident, IndexColumn, NullsDistinctOption, ObjectName,
    ReferentialAction, Spanned, TableConstraint,
};

use super::resolve::{ident, idents};
use super::{Fail, ReplayResult};
use crate::model::naming::{clip_bytes, MAX_IDENTIFIER_BYTES};
use crate::model::{FkAction, MatchType};

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
        /// `ON DELETE SET NULL (cols)` (PostgreSQL 15): the columns listed.
        set_columns: Vec<String>,
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
                    set_columns: Vec::new(),
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
                    set_columns: Vec::new(),
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

/// Give each `ON DELETE SET NULL (cols)` list the pre-pass cut out to its foreign key: the
/// last one written before it.
pub(crate) fn assign_set_columns(pending: &mut [Pending], lists: &[((u64, u64), Vec<Ident>)]) {
    for (at, columns) in lists {
        let owner = pending
            .iter_mut()
            .filter(|p| p.kind.is_foreign_key() && p.position <= *at)
            .max_by_key(|p| p.position);
        if let Some(Pending {
            kind: PendingKind::ForeignKey { set_columns, .. },
            ..
        }) = owner
        {
            *set_columns = idents(columns);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_index_column_names_get_suffixes() {
        let names = vec!["lower".to_string(), "lower".to_string(), "a".to_string()];
        assert_eq!(index_column_names(&names), vec!["lower", "lower1", "a"]);
    }
}
