//! Connection failures give the right typed error, a one-line message naming the redacted
//! source, and never the password; sessions are read-only and bounded.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use pgdrift::catalog::{connect, CatalogError, ConnSettings, ConnectOptions};

use crate::catalog_common::{clean_env, runtime, session, try_connect};
use crate::harness::{fresh_db, server};

const SECRET: &str = "s3cret-Pa55word";

fn assert_clean(e: &CatalogError, target_prefix: &str) {
    eprintln!("{e}");
    let message = e.to_string();
    assert!(!message.contains(SECRET), "password in message: {message}");
    assert!(!message.contains('\n'), "not one line: {message}");
    assert!(
        message.starts_with(target_prefix),
        "message does not name the source: {message}"
    );
    assert!(
        !format!("{e:?}").contains(SECRET),
        "password in Debug: {e:?}"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn refused_port() {
    let rt = runtime();
    let port = free_port();
    let e = try_connect(
        &rt,
        &format!("postgres://someone:{SECRET}@127.0.0.1:{port}/db"),
    )
    .unwrap_err();
    assert!(matches!(e, CatalogError::ConnectionRefused { .. }), "{e:?}");
    assert_clean(&e, &format!("postgres://someone@127.0.0.1:{port}/db"));
}

#[test]
fn wrong_password_no_password_and_the_right_one() {
    let db = fresh_db("catalog_passwords");
    db.server
        .ensure_role("pw_catalog", &format!("LOGIN PASSWORD '{SECRET}'"));
    let rt = runtime();
    let target = format!(
        "postgres://pw_catalog@{}:{}/{}",
        db.server.host, db.server.port, db.name
    );

    let wrong = db
        .server
        .url_with_password("pw_catalog", "wrong-Pa55word", &db.name);
    let e = try_connect(&rt, &wrong).unwrap_err();
    assert!(
        matches!(
            e,
            CatalogError::PasswordFailed {
                from_pgpass: false,
                ..
            }
        ),
        "{e:?}"
    );
    assert_clean(&e, &target);
    assert!(!e.to_string().contains("wrong-Pa55word"));

    let e = try_connect(&rt, &db.url_as("pw_catalog")).unwrap_err();
    assert!(matches!(e, CatalogError::NoPassword { .. }), "{e:?}");
    assert_clean(&e, &target);

    let right = db.server.url_with_password("pw_catalog", SECRET, &db.name);
    let s = try_connect(&rt, &right).unwrap_or_else(|e| panic!("{e}"));
    assert!(!format!("{s:?}").contains(SECRET));
    assert_eq!(s.target(), target);

    // The password file: used when no password is given; a wrong one there says so.
    let dir = std::env::temp_dir().join(format!("pgdrift-catalog-pgpass-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pgpass");
    let mut env = clean_env();
    env.insert("PGPASSFILE".into(), file.to_string_lossy().into_owned());
    let with_file = |contents: &str| {
        std::fs::write(&file, contents).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let settings = ConnSettings::parse(&db.url_as("pw_catalog"), &env).unwrap();
        rt.block_on(connect(&settings, &ConnectOptions::default()))
    };
    with_file(&format!(
        "127.0.0.1:{}:*:pw_catalog:{SECRET}\n",
        db.server.port
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let e = with_file("*:*:*:pw_catalog:not-it\n").unwrap_err();
    assert!(
        matches!(
            e,
            CatalogError::PasswordFailed {
                from_pgpass: true,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("password file"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_database_and_missing_role() {
    let srv = server();
    let rt = runtime();
    let url = format!(
        "postgres://{}:{SECRET}@{}:{}/no_such_db_here",
        srv.superuser, srv.host, srv.port
    );
    let e = try_connect(&rt, &url).unwrap_err();
    assert!(
        matches!(e, CatalogError::DatabaseMissing { ref database, .. } if database == "no_such_db_here"),
        "{e:?}"
    );
    assert_clean(&e, "postgres://");
    assert!(
        e.to_string()
            .contains("database \"no_such_db_here\" does not exist"),
        "{e}"
    );

    let url = format!(
        "postgres://no_such_role:{SECRET}@{}:{}/postgres",
        srv.host, srv.port
    );
    let e = try_connect(&rt, &url).unwrap_err();
    assert!(
        matches!(e, CatalogError::RoleMissing { ref user, .. } if user == "no_such_role"),
        "{e:?}"
    );
    assert_clean(&e, "postgres://no_such_role@");
}

#[test]
fn unknown_host() {
    let rt = runtime();
    let e = try_connect(
        &rt,
        &format!("postgres://u:{SECRET}@no-such-host.invalid:5432/db?connect_timeout=5"),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            CatalogError::HostNotFound { .. } | CatalogError::Timeout { .. }
        ),
        "{e:?}"
    );
    assert_clean(&e, "postgres://u@no-such-host.invalid:5432/db");
}

#[test]
fn a_server_that_never_answers_times_out() {
    // Accepts the TCP connection, then says nothing: only the handshake timeout can end it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let rt = runtime();
    let started = Instant::now();
    let e = try_connect(
        &rt,
        &format!("postgres://u:{SECRET}@127.0.0.1:{port}/db?connect_timeout=2&sslmode=disable"),
    )
    .unwrap_err();
    assert!(matches!(e, CatalogError::Timeout { .. }), "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_clean(&e, &format!("postgres://u@127.0.0.1:{port}/db"));
}

#[test]
fn unix_socket_connections_ignore_sslmode() {
    let db = fresh_db("catalog_socket");
    db.exec("CREATE TABLE t (id int)");
    let Some(dir) = db.server.data_dir.as_ref().and_then(|d| d.parent()) else {
        eprintln!("SKIPPED: the server was not started by the harness (no socket directory)");
        return;
    };
    let dir = dir.to_string_lossy().into_owned();
    let rt = runtime();
    let kw = format!(
        "host={dir} port={} user={} dbname={} sslmode=require",
        db.server.port, db.server.superuser, db.name
    );
    let s = session(&rt, &kw);
    let via = rt
        .block_on(s.query_text("SELECT coalesce(inet_client_addr()::text, 'socket')"))
        .unwrap();
    assert_eq!(via, vec![vec![Some("socket".to_string())]]);
    assert!(
        s.target().starts_with("postgres://postgres@%2F"),
        "{}",
        s.target()
    );
    // The same as a URI with the directory percent-encoded, and as ?host=.
    let encoded: String = dir.replace('/', "%2F");
    let uri = format!(
        "postgres://{}@{encoded}:{}/{}",
        db.server.superuser, db.server.port, db.name
    );
    session(&rt, &uri);
    let uri = format!(
        "postgres:///{}?host={dir}&port={}&user={}",
        db.name, db.server.port, db.server.superuser
    );
    let loaded = rt
        .block_on(session(&rt, &uri).read(&Default::default()))
        .unwrap();
    assert!(loaded.schema.namespaces["public"].tables.contains_key("t"));

    // No server at a socket path says so.
    let e = try_connect(
        &rt,
        &format!("host=/nonexistent-dir port=5999 user=u dbname=d password={SECRET}"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("no server socket at /nonexistent-dir/.s.PGSQL.5999"),
        "{e}"
    );
    assert_clean(&e, "postgres://u@%2Fnonexistent-dir:5999/d");
}

#[test]
fn sessions_are_read_only_and_bounded() {
    let db = fresh_db("catalog_readonly");
    db.exec("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x'), (2, NULL)");
    let rt = runtime();
    let s = session(&rt, &db.url());

    let rows = rt
        .block_on(s.query_rows("SELECT a, b FROM public.t ORDER BY a"))
        .unwrap();
    assert_eq!(rows.columns, vec!["a", "b"]);
    assert_eq!(
        rows.rows,
        vec![
            vec![Some("1".to_string()), Some("x".to_string())],
            vec![Some("2".to_string()), None]
        ]
    );
    for write in [
        "CREATE TABLE u (a int)",
        "INSERT INTO public.t VALUES (3, 'y')",
        "SET transaction_read_only = off; INSERT INTO public.t VALUES (3, 'y')",
        "COMMIT; INSERT INTO public.t VALUES (3, 'y')",
        "WITH x AS (DELETE FROM public.t RETURNING *) SELECT count(*) FROM x",
    ] {
        let e = rt.block_on(s.query_text(write)).unwrap_err();
        assert!(matches!(e, CatalogError::Query { .. }), "{e:?}");
        let m = e.to_string();
        assert!(
            m.contains("read-only") || m.contains("read-write mode must be set"),
            "{m}"
        );
    }
    assert_eq!(db.exec("SELECT count(*) FROM t"), "2");

    // The session stays usable after an error, and reads still work.
    assert!(rt
        .block_on(s.query_text("SELECT no_such_column FROM public.t"))
        .is_err());
    let loaded = rt.block_on(s.read(&Default::default())).unwrap();
    assert!(loaded.schema.namespaces["public"].tables.contains_key("t"));

    // statement_timeout bounds every statement.
    let settings = ConnSettings::parse(&db.url(), &clean_env()).unwrap();
    let options = ConnectOptions {
        statement_timeout: Duration::from_millis(300),
        ..ConnectOptions::default()
    };
    let s = rt.block_on(connect(&settings, &options)).unwrap();
    let e = rt.block_on(s.query_text("SELECT pg_sleep(5)")).unwrap_err();
    assert!(e.to_string().contains("statement timeout"), "{e}");

    // application_name is pgdrift unless the string says otherwise.
    let name = rt
        .block_on(s.query_text("SELECT current_setting('application_name')"))
        .unwrap();
    assert_eq!(name, vec![vec![Some("pgdrift".to_string())]]);
    let s = session(&rt, &format!("{}?application_name=nightly-audit", db.url()));
    let name = rt
        .block_on(s.query_text("SELECT current_setting('application_name')"))
        .unwrap();
    assert_eq!(name, vec![vec![Some("nightly-audit".to_string())]]);
}
