//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;

mod ddl_text_files;
mod ddl_text_split;
mod diff_casts;
mod diff_corpus;
mod diff_live;
mod diff_partitions;
mod diff_scenarios;
mod report_corpus;
mod report_fix;
mod report_markdown;
mod report_schemas;
mod report_support;
mod report_verify;
