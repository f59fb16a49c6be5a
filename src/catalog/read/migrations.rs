//! Migration tools' bookkeeping tables: which tables they are, and one query (for the
//! tables that exist and the role may read) that lists the migrations each records as
//! applied. The tables themselves stay in the schema.

use tokio_postgres::Row;

use super::rows::Rows;
use super::tables::{info, Relations};
use crate::catalog::error::CatalogError;
use crate::model::{Note, NoteKind, PgVersion, QualifiedName, RecordedMigrations};

/// A bookkeeping table format: its name, the columns it must have, and how to list the
/// applied migrations (`{t}` = the quoted table).
struct Format {
    table: &'static str,
    tool: &'static str,
    /// Columns that must all exist for the table to be read as this format.
    requires: &'static [&'static str],
    /// When this column exists the format applies (distinguishes `schema_migrations` users).
    marker: Option<&'static str>,
    /// `SELECT id, ord FROM …`: the identifier as text and an ordering expression.
    select: &'static str,
}

const FORMATS: &[Format] = &[
    Format {
        table: "_prisma_migrations",
        tool: "prisma",
        requires: &["migration_name", "started_at", "finished_at", "rolled_back_at"],
        marker: None,
        select: "SELECT migration_name::text AS id, row_number() OVER (ORDER BY started_at, migration_name) AS ord \
                 FROM {t} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    },
    Format {
        table: "alembic_version",
        tool: "alembic",
        requires: &["version_num"],
        marker: None,
        select: "SELECT version_num::text AS id, row_number() OVER (ORDER BY version_num) AS ord FROM {t}",
    },
    Format {
        table: "schema_migrations",
        tool: "golang-migrate",
        requires: &["version", "dirty"],
        marker: Some("dirty"),
        select: "SELECT version::text || CASE WHEN dirty THEN ' (dirty)' ELSE '' END AS id, \
                 row_number() OVER (ORDER BY version) AS ord FROM {t}",
    },
    Format {
        table: "schema_migrations",
        tool: "ecto",
        requires: &["version", "inserted_at"],
        marker: Some("inserted_at"),
        select: "SELECT version::text AS id, row_number() OVER (ORDER BY version) AS ord FROM {t}",
    },
    Format {
        table: "schema_migrations",
        tool: "rails/dbmate",
        requires: &["version"],
        marker: None,
        select: "SELECT version::text AS id, row_number() OVER (ORDER BY version) AS ord FROM {t}",
    },
    Format {
        table: "flyway_schema_history",
        tool: "flyway",
        requires: &["installed_rank", "script", "success"],
        marker: None,
        select: "SELECT script::text AS id, row_number() OVER (ORDER BY installed_rank) AS ord \
                 FROM {t} WHERE success",
    },
    Format {
        table: "__diesel_schema_migrations",
        tool: "diesel",
        requires: &["version"],
        marker: None,
        select: "SELECT version::text AS id, row_number() OVER (ORDER BY version) AS ord FROM {t}",
    },
    Format {
        table: "goose_db_version",
        tool: "goose",
        requires: &["id", "version_id", "is_applied"],
        marker: None,
        // The latest row of each version says whether it is applied; version 0 is goose's own.
        select: "SELECT version_id::text AS id, row_number() OVER (ORDER BY version_id) AS ord \
                 FROM (SELECT DISTINCT ON (version_id) version_id, is_applied FROM {t} \
                       ORDER BY version_id, id DESC) latest \
                 WHERE is_applied AND version_id <> 0",
    },
    Format {
        table: "knex_migrations",
        tool: "knex",
        requires: &["id", "name"],
        marker: None,
        select: "SELECT name::text AS id, row_number() OVER (ORDER BY id) AS ord FROM {t}",
    },
    Format {
        table: "_sqlx_migrations",
        tool: "sqlx",
        requires: &["version", "success"],
        marker: None,
        select: "SELECT version::text AS id, row_number() OVER (ORDER BY version) AS ord \
                 FROM {t} WHERE success",
    },
];

/// The table names to look for (passed to the relations query).
pub fn table_names() -> Vec<String> {
    let mut names: Vec<String> = FORMATS.iter().map(|f| f.table.to_string()).collect();
    names.dedup();
    names
}

/// The bookkeeping tables found, in name order, and the query listing their migrations.
pub struct Plan {
    pub tables: Vec<(QualifiedName, &'static str)>,
    pub sql: Option<String>,
}

/// Find the bookkeeping tables among `relations`; note those the role cannot read or whose
/// columns are not the tool's.
pub fn plan(relations: &Relations, version: PgVersion, notes: &mut Vec<Note>) -> Plan {
    let mut found: Vec<(&QualifiedName, &'static Format)> = Vec::new();
    for relation in relations.values() {
        if relation.is_partition || relation.kind == 'f' {
            continue;
        }
        let candidates: Vec<&Format> = FORMATS
            .iter()
            .filter(|f| f.table == relation.name.name)
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let has = |c: &str| relation.table.columns.iter().any(|col| col.name == c);
        let format = candidates
            .iter()
            .find(|f| f.marker.map_or(true, &has) && f.requires.iter().all(|c| has(c)));
        let Some(format) = format else {
            notes.push(info(format!(
                "{} does not have the columns of a {} table; its migrations are not read",
                relation.name,
                candidates
                    .iter()
                    .map(|f| f.tool)
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
            continue;
        };
        if relation.can_select == Some(false) {
            notes.push(Note {
                kind: NoteKind::Invisible,
                location: None,
                object: None,
                message: format!(
                    "{}: the role may not read this {} table, so the applied migrations are unknown",
                    relation.name, format.tool
                ),
            });
            continue;
        }
        found.push((&relation.name, format));
    }
    found.sort_by(|a, b| a.0.cmp(b.0));

    let branches: Vec<String> = found
        .iter()
        .enumerate()
        .map(|(k, (name, format))| {
            // Names come from the catalog and are quoted as identifiers.
            let select = format.select.replace("{t}", &name.quoted(version));
            format!("SELECT {k}::int4 AS k, m.ord::int8 AS ord, m.id FROM ({select}) m")
        })
        .collect();
    let sql =
        (!branches.is_empty()).then(|| format!("{} ORDER BY k, ord", branches.join(" UNION ALL ")));
    Plan {
        tables: found
            .into_iter()
            .map(|(name, format)| (name.clone(), format.tool))
            .collect(),
        sql,
    }
}

/// The applied migrations per table from the plan's query rows.
pub fn recorded(
    plan: &Plan,
    rows: &[Row],
    d: Rows<'_>,
) -> Result<Vec<RecordedMigrations>, CatalogError> {
    let mut out: Vec<RecordedMigrations> = plan
        .tables
        .iter()
        .map(|(table, tool)| RecordedMigrations {
            table: table.clone(),
            tool: (*tool).to_string(),
            applied: Vec::new(),
        })
        .collect();
    for row in rows {
        let k: i32 = d.get(row, "k")?;
        let id: Option<String> = d.get(row, "id")?;
        if let (Some(entry), Some(id)) = (usize::try_from(k).ok().and_then(|k| out.get_mut(k)), id)
        {
            entry.applied.push(id);
        }
    }
    Ok(out)
}
