//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;

mod diff_casts;
mod diff_corpus;
mod diff_live;
mod diff_partitions;
mod diff_scenarios;
