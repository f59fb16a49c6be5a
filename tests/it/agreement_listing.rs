//! The agreement oracle: a canonical, object-by-object listing of a schema, produced from a
//! live database by a test-only psql query (not pgdrift's `catalog`) and from a statically
//! replayed model, and a readable comparison of the two.
//!
//! Structure is compared strictly (object sets, names, column order, NOT NULL, identity,
//! generated kind, collation, constraint kinds, columns, references and actions, index
//! columns, operator classes and ordering, partitions, inherited flags, enum labels). The
//! text that `canon` renders — column types, defaults, generated expressions, CHECK and
//! exclusion expressions, index expressions and predicates, partition keys and bounds — is
//! compared only when `COMPARE_CANONICAL_TEXT` is on (or `PGDRIFT_AGREEMENT_TEXT=1`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pgdrift::model::{
    constraint_definition, index_definition, Check, Constraint, ConstraintKind, Exclusion,
    IndexExpr, IndexTarget, Loaded, PgVersion, QualifiedName, Table,
};

use crate::harness::TestDb;

/// THE SWITCH: compare the text canon renders (types, defaults, expressions, bounds) as
/// well as structure. Turn on once `ddl::canon` is merged.
pub const COMPARE_CANONICAL_TEXT: bool = false;

/// Whether this run compares canonical text (the switch, or `PGDRIFT_AGREEMENT_TEXT=1`).
pub fn compare_text() -> bool {
    COMPARE_CANONICAL_TEXT || std::env::var("PGDRIFT_AGREEMENT_TEXT").is_ok_and(|v| v == "1")
}

const MASK_EXPR: &str = "<expr>";
const MASK_PRED: &str = "<pred>";

/// One object of a listing: its comparable text, built from structure (and canonical text
/// when compared).
pub type Listing = BTreeMap<String, String>;

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "-".into())
}

/// A column line.
#[allow(clippy::too_many_arguments)]
fn column_line(
    position: usize,
    data_type: &str,
    not_null: bool,
    default: Option<String>,
    identity: Option<String>,
    generated: Option<(String, String)>,
    collation: Option<String>,
    text: bool,
) -> String {
    let mut out = format!("#{position} not_null={not_null}");
    let _ = write!(out, " identity={}", opt(&identity));
    match (&generated, text) {
        (Some((kind, expr)), true) => {
            let _ = write!(out, " generated={kind} ({expr})");
        }
        (Some((kind, _)), false) => {
            let _ = write!(out, " generated={kind}");
        }
        (None, _) => out.push_str(" generated=-"),
    }
    let _ = write!(out, " collation={}", opt(&collation));
    if text {
        let _ = write!(out, " type={data_type} default={}", opt(&default));
    } else {
        let _ = write!(
            out,
            " default={}",
            if default.is_some() { "yes" } else { "-" }
        );
    }
    out
}

fn mark_inherited(def: String, inherited: bool) -> String {
    if inherited {
        format!("{def} [inherited]")
    } else {
        def
    }
}

// ---------------------------------------------------------------- live side

