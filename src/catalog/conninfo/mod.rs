//! Connection settings as libpq users know them: a URI or a keyword/value string, filled in
//! from `PG*` environment variables and libpq's defaults (explicit > environment >
//! default), with the password looked up in the password file when none is given.
//!
//! tokio-postgres reads none of this itself. The password is kept out of every `Display`,
//! `Debug` and error; the display form of a source is `postgres://user@host:port/db`.

mod env;
mod keywords;
mod pgpass;
mod resolve;
mod url;

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::error::ConnInfoError;

pub(crate) use env::DEFAULT_SOCKET_DIRS;
pub use env::{Env, SystemEnv};

/// A password that never shows itself in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(password: impl Into<String>) -> Password {
        Password(password.into())
    }

    /// The secret itself, for the authentication exchange only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum SslMode {
    Disable,
    Allow,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

/// Where a server listens: a TCP host name or address, or a Unix-socket directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    Unix(PathBuf),
}

/// One server to try, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    pub host: Host,
    /// `hostaddr`: the address to connect to without a name lookup (the host name is then
    /// only used for TLS verification and the password file).
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    /// The password the password file holds for this host, when no other was given.
    pub pgpass_password: Option<Password>,
}

/// libpq's `target_session_attrs` values tokio-postgres can honour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetSessionAttrs {
    #[default]
    Any,
    ReadWrite,
    ReadOnly,
}

/// libpq's `channel_binding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelBinding {
    Disable,
    #[default]
    Prefer,
    Require,
}

/// Everything needed to connect, resolved (explicit > environment > default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnSettings {
    /// Servers to try in order (libpq's comma-separated `host`/`port` lists).
    pub hosts: Vec<HostSpec>,
    pub user: String,
    pub dbname: String,
    /// A password given in the string or by `PGPASSWORD`.
    pub password: Option<Password>,
    pub sslmode: SslMode,
    /// `sslrootcert` as given: a file, or `system` for the system's trusted roots.
    pub sslrootcert: Option<String>,
    /// `~/.postgresql/root.crt`, which libpq uses when `sslrootcert` is not given.
    pub default_sslrootcert: Option<PathBuf>,
    /// Client certificate and key (PEM; the key in PKCS#8 form).
    pub sslcert: Option<PathBuf>,
    pub sslkey: Option<PathBuf>,
    /// `ssl_min_protocol_version`.
    pub ssl_min_protocol: Option<String>,
    /// `sslnegotiation=direct` (PostgreSQL 17+): TLS handshake without the SSLRequest.
    pub ssl_direct: bool,
    /// `None` waits forever (libpq's `connect_timeout=0`).
    pub connect_timeout: Option<Duration>,
    pub application_name: Option<String>,
    /// `options` (command-line options sent to the server, e.g. `-c work_mem=64MB`).
    pub options: Option<String>,
    pub target_session_attrs: TargetSessionAttrs,
    pub channel_binding: ChannelBinding,
    pub keepalives: Option<bool>,
    pub keepalives_idle: Option<Duration>,
    pub keepalives_interval: Option<Duration>,
    pub keepalives_count: Option<u32>,
    pub tcp_user_timeout: Option<Duration>,
    pub load_balance_hosts: bool,
    /// Things a reviewer should know about how the settings were found (e.g. an ignored
    /// password file).
    pub warnings: Vec<String>,
}

/// libpq's default `connect_timeout` is "forever"; pgdrift's is this.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl ConnSettings {
    /// Parse a URI (`postgres://…`, `postgresql://…`) or a keyword/value string, then fill in
    /// what it leaves out from `env` and libpq's defaults.
    pub fn parse<E: Env + ?Sized>(source: &str, env: &E) -> Result<ConnSettings, ConnInfoError> {
        let pairs = if url::is_uri(source) {
            url::parse(source)?
        } else if source.contains('=') {
            keywords::parse(source)?
        } else {
            return Err(ConnInfoError::NotAConnectionString);
        };
        resolve::resolve(&resolve::explicit_settings(pairs)?, env)
    }

    /// Whether `source` looks like a connection string rather than a path.
    pub fn looks_like_connection(source: &str) -> bool {
        url::is_uri(source)
            || (source.contains('=') && keywords::parse(source).is_ok_and(|kv| !kv.is_empty()))
    }

    /// `postgres://user@host:port/db`: the form every message uses; never the password.
    pub fn display(&self) -> String {
        let hosts = self
            .hosts
            .iter()
            .map(|h| {
                let host = match &h.host {
                    Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
                    Host::Tcp(name) => url::encode(name),
                    Host::Unix(dir) => url::encode(&dir.to_string_lossy()),
                };
                format!("{host}:{}", h.port)
            })
            .collect::<Vec<_>>()
            .join(",");
        format!(
            "postgres://{}@{hosts}/{}",
            url::encode(&self.user),
            url::encode(&self.dbname)
        )
    }

    /// The root certificate file libpq would use: `sslrootcert`, else `~/.postgresql/root.crt`
    /// (`None` for `sslrootcert=system`).
    pub fn root_cert_path(&self) -> Option<PathBuf> {
        match self.sslrootcert.as_deref() {
            Some("system") => None,
            Some(path) => Some(PathBuf::from(path)),
            None => self.default_sslrootcert.clone(),
        }
    }
}

impl fmt::Display for ConnSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests;
