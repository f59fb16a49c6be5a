//! `ALTER TABLE … ALTER COLUMN` and `ADD COLUMN`: NOT NULL, defaults (a NULL default stores
//! none), type changes (expressions render again; indexes and constraints keep their
//! names), identity columns with their sequences; on the table and its partitions.

use sqlparser::ast::{AlterColumnOperation, ColumnDef, GeneratedAs};

use super::resolve::ident;
use super::state::{ExprSrc, TableState};
use super::{Apply, Fail, ReplayResult};
use crate::model::{ConstraintKind, Identity, IndexExpr, NoteKind, QualifiedName};
use sqlparser::ast::Ident;

impl Apply<'_> {
    pub(crate) fn alter_column(
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
            AlterColumnOperation::SetDefault { value } => {
                let src = ExprSrc::new(value, self.path.clone());
                let mut targets = vec![table.clone()];
                if !only {
                    targets.extend(self.state.all_partitions_of(table));
                }
                for qn in targets {
                    let text = {
                        let t = &self.state.tables[&qn];
                        let data_type = t.table.column(column).map(|c| c.data_type.clone());
                        data_type.and_then(|ty| {
                            self.state
                                .render_default(Some(&qn), &t.table.columns, &src, &ty)
                        })
                    };
                    if let Some(mut t) = self.state.tables.get_mut(&qn) {
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
                    if let Some(mut t) = self.state.tables.get_mut(&qn) {
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
    pub(crate) fn add_identity(
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
    pub(crate) fn set_column_type(
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
            reparse_dependents(t, column);
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
    pub(crate) fn add_column(
        &mut self,
        table: &QualifiedName,
        def: &ColumnDef,
        if_not_exists: bool,
        sequence: Option<sqlparser::ast::ObjectName>,
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
        build.sequence_name = sequence;
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
        if only && self.state.tables[table].table.partition_by.is_some() {
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
            if let Some(mut t) = self.state.tables.get_mut(&qn) {
                f(&mut t);
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

/// PostgreSQL does not re-analyse what depends on a retyped column from its original source:
/// the column's stored default is coerced to the new type as it stands (so a default that
/// was never stored stays absent), and dependent indexes and CHECK constraints are re-created
/// from their deparsed text (`ATPostAlterTypeParse`). Their sources become that text, read
/// with the empty search path it was printed for.
fn reparse_dependents(t: &mut TableState, column: &str) {
    let from_text = |text: &str| {
        crate::ddl::parse::parse_expr(&crate::ddl::canon::prepare_for_sqlparser(text))
            .ok()
            .map(|expr| ExprSrc::new(expr, Vec::new().into()))
    };
    let stored = t.table.column(column).and_then(|c| c.default.clone());
    if let Some(src) = t.columns_src.get_mut(column) {
        src.default = stored.as_deref().and_then(from_text);
    }
    for (name, meta) in &mut t.constraints_meta {
        if !meta.columns.contains(column) || meta.check.is_none() {
            continue;
        }
        if let Some(ConstraintKind::Check(check)) = t.table.constraints.get(name).map(|c| &c.kind) {
            if let Some(src) = from_text(&check.expression) {
                meta.check = Some(src);
            }
        }
    }
    for (name, meta) in &mut t.indexes_meta {
        if !meta.columns.contains(column) {
            continue;
        }
        let Some(index) = t.table.indexes.get(name) else {
            continue;
        };
        for (i, key) in index.keys.iter().enumerate() {
            if let (IndexExpr::Expression(text), Some(slot)) =
                (&key.expr, meta.key_exprs.get_mut(i))
            {
                if let Some(src) = from_text(text) {
                    *slot = Some(src);
                }
            }
        }
        if let (Some(text), Some(_)) = (&index.predicate, &meta.predicate) {
            if let Some(src) = from_text(text) {
                meta.predicate = Some(src);
            }
        }
    }
}
