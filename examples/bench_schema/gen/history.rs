//! Later migrations: the ALTERs a schema accumulates after its tables are created — new and
//! renamed columns, widened types, defaults, NOT NULL, checks added NOT VALID then validated,
//! indexes added (CONCURRENTLY), replaced and renamed, enum values, foreign keys, comments.

use std::collections::BTreeSet;

use super::constraints;
use super::emit::Sql;
use super::index_ops;
use super::ops::{self, Ctx};
use super::plan::{q, Kind, Plan};
use super::rng::Rng;
use super::tables::{fk_column, referenceable};
use super::words;

const OPS: &[(&str, u32)] = &[
    ("add_column", 26),
    ("default", 13),
    ("retype", 9),
    ("nullability", 9),
    ("rename_column", 5),
    ("drop_column", 5),
    ("check", 5),
    ("add_index", 12),
    ("change_index", 4),
    ("rename_index", 3),
    ("enum_value", 2),
    ("rename_table", 2),
    ("comment", 5),
    ("add_fk", 6),
    ("drop_constraint", 2),
];

fn pick_op(rng: &mut Rng) -> &'static str {
    let total: u32 = OPS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total as usize) as u32;
    for (name, weight) in OPS {
        if roll < *weight {
            return name;
        }
        roll -= weight;
    }
    "add_column"
}

/// One later migration file: returns its name part and SQL.
pub fn file(rng: &mut Rng, plan: &mut Plan) -> (String, Sql) {
    let mut sql = Sql::default();
    let in_transaction = rng.chance(0.3);
    if in_transaction {
        sql.stmt("BEGIN");
    }
    let mut touched = BTreeSet::new();
    let wanted = rng.range(4, 16);
    let mut done = 0;
    let mut first_table: Option<String> = None;
    for _ in 0..wanted * 4 {
        if done == wanted {
            break;
        }
        let ti = rng.below(plan.tables.len());
        let op = pick_op(rng);
        let mut ctx = Ctx {
            rng,
            plan,
            sql: &mut sql,
            touched: &mut touched,
            in_transaction,
        };
        let result = match op {
            "add_column" => ops::add_column(&mut ctx, ti),
            "default" => ops::change_default(&mut ctx, ti, false),
            "retype" => ops::retype(&mut ctx, ti),
            "nullability" => ops::flip_nullability(&mut ctx, ti),
            "rename_column" => ops::rename_column(&mut ctx, ti),
            "drop_column" => ops::drop_column(&mut ctx, ti),
            "check" => index_ops::add_check_not_valid(&mut ctx, ti),
            "add_index" => index_ops::add_index(&mut ctx, ti, "idx"),
            "change_index" => index_ops::change_index(&mut ctx, ti),
            "rename_index" => rename_index(&mut ctx, ti),
            "enum_value" => enum_value(&mut ctx),
            "rename_table" => rename_table(&mut ctx, ti),
            "comment" => comment(&mut ctx, ti),
            "add_fk" => add_fk(&mut ctx, ti),
            _ => index_ops::drop_constraint(&mut ctx, ti),
        };
        if result.is_some() {
            done += 1;
            first_table.get_or_insert_with(|| plan.tables[ti].name.to_ascii_lowercase());
        }
    }
    if in_transaction {
        sql.stmt("COMMIT");
    }
    let slug = format!("alter_{}", first_table.unwrap_or_else(|| "schema".into()));
    (slug, sql)
}

fn rename_index(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    let i = (0..t.indexes.len())
        .find(|&i| !t.indexes[i].implicit_name && t.indexes[i].name.starts_with("idx_"))?;
    let old = t.indexes[i].name.clone();
    let schema = t.schema.clone();
    let new = ctx
        .plan
        .take_relation_name(&schema, &format!("ix_{}", &old[4..]));
    let t = &ctx.plan.tables[ti];
    let qualified = if schema == "public" {
        q(&old, t.prisma)
    } else {
        format!("{}.{}", q(&schema, false), q(&old, t.prisma))
    };
    ctx.sql.stmt(&format!(
        "ALTER INDEX {qualified} RENAME TO {}",
        q(&new, t.prisma)
    ));
    ctx.plan.tables[ti].indexes[i].name = new.clone();
    Some(new)
}

