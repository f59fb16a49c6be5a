//! `ddl::canon` never panics on real migrations: every expression and every column type
//! sqlparser finds in the corpora and scenario files (as written, not as PostgreSQL stores
//! them) goes through every entry point.

use std::ops::ControlFlow;
use std::path::Path;

use pgdrift::ddl::canon::{
    check_expr, column_default, data_type, index_key, partition_key, predicate, Scope, TypeRegistry,
};
use pgdrift::model::{Column, PgVersion, QualifiedName};
use sqlparser::ast::{visit_expressions, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

fn sql_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sql_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

#[test]
fn every_expression_of_the_fixtures_renders_without_panicking() {
    let mut files = Vec::new();
    sql_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    files.sort();
    let registry = TypeRegistry::default();
    let path = vec!["public".to_string()];
    let empty = Default::default();
    let functions = Default::default();
    let table = QualifiedName::new("public", "t");
    let columns = vec![
        Column::new("id", "integer"),
        Column::new("email", "character varying(255)"),
        Column::new("name", "text"),
    ];
    let mut expressions = 0;
    let mut types = 0;
    for version in [13, 15, 18] {
        let scope = Scope {
            version: PgVersion(version),
            search_path: &path,
            types: &registry,
            relations: &empty,
            functions: &functions,
            extensions: &pgdrift::ddl::canon::Extensions::new(),
            table: Some(&table),
            columns: &columns,
        };
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let Ok(split) = pgdrift::ddl::split::split(&text, &file.display().to_string()) else {
                continue;
            };
            for statement in split.statements {
                let Ok(parsed) = Parser::parse_sql(&PostgreSqlDialect {}, &statement.text) else {
                    continue;
                };
                for st in &parsed {
                    let _ = visit_expressions(st, |e| {
                        expressions += 1;
                        let _ = check_expr(e, &scope);
                        let _ = predicate(e, &scope);
                        let _ = column_default(e, "text", &scope);
                        let _ = column_default(e, "timestamp with time zone", &scope);
                        let _ = index_key(e, &scope);
                        let _ = partition_key("RANGE", std::slice::from_ref(e), &scope);
                        ControlFlow::<()>::Continue(())
                    });
                    if let Statement::CreateTable(ct) = st {
                        for c in &ct.columns {
                            types += 1;
                            let _ = data_type(&c.data_type, &scope);
                        }
                    }
                }
            }
        }
    }
    assert!(expressions > 1000, "only {expressions} expressions found");
    assert!(types > 300, "only {types} column types found");
}
