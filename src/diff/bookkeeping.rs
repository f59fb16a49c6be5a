//! The tables migration tools keep for themselves. They are not part of the schema a team
//! writes, so their presence on a database is not drift unless the expected side defines them.

use crate::model::QualifiedName;

use super::Context;

/// Bookkeeping table names and the tool that owns each, sorted by table name.
pub const BOOKKEEPING_TABLES: &[(&str, &str)] = &[
    ("__diesel_schema_migrations", "diesel"),
    ("_prisma_migrations", "prisma"),
    ("_sqlx_migrations", "sqlx"),
    ("alembic_version", "alembic"),
    ("atlas_schema_revisions", "atlas"),
    ("databasechangelog", "liquibase"),
    ("databasechangeloglock", "liquibase"),
    ("flyway_schema_history", "flyway"),
    ("goose_db_version", "goose"),
    ("knex_migrations", "knex"),
    ("knex_migrations_lock", "knex"),
    ("schema_migrations", "rails, golang-migrate, dbmate"),
    ("seaql_migrations", "sea-orm"),
];

/// The migration tool a table of this name belongs to, if it is a bookkeeping table.
pub fn bookkeeping_tool(table: &str) -> Option<&'static str> {
    BOOKKEEPING_TABLES
        .binary_search_by(|(name, _)| (*name).cmp(table))
        .ok()
        .map(|i| BOOKKEEPING_TABLES[i].1)
}

/// A bookkeeping table present only on the actual side is the tool's, not drift.
pub(super) fn ignore_unexpected(name: &QualifiedName) -> bool {
    bookkeeping_tool(&name.name).is_some()
}

/// A bookkeeping table present only on the expected side is drift — unless the expected
/// side is a database and the actual side is files: no migration creates the tool's own
/// table, so files never have it (`pgdrift diff postgres://… migrations/`).
pub(super) fn ignore_missing(cx: &Context<'_>, name: &QualifiedName) -> bool {
    bookkeeping_tool(&name.name).is_some()
        && cx.options.actual_is_static
        && !cx.options.expected_is_static
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_for_binary_search() {
        assert!(BOOKKEEPING_TABLES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(bookkeeping_tool("_prisma_migrations"), Some("prisma"));
        assert_eq!(bookkeeping_tool("users"), None);
    }
}
