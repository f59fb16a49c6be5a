//! Operators (`parse_oper.c`, `transformAExpr*`): resolution (`oper`, `left_oper`), the
//! typed `OpExpr` (`make_op`), `op ANY/ALL (array)` (`make_scalar_array_op`), and the
//! constructs the grammar turns into operators: IN lists, BETWEEN, LIKE, SIMILAR TO,
//! IS [NOT] DISTINCT FROM.

use sqlparser::ast::{BinaryOperator, Expr};

use super::Analyzer;
use crate::ddl::canon::catalog::{oid, OperRow};

use crate::ddl::canon::node::{BoolOp, Form, Node, OpExpr, ScalarArrayOp};
use crate::ddl::canon::types::Ty;
use crate::ddl::canon::CanonError;

/// A resolved operator: its declared argument and result types, and where it lives.
struct Resolved {
    left: Ty,
    right: Ty,
    result: Ty,
    /// `Some` for an operator outside `pg_catalog` (printed `OPERATOR(schema.op)`).
    schema: Option<String>,
}

/// Operators whose result is boolean, for operators pgdrift cannot resolve (an
/// extension's): comparisons, pattern matching, containment, overlap.
fn boolean_operator(name: &str) -> bool {
    matches!(
        name,
        "=" | "<>"
            | "<"
            | ">"
            | "<="
            | ">="
            | "~~"
            | "~~*"
            | "!~~"
            | "!~~*"
            | "~"
            | "~*"
            | "!~"
            | "!~*"
            | "@>"
            | "<@"
            | "&&"
            | "?"
            | "?|"
            | "?&"
            | "@@"
            | "@?"
            | "%"
    )
}

