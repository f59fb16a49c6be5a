//! The constructs with their own resolution rules (`parse_expr.c`): CASE, COALESCE,
//! GREATEST/LEAST, ARRAY[…], ROW(…), COLLATE, typed INTERVAL literals, subscripts and
//! field selection.

use sqlparser::ast::{
    AccessExpr, CaseWhen, DateTimeField, Expr, Interval, IntervalFields, ObjectName,
    Subscript as SqlSubscript, Value,
};

use super::coerce::Ctx;
use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::declared::interval_range;
use crate::ddl::canon::node::{CaseExpr, Const, Form, Node, Subscript};
use crate::ddl::canon::types::{name_parts, Ty};
use crate::ddl::canon::CanonError;
use crate::model::quote_ident;

impl Analyzer<'_> {
    /// `transformCaseExpr`.
    pub(crate) fn case(
        &self,
        operand: Option<&Expr>,
        conditions: &[CaseWhen],
        else_result: Option<&Expr>,
    ) -> Result<Node, CanonError> {
        let arg = match operand {
            Some(e) => {
                let mut a = self.expr(e)?;
                // An untyped test value is taken as text.
                if a.ty().is_unknown() {
                    a = self.coerce_to_common_type(a, &Ty::TEXT)?;
                }
                Some(a)
            }
            None => None,
        };
        let mut whens = Vec::with_capacity(conditions.len());
        for w in conditions {
            let cond = match &arg {
                Some(a) => {
                    let placeholder = Node::CaseTest {
                        ty: a.ty(),
                        typmod: a.typmod(),
                    };
                    let value = self.expr(&w.condition)?;
                    Node::Op(Box::new(self.make_op("=", None, placeholder, value)?))
                }
                None => self.expr(&w.condition)?,
            };
            let cond = self.coerce_to_boolean(cond)?;
            let result = self.expr(&w.result)?;
            whens.push((cond, result));
        }
        let default = match else_result {
            Some(e) => self.expr(e)?,
            None => Node::Const(Const {
                ty: Ty::UNKNOWN,
                typmod: -1,
                value: None,
            }),
        };
        // The default result comes first when choosing the common type.
        let mut types = vec![default.ty()];
        types.extend(whens.iter().map(|(_, r)| r.ty()));
        let ty = self
            .env
            .select_common_type(&types)
            .ok_or_else(|| CanonError::new("CASE types cannot be matched"))?;
        let default = self.coerce_to_common_type(default, &ty)?;
        let whens = whens
            .into_iter()
            .map(|(c, r)| Ok((c, self.coerce_to_common_type(r, &ty)?)))
            .collect::<Result<Vec<_>, CanonError>>()?;
        Ok(Node::Case(Box::new(CaseExpr {
            ty,
            arg,
            whens,
            default,
        })))
    }

    fn common_args(&self, args: Vec<Node>, what: &str) -> Result<(Ty, Vec<Node>), CanonError> {
        let types: Vec<Ty> = args.iter().map(Node::ty).collect();
        let ty = self
            .env
            .select_common_type(&types)
            .ok_or_else(|| CanonError::new(format!("{what} types cannot be matched")))?;
        let args = args
            .into_iter()
            .map(|a| self.coerce_to_common_type(a, &ty))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((ty, args))
    }

    pub(crate) fn coalesce(&self, args: Vec<Node>) -> Result<Node, CanonError> {
        let (ty, args) = self.common_args(args, "COALESCE")?;
        Ok(Node::Coalesce { ty, args })
    }

    pub(crate) fn min_max(&self, args: Vec<Node>, greatest: bool) -> Result<Node, CanonError> {
        let (ty, args) = self.common_args(args, "GREATEST/LEAST")?;
        Ok(Node::MinMax { ty, greatest, args })
    }

    /// `transformArrayExpr`; `target` is (array type, element type, typmod) when the array
    /// is cast directly (`ARRAY[…]::type[]`).
    pub(crate) fn array(
        &self,
        elems: &[Expr],
        target: Option<(&Ty, &Ty, i32)>,
    ) -> Result<Node, CanonError> {
        let mut multidims = false;
        let mut nodes = Vec::with_capacity(elems.len());
        for e in elems {
            if let Expr::Array(sub) = e {
                nodes.push(self.array(&sub.elem, target)?);
                multidims = true;
            } else {
                let n = self.expr(e)?;
                if !multidims && self.env.elem(&n.ty()).is_some() {
                    multidims = true;
                }
                nodes.push(n);
            }
        }
        let (array_ty, coerce_to, hard, typmod) = match target {
            Some((array_ty, elem_ty, typmod)) => {
                let to = if multidims { array_ty } else { elem_ty };
                (array_ty.clone(), to.clone(), true, typmod)
            }
            None => {
                if nodes.is_empty() {
                    return Err(CanonError::new("cannot determine type of empty array"));
                }
                let types: Vec<Ty> = nodes.iter().map(Node::ty).collect();
                let common = self
                    .env
                    .select_common_type(&types)
                    .ok_or_else(|| CanonError::new("ARRAY types cannot be matched"))?;
                let array_ty = if multidims {
                    common.clone()
                } else {
                    self.env
                        .array_of(&common)
                        .ok_or_else(|| CanonError::new("no array type"))?
                };
                (array_ty, common, false, -1)
            }
        };
        let elements = nodes
            .into_iter()
            .map(|n| {
                if hard {
                    let input = n.ty();
                    self.coerce_to_target_type(
                        n,
                        &input,
                        &coerce_to,
                        typmod,
                        Ctx::Explicit,
                        Form::ExplicitCast,
                    )
                } else {
                    self.coerce_to_common_type(n, &coerce_to)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Node::Array {
            ty: array_ty,
            elements,
        })
    }

    /// `(a, b)`: an implicit ROW.
    pub(crate) fn row(&self, items: &[Expr]) -> Result<Node, CanonError> {
        let args = items
            .iter()
            .map(|e| self.expr(e))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Node::Row {
            args,
            cast_to: None,
        })
    }

    /// `transformCollateClause`.
    pub(crate) fn collate(&self, expr: &Expr, collation: &ObjectName) -> Result<Node, CanonError> {
        let arg = self.expr(expr)?;
        Ok(Node::Collate(
            Box::new(arg),
            collation_name(collation, self.env.version),
        ))
    }

    /// `INTERVAL 'text' [fields]`: a cast of the literal to interval with the fields' typmod.
    pub(crate) fn interval_literal(&self, interval: &Interval) -> Result<Node, CanonError> {
        let value = match interval.value.as_ref() {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => s.clone(),
                Value::Number(n, _) => n.clone(),
                _ => return Err(CanonError::new("INTERVAL needs a string literal")),
            },
            _ => return Err(CanonError::new("INTERVAL needs a string literal")),
        };
        let fields = interval_fields(
            interval.leading_field.as_ref(),
            interval.last_field.as_ref(),
        );
        let precision = match (&interval.leading_field, &interval.last_field) {
            (_, Some(DateTimeField::Second)) => interval.fractional_seconds_precision,
            (Some(DateTimeField::Second), None) => interval
                .fractional_seconds_precision
                .or(interval.leading_precision),
            _ => None,
        };
        let typmod = if fields.is_none() && precision.is_none() {
            -1
        } else {
            let range = fields.as_ref().map(interval_range).unwrap_or(0x7FFF);
            let p = precision.map(|p| (p as i32).min(6)).unwrap_or(0xFFFF);
            ((range & 0x7FFF) << 16) | (p & 0xFFFF)
        };
        let literal = Node::Const(Const {
            ty: Ty::UNKNOWN,
            typmod: -1,
            value: Some(value),
        });
        self.coerce_to_target_type(
            literal,
            &Ty::UNKNOWN,
            &Ty::Builtin(oid::INTERVAL),
            typmod,
            Ctx::Explicit,
            Form::ExplicitCast,
        )
    }

    /// Subscripts (`transformContainerSubscripts`) and field selection.
    pub(crate) fn field_access(
        &self,
        root: &Expr,
        chain: &[AccessExpr],
    ) -> Result<Node, CanonError> {
        let mut node = self.expr(root)?;
        let mut pending: Vec<Subscript> = Vec::new();
        let flush = |node: Node, pending: &mut Vec<Subscript>, me: &Self| -> Node {
            if pending.is_empty() {
                return node;
            }
            let subs = std::mem::take(pending);
            let container_ty = node.ty();
            let typmod = node.typmod();
            let base = me.env.base(&container_ty);
            let is_slice = subs.iter().any(|s| s.is_slice);
            let ty = if base.is(oid::JSONB) || is_slice {
                base.clone()
            } else {
                me.env.elem(&base).unwrap_or(Ty::Opaque)
            };
            Node::Subscripting {
                container: Box::new(node),
                ty,
                typmod,
                subscripts: subs,
            }
        };
        for access in chain {
            match access {
                AccessExpr::Subscript(sub) => {
                    let jsonb = self.env.base(&node.ty()).is(oid::JSONB);
                    let index = |e: &Expr| -> Result<Node, CanonError> {
                        let n = self.expr(e)?;
                        let t = n.ty();
                        if jsonb && (t.is_unknown() || t == Ty::TEXT) {
                            return self.coerce_to_common_type(n, &Ty::TEXT);
                        }
                        if t == Ty::INT4 || t == Ty::Opaque {
                            return Ok(n);
                        }
                        self.coerce_to_target_type(
                            n,
                            &t,
                            &Ty::INT4,
                            -1,
                            Ctx::Assignment,
                            Form::ImplicitCast,
                        )
                    };
                    pending.push(match sub {
                        SqlSubscript::Index { index: i } => Subscript {
                            lower: None,
                            upper: Some(index(i)?),
                            is_slice: false,
                        },
                        SqlSubscript::Slice {
                            lower_bound,
                            upper_bound,
                            ..
                        } => Subscript {
                            lower: lower_bound.as_ref().map(&index).transpose()?,
                            upper: upper_bound.as_ref().map(&index).transpose()?,
                            is_slice: true,
                        },
                    });
                }
                AccessExpr::Dot(field) => {
                    node = flush(node, &mut pending, self);
                    let name = match field {
                        Expr::Identifier(i) => crate::ddl::canon::types::ident_name(i),
                        other => other.to_string(),
                    };
                    node = Node::FieldSelect {
                        arg: Box::new(node),
                        field: name,
                        ty: Ty::Opaque,
                    };
                }
            }
        }
        Ok(flush(node, &mut pending, self))
    }
}

