//! The harness itself: a server starts, databases are fresh and isolated.

use crate::harness::{fresh_db, server};

#[test]
fn fresh_databases_are_empty_and_isolated() {
    let a = fresh_db("isolation_a");
    let b = fresh_db("isolation_b");
    a.exec("CREATE TABLE only_in_a (id int)");
    let count = |db: &crate::harness::TestDb| {
        db.exec("SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'")
    };
    assert_eq!(count(&a), "1");
    assert_eq!(count(&b), "0");
    assert!(server().major() >= 13, "version {}", server().version_num);
}

#[test]
fn password_roles_must_authenticate() {
    let db = fresh_db("passwords");
    db.server
        .ensure_role("pw_selftest", "LOGIN PASSWORD 'right'");
    let ok = std::process::Command::new("psql")
        .args(["-X", "-A", "-t", "-c", "SELECT 1", "-d"])
        .arg(
            db.server
                .url_with_password("pw_selftest", "right", &db.name),
        )
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bad = std::process::Command::new("psql")
        .args(["-X", "-A", "-t", "-w", "-c", "SELECT 1", "-d"])
        .arg(
            db.server
                .url_with_password("pw_selftest", "wrong", &db.name),
        )
        .output()
        .unwrap();
    assert!(!bad.status.success());
}
