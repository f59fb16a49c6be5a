//! A small, test-only reader of a live database into the model, so the diff's rules can be
//! checked on what PostgreSQL really prints (the product's reader is `catalog`). One JSON
//! query per object kind, `search_path` pinned to '' as the canonical form requires. Every
//! index and constraint it builds is checked against `pg_get_indexdef` /
//! `pg_get_constraintdef`, so a model it returns is faithful to the server.

use std::collections::BTreeMap;

use pgdrift::model::{
    constraint_definition, index_definition, Check, Column, Constraint, ConstraintKind, EnumType,
    Exclusion, FkAction, ForeignKey, Generated, Identity, Index, IndexExpr, IndexKey, IndexTarget,
    KeyConstraint, Loaded, MatchType, Partition, PgVersion, QualifiedName, Table,
};
use serde_json::Value;

use crate::harness::TestDb;

const SESSION: &str = "SET search_path = ''; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; \
     SET IntervalStyle = 'postgres'; SET extra_float_digits = 1;";

const USER_TABLES: &str =
    "c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

fn query(db: &TestDb, select: &str) -> Vec<Value> {
    let out = db.exec(&format!(
        "{SESSION} SELECT coalesce(json_agg(x), '[]') FROM ({select}) x"
    ));
    match serde_json::from_str(&out) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("unexpected output {other:?} from {select}"),
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
        .to_string()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_string)
}

