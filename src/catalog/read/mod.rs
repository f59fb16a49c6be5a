//! One consistent read of the catalog into the model, in two round trips:
//!
//! 1. `BEGIN … READ ONLY` with the rendering settings pinned, then the small lookup catalogs
//!    and every kind query, pipelined on the one connection; each answer becomes model as
//!    soon as it arrives, while the server works on the next (`pipeline`);
//! 2. in the same snapshot, the follow-ups the first answers call for (full definitions of
//!    indexes whose keys the catalog could not settle, column names of foreign-key targets
//!    that were not read, the applied migrations of bookkeeping tables), then `COMMIT`.

mod constraints;
mod indexes;
mod lookups;
mod migrations;
mod pipeline;
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
use constraints::PendingReference;
use indexes::PendingIndex;
use lookups::Lookups;
use rows::Rows;
use tables::Relations;

/// The transaction and the settings every rendering function depends on (DESIGN §3): the
/// empty search_path makes every name outside pg_catalog come out schema-qualified,
/// whatever the role's or server's own settings; the rest pins how constants print. JIT is
/// off because the catalog queries' cost estimates would trigger it and compiling costs more
/// than the queries; work_mem keeps their sorts in memory. Nested loops are off for the kind
/// queries: they read most of the catalog, where hash joins are much cheaper, but the scope
/// filters make the planner expect a handful of rows and pick nested loops (an index probe
/// per column and per constraint); `FOLLOW_UPS` turns them back on for the lookups by OID.
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
    SET LOCAL work_mem = '64MB'; \
    SET LOCAL enable_nestloop = off";

/// Sent before the follow-up queries of round trip 2, which look a few objects up by OID.
const FOLLOW_UPS: &str = "SET LOCAL enable_nestloop = on";

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

/// The answers of round trip 1, in the order they are sent (lookups first: the index keys
/// need them).
#[derive(Debug, Clone, Copy)]
enum Answer {
    Begin,
    Opclasses,
    Types,
    Collations,
    Namespaces,
    Relations,
    Columns,
    Indexes,
    Constraints,
    Enums,
}

impl Answer {
    const ALL: [Answer; 10] = [
        Answer::Begin,
        Answer::Opclasses,
        Answer::Types,
        Answer::Collations,
        Answer::Namespaces,
        Answer::Relations,
        Answer::Columns,
        Answer::Indexes,
        Answer::Constraints,
        Answer::Enums,
    ];

    /// How errors name the request.
    fn what(self) -> &'static str {
        match self {
            Answer::Begin => "BEGIN",
            Answer::Opclasses => "the operator classes query",
            Answer::Types => "the types query",
            Answer::Collations => "the collations query",
            Answer::Namespaces => "the namespaces query",
            Answer::Relations => "the relations query",
            Answer::Columns => "the columns query",
            Answer::Indexes => "the indexes query",
            Answer::Constraints => "the constraints query",
            Answer::Enums => "the enums query",
        }
    }
}

/// What round trip 1 builds, answer by answer.
struct Reading<'a> {
    session: &'a Session,
    wanted_schemas: &'a [String],
    schema: Schema,
    notes: Vec<Note>,
    lookups: Lookups,
    relations: Relations,
    pending_references: Vec<PendingReference>,
    pending_indexes: Vec<PendingIndex>,
}

