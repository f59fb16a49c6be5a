//! Opening a read-only session: host resolution, libpq's `sslmode` semantics on top of
//! tokio-postgres + native-tls (system OpenSSL), the timeouts, and the session settings.
//!
//! How each `sslmode` maps onto tokio-postgres and the TLS connector is in `tls`.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_postgres::config::{
    ChannelBinding as PgChannelBinding, LoadBalanceHosts, SslMode as PgSslMode, SslNegotiation,
    TargetSessionAttrs as PgTargetSessionAttrs,
};

use super::classify::{classify, Attempt};
use super::conninfo::{ChannelBinding, ConnSettings, Host, HostSpec, SslMode, TargetSessionAttrs};
use super::error::CatalogError;
use super::session::Session;
use super::tls::{tls_connector, LazyTls};

/// How pgdrift sets up every session (beyond what the connection string says).
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `application_name`, unless the connection string sets one.
    pub application_name: String,
    /// `statement_timeout` for every statement of the session.
    pub statement_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            application_name: "pgdrift".into(),
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// Where one attempt connects.
enum Address {
    Tcp(IpAddr),
    Unix(std::path::PathBuf),
}

/// Connect to the first server of `settings` that accepts us, and set the session up
/// read-only (`default_transaction_read_only = on`) with `statement_timeout`.
pub async fn connect(
    settings: &ConnSettings,
    options: &ConnectOptions,
) -> Result<Session, CatalogError> {
    let target = settings.display();
    let mut order: Vec<&HostSpec> = settings.hosts.iter().collect();
    if settings.load_balance_hosts && order.len() > 1 {
        // libpq shuffles; a clock-seeded rotation spreads load without a random-number crate.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as usize)
            .unwrap_or(0);
        let len = order.len();
        order.rotate_left(seed % len);
    }
    let mut last_error = None;
    for spec in order {
        match connect_host(settings, spec, options, &target).await {
            Ok(session) => return Ok(session),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| CatalogError::Connection {
        target,
        message: "no host to connect to".into(),
    }))
}

async fn connect_host(
    settings: &ConnSettings,
    spec: &HostSpec,
    options: &ConnectOptions,
    target: &str,
) -> Result<Session, CatalogError> {
    let addresses = resolve(spec, settings.connect_timeout, target).await?;
    let modes: &[PgSslMode] = match (&spec.host, settings.sslmode) {
        (Host::Unix(_), _) | (_, SslMode::Disable) => &[PgSslMode::Disable],
        // allow: plain first, TLS only when the server refuses plain connections.
        (_, SslMode::Allow) => &[PgSslMode::Disable, PgSslMode::Require],
        // prefer: TLS when offered; libpq retries without it when the TLS attempt fails.
        (_, SslMode::Prefer) => &[PgSslMode::Prefer, PgSslMode::Disable],
        (_, SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull) => &[PgSslMode::Require],
    };
    let tls = match &spec.host {
        Host::Unix(_) => None,
        Host::Tcp(_) if settings.sslmode == SslMode::Disable => None,
        Host::Tcp(_) => Some(tls_connector(settings, target)?),
    };
    let mut last_error = None;
    for address in &addresses {
        // The error of a TLS attempt that a plain retry (prefer) did not fix is the one
        // worth reporting.
        let mut tls_error = None;
        for (i, &mode) in modes.iter().enumerate() {
            let attempt = Attempt {
                target,
                settings,
                spec,
                ssl_mode: mode,
            };
            let e = match connect_once(
                settings,
                spec,
                address,
                mode,
                tls.clone(),
                options,
                &attempt,
            )
            .await
            {
                Ok(session) => return Ok(session),
                Err(e) => e,
            };
            let is_tls_failure = matches!(
                e,
                CatalogError::Certificate { .. } | CatalogError::Tls { .. }
            );
            let retry = i + 1 < modes.len()
                && match mode {
                    PgSslMode::Disable => matches!(e, CatalogError::TlsRequired { .. }),
                    _ => is_tls_failure,
                };
            if retry {
                if is_tls_failure {
                    tls_error = Some(e);
                }
                continue;
            }
            let e = match (tls_error.take(), e) {
                (Some(tls), CatalogError::TlsRequired { .. }) => tls,
                (_, e) => e,
            };
            let next_address = matches!(
                e,
                CatalogError::ConnectionRefused { .. }
                    | CatalogError::Timeout { .. }
                    | CatalogError::Connection { .. }
            );
            if !next_address {
                return Err(e);
            }
            last_error = Some(e);
            break;
        }
    }
    Err(last_error.unwrap_or_else(|| unreachable_error(target)))
}

fn unreachable_error(target: &str) -> CatalogError {
    CatalogError::Connection {
        target: target.to_string(),
        message: "could not connect to any address".into(),
    }
}