fn enum_value(ctx: &mut Ctx) -> Option<String> {
    if ctx.plan.enums.is_empty() {
        return None;
    }
    let ei = ctx.rng.below(ctx.plan.enums.len());
    let e = &ctx.plan.enums[ei];
    let pool = if e.prisma {
        words::PRISMA_LABELS
    } else {
        words::ENUM_LABELS
    };
    let fresh: Vec<&str> = pool
        .iter()
        .copied()
        .filter(|l| !e.labels.iter().any(|x| x == l))
        .collect();
    if fresh.is_empty() {
        return None;
    }
    let label = ctx.rng.pick(&fresh).to_string();
    let ine = if ctx.rng.chance(0.4) {
        "IF NOT EXISTS "
    } else {
        ""
    };
    let before_first = ctx.rng.chance(0.15);
    let position = if before_first {
        format!(" BEFORE '{}'", e.labels[0])
    } else {
        String::new()
    };
    ctx.sql.stmt(&format!(
        "ALTER TYPE {} ADD VALUE {ine}'{label}'{position}",
        e.qname()
    ));
    let e = &mut ctx.plan.enums[ei];
    if before_first {
        e.labels.insert(0, label.clone());
    } else {
        e.labels.push(label.clone());
    }
    Some(format!("{}.{}", e.schema, e.name))
}

fn rename_table(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    if t.prisma || t.partitioning.is_some() || t.name.len() > 26 {
        return None;
    }
    let new = format!("{}_v2", t.name);
    if ctx.plan.table_names.contains(&new) {
        return None;
    }
    ctx.sql.stmt(&format!(
        "ALTER TABLE {} RENAME TO {}",
        t.qname(),
        q(&new, false)
    ));
    let schema = t.schema.clone();
    ctx.plan.table_names.insert(new.clone());
    ctx.plan.relation_names.insert((schema, new.clone()));
    ctx.plan.tables[ti].name = new.clone();
    Some(new)
}

fn comment(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    if ctx.rng.chance(0.5) {
        ctx.sql.stmt(&format!(
            "COMMENT ON TABLE {} IS 'Owned by the {} team; don''t edit by hand.'",
            t.qname(),
            t.schema
        ));
    } else {
        let c = ctx.rng.pick(&t.columns);
        ctx.sql.stmt(&format!(
            "COMMENT ON COLUMN {}.{} IS 'See docs; kind: {:?}.'",
            t.qname(),
            t.col(&c.name),
            c.kind
        ));
    }
    Some(t.name.clone())
}

/// A new reference column with its foreign key, added to a table that already exists.
fn add_fk(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    if t.prisma || t.partitioning.is_some() {
        return None;
    }
    let targets: Vec<usize> = referenceable(ctx.plan, false)
        .into_iter()
        .filter(|&x| x != ti)
        .collect();
    if targets.is_empty() {
        return None;
    }
    let target = *ctx.rng.pick(&targets);
    let kind = ctx.plan.tables[target]
        .pk
        .as_ref()
        .map_or(Kind::BigInt, |p| p.1);
    let base = ctx.plan.tables[target]
        .name
        .split('_')
        .take(2)
        .collect::<Vec<_>>()
        .join("_");
    let name = super::plan::truncate(&format!("{base}_ref_id"), 24);
    if t.has_column(&name) {
        return None;
    }
    let col = fk_column(&name, kind, false);
    let mut table = ctx.plan.tables[ti].clone();
    table.columns.push(col.clone());
    let con_name = constraints::foreign_key(ctx.rng, ctx.plan, &mut table, &name, target, true);
    let c = table.constraints.last()?.clone();
    if c.implicit_name {
        ctx.sql.stmt(&format!(
            "ALTER TABLE {} ADD COLUMN {} {} {}",
            table.qname(),
            table.col(&name),
            col.ty,
            c.inline_body
        ));
    } else {
        ctx.sql.stmt(&format!(
            "ALTER TABLE {} ADD COLUMN {} {}",
            table.qname(),
            table.col(&name),
            col.ty
        ));
        ctx.sql.stmt(&super::emit::add_constraint(&table, &c));
    }
    ctx.plan.tables[ti] = table;
    Some(con_name)
}
