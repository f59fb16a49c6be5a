//! `ddl::canon` agrees with PostgreSQL on real migrations as written: the corpora and the
//! scenario files are loaded into databases, and for every table created by one CREATE
//! TABLE and never altered afterwards (so that no replay is needed), every column type,
//! default, generated expression and CHECK, and every named index's expressions and
//! predicate, rendered statically from the source text, must equal what the server stored —
//! exactly, or, for expressions calling functions the migrations created (whose signatures
//! the scope does not carry), modulo casts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pgdrift::ddl::canon::{
    check_expr, column_default, data_type, generated_expr, index_key, predicate,
};
use pgdrift::model::{quote_ident, Column, IndexExpr, PgVersion, QualifiedName};
use serde_json::Value;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, CreateIndex, Expr, ObjectName,
    ObjectType, Statement, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::canon_support::{load_files, query_json, ScopeData};
use crate::harness::{fresh_db, TestDb};

#[derive(Default)]
struct StaticTable {
    columns: Vec<(String, sqlparser::ast::DataType)>,
    defaults: Vec<(String, Expr, bool)>,
    checks: Vec<Expr>,
    altered: bool,
}

struct StaticIndex {
    table: QualifiedName,
    keys: Vec<Expr>,
    predicate: Option<Expr>,
}

fn qualified(name: &ObjectName, default_schema: &str) -> QualifiedName {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p.as_ident() {
            Some(i) if i.quote_style.is_some() => i.value.clone(),
            Some(i) => i.value.to_ascii_lowercase(),
            None => p.to_string(),
        })
        .collect();
    match parts.as_slice() {
        [n] => QualifiedName::new(default_schema, n.clone()),
        [.., s, n] => QualifiedName::new(s.clone(), n.clone()),
        [] => QualifiedName::new(default_schema, ""),
    }
}

fn ident(i: &sqlparser::ast::Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_ascii_lowercase()
    }
}

