//! Literals (`make_const`): numbers as int4, int8 or numeric, strings as untyped constants,
//! bit strings, booleans, NULL; the grammar's folding of minus signs into numbers
//! (`doNegate`); the SQL value keywords sqlparser may leave as bare identifiers.

use sqlparser::ast::{Expr, UnaryOperator, Value};

use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::node::{Const, Node, SqlValue};
use crate::ddl::canon::types::Ty;
use crate::ddl::canon::values;
use crate::ddl::canon::CanonError;

impl Analyzer<'_> {
    /// A literal (`make_const`); `negative` applies the grammar's `doNegate`.
    pub(crate) fn literal(&self, v: &Value, negative: bool) -> Result<Node, CanonError> {
        let unknown = |s: &str| {
            Node::Const(Const {
                ty: Ty::UNKNOWN,
                typmod: -1,
                value: Some(s.to_string()),
            })
        };
        Ok(match v {
            Value::Number(text, _) => {
                let text = if negative {
                    format!("-{text}")
                } else {
                    text.clone()
                };
                number_const(&text)?
            }
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::UnicodeStringLiteral(s)
            | Value::TripleSingleQuotedString(s)
            | Value::DoubleQuotedString(s) => unknown(s),
            Value::DollarQuotedString(d) => unknown(&d.value),
            Value::NationalStringLiteral(s) => Node::Const(Const {
                ty: Ty::Builtin(oid::BPCHAR),
                typmod: -1,
                value: Some(s.clone()),
            }),
            Value::Boolean(b) => Node::Const(Const {
                ty: Ty::BOOL,
                typmod: -1,
                value: Some(if *b { "t" } else { "f" }.to_string()),
            }),
            Value::Null => Node::Const(Const {
                ty: Ty::UNKNOWN,
                typmod: -1,
                value: None,
            }),
            Value::SingleQuotedByteStringLiteral(bits) => Node::Const(Const {
                ty: Ty::Builtin(oid::BIT),
                typmod: -1,
                value: Some(values::bit_input(&format!("b{bits}"))?),
            }),
            Value::HexStringLiteral(hex) => Node::Const(Const {
                ty: Ty::Builtin(oid::BIT),
                typmod: -1,
                value: Some(values::bit_input(&format!("x{hex}"))?),
            }),
            other => {
                return Err(CanonError::new(format!(
                    "literal {other} is not PostgreSQL"
                )))
            }
        })
    }
}

/// A numeric literal under parentheses and minus signs (which the grammar folds into it),
/// and whether it is negative.
pub(crate) fn negated_number(e: &Expr) -> Option<(&Value, bool)> {
    match e {
        Expr::Nested(inner) => negated_number(inner),
        Expr::Value(v) if matches!(v.value, Value::Number(..)) => Some((&v.value, false)),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => negated_number(expr).map(|(v, neg)| (v, !neg)),
        _ => None,
    }
}

/// The SQL value functions written without parentheses.
pub(crate) fn sql_value_keyword(name: &str) -> Option<SqlValue> {
    Some(match name {
        "current_date" => SqlValue::CurrentDate,
        "current_time" => SqlValue::CurrentTime(None),
        "current_timestamp" => SqlValue::CurrentTimestamp(None),
        "localtime" => SqlValue::LocalTime(None),
        "localtimestamp" => SqlValue::LocalTimestamp(None),
        "current_role" => SqlValue::CurrentRole,
        "current_user" => SqlValue::CurrentUser,
        "user" => SqlValue::User,
        "session_user" => SqlValue::SessionUser,
        "current_catalog" => SqlValue::CurrentCatalog,
        "current_schema" => SqlValue::CurrentSchema,
        _ => return None,
    })
}

/// `make_const` for a numeric literal: int4 when it fits, else int8, else numeric.
pub(crate) fn number_const(text: &str) -> Result<Node, CanonError> {
    let integer = {
        let digits = text.strip_prefix('-').unwrap_or(text);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if integer {
        if let Ok(v) = text.parse::<i32>() {
            return Ok(Node::Const(Const {
                ty: Ty::INT4,
                typmod: -1,
                value: Some(v.to_string()),
            }));
        }
        if let Ok(v) = text.parse::<i64>() {
            return Ok(Node::Const(Const {
                ty: Ty::Builtin(oid::INT8),
                typmod: -1,
                value: Some(v.to_string()),
            }));
        }
    }
    Ok(Node::Const(Const {
        ty: Ty::Builtin(oid::NUMERIC),
        typmod: -1,
        value: Some(values::numeric_input(text)?),
    }))
}
