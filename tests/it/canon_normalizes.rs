//! `ddl::canon` against the server: every row of the table below is created in a fresh
//! database, what PostgreSQL stored is read back with the pinned session settings, and
//! both that text and pgdrift's static rendering must equal the expected text of the row
//! (per server version where they differ). Run on 13, 15 and 18
//! (`PGDRIFT_TEST_PG_BIN=<bindir>`).

use pgdrift::ddl::canon::{
    check_expr, column_default, data_type, default_expr, domain_check_expr, generated_expr,
    index_key, index_key_collation, partition_bound, partition_key, predicate, Routine, Scope,
    TypeRegistry, UserType,
};
use pgdrift::model::{quote_ident, Column, IndexExpr, PgVersion, QualifiedName};
use serde_json::Value;
use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::canon_cases::Kind::*;
use crate::canon_cases::{case, Case, Kind, CASES, COLUMNS, SETUP};
use crate::canon_more_cases::MORE_CASES;
use crate::canon_support::{parse_expr, parse_statement, query_json};
use crate::harness::fresh_db;

fn expected(case: &Case, major: u32) -> &'static str {
    case.expect
        .iter()
        .rev()
        .find(|(v, _)| *v <= major)
        .map(|(_, t)| *t)
        .unwrap_or("<no expectation>")
}

fn registry() -> TypeRegistry {
    let mut r = TypeRegistry::default();
    r.types.insert(
        QualifiedName::new("public", "WorkspaceRole"),
        UserType::Enum,
    );
    r.types
        .insert(QualifiedName::new("app", "mood"), UserType::Enum);
    r.types
        .insert(QualifiedName::new("public", "bıgınt"), UserType::Enum);
    r.types.insert(
        QualifiedName::new("public", "posint"),
        UserType::Domain {
            base: "integer".into(),
        },
    );
    r.types.insert(
        QualifiedName::new("app", "email"),
        UserType::Domain {
            base: "character varying(100)".into(),
        },
    );
    r
}

fn parse_data_type(text: &str) -> sqlparser::ast::DataType {
    let dialect = PostgreSqlDialect {};
    Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_data_type())
        .unwrap_or_else(|e| panic!("type {text}: {e}"))
}

/// `RANGE (a, b)` as the replay sees it: a strategy word and the key expressions.
fn strategy_and_keys(input: &str) -> (String, Vec<Expr>) {
    match parse_expr(input) {
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
            (f.name.to_string(), keys)
        }
        other => panic!("partition key {other}"),
    }
}

fn for_values(input: &str) -> sqlparser::ast::ForValues {
    match parse_statement(&format!("CREATE TABLE x PARTITION OF y {input}")) {
        Statement::CreateTable(ct) => ct.for_values.expect("FOR VALUES"),
        other => panic!("{other}"),
    }
}

/// The key column types of a bound case: comma separated, commas inside parentheses kept.
fn key_types(arg: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in arg.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&arg[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&arg[start..]);
    out
}