/// The listing query: one row per object, fields separated by U+001F.
const LIVE_SQL: &str = r#"
SET search_path = '';
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
WITH rels AS (
  SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relkind, c.relispartition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
)
SELECT line FROM (
  SELECT concat_ws(chr(31), 'table', r.name,
           CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) ELSE '' END) AS line
  FROM rels r
  UNION ALL
  SELECT concat_ws(chr(31), 'partition', r.name, p.name, pg_get_expr(c.relpartbound, c.oid))
  FROM rels r JOIN pg_class c ON c.oid = r.oid
  JOIN pg_inherits i ON i.inhrelid = r.oid JOIN rels p ON p.oid = i.inhparent
  WHERE r.relispartition
  UNION ALL
  SELECT concat_ws(chr(31), 'column', r.name, a.attname,
           row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
           format_type(a.atttypid, a.atttypmod), a.attnotnull,
           coalesce(CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, chr(30)),
           CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE chr(30) END,
           CASE a.attgenerated WHEN 's' THEN 'stored' WHEN 'v' THEN 'virtual' ELSE chr(30) END,
           coalesce(CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, chr(30)),
           coalesce(CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
             CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                  ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END, chr(30)))
  FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  UNION ALL
  SELECT concat_ws(chr(31), 'constraint', r.name, k.conname, k.contype::text,
           pg_get_constraintdef(k.oid), (k.coninhcount > 0 OR k.conparentid <> 0),
           coalesce(CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END, chr(30)),
           k.condeferrable, k.condeferred, k.convalidated, k.connoinherit)
  FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
  WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')
    -- a foreign key referencing a partitioned table gets one hidden copy per partition
    AND NOT (k.contype = 'f' AND k.conparentid <> 0 AND EXISTS (
      SELECT 1 FROM pg_constraint pk WHERE pk.oid = k.conparentid AND pk.conrelid = k.conrelid))
  UNION ALL
  SELECT concat_ws(chr(31), 'index', r.name, ic.relname, pg_get_indexdef(x.indexrelid),
           ic.relispartition,
           coalesce(pg_get_expr(x.indpred, x.indrelid), chr(30)),
           coalesce((SELECT string_agg(pg_get_indexdef(x.indexrelid, s.k, false), chr(29) ORDER BY s.k)
                     FROM generate_series(1, x.indnkeyatts) s(k) WHERE x.indkey[s.k - 1] = 0), chr(30)))
  FROM rels r JOIN pg_index x ON x.indrelid = r.oid JOIN pg_class ic ON ic.oid = x.indexrelid
  WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                    AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
  UNION ALL
  SELECT concat_ws(chr(31), 'enum', n.nspname || '.' || t.typname,
           (SELECT string_agg(e.enumlabel, chr(29) ORDER BY e.enumsortorder)
            FROM pg_enum e WHERE e.enumtypid = t.oid))
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                    AND d.objid = t.oid AND d.deptype = 'e')
) listing ORDER BY line
"#;

fn field(v: &str) -> Option<String> {
    (v != "\u{1e}").then(|| v.to_string())
}

/// Mask the expression keys of `pg_get_indexdef` text. In the key list a key is printed bare
/// when it is a function call and wrapped in parentheses otherwise; `keys` are the keys as
/// `pg_get_indexdef(index, k, false)` prints them (never wrapped).
fn mask_index_keys(def: &str, keys: &[&str]) -> String {
    let Some(using) = def.find(" USING ") else {
        return def.to_string();
    };
    let Some(open) = def[using..].find('(').map(|i| using + i) else {
        return def.to_string();
    };
    let mut out = def.to_string();
    let mut from = open + 1;
    for key in keys {
        let Some(p) = out[from..].find(key).map(|i| from + i) else {
            continue;
        };
        let wrapped = p > open + 1 && out.as_bytes()[p - 1] == b'(';
        let (start, end) = if wrapped && out.as_bytes().get(p + key.len()) == Some(&b')') {
            (p - 1, p + key.len() + 1)
        } else {
            (p, p + key.len())
        };
        out.replace_range(start..end, MASK_EXPR);
        from = start + MASK_EXPR.len();
    }
    out
}

