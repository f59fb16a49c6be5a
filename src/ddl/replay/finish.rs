//! From the replay's flat state to the model: partitions folded under their parents with
//! their bounds, inherited flags from the parent links, enums into their namespaces; and the
//! reverse for an overlay of an already canonical schema.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::ast::ForValues;

use super::derived::TableIndex;
use super::state::{
    plain_index_columns, ConstraintMeta, IndexMeta, PartitionOf, State, TableState,
};
use crate::ddl::canon::UserType;
use crate::model::{Partition, QualifiedName, Schema, Table};

/// The model of everything replayed (the state is taken apart: its tables move into the
/// model).
pub(crate) fn fold(state: State) -> Schema {
    let mut schema = Schema::default();
    for s in state.schemas.iter() {
        schema.namespace_mut(s);
    }
    for (qn, e) in state.enums.iter() {
        schema
            .namespace_mut(&qn.schema)
            .enums
            .insert(qn.name.clone(), e.clone());
    }
    let (mut tables, index) = state.tables.into_parts();
    let roots: Vec<QualifiedName> = tables
        .iter()
        .filter(|(_, t)| t.partition_of.is_none())
        .map(|(qn, _)| qn.clone())
        .collect();
    for qn in roots {
        if let Some(t) = tables.remove(&qn) {
            let table = materialize(&mut tables, &index, &qn, t);
            schema
                .namespace_mut(&qn.schema)
                .tables
                .insert(qn.name.clone(), table);
        }
    }
    schema
}

/// A table of the model from its state, with its partitions (taken out of `tables`).
fn materialize(
    tables: &mut BTreeMap<QualifiedName, TableState>,
    index: &TableIndex,
    qn: &QualifiedName,
    t: TableState,
) -> Table {
    let TableState {
        mut table,
        constraints_meta,
        indexes_meta,
        ..
    } = t;
    for (name, c) in &mut table.constraints {
        c.inherited = constraints_meta
            .get(name)
            .is_some_and(|m| m.parent.is_some());
    }
    for (name, i) in &mut table.indexes {
        i.inherited = indexes_meta.get(name).is_some_and(|m| m.parent.is_some());
    }
    // Only a partitioned table has partitions (`State::partitions_of`).
    if table.partition_by.is_none() {
        return table;
    }
    for child in index.children_of(qn) {
        let Some(ct) = tables.remove(&child) else {
            continue;
        };
        let bound = ct
            .partition_of
            .as_ref()
            .map(|p| p.text.clone())
            .unwrap_or_default();
        let partition = materialize(tables, index, &child, ct);
        table.partitions.insert(
            child,
            Partition {
                bound,
                table: partition,
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
            search_path: Vec::new().into(),
            text: partition.bound.clone(),
        };
        insert_model_table(state, &child, partition.table, Some(of));
    }
}
