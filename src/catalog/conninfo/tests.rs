//! Connection settings: libpq's precedence, defaults, password file and redaction.

use super::*;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

fn env(vars: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    map.entry("USER".into()).or_insert_with(|| "osuser".into());
    map
}

fn parse(source: &str, vars: &[(&str, &str)]) -> ConnSettings {
    ConnSettings::parse(source, &env(vars)).unwrap()
}

#[test]
fn uri_settings_are_used_as_given() {
    let s = parse(
        "postgres://alice:s3cret@db.example.com:6432/app?sslmode=verify-full&sslrootcert=/ca.pem&connect_timeout=3&application_name=ci",
        &[],
    );
    assert_eq!(s.user, "alice");
    assert_eq!(s.dbname, "app");
    assert_eq!(s.password, Some(Password::new("s3cret")));
    assert_eq!(
        s.hosts,
        vec![HostSpec {
            host: Host::Tcp("db.example.com".into()),
            hostaddr: None,
            port: 6432,
            pgpass_password: None,
        }]
    );
    assert_eq!(s.sslmode, SslMode::VerifyFull);
    assert_eq!(s.sslrootcert.as_deref(), Some("/ca.pem"));
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(3)));
    assert_eq!(s.application_name.as_deref(), Some("ci"));
    assert_eq!(s.display(), "postgres://alice@db.example.com:6432/app");
}

#[test]
fn explicit_beats_environment_beats_defaults() {
    let vars = [
        ("PGHOST", "envhost"),
        ("PGPORT", "7000"),
        ("PGUSER", "envuser"),
        ("PGDATABASE", "envdb"),
        ("PGPASSWORD", "envpw"),
        ("PGSSLMODE", "require"),
        ("PGCONNECT_TIMEOUT", "5"),
    ];
    let s = parse("postgres://me@/", &vars);
    assert_eq!(s.user, "me");
    assert_eq!(s.dbname, "envdb");
    assert_eq!(s.hosts[0].host, Host::Tcp("envhost".into()));
    assert_eq!(s.hosts[0].port, 7000);
    assert_eq!(s.password, Some(Password::new("envpw")));
    assert_eq!(s.sslmode, SslMode::Require);
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(5)));

    let s = parse("dbname=x port=1", &vars);
    assert_eq!((s.dbname.as_str(), s.hosts[0].port), ("x", 1));
}

#[test]
fn defaults_follow_libpq() {
    let s = parse("postgres://", &[]);
    assert_eq!(s.user, "osuser");
    assert_eq!(s.dbname, "osuser");
    assert_eq!(s.hosts[0].host, Host::Tcp("localhost".into()));
    assert_eq!(s.hosts[0].port, 5432);
    assert_eq!(s.sslmode, SslMode::Prefer);
    assert_eq!(s.connect_timeout, Some(DEFAULT_CONNECT_TIMEOUT));
    assert_eq!(s.password, None);

    let s = parse("postgres:///db", &[("PGDRIFT_SOCKET_DIR", "/run/pg")]);
    assert_eq!(s.hosts[0].host, Host::Unix("/run/pg".into()));
    assert_eq!(s.display(), "postgres://osuser@%2Frun%2Fpg:5432/db");
}

#[test]
fn connect_timeout_follows_libpq() {
    let t = |v: &str| parse(&format!("host=h connect_timeout={v}"), &[]).connect_timeout;
    assert_eq!(t("0"), None);
    assert_eq!(t("-3"), None);
    assert_eq!(t("1"), Some(Duration::from_secs(2)));
    assert_eq!(t("30"), Some(Duration::from_secs(30)));
    assert!(ConnSettings::parse("host=h connect_timeout=soon", &env(&[])).is_err());
}

#[test]
fn keyword_strings_with_quotes_and_sockets() {
    let s = parse(
        "host=/var/run/postgresql port=5433 dbname='my db' user=bob password='a b\\'c'",
        &[],
    );
    assert_eq!(s.hosts[0].host, Host::Unix("/var/run/postgresql".into()));
    assert_eq!(s.hosts[0].port, 5433);
    assert_eq!(s.dbname, "my db");
    assert_eq!(s.password.as_ref().map(Password::expose), Some("a b'c"));
    assert_eq!(
        s.display(),
        "postgres://bob@%2Fvar%2Frun%2Fpostgresql:5433/my%20db"
    );
}

#[test]
fn host_lists_pair_with_ports_and_addresses() {
    let s = parse("postgres://a:1,[::1]:2,c/db", &[]);
    let ports: Vec<u16> = s.hosts.iter().map(|h| h.port).collect();
    assert_eq!(ports, vec![1, 2, 5432]);
    assert_eq!(s.hosts[1].host, Host::Tcp("::1".into()));
    assert_eq!(s.display(), "postgres://osuser@a:1,[::1]:2,c:5432/db");

    let s = parse("host=a,b port=7", &[]);
    assert!(s.hosts.iter().all(|h| h.port == 7));
    assert!(ConnSettings::parse("host=a,b port=1,2,3", &env(&[])).is_err());

    let s = parse("hostaddr=127.0.0.1 dbname=d", &[]);
    assert_eq!(s.hosts[0].host, Host::Tcp("127.0.0.1".into()));
    assert_eq!(s.hosts[0].hostaddr, Some("127.0.0.1".parse().unwrap()));
}

