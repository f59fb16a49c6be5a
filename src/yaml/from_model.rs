//! `model::Loaded` → the full-form `Document` a snapshot is written from: every name
//! explicit, constraints and indexes keyed by name, defaults left out only where they are
//! the format's defaults (btree, NO ACTION, MATCH SIMPLE, nullable …).

use super::dto::{
    ActionDoc, ColumnDoc, ConstraintDoc, Document, EnumDoc, GeneratedDoc, Header, IdentityDoc,
    IndexDoc, IndexKeyDoc, KeySpecDoc, MatchDoc, Named, NamespaceDoc, NoteDoc, NoteKindDoc,
    NullsDoc, OrderDoc, RecordedDoc, ReferencesDoc, TableDoc,
};
use super::qname;
use super::{SnapshotMeta, FORMAT};
use crate::model::{
    Column, Constraint, ConstraintKind, FkAction, Identity, Index, IndexExpr, IndexKey, Loaded,
    MatchType, NoteKind, Table,
};

pub(crate) fn document(loaded: &Loaded, meta: &SnapshotMeta) -> Document {
    let mut schemas = Named::default();
    for (name, ns) in &loaded.schema.namespaces {
        let mut doc = NamespaceDoc::default();
        for (enum_name, e) in &ns.enums {
            doc.enums.push(
                enum_name.clone(),
                EnumDoc {
                    labels: e.labels.clone(),
                },
            );
        }
        for (table_name, t) in &ns.tables {
            doc.tables.push(table_name.clone(), table(t, None));
        }
        schemas.push(name.clone(), doc);
    }
    Document {
        pgdrift: Some(header(loaded, meta)),
        schemas: Some(schemas),
        notes: loaded
            .notes
            .iter()
            .map(|n| NoteDoc {
                kind: match n.kind {
                    NoteKind::NotModelled => NoteKindDoc::NotModelled,
                    NoteKind::Unparsed => NoteKindDoc::Unparsed,
                    NoteKind::Invisible => NoteKindDoc::Invisible,
                    NoteKind::Info => NoteKindDoc::Info,
                },
                object: n.object.as_ref().map(qname::format),
                file: n.location.as_ref().map(|l| l.file.clone()),
                line: n.location.as_ref().map(|l| l.line),
                message: n.message.clone(),
            })
            .collect(),
        recorded_migrations: loaded
            .recorded_migrations
            .iter()
            .map(|r| RecordedDoc {
                table: qname::format(&r.table),
                tool: r.tool.clone(),
                applied: r.applied.clone(),
            })
            .collect(),
        ..Document::default()
    }
}

fn header(loaded: &Loaded, meta: &SnapshotMeta) -> Header {
    // The model's version wins: the header must read back to exactly `loaded.server_version`.
    let server_version = match (loaded.server_version, meta.server_version_num) {
        (Some(major), Some(num)) if num / 10_000 == major.major() => Some(num),
        (Some(major), _) => Some(major.major()),
        (None, _) => None,
    };
    Header {
        format: FORMAT,
        canonical: true,
        source: meta.source.as_deref().map(super::redact::redact_source),
        server_version,
        generated_at: meta.generated_at.clone(),
    }
}

fn table(t: &Table, bound: Option<&str>) -> TableDoc {
    let mut doc = TableDoc {
        bound: bound.map(str::to_string),
        columns: Some(t.columns.iter().map(column).collect()),
        partition_by: t.partition_by.clone(),
        ..TableDoc::default()
    };
    for (name, c) in &t.constraints {
        doc.constraints.push(name.clone(), constraint(c));
    }
    for (name, i) in &t.indexes {
        doc.indexes.push(name.clone(), index(i));
    }
    for (name, p) in &t.partitions {
        doc.partitions
            .push(qname::format(name), table(&p.table, Some(&p.bound)));
    }
    doc
}

