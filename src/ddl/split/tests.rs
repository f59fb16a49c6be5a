//! Table-driven cases for every construct the splitter must get right, and a little fuzzing.

use super::*;

/// (line, text) of each statement.
fn statements(text: &str) -> Vec<(usize, String)> {
    let split = split(text, "f.sql").unwrap_or_else(|e| panic!("{e}\n{text}"));
    split
        .statements
        .into_iter()
        .map(|s| {
            assert_eq!(s.location.file, "f.sql");
            (s.location.line, s.text)
        })
        .collect()
}

fn notes(text: &str) -> Vec<(usize, String)> {
    split(text, "f.sql")
        .unwrap()
        .notes
        .into_iter()
        .map(|n| {
            assert_eq!(n.kind, NoteKind::NotModelled);
            (n.location.map_or(0, |l| l.line), n.message)
        })
        .collect()
}

#[track_caller]
fn check(cases: &[(&str, &[(usize, &str)])]) {
    for (text, expected) in cases {
        let expected: Vec<(usize, String)> =
            expected.iter().map(|(l, t)| (*l, t.to_string())).collect();
        assert_eq!(statements(text), expected, "input:\n{text}");
    }
}

#[test]
fn plain_statements_lines_and_trimming() {
    check(&[
        ("", &[]),
        ("  \n\n ;; ; \n", &[]),
        ("SELECT 1", &[(1, "SELECT 1")]),
        ("SELECT 1;SELECT 2;", &[(1, "SELECT 1"), (1, "SELECT 2")]),
        (
            "-- header\n\n/* block */\nCREATE TABLE t (a int) -- trailing\n;\n\nDROP TABLE t ;",
            &[(4, "CREATE TABLE t (a int)"), (7, "DROP TABLE t")],
        ),
        (
            "CREATE TABLE t (\n  a int, -- first ; column\n  b text /* ; */\n);",
            &[(
                1,
                "CREATE TABLE t (\n  a int, -- first ; column\n  b text /* ; */\n)",
            )],
        ),
        (
            "\r\nSELECT 1;\r\nSELECT 2;\r\n",
            &[(2, "SELECT 1"), (3, "SELECT 2")],
        ),
        ("SELECT 1 -- no semicolon at the end", &[(1, "SELECT 1")]),
        ("\u{feff}SELECT 1;", &[(1, "SELECT 1")]),
    ]);
}

#[test]
fn quotes_of_every_kind_hide_semicolons() {
    check(&[
        ("SELECT 'a;b', 'it''s;';", &[(1, "SELECT 'a;b', 'it''s;'")]),
        (
            r"SELECT E'it\'s;', e'\\';",
            &[(1, r"SELECT E'it\'s;', e'\\'")],
        ),
        (
            r"SELECT 'a\'; SELECT 'b';",
            &[(1, r"SELECT 'a\'"), (1, "SELECT 'b'")],
        ),
        (
            "SELECT U&'d\\0061t;a', U&\"a;b\";",
            &[(1, "SELECT U&'d\\0061t;a', U&\"a;b\"")],
        ),
        (
            "SELECT B'01;', X'1F;', N'n;';",
            &[(1, "SELECT B'01;', X'1F;', N'n;'")],
        ),
        (
            "SELECT 1 AS \"we;ird\"\"name\";",
            &[(1, "SELECT 1 AS \"we;ird\"\"name\"")],
        ),
        (
            "SELECT 'multi\nline;\n'; SELECT 2;",
            &[(1, "SELECT 'multi\nline;\n'"), (3, "SELECT 2")],
        ),
        (
            "SELECT date '2020-01-01';",
            &[(1, "SELECT date '2020-01-01'")],
        ),
        ("SELECT 'a' -- 'b;\n;", &[(1, "SELECT 'a'")]),
    ]);
}

