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

use native_tls::{Certificate, Identity, Protocol, TlsConnector};
use postgres_native_tls::MakeTlsConnector;

use super::conninfo::{ConnSettings, SslMode};
use super::error::CatalogError;

/// The TLS connector for `settings` (see the module table).
pub fn tls_connector(
    settings: &ConnSettings,
    target: &str,
) -> Result<MakeTlsConnector, CatalogError> {
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

    let connector = builder.build().map_err(|e| CatalogError::Tls {
        target: target.to_string(),
        reason: e.to_string(),
    })?;
    Ok(MakeTlsConnector::new(connector))
}