fn column(c: &Column) -> ColumnDoc {
    ColumnDoc {
        name: c.name.clone(),
        data_type: c.data_type.clone(),
        not_null: c.not_null.then_some(true),
        default: c.default.clone(),
        identity: c.identity.map(|i| match i {
            Identity::Always => IdentityDoc::Always,
            Identity::ByDefault => IdentityDoc::ByDefault,
        }),
        generated: c.generated.as_ref().map(|g| {
            if g.stored {
                GeneratedDoc::Stored(g.expression.clone())
            } else {
                GeneratedDoc::Full {
                    expression: g.expression.clone(),
                    stored: false,
                }
            }
        }),
        collation: c.collation.clone(),
        ..ColumnDoc::default()
    }
}

fn action(a: FkAction) -> Option<ActionDoc> {
    match a {
        FkAction::NoAction => None,
        FkAction::Restrict => Some(ActionDoc::Restrict),
        FkAction::Cascade => Some(ActionDoc::Cascade),
        FkAction::SetNull => Some(ActionDoc::SetNull),
        FkAction::SetDefault => Some(ActionDoc::SetDefault),
    }
}

fn constraint(c: &Constraint) -> ConstraintDoc {
    let mut doc = ConstraintDoc {
        deferrable: c.deferrable,
        initially_deferred: c.initially_deferred,
        not_valid: !c.validated,
        inherited: c.inherited,
        ..ConstraintDoc::default()
    };
    match &c.kind {
        ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => {
            if matches!(c.kind, ConstraintKind::PrimaryKey(_)) {
                doc.primary_key = Some(k.columns.clone());
            } else {
                doc.unique = Some(k.columns.clone());
            }
            doc.include = k.include.clone();
            doc.nulls_not_distinct = k.nulls_not_distinct;
        }
        ConstraintKind::ForeignKey(fk) => {
            doc.foreign_key = Some(fk.columns.clone());
            doc.references = Some(ReferencesDoc::Target {
                table: qname::format(&fk.referenced_table),
                columns: fk.referenced_columns.clone(),
            });
            doc.match_type = match fk.match_type {
                MatchType::Simple => None,
                MatchType::Full => Some(MatchDoc::Full),
                MatchType::Partial => Some(MatchDoc::Partial),
            };
            doc.on_update = action(fk.on_update);
            doc.on_delete = action(fk.on_delete);
            doc.on_delete_set = fk.on_delete_set_columns.clone();
        }
        ConstraintKind::Check(check) => {
            doc.check = Some(check.expression.clone());
            doc.no_inherit = check.no_inherit;
        }
        ConstraintKind::Exclusion(ex) => doc.exclude = Some(ex.definition.clone()),
    }
    doc
}

fn index(i: &Index) -> IndexDoc {
    IndexDoc {
        columns: i.keys.iter().map(index_key).collect(),
        unique: i.unique,
        using: (i.method != "btree").then(|| i.method.clone()),
        include: i.include.clone(),
        predicate: i.predicate.clone(),
        nulls_not_distinct: i.nulls_not_distinct,
        with: i.storage_parameters.clone(),
        inherited: i.inherited,
        columns_pos: Vec::new(),
    }
}

fn index_key(k: &IndexKey) -> IndexKeyDoc {
    let plain = k.collation.is_none() && k.opclass.is_none() && !k.descending && !k.nulls_first;
    match (&k.expr, plain) {
        (IndexExpr::Column(name), true) => IndexKeyDoc::Bare(name.clone()),
        (expr, _) => IndexKeyDoc::Spec(KeySpecDoc {
            column: match expr {
                IndexExpr::Column(c) => Some(c.clone()),
                IndexExpr::Expression(_) => None,
            },
            expression: match expr {
                IndexExpr::Column(_) => None,
                IndexExpr::Expression(e) => Some(e.clone()),
            },
            collation: k.collation.clone(),
            opclass: k.opclass.clone(),
            order: k.descending.then_some(OrderDoc::Desc),
            // Written only when it is not PostgreSQL's default for the order.
            nulls: (k.nulls_first != k.descending).then_some(if k.nulls_first {
                NullsDoc::First
            } else {
                NullsDoc::Last
            }),
        }),
    }
}
