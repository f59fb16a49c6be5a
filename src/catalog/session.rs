//! A connected, read-only session: what later commands use to read the schema and to run
//! verification queries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio_postgres::{Client, SimpleQueryMessage};

use super::classify::scrub;
use super::connect::ConnectOptions;
use super::conninfo::ConnSettings;
use super::error::CatalogError;
use super::ReadOptions;
use crate::model::{Loaded, PgVersion};

/// The oldest server pgdrift reads (the catalog queries rely on 13's columns).
const OLDEST_SUPPORTED: u32 = 13;

/// A live, read-only connection to one database.
pub struct Session {
    client: Client,
    /// Why the connection ended, when it failed underneath us.
    connection_error: Arc<Mutex<Option<String>>>,
    target: String,
    settings: ConnSettings,
    version_num: u32,
    round_trips: AtomicUsize,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("target", &self.target)
            .field("version_num", &self.version_num)
            .finish_non_exhaustive()
    }
}

/// Rows of a query as text, with the column names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Session {
    /// Make the session read-only and bounded, and learn the server version (one round trip).
    pub(crate) async fn start(
        client: Client,
        connection_error: Arc<Mutex<Option<String>>>,
        target: &str,
        settings: &ConnSettings,
        options: &ConnectOptions,
    ) -> Result<Session, CatalogError> {
        let mut session = Session {
            client,
            connection_error,
            target: target.to_string(),
            settings: settings.clone(),
            version_num: 0,
            round_trips: AtomicUsize::new(0),
        };
        let setup = format!(
            "SET default_transaction_read_only = on; SET statement_timeout = {}; SHOW server_version_num",
            options.statement_timeout.as_millis()
        );
        let messages = session
            .client
            .simple_query(&setup)
            .await
            .map_err(|e| session.query_error("the session setup", &e))?;
        session.count_round_trip();
        let version = messages
            .iter()
            .find_map(|m| match m {
                SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
                _ => None,
            })
            .unwrap_or_default();
        session.version_num = version.trim().parse().map_err(|_| CatalogError::Decode {
            target: target.to_string(),
            query: "session setup".into(),
            message: format!("unexpected server_version_num {version:?}"),
        })?;
        if session.version().major() < OLDEST_SUPPORTED {
            return Err(CatalogError::UnsupportedVersion {
                target: target.to_string(),
                version: session.version().to_string(),
            });
        }
        Ok(session)
    }

    /// The redacted source: `postgres://user@host:port/db`.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The server's major version.
    pub fn version(&self) -> PgVersion {
        PgVersion::from_version_num(self.version_num)
    }

    /// `server_version_num`, e.g. 150018.
    pub fn server_version_num(&self) -> u32 {
        self.version_num
    }

    /// How many times this session has waited for the server since it connected (the
    /// connection handshake itself not counted).
    pub fn round_trips(&self) -> usize {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// Read the schema: one consistent snapshot, two round trips.
    pub async fn read(&self, options: &ReadOptions) -> Result<Loaded, CatalogError> {
        super::read::read(self, options).await
    }

    /// Run one read-only query and return its rows as text (NULL as `None`), e.g. a
    /// verification query. It runs in its own `READ ONLY` transaction whose snapshot is
    /// already taken, so the query cannot switch it to read-write, and the session's
    /// `default_transaction_read_only` covers anything after an embedded COMMIT. (This guards
    /// against accidental writes; it is not a sandbox for hostile SQL.)
    pub async fn query_text(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, CatalogError> {
        Ok(self.query_rows(sql).await?.rows)
    }

    /// Like `query_text`, with the column names of the (last) result.
    pub async fn query_rows(&self, sql: &str) -> Result<TextRows, CatalogError> {
        let (begin, result, end) = tokio::join!(
            biased;
            self.client.batch_execute("BEGIN READ ONLY; SELECT 1"),
            self.client.simple_query(sql),
            self.client.batch_execute("ROLLBACK"),
        );
        self.count_round_trip();
        begin.map_err(|e| self.query_error("BEGIN", &e))?;
        let messages = result.map_err(|e| self.query_error("the query", &e))?;
        end.map_err(|e| self.query_error("ROLLBACK", &e))?;
        let mut out = TextRows::default();
        for message in messages {
            match message {
                SimpleQueryMessage::RowDescription(columns) => {
                    out.columns = columns.iter().map(|c| c.name().to_string()).collect();
                    out.rows.clear();
                }
                SimpleQueryMessage::Row(row) => {
                    if out.columns.is_empty() {
                        out.columns = row.columns().iter().map(|c| c.name().to_string()).collect();
                    }
                    out.rows.push(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_string))
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        Ok(out)
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn settings_warnings(&self) -> &[String] {
        &self.settings.warnings
    }

    pub(crate) fn count_round_trip(&self) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
    }

    /// Leave a failed transaction so the session stays usable.
    pub(crate) async fn rollback(&self) {
        let _ = self.client.batch_execute("ROLLBACK").await;
        self.count_round_trip();
    }

    /// A failed statement as a one-line error naming the query.
    pub(crate) fn query_error(&self, query: &str, error: &tokio_postgres::Error) -> CatalogError {
        let message = match error.as_db_error() {
            Some(db) => {
                let mut m = db.message().to_string();
                if let Some(hint) = db.hint() {
                    m = format!("{m} (hint: {hint})");
                }
                m
            }
            None if error.is_closed() => {
                let why = self
                    .connection_error
                    .lock()
                    .ok()
                    .and_then(|g| g.clone())
                    .unwrap_or_else(|| "connection closed".into());
                format!("the server closed the connection: {why}")
            }
            None => super::classify::describe(error),
        };
        CatalogError::Query {
            target: self.target.clone(),
            query: query.to_string(),
            message: scrub(&message, &self.settings).replace('\n', " "),
        }
    }
}
