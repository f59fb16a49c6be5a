//! Live introspection: connection settings (libpq-style), read-only sessions, and one
//! `pg_catalog` query per object kind turned into the model.