#[test]
fn dollar_quotes_and_parameters() {
    check(&[
        (
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;",
            &[
                (
                    1,
                    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                ),
                (2, "SELECT 2"),
            ],
        ),
        (
            "DO $fn$\nBEGIN\n  PERFORM $$;$$;\nEND\n$fn$;\nSELECT 3;",
            &[
                (1, "DO $fn$\nBEGIN\n  PERFORM $$;$$;\nEND\n$fn$"),
                (6, "SELECT 3"),
            ],
        ),
        ("SELECT $_$a;b$_$;", &[(1, "SELECT $_$a;b$_$")]),
        (
            "PREPARE p AS SELECT $1; EXECUTE p(1);",
            &[(1, "PREPARE p AS SELECT $1"), (1, "EXECUTE p(1)")],
        ),
        (
            "SELECT $1$x; SELECT 2;",
            &[(1, "SELECT $1$x"), (1, "SELECT 2")],
        ),
        (
            "SELECT a$$b; SELECT 2;",
            &[(1, "SELECT a$$b"), (1, "SELECT 2")],
        ),
        ("SELECT $a$ $b$ ; $a$;", &[(1, "SELECT $a$ $b$ ; $a$")]),
        ("SELECT $é$;$é$;", &[(1, "SELECT $é$;$é$")]),
    ]);
}

#[test]
fn comments_nest_and_hide_semicolons() {
    check(&[
        ("/* a /* b; */ c; */ SELECT 1;", &[(1, "SELECT 1")]),
        (
            "SELECT /* x; /* y; */ z; */ 1;",
            &[(1, "SELECT /* x; /* y; */ z; */ 1")],
        ),
        ("SELECT 1 -- ; \n + 1;", &[(1, "SELECT 1 -- ; \n + 1")]),
        (
            "SELECT 2 - -1; SELECT 3-- c\n;",
            &[(1, "SELECT 2 - -1"), (1, "SELECT 3")],
        ),
        ("SELECT 1 */ 2;", &[(1, "SELECT 1 */ 2")]),
    ]);
}

#[test]
fn begin_atomic_bodies_keep_their_semicolons() {
    check(&[
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;",
            &[
                (1, "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND"),
                (6, "SELECT 3"),
            ],
        ),
        (
            "create or replace procedure p() language sql begin atomic insert into t values (1); select case when true then 1 else 2 end; end; select 4;",
            &[
                (1, "create or replace procedure p() language sql begin atomic insert into t values (1); select case when true then 1 else 2 end; end"),
                (1, "select 4"),
            ],
        ),
        // Outside CREATE FUNCTION/PROCEDURE, BEGIN is a transaction.
        ("BEGIN; CREATE TABLE t (a int); COMMIT;", &[(1, "BEGIN"), (1, "CREATE TABLE t (a int)"), (1, "COMMIT")]),
        (
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql; BEGIN;",
            &[
                (1, "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"),
                (1, "BEGIN"),
            ],
        ),
        // A CASE outside a BEGIN block does not count.
        (
            "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END; SELECT 2;",
            &[
                (1, "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END"),
                (1, "SELECT 2"),
            ],
        ),
        // A function named `begin` opens no block (psql would glue the statements).
        (
            "CREATE FUNCTION begin() RETURNS int LANGUAGE sql RETURN 1; SELECT 2; SELECT 3;",
            &[
                (1, "CREATE FUNCTION begin() RETURNS int LANGUAGE sql RETURN 1"),
                (1, "SELECT 2"),
                (1, "SELECT 3"),
            ],
        ),
        (
            "CREATE PROCEDURE p() BEGIN /* c */ ATOMIC SELECT 1; END; SELECT 2;",
            &[(1, "CREATE PROCEDURE p() BEGIN /* c */ ATOMIC SELECT 1; END"), (1, "SELECT 2")],
        ),
        ("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f(); BEGIN;", &[
            (1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()"),
            (1, "BEGIN"),
        ]),
    ]);
}

#[test]
fn parenthesised_rule_actions_keep_their_semicolons() {
    check(&[(
        "CREATE RULE r AS ON INSERT TO t DO ALSO (\n  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2);\n);\nSELECT 1;",
        &[
            (1, "CREATE RULE r AS ON INSERT TO t DO ALSO (\n  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2);\n)"),
            (5, "SELECT 1"),
        ],
    )]);
}

