//! Connection settings as libpq users know them: a URI or a keyword/value string, filled in
//! from `PG*` environment variables and libpq's defaults (explicit > environment >
//! default), with the password looked up in the password file when none is given.
//!
//! tokio-postgres reads none of this itself. The password is kept out of every `Display`,
//! `Debug` and error; the display form of a source is `postgres://user@host:port/db`.

mod env;
mod keywords;
mod pgpass;
mod url;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
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

/// Keywords whose values pgdrift uses, and the environment variable libpq reads for each.
const KEYWORDS: &[(&str, Option<&str>)] = &[
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("dbname", Some("PGDATABASE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("options", Some("PGOPTIONS")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_count", None),
    ("tcp_user_timeout", None),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
];

/// libpq keywords that change nothing for a read-only schema reader (or that tokio-postgres
/// decides for itself); accepted so that connection strings written for psql work.
const IGNORED: &[&str] = &[
    "client_encoding",
    "sslcompression",
    "sslsni",
    "sslpassword",
    "sslcertmode",
    "ssl_max_protocol_version",
    "gssencmode",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "min_protocol_version",
    "max_protocol_version",
    "sslkeylogfile",
];

/// libpq keywords whose meaning pgdrift cannot honour; ignoring them would weaken what the
/// user asked for, so they are refused.
const REFUSED: &[&str] = &[
    "service",
    "servicefile",
    "requirepeer",
    "require_auth",
    "sslcrl",
    "sslcrldir",
    "replication",
];

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
        let mut explicit = BTreeMap::new();
        for (key, value) in pairs {
            if REFUSED.contains(&key.as_str()) {
                return Err(ConnInfoError::Unsupported(key));
            }
            if IGNORED.contains(&key.as_str()) {
                continue;
            }
            if !KEYWORDS.iter().any(|(k, _)| *k == key) {
                return Err(ConnInfoError::UnknownOption(key));
            }
            explicit.insert(key, value);
        }
        resolve(&explicit, env)
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

fn invalid(option: &str, message: impl Into<String>) -> ConnInfoError {
    ConnInfoError::InvalidValue {
        option: option.to_string(),
        message: message.into(),
    }
}

/// Explicit value, else the environment variable, else nothing; empty counts as unset (as in
/// libpq, where an empty host, port, user, database or password means "the default").
fn setting<E: Env + ?Sized>(
    explicit: &BTreeMap<String, String>,
    env: &E,
    key: &str,
) -> Option<String> {
    let from_env = || {
        KEYWORDS
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, var)| var.and_then(|v| env.var(v)))
    };
    explicit
        .get(key)
        .cloned()
        .or_else(from_env)
        .filter(|v| !v.is_empty())
}

fn parse_seconds(option: &str, value: &str) -> Result<i64, ConnInfoError> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid(option, format!("invalid integer value \"{value}\"")))
}

fn parse_bool_flag(option: &str, value: &str) -> Result<bool, ConnInfoError> {
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(invalid(option, format!("expected 0 or 1, got \"{value}\""))),
    }
}

