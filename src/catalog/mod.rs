//! Live introspection: connection settings (libpq-style), read-only sessions, and one
//! `pg_catalog` query per object kind turned into the model.
//!
//! INTERFACE CONTRACT: `ConnSettings::parse`, `ConnSettings::display`, `connect`,
//! `ConnectOptions`, `Session::read`, `Session::query_text`, `ReadOptions`, `CatalogError`
//! and `read_database` keep these names and signatures.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pgdrift::catalog::CatalogError> {
//! use pgdrift::catalog::{connect, ConnSettings, ConnectOptions, ReadOptions, SystemEnv};
//! let settings = ConnSettings::parse("postgres://app@db.internal/app?sslmode=verify-full", &SystemEnv)?;
//! let session = connect(&settings, &ConnectOptions::default()).await?;
//! let loaded = session.read(&ReadOptions::default()).await?;
//! # Ok(()) }
//! ```
//!
//! Reading is read-only by construction (`default_transaction_read_only`, a `READ ONLY`
//! repeatable-read transaction), bounded (`connect_timeout`, `statement_timeout`), uses only
//! `pg_catalog` (which shows every object to every role that can connect, unlike
//! `information_schema`) and takes two round trips after the connection is set up.

mod classify;
mod connect;
pub mod conninfo;
mod error;
mod queries;
mod read;
mod session;
mod tls;

pub use connect::{connect, ConnectOptions};
pub use conninfo::{ConnSettings, Env, Host, HostSpec, Password, SslMode, SystemEnv};
pub use error::{CatalogError, ConnInfoError};
pub use session::{Session, TextRows};

use crate::model::Loaded;

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Schemas to read; empty reads every schema that is not a system or extension schema.
    pub schemas: Vec<String>,
}

/// Connect to `source` (a URI or keyword/value string, completed from the process
/// environment as libpq would), read its schema, and disconnect.
pub async fn read_database(
    source: &str,
    connect_options: &ConnectOptions,
    read_options: &ReadOptions,
) -> Result<Loaded, CatalogError> {
    let settings = ConnSettings::parse(source, &SystemEnv)?;
    let session = connect(&settings, connect_options).await?;
    session.read(read_options).await
}