#[test]
fn psql_meta_commands_are_skipped_with_notes() {
    let text =
        "\\set ON_ERROR_STOP on\nSELECT 1;\n\\echo done; really\n  \\i other.sql\nSELECT 2;\n";
    assert_eq!(
        statements(text),
        [(2, "SELECT 1".to_string()), (5, "SELECT 2".to_string())]
    );
    let notes = notes(text);
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert_eq!(
        notes[0],
        (
            1,
            "psql meta-command `\\set ON_ERROR_STOP on` is not SQL; skipped".to_string()
        )
    );
    assert_eq!(notes[1].0, 3);
    assert!(notes[1].1.contains("`\\echo done; really`"), "{notes:?}");
    assert_eq!(notes[2].0, 4);
    assert!(notes[2].1.contains("does not read"), "{notes:?}");
}

#[test]
fn connect_is_noted_prominently() {
    let text = "CREATE TABLE a (x int);\n\\connect other_db\nCREATE TABLE b (x int);\n";
    assert_eq!(statements(text).len(), 2);
    let notes = notes(text);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, 2);
    assert!(
        notes[0].1.contains("switches to another database"),
        "{notes:?}"
    );
    assert!(notes[0].1.contains("\\connect other_db"), "{notes:?}");
}

#[test]
fn meta_commands_inside_and_between_statements() {
    check(&[
        // A meta-command in the middle of a statement is left out of its text.
        ("SELECT 1\n\\echo x\n+ 1;", &[(1, "SELECT 1\n\n+ 1")]),
        // `\g` sends the statement like `;` does.
        (
            "SELECT 1 \\g\nSELECT 2 \\gset\nSELECT 3;",
            &[(1, "SELECT 1"), (2, "SELECT 2"), (3, "SELECT 3")],
        ),
        // `\;` separates statements sent together.
        (
            "SELECT 1 \\; SELECT 2;",
            &[(1, "SELECT 1"), (1, "SELECT 2")],
        ),
        // `\\` ends a meta-command's arguments: SQL resumes after it.
        ("\\echo hi \\\\ SELECT 1;", &[(1, "SELECT 1")]),
        // `\r` throws the unfinished statement away.
        ("SELECT oops\n\\r\nSELECT 2;", &[(3, "SELECT 2")]),
        // A backslash inside quotes is not a meta-command.
        (
            "SELECT '\\connect x', $$\\i y$$;",
            &[(1, "SELECT '\\connect x', $$\\i y$$")],
        ),
    ]);
    let gexec = notes("SELECT 'CREATE TABLE t ()' \\gexec\n");
    assert!(gexec[0].1.contains("runs each value"), "{gexec:?}");
}

#[test]
fn copy_from_stdin_data_is_skipped() {
    let text = "CREATE TABLE t (a int, b text);\nCOPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t'z\n\\.\nSELECT 1;\n";
    assert_eq!(
        statements(text),
        [
            (1, "CREATE TABLE t (a int, b text)".to_string()),
            (2, "COPY public.t (a, b) FROM stdin".to_string()),
            (6, "SELECT 1".to_string()),
        ]
    );
    assert_eq!(
        notes(text),
        [(
            3,
            "COPY data skipped: lines 3–5, up to its `\\.` line".to_string()
        )]
    );

    // Data to the end of the file, CRLF lines, lower case, a `\copy`.
    check(&[
        (
            "copy t from STDIN with (format csv);\r\na,'b\r\n",
            &[(1, "copy t from STDIN with (format csv)")],
        ),
        (
            "COPY t FROM STDIN;\n\\.\r\nSELECT 2;",
            &[(1, "COPY t FROM STDIN"), (3, "SELECT 2")],
        ),
        ("\\copy t from stdin\n1\n\\.\nSELECT 3;", &[(4, "SELECT 3")]),
        // Not from stdin: no data follows.
        (
            "COPY t FROM '/tmp/x';\nSELECT 4;",
            &[(1, "COPY t FROM '/tmp/x'"), (2, "SELECT 4")],
        ),
        (
            "COPY (SELECT 1 FROM stdin) TO STDOUT;\nSELECT 5;",
            &[(1, "COPY (SELECT 1 FROM stdin) TO STDOUT"), (2, "SELECT 5")],
        ),
    ]);
}

