//! From explicit keywords to complete settings: libpq's precedence (explicit > environment
//! variable > default), its defaults, its value checks, and the password file.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{
    pgpass, ChannelBinding, ConnSettings, Env, Host, HostSpec, Password, SslMode,
    TargetSessionAttrs, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_DIRS,
};
use crate::catalog::error::ConnInfoError;

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

/// Keep the keywords pgdrift uses (later ones win); refuse unknown ones and those whose
/// meaning pgdrift cannot honour.
pub fn explicit_settings(
    pairs: Vec<(String, String)>,
) -> Result<BTreeMap<String, String>, ConnInfoError> {
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
    Ok(explicit)
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

pub fn resolve<E: Env + ?Sized>(
    explicit: &BTreeMap<String, String>,
    env: &E,
) -> Result<ConnSettings, ConnInfoError> {
    let get = |key: &str| setting(explicit, env, key);
    let mut warnings = Vec::new();
    if env.var("PGSERVICE").is_some_and(|s| !s.is_empty()) {
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
