//! From the replay's flat state to the model: partitions folded under their parents with
//! their bounds, inherited flags from the parent links, enums into their namespaces; and the
//! reverse for an overlay of an already canonical schema.

use std::collections::BTreeSet;

use sqlparser::ast::ForValues;

use super::state::{
    plain_index_columns, ConstraintMeta, IndexMeta, PartitionOf, State, TableState,
};
use crate::ddl::canon::UserType;
use crate::model::{Partition, QualifiedName, Schema, Table};

/// The model of everything replayed.
pub(crate) fn fold(state: &State) -> Schema {
    let mut schema = Schema::default();
    for s in &state.schemas {
        schema.namespace_mut(s);
    }
    for (qn, t) in &state.tables {
        if t.partition_of.is_none() {
            let table = materialize(state, qn, t);
            schema
                .namespace_mut(&qn.schema)
                .tables
                .insert(qn.name.clone(), table);
        }
    }
    for (qn, e) in &state.enums {
        schema
            .namespace_mut(&qn.schema)
            .enums
            .insert(qn.name.clone(), e.clone());
    }
    schema
}

fn materialize(state: &State, qn: &QualifiedName, t: &TableState) -> Table {
    let mut table = t.table.clone();
    for (name, c) in &mut table.constraints {
        c.inherited = t
            .constraints_meta
            .get(name)
            .is_some_and(|m| m.parent.is_some());
    }
    for (name, i) in &mut table.indexes {
        i.inherited = t.indexes_meta.get(name).is_some_and(|m| m.parent.is_some());
    }
    for child in state.partitions_of(qn) {
        let ct = &state.tables[&child];
        let bound = ct
            .partition_of
            .as_ref()
            .map(|p| p.text.clone())
            .unwrap_or_default();
        table.partitions.insert(
            child.clone(),
            Partition {
                bound,
                table: materialize(state, &child, ct),
            },
        );
    }
    table
}

/// Put the tables and enums of a canonical schema into the replay, replacing same-named
/// objects (their expressions are already canonical text, so nothing is re-rendered).
pub(crate) fn overlay(state: &mut State, schema: Schema) {
    for (ns_name, ns) in schema.namespaces {
        state.schemas.insert(ns_name.clone());
        for (name, table) in ns.tables {
            let qn = QualifiedName::new(ns_name.clone(), name);
            insert_model_table(state, &qn, table, None);
        }
        for (name, e) in ns.enums {
            let qn = QualifiedName::new(ns_name.clone(), name);
            state.types.insert(qn.clone(), UserType::Enum);
            state.enums.insert(qn, e);
        }
    }
}

fn insert_model_table(
    state: &mut State,
    qn: &QualifiedName,
    mut table: Table,
    partition_of: Option<PartitionOf>,
) {
    if state.tables.contains_key(qn) {
        for child in state.all_partitions_of(qn) {
            state.remove_table(&child);
        }
        state.remove_table(qn);
    }
    let partitions = std::mem::take(&mut table.partitions);
    let mut ts = TableState::new(state.oid());
    for (name, c) in &table.constraints {
        let mut columns: BTreeSet<String> = c.kind.columns().iter().cloned().collect();
        if let crate::model::ConstraintKind::PrimaryKey(k)
        | crate::model::ConstraintKind::Unique(k) = &c.kind
        {
            columns.extend(k.include.iter().cloned());
        }
        let meta = ConstraintMeta {
            oid: state.oid(),
            columns,
            check: None,
            exclusion: None,
            parent: None,
        };
        ts.constraints_meta.insert(name.clone(), meta);
    }
    for (name, i) in &table.indexes {
        let meta = IndexMeta {
            oid: state.oid(),
            columns: plain_index_columns(i),
            key_exprs: vec![None; i.keys.len()],
            collations: vec![None; i.keys.len()],
            predicate: None,
            parent: None,
            only: false,
        };
        ts.indexes_meta.insert(name.clone(), meta);
    }
    ts.table = table;
    ts.partition_of = partition_of;
    state.insert_table(qn.clone(), ts);
    for (child, partition) in partitions {
        let of = PartitionOf {
            parent: qn.clone(),
            bound: ForValues::Default,
            search_path: Vec::new(),
            text: partition.bound.clone(),
        };
        insert_model_table(state, &child, partition.table, Some(of));
    }
}
