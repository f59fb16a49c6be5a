//! The constructs the grammar turns into operators (`transformAExpr*`): IN lists
//! (`x = ANY (ARRAY[…])` or OR chains), BETWEEN, LIKE/ILIKE (with `like_escape`),
//! SIMILAR TO (`similar_to_escape`), IS [NOT] DISTINCT FROM, NULLIF, row comparisons.

use sqlparser::ast::{Expr, JsonKeyUniqueness, JsonPredicateType};

use super::coerce::Ctx;

use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::node::{BoolOp, Form, Node, OpExpr};
use crate::ddl::canon::types::Ty;
use crate::ddl::canon::CanonError;

impl Analyzer<'_> {
    /// `make_row_comparison_op`: `ROW(a, b) = ROW(x, y)` is `a = x AND b = y` (`<>` an OR);
    /// the ordering operators keep the rows, each column compared with its own operator.
    pub(crate) fn row_comparison(
        &self,
        name: &str,
        left: Vec<Node>,
        right: Vec<Node>,
    ) -> Result<Node, CanonError> {
        let mut pairs = Vec::with_capacity(left.len());
        for (l, r) in left.into_iter().zip(right) {
            pairs.push(self.make_op(name, None, l, r)?);
        }
        if pairs.len() == 1 {
            if let Some(op) = pairs.pop() {
                return Ok(Node::Op(Box::new(op)));
            }
        }
        match name {
            "=" | "<>" => {
                let ops = pairs.into_iter().map(|p| Node::Op(Box::new(p))).collect();
                Ok(Node::Bool(
                    if name == "=" { BoolOp::And } else { BoolOp::Or },
                    ops,
                ))
            }
            _ => {
                let mut largs = Vec::with_capacity(pairs.len());
                let mut rargs = Vec::with_capacity(pairs.len());
                for p in pairs {
                    if let Some(l) = p.left {
                        largs.push(l);
                    }
                    rargs.push(p.right);
                }
                Ok(Node::Op(Box::new(OpExpr {
                    name: name.to_string(),
                    schema: None,
                    left: Some(Node::Row {
                        args: largs,
                        cast_to: None,
                    }),
                    right: Node::Row {
                        args: rargs,
                        cast_to: None,
                    },
                    ret: Ty::BOOL,
                })))
            }
        }
    }

    /// `transformAExprIn`.
    pub(crate) fn in_list(
        &self,
        expr: &Expr,
        list: &[Expr],
        negated: bool,
    ) -> Result<Node, CanonError> {
        let name = if negated { "<>" } else { "=" };
        let lexpr = self.expr(expr)?;
        let mut rvars = Vec::new();
        let mut rnonvars = Vec::new();
        let mut all = Vec::new();
        for item in list {
            let node = self.expr(item)?;
            if contains_var(&node) {
                rvars.push(node.clone());
            } else {
                rnonvars.push(node.clone());
            }
            all.push(node);
        }
        let mut result: Option<Node> = None;
        let mut remaining = all;
        if rnonvars.len() > 1 {
            let mut types = vec![lexpr.ty()];
            types.extend(rnonvars.iter().map(Node::ty));
            let scalar = self
                .env
                .select_common_type(&types)
                .filter(|t| self.env.verify_common_type(t, &types))
                .filter(|t| !t.is(oid::RECORD));
            if let Some(array_ty) = scalar.as_ref().and_then(|t| self.env.array_of(t)) {
                let scalar = scalar.unwrap_or(Ty::Opaque);
                let elements = rnonvars
                    .into_iter()
                    .map(|n| self.coerce_to_common_type(n, &scalar))
                    .collect::<Result<Vec<_>, _>>()?;
                let array = Node::Array {
                    ty: array_ty,
                    elements,
                };
                result = Some(self.make_scalar_array_op(name, !negated, lexpr.clone(), array)?);
                remaining = rvars;
            }
        }
        for rexpr in remaining {
            let cmp = Node::Op(Box::new(self.make_op(name, None, lexpr.clone(), rexpr)?));
            let cmp = self.coerce_to_boolean(cmp)?;
            result = Some(match result {
                None => cmp,
                Some(prev) => Node::Bool(
                    if negated { BoolOp::And } else { BoolOp::Or },
                    vec![prev, cmp],
                ),
            });
        }
        result.ok_or_else(|| CanonError::new("empty IN list"))
    }

    /// `transformAExprBetween`: `x >= a AND x <= b` (NOT BETWEEN: `x < a OR x > b`).
    pub(crate) fn between(
        &self,
        expr: &Expr,
        negated: bool,
        low: &Expr,
        high: &Expr,
    ) -> Result<Node, CanonError> {
        let (op1, op2, bool_op) = if negated {
            ("<", ">", BoolOp::Or)
        } else {
            (">=", "<=", BoolOp::And)
        };
        let a = self.binary_op(op1, None, expr, low)?;
        let b = self.binary_op(op2, None, expr, high)?;
        Ok(Node::Bool(
            bool_op,
            vec![self.coerce_to_boolean(a)?, self.coerce_to_boolean(b)?],
        ))
    }

    /// LIKE / ILIKE: the `~~` family of operators; an ESCAPE goes through `like_escape()`.
    pub(crate) fn like(
        &self,
        expr: &Expr,
        pattern: &Expr,
        escape: Option<&Expr>,
        negated: bool,
        any: bool,
        case_insensitive: bool,
    ) -> Result<Node, CanonError> {
        let name = match (negated, case_insensitive) {
            (false, false) => "~~",
            (true, false) => "!~~",
            (false, true) => "~~*",
            (true, true) => "!~~*",
        };
        let l = self.expr(expr)?;
        let mut r = self.expr(pattern)?;
        if let Some(esc) = escape {
            let e = self.expr(esc)?;
            r = self.call_builtin("like_escape", vec![r, e])?;
        }
        if any {
            return self.make_scalar_array_op(name, true, l, r);
        }
        Ok(Node::Op(Box::new(self.make_op(name, None, l, r)?)))
    }

    /// SIMILAR TO: `~` with the pattern translated by `similar_to_escape()`.
    pub(crate) fn similar_to(
        &self,
        expr: &Expr,
        pattern: &Expr,
        escape: Option<&Expr>,
        negated: bool,
    ) -> Result<Node, CanonError> {
        let l = self.expr(expr)?;
        let mut args = vec![self.expr(pattern)?];
        if let Some(esc) = escape {
            args.push(self.expr(esc)?);
        }
        let r = self.call_builtin("similar_to_escape", args)?;
        let name = if negated { "!~" } else { "~" };
        Ok(Node::Op(Box::new(self.make_op(name, None, l, r)?)))
    }

    /// IS [NOT] DISTINCT FROM: an `=` operator displayed as DISTINCT (`make_distinct_op`).
    pub(crate) fn distinct(&self, a: &Expr, b: &Expr, not: bool) -> Result<Node, CanonError> {
        let l = self.expr(a)?;
        let r = self.expr(b)?;
        let op = Node::Distinct(Box::new(self.make_op("=", None, l, r)?));
        Ok(if not {
            Node::Bool(BoolOp::Not, vec![op])
        } else {
            op
        })
    }

    /// `x IS [NOT] JSON …` (`transformJsonIsPredicate`): other than json, jsonb, bytea and
    /// text, the value is read as text.
    pub(crate) fn is_json(
        &self,
        expr: &Expr,
        kind: Option<&JsonPredicateType>,
        unique: Option<&JsonKeyUniqueness>,
        negated: bool,
    ) -> Result<Node, CanonError> {
        let mut arg = self.expr(expr)?;
        let base = self.env.base(&arg.ty());
        let kept = [oid::JSON, oid::JSONB, oid::BYTEA, oid::TEXT]
            .iter()
            .any(|&o| base.is(o));
        if !kept && base != Ty::Opaque {
            let input = arg.ty();
            arg = self.coerce_to_target_type(
                arg,
                &input,
                &Ty::TEXT,
                -1,
                Ctx::Implicit,
                Form::ImplicitCast,
            )?;
        }
        let item = match kind {
            Some(JsonPredicateType::Scalar) => Some(" SCALAR"),
            Some(JsonPredicateType::Array) => Some(" ARRAY"),
            Some(JsonPredicateType::Object) => Some(" OBJECT"),
            _ => None,
        };
        let node = Node::JsonIs {
            arg: Box::new(arg),
            item,
            unique_keys: matches!(unique, Some(JsonKeyUniqueness::WithUniqueKeys)),
        };
        Ok(if negated {
            Node::Bool(BoolOp::Not, vec![node])
        } else {
            node
        })
    }

    /// NULLIF(a, b): an `=` operator whose result is the first argument's type.
    pub(crate) fn nullif(&self, a: Node, b: Node) -> Result<Node, CanonError> {
        Ok(Node::NullIf(Box::new(self.make_op("=", None, a, b)?)))
    }

    /// A call of a `pg_catalog` function the grammar generates (`like_escape` …).
    pub(crate) fn call_builtin(&self, name: &str, args: Vec<Node>) -> Result<Node, CanonError> {
        self.resolve_call(name, None, args, Form::ExplicitCall, None)
    }
}

