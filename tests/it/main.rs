//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;
mod roundtrip;
mod run;
mod scenarios;
mod versions;

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
mod ddl_guards;
mod ddl_text_files;
mod ddl_text_split;
mod diff_casts;
mod diff_corpus;
mod diff_partitions;
mod diff_scenarios;
mod report_corpus;
mod report_fix;
mod report_markdown;
mod report_schemas;
mod report_support;
mod report_verify;
mod yaml_fullform;
mod yaml_scenarios;
mod yaml_shorthand;
mod yaml_support;

mod agreement_corpus;
mod agreement_listing;
mod agreement_scenarios;
mod ddl_replay_corpus;
mod ddl_replay_robustness;
mod ddl_replay_semantics;

mod canon_agreement;
mod canon_approximations;
mod canon_cases;
mod canon_idempotent;
mod canon_more_cases;
mod canon_normalizes;
mod canon_robustness;
mod canon_support;
