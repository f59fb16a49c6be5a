//! Turning tokio-postgres connection failures into `CatalogError`s a user can act on: the
//! server's SQLSTATE where there is one, else the I/O or TLS cause underneath.

use std::error::Error as _;
use std::io;

use tokio_postgres::config::SslMode as PgSslMode;
use tokio_postgres::error::SqlState;

use super::conninfo::{ConnSettings, Host, HostSpec};
use super::error::CatalogError;

/// What one connection attempt was, for the message.
pub struct Attempt<'a> {
    pub target: &'a str,
    pub settings: &'a ConnSettings,
    pub spec: &'a HostSpec,
    pub ssl_mode: PgSslMode,
}

/// The causes of `error`, outermost first, joined; the password removed should a cause ever
/// echo it.
pub fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_string();
    }
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn io_kind(error: &tokio_postgres::Error) -> Option<io::ErrorKind> {
    let mut source = error.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// Remove the password from a message, should a server or library ever echo it.
pub fn scrub(message: &str, settings: &ConnSettings) -> String {
    let mut out = message.to_string();
    let passwords = settings.password.iter().chain(
        settings
            .hosts
            .iter()
            .filter_map(|h| h.pgpass_password.as_ref()),
    );
    for p in passwords {
        // Very short passwords would garble the message and are no secret worth hiding there.
        if p.expose().len() >= 4 {
            out = out.replace(p.expose(), "<password>");
        }
    }
    out
}

pub fn classify(error: tokio_postgres::Error, attempt: &Attempt<'_>) -> CatalogError {
    let target = attempt.target.to_string();
    let settings = attempt.settings;
    let user = settings.user.clone();

    if let Some(db) = error.as_db_error() {
        let message = scrub(db.message(), settings);
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD {
            return CatalogError::PasswordFailed {
                target,
                user,
                from_pgpass: settings.password.is_none() && attempt.spec.pgpass_password.is_some(),
            };
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return CatalogError::DatabaseMissing {
                target,
                database: settings.dbname.clone(),
            };
        }
        if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            if message.starts_with("role ") && message.ends_with("does not exist") {
                return CatalogError::RoleMissing { target, user };
            }
            // pg_hba.conf matched no TLS-less line: "… no encryption" (14+), "… SSL off" (13).
            let plain = attempt.ssl_mode == PgSslMode::Disable;
            let hba = message.starts_with("pg_hba.conf rejects connection")
                || message.starts_with("no pg_hba.conf entry");
            if plain && hba && (message.ends_with("no encryption") || message.ends_with("SSL off"))
            {
                return CatalogError::TlsRequired { target };
            }
            return CatalogError::Rejected { target, message };
        }
        let mut message = message;
        if let Some(detail) = db.detail() {
            message = format!("{message} ({})", scrub(detail, settings));
        }
        return CatalogError::Server { target, message };
    }

    let text = scrub(&describe(&error), settings);
    if text.contains("password missing") {
        return CatalogError::NoPassword { target, user };
    }
    if text.contains("server does not support TLS") {
        return CatalogError::TlsUnsupported {
            target,
            sslmode: settings.sslmode.as_str().to_string(),
        };
    }
    if text.contains("certificate verify failed") || text.contains("hostname mismatch") {
        // native-tls appends OpenSSL's verification result in parentheses.
        let reason = text
            .rsplit_once('(')
            .map(|(_, r)| r.trim_end_matches(')').to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| text.clone());
        let reason = match reason.as_str() {
            "hostname mismatch" => format!(
                "host name mismatch: the certificate is not valid for \"{}\"",
                host_name(attempt.spec)
            ),
            "unable to get local issuer certificate"
            | "self signed certificate in certificate chain"
            | "self-signed certificate in certificate chain"
            | "self signed certificate"
            | "self-signed certificate" => {
                format!(
                    "{reason}: the certificate is not signed by a trusted root (check sslrootcert)"
                )
            }
            _ => reason,
        };
        return CatalogError::Certificate { target, reason };
    }
    if text.starts_with("error performing TLS handshake") {
        return CatalogError::Tls {
            target,
            reason: text
                .trim_start_matches("error performing TLS handshake")
                .trim_start_matches(": ")
                .to_string(),
        };
    }
    match io_kind(&error) {
        Some(io::ErrorKind::ConnectionRefused) => CatalogError::ConnectionRefused {
            target,
            address: address(attempt.spec),
        },
        Some(io::ErrorKind::TimedOut) => CatalogError::Timeout {
            target,
            after: settings.connect_timeout.unwrap_or_default(),
        },
        Some(io::ErrorKind::NotFound) if matches!(attempt.spec.host, Host::Unix(_)) => {
            CatalogError::Connection {
                target,
                message: format!(
                    "no server socket at {} (is a server running locally?)",
                    address(attempt.spec)
                ),
            }
        }
        _ => CatalogError::Connection {
            target,
            message: text,
        },
    }
}

fn host_name(spec: &HostSpec) -> String {
    match &spec.host {
        Host::Tcp(name) => name.clone(),
        Host::Unix(dir) => dir.display().to_string(),
    }
}

fn address(spec: &HostSpec) -> String {
    match &spec.host {
        Host::Tcp(name) if name.contains(':') => format!("[{name}]:{}", spec.port),
        Host::Tcp(name) => format!("{name}:{}", spec.port),
        Host::Unix(dir) => format!("{}/.s.PGSQL.{}", dir.display(), spec.port),
    }
}
