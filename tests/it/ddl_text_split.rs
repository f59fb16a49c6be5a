//! `ddl::split` against PostgreSQL itself: every statement the splitter returns for a real
//! corpus must be exactly one complete statement — it is sent alone through the extended query
//! protocol, which refuses a string holding two commands — and the database built that way
//! must equal the one `psql -f` builds from the same files (same catalog fingerprint).

use std::path::{Path, PathBuf};
use std::process::Command;

use pgdrift::ddl::files;
use pgdrift::ddl::split::{self, RawStatement};

use crate::ddl_text_files::TempTree;
use crate::harness::{fresh_db, TestDb};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every statement of the SQL files at `root`, in apply order, each with the file it came
/// from, and the files themselves.
fn statements_of(root: &Path) -> (Vec<(PathBuf, RawStatement)>, Vec<PathBuf>) {
    let plan = files::discover(root).unwrap_or_else(|e| panic!("{e}"));
    let mut statements = Vec::new();
    for file in &plan.sql {
        let text = files::read_text(file).unwrap_or_else(|e| panic!("{e}"));
        let split = split::split(&text, &file.display).unwrap_or_else(|e| panic!("{e}"));
        statements.extend(split.statements.into_iter().map(|s| (file.path.clone(), s)));
    }
    (
        statements,
        plan.sql.iter().map(|f| f.path.clone()).collect(),
    )
}

/// The statement that failed, by index, and the server's message.
#[derive(Debug)]
struct Failure {
    index: usize,
    message: String,
}

/// Run each statement alone, in order, through the extended query protocol; stop at the
/// first error.
fn run_one_by_one(db: &TestDb, statements: &[RawStatement]) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&db.url(), tokio_postgres::NoTls)
            .await
            .map_err(|e| Failure {
                index: 0,
                message: e.to_string(),
            })?;
        let connection = tokio::spawn(connection);
        for (index, statement) in statements.iter().enumerate() {
            // `execute` prepares the text first: a text with two commands fails with
            // "cannot insert multiple commands into a prepared statement".
            let result = if is_copy_from_stdin(&statement.text) {
                // The splitter skipped the data: send none (the schema is what counts).
                match client.copy_in::<str, &'static [u8]>(&statement.text).await {
                    Ok(sink) => Box::pin(sink).as_mut().finish().await,
                    Err(e) => Err(e),
                }
            } else {
                client.execute(statement.text.as_str(), &[]).await
            };
            if let Err(e) = result {
                let message = e
                    .as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string());
                return Err(Failure { index, message });
            }
        }
        drop(client);
        let _ = connection.await;
        Ok(())
    })
}

fn is_copy_from_stdin(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("copy")
        && lower
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w == ["from", "stdin"])
}

/// Load files with one `psql -X -v ON_ERROR_STOP=1 -f … -f …` process, as SOURCE.md says.
fn load_with_psql(db: &TestDb, paths: &[PathBuf]) -> Result<(), String> {
    let mut command = Command::new("psql");
    command
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(db.url());
    for path in paths {
        command.arg("-f").arg(path);
    }
    let out = command.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).to_string())
    }
}

/// What a database holds outside the system schemas, one sorted line per object detail.
const FINGERPRINT: &str = r#"
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp'
), lines AS (
  SELECT 'schema ' || nspname FROM ns
  UNION ALL
  SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  UNION ALL
  SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns n ON n.oid = c.relnamespace
  UNION ALL
  SELECT 'constraint ' || n.nspname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_constraint co JOIN ns n ON n.oid = co.connamespace
  UNION ALL
  SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
         || md5(coalesce(p.prosrc, ''))
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN ns n ON n.oid = c.relnamespace
  WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || md5(pg_get_viewdef(c.oid))
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  UNION ALL
  SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname
  UNION ALL
  SELECT 'rule ' || r.rulename || ' ' || md5(pg_get_ruledef(r.oid))
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN ns n ON n.oid = c.relnamespace
  UNION ALL
  SELECT 'comment ' || d.classoid::regclass || ' ' || md5(d.description) FROM pg_description d
  WHERE d.objoid >= 16384
  UNION ALL
  SELECT 'extension ' || extname FROM pg_extension
)
SELECT string_agg(l, E'\n' ORDER BY l) FROM lines AS x(l)
"#;

fn fingerprint(db: &TestDb) -> String {
    db.exec(FINGERPRINT)
}

