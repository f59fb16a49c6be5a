//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;
mod roundtrip;
mod run;

mod bench_schema;
mod catalog_bench;
mod catalog_canonical;
mod catalog_common;
mod catalog_corpus;
mod catalog_errors;
mod catalog_oracle;
mod catalog_privileges;
mod catalog_scope;
mod catalog_tls;
mod cli;
mod ddl_text_files;
mod ddl_text_split;
mod diff_casts;
mod diff_corpus;
mod diff_live;
mod diff_partitions;
mod diff_scenarios;
mod yaml_fullform;
mod yaml_scenarios;
mod yaml_shorthand;
mod yaml_support;
