//! Parse analysis (`transformExpr`, `parse_expr.c`): a sqlparser expression becomes the
//! typed node tree PostgreSQL would store, with the coercions, resolved functions and
//! operators and constant values it would have.
//!
//! It follows the grammar's own shortcuts where they change the stored tree: AND/OR chains
//! flatten only through their left operand (`makeAndExpr`), a minus sign folds into a
//! numeric literal (`doNegate`), parentheses never create nodes.

mod coerce;
mod constructs;
mod func;
mod generics;
mod literal;
mod oper;
mod predicates;
mod resolve;
mod syntax;

use sqlparser::ast::{BinaryOperator, CastKind as SqlCastKind, Expr, UnaryOperator};

pub(crate) use coerce::Ctx;
use literal::{negated_number, sql_value_keyword};

use super::node::{BoolOp, Form, Node};
use super::types::{ident_name, Env, Ty};
use super::CanonError;

/// Parse analysis of one expression, in the scope of one table (or one domain).
pub(crate) struct Analyzer<'a> {
    pub env: Env<'a>,
    /// The type of `VALUE` when analysing a domain's CHECK constraint.
    pub domain_value: Option<(Ty, i32)>,
}

impl<'a> Analyzer<'a> {
    pub fn new(env: Env<'a>) -> Analyzer<'a> {
        Analyzer {
            env,
            domain_value: None,
        }
    }

    /// `transformExprRecurse`.
    pub fn expr(&self, e: &Expr) -> Result<Node, CanonError> {
        match e {
            Expr::Nested(inner) => self.expr(inner),
            Expr::Identifier(ident) => {
                let name = ident_name(ident);
                // Reserved keywords sqlparser may leave as identifiers (CURRENT_SCHEMA …).
                if ident.quote_style.is_none() {
                    if let Some(v) = sql_value_keyword(&name) {
                        return Ok(Node::SqlValue(v));
                    }
                    if name == "system_user" && self.env.major() >= 16 {
                        return self.resolve_call(
                            "system_user",
                            None,
                            Vec::new(),
                            Form::SqlSyntax,
                            Some(super::node::Syntax::SystemUser),
                        );
                    }
                }
                Ok(self.column(&name, ident.quote_style.is_none()))
            }
            Expr::CompoundIdentifier(parts) => match parts.last() {
                Some(last) => Ok(self.column(&ident_name(last), false)),
                None => Err(CanonError::new("empty identifier")),
            },
            Expr::Value(v) => self.literal(&v.value, false),
            Expr::TypedString(ts) => {
                let literal = self.literal(&ts.value.value, false)?;
                self.type_cast_node(literal, &ts.data_type)
            }
            Expr::Cast {
                kind,
                expr,
                data_type,
                ..
            } => match kind {
                SqlCastKind::Cast | SqlCastKind::DoubleColon => self.type_cast(expr, data_type),
                _ => Err(CanonError::new("TRY_CAST/SAFE_CAST is not PostgreSQL")),
            },
            Expr::UnaryOp { op, expr } => self.unary(op, expr),
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right),
            Expr::IsNull(arg) => self.null_test(arg, true),
            Expr::IsNotNull(arg) => self.null_test(arg, false),
            Expr::IsTrue(arg) => self.bool_test(arg, " IS TRUE"),
            Expr::IsNotTrue(arg) => self.bool_test(arg, " IS NOT TRUE"),
            Expr::IsFalse(arg) => self.bool_test(arg, " IS FALSE"),
            Expr::IsNotFalse(arg) => self.bool_test(arg, " IS NOT FALSE"),
            Expr::IsUnknown(arg) => self.bool_test(arg, " IS UNKNOWN"),
            Expr::IsNotUnknown(arg) => self.bool_test(arg, " IS NOT UNKNOWN"),
            Expr::IsDistinctFrom(a, b) => self.distinct(a, b, false),
            Expr::IsNotDistinctFrom(a, b) => self.distinct(a, b, true),
            Expr::InList {
                expr,
                list,
                negated,
            } => self.in_list(expr, list, *negated),
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => self.between(expr, *negated, low, high),
            Expr::Like {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            } => self.like(expr, pattern, escape_char.as_deref(), *negated, *any, false),
            Expr::ILike {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            } => self.like(expr, pattern, escape_char.as_deref(), *negated, *any, true),
            Expr::SimilarTo {
                negated,
                expr,
                pattern,
                escape_char,
            } => self.similar_to(expr, pattern, escape_char.as_deref(), *negated),
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.any_all(left, compare_op, right, true),
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.any_all(left, compare_op, right, false),
            Expr::Function(f) => self.function(f),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => self.case(operand.as_deref(), conditions, else_result.as_deref()),
            Expr::Extract { field, expr, .. } => self.extract(field, expr),
            Expr::Position { expr, r#in } => self.position(expr, r#in),
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                special,
                shorthand,
            } => self.substring(
                expr,
                substring_from.as_deref(),
                substring_for.as_deref(),
                *special,
                *shorthand,
            ),
            Expr::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => self.trim(
                trim_where.as_ref(),
                trim_what.as_deref(),
                expr,
                trim_characters.as_deref(),
            ),
            Expr::Overlay {
                expr,
                overlay_what,
                overlay_from,
                overlay_for,
            } => self.overlay(expr, overlay_what, overlay_from, overlay_for.as_deref()),
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => self.at_time_zone(timestamp, time_zone),
            Expr::Ceil { expr, field } => self.ceil_floor("ceil", expr, field),
            Expr::Floor { expr, field } => self.ceil_floor("floor", expr, field),
            Expr::Collate { expr, collation } => self.collate(expr, collation),
            Expr::Array(array) => self.array(&array.elem, None),
            Expr::Interval(interval) => self.interval_literal(interval),
            Expr::Tuple(items) => self.row(items),
            Expr::CompoundFieldAccess { root, access_chain } => {
                self.field_access(root, access_chain)
            }
            Expr::IsJson {
                expr,
                kind,
                unique_keys,
                negated,
            } if self.env.major() >= 16 => {
                self.is_json(expr, kind.as_ref(), unique_keys.as_ref(), *negated)
            }
            Expr::IsNormalized {
                expr,
                form,
                negated,
            } => self.is_normalized(expr, form.as_ref(), *negated),
            other => Ok(Node::Raw {
                text: other.to_string(),
                ty: Ty::Opaque,
            }),
        }
    }