/// The collation name as `generate_collation_name` prints it: built-in collations are
/// visible from `pg_catalog`, others are qualified.
fn collation_name(name: &ObjectName, version: crate::model::PgVersion) -> String {
    let parts = name_parts(name);
    match parts.as_slice() {
        [schema, coll] if schema != "pg_catalog" => {
            format!(
                "{}.{}",
                quote_ident(schema, version),
                quote_ident(coll, version)
            )
        }
        [.., coll] => quote_ident(coll, version),
        [] => String::new(),
    }
}

fn interval_fields(
    leading: Option<&DateTimeField>,
    last: Option<&DateTimeField>,
) -> Option<IntervalFields> {
    use DateTimeField as F;
    use IntervalFields as I;
    Some(match (leading?, last) {
        (F::Year, None) => I::Year,
        (F::Month, None) => I::Month,
        (F::Day, None) => I::Day,
        (F::Hour, None) => I::Hour,
        (F::Minute, None) => I::Minute,
        (F::Second, None) => I::Second,
        (F::Year, Some(F::Month)) => I::YearToMonth,
        (F::Day, Some(F::Hour)) => I::DayToHour,
        (F::Day, Some(F::Minute)) => I::DayToMinute,
        (F::Day, Some(F::Second)) => I::DayToSecond,
        (F::Hour, Some(F::Minute)) => I::HourToMinute,
        (F::Hour, Some(F::Second)) => I::HourToSecond,
        (F::Minute, Some(F::Second)) => I::MinuteToSecond,
        _ => return None,
    })
}
