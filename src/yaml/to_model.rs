//! A canonical snapshot `Document` → `model::Loaded`, without any SQL: every name, type,
//! default and definition is already what PostgreSQL reports, so it is taken as written.
//! Only consistency is checked (keys name real columns, names are not given twice …).

use super::access::Cx;
use super::dto::{
    ActionDoc, ColumnDoc, ConstraintDoc, Document, GeneratedDoc, IdentityDoc, IndexDoc,
    IndexKeyDoc, Item, MatchDoc, NoteKindDoc, NullsDoc, OrderDoc, ReferencesDoc, TableDoc,
};
use super::error::{join_key, YamlError};
use super::events::Pos;
use super::qname;
use crate::model::{
    Check, Column, Constraint, ConstraintKind, EnumType, Exclusion, FkAction, ForeignKey,
    Generated, Identity, Index, IndexExpr, IndexKey, KeyConstraint, Loaded, Location, MatchType,
    Namespace, Note, NoteKind, Partition, PgVersion, RecordedMigrations, Schema, Table,
};

pub(crate) fn to_loaded(cx: Cx<'_>, doc: &Document) -> Result<Loaded, YamlError> {
    let mut loaded = Loaded {
        server_version: doc
            .pgdrift
            .as_ref()
            .and_then(|h| h.server_version)
            .map(version_from_header),
        ..Loaded::default()
    };
    let default_schema = doc.default_schema();
    let mut schema = Schema::default();
    for ns in doc.namespaces() {
        schema.namespace_mut(ns.schema);
        for item in &ns.enums.0 {
            let name = item.name.clone().unwrap_or_default();
            let target = schema.namespace_mut(ns.schema);
            if target.enums.contains_key(&name) {
                return Err(twice(
                    cx,
                    item.pos,
                    &ns.path_of("enums"),
                    "enum",
                    ns.schema,
                    &name,
                ));
            }
            target.enums.insert(
                name,
                EnumType {
                    labels: item.value.labels.clone(),
                },
            );
        }
        for item in &ns.tables.0 {
            let name = item.name.clone().unwrap_or_default();
            let path = join_key(&ns.path_of("tables"), &name);
            let table = table(cx, &item.value, ns.schema, &path)?;
            let target: &mut Namespace = schema.namespace_mut(ns.schema);
            if target.tables.contains_key(&name) {
                return Err(twice(
                    cx,
                    item.pos,
                    &ns.path_of("tables"),
                    "table",
                    ns.schema,
                    &name,
                ));
            }
            target.tables.insert(name, table);
        }
    }
    loaded.schema = schema;
    for (i, note) in doc.notes.iter().enumerate() {
        loaded.notes.push(Note {
            kind: match note.kind {
                NoteKindDoc::NotModelled => NoteKind::NotModelled,
                NoteKindDoc::Unparsed => NoteKind::Unparsed,
                NoteKindDoc::Invisible => NoteKind::Invisible,
                NoteKindDoc::Info => NoteKind::Info,
            },
            location: match (&note.file, note.line) {
                (Some(file), Some(line)) => Some(Location {
                    file: file.clone(),
                    line,
                }),
                _ => None,
            },
            message: note.message.clone(),
            object: match &note.object {
                Some(text) => Some(qname::parse_in(text, default_schema).map_err(|m| {
                    let path = format!("notes[{i}].object");
                    cx.error(Pos::default(), &path, format!("{m} in {path}"))
                })?),
                None => None,
            },
        });
    }
    for (i, rec) in doc.recorded_migrations.iter().enumerate() {
        let path = format!("recorded_migrations[{i}].table");
        let table = qname::parse_in(&rec.table, default_schema)
            .map_err(|m| cx.error(Pos::default(), &path, format!("{m} in {path}")))?;
        loaded.recorded_migrations.push(RecordedMigrations {
            table,
            tool: rec.tool.clone(),
            applied: rec.applied.clone(),
        });
    }
    Ok(loaded)
}

