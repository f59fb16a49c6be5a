//! Expressions rendered again from their sources when something they name changes: a
//! renamed column (references rewritten), a renamed or moved sequence (`nextval('…')`
//! literals retargeted), a renamed or moved type (column types and casts retargeted), a
//! type change (defaults and keys typed anew).

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, visit_expressions_mut, ArrayElemTypeDef, DataType, Expr, FunctionArg,
    FunctionArgExpr, FunctionArguments, Ident, ObjectName, Value,
};

use super::resolve::{ident, split_name};
use super::state::State;
use super::Apply;
use crate::ddl::canon;
use crate::model::{ConstraintKind, QualifiedName};

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

/// Whether a data type may name a type called `a` or `b` (by its last name part, folded as
/// an identifier): a cheap test before resolving anything.
fn type_may_name(data_type: &DataType, a: &str, b: &str) -> bool {
    match data_type {
        DataType::Custom(name, _) => {
            name.0
                .last()
                .and_then(|part| part.as_ident())
                .is_some_and(|id| {
                    let n = ident(id);
                    n == a || n == b
                })
        }
        DataType::Array(
            ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::Parenthesis(inner)
            | ArrayElemTypeDef::Qualified(inner, _),
        ) => type_may_name(inner, a, b),
        _ => false,
    }
}

/// Whether a cast in `expr` may name a type called `a` or `b`.
fn casts_may_name(expr: &Expr, a: &str, b: &str) -> bool {
    visit_expressions(expr, |e: &Expr| match e {
        Expr::Cast { data_type, .. } if type_may_name(data_type, a, b) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Whether any source of `t` may name a type called `a` or `b`: the tables `retarget_type`
/// has to render again (a superset; the rename itself resolves names exactly).
fn table_may_name_type(t: &super::state::TableState, a: &str, b: &str) -> bool {
    let columns = t.columns_src.values().any(|src| {
        src.data_type
            .as_ref()
            .is_some_and(|dt| type_may_name(dt, a, b))
            || [&src.default, &src.generated]
                .into_iter()
                .flatten()
                .any(|e| casts_may_name(&e.expr, a, b))
    });
    let checks = t
        .constraints_meta
        .values()
        .filter_map(|m| m.check.as_ref())
        .any(|e| casts_may_name(&e.expr, a, b));
    let indexes = t.indexes_meta.values().any(|m| {
        m.key_exprs
            .iter()
            .flatten()
            .chain(m.predicate.as_ref())
            .any(|e| casts_may_name(&e.expr, a, b))
    });
    columns || checks || indexes
}

/// Whether `expr` may call `nextval`/`currval`/`setval` on a sequence called `name`: the
/// text of the literal argument contains the name (folded), unless the name has a quote
/// (then every literal may).
fn may_call_sequence(expr: &Expr, name: &str) -> bool {
    let folded = name.to_ascii_lowercase();
    visit_expressions(expr, |e: &Expr| {
        if let Expr::Function(f) = e {
            let called = split_name(&f.name).map(|(_, n)| n).unwrap_or_default();
            if matches!(called.as_str(), "nextval" | "currval" | "setval")
                && (name.contains('"') || f.to_string().to_ascii_lowercase().contains(&folded))
            {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })
    .is_break()
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
    /// Defaults that call `nextval('old')` now print `new`.
    pub(crate) fn retarget_sequence(&mut self, old: &QualifiedName, new: &QualifiedName) {
        // PostgreSQL stores the sequence's OID, so the rename is free there; here each
        // default that may call it is read again, and only those.
        let mut changed: Vec<(QualifiedName, String, Expr)> = Vec::new();
        for (qn, t) in &self.state.tables {
            for (column, src) in &t.columns_src {
                let Some(d) = &src.default else {
                    continue;
                };
                if !may_call_sequence(&d.expr, &old.name) {
                    continue;
                }
                let mut expr = (*d.expr).clone();
                if rename_sequence_in_expr(self.state, &mut expr, &d.search_path, old, new) {
                    changed.push((qn.clone(), column.clone(), expr));
                }
            }
        }
        let mut tables: Vec<QualifiedName> = Vec::new();
        for (qn, column, expr) in changed {
            if let Some(mut t) = self.state.tables.get_mut(&qn) {
                if let Some(d) = t
                    .columns_src
                    .get_mut(&column)
                    .and_then(|src| src.default.as_mut())
                {
                    *d.expr = expr;
                }
            }
            if tables.last() != Some(&qn) {
                tables.push(qn);
            }
        }
        for qn in tables {
            self.rerender_table(&qn);
        }
    }

    /// A type was renamed or moved: column types and casts that name it print the new name.
    pub(crate) fn retarget_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        // Only the tables whose sources may name the type (by the old or the new name) can
        // render differently.
        let names: Vec<QualifiedName> = self
            .state
            .tables
            .iter()
            .filter(|(_, t)| table_may_name_type(t, &old.name, &new.name))
            .map(|(qn, _)| qn.clone())
            .collect();
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
                        self.state
                            .render_default(Some(qn), &columns, d, &column.data_type);
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
        if let Some(mut t) = self.state.tables.get_mut(qn) {
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
