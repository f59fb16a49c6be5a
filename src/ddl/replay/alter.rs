//! `ALTER TABLE`: actions run in PostgreSQL's passes (`AT_PASS_*` in tablecmds.c), not in
//! text order — drops first, then type changes, new columns, column attributes, index
//! constraints, other constraints and defaults, and the rest — so `ADD … USING INDEX x,
//! DROP COLUMN id` works as it does on a server. Changes recurse into partitions.

use std::collections::BTreeSet;

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnDef, RenameTableNameKind};

use super::constraints::{assign_set_columns, Order, Pending, PendingKind};
use super::resolve::{ident, split_name, written};
use super::state::ExprSrc;
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::{AlterAction, AlterTableStmt};
use crate::model::{NoteKind, QualifiedName};

/// One unit of work of an `ALTER TABLE`, with the pass it runs in.
#[derive(Debug, Clone)]
enum Work {
    Action(Box<AlterAction>),
    AddColumn {
        def: ColumnDef,
        if_not_exists: bool,
        sequence: Option<sqlparser::ast::ObjectName>,
    },
    Constraint(Box<Pending>),
}

// The passes of PostgreSQL 15's tablecmds.c (13 to 18 order them the same way).
const PASS_DROP: u8 = 0;
const PASS_ALTER_TYPE: u8 = 1;
const PASS_SET_EXPRESSION: u8 = 2;
const PASS_ADD_COL: u8 = 4;
const PASS_COL_ATTRS: u8 = 6;
/// `ADD … USING INDEX` (`AT_AddIndexConstraint`).
const PASS_ADD_INDEXCONSTR: u8 = 7;
/// PRIMARY KEY / UNIQUE / EXCLUDE become `AT_AddIndex` commands.
const PASS_ADD_INDEX: u8 = 8;
/// CHECK and FOREIGN KEY constraints, defaults, identity.
const PASS_ADD_OTHERCONSTR: u8 = 9;
const PASS_MISC: u8 = 10;

/// The pass of a constraint, and its rank inside one subcommand: `transformAlterTableStmt`
/// queues an ADD COLUMN's CHECK constraints before its foreign keys.
fn constraint_pass(p: &Pending) -> (u8, u8) {
    match &p.kind {
        PendingKind::UsingIndex { .. } => (PASS_ADD_INDEXCONSTR, 0),
        PendingKind::Check { .. } => (PASS_ADD_OTHERCONSTR, 0),
        PendingKind::ForeignKey { .. } => (PASS_ADD_OTHERCONSTR, 1),
        _ => (PASS_ADD_INDEX, 0),
    }
}

fn pass_of(action: &AlterAction) -> u8 {
    use AlterColumnOperation as C;
    match action {
        AlterAction::Sql(op) => match op {
            AlterTableOperation::DropColumn { .. }
            | AlterTableOperation::DropConstraint { .. }
            | AlterTableOperation::DropPrimaryKey { .. }
            | AlterTableOperation::DropForeignKey { .. } => PASS_DROP,
            AlterTableOperation::AlterColumn { op, .. } => match op {
                C::SetDataType { .. } => PASS_ALTER_TYPE,
                C::SetNotNull => PASS_COL_ATTRS,
                C::DropNotNull | C::DropDefault => PASS_DROP,
                C::SetDefault { .. } | C::AddGenerated { .. } => PASS_ADD_OTHERCONSTR,
            },
            _ => PASS_MISC,
        },
        AlterAction::DropIdentity { .. } | AlterAction::DropExpression { .. } => PASS_DROP,
        AlterAction::SetIdentity { .. } => PASS_COL_ATTRS,
        AlterAction::SetExpression { .. } => PASS_SET_EXPRESSION,
        AlterAction::SetType { .. } => PASS_ALTER_TYPE,
        AlterAction::AddIdentity { .. } => PASS_ADD_OTHERCONSTR,
        _ => PASS_MISC,
    }
}