/// What pgdrift renders for a case.
fn render(case: &Case, scope: &Scope<'_>) -> String {
    match case.kind {
        Type => match data_type(&parse_data_type(case.input), scope) {
            Ok(t) => t.text,
            Err(e) => format!("<error: {e}>"),
        },
        Default => {
            let column_type = data_type(&parse_data_type(case.arg), scope)
                .map(|t| t.text)
                .unwrap_or_default();
            let expr = parse_expr(case.input);
            let full = default_expr(&expr, &column_type, scope);
            match column_default(&expr, &column_type, scope) {
                Some(text) => {
                    assert_eq!(text, full, "column_default and default_expr agree");
                    text
                }
                None => "<none>".to_string(),
            }
        }
        Generated => {
            let column_type = data_type(&parse_data_type(case.arg), scope)
                .map(|t| t.text)
                .unwrap_or_default();
            generated_expr(&parse_expr(case.input), &column_type, scope)
        }
        Check => check_expr(&parse_expr(case.input), scope),
        Predicate => predicate(&parse_expr(case.input), scope),
        IndexKey => {
            let expr = parse_expr(case.input);
            let mut text = match index_key(&expr, scope) {
                IndexExpr::Column(c) => quote_ident(&c, scope.version),
                IndexExpr::Expression(e) => e,
            };
            if let Some(coll) = index_key_collation(&expr, scope) {
                text.push_str(" COLLATE ");
                text.push_str(&coll);
            }
            text
        }
        PartKey => {
            // The partitioned table's own columns are in scope.
            let columns: Vec<Column> = case
                .arg
                .split(", ")
                .filter_map(|c| c.split_once(' '))
                .map(|(name, ty)| {
                    let name = name.trim_matches('"');
                    let t = data_type(&parse_data_type(ty), scope)
                        .map(|t| t.text)
                        .unwrap_or_default();
                    Column::new(name, t)
                })
                .collect();
            let mut own = *scope;
            own.columns = &columns;
            let (strategy, keys) = strategy_and_keys(case.input);
            partition_key(&strategy, &keys, &own)
        }
        Bound => {
            let key_types: Vec<String> = key_types(case.arg)
                .into_iter()
                .map(|t| {
                    data_type(&parse_data_type(t), scope)
                        .map(|t| t.text)
                        .unwrap_or_default()
                })
                .collect();
            partition_bound(&for_values(case.input), &key_types, scope)
        }
        DomainCheck => {
            let base = data_type(&parse_data_type(case.arg), scope)
                .map(|t| t.text)
                .unwrap_or_default();
            domain_check_expr(&parse_expr(case.input), &base, scope)
        }
    }
}

/// The DDL that makes PostgreSQL store case `i`.
fn ddl(i: usize, case: &Case) -> String {
    match case.kind {
        Type => format!("CREATE TABLE ty{i} (c {})", case.input),
        Default => format!(
            "ALTER TABLE t ADD COLUMN d{i} {} DEFAULT {}",
            case.arg, case.input
        ),
        Generated => format!(
            "ALTER TABLE t ADD COLUMN g{i} {} GENERATED ALWAYS AS ({}) STORED",
            case.arg, case.input
        ),
        Check => format!("ALTER TABLE t ADD CONSTRAINT k{i} CHECK ({})", case.input),
        IndexKey => format!("CREATE INDEX x{i} ON t ({})", case.input),
        Predicate => format!("CREATE INDEX w{i} ON t (id) WHERE {}", case.input),
        PartKey => format!(
            "CREATE TABLE pk{i} ({}) PARTITION BY {}",
            case.arg, case.input
        ),
        Bound => {
            let strategy = if case.input.contains(" FROM ") {
                "RANGE"
            } else if case.input.contains(" WITH ") {
                "HASH"
            } else {
                "LIST"
            };
            let types = key_types(case.arg);
            let cols: Vec<String> = types
                .iter()
                .enumerate()
                .map(|(n, t)| format!("k{n} {t}"))
                .collect();
            let keys: Vec<String> = (0..types.len()).map(|n| format!("k{n}")).collect();
            format!(
                "CREATE TABLE pbp{i} ({}) PARTITION BY {strategy} ({}); \
                 CREATE TABLE pb{i} PARTITION OF pbp{i} {}",
                cols.join(", "),
                keys.join(", "),
                case.input
            )
        }
        DomainCheck => format!("CREATE DOMAIN dc{i} AS {} CHECK ({})", case.arg, case.input),
    }
}