/// `server_version` holds `server_version_num` (150018) or just a major version (15).
pub(crate) fn version_from_header(n: u32) -> PgVersion {
    if n >= 10_000 {
        PgVersion::from_version_num(n)
    } else {
        PgVersion(n)
    }
}

fn twice(cx: Cx<'_>, pos: Pos, path: &str, what: &str, schema: &str, name: &str) -> YamlError {
    cx.error(
        pos,
        path,
        format!(
            "{what} {schema}.{name} is defined twice (in 'tables:'/'enums:' and under 'schemas:')"
        ),
    )
}

fn table(cx: Cx<'_>, doc: &TableDoc, schema: &str, path: &str) -> Result<Table, YamlError> {
    let columns: Vec<Column> = doc
        .columns
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(column)
        .collect();
    let mut table = Table {
        columns,
        partition_by: doc.partition_by.clone(),
        ..Table::default()
    };
    let has_column = |name: &str| table.columns.iter().any(|c| c.name == name);
    for item in &doc.constraints.0 {
        let name = item.name.clone().unwrap_or_default();
        let c = constraint(cx, item, schema, path)?;
        let path = join_key(&join_key(path, "constraints"), &name);
        let own_columns = c.kind.columns().iter().chain(match &c.kind {
            ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => k.include.as_slice(),
            ConstraintKind::ForeignKey(fk) => fk.on_delete_set_columns.as_slice(),
            _ => &[],
        });
        for col in own_columns {
            if !has_column(col) {
                return Err(unknown_column(
                    cx,
                    item.value.columns_pos,
                    &path,
                    col,
                    &table,
                ));
            }
        }
        table.constraints.insert(name, c);
    }
    for item in &doc.indexes.0 {
        let name = item.name.clone().unwrap_or_default();
        let path = join_key(&join_key(path, "indexes"), &name);
        let index = index(&item.value);
        for (i, col) in index.column_names().enumerate() {
            if !has_column(col) {
                let pos = item.value.columns_pos.get(i).copied().unwrap_or(item.pos);
                return Err(unknown_column(cx, pos, &path, col, &table));
            }
        }
        table.indexes.insert(name, index);
    }
    for item in &doc.partitions.0 {
        let key = item.name.as_deref().unwrap_or_default();
        let ppath = join_key(&join_key(path, "partitions"), key);
        let name = qname::parse_in(key, schema)
            .map_err(|m| cx.error(item.pos, &ppath, format!("{m} in {ppath}")))?;
        if table.partitions.contains_key(&name) {
            return Err(cx.error(
                item.pos,
                &ppath,
                format!("partition {name} is listed twice in {path}"),
            ));
        }
        let part = Partition {
            bound: item.value.bound.clone().unwrap_or_default(),
            table: self::table(cx, &item.value, &name.schema, &ppath)?,
        };
        table.partitions.insert(name, part);
    }
    Ok(table)
}

fn unknown_column(cx: Cx<'_>, pos: Pos, path: &str, column: &str, table: &Table) -> YamlError {
    let known: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    cx.error(
        pos,
        path,
        format!(
            "'{column}' is not a column of this table, in {path} (columns: {})",
            known.join(", ")
        ),
    )
}

fn column(doc: &ColumnDoc) -> Column {
    Column {
        name: doc.name.clone(),
        data_type: doc.data_type.clone(),
        not_null: doc.not_null.unwrap_or(false),
        default: doc.default.clone(),
        identity: doc.identity.map(|i| match i {
            IdentityDoc::Always => Identity::Always,
            IdentityDoc::ByDefault => Identity::ByDefault,
        }),
        generated: doc.generated.as_ref().map(|g: &GeneratedDoc| Generated {
            expression: g.expression().to_string(),
            stored: g.stored(),
        }),
        collation: doc.collation.clone(),
    }
}

