//! Changes to a table's indexes and constraints, shared by later migrations and drift: drop,
//! redefine or add an index; drop a constraint; add a check NOT VALID and validate it.

use super::columns;
use super::emit::{self, IndexStyle};
use super::ops::{alter, free, Ctx};
use super::plan::{q, ConKind, Constraint, Kind, Placement};

fn pick_index(ctx: &mut Ctx, ti: usize) -> Option<usize> {
    let t = &ctx.plan.tables[ti];
    let candidates: Vec<usize> = (0..t.indexes.len())
        .filter(|&i| {
            !t.indexes[i].implicit_name && !ctx.touched.contains(&ctx.key(ti, &t.indexes[i].name))
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    Some(*ctx.rng.pick(&candidates))
}

pub fn drop_index(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = pick_index(ctx, ti)?;
    let t = &ctx.plan.tables[ti];
    let name = t.indexes[i].name.clone();
    ctx.sql
        .stmt(&emit::drop_index(t, &t.indexes[i], ctx.rng.chance(0.5)));
    ctx.plan.tables[ti].indexes.remove(i);
    Some(ctx.touch(ti, &name))
}

/// Drop an index and create it again under the same name with another definition: partial
/// becomes full, full becomes partial.
pub fn change_index(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = pick_index(ctx, ti)?;
    let t = &ctx.plan.tables[ti];
    let mut index = t.indexes[i].clone();
    match index.tail.find(" WHERE ") {
        Some(at) => index.tail.truncate(at),
        None => {
            let first = index.cols[0].clone();
            index.tail = format!("{} WHERE {} IS NOT NULL", index.tail, t.col(&first));
        }
    }
    ctx.sql.stmt(&emit::drop_index(t, &t.indexes[i], false));
    ctx.sql
        .stmt(&emit::create_index(t, &index, IndexStyle::default()));
    let name = index.name.clone();
    ctx.plan.tables[ti].indexes[i] = index;
    Some(ctx.touch(ti, &name))
}

pub fn add_index(ctx: &mut Ctx, ti: usize, prefix: &str) -> Option<String> {
    let i = ctx.pick_column(ti, |t, i| {
        let c = &t.columns[i];
        c.generated.is_none()
            && !c.ty.eq_ignore_ascii_case("json")
            && c.kind != Kind::TsVector
            && !t.indexes.iter().any(|x| x.cols.first() == Some(&c.name))
    })?;
    let t = ctx.plan.tables[ti].clone();
    let col = t.columns[i].name.clone();
    let index = super::indexes::simple_index(ctx.plan, &t, &col, prefix);
    let style = IndexStyle {
        concurrently: !ctx.in_transaction && t.partitioning.is_none() && ctx.rng.chance(0.4),
        if_not_exists: ctx.rng.chance(0.3),
    };
    ctx.sql.stmt(&emit::create_index(&t, &index, style));
    let name = index.name.clone();
    ctx.plan.tables[ti].indexes.push(index);
    Some(ctx.touch(ti, &name))
}

pub fn drop_constraint(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    let candidates: Vec<usize> = (0..t.constraints.len())
        .filter(|&i| {
            let c = &t.constraints[i];
            matches!(
                c.kind,
                ConKind::Check | ConKind::Unique | ConKind::Foreign { .. }
            ) && !ctx.touched.contains(&ctx.key(ti, &c.name))
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let i = *ctx.rng.pick(&candidates);
    let name = t.constraints[i].name.clone();
    let if_exists = if ctx.rng.chance(0.3) {
        "IF EXISTS "
    } else {
        ""
    };
    ctx.sql.stmt(&format!(
        "{} DROP CONSTRAINT {if_exists}{}",
        alter(t),
        q(&name, t.prisma)
    ));
    ctx.plan.tables[ti].constraints.remove(i);
    Some(ctx.touch(ti, &name))
}

/// `ADD CONSTRAINT … CHECK (…) NOT VALID`, then `VALIDATE CONSTRAINT`: how large tables get checks.
pub fn add_check_not_valid(ctx: &mut Ctx, ti: usize) -> Option<String> {
    if ctx.plan.tables[ti].partitioning.is_some() {
        return None;
    }
    let i = ctx.pick_column(ti, free)?;
    let t = &ctx.plan.tables[ti];
    let col = t.columns[i].clone();
    let expr = columns::check_for(ctx.rng, &col, &t.col(&col.name))?;
    let schema = t.schema.clone();
    let wanted = format!("chk_{}_{}", t.name, col.name);
    let name = ctx.plan.take_constraint_name(&schema, &wanted, false);
    let t = &ctx.plan.tables[ti];
    let qn = q(&name, t.prisma);
    ctx.sql.stmt(&format!(
        "{} ADD CONSTRAINT {qn} CHECK ({expr}) NOT VALID",
        alter(t)
    ));
    ctx.sql
        .stmt(&format!("{} VALIDATE CONSTRAINT {qn}", alter(t)));
    ctx.plan.tables[ti].constraints.push(Constraint {
        name: name.clone(),
        implicit_name: false,
        kind: ConKind::Check,
        cols: vec![col.name.clone()],
        body: format!("CHECK ({expr})"),
        inline_body: String::new(),
        placement: Placement::Alter,
    });
    Some(ctx.touch(ti, &name))
}
