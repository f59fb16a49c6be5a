//! `ALTER TABLE`: actions run in PostgreSQL's passes (`AT_PASS_*` in tablecmds.c), not in
//! text order — drops first, then type changes, new columns, column attributes, index
//! constraints, other constraints and defaults, and the rest — so `ADD … USING INDEX x,
//! DROP COLUMN id` works as it does on a server. Changes recurse into partitions.

use std::collections::BTreeSet;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, GeneratedAs, Ident, RenameTableNameKind,
};

use super::constraints::{Order, Pending, PendingKind};
use super::render::is_null_literal;
use super::resolve::{ident, split_name};
use super::state::ExprSrc;
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::parse::{AlterAction, AlterTableStmt};
use crate::model::{Identity, NoteKind, QualifiedName};

/// One unit of work of an `ALTER TABLE`, with the pass it runs in.
#[derive(Debug, Clone)]
enum Work {
    Action(Box<AlterAction>),
    AddColumn { def: ColumnDef, if_not_exists: bool },
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
                    format!("skipped: relation \"{}\" does not exist", stmt.name),
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

        // Expand into work items with their pass; inline constraints of a new column run
        // in the constraint passes, and vanish if the column is skipped (IF NOT EXISTS).
        let mut work: Vec<(u8, usize, u8, Work)> = Vec::new();
        for (origin, action) in stmt.actions.into_iter().enumerate() {
            match action {
                AlterAction::Sql(AlterTableOperation::AddColumn {
                    if_not_exists,
                    column_def,
                    ..
                }) => {
                    let column = ident(&column_def.name);
                    for option in &column_def.options {
                        if let Some(p) = Pending::from_column_option(
                            &column,
                            option.name.as_ref(),
                            &option.option,
                        )? {
                            let (pass, rank) = constraint_pass(&p);
                            work.push((pass, origin, rank, Work::Constraint(Box::new(p))));
                        }
                    }
                    work.push((
                        PASS_ADD_COL,
                        origin,
                        0,
                        Work::AddColumn {
                            def: column_def,
                            if_not_exists,
                        },
                    ));
                }
                AlterAction::Sql(AlterTableOperation::AddConstraint {
                    constraint,
                    not_valid,
                }) => {
                    let mut p = Pending::from_table_constraint(&constraint)?;
                    p.not_valid = not_valid;
                    let (pass, rank) = constraint_pass(&p);
                    work.push((pass, origin, rank, Work::Constraint(Box::new(p))));
                }
                other => work.push((pass_of(&other), origin, 0, Work::Action(Box::new(other)))),
            }
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
                Work::AddColumn { def, if_not_exists } => {
                    if !self.add_column(&table, &def, if_not_exists, stmt.only)? {
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
                let src = ExprSrc {
                    expr,
                    search_path: self.path.clone(),
                };
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
                    if let Some(c) = self
                        .state
                        .tables
                        .get_mut(&qn)
                        .and_then(|t| t.table.constraints.get_mut(&n))
                    {
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
                    if let Some(c) = self
                        .state
                        .tables
                        .get_mut(&qn)
                        .and_then(|t| t.table.constraints.get_mut(&n))
                    {
                        c.validated = true;
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

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &str,
        op: AlterColumnOperation,
        only: bool,
    ) -> ReplayResult<()> {
        match op {
            AlterColumnOperation::SetNotNull => {
                self.for_table_and_partitions(table, |t| {
                    if let Some(c) = t.table.column_mut(column) {
                        c.not_null = true;
                    }
                });
            }
            AlterColumnOperation::DropNotNull => {
                let in_key = self.state.tables[table]
                    .table
                    .primary_key()
                    .is_some_and(|(_, k)| k.columns.iter().any(|c| c == column));
                if in_key {
                    return Err(Fail::new(format!(
                        "column \"{column}\" is in a primary key"
                    )));
                }
                let identity = self.state.tables[table]
                    .table
                    .column(column)
                    .is_some_and(|c| c.identity.is_some());
                if identity {
                    return Err(Fail::new(format!(
                        "column \"{column}\" of relation \"{}\" is an identity column",
                        table.name
                    )));
                }
                self.for_table_and_partitions(table, |t| {
                    if let Some(c) = t.table.column_mut(column) {
                        c.not_null = false;
                    }
                });
            }
            AlterColumnOperation::SetDefault { value }
                if is_null_literal(&value) && !self.column_is_domain(table, column) =>
            {
                return self.alter_column(table, column, AlterColumnOperation::DropDefault, only);
            }
            AlterColumnOperation::SetDefault { value } => {
                let src = ExprSrc {
                    expr: value,
                    search_path: self.path.clone(),
                };
                let mut targets = vec![table.clone()];
                if !only {
                    targets.extend(self.state.all_partitions_of(table));
                }
                for qn in targets {
                    let text = {
                        let t = &self.state.tables[&qn];
                        let data_type = t.table.column(column).map(|c| c.data_type.clone());
                        data_type.map(|ty| {
                            self.state
                                .render_default(Some(&qn), &t.table.columns, &src, &ty)
                        })
                    };
                    if let Some(t) = self.state.tables.get_mut(&qn) {
                        if let Some(c) = t.table.column_mut(column) {
                            c.default = text;
                        }
                        t.columns_src.entry(column.to_string()).or_default().default =
                            Some(src.clone());
                    }
                }
            }
            AlterColumnOperation::DropDefault => {
                let mut targets = vec![table.clone()];
                if !only {
                    targets.extend(self.state.all_partitions_of(table));
                }
                for qn in targets {
                    if let Some(t) = self.state.tables.get_mut(&qn) {
                        if let Some(c) = t.table.column_mut(column) {
                            c.default = None;
                        }
                        if let Some(s) = t.columns_src.get_mut(column) {
                            s.default = None;
                        }
                    }
                }
            }
            AlterColumnOperation::SetDataType { data_type, .. } => {
                self.set_column_type(table, column, data_type, None)?;
            }
            AlterColumnOperation::AddGenerated { generated_as, .. } => {
                let kind = match generated_as {
                    Some(GeneratedAs::ByDefault) => Identity::ByDefault,
                    _ => Identity::Always,
                };
                self.add_identity(table, column, kind, None)?;
            }
        }
        Ok(())
    }

    /// `ADD GENERATED … AS IDENTITY`: the column becomes an identity column with an owned
    /// sequence (named by `SEQUENCE NAME` or chosen).
    fn add_identity(
        &mut self,
        table: &QualifiedName,
        column: &str,
        kind: Identity,
        sequence: Option<&sqlparser::ast::ObjectName>,
    ) -> ReplayResult<()> {
        {
            let t = &self.state.tables[table];
            let c = t.table.column(column);
            if c.is_some_and(|c| c.identity.is_some()) {
                return Err(Fail::new(format!(
                    "column \"{column}\" of relation \"{}\" is already an identity column",
                    table.name
                )));
            }
            if c.is_some_and(|c| c.default.is_some()) {
                return Err(Fail::new(format!(
                    "column \"{column}\" of relation \"{}\" already has a default value",
                    table.name
                )));
            }
            self.for_table_and_partitions(table, |t| {
                if let Some(c) = t.table.column_mut(column) {
                    c.identity = Some(kind);
                    c.not_null = true;
                }
            });
            match sequence {
                Some(name) => {
                    self.create_named_sequence(table, column, name)?;
                }
                None => {
                    self.create_owned_sequence(table, column);
                }
            }
        }
        Ok(())
    }

    /// `ALTER COLUMN … TYPE`: the column's type (and collation: the new type's default
    /// unless one is given) changes on the table and its partitions; indexes and
    /// constraints keep their names, their expressions render again.
    fn set_column_type(
        &mut self,
        table: &QualifiedName,
        column: &str,
        data_type: sqlparser::ast::DataType,
        collation: Option<&sqlparser::ast::ObjectName>,
    ) -> ReplayResult<()> {
        let (text, serial) = self.column_type(table, &data_type)?;
        if serial {
            return Err(Fail::new("type \"serial\" does not exist"));
        }
        let collation = collation
            .map(super::render::collation_text)
            .filter(|c| c != "default");
        let path = self.path.clone();
        self.for_table_and_partitions(table, |t| {
            if let Some(c) = t.table.column_mut(column) {
                c.data_type = text.clone();
                c.collation = collation.clone();
            }
            let src = t.columns_src.entry(column.to_string()).or_default();
            src.data_type = Some(data_type.clone());
            src.type_path = path.clone();
        });
        self.rerender_with_partitions(table);
        Ok(())
    }

    /// `ADD COLUMN`; false when `IF NOT EXISTS` skipped it.
    fn add_column(
        &mut self,
        table: &QualifiedName,
        def: &ColumnDef,
        if_not_exists: bool,
        only: bool,
    ) -> ReplayResult<bool> {
        let mut def = def.clone();
        // Inline constraints run in later passes.
        def.options.retain(|o| {
            !matches!(
                o.option,
                sqlparser::ast::ColumnOption::PrimaryKey(_)
                    | sqlparser::ast::ColumnOption::Unique(_)
                    | sqlparser::ast::ColumnOption::ForeignKey(_)
                    | sqlparser::ast::ColumnOption::Check(_)
            )
        });
        let mut build = self.build_column(table, &def)?;
        let name = build.column.name.clone();
        if self.state.tables[table].has_column(&name) {
            if if_not_exists {
                self.note(
                    NoteKind::Info,
                    format!("skipped: column \"{name}\" of {table} already exists"),
                );
                return Ok(false);
            }
            return Err(Fail::new(format!(
                "column \"{name}\" of relation \"{}\" already exists",
                table.name
            )));
        }
        if only && self.state.tables[table].partitioning.is_some() {
            return Err(Fail::new("column must be added to child tables too"));
        }
        let mut builds = vec![build.clone()];
        let mut columns = self.state.tables[table].table.columns.clone();
        columns.push(build.column.clone());
        if build.serial || build.column.identity.is_some() {
            self.finish_columns(table, &mut builds)?;
            build = builds.remove(0);
        } else {
            self.render_column_exprs(table, &mut build, &columns);
        }
        self.for_table_and_partitions(table, |t| {
            t.table.columns.push(build.column.clone());
            t.columns_src.insert(name.clone(), build.src.clone());
        });
        Ok(true)
    }

    fn column_is_domain(&self, table: &QualifiedName, column: &str) -> bool {
        self.state.tables[table]
            .columns_src
            .get(column)
            .and_then(|s| s.data_type.as_ref().map(|dt| (dt, &s.type_path)))
            .is_some_and(|(dt, path)| self.state.is_domain(dt, path))
    }

    pub(crate) fn require_column(
        &self,
        table: &QualifiedName,
        column: &Ident,
    ) -> ReplayResult<String> {
        let name = ident(column);
        if self.state.tables[table].has_column(&name) {
            Ok(name)
        } else {
            Err(Fail::new(format!(
                "column \"{name}\" of relation \"{}\" does not exist",
                table.name
            )))
        }
    }

    pub(crate) fn require_constraint(&self, table: &QualifiedName, name: &str) -> ReplayResult<()> {
        if self.state.tables[table]
            .table
            .constraints
            .contains_key(name)
        {
            Ok(())
        } else {
            Err(Fail::new(format!(
                "constraint \"{name}\" of relation \"{}\" does not exist",
                table.name
            )))
        }
    }

    /// Apply `f` to `table` and every partition below it.
    pub(crate) fn for_table_and_partitions(
        &mut self,
        table: &QualifiedName,
        mut f: impl FnMut(&mut super::state::TableState),
    ) {
        let mut targets = vec![table.clone()];
        targets.extend(self.state.all_partitions_of(table));
        for qn in targets {
            if let Some(t) = self.state.tables.get_mut(&qn) {
                f(t);
            }
        }
    }

    /// The constraints inherited from `table`'s constraint `name`, below it.
    pub(crate) fn inherited_copies(
        &self,
        table: &QualifiedName,
        name: &str,
    ) -> Vec<(QualifiedName, String)> {
        let mut out = Vec::new();
        let Some(oid) = self.state.tables[table].constraint_oid(name) else {
            return out;
        };
        for child in self.state.partitions_of(table) {
            let found = self.state.tables[&child]
                .constraints_meta
                .iter()
                .find(|(_, m)| m.parent == Some(oid))
                .map(|(n, _)| n.clone());
            if let Some(n) = found {
                out.extend(self.inherited_copies(&child, &n));
                out.push((child, n));
            }
        }
        out
    }
}