    /// A column reference (`transformColumnRef`), or `VALUE` in a domain check.
    fn column(&self, name: &str, unquoted: bool) -> Node {
        if let Some(c) = self.env.scope.columns.iter().find(|c| c.name == name) {
            if let Ok(d) = self.env.parse_type_text(&c.data_type) {
                return Node::Var {
                    name: name.to_string(),
                    ty: d.ty,
                    typmod: d.typmod,
                };
            }
        }
        if unquoted && name == "value" {
            if let Some((ty, typmod)) = &self.domain_value {
                return Node::DomainValue {
                    ty: ty.clone(),
                    typmod: *typmod,
                };
            }
        }
        Node::Var {
            name: name.to_string(),
            ty: Ty::Opaque,
            typmod: -1,
        }
    }

    fn unary(&self, op: &UnaryOperator, arg: &Expr) -> Result<Node, CanonError> {
        match op {
            UnaryOperator::Not => {
                let arg = self.expr(arg)?;
                Ok(Node::Bool(BoolOp::Not, vec![self.coerce_to_boolean(arg)?]))
            }
            UnaryOperator::Minus => {
                // doNegate: "- 1", "-(1)" and "- - 1" are constants, not operators.
                if let Some((v, negative)) = negated_number(arg) {
                    return self.literal(v, !negative);
                }
                self.prefix_op("-", arg)
            }
            other => {
                let name = match other {
                    UnaryOperator::Plus => "+",
                    UnaryOperator::PGSquareRoot => "|/",
                    UnaryOperator::PGCubeRoot => "||/",
                    UnaryOperator::PGAbs => "@",
                    UnaryOperator::BitwiseNot => "~",
                    UnaryOperator::PGPrefixFactorial => "!!",
                    UnaryOperator::AtDashAt => "@-@",
                    UnaryOperator::Hash => "#",
                    UnaryOperator::DoubleAt => "@@",
                    UnaryOperator::QuestionDash => "?-",
                    UnaryOperator::QuestionPipe => "?|",
                    _ => {
                        return Err(CanonError::new(format!(
                            "operator {other} is not PostgreSQL"
                        )))
                    }
                };
                self.prefix_op(name, arg)
            }
        }
    }