#[test]
fn unknown_and_refused_options_are_errors() {
    let e = ConnSettings::parse("host=h bogus=1", &env(&[])).unwrap_err();
    assert_eq!(e, ConnInfoError::UnknownOption("bogus".into()));
    let e = ConnSettings::parse("postgres://h/d?service=x", &env(&[])).unwrap_err();
    assert_eq!(e, ConnInfoError::Unsupported("service".into()));
    assert!(ConnSettings::parse("host=h sslmode=maybe", &env(&[])).is_err());
    assert!(ConnSettings::parse("just-a-name", &env(&[])).is_err());
    // Harmless libpq options are accepted.
    assert!(
        ConnSettings::parse("host=h client_encoding=UTF8 gssencmode=disable", &env(&[])).is_ok()
    );
}

#[test]
fn system_roots_imply_verify_full() {
    let s = parse("host=h sslrootcert=system", &[]);
    assert_eq!(s.sslmode, SslMode::VerifyFull);
    assert_eq!(s.root_cert_path(), None);
    assert!(ConnSettings::parse("host=h sslrootcert=system sslmode=require", &env(&[])).is_err());
}

#[test]
fn default_root_certificate_lives_in_home() {
    let s = parse("host=h", &[("HOME", "/home/u")]);
    assert_eq!(
        s.root_cert_path(),
        Some(PathBuf::from("/home/u/.postgresql/root.crt"))
    );
    let s = parse("host=h sslrootcert=/ca.pem", &[("HOME", "/home/u")]);
    assert_eq!(s.root_cert_path(), Some(PathBuf::from("/ca.pem")));
}

#[test]
fn password_never_shows() {
    let s = parse("postgres://alice:hunter2-secret@h/db", &[]);
    assert!(!s.display().contains("hunter2"));
    assert!(!s.to_string().contains("hunter2"));
    assert!(!format!("{s:?}").contains("hunter2"), "{s:?}");
    let e =
        ConnSettings::parse("postgres://alice:hunter2-secret@h/db?bad=1", &env(&[])).unwrap_err();
    assert!(!e.to_string().contains("hunter2"));
}

#[test]
fn service_files_are_not_read_and_say_so() {
    let s = parse("host=h", &[("PGSERVICE", "prod")]);
    assert_eq!(
        s.warnings,
        vec!["PGSERVICE is set, but pgdrift does not read service files"]
    );
}

#[test]
fn looks_like_connection() {
    assert!(ConnSettings::looks_like_connection("postgres://h/db"));
    assert!(ConnSettings::looks_like_connection("postgresql://"));
    assert!(ConnSettings::looks_like_connection("host=h dbname=d"));
    assert!(!ConnSettings::looks_like_connection("migrations/"));
    assert!(!ConnSettings::looks_like_connection("schema.yaml"));
}

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pgdrift-conninfo-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn password_file_is_used_when_no_password_is_given() {
    let dir = temp_dir("pgpass");
    let file = dir.join("pgpass");
    std::fs::write(
        &file,
        "other:5432:*:*:nope\nlocalhost:5432:app:alice:from-file\n*:*:*:*:fallback\n",
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let file_str = file.to_string_lossy().to_string();
    let vars = [("PGPASSFILE", file_str.as_str())];

    let s = parse("postgres://alice@localhost/app", &vars);
    assert_eq!(
        s.hosts[0].pgpass_password.as_ref().map(Password::expose),
        Some("from-file")
    );
    assert!(!format!("{s:?}").contains("from-file"));
    // The default socket directory matches `localhost` too.
    let s = parse("host=/var/run/postgresql user=alice dbname=app", &vars);
    assert_eq!(
        s.hosts[0].pgpass_password.as_ref().map(Password::expose),
        Some("from-file")
    );
    let s = parse("postgres://bob@db/x", &vars);
    assert_eq!(
        s.hosts[0].pgpass_password.as_ref().map(Password::expose),
        Some("fallback")
    );
    // An explicit password wins; the file is not consulted.
    let s = parse("postgres://alice:given@localhost/app", &vars);
    assert_eq!(s.hosts[0].pgpass_password, None);
    // passfile= in the string, and ~/.pgpass by default.
    let s = parse(
        &format!("host=localhost user=alice dbname=app passfile={file_str}"),
        &[],
    );
    assert!(s.hosts[0].pgpass_password.is_some());
    std::fs::copy(&file, dir.join(".pgpass")).unwrap();
    let home = dir.to_string_lossy().to_string();
    let s = parse(
        "host=localhost user=alice dbname=app",
        &[("HOME", home.as_str())],
    );
    assert!(s.hosts[0].pgpass_password.is_some());

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let s = parse("postgres://alice@localhost/app", &vars);
    assert_eq!(s.hosts[0].pgpass_password, None);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("group or world access"));
    std::fs::remove_dir_all(&dir).unwrap();
}
