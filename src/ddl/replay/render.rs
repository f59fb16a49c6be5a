//! The glue between replayed statements and `canon`: the `Scope` for each type or
//! expression, index keys (collation, operator class, ordering), storage parameters, the
//! columns an expression uses, and PostgreSQL's `FigureColname` for implicit index names.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, DataType, Expr, IndexColumn, ObjectName, OrderBySort, TrimWhereField, Value,
};

use super::opclass;
use super::resolve::{ident, split_name};
use super::state::{ExprSrc, SearchPath, State};
use crate::ddl::canon;
use crate::model::{quote_ident, Column, IndexExpr, IndexKey, PgVersion, QualifiedName};

impl State {
    pub(crate) fn render_default(
        &self,
        table: Option<&QualifiedName>,
        columns: &[Column],
        src: &ExprSrc,
        column_type: &str,
    ) -> Option<String> {
        let scope = self.scope(&src.search_path, table, columns);
        canon::column_default(&src.expr, column_type, &scope)
    }

    pub(crate) fn render_generated(
        &self,
        table: Option<&QualifiedName>,
        columns: &[Column],
        src: &ExprSrc,
        column_type: &str,
    ) -> String {
        let scope = self.scope(&src.search_path, table, columns);
        canon::generated_expr(&src.expr, column_type, &scope)
    }

    pub(crate) fn render_check(
        &self,
        table: Option<&QualifiedName>,
        columns: &[Column],
        src: &ExprSrc,
    ) -> String {
        let scope = self.scope(&src.search_path, table, columns);
        canon::check_expr(&src.expr, &scope)
    }

    pub(crate) fn render_predicate(
        &self,
        table: Option<&QualifiedName>,
        columns: &[Column],
        src: &ExprSrc,
    ) -> String {
        let scope = self.scope(&src.search_path, table, columns);
        canon::predicate(&src.expr, &scope)
    }

    /// One index key as `pg_get_indexdef` shows it, with the expression's source (for
    /// expression keys), the columns it uses and the collation written on it.
    pub(crate) fn index_key(
        &self,
        table: &QualifiedName,
        columns: &[Column],
        key: &IndexColumn,
        method: &str,
        path: &SearchPath,
    ) -> (IndexKey, Option<ExprSrc>, BTreeSet<String>, Option<String>) {
        let (expr, collation) = strip_collate(&key.column.expr);
        let expr = strip_nested_column(expr);
        let scope = self.scope(path, Some(table), columns);
        let rendered = canon::index_key(expr, &scope);
        let used = expr_columns(expr, columns);
        let explicit = collation.map(|c| collation_text(&c));
        let collation = shown_collation(explicit.as_deref(), &rendered, columns);
        let descending = matches!(key.column.options.sort, Some(OrderBySort::Desc));
        let nulls_first = key.column.options.nulls_first.unwrap_or(descending);
        let opclass = key
            .operator_class
            .as_ref()
            .and_then(|o| opclass::render(o, method, &self.effective_extension_schema(path)));
        let src = match &rendered {
            IndexExpr::Column(_) => None,
            IndexExpr::Expression(_) => Some(ExprSrc::new(expr.clone(), path.clone())),
        };
        (
            IndexKey {
                expr: rendered,
                collation,
                opclass,
                descending,
                nulls_first,
            },
            src,
            used,
            explicit,
        )
    }

    /// The schema an extension's objects (operator classes) most likely live in: the first
    /// schema of the path, where `CREATE EXTENSION` puts them by default.
    fn effective_extension_schema(&self, path: &[String]) -> String {
        path.first().cloned().unwrap_or_else(|| "public".into())
    }
}

/// The collation `pg_get_indexdef` prints for a key: the one written, unless it is the
/// column's own (or the default).
pub(crate) fn shown_collation(
    explicit: Option<&str>,
    key: &IndexExpr,
    columns: &[Column],
) -> Option<String> {
    let explicit = explicit.filter(|c| *c != "default")?;
    let column_collation = match key {
        IndexExpr::Column(c) => columns
            .iter()
            .find(|k| &k.name == c)
            .and_then(|k| k.collation.clone()),
        IndexExpr::Expression(_) => None,
    };
    (Some(explicit) != column_collation.as_deref()).then(|| explicit.to_string())
}

/// `expr COLLATE c` → (`expr`, `c`).
fn strip_collate(expr: &Expr) -> (&Expr, Option<ObjectName>) {
    match expr {
        Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.clone())),
        Expr::Nested(inner) => match inner.as_ref() {
            Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.clone())),
            _ => (expr, None),
        },
        other => (other, None),
    }
}

/// `((col))` is a plain column to PostgreSQL (`ComputeIndexAttrs` turns a bare Var into a
/// simple key).
fn strip_nested_column(expr: &Expr) -> &Expr {
    let mut inner = expr;
    while let Expr::Nested(e) = inner {
        inner = e;
    }
    if matches!(inner, Expr::Identifier(_)) {
        inner
    } else {
        expr
    }
}

/// A collation as PostgreSQL prints it (`"C"`, `"en_US"`, `public.mycoll`).
pub(crate) fn collation_text(name: &ObjectName) -> String {
    let v = PgVersion::DEFAULT;
    match split_name(name) {
        Ok((Some(schema), n)) if schema != "pg_catalog" => {
            format!("{}.{}", quote_ident(&schema, v), quote_ident(&n, v))
        }
        Ok((_, n)) => quote_ident(&n, v),
        Err(_) => name.to_string(),
    }
}

