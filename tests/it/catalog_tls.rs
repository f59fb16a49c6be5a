//! TLS: a second server with `ssl=on`, a CA and a server certificate for localhost and
//! 127.0.0.1 made here with the `openssl` CLI, and pg_hba.conf refusing unencrypted
//! connections; libpq's sslmode semantics checked against it (and against the shared server,
//! which has no TLS).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use pgdrift::catalog::CatalogError;

use crate::catalog_common::{runtime, try_connect};
use crate::harness::{server, start_server, ServerOptions, TestServer};

const SECRET: &str = "tls-Pa55word-secret";

struct TlsFixture {
    server: TestServer,
    dir: PathBuf,
}

impl TlsFixture {
    fn ca(&self) -> String {
        self.dir.join("ca.crt").to_string_lossy().into_owned()
    }

    fn other_ca(&self) -> String {
        self.dir.join("other-ca.crt").to_string_lossy().into_owned()
    }

    fn url(&self, host: &str, query: &str) -> String {
        format!(
            "postgres://{}:{SECRET}@{host}:{}/postgres?{query}",
            self.server.superuser, self.server.port
        )
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl CLI");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "2",
            "-subj",
            &format!("/CN=pgdrift test {name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

fn fixture() -> &'static TlsFixture {
    static FIXTURE: OnceLock<TlsFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pgdrift-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        make_ca(&dir, "ca");
        make_ca(&dir, "other-ca");
        openssl(
            &dir,
            &[
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost",
            ],
        );
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(
            &dir,
            &[
                "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext",
            ],
        );
        // A client certificate for role certuser (cert authentication), key in PKCS#8.
        openssl(
            &dir,
            &[
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=certuser",
            ],
        );
        openssl(
            &dir,
            &[
                "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "client.crt", "-days", "2",
            ],
        );
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
        let server = start_server(ServerOptions {
            settings: vec![
                ("ssl".into(), "on".into()),
                ("ssl_cert_file".into(), "server.crt".into()),
                ("ssl_key_file".into(), "server.key".into()),
                ("ssl_ca_file".into(), "ca.crt".into()),
            ],
            files: vec![
                ("server.crt".into(), read("server.crt")),
                ("server.key".into(), read("server.key")),
                ("ca.crt".into(), read("ca.crt")),
            ],
            hba_prepend: vec![
                "hostssl all certuser 127.0.0.1/32 cert".into(),
                "hostnossl all all 127.0.0.1/32 reject".into(),
            ],
        })
        .unwrap_or_else(|e| panic!("TLS server: {e}"));
        server.ensure_role("certuser", "LOGIN");
        TlsFixture { server, dir }
    })
}

/// Connect and say whether the connection really is encrypted.
fn connects_with_tls(source: &str) -> Result<bool, CatalogError> {
    let rt = runtime();
    let s = try_connect(&rt, source)?;
    let ssl = rt
        .block_on(s.query_text(
            "SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()",
        ))
        .unwrap();
    Ok(ssl == vec![vec![Some("t".to_string())]])
}

fn assert_clean(e: &CatalogError) {
    let m = e.to_string();
    eprintln!("{m}");
    assert!(!m.contains(SECRET), "{m}");
    assert!(!m.contains('\n'), "{m}");
    assert!(m.starts_with("postgres://"), "{m}");
}

#[test]
fn require_and_verify_full_connect() {
    let f = fixture();
    assert!(connects_with_tls(&f.url("127.0.0.1", "sslmode=require")).unwrap());
    assert!(connects_with_tls(&f.url("localhost", "sslmode=prefer")).unwrap());
    let ca = f.ca();
    assert!(connects_with_tls(&f.url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}")
    ))
    .unwrap());
    assert!(connects_with_tls(&f.url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}")
    ))
    .unwrap());
    assert!(
        connects_with_tls(&f.url("localhost", &format!("sslmode=verify-ca&sslrootcert={ca}")))
            .unwrap()
    );
    // Keyword form too.
    let kw = format!(
        "host=localhost port={} user={} password='{SECRET}' dbname=postgres sslmode=verify-full sslrootcert='{ca}'",
        f.server.port, f.server.superuser
    );
    assert!(connects_with_tls(&kw).unwrap());
}