/// The addresses of one host, resolved here (not inside tokio-postgres) so that a name that
/// does not resolve is reported as such.
async fn resolve(
    spec: &HostSpec,
    timeout: Option<Duration>,
    target: &str,
) -> Result<Vec<Address>, CatalogError> {
    if let Some(addr) = spec.hostaddr {
        return Ok(vec![Address::Tcp(addr)]);
    }
    let name = match &spec.host {
        Host::Unix(dir) => return Ok(vec![Address::Unix(dir.clone())]),
        Host::Tcp(name) => name,
    };
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Ok(vec![Address::Tcp(ip)]);
    }
    let lookup = tokio::net::lookup_host((name.as_str(), spec.port));
    let result = match timeout {
        Some(t) => tokio::time::timeout(t, lookup)
            .await
            .map_err(|_| CatalogError::Timeout {
                target: target.to_string(),
                after: t,
            })?,
        None => lookup.await,
    };
    let not_found = |reason: String| CatalogError::HostNotFound {
        target: target.to_string(),
        host: name.clone(),
        reason,
    };
    let mut addresses: Vec<Address> = result
        .map_err(|e| not_found(e.to_string()))?
        .map(|a| Address::Tcp(a.ip()))
        .collect();
    if addresses.is_empty() {
        return Err(not_found("no addresses".into()));
    }
    // libpq tries the addresses in the resolver's order; drop duplicates it may return.
    let mut seen = Vec::new();
    addresses.retain(|a| match a {
        Address::Tcp(ip) if seen.contains(ip) => false,
        Address::Tcp(ip) => {
            seen.push(*ip);
            true
        }
        Address::Unix(_) => true,
    });
    Ok(addresses)
}

#[allow(clippy::too_many_arguments)]
async fn connect_once(
    settings: &ConnSettings,
    spec: &HostSpec,
    address: &Address,
    ssl_mode: PgSslMode,
    tls: Option<LazyTls>,
    options: &ConnectOptions,
    attempt: &Attempt<'_>,
) -> Result<Session, CatalogError> {
    let mut config = tokio_postgres::Config::new();
    config
        .user(&settings.user)
        .dbname(&settings.dbname)
        .port(spec.port)
        .ssl_mode(ssl_mode)
        .application_name(
            settings
                .application_name
                .as_deref()
                .unwrap_or(&options.application_name),
        );
    match address {
        Address::Unix(dir) => {
            config.host_path(dir);
        }
        Address::Tcp(ip) => {
            // The name is what TLS verifies; the address is where we connect.
            let name = match &spec.host {
                Host::Tcp(name) => name.clone(),
                Host::Unix(_) => ip.to_string(),
            };
            config.host(&name).hostaddr(*ip);
        }
    }
    if let Some(password) = settings.password.as_ref().or(spec.pgpass_password.as_ref()) {
        config.password(password.expose());
    }
    if let Some(options) = &settings.options {
        config.options(options);
    }
    if let Some(t) = settings.connect_timeout {
        config.connect_timeout(t);
    }
    if let Some(k) = settings.keepalives {
        config.keepalives(k);
    }
    if let Some(t) = settings.keepalives_idle {
        config.keepalives_idle(t);
    }
    if let Some(t) = settings.keepalives_interval {
        config.keepalives_interval(t);
    }
    if let Some(n) = settings.keepalives_count {
        config.keepalives_retries(n);
    }
    if let Some(t) = settings.tcp_user_timeout {
        config.tcp_user_timeout(t);
    }
    if settings.ssl_direct {
        config.ssl_negotiation(SslNegotiation::Direct);
    }
    config.load_balance_hosts(LoadBalanceHosts::Disable);
    config.channel_binding(match settings.channel_binding {
        ChannelBinding::Disable => PgChannelBinding::Disable,
        ChannelBinding::Prefer => PgChannelBinding::Prefer,
        ChannelBinding::Require => PgChannelBinding::Require,
    });
    config.target_session_attrs(match settings.target_session_attrs {
        TargetSessionAttrs::Any => PgTargetSessionAttrs::Any,
        TargetSessionAttrs::ReadWrite => PgTargetSessionAttrs::ReadWrite,
        TargetSessionAttrs::ReadOnly => PgTargetSessionAttrs::ReadOnly,
    });

    // tokio-postgres bounds only the TCP connect; libpq's connect_timeout covers the whole
    // handshake (TLS and authentication included), so bound all of it.
    let timed_out = |after| CatalogError::Timeout {
        target: attempt.target.to_string(),
        after,
    };
    let (client, connection_error) = match tls {
        Some(tls) if ssl_mode != PgSslMode::Disable => {
            let fut = config.connect(tls);
            let (client, connection) = with_timeout(settings.connect_timeout, fut)
                .await
                .map_err(|()| timed_out(settings.connect_timeout.unwrap_or_default()))?
                .map_err(|e| classify(e, attempt))?;
            (client, spawn_connection(connection))
        }
        _ => {
            let fut = config.connect(tokio_postgres::NoTls);
            let (client, connection) = with_timeout(settings.connect_timeout, fut)
                .await
                .map_err(|()| timed_out(settings.connect_timeout.unwrap_or_default()))?
                .map_err(|e| classify(e, attempt))?;
            (client, spawn_connection(connection))
        }
    };
    Session::start(client, connection_error, attempt.target, settings, options).await
}

async fn with_timeout<F: std::future::Future>(
    timeout: Option<Duration>,
    future: F,
) -> Result<F::Output, ()> {
    match timeout {
        Some(t) => tokio::time::timeout(t, future).await.map_err(|_| ()),
        None => Ok(future.await),
    }
}

/// Drive the connection in the background; remember why it ended, if it failed.
fn spawn_connection<S, T>(
    connection: tokio_postgres::Connection<S, T>,
) -> Arc<Mutex<Option<String>>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let slot = Arc::new(Mutex::new(None));
    let writer = Arc::clone(&slot);
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            if let Ok(mut guard) = writer.lock() {
                *guard = Some(super::classify::describe(&e));
            }
        }
    });
    slot
}
