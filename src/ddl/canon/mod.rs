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
//! How: the expression is analysed as PostgreSQL's parser does (`analyze`: column types,
//! literal types, function and operator resolution against a catalog generated from real
//! servers of every supported version (`catalog`, `data/catalog.txt`, including the objects
//! of common extensions such as citext, hstore, pg_trgm, pgcrypto: `extensions`), implicit
//! coercions), giving the node tree the server would store (`node`); that tree is printed as
//! `ruleutils.c` prints it (`deparse`), with constants normalised by their type's input and
//! output functions (`values`).
//!
//! Known approximations (each confirmed against the server in `tests/it/canon_approximations.rs`):
//! calls of functions the migrations created whose signature could not be read (a `%TYPE`
//! parameter) keep their arguments as written (untyped literals taken as text); named-notation
//! arguments are not coerced; composite types' field types are unknown; literals evaluated
//! when the DDL runs (`'now'`, `now()` in a partition bound) or needing the time zone
//! database (`'… America/New_York'`) keep their text; jsonpath and tsquery constants keep
//! their text; an extension that only adds operators on built-in types (intarray) is not
//! seen. Two forms PostgreSQL does not re-parse into its own text are kept as given, so
//! that rendering PostgreSQL's output is idempotent: an array coercion
//! `(ARRAY['a'::character varying])::text[]` and a BETWEEN/IN group inside AND/OR.
//! Text PostgreSQL prints that sqlparser 0.63 cannot read goes through
//! [`prepare_for_sqlparser`] first.
//!
//! INTERFACE CONTRACT: `replay` calls only the items declared in this file. Their names and
//! signatures are fixed; `column_default`, `domain_check_expr`, `index_key_collation`,
//! `equivalent_modulo_casts`, `strip_implicit_casts` and `prepare_for_sqlparser` are
//! additions.

mod analyze;
mod catalog;
mod compare;
mod declared;
mod deparse;
mod extensions;
mod format_type;
mod node;
mod partition;
mod sqltext;
#[cfg(test)]
mod tests;
mod types;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sqlparser::ast::{DataType, Expr, ForValues};

use crate::model::{Column, IndexExpr, PgVersion, QualifiedName};

pub use compare::{equivalent_modulo_casts, strip_implicit_casts};
pub use sqltext::prepare_for_sqlparser;

use analyze::{Analyzer, Ctx};
use node::{Form, Node};
use types::Env;

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

/// One function the migrations created, as call resolution needs it: the canonical types
/// of its input parameters (`IN`, `INOUT`, `VARIADIC`, in order; the variadic one as its
/// array type, as `proargtypes` holds it), how many of the last ones have defaults, and its
/// result type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routine {
    /// `None` when a parameter type could not be read (`%TYPE`, an unknown type): calls of
    /// the function are then kept as written.
    pub args: Option<Vec<String>>,
    pub variadic: bool,
    pub defaults: usize,
    /// `None` for `SETOF`, `TABLE (…)`, `record` results and results that could not be read.
    pub returns: Option<String>,
}

impl Routine {
    /// A routine whose signature is not known.
    pub fn unknown() -> Routine {
        Routine {
            args: None,
            variadic: false,
            defaults: 0,
            returns: None,
        }
    }
}

/// An extension the migrations created: the schema its objects went to, and the types
/// pgdrift registered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledExtension {
    pub schema: String,
    pub types: Vec<QualifiedName>,
}

/// Extensions the migrations created, by name.
pub type Extensions = BTreeMap<String, InstalledExtension>;

/// Functions the migrations created: every overload of each name.
pub type Routines = BTreeMap<QualifiedName, Vec<Routine>>;

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
    /// Functions the migrations created, with their signatures.
    pub functions: &'a Routines,
    /// Extensions the migrations created (where their functions live).
    pub extensions: &'a Extensions,
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
    let env = Env::new(scope);
    let declared = env.declared(dt)?;
    let mut text = env.format_type(&declared.ty, declared.typmod);
    if let Some(modifiers) = &declared.raw_modifiers {
        // An extension type's modifiers print as written, before any array brackets.
        let brackets = text.len() - text.trim_end_matches("[]").len();
        let (name, arrays) = text.split_at(text.len() - brackets);
        text = format!("{name}({modifiers}){arrays}");
    }
    Ok(CanonType {
        text,
        serial: declared.serial,
    })
}

/// Analyse `expr` and coerce it to the column type as `cookDefault` does (assignment
/// coercion, displayed as implicit).
fn cook_default(env: &Env<'_>, expr: &Expr, column_type: &str) -> Result<Node, CanonError> {
    let analyzer = Analyzer::new(*env);
    let node = analyzer.expr(expr)?;
    let target = env.parse_type_text(column_type)?;
    let input = node.ty();
    match analyzer.coerce_to_target_type(
        node.clone(),
        &input,
        &target.ty,
        target.typmod,
        Ctx::Assignment,
        Form::ImplicitCast,
    ) {
        Ok(n) => Ok(n),
        // PostgreSQL would reject the default; keep the expression as analysed.
        Err(_) => Ok(node),
    }
}