/// The listing of the database `db`, read with psql.
pub fn live(db: &TestDb, text: bool) -> Listing {
    let out = db.exec(LIVE_SQL);
    let mut listing = Listing::new();
    for line in out.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\u{1f}').collect();
        match f[0] {
            "table" => {
                let key = format!("table {}", f[1]);
                let value = match (f.get(2).copied().unwrap_or(""), text) {
                    ("", _) => "table".to_string(),
                    (keydef, true) => format!("partitioned {keydef}"),
                    (keydef, false) => format!(
                        "partitioned {}",
                        keydef.split_whitespace().next().unwrap_or("")
                    ),
                };
                listing.insert(key, value);
            }
            "partition" => {
                let value = if text {
                    format!("of {} {}", f[2], f[3])
                } else {
                    format!("of {}", f[2])
                };
                listing.insert(format!("partition {}", f[1]), value);
            }
            "column" => {
                let generated = field(f[8]).map(|kind| (kind, field(f[9]).unwrap_or_default()));
                let value = column_line(
                    f[3].parse().unwrap_or(0),
                    f[4],
                    f[5] == "t",
                    field(f[6]),
                    field(f[7]),
                    generated,
                    field(f[10]),
                    text,
                );
                listing.insert(format!("column {}.{}", f[1], f[2]), value);
            }
            "constraint" => {
                let (contype, def, inherited) = (f[3], f[4].to_string(), f[5] == "t");
                let value = if text {
                    def
                } else {
                    match contype {
                        "c" => {
                            let expr = field(f[6]).unwrap_or_default();
                            def.replacen(&expr, MASK_EXPR, 1)
                        }
                        "x" => {
                            let mut s = format!("EXCLUDE {MASK_EXPR}");
                            if f[7] == "t" {
                                s.push_str(" DEFERRABLE");
                            }
                            if f[8] == "t" {
                                s.push_str(" INITIALLY DEFERRED");
                            }
                            if f[9] == "f" {
                                s.push_str(" NOT VALID");
                            }
                            s
                        }
                        _ => def,
                    }
                };
                listing.insert(
                    format!("constraint {}.{}", f[1], f[2]),
                    mark_inherited(value, inherited),
                );
            }
            "index" => {
                let mut def = f[3].to_string();
                let inherited = f[4] == "t";
                if !text {
                    if let Some(pred) = field(f[5]) {
                        def = match def.rfind(&format!(" WHERE {pred}")) {
                            Some(i) => format!("{} WHERE {MASK_PRED}", &def[..i]),
                            None => def,
                        };
                    }
                    if let Some(exprs) = field(f[6]) {
                        let keys: Vec<&str> = exprs.split('\u{1d}').collect();
                        def = mask_index_keys(&def, &keys);
                    }
                }
                listing.insert(
                    format!("index {}.{}", f[1], f[2]),
                    mark_inherited(def, inherited),
                );
            }
            "enum" => {
                listing.insert(
                    format!("enum {}", f[1]),
                    f.get(2).unwrap_or(&"").replace('\u{1d}', ", "),
                );
            }
            other => panic!("unexpected listing row {other}: {line}"),
        }
    }
    listing
}

// ---------------------------------------------------------------- static side

fn static_constraint(c: &Constraint, version: PgVersion, text: bool) -> String {
    let def = if text {
        constraint_definition(c, version)
    } else {
        match &c.kind {
            ConstraintKind::Check(check) => {
                let mut masked = c.clone();
                masked.kind = ConstraintKind::Check(Check {
                    expression: MASK_EXPR.into(),
                    no_inherit: check.no_inherit,
                });
                constraint_definition(&masked, version)
            }
            ConstraintKind::Exclusion(_) => {
                let mut masked = c.clone();
                masked.kind = ConstraintKind::Exclusion(Exclusion {
                    definition: MASK_EXPR.into(),
                });
                constraint_definition(&masked, version)
            }
            _ => constraint_definition(c, version),
        }
    };
    mark_inherited(def, c.inherited)
}