fn flag(v: &Value, key: &str) -> bool {
    v[key].as_bool().unwrap_or(false)
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn table_name(v: &Value) -> QualifiedName {
    QualifiedName::new(text(v, "schema"), text(v, "table"))
}

fn code(v: &Value, key: &str) -> char {
    text(v, key).chars().next().unwrap_or(' ')
}

/// Everything the database has, as the model holds it.
pub fn read(db: &TestDb) -> Loaded {
    let version = PgVersion::from_version_num(db.server.version_num);
    let mut tables: BTreeMap<QualifiedName, Table> = BTreeMap::new();
    let mut parents: BTreeMap<QualifiedName, (QualifiedName, String)> = BTreeMap::new();
    for r in query(
        db,
        &format!(
            "SELECT n.nspname AS schema, c.relname AS table, \
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by, \
               pn.nspname AS parent_schema, p.relname AS parent, \
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition \
             LEFT JOIN pg_class p ON p.oid = i.inhparent \
             LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace \
             WHERE {USER_TABLES} ORDER BY 1, 2"
        ),
    ) {
        let name = table_name(&r);
        let table = Table {
            partition_by: opt_text(&r, "partition_by"),
            ..Default::default()
        };
        tables.insert(name.clone(), table);
        if let Some(parent) = opt_text(&r, "parent") {
            let parent = QualifiedName::new(text(&r, "parent_schema"), parent);
            parents.insert(name, (parent, text(&r, "bound")));
        }
    }

    for r in query(
        db,
        &format!(
            "SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, \
               format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, \
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default, \
               CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated, \
               a.attgenerated = 's' AS stored, a.attidentity AS identity, \
               CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END AS collation \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation \
             WHERE {USER_TABLES} AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY n.nspname, c.relname, a.attnum"
        ),
    ) {
        let mut column = Column::new(text(&r, "name"), text(&r, "type"));
        column.not_null = flag(&r, "not_null");
        column.default = opt_text(&r, "default");
        column.generated = opt_text(&r, "generated").map(|expression| Generated {
            expression,
            stored: flag(&r, "stored"),
        });
        column.identity = match opt_text(&r, "identity").as_deref() {
            Some("a") => Some(Identity::Always),
            Some("d") => Some(Identity::ByDefault),
            _ => None,
        };
        column.collation = opt_text(&r, "collation");
        tables.get_mut(&table_name(&r)).unwrap().columns.push(column);
    }

    for r in query(
        db,
        &format!(
            "SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.contype AS type, \
               (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord) \
                  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS columns, \
               rn.nspname AS ref_schema, r.relname AS ref_table, \
               (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord) \
                  JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum) AS ref_columns, \
               k.confupdtype AS on_update, k.confdeltype AS on_delete, k.confmatchtype AS match, \
               CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END AS check, \
               k.connoinherit AS no_inherit, pg_get_constraintdef(k.oid) AS def, \
               k.condeferrable AS deferrable, k.condeferred AS deferred, k.convalidated AS validated, \
               (k.conparentid <> 0 OR k.coninhcount > 0) AS inherited \
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_class r ON r.oid = k.confrelid \
             LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace \
             WHERE {USER_TABLES} AND k.contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY 1, 2, 3"
        ),
    ) {
        let key = || KeyConstraint {
            columns: names(&r, "columns"),
            ..Default::default()
        };
        let action = |k: &str| FkAction::from_catalog_code(code(&r, k)).unwrap();
        let def = text(&r, "def");
        let kind = match code(&r, "type") {
            'p' => ConstraintKind::PrimaryKey(key()),
            'u' => ConstraintKind::Unique(key()),
            'f' => ConstraintKind::ForeignKey(ForeignKey {
                columns: names(&r, "columns"),
                referenced_table: QualifiedName::new(text(&r, "ref_schema"), text(&r, "ref_table")),
                referenced_columns: names(&r, "ref_columns"),
                on_update: action("on_update"),
                on_delete: action("on_delete"),
                on_delete_set_columns: Vec::new(),
                match_type: MatchType::from_catalog_code(code(&r, "match")).unwrap(),
            }),
            'c' => ConstraintKind::Check(Check {
                expression: text(&r, "check"),
                no_inherit: flag(&r, "no_inherit"),
            }),
            _ => {
                let body = def.trim_start_matches("EXCLUDE ");
                let body = body.split(" DEFERRABLE").next().unwrap_or(body);
                ConstraintKind::Exclusion(Exclusion {
                    definition: body.to_string(),
                })
            }
        };
        let mut constraint = Constraint::new(kind);
        constraint.deferrable = flag(&r, "deferrable");
        constraint.initially_deferred = flag(&r, "deferred");
        constraint.validated = flag(&r, "validated");
        constraint.inherited = flag(&r, "inherited");
        assert_eq!(constraint_definition(&constraint, version), def, "{r}");
        tables
            .get_mut(&table_name(&r))
            .unwrap()
            .constraints
            .insert(text(&r, "name"), constraint);
    }

    for r in query(
        db,
        &format!(
            "SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name, \
               i.indisunique AS unique, am.amname AS method, \
               (SELECT json_agg(json_build_object( \
                    'column', CASE WHEN i.indkey[k - 1] <> 0 THEN \
                        (SELECT attname FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = i.indkey[k - 1]) END, \
                    'expr', pg_get_indexdef(i.indexrelid, k, false), \
                    'desc', (i.indoption[k - 1] & 1) <> 0, 'nulls_first', (i.indoption[k - 1] & 2) <> 0, \
                    'opclass', CASE WHEN NOT oc.opcdefault THEN \
                        CASE WHEN ocn.nspname = 'pg_catalog' THEN '' ELSE quote_ident(ocn.nspname) || '.' END \
                        || quote_ident(oc.opcname) END) ORDER BY k) \
                  FROM generate_series(1, i.indnkeyatts) k LEFT JOIN pg_opclass oc ON oc.oid = i.indclass[k - 1] \
                  LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace) AS keys, \
               (SELECT json_agg(a.attname ORDER BY k) FROM generate_series(i.indnkeyatts + 1, i.indnatts) k \
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) AS include, \
               pg_get_expr(i.indpred, i.indrelid) AS predicate, \
               coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct, \
               ic.reloptions AS params, \
               EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS inherited, \
               pg_get_indexdef(i.indexrelid) AS def \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_am am ON am.oid = ic.relam \
             WHERE {USER_TABLES} AND NOT EXISTS (SELECT 1 FROM pg_constraint k \
                 WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) \
             ORDER BY 1, 2, 3"
        ),
    ) {
        let keys = r["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| IndexKey {
                expr: match opt_text(k, "column") {
                    Some(c) => IndexExpr::Column(c),
                    None => IndexExpr::Expression(text(k, "expr")),
                },
                collation: None,
                opclass: opt_text(k, "opclass"),
                descending: flag(k, "desc"),
                nulls_first: flag(k, "nulls_first"),
            })
            .collect();
        let index = Index {
            unique: flag(&r, "unique"),
            method: text(&r, "method"),
            keys,
            include: names(&r, "include"),
            predicate: opt_text(&r, "predicate"),
            nulls_not_distinct: flag(&r, "nulls_not_distinct"),
            // pg_get_indexdef quotes every value (flatten_reloptions): `fillfactor='70'`.
            storage_parameters: names(&r, "params")
                .iter()
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => format!("{k}={}", pgdrift::model::quote_literal(v)),
                    None => p.clone(),
                })
                .collect(),
            inherited: flag(&r, "inherited"),
        };
        let name = table_name(&r);
        let table = tables.get_mut(&name).unwrap();
        let target = IndexTarget {
            table: &name,
            partitioned: table.partition_by.is_some(),
        };
        assert_eq!(
            index_definition(&text(&r, "name"), target, &index, version),
            text(&r, "def")
        );
        table.indexes.insert(text(&r, "name"), index);
    }

    // Fold partitions under their parents, deepest first.
    let depth = |name: &QualifiedName| {
        let mut d = 0;
        let mut at = name;
        while let Some((parent, _)) = parents.get(at) {
            d += 1;
            at = parent;
        }
        d
    };
    let mut children: Vec<(usize, QualifiedName)> =
        parents.keys().map(|n| (depth(n), n.clone())).collect();
    children.sort_by(|a, b| b.cmp(a));
    for (_, child) in children {
        let (parent, bound) = parents[&child].clone();
        let table = tables.remove(&child).unwrap();
        tables
            .get_mut(&parent)
            .unwrap()
            .partitions
            .insert(child, Partition { bound, table });
    }

    let mut loaded = Loaded {
        server_version: Some(version),
        ..Default::default()
    };
    for (name, table) in tables {
        loaded
            .schema
            .namespace_mut(&name.schema)
            .tables
            .insert(name.name, table);
    }
    for r in query(
        db,
        "SELECT n.nspname AS schema, t.typname AS name, \
           (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' ORDER BY 1, 2",
    ) {
        loaded
            .schema
            .namespace_mut(&text(&r, "schema"))
            .enums
            .insert(
                text(&r, "name"),
                EnumType {
                    labels: names(&r, "labels"),
                },
            );
    }
    loaded
}