/// What PostgreSQL stored for every case, by object name.
fn stored(db: &crate::harness::TestDb) -> Value {
    query_json(
        db,
        r#"SELECT json_object_agg(k, v) FROM (
  SELECT c.relname AS k, format_type(a.atttypid, a.atttypmod) AS v
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
   WHERE c.relname ~ '^ty[0-9]+$' AND a.attname = 'c'
  UNION ALL
  SELECT a.attname, coalesce(pg_get_expr(d.adbin, d.adrelid), '<none>')
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attrelid = 'public.t'::regclass AND a.attname ~ '^[dg][0-9]+$'
  UNION ALL
  SELECT conname, pg_get_expr(conbin, conrelid) FROM pg_constraint
   WHERE conrelid = 'public.t'::regclass AND contype = 'c'
  UNION ALL
  SELECT c.relname, substring(pg_get_indexdef(i.indexrelid) from ' USING btree \((.*)\)$')
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname ~ '^x[0-9]+$'
  UNION ALL
  SELECT c.relname, pg_get_expr(i.indpred, i.indrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname ~ '^w[0-9]+$'
  UNION ALL
  SELECT relname, pg_get_partkeydef(oid) FROM pg_class WHERE relname ~ '^pk[0-9]+$'
  UNION ALL
  SELECT relname, pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname ~ '^pb[0-9]+$'
  UNION ALL
  SELECT t.typname, pg_get_expr(k.conbin, 0) FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid
   WHERE t.typname ~ '^dc[0-9]+$'
) s"#,
    )
}

fn object_name(i: usize, kind: Kind) -> String {
    let prefix = match kind {
        Type => "ty",
        Default => "d",
        Generated => "g",
        Check => "k",
        IndexKey => "x",
        Predicate => "w",
        PartKey => "pk",
        Bound => "pb",
        DomainCheck => "dc",
    };
    format!("{prefix}{i}")
}

/// Create every case in a fresh database and compare; returns the differences. Without
/// `check_expectations`, only pgdrift's rendering is compared with the server's.
fn run(cases: &[Case], check_expectations: bool) -> Vec<String> {
    let db = fresh_db("canon_normalizes");
    let major = db.server.major();
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|(name, ty)| format!("{} {ty}", quote_ident(name, PgVersion(major))))
        .collect();
    db.exec(&format!(
        "{SETUP}\nCREATE TABLE public.t ({});",
        columns.join(", ")
    ));
    // One script for every case (psql names the failing statement if one is rejected).
    let script: Vec<String> = cases.iter().enumerate().map(|(i, c)| ddl(i, c)).collect();
    db.exec(&script.join(";\n"));
    let server = stored(&db);

    let registry = registry();
    let search_path = vec!["public".to_string()];
    let relations = [
        QualifiedName::new("public", "t"),
        QualifiedName::new("public", "users_id_seq"),
        QualifiedName::new("app", "Counter"),
        QualifiedName::new("public", "Mixed_seq"),
    ]
    .into_iter()
    .collect();
    let functions = [
        QualifiedName::new("public", "f_int"),
        QualifiedName::new("app", "slug"),
        QualifiedName::new("public", "uuid_generate_v4"),
    ]
    .into_iter()
    .map(|f| (f, vec![Routine::unknown()]))
    .collect();
    let table = QualifiedName::new("public", "t");
    let mut scope = Scope {
        version: PgVersion(major),
        search_path: &search_path,
        types: &registry,
        relations: &relations,
        functions: &functions,
        extensions: &pgdrift::ddl::canon::Extensions::new(),
        table: Some(&table),
        columns: &[],
    };
    // The replay gives the columns their canonical types with data_type().
    let table_columns: Vec<Column> = COLUMNS
        .iter()
        .map(|(name, ty)| {
            let t = data_type(&parse_data_type(ty), &scope).expect("column type");
            Column::new(*name, t.text)
        })
        .collect();
    scope.columns = &table_columns;

    let probe = std::env::var("CANON_PROBE").is_ok();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = object_name(i, case.kind);
        let actual = server[&name].as_str().unwrap_or("<missing>").to_string();
        let ours = render(case, &scope);
        if probe {
            println!(
                "{:?} {:?} {:?}\n   server: {actual:?}\n   ours:   {ours:?}",
                case.kind, case.arg, case.input
            );
        }
        if check_expectations {
            let want = expected(case, major);
            if actual != want {
                failures.push(format!(
                    "[{name}] {:?} {}: the table says {want:?} but PostgreSQL {major} stored {actual:?}",
                    case.kind, case.input
                ));
            }
        }
        if ours != actual {
            failures.push(format!(
                "[{name}] {:?} {}: pgdrift renders {ours:?}, PostgreSQL {major} stored {actual:?}",
                case.kind, case.input
            ));
        } else if actual != "<none>" {
            // And PostgreSQL's own text renders back to itself.
            let stored_text: &'static str = Box::leak(actual.clone().into_boxed_str());
            let again = render(&self::case(case.kind, case.arg, stored_text, &[]), &scope);
            if again != actual {
                failures.push(format!(
                    "[{name}] {:?} {}: PostgreSQL's text {actual:?} renders as {again:?}",
                    case.kind, case.input
                ));
            }
        }
    }
    failures
}

