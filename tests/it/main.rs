//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;

mod catalog_bench;
mod catalog_canonical;
mod catalog_common;
mod catalog_corpus;
mod catalog_errors;
mod catalog_oracle;
mod catalog_privileges;
mod catalog_scope;
mod catalog_tls;
