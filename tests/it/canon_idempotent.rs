//! `ddl::canon` is idempotent on PostgreSQL's own output: the corpora and the scenario
//! databases are loaded into real databases, every column type, default, generated
//! expression, CHECK (table and domain), index expression, partial-index predicate,
//! partition key and partition bound PostgreSQL stored is read back, parsed with sqlparser
//! and rendered by pgdrift — which must give the same text back, with zero differences.

use std::path::{Path, PathBuf};

use pgdrift::ddl::canon::{
    check_expr, data_type, default_expr, domain_check_expr, generated_expr, index_key,
    partition_bound, partition_key, predicate,
};
use pgdrift::model::{quote_ident, IndexExpr, PgVersion, QualifiedName};
use serde_json::Value;
use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::canon_support::{load_files, query_json, try_parse_expr, ScopeData};
use crate::harness::{fresh_db, TestDb};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn corpus_files(name: &str) -> Vec<PathBuf> {
    let dir = fixtures().join("corpus").join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).expect("ORDER");
    order
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| dir.join(l))
        .collect()
}

const STORED: &str = r#"
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
)
SELECT json_build_object(
 'types', (SELECT coalesce(json_agg(DISTINCT format_type(a.atttypid, a.atttypmod)), '[]')
             FROM pg_attribute a JOIN rels r ON r.oid = a.attrelid
            WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped),
 'defaults', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname,
                format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), a.attgenerated <> '')), '[]')
             FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
             JOIN rels r ON r.oid = d.adrelid),
 'checks', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname, pg_get_expr(k.conbin, k.conrelid))), '[]')
             FROM pg_constraint k JOIN rels r ON r.oid = k.conrelid WHERE k.contype = 'c'),
 'domain_checks', (SELECT coalesce(json_agg(json_build_array(format_type(t.typbasetype, t.typtypmod),
                pg_get_expr(k.conbin, 0))), '[]')
             FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid
             JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE k.contype = 'c' AND n.nspname NOT IN ('pg_catalog', 'information_schema')),
 'index_keys', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname, pg_get_indexdef(i.indexrelid, k.n, false))), '[]')
             FROM pg_index i JOIN rels r ON r.oid = i.indrelid
             CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n)
            WHERE i.indkey[k.n - 1] = 0),
 'predicates', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname, pg_get_expr(i.indpred, i.indrelid))), '[]')
             FROM pg_index i JOIN rels r ON r.oid = i.indrelid WHERE i.indpred IS NOT NULL),
 'partkeys', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname, pg_get_partkeydef(r.oid))), '[]')
             FROM rels r WHERE r.relkind = 'p'),
 'bounds', (SELECT coalesce(json_agg(json_build_array(r.nspname, r.relname, pg_get_expr(c.relpartbound, c.oid),
                (SELECT json_agg(coalesce(format_type(a.atttypid, a.atttypmod), 'text') ORDER BY k.ord)
                   FROM pg_inherits h JOIN pg_partitioned_table pt ON pt.partrelid = h.inhparent
                   CROSS JOIN LATERAL unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
                  WHERE h.inhrelid = c.oid))), '[]')
             FROM rels r JOIN pg_class c ON c.oid = r.oid
            WHERE r.relispartition AND r.relkind IN ('r', 'p'))
)"#;

fn parse_data_type(text: &str) -> Result<sqlparser::ast::DataType, String> {
    let dialect = PostgreSqlDialect {};
    Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_data_type())
        .map_err(|e| e.to_string())
}