#[test]
fn goose_sections_and_statement_blocks() {
    let text = "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS 'SELECT 1; SELECT 2' LANGUAGE sql;\nSELECT 'still one';\n-- +goose StatementEnd\nCREATE TABLE t (a int);\n\n-- +goose Down\nDROP TABLE t;\nDROP FUNCTION f();\n";
    assert_eq!(
        statements(text),
        [
            (
                3,
                "CREATE FUNCTION f() RETURNS int AS 'SELECT 1; SELECT 2' LANGUAGE sql;\nSELECT 'still one'"
                    .to_string()
            ),
            (6, "CREATE TABLE t (a int)".to_string()),
        ]
    );
    let notes = notes(text);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].0, 8);
    assert!(
        notes[0]
            .1
            .starts_with("down section skipped (lines 8–10, 2 statement(s)): goose"),
        "{notes:?}"
    );

    check(&[
        // Up after Down again; NO TRANSACTION has no effect.
        (
            "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX i;\n-- +goose Up\nSELECT 1;",
            &[(3, "CREATE INDEX CONCURRENTLY i ON t (a)"), (7, "SELECT 1")],
        ),
        // An unterminated statement ends at the next marker.
        ("-- +goose Up\nCREATE TABLE t (a int)\n-- +goose Down\nDROP TABLE t", &[(2, "CREATE TABLE t (a int)")]),
        // Markers only count at the start of a line.
        ("SELECT 1; -- +goose Down\nSELECT 2;", &[(1, "SELECT 1"), (2, "SELECT 2")]),
        // A block left open ends at the next section marker.
        (
            "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\nSELECT 2;\n-- +goose Up\nSELECT 3; SELECT 4;",
            &[(3, "SELECT 1"), (7, "SELECT 3"), (7, "SELECT 4")],
        ),
        // sql-migrate uses the same shape.
        ("-- +migrate Up\nSELECT 1;\n-- +migrate Down\nSELECT 2;", &[(2, "SELECT 1")]),
    ]);
}

#[test]
fn statements_before_the_up_marker_do_not_run() {
    let text = "SELECT 0;\n-- +goose Up\nSELECT 1;\n";
    assert_eq!(statements(text), [(3, "SELECT 1".to_string())]);
    let notes = notes(text);
    assert!(
        notes[0].1.contains("before the up marker on line 2"),
        "{notes:?}"
    );
}

#[test]
fn dbmate_and_node_pg_migrate_sections() {
    check(&[
        (
            "-- migrate:up\nCREATE TABLE t (a int);\n\n-- migrate:down\nDROP TABLE t;\n",
            &[(2, "CREATE TABLE t (a int)")],
        ),
        (
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\n",
            &[(2, "CREATE INDEX CONCURRENTLY i ON t (a)")],
        ),
        (
            "-- Up Migration\nCREATE TABLE t (a int);\n-- Down Migration\nDROP TABLE t;",
            &[(2, "CREATE TABLE t (a int)")],
        ),
    ]);
    let notes = notes("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\nSELECT 3;");
    assert_eq!(notes.len(), 1);
    assert!(notes[0]
        .1
        .starts_with("down section skipped (lines 3–5, 2 statement(s)): dbmate"));
}

