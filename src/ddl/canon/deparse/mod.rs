//! Printing the analysed tree back as PostgreSQL's `ruleutils.c` does (`get_rule_expr`),
//! in the mode `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef` and
//! `pg_get_partkeydef` use: no pretty parentheses (every operator node brings its own),
//! but pretty indentation (`PRETTYFLAG_INDENT`, which breaks CASE over lines).

mod syntax;

use super::catalog::oid;
use super::node::{BoolOp, Cast, CastKind, Const, Form, FuncExpr, Node, SqlValue};
use super::types::{Env, Ty};
use crate::model::quote_ident;

const PRETTYINDENT_VAR: i32 = 4;
const PRETTYINDENT_STD: i32 = 8;
const PRETTYINDENT_LIMIT: i32 = 40;

pub(crate) struct Deparser<'e, 'a> {
    env: &'e Env<'a>,
    buf: String,
    indent: i32,
}

/// `deparse_expression_pretty(node, …, showimplicit = false, PRETTYFLAG_INDENT)`.
pub(crate) fn deparse(env: &Env<'_>, node: &Node) -> String {
    let mut d = Deparser::new(env);
    d.expr(node, false);
    d.buf
}

/// `looks_like_function`: expressions `pg_get_indexdef` and `pg_get_partkeydef` print
/// without extra parentheses.
pub(crate) fn looks_like_function(node: &Node) -> bool {
    match node {
        Node::Func(f) => matches!(f.form, Form::ExplicitCall | Form::SqlSyntax),
        Node::NullIf(_) | Node::Coalesce { .. } | Node::MinMax { .. } | Node::SqlValue(_) => true,
        _ => false,
    }
}

/// `simple_quote_literal`: single quotes doubled, backslashes left alone
/// (`standard_conforming_strings` is on).
pub(crate) fn simple_quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

impl<'e, 'a> Deparser<'e, 'a> {
    pub(crate) fn new(env: &'e Env<'a>) -> Deparser<'e, 'a> {
        Deparser {
            env,
            buf: String::new(),
            indent: 0,
        }
    }

    pub(crate) fn finish(self) -> String {
        self.buf
    }

    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    /// `appendContextKeyword` with indentation on.
    fn keyword(&mut self, s: &str, before: i32, after: i32, plus: i32) {
        self.indent += before;
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        self.buf.push('\n');
        let amount = if self.indent < PRETTYINDENT_LIMIT {
            self.indent.max(0) + plus
        } else {
            let a =
                PRETTYINDENT_LIMIT + (self.indent - PRETTYINDENT_LIMIT) / (PRETTYINDENT_STD / 2);
            (a % PRETTYINDENT_LIMIT) + plus
        };
        for _ in 0..amount {
            self.buf.push(' ');
        }
        self.buf.push_str(s);
        self.indent += after;
        if self.indent < 0 {
            self.indent = 0;
        }
    }