fn resolve<E: Env + ?Sized>(
    explicit: &BTreeMap<String, String>,
    env: &E,
) -> Result<ConnSettings, ConnInfoError> {
    let get = |key: &str| setting(explicit, env, key);
    let mut warnings = Vec::new();
    if explicit.is_empty() && env.var("PGSERVICE").is_some_and(|s| !s.is_empty()) {
        warnings.push("PGSERVICE is set, but pgdrift does not read service files".to_string());
    }

    let user = match get("user") {
        Some(u) => u,
        None => env
            .os_user()
            .ok_or_else(|| invalid("user", "no user name given and the OS user name is unknown"))?,
    };
    let dbname = get("dbname").unwrap_or_else(|| user.clone());

    // Hosts, host addresses and ports are parallel comma-separated lists (libpq).
    let ports: Vec<u16> = match get("port") {
        Some(p) => p
            .split(',')
            .map(|p| match p.trim() {
                "" => Ok(5432),
                p => p
                    .parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| invalid("port", format!("invalid port number \"{p}\""))),
            })
            .collect::<Result<_, _>>()?,
        None => vec![5432],
    };
    let hostaddrs: Vec<Option<IpAddr>> = match get("hostaddr") {
        Some(a) => a
            .split(',')
            .map(|a| match a.trim() {
                "" => Ok(None),
                a => a
                    .parse::<IpAddr>()
                    .map(Some)
                    .map_err(|_| invalid("hostaddr", format!("invalid IP address \"{a}\""))),
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let host_names: Vec<String> = match get("host") {
        Some(h) => h.split(',').map(|h| h.trim().to_string()).collect(),
        None => vec![String::new(); hostaddrs.len().max(1)],
    };
    if !hostaddrs.is_empty() && hostaddrs.len() != host_names.len() {
        return Err(invalid(
            "hostaddr",
            format!(
                "could not match {} host names to {} hostaddr values",
                host_names.len(),
                hostaddrs.len()
            ),
        ));
    }
    if ports.len() != 1 && ports.len() != host_names.len() {
        return Err(invalid(
            "port",
            format!(
                "could not match {} port numbers to {} hosts",
                ports.len(),
                host_names.len()
            ),
        ));
    }
    let mut hosts = Vec::with_capacity(host_names.len());
    for (i, name) in host_names.iter().enumerate() {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        let hostaddr = hostaddrs.get(i).copied().flatten();
        let host = if name.starts_with('/') {
            Host::Unix(PathBuf::from(name))
        } else if !name.is_empty() {
            Host::Tcp(name.clone())
        } else if let Some(addr) = hostaddr {
            Host::Tcp(addr.to_string())
        } else if let Some(dir) = env.default_socket_dir(port) {
            Host::Unix(dir)
        } else {
            Host::Tcp("localhost".into())
        };
        hosts.push(HostSpec {
            host,
            hostaddr,
            port,
            pgpass_password: None,
        });
    }

    let password = get("password").map(Password);
    if password.is_none() {
        let passfile = get("passfile")
            .map(PathBuf::from)
            .or_else(|| env.home_dir().map(|h| h.join(".pgpass")));
        if let Some(passfile) = passfile {
            for spec in &mut hosts {
                let host = pgpass_host(&spec.host);
                match pgpass::lookup(&passfile, &host, &spec.port.to_string(), &dbname, &user) {
                    pgpass::Lookup::Found(p) => spec.pgpass_password = Some(Password(p)),
                    pgpass::Lookup::NotFound => {}
                    pgpass::Lookup::Ignored(why) => {
                        if !warnings.contains(&why) {
                            warnings.push(why);
                        }
                    }
                }
            }
        }
    }

    let sslrootcert = get("sslrootcert");
    let sslmode = match get("sslmode") {
        Some(m) => SslMode::parse(&m)
            .ok_or_else(|| invalid("sslmode", format!("invalid sslmode value: \"{m}\"")))?,
        // libpq 16+: trusting the system's roots implies checking the host name too.
        None if sslrootcert.as_deref() == Some("system") => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    if sslrootcert.as_deref() == Some("system") && sslmode != SslMode::VerifyFull {
        return Err(invalid(
            "sslmode",
            format!(
                "weak sslmode \"{}\" may not be used with sslrootcert=system (use \"verify-full\")",
                sslmode.as_str()
            ),
        ));
    }

    let connect_timeout = match get("connect_timeout") {
        // libpq: zero or negative waits forever; anything below 2 s becomes 2 s.
        Some(t) => match parse_seconds("connect_timeout", &t)? {
            n if n <= 0 => None,
            n => Some(Duration::from_secs(n.max(2) as u64)),
        },
        None => Some(DEFAULT_CONNECT_TIMEOUT),
    };

    let target_session_attrs = match get("target_session_attrs").as_deref() {
        None | Some("any") => TargetSessionAttrs::Any,
        Some("read-write") => TargetSessionAttrs::ReadWrite,
        Some("read-only") => TargetSessionAttrs::ReadOnly,
        Some(other) => {
            return Err(
                if ["primary", "standby", "prefer-standby"].contains(&other) {
                    ConnInfoError::Unsupported(format!("target_session_attrs={other}"))
                } else {
                    invalid(
                        "target_session_attrs",
                        format!("invalid value: \"{other}\""),
                    )
                },
            )
        }
    };
    let channel_binding = match get("channel_binding").as_deref() {
        None | Some("prefer") => ChannelBinding::Prefer,
        Some("disable") => ChannelBinding::Disable,
        Some("require") => ChannelBinding::Require,
        Some(other) => {
            return Err(invalid(
                "channel_binding",
                format!("invalid value: \"{other}\""),
            ))
        }
    };
    let ssl_direct = match get("sslnegotiation").as_deref() {
        None | Some("postgres") => false,
        Some("direct") => true,
        Some(other) => {
            return Err(invalid(
                "sslnegotiation",
                format!("invalid value: \"{other}\""),
            ))
        }
    };
    let load_balance_hosts = match get("load_balance_hosts").as_deref() {
        None | Some("disable") => false,
        Some("random") => true,
        Some(other) => {
            return Err(invalid(
                "load_balance_hosts",
                format!("invalid value: \"{other}\""),
            ))
        }
    };
    let seconds = |key: &str| -> Result<Option<Duration>, ConnInfoError> {
        get(key)
            .map(|v| parse_seconds(key, &v).map(|n| Duration::from_secs(n.max(0) as u64)))
            .transpose()
    };
    let ssl_min_protocol = get("ssl_min_protocol_version");
    if let Some(v) = &ssl_min_protocol {
        if !["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"].contains(&v.as_str()) {
            return Err(invalid(
                "ssl_min_protocol_version",
                format!("invalid value: \"{v}\""),
            ));
        }
    }

    let home = env.home_dir();
    Ok(ConnSettings {
        hosts,
        user,
        dbname,
        password,
        sslmode,
        sslrootcert,
        default_sslrootcert: home.as_ref().map(|h| h.join(".postgresql/root.crt")),
        sslcert: get("sslcert")
            .map(PathBuf::from)
            .or_else(|| existing(home.as_ref().map(|h| h.join(".postgresql/postgresql.crt")))),
        sslkey: get("sslkey")
            .map(PathBuf::from)
            .or_else(|| existing(home.as_ref().map(|h| h.join(".postgresql/postgresql.key")))),
        ssl_min_protocol,
        ssl_direct,
        connect_timeout,
        application_name: get("application_name").or_else(|| get("fallback_application_name")),
        options: get("options"),
        target_session_attrs,
        channel_binding,
        keepalives: get("keepalives")
            .map(|v| parse_bool_flag("keepalives", &v))
            .transpose()?,
        keepalives_idle: seconds("keepalives_idle")?,
        keepalives_interval: seconds("keepalives_interval")?,
        keepalives_count: get("keepalives_count")
            .map(|v| {
                v.parse::<u32>().map_err(|_| {
                    invalid("keepalives_count", format!("invalid integer value \"{v}\""))
                })
            })
            .transpose()?,
        tcp_user_timeout: get("tcp_user_timeout")
            .map(|v| {
                parse_seconds("tcp_user_timeout", &v)
                    .map(|ms| Duration::from_millis(ms.max(0) as u64))
            })
            .transpose()?,
        load_balance_hosts,
        warnings,
    })
}

/// Default client certificate files count only when they exist (libpq skips them otherwise).
fn existing(path: Option<PathBuf>) -> Option<PathBuf> {
    path.filter(|p| p.exists())
}

/// The host name libpq matches against the password file: `localhost` for the default
/// socket directory, the name or directory otherwise.
fn pgpass_host(host: &Host) -> String {
    match host {
        Host::Tcp(name) => name.clone(),
        Host::Unix(dir) if DEFAULT_SOCKET_DIRS.iter().any(|d| Path::new(d) == dir) => {
            "localhost".to_string()
        }
        Host::Unix(dir) => dir.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests;
