//! Shared support for the `ddl::canon` tests: reading what PostgreSQL stored (with the
//! pinned session settings) and building a `Scope` the way the replay does.

use std::collections::{BTreeMap, BTreeSet};

use pgdrift::ddl::canon::{
    Extensions, InstalledExtension, Routine, Routines, Scope, TypeRegistry, UserType,
};
use pgdrift::model::{Column, PgVersion, QualifiedName};
use serde_json::Value;
use sqlparser::ast::{Expr, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use std::path::PathBuf;
use std::process::Command;

use crate::harness::TestDb;

/// The session settings canonical text is defined under.
pub const PINNED: &str = "SET search_path = ''; SET TimeZone = 'UTC'; \
    SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1;";

/// Run `query` (one JSON value per call, built with json_agg) after the pinned settings.
pub fn query_json(db: &TestDb, query: &str) -> Value {
    let out = db.exec(&format!("{PINNED} {query}"));
    let last = out.lines().last().unwrap_or("null");
    serde_json::from_str(last).unwrap_or_else(|e| panic!("bad JSON from {query}: {e}\n{out}"))
}

pub fn parse_expr(text: &str) -> Expr {
    let dialect = PostgreSqlDialect {};
    let text = &pgdrift::ddl::canon::prepare_for_sqlparser(text);
    let mut p = Parser::new(&dialect)
        .try_with_sql(text)
        .unwrap_or_else(|e| panic!("tokenize {text}: {e}"));
    let e = p
        .parse_expr()
        .unwrap_or_else(|e| panic!("parse {text}: {e}"));
    e
}

pub fn try_parse_expr(text: &str) -> Result<Expr, String> {
    let dialect = PostgreSqlDialect {};
    let text = &pgdrift::ddl::canon::prepare_for_sqlparser(text);
    let mut p = Parser::new(&dialect)
        .try_with_sql(text)
        .map_err(|e| e.to_string())?;
    let e = p.parse_expr().map_err(|e| e.to_string())?;
    if p.peek_token().token != sqlparser::tokenizer::Token::EOF {
        return Err(format!("trailing input after {e}"));
    }
    Ok(e)
}

pub fn parse_statement(text: &str) -> Statement {
    Parser::parse_sql(&PostgreSqlDialect {}, text)
        .unwrap_or_else(|e| panic!("parse {text}: {e}"))
        .remove(0)
}

/// Everything a Scope borrows, owned.
#[derive(Debug, Default)]
pub struct ScopeData {
    pub version: u32,
    pub search_path: Vec<String>,
    pub types: TypeRegistry,
    pub relations: BTreeSet<QualifiedName>,
    pub functions: Routines,
    pub extensions: Extensions,
    pub tables: BTreeMap<QualifiedName, Vec<Column>>,
}

impl ScopeData {
    pub fn scope<'a>(&'a self, table: Option<&'a QualifiedName>) -> Scope<'a> {
        let columns: &[Column] = table
            .and_then(|t| self.tables.get(t))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Scope {
            version: PgVersion(self.version),
            search_path: &self.search_path,
            types: &self.types,
            relations: &self.relations,
            functions: &self.functions,
            extensions: &self.extensions,
            table,
            columns,
        }
    }

    /// Read user types, relations, functions and table columns from a live database.
    pub fn from_database(db: &TestDb) -> ScopeData {
        let mut data = ScopeData {
            version: db.server.major(),
            search_path: vec!["public".to_string()],
            ..ScopeData::default()
        };
        let system = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
        let types = query_json(
            db,
            &format!(
                "SELECT coalesce(json_agg(json_build_array(n.nspname, t.typname, t.typtype::text, \
                 CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END)), '[]') \
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
                 WHERE {system} AND t.typtype IN ('e', 'd', 'r', 'b') AND t.typelem = 0 \
                 OR ({system} AND t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))"
            ),
        );
        for row in types.as_array().into_iter().flatten() {
            let s = |i: usize| row[i].as_str().unwrap_or_default().to_string();
            let kind = match s(2).as_str() {
                "e" => UserType::Enum,
                "d" => UserType::Domain { base: s(3) },
                "r" => UserType::Range,
                "c" => UserType::Composite,
                _ => UserType::Other,
            };
            data.types
                .types
                .insert(QualifiedName::new(s(0), s(1)), kind);
        }
        let relations = query_json(
            db,
            &format!(
                "SELECT coalesce(json_agg(json_build_array(n.nspname, c.relname)), '[]') FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {system}"
            ),
        );
        for row in relations.as_array().into_iter().flatten() {
            data.relations.insert(QualifiedName::new(
                row[0].as_str().unwrap_or_default(),
                row[1].as_str().unwrap_or_default(),
            ));
        }
        // Every function's signature as the catalog holds it (`format_type` with the
        // search path pinned to '' qualifies the types outside pg_catalog).
        let functions = query_json(
            db,
            &format!(
                "SELECT coalesce(json_agg(jsonb_build_array(n.nspname, p.proname, \
                 ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY i), \
                 p.pronargdefaults, p.provariadic <> 0, \
                 CASE WHEN p.proretset OR p.prorettype = 'record'::regtype THEN NULL ELSE format_type(p.prorettype, NULL) END) \
                 ORDER BY n.nspname, p.proname, p.oid), '[]') FROM pg_proc p \
                 JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind = 'f' AND {system}"
            ),
        );
        for row in functions.as_array().into_iter().flatten() {
            let args = row[2].as_array().map(|a| {
                a.iter()
                    .map(|t| t.as_str().unwrap_or_default().to_string())
                    .collect()
            });
            data.functions
                .entry(QualifiedName::new(
                    row[0].as_str().unwrap_or_default(),
                    row[1].as_str().unwrap_or_default(),
                ))
                .or_default()
                .push(Routine {
                    args,
                    variadic: row[4].as_bool().unwrap_or(false),
                    defaults: row[3].as_u64().unwrap_or(0) as usize,
                    returns: row[5].as_str().map(str::to_string),
                });
        }
        let extensions = query_json(
            db,
            "SELECT coalesce(json_agg(json_build_array(e.extname, n.nspname)), '[]') \
             FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace",
        );
        for row in extensions.as_array().into_iter().flatten() {
            data.extensions.insert(
                row[0].as_str().unwrap_or_default().to_string(),
                InstalledExtension {
                    schema: row[1].as_str().unwrap_or_default().to_string(),
                    types: Vec::new(),
                },
            );
        }
        let columns = query_json(
            db,
            &format!(
                "SELECT coalesce(json_agg(json_build_array(n.nspname, c.relname, a.attname, \
                 format_type(a.atttypid, a.atttypmod)) ORDER BY n.nspname, c.relname, a.attnum), '[]') \
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE {system} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped"
            ),
        );
        for row in columns.as_array().into_iter().flatten() {
            let s = |i: usize| row[i].as_str().unwrap_or_default().to_string();
            data.tables
                .entry(QualifiedName::new(s(0), s(1)))
                .or_default()
                .push(Column::new(s(2), s(3)));
        }
        data
    }
}

/// Load files in order with psql; stop at the first file the server rejects (the 13
/// server cannot load migrations that use later syntax) and say how far it got.
pub fn load_files(db: &TestDb, files: &[PathBuf]) -> (usize, String) {
    for (i, file) in files.iter().enumerate() {
        let out = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(db.url())
            .arg("-f")
            .arg(file)
            .env_remove("PGPASSWORD")
            .output()
            .expect("psql");
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            return (
                i,
                format!(
                    "stopped at {} ({i} of {} files): {why}",
                    file.display(),
                    files.len()
                ),
            );
        }
    }
    (files.len(), format!("all {} files", files.len()))
}
