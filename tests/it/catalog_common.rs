//! Helpers for the catalog tests: a runtime, sessions with a clean environment, and the
//! server's own rendering of every object (the oracle the model is compared with).

#![allow(dead_code)]

use std::collections::BTreeMap;

use pgdrift::catalog::{connect, CatalogError, ConnSettings, ConnectOptions, ReadOptions, Session};
use pgdrift::model::Loaded;

use crate::harness::TestDb;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// An environment with nothing from the test process in it (no PGPASSWORD, no ~/.pgpass).
pub fn clean_env() -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    env.insert("USER".to_string(), "nobody".to_string());
    env.insert("HOME".to_string(), "/nonexistent-pgdrift-home".to_string());
    env
}

pub fn settings(source: &str) -> ConnSettings {
    ConnSettings::parse(source, &clean_env()).expect("connection string")
}

pub fn try_connect(rt: &tokio::runtime::Runtime, source: &str) -> Result<Session, CatalogError> {
    let settings = ConnSettings::parse(source, &clean_env())?;
    rt.block_on(connect(&settings, &ConnectOptions::default()))
}

pub fn session(rt: &tokio::runtime::Runtime, source: &str) -> Session {
    try_connect(rt, source).unwrap_or_else(|e| panic!("connect: {e}"))
}

/// Read the whole database at `source`.
pub fn read(source: &str) -> Loaded {
    read_with(source, &ReadOptions::default())
}

pub fn read_with(source: &str, options: &ReadOptions) -> Loaded {
    let rt = runtime();
    let s = session(&rt, source);
    rt.block_on(s.read(options))
        .unwrap_or_else(|e| panic!("read: {e}"))
}

/// Run `select` (a query producing one json value) with the rendering settings pinned, via
/// psql, and parse the result.
pub fn server_json(db: &TestDb, select: &str) -> serde_json::Value {
    let sql = format!(
        "SET search_path = ''; SET timezone = 'UTC'; SET datestyle = 'ISO, MDY'; \
         SET intervalstyle = 'postgres'; SET extra_float_digits = 1; SET lc_monetary = 'C'; \
         SELECT coalesce(({select}), 'null'::json)"
    );
    let out = db.exec(&sql);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad json from server ({e}): {out}"))
}

/// Read the whole database of a test database with the product's reader.
pub fn read_db(db: &TestDb) -> Loaded {
    read(&db.url())
}