    fn binary(&self, left: &Expr, op: &BinaryOperator, right: &Expr) -> Result<Node, CanonError> {
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let bool_op = if *op == BinaryOperator::And {
                    BoolOp::And
                } else {
                    BoolOp::Or
                };
                // makeAndExpr / makeOrExpr flatten a chain through the left operand only
                // (parentheses create no node, so "(a AND b) AND c" flattens too).
                let mut operands = vec![right];
                let mut l = left;
                loop {
                    let mut inner = l;
                    while let Expr::Nested(e) = inner {
                        inner = e;
                    }
                    if !std::ptr::eq(inner, l) && expansion_group(op, inner) {
                        operands.push(l);
                        break;
                    }
                    match inner {
                        Expr::BinaryOp {
                            left: ll,
                            op: lop,
                            right: lr,
                        } if lop == op => {
                            operands.push(lr);
                            l = ll;
                        }
                        _ => {
                            operands.push(l);
                            break;
                        }
                    }
                }
                operands.reverse();
                let args = operands
                    .into_iter()
                    .map(|e| self.expr(e).and_then(|n| self.coerce_to_boolean(n)))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Node::Bool(bool_op, args))
            }
            BinaryOperator::PGCustomBinaryOperator(parts) => {
                let (schema, name) = match parts.as_slice() {
                    [name] => (None, name.clone()),
                    [schema, name] => (Some(schema.clone()), name.clone()),
                    _ => return Err(CanonError::new("bad OPERATOR() name")),
                };
                self.binary_op(&name, schema.as_deref(), left, right)
            }
            BinaryOperator::Xor
            | BinaryOperator::Spaceship
            | BinaryOperator::DuckIntegerDivide
            | BinaryOperator::MyIntegerDivide
            | BinaryOperator::Match
            | BinaryOperator::Regexp
            | BinaryOperator::Glob
            | BinaryOperator::Overlaps
            | BinaryOperator::Assignment => {
                Err(CanonError::new(format!("operator {op} is not supported")))
            }
            other => {
                let name = match other {
                    BinaryOperator::BitwiseXor => "^".to_string(),
                    o => o.to_string(),
                };
                self.binary_op(&name, None, left, right)
            }
        }
    }

    fn null_test(&self, arg: &Expr, is_null: bool) -> Result<Node, CanonError> {
        let arg = self.expr(arg)?;
        let row = matches!(arg, Node::Row { .. });
        Ok(Node::NullTest {
            arg: Box::new(arg),
            is_null,
            row,
        })
    }

    fn bool_test(&self, arg: &Expr, test: &'static str) -> Result<Node, CanonError> {
        let arg = self.expr(arg)?;
        Ok(Node::BoolTest {
            arg: Box::new(self.coerce_to_boolean(arg)?),
            test,
        })
    }

    /// `transformTypeCast`.
    fn type_cast(&self, arg: &Expr, dt: &sqlparser::ast::DataType) -> Result<Node, CanonError> {
        let declared = self.env.declared(dt)?;
        // ARRAY[…]::type[] types the elements directly (transformArrayExpr with a target).
        // A parenthesised ARRAY is what ruleutils prints for an array coercion, so it is
        // analysed first and cast after, keeping PostgreSQL's own output stable.
        if let Expr::Array(array) = arg {
            let (base, base_typmod) = self.env.base_and_typmod(&declared.ty, declared.typmod);
            if let Some(elem) = self.env.elem(&base) {
                let node = self.array(&array.elem, Some((&base, &elem, base_typmod)))?;
                let input = node.ty();
                return self.coerce_to_target_type(
                    node,
                    &input,
                    &declared.ty,
                    declared.typmod,
                    Ctx::Explicit,
                    Form::ExplicitCast,
                );
            }
        }
        let node = self.expr(arg)?;
        self.cast_to_declared(node, &declared)
    }

    fn type_cast_node(
        &self,
        node: Node,
        dt: &sqlparser::ast::DataType,
    ) -> Result<Node, CanonError> {
        let declared = self.env.declared(dt)?;
        self.cast_to_declared(node, &declared)
    }

    fn cast_to_declared(
        &self,
        node: Node,
        declared: &super::types::Declared,
    ) -> Result<Node, CanonError> {
        let input = node.ty();
        self.coerce_to_target_type(
            node,
            &input,
            &declared.ty,
            declared.typmod,
            Ctx::Explicit,
            Form::ExplicitCast,
        )
    }
}

/// Whether a parenthesised AND (OR) group is how PostgreSQL prints the expansion of a
/// BETWEEN or an IN list with columns (`((x >= 1) AND (x <= 10))`, `((x = a) OR (x = b))`):
/// PostgreSQL's own text keeps such a group nested, and rendering that text must give it
/// back; re-parsing it, PostgreSQL itself would flatten it into the enclosing chain.
fn expansion_group(op: &BinaryOperator, group: &Expr) -> bool {
    let mut operands = Vec::new();
    let mut e = group;
    loop {
        match e {
            Expr::BinaryOp { left, op: o, right } if o == op => {
                operands.push(strip_nested(right));
                e = strip_nested(left);
            }
            other => {
                operands.push(other);
                break;
            }
        }
    }
    operands.reverse();
    // The comparison operator and left operand of each member.
    let parts: Vec<Option<(String, String)>> = operands
        .iter()
        .map(|o| match o {
            Expr::BinaryOp { left, op, .. } => {
                Some((op.to_string(), strip_nested(left).to_string()))
            }
            Expr::AnyOp {
                left, compare_op, ..
            } => Some((format!("{compare_op} ANY"), strip_nested(left).to_string())),
            Expr::AllOp {
                left, compare_op, ..
            } => Some((format!("{compare_op} ALL"), strip_nested(left).to_string())),
            _ => None,
        })
        .collect();
    let Some(parts) = parts.into_iter().collect::<Option<Vec<_>>>() else {
        return false;
    };
    if parts.len() < 2 || parts.iter().any(|(_, l)| *l != parts[0].1) {
        return false;
    }
    let ops: Vec<&str> = parts.iter().map(|(o, _)| o.as_str()).collect();
    match op {
        BinaryOperator::And => {
            ops == [">=", "<="] || ops.iter().all(|o| *o == "<>" || *o == "<> ALL")
        }
        BinaryOperator::Or => ops == ["<", ">"] || ops.iter().all(|o| *o == "=" || *o == "= ANY"),
        _ => false,
    }
}

fn strip_nested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip_nested(inner),
        other => other,
    }
}
