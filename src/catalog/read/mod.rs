//! One consistent read of the catalog into the model, in two round trips:
//!
//! 1. `BEGIN … READ ONLY` with the rendering settings pinned, then every kind query and the
//!    small lookup catalogs, pipelined on the one connection;
//! 2. in the same snapshot, the follow-ups the first answers call for (full definitions of
//!    indexes whose keys the catalog could not settle, column names of foreign-key targets
//!    that were not read, the applied migrations of bookkeeping tables), then `COMMIT`.

mod constraints;
mod indexes;
mod lookups;
mod migrations;
mod rows;
mod tables;

use std::collections::BTreeMap;

use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Row;

use super::error::CatalogError;
use super::queries::{Queries, ATTRIBUTE_NAMES, INDEX_DEFINITIONS};
use super::session::Session;
use super::ReadOptions;
use crate::model::{EnumType, Loaded, Note, NoteKind, QualifiedName, Schema};
use rows::Rows;

/// The transaction and the settings every rendering function depends on (DESIGN §3): the
/// empty search_path makes every name outside pg_catalog come out schema-qualified,
/// whatever the role's or server's own settings; the rest pins how constants print. JIT is
/// off because the catalog queries' cost estimates would trigger it and compiling costs more
/// than the queries; work_mem keeps their sorts in memory.
const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
    SET LOCAL search_path = ''; \
    SET LOCAL timezone = 'UTC'; \
    SET LOCAL datestyle = 'ISO, MDY'; \
    SET LOCAL intervalstyle = 'postgres'; \
    SET LOCAL extra_float_digits = 1; \
    SET LOCAL standard_conforming_strings = on; \
    SET LOCAL quote_all_identifiers = off; \
    SET LOCAL bytea_output = 'hex'; \
    SET LOCAL lc_monetary = 'C'; \
    SET LOCAL jit = off; \
    SET LOCAL work_mem = '64MB'";

type QueryResult = Result<Vec<Row>, tokio_postgres::Error>;

pub(crate) async fn read(session: &Session, options: &ReadOptions) -> Result<Loaded, CatalogError> {
    match read_in_transaction(session, options).await {
        Ok(loaded) => Ok(loaded),
        Err(e) => {
            // Leave the failed transaction so the session stays usable.
            session.rollback().await;
            Err(e)
        }
    }
}

async fn read_in_transaction(
    session: &Session,
    options: &ReadOptions,
) -> Result<Loaded, CatalogError> {
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

    // Round trip 1. `biased` polls in order, so BEGIN is sent first and every query runs in
    // its snapshot; the requests go out back to back and are answered together.
    let (
        begin,
        namespaces,
        relations,
        columns,
        constraints,
        indexes,
        enums,
        opclasses,
        types,
        collations,
    ) = tokio::join!(
        biased;
        client.batch_execute(BEGIN),
        client.query_typed(&queries.namespaces, &scope),
        client.query_typed(&queries.relations, &scope_and_names),
        client.query_typed(&queries.columns, &scope),
        client.query_typed(&queries.constraints, &scope),
        client.query_typed(&queries.indexes, &scope),
        client.query_typed(&queries.enums, &scope),
        client.query_typed(&queries.opclasses, &[]),
        client.query_typed(&queries.types, &[]),
        client.query_typed(&queries.collations, &[]),
    );
    session.count_round_trip();
    let failed = |query: &str, e: tokio_postgres::Error| session.query_error(query, &e);
    begin.map_err(|e| failed("BEGIN", e))?;
    let ok = |query: &str, result: QueryResult| result.map_err(|e| failed(query, e));
    let namespaces = ok("the namespaces query", namespaces)?;
    let relations = ok("the relations query", relations)?;
    let columns = ok("the columns query", columns)?;
    let constraints = ok("the constraints query", constraints)?;
    let indexes = ok("the indexes query", indexes)?;
    let enums = ok("the enums query", enums)?;
    let opclasses = ok("the operator classes query", opclasses)?;
    let types = ok("the types query", types)?;
    let collations = ok("the collations query", collations)?;

    let rows = |query| Rows { target, query };
    let mut notes: Vec<Note> = session
        .settings_warnings()
        .iter()
        .map(|w| tables::info(w.clone()))
        .collect();
    let mut schema = Schema::default();
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
    let lookups = lookups::Lookups::load(&opclasses, &types, &collations, target)?;
    let mut relations = tables::relations(&relations, rows("relations"))?;
    tables::add_columns(&mut relations, &columns, rows("columns"))?;
    let pending_references = constraints::add_constraints(
        &mut relations,
        &constraints,
        rows("constraints"),
        &mut notes,
    )?;
    let pending_indexes = indexes::add_indexes(
        &mut relations,
        &indexes,
        rows("indexes"),
        &lookups,
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

    // Round trip 2: the follow-ups, still in the snapshot, then COMMIT.
    let index_oids: Vec<u32> = pending_indexes.iter().map(|p| p.indexrelid).collect();
    let mut referenced: Vec<u32> = pending_references
        .iter()
        .map(|p| p.referenced_relid)
        .collect();
    referenced.sort_unstable();
    referenced.dedup();
    let index_params: [(&(dyn ToSql + Sync), Type); 1] = [(&index_oids, Type::OID_ARRAY)];
    let referenced_params: [(&(dyn ToSql + Sync), Type); 1] = [(&referenced, Type::OID_ARRAY)];
    let (definitions, attribute_names, applied, commit) = tokio::join!(
        biased;
        async {
            if index_oids.is_empty() {
                return None;
            }
            Some(client.query_typed(INDEX_DEFINITIONS, &index_params).await)
        },
        async {
            if referenced.is_empty() {
                return None;
            }
            Some(client.query_typed(ATTRIBUTE_NAMES, &referenced_params).await)
        },
        async {
            match &plan.sql {
                Some(sql) => Some(client.query_typed(sql, &[]).await),
                None => None,
            }
        },
        client.batch_execute("COMMIT"),
    );
    session.count_round_trip();
    commit.map_err(|e| failed("COMMIT", e))?;

    if let Some(result) = definitions {
        let d = rows("index definitions");
        let mut by_oid = BTreeMap::new();
        for row in &ok("the index definitions query", result)? {
            by_oid.insert(
                d.get::<u32>(row, "indexrelid")?,
                d.get::<String>(row, "definition")?,
            );
        }
        indexes::settle(
            &mut relations,
            &pending_indexes,
            &by_oid,
            version,
            &mut notes,
        );
    }
    if let Some(result) = attribute_names {
        let d = rows("attribute names");
        let mut names = BTreeMap::new();
        for row in &ok("the attribute names query", result)? {
            names.insert(
                (d.get::<u32>(row, "attrelid")?, d.get::<i16>(row, "attnum")?),
                d.get::<String>(row, "attname")?,
            );
        }
        constraints::resolve_references(&mut relations, &pending_references, &names, &mut notes);
    }
    let recorded_migrations = match applied {
        None => Vec::new(),
        Some(Ok(rows_read)) => migrations::recorded(&plan, &rows_read, rows("migrations"))?,
        Some(Err(e)) => {
            notes.push(Note {
                kind: NoteKind::Info,
                location: None,
                object: None,
                message: format!(
                    "could not read the applied migrations: {}",
                    session.query_error("the migrations query", &e)
                ),
            });
            Vec::new()
        }
    };

    tables::fold(relations, &mut schema, &mut notes);
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
