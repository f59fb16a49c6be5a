//! Evaluating the condition of an `IF` in a `DO` block against the replay state: existence
//! tests on the catalogs (`[NOT] EXISTS (SELECT … FROM pg_namespace WHERE nspname = 'x')`,
//! `(SELECT count(*) FROM pg_type …) = 0`, `to_regclass('t') IS NULL`, `(SELECT data_type
//! FROM information_schema.columns …) <> 'jsonb'`), with PostgreSQL's three-valued logic.
//! Anything outside this small SQL subset makes the condition unevaluable (`None`): the
//! caller then falls back to a note, never to a guess.

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    JoinConstraint, JoinOperator, ObjectName, Query, SelectItem, SetExpr, TableFactor,
    UnaryOperator, Value as SqlValue,
};
use sqlparser::tokenizer::Token;

use std::cell::Cell;

use super::guard_catalog::{rows, Catalog, Row, Value};
use super::resolve::ident;
use super::state::State;
use crate::ddl::parse::cursor::{name_parts, tokenize, word};
use crate::model::QualifiedName;

/// The most row combinations a guard's joins may produce before it is given up on.
const MAX_ROWS: usize = 2_000_000;

/// Why a condition could not be evaluated (the reason is for tests and debugging).
type Eval<T> = Result<T, &'static str>;

/// Evaluate `condition` (PL/pgSQL `IF` text) with the state as it is now; `None` when it
/// is not a condition the replay can answer.
pub(crate) fn evaluate(
    state: &State,
    path: &[String],
    vars: &[(String, Option<Value>)],
    condition: &str,
) -> Option<bool> {
    let expr = parse_condition(condition)?;
    let evaluator = Evaluator {
        state,
        path,
        vars,
        count: Cell::new(None),
    };
    match evaluator.eval(&expr, &[]).ok()? {
        Value::Bool(b) => Some(b),
        Value::Null => Some(false),
        _ => None,
    }
}

/// The value `SELECT expr [FROM …]` assigns to a variable (`SELECT … INTO v`, `v := …`):
/// the first row's, `Null` when there is none; `None` when it cannot be computed.
pub(crate) fn value(
    state: &State,
    path: &[String],
    vars: &[(String, Option<Value>)],
    query: &str,
) -> Option<Value> {
    let expr = parse_condition(&format!("({query})"))?;
    let Expr::Subquery(q) = expr else {
        return None;
    };
    let evaluator = Evaluator {
        state,
        path,
        vars,
        count: Cell::new(None),
    };
    evaluator.scalar(&q, &[]).ok()
}

/// Parse the condition; PostgreSQL's `SELECT FROM …` (no target list) gets a `1` first.
fn parse_condition(condition: &str) -> Option<Expr> {
    let tokens = tokenize(condition).ok()?;
    let mut text = String::new();
    let significant: Vec<&Token> = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::EOF))
        .collect();
    for (i, token) in significant.iter().enumerate() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&token.to_string());
        if word(token).as_deref() == Some("SELECT")
            && significant.get(i + 1).and_then(|t| word(t)).as_deref() == Some("FROM")
        {
            text.push_str(" 1");
        }
    }
    crate::ddl::parse::parse_expr(&text).ok()
}

/// One row of the `FROM` list being evaluated: its alias and the catalog row.
type Bound<'a> = (String, Row<'a>);

struct Evaluator<'a> {
    state: &'a State,
    path: &'a [String],
    vars: &'a [(String, Option<Value>)],
    /// The row count `count(*)` stands for while an aggregate projection is evaluated.
    count: Cell<Option<i64>>,
}

fn folded(parts: &[Ident]) -> Vec<String> {
    parts.iter().map(ident).collect()
}

fn name_of(name: &ObjectName) -> Vec<String> {
    name_parts(name).iter().map(|i| ident(i)).collect()
}

