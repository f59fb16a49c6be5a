//! The oracle of the catalog tests: every table, column, constraint, index and enum the
//! server has, as the server itself renders it with the rendering settings pinned, compared
//! with what the model holds (or renders through `index_definition` and
//! `constraint_definition`).

use std::collections::BTreeMap;

use pgdrift::model::{
    constraint_definition, index_definition, Identity, IndexTarget, Loaded, QualifiedName, Table,
};
use serde_json::Value;

use crate::catalog_common::server_json;
use crate::harness::TestDb;

/// A table of the model with where it sits (partitions flattened).
pub struct FlatTable<'a> {
    pub name: QualifiedName,
    pub table: &'a Table,
    pub parent: Option<QualifiedName>,
    pub bound: Option<String>,
}

pub fn flat_tables(loaded: &Loaded) -> Vec<FlatTable<'_>> {
    fn walk<'a>(
        name: QualifiedName,
        table: &'a Table,
        parent: Option<QualifiedName>,
        bound: Option<String>,
        out: &mut Vec<FlatTable<'a>>,
    ) {
        for (child, partition) in &table.partitions {
            walk(
                child.clone(),
                &partition.table,
                Some(name.clone()),
                Some(partition.bound.clone()),
                out,
            );
        }
        out.push(FlatTable {
            name,
            table,
            parent,
            bound,
        });
    }
    let mut out = Vec::new();
    for (name, table) in loaded.schema.tables() {
        walk(name, table, None, None, &mut out);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn qn(v: &Value) -> QualifiedName {
    QualifiedName::new(
        s(v, "schema").unwrap_or_default(),
        s(v, "table").or_else(|| s(v, "name")).unwrap_or_default(),
    )
}

fn rows(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => panic!("expected a json array, got {other}"),
    }
}

const USER_RELATION: &str = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') \
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e') \
    AND c.relkind IN ('r', 'p')";

