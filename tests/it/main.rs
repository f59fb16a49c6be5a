//! Integration tests: everything here runs against a real PostgreSQL server (see `harness`).

mod harness;

mod harness_selftest;

mod canon_agreement;
mod canon_approximations;
mod canon_cases;
mod canon_idempotent;
mod canon_more_cases;
mod canon_normalizes;
mod canon_robustness;
mod canon_support;