    fn list(&mut self, nodes: &[Node], showimplicit: bool) {
        for (i, n) in nodes.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(n, showimplicit);
        }
    }

    fn type_name(&self, ty: &Ty, typmod: i32) -> String {
        self.env.format_type(ty, typmod)
    }

    fn operator_name(&self, name: &str, schema: Option<&String>) -> String {
        match schema {
            Some(s) => format!("OPERATOR({}.{name})", quote_ident(s, self.env.version)),
            None => name.to_string(),
        }
    }

    /// `get_rule_expr`.
    pub(crate) fn expr(&mut self, node: &Node, showimplicit: bool) {
        match node {
            Node::Var { name, .. } => {
                let q = quote_ident(name, self.env.version);
                self.push(&q);
            }
            Node::DomainValue { .. } => self.push("VALUE"),
            Node::CaseTest { .. } => self.push("CASE_TEST_EXPR"),
            Node::Const(c) => self.constant(c, 0),
            Node::Func(f) => self.func(f),
            Node::Named { name, arg } => {
                let q = quote_ident(name, self.env.version);
                self.push(&q);
                self.push(" => ");
                self.expr(arg, showimplicit);
            }
            Node::Op(op) => {
                self.push("(");
                let name = self.operator_name(&op.name, op.schema.as_ref());
                match &op.left {
                    Some(left) => {
                        self.expr(left, true);
                        self.push(&format!(" {name} "));
                    }
                    None => self.push(&format!("{name} ")),
                }
                self.expr(&op.right, true);
                self.push(")");
            }
            Node::Distinct(op) => {
                self.push("(");
                if let Some(left) = &op.left {
                    self.expr(left, true);
                }
                self.push(" IS DISTINCT FROM ");
                self.expr(&op.right, true);
                self.push(")");
            }
            Node::NullIf(op) => {
                self.push("NULLIF(");
                if let Some(left) = &op.left {
                    self.expr(left, true);
                }
                self.push(", ");
                self.expr(&op.right, true);
                self.push(")");
            }
            Node::ScalarArrayOp(s) => {
                self.push("(");
                self.expr(&s.left, true);
                let name = self.operator_name(&s.name, s.schema.as_ref());
                let quantifier = if s.use_or { "ANY" } else { "ALL" };
                self.push(&format!(" {name} {quantifier} ("));
                self.expr(&s.right, true);
                self.push("))");
            }
            Node::Bool(op, args) => {
                self.push("(");
                match op {
                    BoolOp::Not => {
                        self.push("NOT ");
                        if let Some(a) = args.first() {
                            self.expr(a, false);
                        }
                    }
                    BoolOp::And | BoolOp::Or => {
                        let sep = if *op == BoolOp::And { " AND " } else { " OR " };
                        for (i, a) in args.iter().enumerate() {
                            if i > 0 {
                                self.push(sep);
                            }
                            self.expr(a, false);
                        }
                    }
                }
                self.push(")");
            }
            Node::Cast(c) => {
                if c.form == Form::ImplicitCast && !showimplicit {
                    self.expr(&c.arg, false);
                } else {
                    self.coercion(c);
                }
            }
            Node::Collate(arg, name) => {
                self.push("(");
                self.expr(arg, showimplicit);
                self.push(" COLLATE ");
                self.push(name);
                self.push(")");
            }
            Node::Case(c) => {
                self.keyword("CASE", 0, PRETTYINDENT_VAR, 0);
                if let Some(arg) = &c.arg {
                    self.push(" ");
                    self.expr(arg, true);
                }
                for (cond, result) in &c.whens {
                    let mut w = cond;
                    if c.arg.is_some() {
                        if let Node::Op(op) = cond {
                            if op
                                .left
                                .as_ref()
                                .is_some_and(|l| matches!(strip_implicit(l), Node::CaseTest { .. }))
                            {
                                w = &op.right;
                            }
                        }
                    }
                    self.keyword("WHEN ", 0, 0, 0);
                    self.expr(w, false);
                    self.push(" THEN ");
                    self.expr(result, true);
                }
                self.keyword("ELSE ", 0, 0, 0);
                self.expr(&c.default, true);
                self.keyword("END", -PRETTYINDENT_VAR, 0, 0);
            }
            Node::Array { ty, elements } => {
                self.push("ARRAY[");
                self.list(elements, true);
                self.push("]");
                if elements.is_empty() {
                    let t = self.type_name(ty, -1);
                    self.push(&format!("::{t}"));
                }
            }
            Node::Row { args, cast_to } => {
                self.push("ROW(");
                self.list(args, true);
                self.push(")");
                if let Some(t) = cast_to {
                    let t = self.type_name(t, -1);
                    self.push(&format!("::{t}"));
                }
            }
            Node::Coalesce { args, .. } => {
                self.push("COALESCE(");
                self.list(args, true);
                self.push(")");
            }
            Node::MinMax { greatest, args, .. } => {
                self.push(if *greatest { "GREATEST(" } else { "LEAST(" });
                self.list(args, true);
                self.push(")");
            }
            Node::SqlValue(v) => {
                let text = match v {
                    SqlValue::CurrentDate => "CURRENT_DATE".to_string(),
                    SqlValue::CurrentTime(p) => with_precision("CURRENT_TIME", *p),
                    SqlValue::CurrentTimestamp(p) => with_precision("CURRENT_TIMESTAMP", *p),
                    SqlValue::LocalTime(p) => with_precision("LOCALTIME", *p),
                    SqlValue::LocalTimestamp(p) => with_precision("LOCALTIMESTAMP", *p),
                    SqlValue::CurrentRole => "CURRENT_ROLE".to_string(),
                    SqlValue::CurrentUser => "CURRENT_USER".to_string(),
                    SqlValue::User => "USER".to_string(),
                    SqlValue::SessionUser => "SESSION_USER".to_string(),
                    SqlValue::CurrentCatalog => "CURRENT_CATALOG".to_string(),
                    SqlValue::CurrentSchema => "CURRENT_SCHEMA".to_string(),
                };
                self.push(&text);
            }
            Node::NullTest { arg, is_null, .. } => {
                self.push("(");
                self.expr(arg, true);
                self.push(if *is_null { " IS NULL" } else { " IS NOT NULL" });
                self.push(")");
            }
            Node::JsonIs {
                arg,
                item,
                unique_keys,
            } => {
                self.push("(");
                self.expr(arg, true);
                self.push(" IS JSON");
                if let Some(item) = item {
                    self.push(item);
                }
                if *unique_keys {
                    self.push(" WITH UNIQUE KEYS");
                }
                self.push(")");
            }
            Node::BoolTest { arg, test } => {
                self.push("(");
                self.expr(arg, false);
                self.push(test);
                self.push(")");
            }
            Node::Subscripting {
                container,
                subscripts,
                ..
            } => {
                let parens = !matches!(**container, Node::Var { .. } | Node::FieldSelect { .. });
                if parens {
                    self.push("(");
                }
                self.expr(container, showimplicit);
                if parens {
                    self.push(")");
                }
                for s in subscripts {
                    self.push("[");
                    if s.is_slice {
                        if let Some(l) = &s.lower {
                            self.expr(l, false);
                        }
                        self.push(":");
                    }
                    if let Some(u) = &s.upper {
                        self.expr(u, false);
                    }
                    self.push("]");
                }
            }
            Node::FieldSelect { arg, field, .. } => {
                let parens = !matches!(**arg, Node::Subscripting { .. } | Node::FieldSelect { .. });
                if parens {
                    self.push("(");
                }
                self.expr(arg, true);
                if parens {
                    self.push(")");
                }
                let f = quote_ident(field, self.env.version);
                self.push(&format!(".{f}"));
            }
            Node::Raw { text, .. } => self.push(text),
        }
    }

    /// `get_coercion_expr`.
    fn coercion(&mut self, c: &Cast) {
        let typmod = c.shown_typmod();
        match &c.arg {
            Node::Const(k) if k.ty == c.ty && k.typmod == -1 => self.constant(k, -1),
            arg => {
                self.push("(");
                self.expr(arg, false);
                self.push(")");
            }
        }
        let t = self.type_name(&c.ty, typmod);
        self.push(&format!("::{t}"));
    }

    /// `get_const_expr`: `showtype` -1 never labels, 0 labels when the literal would not
    /// read back as the same type.
    pub(crate) fn constant(&mut self, c: &Const, showtype: i32) {
        let Some(value) = &c.value else {
            self.push("NULL");
            if showtype >= 0 {
                let t = self.type_name(&c.ty, c.typmod);
                self.push(&format!("::{t}"));
            }
            return;
        };
        let mut needlabel = false;
        match c.ty.oid() {
            Some(oid::INT4) => {
                if value.starts_with('-') {
                    self.push(&simple_quote_literal(value));
                    needlabel = true;
                } else {
                    self.push(value);
                }
            }
            Some(oid::NUMERIC) => {
                let looks_float = value.starts_with(|ch: char| ch.is_ascii_digit())
                    && value.contains(['e', 'E', '.']);
                if looks_float {
                    self.push(value);
                } else {
                    self.push(&simple_quote_literal(value));
                    needlabel = true;
                }
            }
            Some(oid::BOOL) => self.push(if value == "t" { "true" } else { "false" }),
            _ => self.push(&simple_quote_literal(value)),
        }
        if showtype < 0 {
            return;
        }
        match c.ty.oid() {
            Some(oid::BOOL) | Some(oid::UNKNOWN) => needlabel = false,
            Some(oid::INT4) => {}
            Some(oid::NUMERIC) => needlabel |= c.typmod >= 0,
            _ => needlabel = true,
        }
        if needlabel || showtype > 0 {
            let t = self.type_name(&c.ty, c.typmod);
            self.push(&format!("::{t}"));
        }
    }

    /// `get_func_expr` for calls (casts are `Node::Cast`).
    fn func(&mut self, f: &FuncExpr) {
        if f.form == Form::SqlSyntax {
            if let Some(syntax) = f.syntax {
                if self.sql_syntax(syntax, &f.args) {
                    return;
                }
            }
        }
        let name = match &f.schema {
            Some(s) => format!(
                "{}.{}",
                quote_ident(s, self.env.version),
                quote_ident(&f.name, self.env.version)
            ),
            None => quote_ident(&f.name, self.env.version),
        };
        self.push(&name);
        self.push("(");
        let n = f.args.len();
        for (i, a) in f.args.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            if f.variadic && i + 1 == n {
                self.push("VARIADIC ");
            }
            self.expr(a, true);
        }
        self.push(")");
    }
}

fn with_precision(keyword: &str, p: Option<i32>) -> String {
    match p {
        Some(p) => format!("{keyword}({p})"),
        None => keyword.to_string(),
    }
}

/// `strip_implicit_coercions`.
pub(crate) fn strip_implicit(node: &Node) -> &Node {
    match node {
        Node::Cast(c) if c.form == Form::ImplicitCast => match c.kind {
            CastKind::Func { .. }
            | CastKind::Relabel
            | CastKind::Io
            | CastKind::ArrayCoerce
            | CastKind::Domain => strip_implicit(&c.arg),
        },
        other => other,
    }
}