impl Apply<'_> {
    pub(crate) fn alter_table(&mut self, stmt: AlterTableStmt) -> ReplayResult<Outcome> {
        let Some(qn) = self.state.lookup_table(&stmt.name, &self.path) else {
            let exists = self.state.lookup(&stmt.name, &self.path, |qn| {
                self.state.relations.contains(qn)
            });
            if exists.is_none() && stmt.if_exists {
                self.note(
                    NoteKind::Info,
                    format!(
                        "skipped: relation \"{}\" does not exist",
                        written(&stmt.name)
                    ),
                );
                return Ok(Outcome::Applied);
            }
            if let Some(rel) = exists {
                return self.alter_other_relation(&rel, &stmt);
            }
            return self
                .state
                .require_table(&stmt.name, &self.path)
                .map(|_| Outcome::Applied);
        };

        let cut = stmt.cut;
        for clause in &cut.not_modelled {
            self.note(NoteKind::NotModelled, format!("{clause} not modelled"));
        }
        // A `SEQUENCE NAME` the pre-pass cut out belongs to the last identity column named
        // before it.
        let identity_at =
            |name: &sqlparser::ast::Ident| (name.span.start.line, name.span.start.column);
        let mut identity_positions: Vec<(u64, u64)> = Vec::new();
        for action in &stmt.actions {
            match action {
                AlterAction::AddIdentity { column, .. } => {
                    identity_positions.push(identity_at(column))
                }
                AlterAction::Sql(AlterTableOperation::AddColumn { column_def, .. }) => {
                    identity_positions.push(identity_at(&column_def.name))
                }
                _ => {}
            }
        }
        let sequence_for = |at: (u64, u64)| {
            cut.identity_sequences
                .iter()
                .filter(|(p, _)| {
                    *p >= at
                        && identity_positions
                            .iter()
                            .filter(|q| **q <= *p)
                            .max()
                            .is_some_and(|q| *q == at)
                })
                .map(|(_, n)| n.clone())
                .next()
        };

        // Expand into work items with their pass; inline constraints of a new column run
        // in the constraint passes, and vanish if the column is skipped (IF NOT EXISTS).
        let mut work: Vec<(u8, usize, u8, Work)> = Vec::new();
        let mut constraints: Vec<(usize, Pending)> = Vec::new();
        for (origin, action) in stmt.actions.into_iter().enumerate() {
            match action {
                AlterAction::Sql(AlterTableOperation::AddColumn {
                    if_not_exists,
                    column_def,
                    ..
                }) => {
                    let column = ident(&column_def.name);
                    for option in &column_def.options {
                        if let Some(mut p) = Pending::from_column_option(
                            &column,
                            option.name.as_ref(),
                            &option.option,
                        )? {
                            p.position = identity_at(&column_def.name);
                            constraints.push((origin, p));
                        }
                    }
                    let sequence = sequence_for(identity_at(&column_def.name));
                    work.push((
                        PASS_ADD_COL,
                        origin,
                        0,
                        Work::AddColumn {
                            def: column_def,
                            if_not_exists,
                            sequence,
                        },
                    ));
                }
                AlterAction::Sql(AlterTableOperation::AddConstraint {
                    constraint,
                    not_valid,
                }) => {
                    let mut p = Pending::from_table_constraint(&constraint)?;
                    p.not_valid = not_valid;
                    constraints.push((origin, p));
                }
                AlterAction::AddIdentity {
                    column,
                    kind,
                    sequence,
                } => {
                    let sequence = sequence.or_else(|| sequence_for(identity_at(&column)));
                    let action = AlterAction::AddIdentity {
                        column,
                        kind,
                        sequence,
                    };
                    work.push((pass_of(&action), origin, 0, Work::Action(Box::new(action))));
                }
                other => work.push((pass_of(&other), origin, 0, Work::Action(Box::new(other)))),
            }
        }
        let mut pending: Vec<Pending> = constraints.iter().map(|(_, p)| p.clone()).collect();
        assign_set_columns(&mut pending, &cut.fk_set_columns);
        for ((origin, _), p) in constraints.into_iter().zip(pending) {
            let (pass, rank) = constraint_pass(&p);
            work.push((pass, origin, rank, Work::Constraint(Box::new(p))));
        }
        work.sort_by_key(|(pass, origin, rank, _)| (*pass, *origin, *rank));

        let mut table = qn;
        let mut skipped: BTreeSet<usize> = BTreeSet::new();
        let modelled = work.iter().any(|(_, _, _, w)| {
            !matches!(w, Work::Action(a) if matches!(**a, AlterAction::Ignored(_) | AlterAction::NotModelled(_)))
        });
        for (_, origin, _, item) in work {
            if skipped.contains(&origin) {
                continue;
            }
            match item {
                Work::AddColumn {
                    def,
                    if_not_exists,
                    sequence,
                } => {
                    if !self.add_column(&table, &def, if_not_exists, sequence, stmt.only)? {
                        skipped.insert(origin);
                    }
                }
                Work::Constraint(p) => {
                    let p = *p;
                    if p.kind.is_index_backed() {
                        self.add_index_constraint(&table, p, stmt.only)?;
                    } else {
                        self.add_constraints(&table, vec![p], Order::AlterTable, stmt.only)?;
                    }
                }
                Work::Action(action) => {
                    if let Some(renamed) = self.alter_action(&table, *action, stmt.only)? {
                        table = renamed;
                    }
                }
            }
        }
        Ok(if modelled {
            Outcome::Applied
        } else {
            Outcome::Noted
        })
    }

    /// `ALTER TABLE` on a view, sequence or index (PostgreSQL allows renames and moves).
    fn alter_other_relation(
        &mut self,
        rel: &QualifiedName,
        stmt: &AlterTableStmt,
    ) -> ReplayResult<Outcome> {
        let mut outcome = Outcome::Noted;
        for action in &stmt.actions {
            match action {
                AlterAction::Sql(AlterTableOperation::RenameTable { table_name }) => {
                    let new = match table_name {
                        RenameTableNameKind::To(n) | RenameTableNameKind::As(n) => n,
                    };
                    let (_, new) = split_name(new)?;
                    self.rename_relation(rel, &QualifiedName::new(rel.schema.clone(), new))?;
                    outcome = Outcome::Applied;
                }
                AlterAction::SetSchema(schema) if !self.state.index_owner.contains_key(rel) => {
                    let schema = ident(schema);
                    if !self.state.schemas.contains(&schema) {
                        return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
                    }
                    self.rename_relation(rel, &QualifiedName::new(schema, rel.name.clone()))?;
                    outcome = Outcome::Applied;
                }
                AlterAction::Ignored(words) | AlterAction::NotModelled(words) => {
                    self.note(NoteKind::NotModelled, format!("{words} not modelled"));
                }
                _ => {
                    return Err(Fail::skipped(format!(
                        "{rel} is not a table pgdrift models"
                    )))
                }
            }
        }
        Ok(outcome)
    }

    /// Returns the table's new name when the action renamed or moved it.
    fn alter_action(
        &mut self,
        table: &QualifiedName,
        action: AlterAction,
        only: bool,
    ) -> ReplayResult<Option<QualifiedName>> {
        match action {
            AlterAction::Sql(op) => return self.alter_sql(table, op, only),
            AlterAction::DropIdentity { column, if_exists } => {
                let column = self.require_column(table, &column)?;
                let has = self.state.tables[table]
                    .table
                    .column(&column)
                    .is_some_and(|c| c.identity.is_some());
                if !has {
                    if if_exists {
                        return Ok(None);
                    }
                    return Err(Fail::new(format!(
                        "column \"{column}\" of relation \"{}\" is not an identity column",
                        table.name
                    )));
                }
                self.for_table_and_partitions(table, |t| {
                    if let Some(c) = t.table.column_mut(&column) {
                        c.identity = None;
                    }
                });
                self.drop_owned_sequences(table, Some(&column));
            }
            AlterAction::SetIdentity { column, generated } => {
                let column = self.require_column(table, &column)?;
                if let Some(kind) = generated {
                    self.for_table_and_partitions(table, |t| {
                        if let Some(c) = t.table.column_mut(&column) {
                            if c.identity.is_some() {
                                c.identity = Some(kind);
                            }
                        }
                    });
                }
            }
            AlterAction::DropExpression { column, .. } => {
                let column = self.require_column(table, &column)?;
                self.for_table_and_partitions(table, |t| {
                    if let Some(c) = t.table.column_mut(&column) {
                        c.generated = None;
                    }
                    if let Some(src) = t.columns_src.get_mut(&column) {
                        src.generated = None;
                    }
                });
            }
            AlterAction::SetExpression { column, expr } => {
                let column = self.require_column(table, &column)?;
                let src = ExprSrc::new(expr, self.path.clone());
                self.for_table_and_partitions(table, |t| {
                    if let Some(s) = t.columns_src.get_mut(&column) {
                        s.generated = Some(src.clone());
                    }
                });
                self.rerender_with_partitions(table);
            }
            AlterAction::AddIdentity {
                column,
                kind,
                sequence,
            } => {
                let column = self.require_column(table, &column)?;
                self.add_identity(table, &column, kind, sequence.as_ref())?;
            }
            AlterAction::SetType {
                column,
                data_type,
                collation,
            } => {
                let column = self.require_column(table, &column)?;
                self.set_column_type(table, &column, data_type, collation.as_ref())?;
            }
            AlterAction::AttachPartition { partition, bound } => {
                self.attach_partition(table, &partition, bound)?;
            }
            AlterAction::DetachPartition { partition } => {
                self.detach_partition(table, &partition)?;
            }
            AlterAction::SetSchema(schema) => {
                let schema = ident(&schema);
                return self.set_table_schema(table, &schema).map(Some);
            }
            AlterAction::AlterConstraint {
                name,
                deferrable,
                initially_deferred,
            } => {
                let name = ident(&name);
                self.require_constraint(table, &name)?;
                let mut targets = vec![(table.clone(), name.clone())];
                targets.extend(self.inherited_copies(table, &name));
                for (qn, n) in targets {
                    let Some(mut t) = self.state.tables.get_mut(&qn) else {
                        continue;
                    };
                    if let Some(c) = t.table.constraints.get_mut(&n) {
                        if let Some(d) = deferrable {
                            c.deferrable = d;
                            if !d {
                                c.initially_deferred = false;
                            }
                        }
                        if let Some(i) = initially_deferred {
                            c.initially_deferred = i;
                            if i {
                                c.deferrable = true;
                            }
                        }
                    }
                }
            }
            AlterAction::Ignored(words) | AlterAction::NotModelled(words) => {
                self.note(NoteKind::NotModelled, format!("{words} not modelled"));
            }
            AlterAction::Unreadable { text, error } => {
                self.note(
                    NoteKind::Unparsed,
                    format!(
                        "could not parse the action `{text}` ({error}); it is not applied, the other actions are; it may change {table}"
                    ),
                );
            }
        }
        Ok(None)
    }

    fn alter_sql(
        &mut self,
        table: &QualifiedName,
        op: AlterTableOperation,
        only: bool,
    ) -> ReplayResult<Option<QualifiedName>> {
        match op {
            AlterTableOperation::DropColumn {
                column_names,
                if_exists,
                drop_behavior,
                ..
            } => {
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                for column in column_names {
                    let name = ident(&column);
                    if !self.state.tables[table].has_column(&name) {
                        if if_exists {
                            self.note(
                                NoteKind::Info,
                                format!("skipped: column \"{name}\" of {table} does not exist"),
                            );
                            continue;
                        }
                        return Err(Fail::new(format!(
                            "column \"{name}\" of relation \"{}\" does not exist",
                            table.name
                        )));
                    }
                    self.drop_column(table, &name, cascade)?;
                }
            }
            AlterTableOperation::DropConstraint {
                if_exists,
                name,
                drop_behavior,
            } => {
                let name = ident(&name);
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                if !self.state.tables[table]
                    .table
                    .constraints
                    .contains_key(&name)
                {
                    if if_exists {
                        self.note(
                            NoteKind::Info,
                            format!("skipped: constraint \"{name}\" of {table} does not exist"),
                        );
                        return Ok(None);
                    }
                    return Err(Fail::new(format!(
                        "constraint \"{name}\" of relation \"{}\" does not exist",
                        table.name
                    )));
                }
                self.drop_constraint(table, &name, cascade)?;
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column = self.require_column(table, &column_name)?;
                self.alter_column(table, &column, op, only)?;
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let old = self.require_column(table, &old_column_name)?;
                let new = ident(&new_column_name);
                if self.state.tables[table].has_column(&new) {
                    return Err(Fail::new(format!(
                        "column \"{new}\" of relation \"{}\" already exists",
                        table.name
                    )));
                }
                self.rename_column(table, &old, &new);
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => {
                let old = ident(&old_name);
                let new = ident(&new_name);
                self.require_constraint(table, &old)?;
                self.rename_constraint(table, &old, &new, only)?;
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new = match table_name {
                    RenameTableNameKind::To(n) | RenameTableNameKind::As(n) => n,
                };
                let (_, new) = split_name(&new)?;
                let new = QualifiedName::new(table.schema.clone(), new);
                self.rename_relation(table, &new)?;
                return Ok(Some(new));
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let name = ident(&name);
                self.require_constraint(table, &name)?;
                let mut targets = vec![(table.clone(), name.clone())];
                targets.extend(self.inherited_copies(table, &name));
                for (qn, n) in targets {
                    if let Some(mut t) = self.state.tables.get_mut(&qn) {
                        if let Some(c) = t.table.constraints.get_mut(&n) {
                            c.validated = true;
                        }
                    }
                }
            }
            AlterTableOperation::DropPrimaryKey { .. }
            | AlterTableOperation::DropForeignKey { .. } => {
                return Err(Fail::new("DROP PRIMARY KEY / FOREIGN KEY is MySQL syntax"));
            }
            AlterTableOperation::OwnerTo { .. }
            | AlterTableOperation::EnableRowLevelSecurity
            | AlterTableOperation::DisableRowLevelSecurity
            | AlterTableOperation::ForceRowLevelSecurity
            | AlterTableOperation::NoForceRowLevelSecurity
            | AlterTableOperation::EnableTrigger { .. }
            | AlterTableOperation::DisableTrigger { .. }
            | AlterTableOperation::EnableAlwaysTrigger { .. }
            | AlterTableOperation::EnableReplicaTrigger { .. }
            | AlterTableOperation::EnableRule { .. }
            | AlterTableOperation::DisableRule { .. }
            | AlterTableOperation::EnableAlwaysRule { .. }
            | AlterTableOperation::EnableReplicaRule { .. }
            | AlterTableOperation::ReplicaIdentity { .. }
            | AlterTableOperation::SetLogged
            | AlterTableOperation::SetUnlogged
            | AlterTableOperation::SetOptionsParens { .. } => {
                self.note(NoteKind::NotModelled, format!("{op} not modelled"));
            }
            other => {
                return Err(Fail::new(format!(
                    "ALTER TABLE action {other} is not PostgreSQL syntax pgdrift knows"
                )))
            }
        }
        Ok(None)
    }
}