/// `contain_vars_of_level(node, 0)`: does the expression reference a column?
pub(crate) fn contains_var(node: &Node) -> bool {
    match node {
        Node::Var { .. } | Node::DomainValue { .. } => true,
        Node::Const(_) | Node::CaseTest { .. } | Node::SqlValue(_) => false,
        Node::Raw { .. } => true,
        Node::Func(f) => f.args.iter().any(contains_var),
        Node::Named { arg, .. } => contains_var(arg),
        Node::Op(o) | Node::Distinct(o) | Node::NullIf(o) => {
            o.left.as_ref().is_some_and(contains_var) || contains_var(&o.right)
        }
        Node::ScalarArrayOp(s) => contains_var(&s.left) || contains_var(&s.right),
        Node::Bool(_, args)
        | Node::Array { elements: args, .. }
        | Node::Row { args, .. }
        | Node::Coalesce { args, .. }
        | Node::MinMax { args, .. } => args.iter().any(contains_var),
        Node::Cast(c) => contains_var(&c.arg),
        Node::Collate(arg, _)
        | Node::JsonIs { arg, .. }
        | Node::NullTest { arg, .. }
        | Node::BoolTest { arg, .. }
        | Node::FieldSelect { arg, .. } => contains_var(arg),
        Node::Case(c) => {
            c.arg.as_ref().is_some_and(contains_var)
                || contains_var(&c.default)
                || c.whens
                    .iter()
                    .any(|(w, r)| contains_var(w) || contains_var(r))
        }
        Node::Subscripting {
            container,
            subscripts,
            ..
        } => {
            contains_var(container)
                || subscripts.iter().any(|s| {
                    s.lower.as_ref().is_some_and(contains_var)
                        || s.upper.as_ref().is_some_and(contains_var)
                })
        }
    }
}
