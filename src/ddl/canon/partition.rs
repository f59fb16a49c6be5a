//! Partitioning: `pg_get_partkeydef` for the key and `pg_get_expr(relpartbound)` for a
//! partition's bound, whose values PostgreSQL coerces to the key's types and folds to
//! constants (`transformPartitionBoundValue`) before printing them without a type label.

use sqlparser::ast::{Expr, ForValues, PartitionBoundValue};

use super::analyze::{Analyzer, Ctx};
use super::catalog::oid;
use super::deparse::{deparse, looks_like_function, Deparser};
use super::node::{Cast, CastKind, Const, Form, Node, OpExpr};
use super::types::Env;
use super::{values, CanonError};
use crate::model::quote_ident;

/// One key of `pg_get_partkeydef` (and of an index): a bare column or an expression,
/// with the COLLATE written on top of it (stripped from the expression, as
/// `ComputePartitionAttrs` and `ComputeIndexAttrs` do).
pub(crate) struct Key {
    pub column: Option<String>,
    pub text: String,
    pub collation: Option<String>,
}

pub(crate) fn key(env: &Env<'_>, expr: &Expr) -> Result<Key, CanonError> {
    let analyzer = Analyzer::new(*env);
    let mut node = analyzer.expr(expr)?;
    let mut collation = None;
    while let Node::Collate(arg, name) = node {
        if collation.is_none() {
            collation = Some(name);
        }
        node = *arg;
    }
    if let Node::Var { name, .. } = &node {
        return Ok(Key {
            column: Some(name.clone()),
            text: quote_ident(name, env.version),
            collation,
        });
    }
    let text = deparse(env, &node);
    let text = if looks_like_function(&node) {
        text
    } else {
        format!("({text})")
    };
    Ok(Key {
        column: None,
        text,
        collation,
    })
}

pub(crate) fn partition_key(
    env: &Env<'_>,
    strategy: &str,
    keys: &[Expr],
) -> Result<String, CanonError> {
    let mut parts = Vec::with_capacity(keys.len());
    for k in keys {
        let key = key(env, k)?;
        let mut text = key.text;
        if let Some(c) = key.collation {
            text.push_str(" COLLATE ");
            text.push_str(&c);
        }
        parts.push(text);
    }
    Ok(format!(
        "{} ({})",
        strategy.to_uppercase(),
        parts.join(", ")
    ))
}

/// Fold an analysed bound value to a constant of the key type (`evaluate_expr`), reading
/// each coercion's input through the target type's input function.
fn fold(env: &Env<'_>, node: Node) -> Result<Const, CanonError> {
    match node {
        Node::Const(c) => Ok(c),
        Node::Cast(c) => {
            let Cast {
                arg,
                ty,
                typmod,
                kind,
                ..
            } = *c;
            let inner = fold(env, arg)?;
            let (base, base_typmod) = env.base_and_typmod(&ty, typmod);
            let value = inner
                .value
                .map(|v| values::input(env, &base, base_typmod, &v).unwrap_or(v));
            let value = match (kind, value) {
                (CastKind::Func { length: true }, Some(v)) => {
                    Some(values::apply_typmod(&base, typmod, &v))
                }
                (_, v) => v,
            };
            Ok(Const {
                ty: base,
                typmod,
                value,
            })
        }
        Node::Op(op) if op.left.is_some() => {
            // Integer arithmetic, the only kind of expression bounds are usually built with.
            let OpExpr {
                name,
                left,
                right,
                ret,
                ..
            } = *op;
            let (Some(l), r) = (left, right) else {
                return Err(CanonError::new("prefix operator in a partition bound"));
            };
            let l = fold(env, l)?;
            let r = fold(env, r)?;
            let int = |c: &Const| c.value.as_deref().and_then(|v| v.parse::<i128>().ok());
            let integer_type = ret.is(oid::INT2) || ret.is(oid::INT4) || ret.is(oid::INT8);
            match (int(&l), int(&r)) {
                (Some(a), Some(b)) if integer_type => {
                    let v = match name.as_str() {
                        "+" => a + b,
                        "-" => a - b,
                        "*" => a * b,
                        "/" if b != 0 => a / b,
                        "%" if b != 0 => a % b,
                        _ => return Err(CanonError::new("operator in a partition bound")),
                    };
                    Ok(Const {
                        ty: ret,
                        typmod: -1,
                        value: Some(v.to_string()),
                    })
                }
                _ => Err(CanonError::new("operator in a partition bound")),
            }
        }
        Node::Collate(arg, _) => fold(env, *arg),
        other => Err(CanonError::new(format!(
            "partition bound value is not a constant: {}",
            deparse(env, &other)
        ))),
    }
}

fn bound_value(env: &Env<'_>, expr: &Expr, key_type: &str) -> Result<String, CanonError> {
    let analyzer = Analyzer::new(*env);
    let node = analyzer.expr(expr)?;
    let target = env.parse_type_text(key_type)?;
    let input = node.ty();
    let node = analyzer.coerce_to_target_type(
        node,
        &input,
        &target.ty,
        target.typmod,
        Ctx::Assignment,
        Form::ImplicitCast,
    )?;
    let c = fold(env, node)?;
    let mut d = Deparser::new(env);
    d.constant(&c, -1);
    Ok(d.finish())
}

fn range_values(
    env: &Env<'_>,
    values: &[PartitionBoundValue],
    key_types: &[String],
) -> Result<String, CanonError> {
    let mut parts = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        parts.push(match v {
            PartitionBoundValue::MinValue => "MINVALUE".to_string(),
            PartitionBoundValue::MaxValue => "MAXVALUE".to_string(),
            PartitionBoundValue::Expr(e) => bound_value(
                env,
                e,
                key_types.get(i).map(String::as_str).unwrap_or("text"),
            )?,
        });
    }
    Ok(format!("({})", parts.join(", ")))
}

pub(crate) fn partition_bound(
    env: &Env<'_>,
    bound: &ForValues,
    key_types: &[String],
) -> Result<String, CanonError> {
    Ok(match bound {
        ForValues::Default => "DEFAULT".to_string(),
        ForValues::With { modulus, remainder } => {
            format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
        }
        ForValues::In(values) => {
            let key_type = key_types.first().map(String::as_str).unwrap_or("text");
            let mut parts = Vec::with_capacity(values.len());
            for v in values {
                parts.push(bound_value(env, v, key_type)?);
            }
            format!("FOR VALUES IN ({})", parts.join(", "))
        }
        ForValues::From { from, to } => format!(
            "FOR VALUES FROM {} TO {}",
            range_values(env, from, key_types)?,
            range_values(env, to, key_types)?
        ),
    })
}