/// `statements ≈ N` from a corpus's SOURCE.md.
fn approximate_statement_count(corpus: &str) -> usize {
    let source =
        std::fs::read_to_string(fixtures().join("corpus").join(corpus).join("SOURCE.md")).unwrap();
    let after = source.split("statements ≈ ").nth(1).unwrap();
    after
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Where psql stopped: the file and line of its first `psql:FILE:LINE: ERROR:` message.
fn psql_error_position(stderr: &str) -> Option<(String, usize)> {
    let line = stderr.lines().find(|l| l.contains(": ERROR:"))?;
    let location = line.strip_prefix("psql:")?.split(": ERROR:").next()?;
    let (file, number) = location.rsplit_once(':')?;
    Some((file.to_string(), number.parse().ok()?))
}

/// Load `root` both ways and require the same database; returns the statement count.
///
/// When psql itself stops on an error (a corpus using syntax newer than the server), the
/// splitter's run must stop at the very same statement: same file, psql's line (where the
/// statement's `;` is) between the statement's first line and the next statement's.
fn agrees_with_psql(label: &str, root: &Path) -> usize {
    let (located, paths) = statements_of(root);
    let statements: Vec<RawStatement> = located.iter().map(|(_, s)| s.clone()).collect();
    let by_psql = fresh_db(&format!("{label}_psql"));
    let psql_result = load_with_psql(&by_psql, &paths);
    let by_split = fresh_db(&format!("{label}_split"));
    let split_result = run_one_by_one(&by_split, &statements);
    let major = by_psql.server.major();
    let mut how = "agree with psql".to_string();
    match (psql_result, split_result) {
        (Ok(()), Ok(())) => {}
        (Ok(()), Err(failure)) => {
            let statement = &statements[failure.index];
            panic!(
                "{label}: psql loads it, but a statement from the splitter failed on its own:\n\
                 {}: {}\n--- statement ---\n{}",
                statement.location, failure.message, statement.text
            );
        }
        (Err(stderr), Ok(())) => {
            panic!("{label}: psql fails on PostgreSQL {major} but the split statements all run:\n{stderr}")
        }
        (Err(stderr), Err(failure)) => {
            let (psql_file, psql_line) = psql_error_position(&stderr)
                .unwrap_or_else(|| panic!("{label}: no psql error position in:\n{stderr}"));
            let (path, statement) = &located[failure.index];
            let next_line = located
                .get(failure.index + 1)
                .filter(|(p, _)| p == path)
                .map_or(usize::MAX, |(_, s)| s.location.line);
            assert_eq!(
                psql_file,
                path.to_string_lossy(),
                "{label}: psql and the splitter stop in different files"
            );
            assert!(
                statement.location.line <= psql_line && psql_line <= next_line,
                "{label}: psql stops at line {psql_line}, the splitter at the statement of line {} \
                 (next statement: line {next_line})\n{stderr}",
                statement.location.line
            );
            how = format!(
                "agree with psql up to where both stop on PostgreSQL {major}: {} ({})",
                statement.location, failure.message
            );
        }
    }
    let expected = fingerprint(&by_psql);
    assert!(
        expected.lines().count() > 10,
        "{label}: fingerprint too small:\n{expected}"
    );
    assert_eq!(
        fingerprint(&by_split),
        expected,
        "{label}: databases differ"
    );
    eprintln!(
        "{label}: {} statements from {} file(s) {how} ({} catalog lines)",
        statements.len(),
        paths.len(),
        expected.lines().count()
    );
    statements.len()
}

#[test]
fn the_extended_protocol_refuses_two_statements_at_once() {
    // What makes the corpus checks below sharp: a merged statement would fail.
    let db = fresh_db("split_two_at_once");
    let two = split::split("SELECT 1; SELECT 2", "x.sql").unwrap();
    assert_eq!(two.statements.len(), 2);
    let merged = RawStatement {
        text: "SELECT 1; SELECT 2".into(),
        location: two.statements[0].location.clone(),
    };
    let err = run_one_by_one(&db, &[merged]).unwrap_err();
    assert!(err.message.contains("multiple commands"), "{err:?}");
    run_one_by_one(&db, &two.statements).unwrap();
}

fn within_ten_percent(label: &str, count: usize, approximate: usize) {
    let tolerance = approximate / 10;
    assert!(
        count.abs_diff(approximate) <= tolerance,
        "{label}: {count} statements, SOURCE.md says ≈ {approximate}"
    );
}

#[test]
fn corpus_crates_io_splits_as_psql_runs_it() {
    let count = agrees_with_psql("crates_io", &fixtures().join("corpus/crates-io"));
    within_ten_percent("crates-io", count, approximate_statement_count("crates-io"));
}

#[test]
fn corpus_umami_splits_as_psql_runs_it() {
    let count = agrees_with_psql("umami", &fixtures().join("corpus/umami"));
    within_ten_percent("umami", count, approximate_statement_count("umami"));
}

#[test]
fn corpus_pagila_splits_as_psql_runs_it() {
    let count = agrees_with_psql("pagila", &fixtures().join("corpus/pagila"));
    within_ten_percent("pagila", count, approximate_statement_count("pagila"));
}

#[test]
fn scenarios_split_as_psql_runs_them() {
    let scenarios = fixtures().join("scenarios");
    for name in [
        "dev-vs-main",
        "failed-migration",
        "hand-made-tables",
        "invitation-quotas",
        "undeployed-migration",
    ] {
        let label = name.replace('-', "_");
        agrees_with_psql(
            &format!("{label}_intended"),
            &scenarios.join(name).join("intended"),
        );
        for env in ["dev.sql", "prod.sql"] {
            let path = scenarios.join(name).join(env);
            agrees_with_psql(&format!("{label}_{env}"), &path);
        }
    }
}

/// psql-specific constructs the corpora do not have. `BEGIN ATOMIC` needs PostgreSQL 14.
fn tricky_sql(major: u32) -> String {
    let mut sql = String::from(
        r#"\set ON_ERROR_STOP on
\echo loading; tricky constructs
/* leading /* nested; */ comment; */
CREATE TABLE "we;ird" (
  id int PRIMARY KEY, -- a comment; with a semicolon
  "col""quote;" text DEFAULT 'it''s; fine',
  e text DEFAULT E'back\\slash\'s;',
  u text DEFAULT U&'d\0061t\+000061;',
  b bit(4) DEFAULT B'1010',
  x bit(8) DEFAULT X'1F'
);
CREATE FUNCTION f_dollar() RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN $$a;b$$ || $_$c;d$_$; -- $$ inside a tagged body
END;
$fn$;
DO $$ BEGIN PERFORM 1; END $$;
CREATE TABLE log (id int, msg text);
CREATE RULE r AS ON INSERT TO "we;ird" DO ALSO (
  INSERT INTO log VALUES (NEW.id, 'a;');
  INSERT INTO log VALUES (NEW.id, 'b;');
);
COPY log (id, msg) FROM stdin;
1	x;y
2	'z
\.
CREATE VIEW v AS SELECT msg || ';' AS m FROM log WHERE msg <> $q$;$q$;
SET standard_conforming_strings = off;
CREATE TABLE legacy (s text DEFAULT 'it\'s; old');
SET standard_conforming_strings = on;
CREATE TABLE after_legacy (s text DEFAULT 'back\slash');
CREATE TABLE one (a int) \; CREATE TABLE two (a int);
COMMENT ON TABLE one IS 'one; of two';
"#,
    );
    if major >= 14 {
        sql.push_str(
            "CREATE FUNCTION f_atomic(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\n  \
             SELECT CASE WHEN a > 0 THEN a ELSE 0 END;\nEND;\n\
             CREATE PROCEDURE p_atomic() LANGUAGE sql BEGIN ATOMIC INSERT INTO log VALUES (1, 'p;'); END;\n",
        );
    }
    sql.push_str("CREATE INDEX log_msg ON log ((msg || ';'))");
    sql
}

#[test]
fn psql_specific_constructs_split_as_psql_runs_them() {
    let major = crate::harness::server().major();
    let dir = TempTree::new("tricky", &[("tricky.sql", &tricky_sql(major))]);
    let path = dir.root.join("tricky.sql");
    let text = std::fs::read_to_string(&path).unwrap();
    let split = split::split(&text, "tricky.sql").unwrap();
    let notes: Vec<&str> = split.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].contains("\\set ON_ERROR_STOP on"), "{notes:?}");
    assert!(
        notes[2].starts_with("COPY data skipped: lines 24–26"),
        "{notes:?}"
    );
    let expected = if major >= 14 { 17 } else { 15 };
    assert_eq!(split.statements.len(), expected, "{:#?}", split.statements);
    let count = agrees_with_psql("tricky", &path);
    assert_eq!(count, expected);
}