#[test]
fn client_certificates_authenticate() {
    let f = fixture();
    let file = |name: &str| f.dir.join(name).to_string_lossy().into_owned();
    let source = format!(
        "host=localhost port={} user=certuser dbname=postgres sslmode=verify-full sslrootcert={} sslcert={} sslkey={}",
        f.server.port,
        f.ca(),
        file("client.crt"),
        file("client.key")
    );
    assert!(connects_with_tls(&source).unwrap());
    // Without the certificate the server refuses the role.
    let without = format!(
        "host=localhost port={} user=certuser dbname=postgres sslmode=verify-full sslrootcert={}",
        f.server.port,
        f.ca()
    );
    let e = connects_with_tls(&without).unwrap_err();
    assert_clean(&e);
}

#[test]
fn verify_full_rejects_another_ca() {
    let f = fixture();
    let other = f.other_ca();
    let e = connects_with_tls(&f.url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={other}"),
    ))
    .unwrap_err();
    assert!(matches!(e, CatalogError::Certificate { .. }), "{e:?}");
    assert!(
        e.to_string().contains("certificate verification failed"),
        "{e}"
    );
    assert_clean(&e);
    // libpq: with a root certificate file, require verifies the chain like verify-ca.
    let e = connects_with_tls(&f.url("localhost", &format!("sslmode=require&sslrootcert={other}")))
        .unwrap_err();
    assert!(matches!(e, CatalogError::Certificate { .. }), "{e:?}");
}

#[test]
fn verify_full_rejects_a_host_name_not_in_the_certificate() {
    let f = fixture();
    let ca = f.ca();
    // Connect to the right address under a name the certificate does not list.
    let source = format!(
        "host=db.example.test hostaddr=127.0.0.1 port={} user={} password={SECRET} dbname=postgres sslmode=verify-full sslrootcert={ca}",
        f.server.port, f.server.superuser
    );
    let e = connects_with_tls(&source).unwrap_err();
    assert!(matches!(e, CatalogError::Certificate { .. }), "{e:?}");
    assert!(e.to_string().contains("host name mismatch"), "{e}");
    assert!(e.to_string().contains("db.example.test"), "{e}");
    assert_clean(&e);
    // verify-ca does not check the name.
    let source = source.replace("verify-full", "verify-ca");
    assert!(connects_with_tls(&source).unwrap());
}

#[test]
fn prefer_reports_the_tls_failure_when_plain_is_refused_too() {
    // libpq's prefer retries without TLS when the TLS attempt fails; this server refuses
    // plain connections, so the certificate problem is what the user needs to hear.
    let f = fixture();
    let other = f.other_ca();
    let e = connects_with_tls(&f.url("localhost", &format!("sslmode=prefer&sslrootcert={other}")))
        .unwrap_err();
    assert!(matches!(e, CatalogError::Certificate { .. }), "{e:?}");
    assert_clean(&e);
}

#[test]
fn verify_full_needs_a_root_certificate() {
    let f = fixture();
    let e = connects_with_tls(&f.url("localhost", "sslmode=verify-full")).unwrap_err();
    assert!(matches!(e, CatalogError::RootCertificate { .. }), "{e:?}");
    assert_clean(&e);
}

#[test]
fn a_server_that_refuses_plain_connections_says_it_requires_tls() {
    let f = fixture();
    let e = connects_with_tls(&f.url("127.0.0.1", "sslmode=disable")).unwrap_err();
    assert!(matches!(e, CatalogError::TlsRequired { .. }), "{e:?}");
    assert!(e.to_string().contains("requires TLS"), "{e}");
    assert_clean(&e);
    // allow: plain first, then TLS when refused.
    assert!(connects_with_tls(&f.url("127.0.0.1", "sslmode=allow")).unwrap());
}

#[test]
fn require_against_a_server_without_tls() {
    let srv = server();
    let url = format!(
        "postgres://{}:{SECRET}@{}:{}/postgres?sslmode=require",
        srv.superuser, srv.host, srv.port
    );
    let e = connects_with_tls(&url).unwrap_err();
    assert!(matches!(e, CatalogError::TlsUnsupported { .. }), "{e:?}");
    assert!(e.to_string().contains("does not support TLS"), "{e}");
    assert_clean(&e);
    // prefer falls back to a plain connection.
    assert!(!connects_with_tls(&url.replace("require", "prefer")).unwrap());
}