#[test]
fn standard_conforming_strings_off_makes_backslashes_escapes() {
    check(&[
        (
            "SET standard_conforming_strings = off;\nSELECT 'a\\'; b';\nSET standard_conforming_strings TO on;\nSELECT 'c\\'; SELECT 'd';",
            &[
                (1, "SET standard_conforming_strings = off"),
                (2, "SELECT 'a\\'; b'"),
                (3, "SET standard_conforming_strings TO on"),
                (4, "SELECT 'c\\'"),
                (4, "SELECT 'd'"),
            ],
        ),
    ]);
    assert_eq!(
        standard_conforming_strings("SET standard_conforming_strings='off'"),
        Some(false)
    );
    assert_eq!(
        standard_conforming_strings("set session standard_conforming_strings to default"),
        Some(true)
    );
    assert_eq!(
        standard_conforming_strings("RESET standard_conforming_strings"),
        Some(true)
    );
    assert_eq!(standard_conforming_strings("SET search_path = ''"), None);
    assert_eq!(standard_conforming_strings("SELECT 1"), None);
}

#[test]
fn unterminated_constructs_are_located_errors() {
    let cases = [
        (
            "SELECT 1;\nSELECT 'abc;\nSELECT 2;",
            2,
            "unterminated string literal",
        ),
        (
            "SELECT 1;\n\nSELECT \"abc;",
            3,
            "unterminated quoted identifier",
        ),
        ("CREATE FUNCTION f() AS $body$\nSELECT 1;\n", 1, "$body$"),
        (
            "SELECT 1; /* one /* two */\nSELECT 2;",
            1,
            "unterminated /* comment",
        ),
        ("SELECT E'abc\\';", 1, "unterminated string literal"),
        (
            "CREATE TABLE t (\n  a int,\n  b int;\nSELECT 1;",
            1,
            "unbalanced parentheses",
        ),
        (
            "SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\nSELECT 1;",
            3,
            "BEGIN",
        ),
    ];
    for (text, line, message) in cases {
        let err = split(text, "dir/f.sql").unwrap_err();
        assert_eq!(err.location.file, "dir/f.sql");
        assert_eq!(err.location.line, line, "{text:?}: {err}");
        assert!(err.message.contains(message), "{text:?}: {err}");
        assert!(err.to_string().starts_with(&format!("dir/f.sql:{line}: ")));
    }
}

/// A small deterministic generator (xorshift), enough to shake the splitter.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Splitting must never panic; what it returns must be sound: statement texts are
/// non-empty pieces of the input, in order, and lines never go backwards.
fn check_sound(text: &str) {
    if let Ok(split) = split(text, "fuzz.sql") {
        let mut last_line = 0;
        for statement in &split.statements {
            assert!(!statement.text.is_empty(), "{text:?}");
            assert!(statement.location.line >= last_line, "{text:?}");
            assert!(statement.location.line >= 1);
            last_line = statement.location.line;
        }
    }
}

#[test]
fn fuzz_random_text_never_panics() {
    let alphabet: Vec<char> =
        "'\"$;()-/*\\\n\r\tEeUuBbXxNn&:abc _1 9+goose Up Down migrate:copy from stdin begin end create function é€"
            .chars()
            .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = (rng.next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        check_sound(&text);
    }
    // Arbitrary bytes, made valid UTF-8 the way a reader would.
    for _ in 0..5_000 {
        let len = (rng.next() % 80) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check_sound(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn fuzz_truncated_sql_never_panics() {
    let text = "SET standard_conforming_strings = off;\n-- +goose Up\n-- +goose StatementBegin\n\
        CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN 1 = 1 THEN 1 END; END;\n\
        -- +goose StatementEnd\nCREATE TABLE \"T\" (a text DEFAULT E'\\'x', b text DEFAULT U&'\\0041');\n\
        /* nested /* comment */ */ COPY t FROM stdin;\n1\t2\n\\.\n\\set x 1 \\\\ SELECT $q$ ; $q$, $1;\n\
        CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2);\n-- migrate:down\nDROP TABLE t;";
    let cuts: Vec<usize> = (0..=text.len())
        .filter(|i| text.is_char_boundary(*i))
        .collect();
    for &end in &cuts {
        check_sound(&text[..end]);
        check_sound(&text[end..]);
    }
}
