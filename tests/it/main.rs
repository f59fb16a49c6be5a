//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;

mod agreement_corpus;
mod agreement_listing;
mod agreement_scenarios;
mod ddl_replay_corpus;
mod ddl_replay_robustness;
mod ddl_replay_semantics;
