//! What `ddl::canon` cannot render exactly, and why. Each row is confirmed against the
//! server: pgdrift's static rendering differs from what PostgreSQL stores (if a row starts
//! to match, it belongs in the `normalizes_to` table instead), and where the row says so
//! the two agree modulo casts — which is how the diff compares an expression rendered
//! statically with one read from a database.

use pgdrift::ddl::canon::{
    check_expr, default_expr, equivalent_modulo_casts, Routine, Scope, TypeRegistry,
};
use pgdrift::model::{Column, PgVersion, QualifiedName};

use crate::canon_support::{parse_expr, query_json};
use crate::harness::fresh_db;

struct Approximation {
    /// `Some(column type)` for a DEFAULT, `None` for a CHECK on table `t`.
    default_on: Option<&'static str>,
    input: &'static str,
    why: &'static str,
    /// Whether the static and the stored text agree once casts are ignored.
    modulo_casts: bool,
}

const fn approx(
    default_on: Option<&'static str>,
    input: &'static str,
    modulo_casts: bool,
    why: &'static str,
) -> Approximation {
    Approximation {
        default_on,
        input,
        why,
        modulo_casts,
    }
}

const SETUP: &str = r#"
CREATE EXTENSION intarray;
CREATE FUNCTION public.slug(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'select lower($1)';
CREATE FUNCTION public.score(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'select $1';
CREATE FUNCTION public.tag(varchar) RETURNS varchar LANGUAGE sql IMMUTABLE AS 'select $1';
CREATE TYPE public.addr_t AS (street text, zip varchar(10));
CREATE TABLE public.t (id integer, s varchar(20), t text, arr integer[], j jsonb, addr public.addr_t);
"#;

static APPROXIMATIONS: &[Approximation] = &[
    approx(None, "slug(s) <> ''", true,
        "a function the migrations created: its parameter types are unknown (the scope has names only), so the cast PostgreSQL adds to the argument, (s)::text, is missing"),
    approx(None, "score(id) > 0.5", true,
        "a function the migrations created: its return type is unknown, so the cast PostgreSQL adds to the result, (score(id))::numeric, is missing"),
    approx(None, "tag(t) = 'x'", true,
        "a function the migrations created: an untyped literal passed to it is taken as text, PostgreSQL types it as the parameter (character varying)"),
    approx(None, "arr && '{1}'", true,
        "an extension that only adds operators on built-in types (intarray): nothing in the expression shows it is installed, so the built-in operator is used"),
    approx(Some("timestamptz"), "'2020-01-01 10:00 America/New_York'", false,
        "a time zone name in a timestamptz literal: converting it needs the time zone database; the text is kept as written"),
    approx(Some("timestamp"), "'now'", false,
        "'now', 'today' … are evaluated when the DDL runs: PostgreSQL stores that moment"),
    approx(None, "jsonb_path_exists(j, '$.a')", false,
        "jsonpath constants are kept as written: jsonpath_out's normalisation ($.\"a\", parentheses) is not reproduced"),
    approx(None, "(addr).zip <> ''", true,
        "a composite type's field types are not in the scope (only its name): the cast of the varchar field to text is missing"),
    approx(None, "(s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])", true,
        "PostgreSQL's own text for an array coercion: PostgreSQL re-parses it into element casts (ARRAY[('a'::character varying)::text, …]); pgdrift keeps the text it was given, so that its output is idempotent and matches the database the text was dumped from"),
    approx(None, "(id >= 1 AND id <= 10) AND id > 0", true,
        "a parenthesised range check inside an AND chain has the shape of PostgreSQL's printed BETWEEN, which must render back to itself, so the group is kept where PostgreSQL flattens it"),
    approx(Some("tsquery"), "'a & b'", false,
        "tsquery constants are kept as written: the operator-precedence printer of tsquery_out is not reproduced"),
    approx(Some("interval"), "make_interval(secs => 1.5)", true,
        "named arguments: parameter names are not in the catalog tables, so arguments are not coerced (PostgreSQL casts 1.5 to double precision)"),
];

#[test]
fn known_approximations_are_still_approximate() {
    let db = fresh_db("canon_approximations");
    let major = db.server.major();
    db.exec(SETUP);
    for (i, a) in APPROXIMATIONS.iter().enumerate() {
        match a.default_on {
            Some(ty) => db.exec(&format!(
                "ALTER TABLE t ADD COLUMN d{i} {ty} DEFAULT {}",
                a.input
            )),
            None => db.exec(&format!(
                "ALTER TABLE t ADD CONSTRAINT k{i} CHECK ({})",
                a.input
            )),
        };
    }
    let stored = query_json(
        &db,
        "SELECT json_object_agg(k, v) FROM (
           SELECT conname AS k, pg_get_expr(conbin, conrelid) AS v FROM pg_constraint
            WHERE conrelid = 'public.t'::regclass AND contype = 'c'
           UNION ALL
           SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'public.t'::regclass) s",
    );
    let columns: Vec<Column> = [
        ("id", "integer"),
        ("s", "character varying(20)"),
        ("t", "text"),
        ("arr", "integer[]"),
        ("j", "jsonb"),
        ("addr", "public.addr_t"),
    ]
    .iter()
    .map(|(n, t)| Column::new(*n, *t))
    .collect();
    let mut registry = TypeRegistry::default();
    registry.types.insert(
        QualifiedName::new("public", "addr_t"),
        pgdrift::ddl::canon::UserType::Composite,
    );
    let path = vec!["public".to_string()];
    let relations = [QualifiedName::new("public", "t")].into_iter().collect();
    let functions = ["slug", "score", "tag"]
        .into_iter()
        .map(|f| (QualifiedName::new("public", f), vec![Routine::unknown()]))
        .collect();
    let table = QualifiedName::new("public", "t");
    let scope = Scope {
        version: PgVersion(major),
        search_path: &path,
        types: &registry,
        relations: &relations,
        functions: &functions,
        extensions: &pgdrift::ddl::canon::Extensions::new(),
        table: Some(&table),
        columns: &columns,
    };
    let mut problems = Vec::new();
    for (i, a) in APPROXIMATIONS.iter().enumerate() {
        let (name, ours) = match a.default_on {
            Some(ty) => {
                let column_type = match ty {
                    "timestamptz" => "timestamp with time zone",
                    "timestamp" => "timestamp without time zone",
                    other => other,
                };
                (
                    format!("d{i}"),
                    default_expr(&parse_expr(a.input), column_type, &scope),
                )
            }
            None => (format!("k{i}"), check_expr(&parse_expr(a.input), &scope)),
        };
        let server = stored[&name].as_str().unwrap_or_default().to_string();
        eprintln!(
            "{}\n  PostgreSQL {major}: {server}\n  pgdrift:       {ours}\n  why: {}",
            a.input, a.why
        );
        if ours == server {
            problems.push(format!(
                "{}: now rendered exactly ({ours:?}); move it to the normalizes_to table",
                a.input
            ));
        }
        if equivalent_modulo_casts(&ours, &server) != a.modulo_casts {
            problems.push(format!(
                "{}: equivalent_modulo_casts({ours:?}, {server:?}) should be {}",
                a.input, a.modulo_casts
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