#[test]
fn normalizes_to_what_postgres_stores() {
    assert!(CASES.len() >= 120, "the table must have at least 120 cases");
    let failures = run(CASES, true);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

fn kind_named(name: &str) -> Kind {
    match name {
        "type" => Type,
        "default" => Default,
        "generated" => Generated,
        "check" => Check,
        "index" => IndexKey,
        "predicate" => Predicate,
        "partkey" => PartKey,
        "bound" => Bound,
        "domain" => DomainCheck,
        other => panic!("unknown kind {other}"),
    }
}

/// The inputs of `canon_more_cases`: pgdrift must render each as the server stores it.
#[test]
fn more_inputs_render_as_postgres_stores_them() {
    // A kind may carry the first version it applies to: `check@16`.
    let major = crate::harness::server().major();
    let cases: Vec<Case> = MORE_CASES
        .iter()
        .filter_map(|(kind, arg, input)| {
            let (kind, since) = match kind.split_once('@') {
                Some((k, v)) => (k, v.parse().unwrap_or(0)),
                None => (*kind, 0),
            };
            (major >= since).then(|| case(kind_named(kind), arg, input, &[]))
        })
        .collect();
    let failures = run(&cases, false);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// More cases from a file (`CANON_EXTRA_CASES=path`, one `kind|arg|input` per line, kind
/// one of type, default, generated, check, index, predicate, partkey, bound, domain), for
/// trying new inputs against the server before adding them to the tables. Does nothing
/// without the variable.
#[test]
fn extra_cases_from_a_file() {
    let Ok(path) = std::env::var("CANON_EXTRA_CASES") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("CANON_EXTRA_CASES file");
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut parts = line.splitn(3, '|');
            let kind = match parts.next().unwrap_or("") {
                "type" => Type,
                "default" => Default,
                "generated" => Generated,
                "check" => Check,
                "index" => IndexKey,
                "predicate" => Predicate,
                "partkey" => PartKey,
                "bound" => Bound,
                "domain" => DomainCheck,
                other => panic!("unknown kind {other}"),
            };
            let arg = leak(parts.next().unwrap_or(""));
            let input = leak(parts.next().unwrap_or(""));
            case(kind, arg, input, &[])
        })
        .collect();
    let failures = run(&cases, false);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn serial_types_are_flagged() {
    let registry = TypeRegistry::default();
    let empty = std::collections::BTreeSet::new();
    let fns = pgdrift::ddl::canon::Routines::new();
    let path = vec!["public".to_string()];
    let scope = Scope {
        version: PgVersion(15),
        search_path: &path,
        types: &registry,
        relations: &empty,
        functions: &fns,
        extensions: &pgdrift::ddl::canon::Extensions::new(),
        table: None,
        columns: &[],
    };
    for (input, text) in [
        ("serial", "integer"),
        ("bigserial", "bigint"),
        ("smallserial", "smallint"),
        ("serial8", "bigint"),
    ] {
        let t = data_type(&parse_data_type(input), &scope).unwrap();
        assert_eq!((t.text.as_str(), t.serial), (text, true), "{input}");
    }
    let t = data_type(&parse_data_type("integer"), &scope).unwrap();
    assert!(!t.serial);
}
