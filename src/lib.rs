//! pgdrift: audit PostgreSQL schema drift between the schema a team intends (SQL migrations,
//! YAML) and what each live database has.
//!
//! Pipeline: sources (`ddl`, `yaml`, `catalog`) → `model` → `diff` → `report`; `cli` glues
//! them. Dependencies point inward: `cli → {ddl, yaml, catalog, diff, report} → model`,
//! `report → diff`; `ddl` and `catalog` never import each other.

pub mod catalog;
pub mod cli;
pub mod ddl;
pub mod diff;
pub mod model;
pub mod report;
pub mod yaml;
