//! A migration that creates a group of tables, in the order people write one: enum types,
//! CREATE TABLE (and partitions), then ALTER TABLE … ADD CONSTRAINT (foreign keys mostly), then
//! CREATE INDEX, then views, triggers and comments; Prisma batches in Prisma's own layout.

use std::ops::Range;

use super::emit::{self, IndexStyle, Sql};
use super::plan::{q, EnumType, Plan};
use super::rng::Rng;
use super::{partitioned, prisma, tables, words};

/// A new enum type in a random schema.
fn new_enum(rng: &mut Rng, plan: &mut Plan) -> Option<usize> {
    for _ in 0..10 {
        let name = format!("{}_{}", rng.pick(words::AREAS), rng.pick(words::ENUM_NAMES));
        if plan.table_names.contains(&name) {
            continue;
        }
        plan.table_names.insert(name.clone());
        let mut labels: Vec<String> = words::ENUM_LABELS.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut labels);
        labels.truncate(rng.range(3, 7));
        let schema = tables::pick_schema(rng);
        plan.enums.push(EnumType {
            schema,
            name,
            labels,
            prisma: false,
        });
        return Some(plan.enums.len() - 1);
    }
    None
}

/// Write CREATE TABLE and everything that follows it for `plan.tables[range]`.
pub fn emit_tables(
    rng: &mut Rng,
    plan: &mut Plan,
    sql: &mut Sql,
    range: Range<usize>,
    extras: bool,
) {
    for ti in range.clone() {
        let t = &plan.tables[ti];
        if t.prisma {
            sql.comment("CreateTable");
        }
        let ine = !t.prisma && rng.chance(0.1);
        sql.stmt(&emit::create_table(rng, t, ine));
        for s in emit::deferred_constraints(t, true) {
            sql.stmt(&s);
        }
        for p in emit::partitions(t) {
            sql.stmt(&p);
        }
        if t.prisma {
            sql.blank();
        }
    }
    for ti in range.clone() {
        let t = &plan.tables[ti];
        for (i, s) in emit::deferred_constraints(t, false).iter().enumerate() {
            if t.prisma && i == 0 {
                sql.comment("AddForeignKey");
            }
            sql.stmt(s);
        }
    }
    for ti in range.clone() {
        let t = &plan.tables[ti];
        for index in &t.indexes {
            if t.prisma {
                sql.comment("CreateIndex");
            }
            let style = IndexStyle {
                concurrently: false,
                if_not_exists: !t.prisma && rng.chance(0.1),
            };
            sql.stmt(&emit::create_index(t, index, style));
        }
    }
    if !extras {
        return;
    }
    for ti in range {
        extras_for(rng, plan, sql, ti);
    }
}

/// Views, triggers and comments: statements pgdrift does not model but must read past.
fn extras_for(rng: &mut Rng, plan: &mut Plan, sql: &mut Sql, ti: usize) {
    let t = &plan.tables[ti];
    if t.prisma {
        return;
    }
    let has = |c: &str| t.has_column(c);
    if has("id") && has("created_at") && rng.chance(0.03) {
        let view = format!("v_{}", t.name);
        let schema = t.schema.clone();
        let qview = if schema == "public" {
            q(&view, false)
        } else {
            format!("{}.{}", schema, q(&view, false))
        };
        sql.stmt(&format!(
            "CREATE OR REPLACE VIEW {qview} AS\n    SELECT id, created_at\n    FROM {}\n    WHERE created_at > now() - interval '90 days'",
            t.qname()
        ));
        plan.relation_names.insert((schema, view));
        let t = &mut plan.tables[ti];
        t.pinned.insert("id".into());
        t.pinned.insert("created_at".into());
    }
    let t = &plan.tables[ti];
    if t.has_column("updated_at") && rng.chance(0.25) {
        sql.stmt(&format!(
            "CREATE TRIGGER trg_{}_updated_at BEFORE UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION public.set_updated_at()",
            t.name,
            t.qname()
        ));
        plan.tables[ti].pinned.insert("updated_at".into());
    }
    let t = &plan.tables[ti];
    if rng.chance(0.1) {
        sql.stmt(&format!(
            "COMMENT ON TABLE {} IS 'The {} of the {} area.'",
            t.qname(),
            t.name.replace('_', " "),
            t.schema
        ));
    }
}

/// One migration creating about `size` relations; returns its name part, SQL and the number
/// of relations (tables and partitions) it created.
pub fn file(rng: &mut Rng, plan: &mut Plan, size: usize) -> (String, Sql, usize) {
    let mut sql = Sql::default();
    let prisma_style = rng.chance(0.08);
    let in_transaction = !prisma_style && rng.chance(0.25);
    if in_transaction {
        sql.stmt("BEGIN");
    }
    let first_enum = plan.enums.len();
    if prisma_style {
        if plan.enums.iter().all(|e| !e.prisma) || rng.chance(0.4) {
            prisma::prisma_enum(rng, plan);
        }
    } else if plan.enums.iter().all(|e| e.prisma) || rng.chance(0.25) {
        new_enum(rng, plan);
    }
    for e in &plan.enums[first_enum..] {
        if e.prisma {
            sql.comment("CreateEnum");
        }
        sql.stmt(&emit::create_enum(e));
    }
    let first = plan.tables.len();
    let mut made = 0;
    while made < size {
        if prisma_style {
            prisma::model(rng, plan);
            made += 1;
        } else if size - made >= 5 && rng.chance(0.03) {
            made += partitioned::family(rng, plan, size - made);
        } else {
            tables::ordinary(rng, plan);
            made += 1;
        }
    }
    emit_tables(rng, plan, &mut sql, first..plan.tables.len(), true);
    if in_transaction {
        sql.stmt("COMMIT");
    }
    let name = &plan.tables[first].name;
    let slug = if prisma_style {
        format!("add_{}", name.to_ascii_lowercase())
    } else {
        format!("create_{name}")
    };
    (slug, sql, made)
}
