//! Typed errors of the catalog: bad connection settings, failed connections (one variant per
//! cause a user can act on), and failed introspection. Every message is one line, names the
//! source in its redacted form (`postgres://user@host:port/db`) and never holds a password.

use std::time::Duration;

/// A connection string or environment setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnInfoError {
    #[error("not a connection string (expected postgres://… or key=value pairs)")]
    NotAConnectionString,
    #[error("invalid connection URI: {0}")]
    InvalidUri(String),
    #[error("invalid connection string: {0}")]
    InvalidKeywords(String),
    #[error("invalid connection option \"{0}\"")]
    UnknownOption(String),
    #[error("invalid value for \"{option}\": {message}")]
    InvalidValue { option: String, message: String },
    #[error("connection option \"{0}\" is not supported by pgdrift")]
    Unsupported(String),
}

/// Why connecting to or reading from a live database failed.
///
/// `source` fields hold the redacted display form of the source, never the password.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{0}")]
    Settings(#[from] ConnInfoError),
    #[error("{target}: connection refused (is a server running on {address} and accepting TCP/IP connections?)")]
    ConnectionRefused { target: String, address: String },
    #[error("{target}: timed out after {}s while connecting", .after.as_secs())]
    Timeout { target: String, after: Duration },
    #[error("{target}: could not translate host name \"{host}\" to an address ({reason})")]
    HostNotFound {
        target: String,
        host: String,
        reason: String,
    },
    #[error("{target}: password authentication failed for user \"{user}\"{}", if *.from_pgpass { " (password taken from the password file)" } else { "" })]
    PasswordFailed {
        target: String,
        user: String,
        from_pgpass: bool,
    },
    #[error("{target}: the server asks for a password for user \"{user}\" but none was supplied (use PGPASSWORD, ~/.pgpass or the connection string)")]
    NoPassword { target: String, user: String },
    #[error("{target}: database \"{database}\" does not exist")]
    DatabaseMissing { target: String, database: String },
    #[error("{target}: role \"{user}\" does not exist")]
    RoleMissing { target: String, user: String },
    #[error("{target}: the server requires TLS (pg_hba.conf rejects unencrypted connections); use sslmode=require or stronger")]
    TlsRequired { target: String },
    #[error("{target}: the server does not support TLS, but sslmode={sslmode} requires it")]
    TlsUnsupported { target: String, sslmode: String },
    #[error("{target}: server certificate verification failed: {reason}")]
    Certificate { target: String, reason: String },
    #[error("{target}: root certificate file \"{path}\" {problem}; provide it with sslrootcert, use sslrootcert=system, or use a weaker sslmode")]
    RootCertificate {
        target: String,
        path: String,
        problem: String,
    },
    #[error("{target}: client certificate: {reason}")]
    ClientCertificate { target: String, reason: String },
    #[error("{target}: TLS failed: {reason}")]
    Tls { target: String, reason: String },
    #[error("{target}: the server rejected the connection: {message}")]
    Rejected { target: String, message: String },
    #[error("{target}: {message}")]
    Server { target: String, message: String },
    #[error("{target}: {message}")]
    Connection { target: String, message: String },
    #[error("{target}: {query} failed: {message}")]
    Query {
        target: String,
        query: String,
        message: String,
    },
    #[error("{target}: unexpected data from the {query} query: {message}")]
    Decode {
        target: String,
        query: String,
        message: String,
    },
    #[error("{target}: PostgreSQL {version} is not supported (pgdrift reads 13 to 18)")]
    UnsupportedVersion { target: String, version: String },
}

impl CatalogError {
    /// The redacted source this error is about, when it is about one.
    pub fn target(&self) -> Option<&str> {
        use CatalogError::*;
        match self {
            Settings(_) => None,
            ConnectionRefused { target, .. }
            | Timeout { target, .. }
            | HostNotFound { target, .. }
            | PasswordFailed { target, .. }
            | NoPassword { target, .. }
            | DatabaseMissing { target, .. }
            | RoleMissing { target, .. }
            | TlsRequired { target }
            | TlsUnsupported { target, .. }
            | Certificate { target, .. }
            | RootCertificate { target, .. }
            | ClientCertificate { target, .. }
            | Tls { target, .. }
            | Rejected { target, .. }
            | Server { target, .. }
            | Connection { target, .. }
            | Query { target, .. }
            | Decode { target, .. }
            | UnsupportedVersion { target, .. } => Some(target),
        }
    }
}