/// Read the source statements: tables created once and not altered, and named indexes.
fn read_sources(
    files: &[PathBuf],
) -> (
    BTreeMap<QualifiedName, StaticTable>,
    BTreeMap<QualifiedName, StaticIndex>,
) {
    let mut tables: BTreeMap<QualifiedName, StaticTable> = BTreeMap::new();
    let mut indexes: BTreeMap<QualifiedName, StaticIndex> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let Ok(split) = pgdrift::ddl::split::split(&text, &file.display().to_string()) else {
            continue;
        };
        for raw in split.statements {
            let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, &raw.text) else {
                // Statements sqlparser cannot read may change tables: mark them all.
                let lower = raw.text.to_ascii_lowercase();
                for (name, t) in tables.iter_mut() {
                    if lower.contains(&name.name.to_ascii_lowercase()) {
                        t.altered = true;
                    }
                }
                continue;
            };
            for st in statements {
                match st {
                    Statement::CreateTable(ct) => {
                        let name = qualified(&ct.name, "public");
                        if tables.contains_key(&name)
                            || ct.partition_of.is_some()
                            || ct.query.is_some()
                        {
                            if let Some(t) = tables.get_mut(&name) {
                                t.altered = true;
                            }
                            continue;
                        }
                        let mut t = StaticTable::default();
                        for c in &ct.columns {
                            let col = ident(&c.name);
                            t.columns.push((col.clone(), c.data_type.clone()));
                            for o in &c.options {
                                match &o.option {
                                    ColumnOption::Default(e) => {
                                        t.defaults.push((col.clone(), e.clone(), false))
                                    }
                                    ColumnOption::Check(k) => t.checks.push((*k.expr).clone()),
                                    ColumnOption::Generated {
                                        generation_expr: Some(e),
                                        ..
                                    } => t.defaults.push((col.clone(), e.clone(), true)),
                                    _ => {}
                                }
                            }
                        }
                        for k in &ct.constraints {
                            if let TableConstraint::Check(k) = k {
                                t.checks.push((*k.expr).clone());
                            }
                        }
                        tables.insert(name, t);
                    }
                    Statement::CreateIndex(CreateIndex {
                        name: Some(index_name),
                        table_name,
                        columns,
                        predicate,
                        ..
                    }) => {
                        let table = qualified(&table_name, "public");
                        let index = qualified(&index_name, &table.schema);
                        indexes.insert(
                            index,
                            StaticIndex {
                                table,
                                keys: columns.iter().map(|c| c.column.expr.clone()).collect(),
                                predicate,
                            },
                        );
                    }
                    Statement::AlterTable(at) => {
                        let Some(t) = tables.get_mut(&qualified(&at.name, "public")) else {
                            continue;
                        };
                        // What pg_dump writes after CREATE TABLE keeps the table as created;
                        // anything else is a change a replay would be needed for.
                        for op in &at.operations {
                            match op {
                                AlterTableOperation::OwnerTo { .. }
                                | AlterTableOperation::AttachPartition { .. } => {}
                                AlterTableOperation::AddConstraint { constraint, .. } => {
                                    if let TableConstraint::Check(k) = constraint {
                                        t.checks.push((*k.expr).clone());
                                    }
                                }
                                AlterTableOperation::AlterColumn { column_name, op } => match op {
                                    AlterColumnOperation::SetDefault { value } => {
                                        let col = ident(column_name);
                                        t.defaults.retain(|(c, _, _)| *c != col);
                                        t.defaults.push((col, value.clone(), false));
                                    }
                                    AlterColumnOperation::SetNotNull
                                    | AlterColumnOperation::DropNotNull => {}
                                    _ => t.altered = true,
                                },
                                _ => t.altered = true,
                            }
                        }
                    }
                    Statement::Drop {
                        object_type: ObjectType::Table,
                        names,
                        ..
                    } => {
                        for n in &names {
                            tables.remove(&qualified(n, "public"));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    (tables, indexes)
}

const STORED: &str = r#"
SELECT json_build_object(
 'columns', (SELECT coalesce(json_object_agg(n.nspname || '.' || c.relname || '.' || a.attname,
                json_build_array(format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid))), '{}')
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')),
 'checks', (SELECT coalesce(json_object_agg(k, v), '{}') FROM (
              SELECT n.nspname || '.' || c.relname AS k, json_agg(pg_get_expr(x.conbin, x.conrelid)) AS v
                FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE x.contype = 'c' GROUP BY 1) s),
 'indexes', (SELECT coalesce(json_object_agg(n.nspname || '.' || c.relname,
                json_build_array(
                  (SELECT json_agg(pg_get_indexdef(i.indexrelid, k, false) ORDER BY k)
                     FROM generate_series(1, i.indnkeyatts) k),
                  pg_get_expr(i.indpred, i.indrelid))), '{}')
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast'))
)"#;

/// Compare one source with what the server stored; (texts compared, differences).
fn agree(db: &TestDb, label: &str, files: &[PathBuf]) -> (usize, Vec<String>) {
    let (tables, indexes) = read_sources(files);
    let data = ScopeData::from_database(db);
    let stored: Value = query_json(db, STORED);
    let version = PgVersion(data.version);
    let mut compared = 0;
    let mut diffs = Vec::new();
    let mut check = |what: String, ours: String, theirs: &str| {
        compared += 1;
        if ours != theirs {
            diffs.push(format!(
                "{label} {what}: PostgreSQL {theirs:?}, pgdrift {ours:?}"
            ));
        }
    };
    let mut live_tables = Vec::new();
    for (name, t) in &tables {
        if t.altered {
            continue;
        }
        let key = |col: &str| format!("{}.{}.{col}", name.schema, name.name);
        if !t
            .columns
            .iter()
            .all(|(c, _)| stored["columns"].get(key(c)).is_some())
        {
            continue;
        }
        live_tables.push(name.clone());
        let base_scope = data.scope(None);
        // The replay gives columns their canonical types with data_type().
        let mut columns = Vec::new();
        let mut serial = Vec::new();
        for (c, dt) in &t.columns {
            let ours = data_type(dt, &base_scope);
            let theirs = stored["columns"][key(c)][0].as_str().unwrap_or_default();
            match ours {
                Ok(ct) => {
                    if ct.serial {
                        serial.push(c.clone());
                    }
                    check(format!("{name}.{c} type"), ct.text.clone(), theirs);
                    columns.push(Column::new(c.clone(), ct.text));
                }
                Err(e) => check(format!("{name}.{c} type"), format!("<error {e}>"), theirs),
            }
        }
        let mut scope = data.scope(Some(name));
        scope.columns = &columns;
        for (c, e, generated) in &t.defaults {
            let column_type = columns
                .iter()
                .find(|col| col.name == *c)
                .map(|col| col.data_type.clone())
                .unwrap_or_default();
            let theirs = stored["columns"][key(c)][1]
                .as_str()
                .unwrap_or("<none>")
                .to_string();
            let ours = if *generated {
                generated_expr(e, &column_type, &scope)
            } else {
                column_default(e, &column_type, &scope).unwrap_or_else(|| "<none>".to_string())
            };
            check(format!("{name}.{c} default"), ours, &theirs);
        }
        let stored_checks: Vec<String> = stored["checks"][format!("{}.{}", name.schema, name.name)]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        for k in &t.checks {
            let ours = check_expr(k, &scope);
            let found = stored_checks
                .iter()
                .find(|s| **s == ours)
                .cloned()
                .unwrap_or_else(|| format!("<none of {stored_checks:?}>"));
            check(format!("{name} check"), ours, &found);
        }
        let _ = serial;
    }
    for (name, index) in &indexes {
        if !live_tables.contains(&index.table) {
            continue;
        }
        let Some(theirs) = stored["indexes"].get(format!("{}.{}", name.schema, name.name)) else {
            continue;
        };
        let t = &tables[&index.table];
        let base_scope = data.scope(None);
        let columns: Vec<Column> = t
            .columns
            .iter()
            .filter_map(|(c, dt)| {
                data_type(dt, &base_scope)
                    .ok()
                    .map(|ct| Column::new(c.clone(), ct.text))
            })
            .collect();
        let mut scope = data.scope(Some(&index.table));
        scope.columns = &columns;
        for (i, key) in index.keys.iter().enumerate() {
            let ours = match index_key(key, &scope) {
                IndexExpr::Column(c) => quote_ident(&c, version),
                IndexExpr::Expression(x) => x,
            };
            let their_key = theirs[0][i].as_str().unwrap_or_default().to_string();
            check(format!("{name} key {i}"), ours, &their_key);
        }
        if let Some(p) = &index.predicate {
            let their_pred = theirs[1].as_str().unwrap_or("<none>").to_string();
            check(
                format!("{name} predicate"),
                predicate(p, &scope),
                &their_pred,
            );
        }
    }
    (compared, diffs)
}

#[test]
fn static_rendering_agrees_with_postgres_on_real_migrations() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut sources: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for corpus in ["pagila", "crates-io", "umami"] {
        let dir = fixtures.join("corpus").join(corpus);
        let order = std::fs::read_to_string(dir.join("ORDER")).expect("ORDER");
        let files = order
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| dir.join(l))
            .collect();
        sources.push((format!("corpus/{corpus}"), files));
    }
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(fixtures.join("scenarios"))
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    scenarios.sort();
    for dir in scenarios {
        for env in ["dev.sql", "prod.sql"] {
            let label = format!(
                "{}/{env}",
                dir.file_name().unwrap_or_default().to_string_lossy()
            );
            sources.push((label, vec![dir.join(env)]));
        }
    }
    let mut total = 0;
    let mut all = Vec::new();
    let mut report = Vec::new();
    for (label, files) in &sources {
        let db = fresh_db(&format!("canon_agree_{label}"));
        let (count, loaded) = load_files(&db, files);
        let (n, diffs) = agree(&db, label, &files[..count]);
        report.push(format!(
            "{label}: {loaded}; {n} texts compared, {} differ",
            diffs.len()
        ));
        total += n;
        all.extend(diffs);
    }
    let major = crate::harness::server().major();
    eprintln!(
        "PostgreSQL {major}: {total} texts compared\n{}",
        report.join("\n")
    );
    assert!(total > 300, "too few texts compared: {total}");
    assert!(
        all.is_empty(),
        "{} of {total} differ on PostgreSQL {major}:\n{}",
        all.len(),
        all.join("\n")
    );
}
