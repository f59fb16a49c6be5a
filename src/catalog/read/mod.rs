//! One consistent read of the catalog into the model: a read-only repeatable-read
//! transaction with the rendering settings pinned, the kind queries pipelined on the one
//! connection, then (with the COMMIT) the migration bookkeeping query when there is one.
//! Two round trips in all.

mod constraints;
mod indexes;
mod migrations;
mod rows;
mod tables;

use tokio_postgres::types::{ToSql, Type};

use super::error::CatalogError;
use super::queries::Queries;
use super::session::Session;
use super::ReadOptions;
use crate::model::{EnumType, Loaded, Note, NoteKind, QualifiedName, Schema};
use rows::Rows;

/// The transaction and the settings every rendering function depends on (DESIGN §3): the
/// empty search_path makes every name outside pg_catalog come out schema-qualified,
/// whatever the role's or server's own settings. The rest pins how constants print.
const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
    SET LOCAL search_path = ''; \
    SET LOCAL timezone = 'UTC'; \
    SET LOCAL datestyle = 'ISO, MDY'; \
    SET LOCAL intervalstyle = 'postgres'; \
    SET LOCAL extra_float_digits = 1; \
    SET LOCAL standard_conforming_strings = on; \
    SET LOCAL quote_all_identifiers = off; \
    SET LOCAL bytea_output = 'hex'; \
    SET LOCAL lc_monetary = 'C'";

pub(crate) async fn read(session: &Session, options: &ReadOptions) -> Result<Loaded, CatalogError> {
    let client = session.client();
    let target = session.target();
    let version = session.version();
    let queries = Queries::for_version(version);
    let schemas: Vec<String> = options.schemas.clone();
    let bookkeeping = migrations::table_names();
    let scope: [(&(dyn ToSql + Sync), Type); 1] = [(&schemas, Type::TEXT_ARRAY)];
    let scope_and_names: [(&(dyn ToSql + Sync), Type); 2] = [
        (&schemas, Type::TEXT_ARRAY),
        (&bookkeeping, Type::TEXT_ARRAY),
    ];

    // `biased` polls in order, so BEGIN is sent first and every query runs inside it; the
    // requests go out back to back and the server answers them in one round trip.
    let (begin, namespaces, relations, columns, constraints, indexes, enums) = tokio::join!(
        biased;
        client.batch_execute(BEGIN),
        client.query_typed(&queries.namespaces, &scope),
        client.query_typed(&queries.relations, &scope_and_names),
        client.query_typed(&queries.columns, &scope),
        client.query_typed(&queries.constraints, &scope),
        client.query_typed(&queries.indexes, &scope),
        client.query_typed(&queries.enums, &scope),
    );
    session.count_round_trip();
    let failed = |query: &'static str, e: tokio_postgres::Error| session.query_error(query, &e);
    let results = (|| {
        begin.map_err(|e| failed("BEGIN", e))?;
        Ok::<_, CatalogError>((
            namespaces.map_err(|e| failed("the namespaces query", e))?,
            relations.map_err(|e| failed("the relations query", e))?,
            columns.map_err(|e| failed("the columns query", e))?,
            constraints.map_err(|e| failed("the constraints query", e))?,
            indexes.map_err(|e| failed("the indexes query", e))?,
            enums.map_err(|e| failed("the enums query", e))?,
        ))
    })();
    let (namespaces, relations, columns, constraints, indexes, enums) = match results {
        Ok(r) => r,
        Err(e) => {
            session.rollback().await;
            return Err(e);
        }
    };

    let mut notes: Vec<Note> = session
        .settings_warnings()
        .iter()
        .map(|w| tables::info(w.clone()))
        .collect();
    let built = (|| {
        let mut schema = Schema::default();
        let rows = |query| Rows { target, query };
        for row in &namespaces {
            let name: String = rows("namespaces").get(row, "nspname")?;
            schema.namespace_mut(&name);
        }
        for wanted in &schemas {
            if !schema.namespaces.contains_key(wanted) {
                notes.push(tables::info(format!(
                    "schema \"{wanted}\" does not exist (or was created by an extension)"
                )));
            }
        }
        let mut relations = tables::relations(&relations, rows("relations"))?;
        tables::add_columns(&mut relations, &columns, rows("columns"))?;
        constraints::add_constraints(
            &mut relations,
            &constraints,
            rows("constraints"),
            &mut notes,
        )?;
        indexes::add_indexes(
            &mut relations,
            &indexes,
            rows("indexes"),
            version,
            &mut notes,
        )?;
        for row in &enums {
            let d = rows("enums");
            let name = QualifiedName::new(
                d.get::<String>(row, "nspname")?,
                d.get::<String>(row, "typname")?,
            );
            let labels: Vec<String> = d.get(row, "labels")?;
            schema
                .namespace_mut(&name.schema)
                .enums
                .insert(name.name, EnumType { labels });
        }
        let plan = migrations::plan(&relations, version, &mut notes);
        tables::fold(relations, &mut schema, &mut notes);
        Ok::<_, CatalogError>((schema, plan))
    })();
    let (schema, plan) = match built {
        Ok(b) => b,
        Err(e) => {
            session.rollback().await;
            return Err(e);
        }
    };

    let recorded_migrations = match &plan.sql {
        Some(sql) => {
            let (applied, commit) =
                tokio::join!(biased; client.query_typed(sql, &[]), client.batch_execute("COMMIT"));
            session.count_round_trip();
            commit.map_err(|e| session.query_error("COMMIT", &e))?;
            match applied {
                Ok(rows) => migrations::recorded(
                    &plan,
                    &rows,
                    Rows {
                        target,
                        query: "migrations",
                    },
                )?,
                Err(e) => {
                    notes.push(Note {
                        kind: NoteKind::Info,
                        location: None,
                        message: format!(
                            "could not read the applied migrations: {}",
                            session.query_error("the migrations query", &e)
                        ),
                    });
                    Vec::new()
                }
            }
        }
        None => {
            client
                .batch_execute("COMMIT")
                .await
                .map_err(|e| session.query_error("COMMIT", &e))?;
            session.count_round_trip();
            Vec::new()
        }
    };

    if version.major() > 18 {
        notes.push(tables::info(format!(
            "PostgreSQL {version} is newer than the versions pgdrift was tested with (13 to 18)"
        )));
    }
    notes.sort();
    notes.dedup();
    Ok(Loaded {
        schema,
        notes,
        server_version: Some(version),
        recorded_migrations,
    })
}