/// `pg_get_expr(adbin, adrelid)` of `DEFAULT expr` on a column of canonical type `column_type`
/// (the default is coerced to the column's type, as PostgreSQL does when it stores it).
pub fn default_expr(expr: &Expr, column_type: &str, scope: &Scope<'_>) -> String {
    let env = Env::new(scope);
    match cook_default(&env, expr, column_type) {
        Ok(node) => deparse::deparse(&env, &node),
        Err(_) => expr.to_string(),
    }
}

/// Like [`default_expr`], but `None` when PostgreSQL stores no default at all: a default
/// that is just a NULL constant of the column's type (`DEFAULT NULL` on a `text` or
/// `bigint` column) leaves no `pg_attrdef` row (`AddRelationNewConstraints`), while one
/// that needs a coercion on top (`DEFAULT NULL` on `varchar(50)`) is stored.
pub fn column_default(expr: &Expr, column_type: &str, scope: &Scope<'_>) -> Option<String> {
    let env = Env::new(scope);
    match cook_default(&env, expr, column_type) {
        Ok(Node::Const(c)) if c.value.is_none() => None,
        Ok(node) => Some(deparse::deparse(&env, &node)),
        Err(_) => Some(expr.to_string()),
    }
}

/// `pg_get_expr(adbin, adrelid)` of `GENERATED ALWAYS AS (expr)` on a column of `column_type`.
pub fn generated_expr(expr: &Expr, column_type: &str, scope: &Scope<'_>) -> String {
    default_expr(expr, column_type, scope)
}

fn boolean_expr(env: &Env<'_>, analyzer: &Analyzer<'_>, expr: &Expr) -> Result<String, CanonError> {
    let node = analyzer.expr(expr)?;
    let node = analyzer.coerce_to_boolean(node)?;
    Ok(deparse::deparse(env, &node))
}

/// `pg_get_expr(conbin, conrelid)` of `CHECK (expr)`, outer parentheses included as
/// PostgreSQL prints them: `(price > (0)::numeric)`.
pub fn check_expr(expr: &Expr, scope: &Scope<'_>) -> String {
    let env = Env::new(scope);
    let analyzer = Analyzer::new(env);
    boolean_expr(&env, &analyzer, expr).unwrap_or_else(|_| format!("({expr})"))
}

/// `pg_get_expr(conbin, 0)` of a domain's `CHECK (expr)`, where `VALUE` stands for the
/// value of `base_type` (canonical text of the domain's base type).
pub fn domain_check_expr(expr: &Expr, base_type: &str, scope: &Scope<'_>) -> String {
    let env = Env::new(scope);
    let mut analyzer = Analyzer::new(env);
    if let Ok(d) = env.parse_type_text(base_type) {
        analyzer.domain_value = Some((d.ty, d.typmod));
    }
    boolean_expr(&env, &analyzer, expr).unwrap_or_else(|_| format!("({expr})"))
}

/// One index key as `pg_get_indexdef` prints it: a bare column reference becomes
/// `IndexExpr::Column`, anything else `IndexExpr::Expression` with the text exactly as it
/// appears in the index definition (wrapped in parentheses unless a bare function call).
/// A COLLATE written on top of the key belongs to the key, not to the expression: see
/// [`index_key_collation`].
pub fn index_key(expr: &Expr, scope: &Scope<'_>) -> IndexExpr {
    let env = Env::new(scope);
    match partition::key(&env, expr) {
        Ok(key) => match key.column {
            Some(c) => IndexExpr::Column(c),
            None => IndexExpr::Expression(key.text),
        },
        Err(_) => match expr {
            Expr::Identifier(ident) => IndexExpr::Column(types::ident_name(ident)),
            other => IndexExpr::Expression(format!("({other})")),
        },
    }
}

/// The collation of an index key written as `expr COLLATE name`, as `pg_get_indexdef`
/// prints it (`"C"`, `public.mycoll`).
pub fn index_key_collation(expr: &Expr, scope: &Scope<'_>) -> Option<String> {
    let env = Env::new(scope);
    partition::key(&env, expr).ok().and_then(|k| k.collation)
}

/// `pg_get_expr(indpred, indrelid)` of a partial index's `WHERE expr`.
pub fn predicate(expr: &Expr, scope: &Scope<'_>) -> String {
    check_expr(expr, scope)
}

/// `pg_get_partkeydef`: `RANGE (payment_date)`, `LIST (lower(region))`, `HASH (id)`.
/// `strategy` is the keyword as written (`RANGE`, `LIST`, `HASH`), `keys` the key expressions.
pub fn partition_key(strategy: &str, keys: &[Expr], scope: &Scope<'_>) -> String {
    let env = Env::new(scope);
    partition::partition_key(&env, strategy, keys).unwrap_or_else(|_| {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        format!("{} ({})", strategy.to_uppercase(), keys.join(", "))
    })
}

/// `pg_get_expr(relpartbound, oid)`: `FOR VALUES FROM ('2022-01-01 00:00:00+00') TO (…)`,
/// `FOR VALUES IN ('a', 'b')`, `FOR VALUES WITH (modulus 4, remainder 0)`, `DEFAULT`.
/// `key_types` are the canonical types of the parent's partition key columns, in order.
pub fn partition_bound(bound: &ForValues, key_types: &[String], scope: &Scope<'_>) -> String {
    let env = Env::new(scope);
    partition::partition_bound(&env, bound, key_types).unwrap_or_else(|_| bound.to_string())
}