fn strategy_and_keys(text: &str) -> Result<(String, Vec<Expr>), String> {
    match try_parse_expr(text)? {
        Expr::Function(f) => {
            let keys = match f.args {
                FunctionArguments::List(list) => list
                    .args
                    .into_iter()
                    .filter_map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Ok((f.name.to_string(), keys))
        }
        other => Err(format!("not a partition key: {other}")),
    }
}

fn for_values(text: &str) -> Result<sqlparser::ast::ForValues, String> {
    let sql = format!("CREATE TABLE x PARTITION OF y {text}");
    let mut stmts = Parser::parse_sql(&PostgreSqlDialect {}, &sql).map_err(|e| e.to_string())?;
    match stmts.pop() {
        Some(Statement::CreateTable(ct)) => ct.for_values.ok_or_else(|| "no bound".to_string()),
        _ => Err("not a partition".to_string()),
    }
}

/// Check one database; returns (number of texts checked, differences).
fn check_database(db: &TestDb, label: &str) -> (usize, Vec<String>) {
    let data = ScopeData::from_database(db);
    let stored: Value = query_json(db, STORED);
    let mut checked = 0;
    let mut diffs = Vec::new();
    let mut compare = |what: &str, original: &str, rendered: Result<String, String>| {
        checked += 1;
        match rendered {
            Ok(r) if r == original => {}
            Ok(r) => diffs.push(format!(
                "{label} {what}: PostgreSQL {original:?}, pgdrift {r:?}"
            )),
            Err(e) => diffs.push(format!("{label} {what}: cannot read {original:?}: {e}")),
        }
    };
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let table_of = |row: &Value| QualifiedName::new(s(&row[0]), s(&row[1]));

    for ty in stored["types"].as_array().into_iter().flatten() {
        let text = s(ty);
        let scope = data.scope(None);
        let rendered = parse_data_type(&text).and_then(|dt| {
            data_type(&dt, &scope)
                .map(|t| t.text)
                .map_err(|e| e.to_string())
        });
        compare("type", &text, rendered);
    }
    for row in stored["defaults"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let (column_type, text, generated) =
            (s(&row[2]), s(&row[3]), row[4].as_bool().unwrap_or(false));
        let rendered = try_parse_expr(&text).map(|e| {
            if generated {
                generated_expr(&e, &column_type, &scope)
            } else {
                default_expr(&e, &column_type, &scope)
            }
        });
        compare(
            if generated { "generated" } else { "default" },
            &text,
            rendered,
        );
    }
    for row in stored["checks"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let text = s(&row[2]);
        compare(
            "check",
            &text,
            try_parse_expr(&text).map(|e| check_expr(&e, &scope)),
        );
    }
    for row in stored["domain_checks"].as_array().into_iter().flatten() {
        let scope = data.scope(None);
        let (base, text) = (s(&row[0]), s(&row[1]));
        compare(
            "domain check",
            &text,
            try_parse_expr(&text).map(|e| domain_check_expr(&e, &base, &scope)),
        );
    }
    for row in stored["index_keys"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let text = s(&row[2]);
        let rendered = try_parse_expr(&text).map(|e| match index_key(&e, &scope) {
            IndexExpr::Column(c) => quote_ident(&c, PgVersion(data.version)),
            IndexExpr::Expression(x) => x,
        });
        compare("index key", &text, rendered);
    }
    for row in stored["predicates"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let text = s(&row[2]);
        compare(
            "predicate",
            &text,
            try_parse_expr(&text).map(|e| predicate(&e, &scope)),
        );
    }
    for row in stored["partkeys"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let text = s(&row[2]);
        let rendered = strategy_and_keys(&text).map(|(st, keys)| partition_key(&st, &keys, &scope));
        compare("partition key", &text, rendered);
    }
    for row in stored["bounds"].as_array().into_iter().flatten() {
        let table = table_of(row);
        let scope = data.scope(Some(&table));
        let text = s(&row[2]);
        let key_types: Vec<String> = row[3].as_array().into_iter().flatten().map(&s).collect();
        let rendered = for_values(&text).map(|fv| partition_bound(&fv, &key_types, &scope));
        compare("partition bound", &text, rendered);
    }
    (checked, diffs)
}

#[test]
fn rendering_postgres_output_gives_it_back() {
    let mut sources: Vec<(String, Vec<PathBuf>)> = ["pagila", "crates-io", "umami"]
        .into_iter()
        .map(|c| (format!("corpus/{c}"), corpus_files(c)))
        .collect();
    let scenarios = fixtures().join("scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&scenarios)
        .expect("scenarios")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for name in names {
        for env in ["dev.sql", "prod.sql"] {
            sources.push((
                format!("scenarios/{name}/{env}"),
                vec![scenarios.join(&name).join(env)],
            ));
        }
    }

    let mut total = 0;
    let mut all_diffs = Vec::new();
    let mut report = Vec::new();
    for (label, files) in &sources {
        let db = fresh_db(&format!("canon_idem_{label}"));
        let (_, loaded) = load_files(&db, files);
        let (checked, diffs) = check_database(&db, label);
        report.push(format!(
            "{label}: {loaded}; {checked} texts checked, {} differ",
            diffs.len()
        ));
        total += checked;
        all_diffs.extend(diffs);
    }
    let major = crate::harness::server().major();
    eprintln!(
        "PostgreSQL {major}: {total} stored texts checked\n{}",
        report.join("\n")
    );
    assert!(total > 400, "too few expressions checked: {total}");
    assert!(
        all_diffs.is_empty(),
        "{} of {total} texts are not rendered back identically on PostgreSQL {major}:\n{}",
        all_diffs.len(),
        all_diffs.join("\n")
    );
}