impl Analyzer<'_> {
    /// `oper()`: resolve a binary operator for the given input types.
    fn oper(&self, name: &str, schema: Option<&str>, ltype: &Ty, rtype: &Ty) -> Resolved {
        let builtin_allowed = schema.is_none() || schema == Some("pg_catalog");
        if builtin_allowed {
            if let Some(r) = self.builtin_oper(name, ltype, rtype) {
                return r;
            }
        }
        self.unresolved_oper(name, schema, &[ltype, rtype])
    }

    /// Resolve among `pg_catalog`'s operators and those of the extensions whose types the
    /// operands have.
    fn builtin_oper(&self, name: &str, ltype: &Ty, rtype: &Ty) -> Option<Resolved> {
        let mut rows: Vec<Resolved> = self
            .env
            .cat
            .opers(name)
            .iter()
            .filter(|o| o.kind == b'b')
            .map(|o| Resolved {
                left: Ty::Builtin(o.left),
                right: Ty::Builtin(o.right),
                result: Ty::Builtin(o.result),
                schema: None,
            })
            .collect();
        let active = self.env.active_extensions(&[ltype.clone(), rtype.clone()]);
        for o in self.env.cat.ext_opers(name) {
            if let (b'b', Some(schema)) = (o.kind, active.get(o.extension)) {
                rows.push(Resolved {
                    left: self.env.ty_of_ref(&o.left, &active),
                    right: self.env.ty_of_ref(&o.right, &active),
                    result: self.env.ty_of_ref(&o.result, &active),
                    schema: Some(schema.clone()),
                });
            }
        }
        if rows.is_empty() {
            return None;
        }
        let inputs = self.env.resolution_inputs(&[ltype.clone(), rtype.clone()]);
        // binary_oper_exact: with one untyped input, try the other input's type for both.
        let (mut l, mut r) = (inputs[0].clone(), inputs[1].clone());
        let mut was_unknown = false;
        if l.is_unknown() && !r.is_unknown() {
            l = r.clone();
            was_unknown = true;
        } else if r.is_unknown() && !l.is_unknown() {
            r = l.clone();
            was_unknown = true;
        }
        let exact = |a: &Ty, b: &Ty| rows.iter().position(|o| o.left == *a && o.right == *b);
        if let Some(found) = exact(&l, &r) {
            return Some(rows.swap_remove(found));
        }
        if was_unknown {
            let base = self.env.base(&l);
            if base != l {
                if let Some(found) = exact(&base, &base) {
                    return Some(rows.swap_remove(found));
                }
            }
        }
        // oper_select_candidate.
        let candidates: Vec<Vec<Ty>> = rows
            .iter()
            .map(|o| vec![o.left.clone(), o.right.clone()])
            .collect();
        let matching = self.env.match_argtypes(&inputs, &candidates);
        let chosen = match matching.len() {
            0 => return None,
            1 => matching[0],
            _ => self.env.select_candidate(&inputs, &candidates, &matching)?,
        };
        Some(rows.swap_remove(chosen))
    }

    /// `left_oper()`: a prefix operator.
    fn left_oper(&self, name: &str, schema: Option<&str>, rtype: &Ty) -> Resolved {
        let builtin_allowed = schema.is_none() || schema == Some("pg_catalog");
        if builtin_allowed {
            let rows: Vec<&OperRow> = self
                .env
                .cat
                .opers(name)
                .iter()
                .filter(|o| o.kind == b'l')
                .collect();
            let inputs = self.env.resolution_inputs(std::slice::from_ref(rtype));
            let to_resolved = |o: &OperRow| Resolved {
                left: Ty::Builtin(0),
                right: Ty::Builtin(o.right),
                result: Ty::Builtin(o.result),
                schema: None,
            };
            if let Some(o) = rows.iter().find(|o| Ty::Builtin(o.right) == inputs[0]) {
                return to_resolved(o);
            }
            let candidates: Vec<Vec<Ty>> =
                rows.iter().map(|o| vec![Ty::Builtin(o.right)]).collect();
            let matching = self.env.match_argtypes(&inputs, &candidates);
            let chosen = match matching.len() {
                0 => None,
                1 => Some(matching[0]),
                _ => self.env.select_candidate(&inputs, &candidates, &matching),
            };
            if let Some(c) = chosen {
                return to_resolved(rows[c]);
            }
        }
        self.unresolved_oper(name, schema, &[rtype])
    }

    /// An operator pgdrift has no catalog entry for (an extension's, or one on an
    /// extension's type): it lives in the schema of the first non-built-in operand type,
    /// takes its operands as they are, and is boolean when its name says so.
    fn unresolved_oper(&self, name: &str, schema: Option<&str>, operands: &[&Ty]) -> Resolved {
        let user_schema = operands.iter().find_map(|t| match t {
            Ty::User(u) | Ty::UserArray(u) => Some(u.name.schema.clone()),
            _ => None,
        });
        let schema = schema
            .map(str::to_string)
            .or(user_schema)
            .unwrap_or_else(|| self.env.default_schema());
        // Untyped literals take the type of the other operand.
        let known = operands
            .iter()
            .find(|t| !t.is_unknown() && ***t != Ty::Opaque)
            .map(|t| (*t).clone())
            .unwrap_or(Ty::Opaque);
        let pick = |t: &Ty| {
            if t.is_unknown() {
                known.clone()
            } else {
                t.clone()
            }
        };
        let (left, right) = match operands {
            [l, r] => (pick(l), pick(r)),
            [r] => (Ty::Builtin(0), pick(r)),
            _ => (Ty::Opaque, Ty::Opaque),
        };
        Resolved {
            left,
            right,
            result: if boolean_operator(name) {
                Ty::BOOL
            } else {
                Ty::Opaque
            },
            schema: Some(schema),
        }
    }

    /// `make_op` for a binary operator on two analysed operands.
    pub(crate) fn make_op(
        &self,
        name: &str,
        schema: Option<&str>,
        left: Node,
        right: Node,
    ) -> Result<OpExpr, CanonError> {
        let (ltype, rtype) = (left.ty(), right.ty());
        let op = self.oper(name, schema, &ltype, &rtype);
        let actual = [ltype, rtype];
        let declared = [op.left.clone(), op.right.clone()];
        let (declared, ret) = match self
            .env
            .resolve_generics(&actual, &declared, Some(&op.result))
        {
            Some((d, r)) => (d, r.unwrap_or(Ty::Opaque)),
            None => (declared.to_vec(), op.result.clone()),
        };
        let mut args = self.make_fn_arguments(vec![left, right], &actual, &declared)?;
        let right = args.pop().unwrap_or(Node::Raw {
            text: String::new(),
            ty: Ty::Opaque,
        });
        let left = args.pop();
        Ok(OpExpr {
            name: name.to_string(),
            schema: op.schema,
            left,
            right,
            ret,
        })
    }

    pub(crate) fn binary_op(
        &self,
        name: &str,
        schema: Option<&str>,
        left: &Expr,
        right: &Expr,
    ) -> Result<Node, CanonError> {
        let l = self.expr(left)?;
        let r = self.expr(right)?;
        if let (Node::Row { args: la, .. }, Node::Row { args: ra, .. }) = (&l, &r) {
            if schema.is_none() && la.len() == ra.len() && !la.is_empty() {
                return self.row_comparison(name, la.clone(), ra.clone());
            }
        }
        Ok(Node::Op(Box::new(self.make_op(name, schema, l, r)?)))
    }

    /// `make_row_comparison_op`: `ROW(a, b) = ROW(x, y)` is `a = x AND b = y` (`<>` an OR);
    /// the ordering operators keep the rows, each column compared with its own operator.
    fn row_comparison(
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

    pub(crate) fn prefix_op(&self, name: &str, arg: &Expr) -> Result<Node, CanonError> {
        let arg = self.expr(arg)?;
        let rtype = arg.ty();
        let op = self.left_oper(name, None, &rtype);
        let actual = [rtype];
        let declared = [op.right.clone()];
        let (declared, ret) = match self
            .env
            .resolve_generics(&actual, &declared, Some(&op.result))
        {
            Some((d, r)) => (d, r.unwrap_or(Ty::Opaque)),
            None => (declared.to_vec(), op.result.clone()),
        };
        let mut args = self.make_fn_arguments(vec![arg], &actual, &declared)?;
        let right = args.pop().unwrap_or(Node::Raw {
            text: String::new(),
            ty: Ty::Opaque,
        });
        Ok(Node::Op(Box::new(OpExpr {
            name: name.to_string(),
            schema: op.schema,
            left: None,
            right,
            ret,
        })))
    }

    /// `make_scalar_array_op`: `left op ANY/ALL (right)`.
    pub(crate) fn make_scalar_array_op(
        &self,
        name: &str,
        use_or: bool,
        left: Node,
        right: Node,
    ) -> Result<Node, CanonError> {
        let ltype = left.ty();
        let atype = right.ty();
        let rtype = if atype.is_unknown() || atype == Ty::Opaque {
            atype.clone()
        } else {
            self.env.base_elem(&atype).unwrap_or(Ty::Opaque)
        };
        let op = self.oper(name, None, &ltype, &rtype);
        let actual = [ltype.clone(), rtype];
        let declared = [op.left.clone(), op.right.clone()];
        let declared = match self.env.resolve_generics(&actual, &declared, None) {
            Some((d, _)) => d,
            None => declared.to_vec(),
        };
        let res_atype = if declared[1] == Ty::Opaque {
            atype.clone()
        } else {
            self.env.array_of(&declared[1]).unwrap_or(Ty::Opaque)
        };
        let actual = [ltype, atype];
        let declared = [declared[0].clone(), res_atype];
        let mut args = self.make_fn_arguments(vec![left, right], &actual, &declared)?;
        let right = args.pop().unwrap_or(Node::Raw {
            text: String::new(),
            ty: Ty::Opaque,
        });
        let left = args.pop().unwrap_or(Node::Raw {
            text: String::new(),
            ty: Ty::Opaque,
        });
        Ok(Node::ScalarArrayOp(Box::new(ScalarArrayOp {
            name: name.to_string(),
            schema: op.schema,
            use_or,
            left,
            right,
        })))
    }

    pub(crate) fn any_all(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        use_or: bool,
    ) -> Result<Node, CanonError> {
        let l = self.expr(left)?;
        let r = self.expr(right)?;
        self.make_scalar_array_op(&op.to_string(), use_or, l, r)
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