impl Reading<'_> {
    fn take(&mut self, answer: Answer, result: QueryResult) -> Result<(), CatalogError> {
        let rows = result.map_err(|e| self.session.query_error(answer.what(), &e))?;
        let target = self.session.target();
        let d = |query| Rows { target, query };
        match answer {
            Answer::Begin => {}
            Answer::Opclasses => self.lookups.add_opclasses(&rows, target)?,
            Answer::Types => self.lookups.add_types(&rows, target)?,
            Answer::Collations => self.lookups.add_collations(&rows, target)?,
            Answer::Namespaces => {
                for row in &rows {
                    let name: &str = d("namespaces").get(row, "nspname")?;
                    self.schema.namespace_mut(name);
                }
                for wanted in self.wanted_schemas {
                    if !self.schema.namespaces.contains_key(wanted) {
                        self.notes.push(tables::info(format!(
                            "schema \"{wanted}\" does not exist (or was created by an extension)"
                        )));
                    }
                }
            }
            Answer::Relations => self.relations = tables::relations(&rows, d("relations"))?,
            Answer::Columns => {
                tables::add_columns(&mut self.relations, &rows, d("columns"), &self.lookups)?
            }
            Answer::Indexes => {
                self.pending_indexes = indexes::add_indexes(
                    &mut self.relations,
                    &rows,
                    d("indexes"),
                    &self.lookups,
                    &mut self.notes,
                )?
            }
            Answer::Constraints => {
                self.pending_references = constraints::add_constraints(
                    &mut self.relations,
                    &rows,
                    d("constraints"),
                    &mut self.notes,
                )?
            }
            Answer::Enums => {
                let d = d("enums");
                for row in &rows {
                    let name = QualifiedName::new(
                        d.get::<String>(row, "nspname")?,
                        d.get::<String>(row, "typname")?,
                    );
                    let labels: Vec<String> = d.get(row, "labels")?;
                    self.schema
                        .namespace_mut(&name.schema)
                        .enums
                        .insert(name.name, EnumType { labels });
                }
            }
        }
        Ok(())
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
    let schemas: &Vec<String> = &options.schemas;
    let bookkeeping = migrations::table_names();
    let scope: [(&(dyn ToSql + Sync), Type); 1] = [(schemas, Type::TEXT_ARRAY)];
    let scope_and_names: [(&(dyn ToSql + Sync), Type); 2] = [
        (schemas, Type::TEXT_ARRAY),
        (&bookkeeping, Type::TEXT_ARRAY),
    ];

    // Round trip 1: BEGIN first, so every query runs in its snapshot; the requests go out
    // back to back and each answer is turned into model as it arrives.
    let requests: Vec<pipeline::Request<'_, QueryResult>> = Answer::ALL
        .iter()
        .map(|answer| -> pipeline::Request<'_, QueryResult> {
            match answer {
                Answer::Begin => {
                    Box::pin(async { client.batch_execute(BEGIN).await.map(|()| Vec::new()) })
                }
                Answer::Opclasses => Box::pin(client.query_typed(&queries.opclasses, &[])),
                Answer::Types => Box::pin(client.query_typed(&queries.types, &[])),
                Answer::Collations => Box::pin(client.query_typed(&queries.collations, &[])),
                Answer::Namespaces => Box::pin(client.query_typed(&queries.namespaces, &scope)),
                Answer::Relations => {
                    Box::pin(client.query_typed(&queries.relations, &scope_and_names))
                }
                Answer::Columns => Box::pin(client.query_typed(&queries.columns, &scope)),
                Answer::Indexes => Box::pin(client.query_typed(&queries.indexes, &scope)),
                Answer::Constraints => Box::pin(client.query_typed(&queries.constraints, &scope)),
                Answer::Enums => Box::pin(client.query_typed(&queries.enums, &scope)),
            }
        })
        .collect();
    let mut reading = Reading {
        session,
        wanted_schemas: schemas,
        schema: Schema::default(),
        notes: session
            .settings_warnings()
            .iter()
            .map(|w| tables::info(w.clone()))
            .collect(),
        lookups: Lookups::default(),
        relations: Relations::new(),
        pending_references: Vec::new(),
        pending_indexes: Vec::new(),
    };
    pipeline::in_order(requests, |i, result| reading.take(Answer::ALL[i], result)).await?;
    session.count_round_trip();
    let Reading {
        mut schema,
        mut notes,
        mut relations,
        pending_references,
        pending_indexes,
        ..
    } = reading;
    let rows = |query| Rows { target, query };
    let failed = |query: &str, e: tokio_postgres::Error| session.query_error(query, &e);
    let ok = |query: &str, result: QueryResult| result.map_err(|e| failed(query, e));

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
    let follow_ups = !index_oids.is_empty() || !referenced.is_empty() || plan.sql.is_some();
    let (settings, definitions, attribute_names, applied, commit) = tokio::join!(
        biased;
        async {
            if !follow_ups {
                return Ok(());
            }
            client.batch_execute(FOLLOW_UPS).await
        },
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
    settings.map_err(|e| failed("SET", e))?;
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
