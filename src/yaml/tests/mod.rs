//! Unit tests of the YAML format: round trips, determinism, shorthand SQL, error messages.

mod errors;
mod fixture;
mod roundtrip;
mod shorthand;
