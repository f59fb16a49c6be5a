//! What users see when things go wrong, and the exit codes: every kind of trouble exits 2 with
//! one clear line naming the file and line or the redacted source — and never a password.

use std::path::{Path, PathBuf};

use crate::harness::{fresh_db, server};
use crate::run::{pgdrift, Run};

const SECRET: &str = "s3cret-Pa55";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("pgdrift-cli-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// stderr with the run-specific parts (port, temp dir) replaced by stable words.
fn stable(run: &Run, dirs: &[&Path]) -> String {
    let mut text = format!("exit {}\n{}", run.code, run.stderr);
    text = text.replace(&server().port.to_string(), "PORT");
    for dir in dirs {
        text = text.replace(&dir.display().to_string(), "DIR");
    }
    text
}

fn assert_no_secret(run: &Run) {
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the password leaked:\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = pgdrift::<&str>(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Usage"), "{}", run.stderr);
    let run = pgdrift(&["audit", "--expected", "x"]);
    assert_eq!(run.code, 2, "--env is required");
    let run = pgdrift(&[
        "audit",
        "--expected",
        "x",
        "--env",
        "prod=x",
        "--format",
        "html",
    ]);
    assert_eq!(run.code, 2);
    let run = pgdrift(&["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("pgdrift "));
}

#[test]
fn bad_env_specs_are_named_without_their_password() {
    let url = format!("postgres://auditor:{SECRET}@127.0.0.1:1/prod");
    let run = pgdrift(&["audit", "--expected", "x", "--env", &url]);
    assert_no_secret(&run);
    insta::assert_snapshot!(stable(&run, &[]), @r"
    exit 2
    pgdrift: error: --env expects NAME=SRC (for example prod=postgres://user@host/db), got 'postgres://auditor:***@127.0.0.1:1/prod'
    ");
    let run = pgdrift(&["audit", "--expected", "x", "--env", "a=x", "--env", "a=y"]);
    insta::assert_snapshot!(stable(&run, &[]), @r"
    exit 2
    pgdrift: error: environment 'a' is given twice; each --env needs its own name
    ");
}

#[test]
fn missing_files_and_folders() {
    let dir = scratch("missing");
    let missing = dir.join("nope");
    let run = pgdrift(&["inspect", missing.to_str().unwrap()]);
    insta::assert_snapshot!(stable(&run, &[&dir]), @r"
    exit 2
    pgdrift: error: DIR/nope: no such file or directory (and not a postgres:// URL or key=value connection string)
    ");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = pgdrift(&["inspect", empty.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("empty"), "{}", run.stderr);
}

#[test]
fn malformed_sql_names_file_and_line() {
    let dir = scratch("malformed_sql");
    std::fs::write(dir.join("001_ok.sql"), "CREATE TABLE a (id int);\n").unwrap();
    std::fs::write(
        dir.join("002_broken.sql"),
        "CREATE TABLE b (id int);\n\nINSERT INTO b VALUES ('unterminated);\n",
    )
    .unwrap();
    let run = pgdrift(&["inspect", dir.to_str().unwrap()]);
    insta::assert_snapshot!(stable(&run, &[&dir]), @r"
    exit 2
    pgdrift: error: malformed_sql/002_broken.sql:3: unterminated string literal: the ' opened here is never closed
    ");
    std::fs::write(
        dir.join("002_broken.sql"),
        "CREATE TABLE b (id int);\nCREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n",
    )
    .unwrap();
    let run = pgdrift(&["inspect", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("002_broken.sql:2"), "{}", run.stderr);
    assert!(run.stderr.contains("$body$"), "{}", run.stderr);
    std::fs::write(
        dir.join("002_broken.sql"),
        b"CREATE TABLE b (id int);\n-- caf\xe9\n",
    )
    .unwrap();
    let run = pgdrift(&["inspect", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("002_broken.sql:2"), "{}", run.stderr);
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
}

#[test]
fn malformed_yaml_names_file_line_and_key() {
    let dir = scratch("malformed_yaml");
    let file = dir.join("models.yaml");
    std::fs::write(
        &file,
        "tables:\n  users:\n    columns:\n      - {name: id, type: integer, nullabel: false}\n",
    )
    .unwrap();
    let run = pgdrift(&["inspect", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("models.yaml:4"), "{}", run.stderr);
    assert!(run.stderr.contains("nullabel"), "{}", run.stderr);
    std::fs::write(&file, "tables: [unclosed\n").unwrap();
    let run = pgdrift(&["inspect", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("models.yaml:"), "{}", run.stderr);
}

#[test]
fn unreachable_and_refusing_servers() {
    // Nothing listens on port 1.
    let url = format!("postgres://auditor:{SECRET}@127.0.0.1:1/prod");
    let run = pgdrift(&["snapshot", &url]);
    assert_no_secret(&run);
    insta::assert_snapshot!(stable(&run, &[]), @r"
    exit 2
    pgdrift: error: postgres://auditor@127.0.0.1:1/prod: connection refused (is a server running on 127.0.0.1:1 and accepting TCP/IP connections?)
    ");

    let db = fresh_db("cli_refusing");
    db.server
        .ensure_role("pw_cli_auditor", "LOGIN PASSWORD 'right-password'");
    let wrong = db
        .server
        .url_with_password("pw_cli_auditor", SECRET, &db.name);
    let run = pgdrift(&["snapshot", &wrong]);
    assert_no_secret(&run);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("password authentication failed"),
        "{}",
        run.stderr
    );

    let no_db = db
        .server
        .url_with_password("pw_cli_auditor", SECRET, "no_such_db");
    let run = pgdrift(&["snapshot", &no_db]);
    assert_no_secret(&run);
    assert_eq!(run.code, 2);
    // The password check comes first: a wrong password never learns whether the database exists.
    assert!(run.stderr.contains("password"), "{}", run.stderr);

    let missing_db = db.server.url(&db.server.superuser, "no_such_db");
    let run = pgdrift(&["snapshot", &missing_db]);
    insta::assert_snapshot!(stable(&run, &[]).replace(&format!("//{}@", db.server.superuser), "//USER@"), @r#"
    exit 2
    pgdrift: error: postgres://USER@127.0.0.1:PORT/no_such_db: database "no_such_db" does not exist
    "#);
}

#[test]
fn snapshot_needs_a_database() {
    let dir = scratch("snapshot_file");
    let run = pgdrift(&["snapshot", dir.to_str().unwrap()]);
    insta::assert_snapshot!(stable(&run, &[&dir]), @r"
    exit 2
    pgdrift: error: DIR: a database is needed here, not a file
    ");
}

#[test]
fn one_unreachable_environment_still_reports_the_others() {
    let db = fresh_db("cli_partial");
    db.exec("CREATE TABLE t (id int PRIMARY KEY)");
    let dir = scratch("partial");
    std::fs::write(
        dir.join("001.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    )
    .unwrap();
    let down = format!("postgres://auditor:{SECRET}@127.0.0.1:1/prod");
    let run = pgdrift(&[
        "audit",
        "--expected",
        dir.to_str().unwrap(),
        "--env",
        &format!("dev={}", db.url()),
        "--env",
        &format!("prod={down}"),
        "--format",
        "json",
    ]);
    assert_no_secret(&run);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let names: Vec<&str> = json["environments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["dev"]);
    assert!(
        run.stderr
            .contains("prod: postgres://auditor@127.0.0.1:1/prod: connection refused"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let expected = fresh_db("cli_fail_on_expected");
    expected.exec("CREATE TABLE t (id int PRIMARY KEY)");
    let db = fresh_db("cli_fail_on");
    db.exec("CREATE TABLE t (id int PRIMARY KEY, extra text)");
    let audit = |fail_on: &str| {
        pgdrift(&[
            "audit",
            "--expected",
            &expected.url(),
            "--env",
            &format!("dev={}", db.url()),
            "--fail-on",
            fail_on,
        ])
        .code
    };
    // The only drift is an unexpected column: a warning.
    assert_eq!(audit("error"), 0);
    assert_eq!(audit("warning"), 1);
    assert_eq!(audit("never"), 0);
    db.exec("ALTER TABLE t ALTER COLUMN id TYPE bigint");
    assert_eq!(audit("error"), 1);
    assert_eq!(audit("never"), 0);
    db.exec("ALTER TABLE t ALTER COLUMN id TYPE int; ALTER TABLE t DROP COLUMN extra");
    assert_eq!(audit("warning"), 0, "no drift at all");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `pgdrift snapshot … | head -1`: the reader goes away; pgdrift must not complain.
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let db = fresh_db("cli_pipe");
    let mut sql = String::new();
    // More than a pipe buffer (64 KiB) of YAML, so the writer does meet the closed pipe.
    for i in 0..1500 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, name text NOT NULL);"
        ));
    }
    db.exec(&sql);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgdrift"))
        .args(["snapshot", &db.url()])
        .env("PGPASSFILE", "/nonexistent")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('#'), "{first}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