fn static_table(
    listing: &mut Listing,
    qn: &QualifiedName,
    t: &Table,
    version: PgVersion,
    text: bool,
) {
    let value = match (&t.partition_by, text) {
        (None, _) => "table".to_string(),
        (Some(keydef), true) => format!("partitioned {keydef}"),
        (Some(keydef), false) => format!(
            "partitioned {}",
            keydef.split_whitespace().next().unwrap_or("")
        ),
    };
    listing.insert(format!("table {qn}"), value);
    for (i, c) in t.columns.iter().enumerate() {
        let identity = c.identity.map(|i| match i {
            pgdrift::model::Identity::Always => "always".to_string(),
            pgdrift::model::Identity::ByDefault => "by default".to_string(),
        });
        let generated = c.generated.as_ref().map(|g| {
            (
                if g.stored { "stored" } else { "virtual" }.to_string(),
                g.expression.clone(),
            )
        });
        let value = column_line(
            i + 1,
            &c.data_type,
            c.not_null,
            c.default.clone(),
            identity,
            generated,
            c.collation.clone(),
            text,
        );
        listing.insert(format!("column {qn}.{}", c.name), value);
    }
    for (name, c) in &t.constraints {
        listing.insert(
            format!("constraint {qn}.{name}"),
            static_constraint(c, version, text),
        );
    }
    let target = IndexTarget {
        table: qn,
        partitioned: t.partition_by.is_some(),
    };
    for (name, index) in &t.indexes {
        let mut index = index.clone();
        if !text {
            for key in &mut index.keys {
                if let IndexExpr::Expression(_) = key.expr {
                    key.expr = IndexExpr::Expression(MASK_EXPR.into());
                }
            }
            if index.predicate.is_some() {
                index.predicate = Some(MASK_PRED.into());
            }
        }
        let def = index_definition(name, target, &index, version);
        listing.insert(
            format!("index {qn}.{name}"),
            mark_inherited(def, index.inherited),
        );
    }
    for (child, partition) in &t.partitions {
        let value = if text {
            format!("of {qn} {}", partition.bound)
        } else {
            format!("of {qn}")
        };
        listing.insert(format!("partition {child}"), value);
        static_table(listing, child, &partition.table, version, text);
    }
}

/// The listing of a statically read model.
pub fn from_model(loaded: &Loaded, version: PgVersion, text: bool) -> Listing {
    let mut listing = Listing::new();
    for (qn, t) in loaded.schema.tables() {
        static_table(&mut listing, &qn, t, version, text);
    }
    for (qn, e) in loaded.schema.enums() {
        listing.insert(format!("enum {qn}"), e.labels.join(", "));
    }
    listing
}

// ---------------------------------------------------------------- comparison

/// How two listings compare.
#[derive(Debug, Default)]
pub struct Agreement {
    pub objects: usize,
    pub agreeing: usize,
    /// `- live` / `+ static` lines for every difference.
    pub diff: Vec<String>,
}

pub fn compare(live: &Listing, from_sql: &Listing) -> Agreement {
    let mut a = Agreement::default();
    let keys: std::collections::BTreeSet<&String> = live.keys().chain(from_sql.keys()).collect();
    for key in keys {
        a.objects += 1;
        match (live.get(key), from_sql.get(key)) {
            (Some(l), Some(s)) if l == s => a.agreeing += 1,
            (Some(l), Some(s)) => {
                a.diff
                    .push(format!("  {key}\n    - live:   {l}\n    + static: {s}"));
            }
            (Some(l), None) => a.diff.push(format!("- only live:   {key} = {l}")),
            (None, Some(s)) => a.diff.push(format!("+ only static: {key} = {s}")),
            (None, None) => {}
        }
    }
    a
}

/// Compare and panic with a readable diff when anything differs.
pub fn assert_agree(source: &str, live: &Listing, from_sql: &Listing, text: bool, context: &str) {
    let a = compare(live, from_sql);
    let mode = if text {
        "structure + canonical text"
    } else {
        "structure"
    };
    println!(
        "agreement [{mode}] {source}: {}/{} objects agree",
        a.agreeing, a.objects
    );
    if !a.diff.is_empty() {
        panic!(
            "{source}: {} of {} objects differ ({mode}):\n{}{context}",
            a.diff.len(),
            a.objects,
            a.diff.join("\n")
        );
    }
}
