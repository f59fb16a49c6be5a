//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;
mod yaml_fullform;
mod yaml_scenarios;
mod yaml_shorthand;
mod yaml_support;
