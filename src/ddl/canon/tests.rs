//! Unit tests of the contract functions that need no server (the server-confirmed tables
//! are in `tests/it/canon_*.rs`).

use std::collections::BTreeSet;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::*;
use crate::model::{Column, PgVersion, QualifiedName};

fn expr(text: &str) -> Expr {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .expect("expression")
}

fn with_scope<T>(version: u32, columns: &[Column], f: impl FnOnce(&Scope<'_>) -> T) -> T {
    let types = TypeRegistry::default();
    let relations = BTreeSet::new();
    let functions = Default::default();
    let path = vec!["public".to_string()];
    let table = QualifiedName::new("public", "t");
    let scope = Scope {
        version: PgVersion(version),
        search_path: &path,
        types: &types,
        relations: &relations,
        functions: &functions,
        extensions: &crate::ddl::canon::Extensions::new(),
        table: Some(&table),
        columns,
    };
    f(&scope)
}

#[test]
fn types_that_are_not_postgres_are_errors() {
    with_scope(15, &[], |scope| {
        let dt = Parser::new(&PostgreSqlDialect {})
            .try_with_sql("TINYINT")
            .and_then(|mut p| p.parse_data_type())
            .expect("type");
        assert!(data_type(&dt, scope).is_err());
    });
}

#[test]
fn defaults_that_store_nothing() {
    with_scope(15, &[], |scope| {
        assert_eq!(column_default(&expr("NULL"), "text", scope), None);
        assert_eq!(column_default(&expr("NULL"), "bigint", scope), None);
        assert_eq!(
            column_default(&expr("NULL"), "character varying(50)", scope).as_deref(),
            Some("NULL::character varying")
        );
    });
}

#[test]
fn version_decides_sql_syntax() {
    let columns = [Column::new("email", "text")];
    let check = |v| {
        with_scope(v, &columns, |scope| {
            check_expr(&expr("position('@' in email) > 1"), scope)
        })
    };
    assert_eq!(check(13), "(\"position\"(email, '@'::text) > 1)");
    assert_eq!(check(14), "(POSITION(('@'::text) IN (email)) > 1)");
    assert_eq!(check(18), "(POSITION(('@'::text) IN (email)) > 1)");
}

#[test]
fn index_keys_split_collation() {
    let columns = [Column::new("name", "text")];
    with_scope(15, &columns, |scope| {
        let key = expr("name COLLATE \"C\"");
        assert_eq!(index_key(&key, scope), IndexExpr::Column("name".into()));
        assert_eq!(index_key_collation(&key, scope).as_deref(), Some("\"C\""));
        assert_eq!(
            index_key(&expr("lower(name)"), scope),
            IndexExpr::Expression("lower(name)".into())
        );
        assert_eq!(
            index_key(&expr("(name || 'x')"), scope),
            IndexExpr::Expression("((name || 'x'::text))".into())
        );
    });
}

#[test]
fn constructs_pgdrift_cannot_analyse_still_render() {
    with_scope(15, &[], |scope| {
        // A sub-select is not allowed in a CHECK; it is printed as written, not dropped.
        let text = check_expr(&expr("(SELECT 1) = 1"), scope);
        assert!(text.contains("SELECT 1"), "{text}");
    });
}
