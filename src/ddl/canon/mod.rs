//! PostgreSQL's canonical rendering of types and expressions, reproduced statically.
//!
//! Given a sqlparser AST node and what the replay knows (the `Scope`), produce exactly the
//! text the server would print for the same DDL: `format_type` for types, `pg_get_expr` for
//! defaults, generated columns, CHECK expressions and partial-index predicates,
//! `pg_get_indexdef` for index key expressions, `pg_get_expr(relpartbound)` for partition
//! bounds — all with `search_path = ''` (every object outside `pg_catalog` schema-qualified),
//! `TimeZone = 'UTC'`, `DateStyle = 'ISO, MDY'`, `IntervalStyle = 'postgres'`,
//! `extra_float_digits = 1`, on the server major version `Scope::version`.
//!
//! Where the exact text needs type information the static reader does not have, the output
//! is the best approximation, and `diff` compares expressions modulo implicit casts.
//!
//! INTERFACE CONTRACT: `replay` calls only the items declared in this file. Their names and
//! signatures are fixed; the bodies here are placeholders until the real implementation lands.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sqlparser::ast::{DataType, Expr, ForValues};

use crate::model::{Column, IndexExpr, PgVersion, QualifiedName};

/// A user-defined type the migrations created, as far as rendering needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserType {
    Enum,
    /// A domain over a base type (canonical text of the base type).
    Domain {
        base: String,
    },
    Composite,
    Range,
    /// Anything else (e.g. a shell or base type created by an extension script).
    Other,
}

/// User-defined types known to the replay, by qualified name.
#[derive(Debug, Clone, Default)]
pub struct TypeRegistry {
    pub types: BTreeMap<QualifiedName, UserType>,
}

/// Everything canonicalization of one type or expression may consult.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The server major version whose rendering to reproduce.
    pub version: PgVersion,
    /// The replay's effective search path: existing schemas, in order (`"$user"` resolved
    /// or dropped), used to resolve unqualified names. `pg_catalog` is implicitly first.
    pub search_path: &'a [String],
    pub types: &'a TypeRegistry,
    /// Relations (tables, views, sequences, indexes …) that exist at this point of the
    /// replay, for resolving `'seq'::regclass` and similar literals.
    pub relations: &'a BTreeSet<QualifiedName>,
    /// Functions the migrations created (name only; no overloading information).
    pub functions: &'a BTreeSet<QualifiedName>,
    /// The table the expression belongs to (its columns are in scope), if any.
    pub table: Option<&'a QualifiedName>,
    /// Columns in scope, with canonical types, for typing column references.
    pub columns: &'a [Column],
}

/// A canonical column type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonType {
    /// `format_type` text: `character varying(255)`, `integer[]`, `public."InviteStatus"`.
    pub text: String,
    /// Set when the declared type was `smallserial`/`serial`/`bigserial` (or `serial2/4/8`):
    /// `text` is then `smallint`/`integer`/`bigint` and the replay adds the sequence,
    /// the `nextval(…)` default and NOT NULL.
    pub serial: bool,
}

/// A type or expression pgdrift cannot render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonError {
    pub message: String,
}

impl fmt::Display for CanonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CanonError {}

/// `format_type(atttypid, atttypmod)` of a declared column type.
pub fn data_type(dt: &DataType, scope: &Scope<'_>) -> Result<CanonType, CanonError> {
    let _ = scope;
    let text = dt.to_string().to_lowercase();
    let serial = matches!(
        text.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
    );
    Ok(CanonType { text, serial })
}

/// `pg_get_expr(adbin, adrelid)` of `DEFAULT expr` on a column of canonical type `column_type`
/// (the default is coerced to the column's type, as PostgreSQL does when it stores it).
pub fn default_expr(expr: &Expr, column_type: &str, scope: &Scope<'_>) -> String {
    let _ = (column_type, scope);
    expr.to_string()
}

/// `pg_get_expr(adbin, adrelid)` of `GENERATED ALWAYS AS (expr)` on a column of `column_type`.
pub fn generated_expr(expr: &Expr, column_type: &str, scope: &Scope<'_>) -> String {
    let _ = (column_type, scope);
    expr.to_string()
}

/// `pg_get_expr(conbin, conrelid)` of `CHECK (expr)`, outer parentheses included as
/// PostgreSQL prints them: `(price > (0)::numeric)`.
pub fn check_expr(expr: &Expr, scope: &Scope<'_>) -> String {
    let _ = scope;
    format!("({expr})")
}

/// One index key as `pg_get_indexdef` prints it: a bare column reference becomes
/// `IndexExpr::Column`, anything else `IndexExpr::Expression` with the text exactly as it
/// appears in the index definition (wrapped in parentheses unless a bare function call).
pub fn index_key(expr: &Expr, scope: &Scope<'_>) -> IndexExpr {
    let _ = scope;
    match expr {
        Expr::Identifier(ident) => IndexExpr::Column(ident.value.clone()),
        other => IndexExpr::Expression(other.to_string()),
    }
}

/// `pg_get_expr(indpred, indrelid)` of a partial index's `WHERE expr`.
pub fn predicate(expr: &Expr, scope: &Scope<'_>) -> String {
    let _ = scope;
    format!("({expr})")
}

/// `pg_get_partkeydef`: `RANGE (payment_date)`, `LIST (lower(region))`, `HASH (id)`.
/// `strategy` is the keyword as written (`RANGE`, `LIST`, `HASH`), `keys` the key expressions.
pub fn partition_key(strategy: &str, keys: &[Expr], scope: &Scope<'_>) -> String {
    let _ = scope;
    let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    format!("{} ({})", strategy.to_uppercase(), keys.join(", "))
}

/// `pg_get_expr(relpartbound, oid)`: `FOR VALUES FROM ('2022-01-01 00:00:00+00') TO (…)`,
/// `FOR VALUES IN ('a', 'b')`, `FOR VALUES WITH (modulus 4, remainder 0)`, `DEFAULT`.
/// `key_types` are the canonical types of the parent's partition key columns, in order.
pub fn partition_bound(bound: &ForValues, key_types: &[String], scope: &Scope<'_>) -> String {
    let _ = (key_types, scope);
    bound.to_string()
}