/// The columns of `columns` that `expr` refers to.
pub(crate) fn expr_columns(expr: &Expr, columns: &[Column]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = visit_expressions(expr, |e: &Expr| {
        let name = match e {
            Expr::Identifier(id) => Some(ident(id)),
            Expr::CompoundIdentifier(parts) => parts.last().map(ident),
            _ => None,
        };
        if let Some(name) = name {
            if columns.iter().any(|c| c.name == name) {
                out.insert(name);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

/// Storage parameters as `pg_get_indexdef` prints them: `fillfactor='70'`.
pub(crate) fn storage_parameters(with: &[Expr]) -> Vec<String> {
    with.iter()
        .map(|e| match e {
            Expr::BinaryOp { left, right, .. } => {
                let key = match left.as_ref() {
                    Expr::Identifier(id) => ident(id),
                    other => other.to_string().to_lowercase(),
                };
                let value = match right.as_ref() {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) => s.clone(),
                        Value::Boolean(b) => b.to_string(),
                        other => other.to_string(),
                    },
                    Expr::Identifier(id) => ident(id),
                    other => other.to_string(),
                };
                format!("{key}='{}'", value.replace('\'', "''"))
            }
            other => other.to_string(),
        })
        .collect()
}

/// PostgreSQL's `FigureColname` for an index expression: the name an implicit index name
/// is built from (`lower(email)` → `lower`, `(a + b)` → none, so `expr`).
pub(crate) fn figure_colname(expr: &Expr, version: PgVersion) -> Option<String> {
    match expr {
        Expr::Identifier(id) => Some(ident(id)),
        Expr::CompoundIdentifier(parts) => parts.last().map(ident),
        Expr::Nested(e) | Expr::Collate { expr: e, .. } => figure_colname(e, version),
        Expr::Function(f) => split_name(&f.name).ok().map(|(_, n)| n),
        Expr::Cast {
            expr, data_type, ..
        } => figure_colname(expr, version).or_else(|| Some(type_colname(data_type))),
        Expr::Case { .. } => Some("case".into()),
        Expr::Array(_) => Some("array".into()),
        Expr::Exists { .. } => Some("exists".into()),
        Expr::Extract { .. } => Some(if version.major() >= 14 {
            "extract".into()
        } else {
            "date_part".into()
        }),
        Expr::Ceil { .. } => Some("ceil".into()),
        Expr::Floor { .. } => Some("floor".into()),
        Expr::Position { .. } => Some("position".into()),
        Expr::Substring { .. } => Some("substring".into()),
        Expr::Overlay { .. } => Some("overlay".into()),
        Expr::AtTimeZone { .. } => Some("timezone".into()),
        Expr::Trim { trim_where, .. } => Some(
            match trim_where {
                Some(TrimWhereField::Leading) => "ltrim",
                Some(TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            }
            .into(),
        ),
        Expr::TypedString(t) => Some(type_colname(&t.data_type)),
        Expr::CompoundFieldAccess { root, .. } => figure_colname(root, version),
        _ => None,
    }
}

/// The last name of a type as the grammar stores it (`integer` → `int4`, `varchar(10)` →
/// `varchar`), used by `FigureColname` for casts.
fn type_colname(data_type: &DataType) -> String {
    let text = data_type.to_string().to_lowercase();
    let base = text
        .split(['(', '['])
        .next()
        .unwrap_or(&text)
        .trim()
        .to_string();
    let mapped = match base.as_str() {
        "int" | "integer" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "smallint" | "int2" => "int2",
        "varchar" | "character varying" => "varchar",
        "char" | "character" | "bpchar" => "bpchar",
        "boolean" | "bool" => "bool",
        "real" | "float4" => "float4",
        "double precision" | "float8" | "float" => "float8",
        "decimal" | "numeric" => "numeric",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "time with time zone" | "timetz" => "timetz",
        "time" | "time without time zone" => "time",
        other => other.rsplit('.').next().unwrap_or(other),
    };
    mapped.trim_matches('"').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::parse::parse_expr;

    fn figure(sql: &str) -> Option<String> {
        figure_colname(&parse_expr(sql).unwrap(), PgVersion(15))
    }

    #[test]
    fn figure_colname_follows_postgres() {
        assert_eq!(figure("lower(email)").as_deref(), Some("lower"));
        assert_eq!(figure("public.f(x)").as_deref(), Some("f"));
        assert_eq!(figure("a + b"), None);
        assert_eq!(figure("(a::text)").as_deref(), Some("a"));
        assert_eq!(figure("('x'::text)").as_deref(), Some("text"));
        assert_eq!(figure("coalesce(a, b)").as_deref(), Some("coalesce"));
        assert_eq!(figure("CASE WHEN a THEN 1 END").as_deref(), Some("case"));
        assert_eq!(figure("\"Name\"").as_deref(), Some("Name"));
    }

    #[test]
    fn storage_parameters_are_quoted() {
        let e = parse_expr("fillfactor = 70").unwrap();
        assert_eq!(storage_parameters(&[e]), vec!["fillfactor='70'"]);
    }
}