pub(crate) fn action(a: Option<ActionDoc>) -> FkAction {
    match a {
        None | Some(ActionDoc::NoAction) => FkAction::NoAction,
        Some(ActionDoc::Restrict) => FkAction::Restrict,
        Some(ActionDoc::Cascade) => FkAction::Cascade,
        Some(ActionDoc::SetNull) => FkAction::SetNull,
        Some(ActionDoc::SetDefault) => FkAction::SetDefault,
    }
}

fn constraint(
    cx: Cx<'_>,
    item: &Item<ConstraintDoc>,
    schema: &str,
    path: &str,
) -> Result<Constraint, YamlError> {
    let doc = &item.value;
    let key = |columns: &Vec<String>| KeyConstraint {
        columns: columns.clone(),
        include: doc.include.clone(),
        nulls_not_distinct: doc.nulls_not_distinct,
    };
    let kind = if let Some(cols) = &doc.primary_key {
        ConstraintKind::PrimaryKey(key(cols))
    } else if let Some(cols) = &doc.unique {
        ConstraintKind::Unique(key(cols))
    } else if let Some(cols) = &doc.foreign_key {
        let Some(ReferencesDoc::Target { table, columns }) = &doc.references else {
            // The decoder refuses SQL references in snapshots; keep the error anyway.
            return Err(cx.error(
                item.pos,
                path,
                "a foreign key needs references: {table, columns}",
            ));
        };
        let referenced_table = qname::parse_in(table, schema)
            .map_err(|m| cx.error(item.pos, path, format!("{m} in {path}")))?;
        ConstraintKind::ForeignKey(ForeignKey {
            columns: cols.clone(),
            referenced_table,
            referenced_columns: columns.clone(),
            on_update: action(doc.on_update),
            on_delete: action(doc.on_delete),
            on_delete_set_columns: doc.on_delete_set.clone(),
            match_type: match doc.match_type {
                None | Some(MatchDoc::Simple) => MatchType::Simple,
                Some(MatchDoc::Full) => MatchType::Full,
                Some(MatchDoc::Partial) => MatchType::Partial,
            },
        })
    } else if let Some(expression) = &doc.check {
        ConstraintKind::Check(Check {
            expression: expression.clone(),
            no_inherit: doc.no_inherit,
        })
    } else {
        ConstraintKind::Exclusion(Exclusion {
            definition: doc.exclude.clone().unwrap_or_default(),
        })
    };
    Ok(Constraint {
        kind,
        deferrable: doc.deferrable,
        initially_deferred: doc.initially_deferred,
        validated: !doc.not_valid,
        inherited: doc.inherited,
    })
}

fn index(doc: &IndexDoc) -> Index {
    Index {
        unique: doc.unique,
        method: doc.using.clone().unwrap_or_else(|| "btree".to_string()),
        keys: doc.columns.iter().map(index_key).collect(),
        include: doc.include.clone(),
        predicate: doc.predicate.clone(),
        nulls_not_distinct: doc.nulls_not_distinct,
        storage_parameters: doc.with.clone(),
        inherited: doc.inherited,
    }
}

fn index_key(doc: &IndexKeyDoc) -> IndexKey {
    match doc {
        IndexKeyDoc::Bare(name) => IndexKey::column(name.clone()),
        IndexKeyDoc::Spec(spec) => {
            let descending = spec.order == Some(OrderDoc::Desc);
            IndexKey {
                expr: match (&spec.column, &spec.expression) {
                    (Some(c), _) => IndexExpr::Column(c.clone()),
                    (None, e) => IndexExpr::Expression(e.clone().unwrap_or_default()),
                },
                collation: spec.collation.clone(),
                opclass: spec.opclass.clone(),
                descending,
                // PostgreSQL's default: NULLS FIRST for DESC, NULLS LAST for ASC.
                nulls_first: spec.nulls.map_or(descending, |n| n == NullsDoc::First),
            }
        }
    }
}
