//! Renames and moves, with what PostgreSQL keeps and what it changes: a renamed table keeps
//! its constraint, index and sequence names, but every definition that prints it (foreign
//! keys elsewhere) shows the new name; a renamed column changes the text of every
//! expression and key that uses it; a renamed sequence or type changes the defaults and
//! column types that refer to it. Expressions are re-rendered from their sources.

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, ArrayElemTypeDef, DataType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, ObjectName, Value,
};

use super::resolve::{ident, split_name};
use super::state::State;
use super::{Apply, Fail, ReplayResult};
use crate::ddl::canon;
use crate::model::{ConstraintKind, IndexExpr, QualifiedName};

/// Replace column references to `old` with `new` (quoted: the name is exact).
pub(crate) fn rename_column_refs(expr: &mut Expr, old: &str, new: &str) {
    let _ = visit_expressions_mut(expr, |e: &mut Expr| {
        match e {
            Expr::Identifier(id) if ident(id) == old => *id = Ident::with_quote('"', new),
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last_mut() {
                    if ident(last) == old {
                        *last = Ident::with_quote('"', new);
                    }
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn quoted_name(qn: &QualifiedName) -> ObjectName {
    ObjectName::from(vec![
        Ident::with_quote('"', qn.schema.clone()),
        Ident::with_quote('"', qn.name.clone()),
    ])
}

/// Replace type names that resolve (on `path`) to `old` with `new`, in a data type.
pub(crate) fn rename_type_in(
    state: &State,
    data_type: &mut DataType,
    path: &[String],
    old: &QualifiedName,
    new: &QualifiedName,
) {
    match data_type {
        DataType::Custom(name, _) => {
            let resolved = state.lookup(name, path, |qn| qn == old);
            if resolved.is_some() {
                *name = quoted_name(new);
            }
        }
        DataType::Array(
            ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::Parenthesis(inner)
            | ArrayElemTypeDef::Qualified(inner, _),
        ) => rename_type_in(state, inner, path, old, new),
        _ => {}
    }
}

/// Replace type names in the casts of an expression.
fn rename_type_in_expr(
    state: &State,
    expr: &mut Expr,
    path: &[String],
    old: &QualifiedName,
    new: &QualifiedName,
) {
    let _ = visit_expressions_mut(expr, |e: &mut Expr| {
        if let Expr::Cast { data_type, .. } = e {
            rename_type_in(state, data_type, path, old, new);
        }
        ControlFlow::<()>::Continue(())
    });
}

/// Whether a `'name'::regclass` literal (a possibly qualified, possibly quoted name, read
/// as `regclassin` would) names `target` on `path`.
fn literal_names(state: &State, literal: &str, path: &[String], target: &QualifiedName) -> bool {
    let Ok(tokens) = crate::ddl::parse::cursor::tokenize(literal) else {
        return false;
    };
    let mut p = crate::ddl::parse::cursor::parser(tokens);
    let Ok(name) = p.parse_object_name(false) else {
        return false;
    };
    state.lookup(&name, path, |qn| qn == target).is_some()
}

/// Point `nextval('old')`-style sequence references at `new`.
fn rename_sequence_in_expr(
    state: &State,
    expr: &mut Expr,
    path: &[String],
    old: &QualifiedName,
    new: &QualifiedName,
) -> bool {
    let mut changed = false;
    let new_literal = new.quoted(state.version);
    let _ = visit_expressions_mut(expr, |e: &mut Expr| {
        if let Expr::Function(f) = e {
            let called = split_name(&f.name).map(|(_, n)| n).unwrap_or_default();
            if matches!(called.as_str(), "nextval" | "currval" | "setval") {
                if let FunctionArguments::List(list) = &mut f.args {
                    if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))) =
                        list.args.first_mut()
                    {
                        let target = match arg {
                            Expr::Cast { expr, .. } => expr.as_mut(),
                            other => other,
                        };
                        if let Expr::Value(v) = target {
                            if let Value::SingleQuotedString(s) = &mut v.value {
                                if literal_names(state, s, path, old) {
                                    *s = new_literal.clone();
                                    changed = true;
                                }
                            }
                        }
                    }
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
    changed
}

impl Apply<'_> {
    /// Rename a column of `table` and its partitions, everywhere it is used.
    pub(crate) fn rename_column(&mut self, table: &QualifiedName, old: &str, new: &str) {
        let children = self.state.partitions_of(table);
        if let Some(t) = self.state.tables.get_mut(table) {
            if let Some(c) = t.table.column_mut(old) {
                c.name = new.to_string();
            }
            if let Some(src) = t.columns_src.remove(old) {
                t.columns_src.insert(new.to_string(), src);
            }
            for src in t.columns_src.values_mut() {
                if let Some(d) = &mut src.generated {
                    rename_column_refs(&mut d.expr, old, new);
                }
            }
            let swap = |v: &mut Vec<String>| {
                for c in v.iter_mut() {
                    if c == old {
                        *c = new.to_string();
                    }
                }
            };
            for c in t.table.constraints.values_mut() {
                match &mut c.kind {
                    ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => {
                        swap(&mut k.columns);
                        swap(&mut k.include);
                    }
                    ConstraintKind::ForeignKey(fk) => swap(&mut fk.columns),
                    _ => {}
                }
            }
            for m in t.constraints_meta.values_mut() {
                if m.columns.remove(old) {
                    m.columns.insert(new.to_string());
                }
                if let Some(src) = &mut m.check {
                    rename_column_refs(&mut src.expr, old, new);
                }
                if let Some(ex) = &mut m.exclusion {
                    for (element, _) in &mut ex.elements {
                        rename_column_refs(&mut element.column.expr, old, new);
                    }
                    swap(&mut ex.include);
                    if let Some(p) = &mut ex.predicate {
                        rename_column_refs(p, old, new);
                    }
                }
            }
            for index in t.table.indexes.values_mut() {
                for key in &mut index.keys {
                    if let IndexExpr::Column(c) = &mut key.expr {
                        if c == old {
                            *c = new.to_string();
                        }
                    }
                }
                swap(&mut index.include);
            }
            for m in t.indexes_meta.values_mut() {
                if m.columns.remove(old) {
                    m.columns.insert(new.to_string());
                }
                for src in m.key_exprs.iter_mut().flatten() {
                    rename_column_refs(&mut src.expr, old, new);
                }
                if let Some(src) = &mut m.predicate {
                    rename_column_refs(&mut src.expr, old, new);
                }
            }
            if let Some(p) = &mut t.partitioning {
                for k in &mut p.keys {
                    rename_column_refs(k, old, new);
                }
            }
        }
        // Foreign keys that reference the column, on any table.
        for t in self.state.tables.values_mut() {
            for c in t.table.constraints.values_mut() {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    if &fk.referenced_table == table {
                        for r in &mut fk.referenced_columns {
                            if r == old {
                                *r = new.to_string();
                            }
                        }
                    }
                }
            }
        }
        for s in self.state.sequences.values_mut() {
            if let Some((t, c)) = &mut s.owned_by {
                if t == table && c == old {
                    *c = new.to_string();
                }
            }
        }
        self.rerender_table(table);
        for child in children {
            if self.state.tables[&child].has_column(old) {
                self.rename_column(&child, old, new);
            }
        }
    }

    /// `ALTER TABLE … RENAME CONSTRAINT`: an index-backed constraint renames its index too;
    /// a CHECK renames its inherited copies (unless `ONLY`).
    pub(crate) fn rename_constraint(
        &mut self,
        table: &QualifiedName,
        old: &str,
        new: &str,
        only: bool,
    ) -> ReplayResult<()> {
        let t = &self.state.tables[table];
        if t.table.constraints.contains_key(new) {
            return Err(Fail::new(format!(
                "constraint \"{new}\" for relation \"{}\" already exists",
                table.name
            )));
        }
        let kind = t.table.constraints[old].kind.clone();
        let index_backed = super::state::is_index_backed(&kind);
        if index_backed && self.state.relation_taken(&table.schema, new) {
            return Err(Fail::new(format!("relation \"{new}\" already exists")));
        }
        let copies = if matches!(kind, ConstraintKind::Check(_)) && !only {
            self.inherited_copies(table, old)
        } else {
            Vec::new()
        };
        self.move_constraint(table, old, new);
        if index_backed {
            self.state.unregister_index(table, old);
            self.state.register_index(table, new);
        }
        for (qn, name) in copies {
            if name == old && !self.state.tables[&qn].table.constraints.contains_key(new) {
                self.move_constraint(&qn, old, new);
            }
        }
        Ok(())
    }

    fn move_constraint(&mut self, table: &QualifiedName, old: &str, new: &str) {
        if let Some(t) = self.state.tables.get_mut(table) {
            if let Some(c) = t.table.constraints.remove(old) {
                t.table.constraints.insert(new.to_string(), c);
            }
            if let Some(m) = t.constraints_meta.remove(old) {
                t.constraints_meta.insert(new.to_string(), m);
            }
        }
    }

    /// Rename an index (or the index of a PK/UNIQUE/EXCLUDE constraint, which renames the
    /// constraint with it).
    pub(crate) fn rename_index(
        &mut self,
        index: &QualifiedName,
        owner: &QualifiedName,
        new: &str,
    ) -> ReplayResult<()> {
        if self.state.relation_taken(&index.schema, new) {
            return Err(Fail::new(format!("relation \"{new}\" already exists")));
        }
        if let Some(t) = self.state.tables.get_mut(owner) {
            if let Some(i) = t.table.indexes.remove(&index.name) {
                t.table.indexes.insert(new.to_string(), i);
                if let Some(m) = t.indexes_meta.remove(&index.name) {
                    t.indexes_meta.insert(new.to_string(), m);
                }
            } else if t.table.constraints.contains_key(&index.name) {
                self.move_constraint(owner, &index.name, new);
            }
        }
        let new_qn = QualifiedName::new(index.schema.clone(), new);
        self.state.relations.remove(index);
        self.state.relations.insert(new_qn.clone());
        if let Some(o) = self.state.index_owner.remove(index) {
            self.state.index_owner.insert(new_qn, o);
        }
        Ok(())
    }

    /// Rename or move a relation of any kind (`new` may be in another schema).
    pub(crate) fn rename_relation(
        &mut self,
        old: &QualifiedName,
        new: &QualifiedName,
    ) -> ReplayResult<()> {
        if old == new {
            return Ok(());
        }
        if self.state.relation_taken(&new.schema, &new.name) {
            return Err(Fail::new(format!(
                "relation \"{}\" already exists",
                new.name
            )));
        }
        if let Some(owner) = self.state.index_owner.get(old).cloned() {
            if old.schema != new.schema {
                return Err(Fail::new("an index moves with its table"));
            }
            return self.rename_index(old, &owner, &new.name);
        }
        self.state.relations.remove(old);
        self.state.relations.insert(new.clone());
        if let Some(kind) = self.state.types.types.remove(old) {
            self.state.types.types.insert(new.clone(), kind);
        }
        if let Some(kind) = self.state.others.remove(old) {
            self.state.others.insert(new.clone(), kind);
            let owned: Vec<QualifiedName> = self
                .state
                .index_owner
                .iter()
                .filter(|(_, o)| *o == old)
                .map(|(i, _)| i.clone())
                .collect();
            for i in owned {
                self.state.index_owner.insert(i, new.clone());
            }
            return Ok(());
        }
        if let Some(seq) = self.state.sequences.remove(old) {
            self.state.sequences.insert(new.clone(), seq);
            self.retarget_sequence(old, new);
            return Ok(());
        }
        let Some(table) = self.state.tables.remove(old) else {
            return Err(Fail::new(format!("relation \"{old}\" does not exist")));
        };
        self.state.tables.insert(new.clone(), table);
        for o in self.state.index_owner.values_mut() {
            if o == old {
                *o = new.clone();
            }
        }
        for t in self.state.tables.values_mut() {
            for c in t.table.constraints.values_mut() {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    if &fk.referenced_table == old {
                        fk.referenced_table = new.clone();
                    }
                }
            }
            if let Some(p) = &mut t.partition_of {
                if &p.parent == old {
                    p.parent = new.clone();
                }
            }
        }
        for s in self.state.sequences.values_mut() {
            if let Some((t, _)) = &mut s.owned_by {
                if t == old {
                    *t = new.clone();
                }
            }
        }
        Ok(())
    }

    /// `ALTER TABLE … SET SCHEMA`: the table moves with its indexes, constraints and owned
    /// sequences.
    pub(crate) fn set_table_schema(
        &mut self,
        table: &QualifiedName,
        schema: &str,
    ) -> ReplayResult<QualifiedName> {
        if !self.state.schemas.contains(schema) {
            return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
        }
        let new = QualifiedName::new(schema, table.name.clone());
        if &new == table {
            return Ok(new);
        }
        let indexes = self.state.tables[table].index_like_names();
        for index in &indexes {
            if self.state.relation_taken(schema, index) {
                return Err(Fail::new(format!(
                    "relation \"{index}\" already exists in schema \"{schema}\""
                )));
            }
        }
        for index in &indexes {
            self.state.unregister_index(table, index);
        }
        self.rename_relation(table, &new)?;
        for index in &indexes {
            self.state.register_index(&new, index);
        }
        let owned: Vec<QualifiedName> = self
            .state
            .sequences
            .iter()
            .filter(|(_, s)| s.owned_by.as_ref().is_some_and(|(t, _)| t == &new))
            .map(|(q, _)| q.clone())
            .collect();
        for seq in owned {
            let moved = QualifiedName::new(schema, seq.name.clone());
            self.rename_relation(&seq, &moved)?;
        }
        Ok(new)
    }

    /// Defaults that call `nextval('old')` now print `new`.
    fn retarget_sequence(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let names: Vec<QualifiedName> = self.state.tables.keys().cloned().collect();
        for qn in names {
            let mut changed = false;
            let mut t = self.state.tables[&qn].clone();
            for src in t.columns_src.values_mut() {
                if let Some(d) = &mut src.default {
                    let path = d.search_path.clone();
                    changed |= rename_sequence_in_expr(self.state, &mut d.expr, &path, old, new);
                }
            }
            if changed {
                self.state.tables.insert(qn.clone(), t);
                self.rerender_table(&qn);
            }
        }
    }

    /// A type was renamed or moved: column types and casts that name it print the new name.
    pub(crate) fn retarget_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let names: Vec<QualifiedName> = self.state.tables.keys().cloned().collect();
        for qn in names {
            let mut t = self.state.tables[&qn].clone();
            for src in t.columns_src.values_mut() {
                let path = src.type_path.clone();
                if let Some(dt) = &mut src.data_type {
                    rename_type_in(self.state, dt, &path, old, new);
                }
                for e in [&mut src.default, &mut src.generated].into_iter().flatten() {
                    let path = e.search_path.clone();
                    rename_type_in_expr(self.state, &mut e.expr, &path, old, new);
                }
            }
            for m in t.constraints_meta.values_mut() {
                if let Some(e) = &mut m.check {
                    let path = e.search_path.clone();
                    rename_type_in_expr(self.state, &mut e.expr, &path, old, new);
                }
            }
            for m in t.indexes_meta.values_mut() {
                for e in m.key_exprs.iter_mut().flatten().chain(m.predicate.as_mut()) {
                    let path = e.search_path.clone();
                    rename_type_in_expr(self.state, &mut e.expr, &path, old, new);
                }
            }
            self.state.tables.insert(qn.clone(), t);
            self.rerender_table(&qn);
        }
    }

    pub(crate) fn rerender_with_partitions(&mut self, table: &QualifiedName) {
        let mut targets = vec![table.clone()];
        targets.extend(self.state.all_partitions_of(table));
        for qn in targets {
            self.rerender_table(&qn);
        }
    }

    /// Render every type and expression of `table` again from its sources (after a column
    /// rename, a type change, a renamed type or sequence).
    pub(crate) fn rerender_table(&mut self, qn: &QualifiedName) {
        let Some(t) = self.state.tables.get(qn) else {
            return;
        };
        let mut table = t.table.clone();
        // Column types first: defaults and expressions are typed by them.
        for column in &mut table.columns {
            if let Some(src) = t.columns_src.get(&column.name) {
                if let Some(dt) = &src.data_type {
                    let scope = self.state.scope(&src.type_path, Some(qn), &[]);
                    if let Ok(canon) = canon::data_type(dt, &scope) {
                        column.data_type = canon.text;
                    }
                }
            }
        }
        let columns = table.columns.clone();
        for column in &mut table.columns {
            if let Some(src) = t.columns_src.get(&column.name) {
                if let Some(d) = &src.default {
                    column.default =
                        Some(
                            self.state
                                .render_default(Some(qn), &columns, d, &column.data_type),
                        );
                }
                if let (Some(g), Some(generated)) = (&src.generated, &mut column.generated) {
                    generated.expression =
                        self.state
                            .render_generated(Some(qn), &columns, g, &column.data_type);
                }
            }
        }
        for (name, c) in &mut table.constraints {
            let Some(meta) = t.constraints_meta.get(name) else {
                continue;
            };
            match &mut c.kind {
                ConstraintKind::Check(check) => {
                    if let Some(src) = &meta.check {
                        check.expression = self.state.render_check(Some(qn), &columns, src);
                    }
                }
                ConstraintKind::Exclusion(ex) => {
                    if let Some(src) = &meta.exclusion {
                        ex.definition = self.exclusion_definition(qn, src).0;
                    }
                }
                _ => {}
            }
        }
        for (name, index) in &mut table.indexes {
            let Some(meta) = t.indexes_meta.get(name) else {
                continue;
            };
            for (i, key) in index.keys.iter_mut().enumerate() {
                if let Some(Some(src)) = meta.key_exprs.get(i) {
                    let scope = self.state.scope(&src.search_path, Some(qn), &columns);
                    key.expr = canon::index_key(&src.expr, &scope);
                }
                if let Some(Some(explicit)) = meta.collations.get(i) {
                    key.collation =
                        super::render::shown_collation(Some(explicit), &key.expr, &columns);
                }
            }
            if let Some(src) = &meta.predicate {
                index.predicate = Some(self.state.render_predicate(Some(qn), &columns, src));
            }
        }
        if let Some(p) = &t.partitioning {
            let scope = self.state.scope(&p.search_path, Some(qn), &columns);
            table.partition_by = Some(canon::partition_key(&p.strategy, &p.keys, &scope));
        }
        if let Some(t) = self.state.tables.get_mut(qn) {
            t.table = table;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::parse::parse_expr;

    #[test]
    fn column_references_are_renamed() {
        let mut e = parse_expr("lower(email) || t.email || other").unwrap();
        rename_column_refs(&mut e, "email", "Mail");
        assert_eq!(e.to_string(), "lower(\"Mail\") || t.\"Mail\" || other");
    }

    #[test]
    fn sequence_literals_are_retargeted() {
        let mut state = State::new(crate::model::PgVersion(15));
        let old = QualifiedName::new("public", "a_id_seq");
        let new = QualifiedName::new("public", "b_id_seq");
        state.relations.insert(old.clone());
        let mut e = parse_expr("nextval('a_id_seq'::regclass)").unwrap();
        assert!(rename_sequence_in_expr(
            &state,
            &mut e,
            &["public".into()],
            &old,
            &new
        ));
        assert!(
            e.to_string().starts_with("nextval('public.b_id_seq'::"),
            "{e}"
        );
    }
}