impl<'a> Evaluator<'a> {
    fn eval(&self, e: &Expr, row: &[Bound<'a>]) -> Eval<Value> {
        use Value as V;
        Ok(match e {
            Expr::Nested(e) => self.eval(e, row)?,
            Expr::Value(v) => match &v.value {
                SqlValue::SingleQuotedString(s) | SqlValue::EscapedStringLiteral(s) => {
                    V::Text(s.clone())
                }
                SqlValue::DollarQuotedString(s) => V::Text(s.value.clone()),
                SqlValue::Number(n, _) => V::Int(n.parse().map_err(|_| "number")?),
                SqlValue::Boolean(b) => V::Bool(*b),
                SqlValue::Null => V::Null,
                _ => return Err("literal"),
            },
            Expr::Identifier(id) => self.column(&[ident(id)], row)?,
            Expr::CompoundIdentifier(ids) => self.column(&folded(ids), row)?,
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => match self.eval(expr, row)? {
                V::Bool(b) => V::Bool(!b),
                V::Null => V::Null,
                _ => return Err("NOT of a non-boolean"),
            },
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, row)?,
            Expr::IsNull(e) => V::Bool(self.eval(e, row)? == V::Null),
            Expr::IsNotNull(e) => V::Bool(self.eval(e, row)? != V::Null),
            Expr::IsTrue(e) => V::Bool(self.eval(e, row)? == V::Bool(true)),
            Expr::IsNotTrue(e) => V::Bool(self.eval(e, row)? != V::Bool(true)),
            Expr::IsFalse(e) => V::Bool(self.eval(e, row)? == V::Bool(false)),
            Expr::IsNotFalse(e) => V::Bool(self.eval(e, row)? != V::Bool(false)),
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let value = self.eval(expr, row)?;
                let mut result = V::Bool(false);
                for item in list {
                    match compare(&value, &self.eval(item, row)?)? {
                        Some(true) => {
                            result = V::Bool(true);
                            break;
                        }
                        Some(false) => {}
                        None => result = V::Null,
                    }
                }
                not_if(*negated, result)
            }
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => self.like(*negated, expr, pattern, row, false)?,
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => self.like(*negated, expr, pattern, row, true)?,
            Expr::Cast {
                expr, data_type, ..
            } => {
                let value = self.eval(expr, row)?;
                self.cast(value, data_type)?
            }
            Expr::Exists { subquery, negated } => {
                let found = !self.query(subquery, row)?.is_empty();
                V::Bool(found != *negated)
            }
            Expr::Subquery(q) => self.scalar(q, row)?,
            Expr::Function(f) => {
                let name = name_of(&f.name);
                let name = match name.as_slice() {
                    [n] => n.as_str(),
                    [s, n] if s == "pg_catalog" => n.as_str(),
                    _ => return Err("function"),
                };
                if name == "count" {
                    return self
                        .count
                        .get()
                        .map(Value::Int)
                        .ok_or("count outside a projection");
                }
                let args = self.args(&f.args, row)?;
                match (name, args.as_slice()) {
                    ("current_schema", []) => self.current_schema(),
                    ("current_database" | "current_catalog", []) => V::CurrentDb,
                    ("lower", [V::Text(s)]) => V::Text(s.to_lowercase()),
                    ("upper", [V::Text(s)]) => V::Text(s.to_uppercase()),
                    ("lower" | "upper", [V::Null]) => V::Null,
                    ("to_regclass", [V::Text(s)]) => self.relation(s).map_or(V::Null, V::Rel),
                    ("to_regtype", [V::Text(s)]) => self.type_named(s).map_or(V::Null, V::Type),
                    ("to_regnamespace", [V::Text(s)]) => self.schema(s).map_or(V::Null, V::Ns),
                    ("to_regclass" | "to_regtype" | "to_regnamespace", [V::Null]) => V::Null,
                    _ => return Err("function"),
                }
            }
            _ => return Err("expression"),
        })
    }

    fn args(&self, args: &FunctionArguments, row: &[Bound<'a>]) -> Eval<Vec<Value>> {
        match args {
            FunctionArguments::None => Ok(Vec::new()),
            FunctionArguments::List(list) => list
                .args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.eval(e, row),
                    _ => Err("argument"),
                })
                .collect(),
            FunctionArguments::Subquery(_) => Err("argument"),
        }
    }

    fn current_schema(&self) -> Value {
        self.path
            .first()
            .map_or(Value::Null, |s| Value::Text(s.clone()))
    }

    fn binary(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        row: &[Bound<'a>],
    ) -> Eval<Value> {
        use Value as V;
        let l = self.eval(left, row)?;
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let and = matches!(op, BinaryOperator::And);
                // Short-circuit as PostgreSQL may: false AND x, true OR x.
                if l == V::Bool(!and) {
                    return Ok(l);
                }
                let r = self.eval(right, row)?;
                let (l, r) = (truth(&l)?, truth(&r)?);
                Ok(match (l, r) {
                    (_, Some(b)) if b != and => V::Bool(b),
                    (Some(a), Some(b)) => V::Bool(if and { a && b } else { a || b }),
                    _ => V::Null,
                })
            }
            _ => {
                let r = self.eval(right, row)?;
                let ordering = match op {
                    BinaryOperator::Eq => return Ok(maybe(compare(&l, &r)?)),
                    BinaryOperator::NotEq => {
                        return Ok(maybe(compare(&l, &r)?.map(|b| !b)));
                    }
                    BinaryOperator::Lt
                    | BinaryOperator::LtEq
                    | BinaryOperator::Gt
                    | BinaryOperator::GtEq => order(&l, &r)?,
                    _ => return Err("operator"),
                };
                let Some(ordering) = ordering else {
                    return Ok(V::Null);
                };
                use std::cmp::Ordering::*;
                Ok(V::Bool(match op {
                    BinaryOperator::Lt => ordering == Less,
                    BinaryOperator::LtEq => ordering != Greater,
                    BinaryOperator::Gt => ordering == Greater,
                    _ => ordering != Less,
                }))
            }
        }
    }

    fn like(
        &self,
        negated: bool,
        expr: &Expr,
        pattern: &Expr,
        row: &[Bound<'a>],
        fold: bool,
    ) -> Eval<Value> {
        let (value, pattern) = (self.eval(expr, row)?, self.eval(pattern, row)?);
        Ok(match (value, pattern) {
            (Value::Text(v), Value::Text(p)) => {
                let (v, p) = if fold {
                    (v.to_lowercase(), p.to_lowercase())
                } else {
                    (v, p)
                };
                Value::Bool(like(&v, &p) != negated)
            }
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            _ => return Err("LIKE"),
        })
    }

    fn cast(&self, value: Value, data_type: &DataType) -> Eval<Value> {
        use Value as V;
        let target = data_type.to_string().to_lowercase();
        Ok(match (target.as_str(), value) {
            (_, V::Null) => V::Null,
            ("text" | "name" | "varchar" | "character varying", V::Text(s)) => V::Text(s),
            ("text" | "name" | "varchar" | "character varying", V::Ns(s)) => V::Text(s),
            ("text" | "name" | "varchar" | "character varying", V::Rel(qn)) => {
                V::Text(self.regclass_text(&qn))
            }
            ("regclass", V::Text(s)) => V::Rel(self.relation(&s).ok_or("no such relation")?),
            ("regclass", V::Rel(qn)) => V::Rel(qn),
            ("regtype", V::Text(s)) => V::Type(self.type_named(&s).ok_or("no such type")?),
            ("regtype", V::Type(qn)) => V::Type(qn),
            ("regnamespace", V::Text(s)) => V::Ns(self.schema(&s).ok_or("no such schema")?),
            ("regnamespace", V::Ns(s)) => V::Ns(s),
            ("int" | "integer" | "bigint" | "int4" | "int8", V::Int(i)) => V::Int(i),
            ("boolean" | "bool", V::Bool(b)) => V::Bool(b),
            _ => return Err("cast"),
        })
    }

    /// `regclass::text`: the name, qualified when the search path would not find it.
    fn regclass_text(&self, qn: &QualifiedName) -> String {
        let visible = self
            .path
            .iter()
            .map(|s| QualifiedName::new(s.clone(), qn.name.clone()))
            .find(|c| self.state.relations.contains(c));
        if visible.as_ref() == Some(qn) {
            qn.name.clone()
        } else {
            qn.to_string()
        }
    }

    fn resolve(
        &self,
        text: &str,
        exists: impl Fn(&QualifiedName) -> bool,
    ) -> Option<QualifiedName> {
        match parse_name(text)?.as_slice() {
            [name] => self
                .path
                .iter()
                .map(|s| QualifiedName::new(s.clone(), name.clone()))
                .find(|qn| exists(qn)),
            [schema, name] | [_, schema, name] => {
                let qn = QualifiedName::new(schema.clone(), name.clone());
                exists(&qn).then_some(qn)
            }
            _ => None,
        }
    }

    fn relation(&self, text: &str) -> Option<QualifiedName> {
        self.resolve(text, |qn| self.state.relations.contains(qn))
    }

    fn type_named(&self, text: &str) -> Option<QualifiedName> {
        self.resolve(text, |qn| self.state.types.types.contains_key(qn))
    }

    fn schema(&self, text: &str) -> Option<String> {
        match parse_name(text)?.as_slice() {
            [s] if self.state.schemas.contains(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A column of the bound rows: `alias.column` or an unqualified column.
    fn column(&self, parts: &[String], row: &[Bound<'a>]) -> Eval<Value> {
        match parts {
            [column] => {
                if let Some((_, value)) = self.vars.iter().rev().find(|(v, _)| v == column) {
                    return value.clone().ok_or("variable of unknown value");
                }
                for (_, r) in row {
                    if let Some(v) = r.get(column, self.state) {
                        return Ok(v);
                    }
                }
                // `current_schema` and friends may be written without parentheses.
                match column.as_str() {
                    "current_schema" => Ok(self.current_schema()),
                    "current_catalog" => Ok(Value::CurrentDb),
                    _ => Err("unknown column"),
                }
            }
            [alias, column] => row
                .iter()
                .find(|(a, _)| a == alias)
                .and_then(|(_, r)| r.get(column, self.state))
                .ok_or("unknown column"),
            _ => Err("unknown column"),
        }
    }

    /// The single value of a scalar subquery (`Null` when it has no row).
    fn scalar(&self, q: &Query, outer: &[Bound<'a>]) -> Eval<Value> {
        let select = select_of(q)?;
        let [item] = select.projection.as_slice() else {
            return Err("scalar subquery of several columns");
        };
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => return Err("projection"),
        };
        let rows = self.query(q, outer)?;
        if has_count(expr) {
            // An aggregate over the rows: `count(*)`, `count(*) != 0`, `count(*) > 0`.
            self.count.set(Some(rows.len() as i64));
            let value = self.eval(expr, outer);
            self.count.set(None);
            return value;
        }
        match rows.as_slice() {
            [] => Ok(Value::Null),
            [one] => self.eval(expr, one),
            // LIMIT 1 is the only way several rows are fine.
            [first, ..] if q.limit_clause.is_some() => self.eval(expr, first),
            _ => Err("more than one row returned by a subquery"),
        }
    }

    /// The rows (bound catalog rows, outer ones after the query's own) a query selects.
    fn query(&self, q: &Query, outer: &[Bound<'a>]) -> Eval<Vec<Vec<Bound<'a>>>> {
        let select = select_of(q)?;
        if select.having.is_some() || q.with.is_some() {
            return Err("query shape");
        }
        // FROM items: (alias, catalog), with every join condition as a filter.
        let mut tables: Vec<(String, Catalog)> = Vec::new();
        let mut filters: Vec<&Expr> = Vec::new();
        let mut add = |factor: &TableFactor| -> Eval<()> {
            let TableFactor::Table {
                name, alias, args, ..
            } = factor
            else {
                return Err("FROM item");
            };
            if args.is_some() {
                return Err("table function");
            }
            let parts = name_of(name);
            let catalog = Catalog::named(&parts).ok_or("catalog")?;
            let alias = match alias {
                Some(a) if a.columns.is_empty() => ident(&a.name),
                Some(_) => return Err("column aliases"),
                None => parts.last().cloned().unwrap_or_default(),
            };
            tables.push((alias, catalog));
            Ok(())
        };
        for from in &select.from {
            add(&from.relation)?;
            for join in &from.joins {
                add(&join.relation)?;
                match &join.join_operator {
                    JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c) => {
                        match c {
                            JoinConstraint::On(e) => filters.push(e),
                            JoinConstraint::None => {}
                            _ => return Err("join constraint"),
                        }
                    }
                    _ => return Err("outer join"),
                }
            }
        }
        if let Some(w) = &select.selection {
            filters.push(w);
        }
        let mut conjuncts = Vec::new();
        for f in filters {
            split_and(f, &mut conjuncts);
        }
        // Each table's rows, filtered by the conjuncts that use only that table.
        let mut per_table: Vec<Vec<Row<'a>>> = Vec::new();
        let mut remaining: Vec<&Expr> = Vec::new();
        let mut used = vec![false; conjuncts.len()];
        for (alias, catalog) in &tables {
            let mut candidates = rows(self.state, *catalog);
            for (i, c) in conjuncts.iter().enumerate() {
                if only_uses(c, alias, *catalog, &tables) {
                    used[i] = true;
                    let mut kept = Vec::with_capacity(candidates.len());
                    for r in candidates {
                        let mut bound = vec![(alias.clone(), r)];
                        bound.extend(outer.iter().cloned());
                        if truth(&self.eval(c, &bound)?)? == Some(true) {
                            kept.push(r);
                        }
                    }
                    candidates = kept;
                }
            }
            per_table.push(candidates);
        }
        for (i, c) in conjuncts.iter().enumerate() {
            if !used[i] {
                remaining.push(c);
            }
        }
        let total = per_table
            .iter()
            .try_fold(1usize, |acc, t| acc.checked_mul(t.len()))
            .ok_or("too many rows")?;
        if total > MAX_ROWS {
            return Err("too many rows");
        }
        // The product of the tables, filtered by the remaining conjuncts.
        let mut combos: Vec<Vec<Bound<'a>>> = vec![Vec::new()];
        for ((alias, _), table_rows) in tables.iter().zip(&per_table) {
            let mut next = Vec::with_capacity(combos.len() * table_rows.len());
            for combo in &combos {
                for r in table_rows {
                    let mut c = combo.clone();
                    c.push((alias.clone(), *r));
                    next.push(c);
                }
            }
            combos = next;
        }
        let mut out = Vec::new();
        for mut combo in combos {
            combo.extend(outer.iter().cloned());
            let mut keep = true;
            for c in &remaining {
                if truth(&self.eval(c, &combo)?)? != Some(true) {
                    keep = false;
                    break;
                }
            }
            if keep {
                out.push(combo);
            }
        }
        Ok(out)
    }
}

fn select_of(q: &Query) -> Eval<&sqlparser::ast::Select> {
    match q.body.as_ref() {
        SetExpr::Select(s) => Ok(s),
        SetExpr::Query(q) => select_of(q),
        _ => Err("query shape"),
    }
}

fn has_count(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => name_of(&f.name).last().is_some_and(|n| n == "count"),
        Expr::Nested(e) | Expr::UnaryOp { expr: e, .. } | Expr::Cast { expr: e, .. } => {
            has_count(e)
        }
        Expr::BinaryOp { left, right, .. } => has_count(left) || has_count(right),
        _ => false,
    }
}

fn split_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        Expr::Nested(inner) => split_and(inner, out),
        _ => out.push(e),
    }
}

/// Whether `e` reads columns of the table `alias` only (and at least one): it can filter
/// that table's rows before the join.
fn only_uses(e: &Expr, alias: &str, catalog: Catalog, tables: &[(String, Catalog)]) -> bool {
    let mut mine = false;
    let ok = uses(e, &mut |parts: &[String]| match parts {
        [a, _] => {
            let this = a == alias;
            mine |= this;
            this
        }
        [column] => {
            let owners: Vec<&(String, Catalog)> =
                tables.iter().filter(|(_, c)| c.has(column)).collect();
            let this = owners.first().is_some_and(|(a, _)| a == alias) && catalog.has(column);
            mine |= this;
            this || owners.is_empty()
        }
        _ => false,
    });
    ok && mine
}

/// Walk the column references of `e` (the expression forms `eval` knows, without
/// subqueries); false when `f` rejects one or the form is unknown.
fn uses(e: &Expr, f: &mut dyn FnMut(&[String]) -> bool) -> bool {
    match e {
        Expr::Identifier(id) => f(&[ident(id)]),
        Expr::CompoundIdentifier(ids) => f(&folded(ids)),
        Expr::Value(_) => true,
        Expr::Nested(e)
        | Expr::UnaryOp { expr: e, .. }
        | Expr::IsNull(e)
        | Expr::IsNotNull(e)
        | Expr::IsTrue(e)
        | Expr::IsNotTrue(e)
        | Expr::IsFalse(e)
        | Expr::IsNotFalse(e)
        | Expr::Cast { expr: e, .. } => uses(e, f),
        Expr::BinaryOp { left, right, .. } => uses(left, f) && uses(right, f),
        Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => {
            uses(expr, f) && uses(pattern, f)
        }
        Expr::InList { expr, list, .. } => uses(expr, f) && list.iter().all(|e| uses(e, f)),
        Expr::Function(func) => match &func.args {
            FunctionArguments::None => true,
            FunctionArguments::List(l) => l.args.iter().all(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => uses(e, f),
                _ => false,
            }),
            FunctionArguments::Subquery(_) => false,
        },
        _ => false,
    }
}

fn truth(v: &Value) -> Eval<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        _ => Err("not a boolean"),
    }
}

