//! Operators (`parse_oper.c`): resolution among `pg_catalog`'s and active extensions'
//! operators (`oper`, `left_oper`), the typed `OpExpr` (`make_op`), and
//! `op ANY/ALL (array)` (`make_scalar_array_op`).

use sqlparser::ast::{BinaryOperator, Expr};

use super::Analyzer;
use crate::ddl::canon::catalog::OperRow;

use crate::ddl::canon::node::{Node, OpExpr, ScalarArrayOp};
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
}