/// Compare every table, column, constraint, index and enum the server has with the model.
pub fn compare_with_server(db: &TestDb, loaded: &Loaded) -> Vec<String> {
    let version = loaded.server_version.expect("live read has a version");
    let mut problems = Vec::new();
    let model: BTreeMap<QualifiedName, FlatTable<'_>> = flat_tables(loaded)
        .into_iter()
        .map(|f| (f.name.clone(), f))
        .collect();

    // Tables, partitions and bounds.
    let tables = rows(server_json(
        db,
        &format!(
            "SELECT json_agg(json_build_object('schema', n.nspname, 'name', c.relname, \
               'partitioned', c.relkind = 'p', \
               'partition_by', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, \
               'bound', CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, \
               'parent', (SELECT json_build_object('schema', pn.nspname, 'name', p.relname) \
                          FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent \
                          JOIN pg_namespace pn ON pn.oid = p.relnamespace \
                          WHERE h.inhrelid = c.oid AND c.relispartition)) ORDER BY n.nspname, c.relname) \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_RELATION}"
        ),
    ));
    let mut partitioned = BTreeMap::new();
    for t in &tables {
        let name = qn(t);
        partitioned.insert(name.clone(), t["partitioned"].as_bool().unwrap_or(false));
        let Some(m) = model.get(&name) else {
            problems.push(format!("table {name}: missing from the model"));
            continue;
        };
        let parent = t.get("parent").filter(|p| p.is_object()).map(qn);
        if m.parent != parent {
            problems.push(format!(
                "table {name}: parent {:?} != server {parent:?}",
                m.parent
            ));
        }
        if m.bound != s(t, "bound") {
            problems.push(format!(
                "table {name}: bound {:?} != server {:?}",
                m.bound,
                s(t, "bound")
            ));
        }
        if m.table.partition_by != s(t, "partition_by") {
            problems.push(format!(
                "table {name}: partition_by {:?} != server {:?}",
                m.table.partition_by,
                s(t, "partition_by")
            ));
        }
    }
    if tables.len() != model.len() {
        problems.push(format!(
            "the server has {} tables, the model {}",
            tables.len(),
            model.len()
        ));
    }

    // Columns, in order.
    let columns = rows(server_json(
        db,
        &format!(
            "SELECT json_agg(json_build_object('schema', n.nspname, 'table', c.relname, 'name', a.attname, \
               'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull, \
               'identity', a.attidentity, 'generated', a.attgenerated, \
               'expr', (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum), \
               'collation', CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END) \
               ORDER BY n.nspname, c.relname, a.attnum) \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_type t ON t.oid = a.atttypid \
             WHERE a.attnum > 0 AND NOT a.attisdropped AND {USER_RELATION}"
        ),
    ));
    let mut by_table: BTreeMap<QualifiedName, Vec<&Value>> = BTreeMap::new();
    for c in &columns {
        by_table.entry(qn(c)).or_default().push(c);
    }
    for (table, server_columns) in &by_table {
        let Some(m) = model.get(table) else { continue };
        let names: Vec<&str> = m.table.columns.iter().map(|c| c.name.as_str()).collect();
        let server_names: Vec<String> =
            server_columns.iter().filter_map(|c| s(c, "name")).collect();
        if names != server_names {
            problems.push(format!(
                "table {table}: columns {names:?} != server {server_names:?}"
            ));
            continue;
        }
        for (col, sc) in m.table.columns.iter().zip(server_columns) {
            let path = format!("column {table}.{}", col.name);
            let generated = s(sc, "generated").unwrap_or_default();
            let expr = s(sc, "expr");
            let checks = [
                ("type", Some(col.data_type.clone()), s(sc, "type")),
                (
                    "not null",
                    Some(col.not_null.to_string()),
                    sc["not_null"].as_bool().map(|b| b.to_string()),
                ),
                (
                    "default",
                    col.default.clone(),
                    if generated.is_empty() {
                        expr.clone()
                    } else {
                        None
                    },
                ),
                (
                    "generated",
                    col.generated
                        .as_ref()
                        .map(|g| format!("{} {}", g.expression, if g.stored { "s" } else { "v" })),
                    (!generated.is_empty())
                        .then(|| format!("{} {generated}", expr.clone().unwrap_or_default())),
                ),
                (
                    "identity",
                    col.identity.map(|i| match i {
                        Identity::Always => "a".to_string(),
                        Identity::ByDefault => "d".to_string(),
                    }),
                    s(sc, "identity").filter(|i| !i.is_empty()),
                ),
                ("collation", col.collation.clone(), s(sc, "collation")),
            ];
            for (what, ours, theirs) in checks {
                if ours != theirs {
                    problems.push(format!("{path}: {what} {ours:?} != server {theirs:?}"));
                }
            }
        }
    }

    // Constraints (NOT NULL rows and the internal clones of a foreign key to a partitioned
    // table are not constraints of the model).
    let constraints = rows(server_json(
        db,
        &format!(
            "SELECT json_agg(json_build_object('schema', n.nspname, 'table', c.relname, 'name', co.conname, \
               'definition', pg_get_constraintdef(co.oid), \
               'inherited', (c.relispartition AND co.conparentid <> 0) OR NOT co.conislocal) \
               ORDER BY n.nspname, c.relname, co.conname) \
             FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND {USER_RELATION} \
               AND NOT (co.contype = 'f' AND co.conparentid <> 0 AND EXISTS ( \
                     SELECT FROM pg_constraint pc WHERE pc.oid = co.conparentid AND pc.conrelid = co.conrelid))"
        ),
    ));
    let mut counted = 0;
    for sc in &constraints {
        let table = qn(sc);
        let name = s(sc, "name").unwrap_or_default();
        let Some(m) = model.get(&table) else { continue };
        counted += 1;
        let Some(c) = m.table.constraints.get(&name) else {
            problems.push(format!("constraint {table}.{name}: missing from the model"));
            continue;
        };
        let ours = constraint_definition(c, version);
        if Some(&ours) != s(sc, "definition").as_ref() {
            problems.push(format!(
                "constraint {table}.{name}: {ours:?} != server {:?}",
                s(sc, "definition")
            ));
        }
        if Some(c.inherited) != sc["inherited"].as_bool() {
            problems.push(format!(
                "constraint {table}.{name}: inherited {}",
                c.inherited
            ));
        }
    }
    let model_constraints: usize = model.values().map(|t| t.table.constraints.len()).sum();
    if model_constraints != counted {
        problems.push(format!(
            "the server has {counted} constraints, the model {model_constraints}"
        ));
    }

    // Indexes that are not a constraint's.
    let indexes = rows(server_json(
        db,
        &format!(
            "SELECT json_agg(json_build_object('schema', n.nspname, 'table', c.relname, 'name', ic.relname, \
               'definition', pg_get_indexdef(i.indexrelid), \
               'attached', EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)) \
               ORDER BY n.nspname, c.relname, ic.relname) \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE {USER_RELATION} AND NOT EXISTS (SELECT FROM pg_constraint x WHERE x.conindid = i.indexrelid \
               AND x.conrelid = i.indrelid AND x.contype IN ('p', 'u', 'x'))"
        ),
    ));
    let mut counted = 0;
    for si in &indexes {
        let table = qn(si);
        let name = s(si, "name").unwrap_or_default();
        let Some(m) = model.get(&table) else { continue };
        counted += 1;
        let Some(index) = m.table.indexes.get(&name) else {
            problems.push(format!("index {table}.{name}: missing from the model"));
            continue;
        };
        let target = IndexTarget {
            table: &table,
            partitioned: partitioned.get(&table).copied().unwrap_or(false),
        };
        let ours = index_definition(&name, target, index, version);
        if Some(&ours) != s(si, "definition").as_ref() {
            problems.push(format!(
                "index {table}.{name}:\n   ours   {ours}\n   server {}",
                s(si, "definition").unwrap_or_default()
            ));
        }
        if Some(index.inherited) != si["attached"].as_bool() {
            problems.push(format!(
                "index {table}.{name}: inherited {}",
                index.inherited
            ));
        }
    }
    let model_indexes: usize = model.values().map(|t| t.table.indexes.len()).sum();
    if model_indexes != counted {
        problems.push(format!(
            "the server has {counted} indexes, the model {model_indexes}"
        ));
    }

    // Enums.
    let enums = rows(server_json(
        db,
        "SELECT json_agg(json_build_object('schema', n.nspname, 'name', t.typname, \
           'labels', (SELECT coalesce(json_agg(e.enumlabel ORDER BY e.enumsortorder), '[]') FROM pg_enum e WHERE e.enumtypid = t.oid)) \
           ORDER BY n.nspname, t.typname) \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')",
    ));
    for se in &enums {
        let name = qn(se);
        let labels: Vec<String> = se["labels"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        match loaded.schema.enum_type(&name) {
            Some(e) if e.labels == labels => {}
            Some(e) => problems.push(format!("enum {name}: {:?} != server {labels:?}", e.labels)),
            None => problems.push(format!("enum {name}: missing from the model")),
        }
    }
    let model_enums = loaded.schema.enums().count();
    if model_enums != enums.len() {
        problems.push(format!(
            "the server has {} enums, the model {model_enums}",
            enums.len()
        ));
    }
    problems
}