fn maybe(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

fn not_if(negated: bool, v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(b != negated),
        other => other,
    }
}

/// `=` between two values: `None` when either is NULL.
fn compare(l: &Value, r: &Value) -> Eval<Option<bool>> {
    use Value as V;
    Ok(Some(match (l, r) {
        (V::Null, _) | (_, V::Null) => return Ok(None),
        (V::Text(a), V::Text(b)) => a == b,
        (V::Int(a), V::Int(b)) => a == b,
        (V::Int(a), V::Text(b)) | (V::Text(b), V::Int(a)) => {
            Some(*a) == b.trim().parse::<i64>().ok()
        }
        (V::Bool(a), V::Bool(b)) => a == b,
        (V::Ns(a), V::Ns(b)) => a == b,
        (V::Rel(a), V::Rel(b)) => a == b,
        (V::Type(a), V::Type(b)) => a == b,
        // `conrelid = 0` for a domain's constraint.
        (V::Rel(_), V::Int(_)) | (V::Int(_), V::Rel(_)) => false,
        (V::CurrentDb, V::CurrentDb) => true,
        _ => return Err("comparison of different kinds"),
    }))
}

fn order(l: &Value, r: &Value) -> Eval<Option<std::cmp::Ordering>> {
    Ok(match (l, r) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        _ => return Err("ordering"),
    })
}