/// `pg_dump` output (PostgreSQL 15.18) of a database with data: `\restrict` meta-commands, and
/// COPY rows holding tabs, backslashes, an unpaired `'`, `$$`, `--`, `/*` and a `\.` inside a
/// value — everything a splitter that reads data as SQL would trip on.
const PG_DUMP_WITH_DATA: &str = r##"--
-- PostgreSQL database dump
--

\restrict BAZvUpVQDF7af15HJzQfFcqhIalCQkDhdxr7YiNFFVuCe8hgWhNuOp6KzkiLTIf

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok;',
    'it''s'
);


--
-- Name: note_count(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.note_count() RETURNS bigint
    LANGUAGE sql
    AS $$ SELECT count(*) FROM notes; $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: empty_one; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.empty_one (
    a integer
);


--
-- Name: notes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notes (
    id integer NOT NULL,
    body text NOT NULL,
    mood public.mood DEFAULT 'ok;'::public.mood,
    tags text[] DEFAULT '{}'::text[]
);


--
-- Name: TABLE notes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.notes IS 'notes; with ''quotes''';


--
-- Name: notes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notes_id_seq OWNED BY public.notes.id;


--
-- Name: sad_notes; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.sad_notes AS
 SELECT notes.id,
    notes.body
   FROM public.notes
  WHERE (notes.mood = 'sad'::public.mood);


--
-- Name: notes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notes ALTER COLUMN id SET DEFAULT nextval('public.notes_id_seq'::regclass);


--
-- Data for Name: empty_one; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.empty_one (a) FROM stdin;
\.


--
-- Data for Name: notes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notes (id, body, mood, tags) FROM stdin;
1	tab\there; semicolon	sad	{a,b;c}
2	back\\slash and quote ' and "dq"	it's	{}
3	multi\nline\n\\.\nnot the end	ok;	{x}
4	$$ dollar $fn$ and -- dash and /* star	sad	{}
\.


--
-- Name: notes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notes_id_seq', 4, true);


--
-- Name: notes notes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);


--
-- Name: notes_body_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notes_body_idx ON public.notes USING btree (lower(body)) WHERE (body <> ';'::text);


--
-- PostgreSQL database dump complete
--

\unrestrict BAZvUpVQDF7af15HJzQfFcqhIalCQkDhdxr7YiNFFVuCe8hgWhNuOp6KzkiLTIf

"##;

#[test]
fn pg_dump_output_with_copy_data_splits_as_psql_runs_it() {
    let dir = TempTree::new("dump", &[("dump.sql", PG_DUMP_WITH_DATA)]);
    let path = dir.root.join("dump.sql");
    let split = split::split(PG_DUMP_WITH_DATA, "dump.sql").unwrap();
    for statement in &split.statements {
        assert!(
            !statement.text.contains("semicolon") && !statement.text.contains("not the end"),
            "COPY data read as SQL: {statement:?}"
        );
    }
    let notes: Vec<String> = split
        .notes
        .iter()
        .map(|n| format!("{}: {}", n.location.as_ref().unwrap(), n.message))
        .collect();
    assert_eq!(notes.len(), 4, "{notes:#?}");
    assert!(
        notes[0].starts_with("dump.sql:5: psql meta-command `\\restrict "),
        "{notes:#?}"
    );
    assert!(
        notes[1].contains("COPY data skipped: line 116,"),
        "{notes:#?}"
    );
    assert!(
        notes[2].contains("COPY data skipped: lines 124–128"),
        "{notes:#?}"
    );
    assert!(notes[3].contains("`\\unrestrict "), "{notes:#?}");
    let copies = split
        .statements
        .iter()
        .filter(|s| s.text.starts_with("COPY "))
        .count();
    assert_eq!(copies, 2);
    let count = agrees_with_psql("pg_dump", &path);
    assert_eq!(count, split.statements.len());
}

#[test]
fn truncated_corpus_files_never_panic() {
    let mut checked = 0;
    for corpus in ["crates-io", "umami", "pagila"] {
        let (_, paths) = statements_of(&fixtures().join("corpus").join(corpus));
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|i| text.is_char_boundary(*i))
                .collect();
            let step = (boundaries.len() / 40).max(1);
            for &cut in boundaries.iter().step_by(step) {
                // Ok or a located error; never a panic.
                for part in [&text[..cut], &text[cut..]] {
                    if let Err(e) = split::split(part, "cut.sql") {
                        assert!(e.location.line >= 1 && !e.message.is_empty());
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}
