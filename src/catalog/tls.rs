//! TLS as libpq users expect it, on native-tls (the system's OpenSSL).
//!
//! tokio-postgres knows only disable/prefer/require; the libpq modes are mapped onto it and
//! onto how the TLS connector verifies the server:
//!
//! | sslmode     | TLS                                | certificate chain          | host name |
//! |-------------|------------------------------------|----------------------------|-----------|
//! | disable     | never                              | –                          | –         |
//! | allow       | only when plain is refused         | if a root cert file exists | no        |
//! | prefer      | when offered (plain if TLS fails)  | if a root cert file exists | no        |
//! | require     | always                             | if a root cert file exists | no        |
//! | verify-ca   | always                             | always (file required)     | no        |
//! | verify-full | always                             | always (file or `system`)  | yes       |
//!
//! (libpq verifies the chain whenever a root certificate file exists — `sslrootcert` or
//! `~/.postgresql/root.crt` — which is why `require` then behaves like `verify-ca`.) Unix
//! sockets never use TLS, as in libpq.
//!
//! The connector is built on first use, once the server has agreed to TLS: building it makes
//! OpenSSL load the system's certificate bundle, tens of milliseconds of work that the usual
//! `sslmode=prefer` against a server without TLS never needs. What the settings name (root
//! and client certificate files) is still read and checked before connecting.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

use native_tls::{Certificate, Identity, Protocol, TlsConnector, TlsConnectorBuilder};
use postgres_native_tls::TlsStream;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::Socket;

use super::conninfo::{ConnSettings, SslMode};
use super::error::CatalogError;

/// A TLS connector configured from the settings and built on the first handshake.
#[derive(Clone)]
pub struct LazyTls(Arc<LazyInner>);

struct LazyInner {
    builder: Mutex<Option<TlsConnectorBuilder>>,
    built: OnceLock<Result<TlsConnector, String>>,
}

impl LazyTls {
    fn new(builder: TlsConnectorBuilder) -> LazyTls {
        LazyTls(Arc::new(LazyInner {
            builder: Mutex::new(Some(builder)),
            built: OnceLock::new(),
        }))
    }

    /// The connector, built the first time it is needed (`native_tls::TlsConnector` is a
    /// cheap handle to the shared OpenSSL context).
    fn connector(&self) -> Result<TlsConnector, String> {
        self.0
            .built
            .get_or_init(|| {
                let builder = self.0.builder.lock().ok().and_then(|mut b| b.take());
                match builder {
                    Some(builder) => builder.build().map_err(|e| e.to_string()),
                    None => Err("the TLS connector could not be built".into()),
                }
            })
            .clone()
    }
}

impl MakeTlsConnect<Socket> for LazyTls {
    type Stream = TlsStream<Socket>;
    type TlsConnect = LazyConnect;
    type Error = std::convert::Infallible;

    fn make_tls_connect(&mut self, domain: &str) -> Result<LazyConnect, Self::Error> {
        Ok(LazyConnect {
            tls: self.clone(),
            domain: domain.to_string(),
        })
    }
}

/// One handshake with a `LazyTls` connector.
pub struct LazyConnect {
    tls: LazyTls,
    domain: String,
}

type BoxError = Box<dyn Error + Send + Sync>;

impl TlsConnect<Socket> for LazyConnect {
    type Stream = TlsStream<Socket>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<TlsStream<Socket>, BoxError>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        Box::pin(async move {
            let connector = self.tls.connector()?;
            let handshake = postgres_native_tls::TlsConnector::new(connector, &self.domain);
            Ok(handshake.connect(stream).await?)
        })
    }
}

/// The TLS connector for `settings` (see the module table).
pub fn tls_connector(settings: &ConnSettings, target: &str) -> Result<LazyTls, CatalogError> {
    let mut builder = TlsConnector::builder();
    let system_roots = settings.sslrootcert.as_deref() == Some("system");
    let root_file = settings.root_cert_path();
    let root_exists = root_file.as_ref().is_some_and(|p| p.exists());
    let verifying = matches!(settings.sslmode, SslMode::VerifyCa | SslMode::VerifyFull);

    if system_roots {
        // The platform's trusted roots (native-tls default); verify-full is implied.
    } else if root_exists {
        let path = root_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let root_error = |problem: String| CatalogError::RootCertificate {
            target: target.to_string(),
            path: path.clone(),
            problem,
        };
        let pem = std::fs::read(root_file.as_deref().unwrap_or(std::path::Path::new("")))
            .map_err(|e| root_error(format!("cannot be read ({e})")))?;
        let certs = Certificate::stack_from_pem(&pem)
            .map_err(|e| root_error(format!("is not a PEM certificate file ({e})")))?;
        if certs.is_empty() {
            return Err(root_error("holds no certificate".into()));
        }
        // Only the given roots are trusted, as with libpq.
        builder.disable_built_in_roots(true);
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    } else if verifying {
        return Err(CatalogError::RootCertificate {
            target: target.to_string(),
            path: root_file
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "~/.postgresql/root.crt".into()),
            problem: "does not exist".into(),
        });
    } else {
        builder.danger_accept_invalid_certs(true);
    }
    if settings.sslmode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }

    builder.min_protocol_version(Some(match settings.ssl_min_protocol.as_deref() {
        Some("TLSv1") => Protocol::Tlsv10,
        Some("TLSv1.1") => Protocol::Tlsv11,
        // libpq's default minimum is TLSv1.2; native-tls cannot ask for 1.3 as a minimum.
        _ => Protocol::Tlsv12,
    }));

    if let (Some(cert), Some(key)) = (&settings.sslcert, &settings.sslkey) {
        // libpq skips a client certificate that does not exist.
        if cert.exists() {
            let client_error = |reason: String| CatalogError::ClientCertificate {
                target: target.to_string(),
                reason,
            };
            let cert_pem = std::fs::read(cert)
                .map_err(|e| client_error(format!("cannot read \"{}\": {e}", cert.display())))?;
            let key_pem = std::fs::read(key)
                .map_err(|e| client_error(format!("cannot read \"{}\": {e}", key.display())))?;
            let identity = Identity::from_pkcs8(&cert_pem, &key_pem).map_err(|e| {
                client_error(format!(
                    "{e} (the key must be an unencrypted PKCS#8 PEM file: openssl pkcs8 -topk8 -nocrypt)"
                ))
            })?;
            builder.identity(identity);
        }
    }

    Ok(LazyTls::new(builder))
}