/// SQL `LIKE` with `%` and `_` (backslash escapes the next character).
fn like(value: &str, pattern: &str) -> bool {
    fn go(v: &[char], p: &[char]) -> bool {
        match p.first() {
            None => v.is_empty(),
            Some('%') => (0..=v.len()).any(|i| go(&v[i..], &p[1..])),
            Some('_') => !v.is_empty() && go(&v[1..], &p[1..]),
            Some('\\') if p.len() > 1 => v.first() == Some(&p[1]) && go(&v[1..], &p[2..]),
            Some(c) => v.first() == Some(c) && go(&v[1..], &p[1..]),
        }
    }
    let v: Vec<char> = value.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    go(&v, &p)
}

/// A name in a string (`'public.users'`, `'"Mixed".t'`) as the `reg*` input functions read
/// it: parts split at dots, unquoted ones folded.
fn parse_name(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                parts.push(finish_part(std::mem::take(&mut current), was_quoted));
                was_quoted = false;
            }
            _ => current.push(c),
        }
    }
    if quoted {
        return None;
    }
    parts.push(finish_part(current, was_quoted));
    (!parts.iter().any(String::is_empty)).then_some(parts)
}

fn finish_part(part: String, quoted: bool) -> String {
    if quoted {
        part
    } else {
        part.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        assert!(like("users_email_key", "users_%"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_"));
        assert!(like("a_c", "a\\_c"));
        assert!(!like("abc", "a\\_c"));
    }

    #[test]
    fn names_in_strings_fold_like_regclass() {
        assert_eq!(
            parse_name("Public.\"Users\"").unwrap(),
            vec!["public", "Users"]
        );
        assert_eq!(parse_name("a.\"b.c\"").unwrap(), vec!["a", "b.c"]);
        assert!(parse_name("\"open").is_none());
    }

    #[test]
    fn select_without_target_list_parses() {
        assert!(
            parse_condition("NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'x')").is_some()
        );
    }
}
