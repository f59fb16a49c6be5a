//! Changes to an existing table, shared by later migrations (`history`) and by drift: each one
//! checks that PostgreSQL will accept it (no column something depends on is dropped or retyped),
//! updates the plan, writes its SQL, and names the object it touched.

use std::collections::BTreeSet;

use super::columns;
use super::emit::{self, IndexStyle, Sql};
use super::plan::{q, ConKind, Constraint, Kind, Placement, Plan, Table};
use super::rng::Rng;
use super::tables::column_name;

pub struct Ctx<'a> {
    pub rng: &'a mut Rng,
    pub plan: &'a mut Plan,
    pub sql: &'a mut Sql,
    /// Objects already changed (drift changes each object at most once).
    pub touched: &'a mut BTreeSet<String>,
    /// Inside BEGIN … COMMIT: no CREATE INDEX CONCURRENTLY.
    pub in_transaction: bool,
}

impl Ctx<'_> {
    fn key(&self, ti: usize, object: &str) -> String {
        let t = &self.plan.tables[ti];
        format!("{}.{}.{object}", t.schema, t.name)
    }

    /// Pick a column of table `ti` that passes `ok` and was not touched yet.
    fn pick_column(&mut self, ti: usize, ok: impl Fn(&Table, usize) -> bool) -> Option<usize> {
        let t = &self.plan.tables[ti];
        let candidates: Vec<usize> = (0..t.columns.len())
            .filter(|&i| ok(t, i) && !self.touched.contains(&self.key(ti, &t.columns[i].name)))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        Some(*self.rng.pick(&candidates))
    }

    fn touch(&mut self, ti: usize, object: &str) -> String {
        let key = self.key(ti, object);
        self.touched.insert(key.clone());
        key
    }
}

/// Not tied to anything: no index, constraint, view, generated column or partition key uses
/// it, and it is no id, serial, identity or generated column itself.
fn free(t: &Table, i: usize) -> bool {
    let c = &t.columns[i];
    c.name != "id" && !c.is_special() && !t.in_use(&c.name)
}

fn alter(t: &Table) -> String {
    format!("ALTER TABLE {}", t.qname())
}

pub fn add_column(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let t = &ctx.plan.tables[ti];
    let taken: BTreeSet<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let kind = if t.prisma {
        *ctx.rng.pick(&[Kind::Text, Kind::Int, Kind::Bool])
    } else {
        columns::pick_kind(ctx.rng, false)
    };
    let name = column_name(ctx.rng, &taken, columns::names_for(kind));
    let mut col = columns::column(ctx.rng, &name, kind, None);
    if t.prisma {
        col.ty = match kind {
            Kind::Text => "TEXT".into(),
            Kind::Int => "INTEGER".into(),
            _ => "BOOLEAN".into(),
        };
        col.default = None;
        col.not_null = false;
    }
    // A NOT NULL column added to a table needs a default (the tables are empty here, but a
    // migration author writes it for the tables that are not).
    if col.default.is_none() {
        col.not_null = false;
    }
    let mut s = format!(
        "{} ADD COLUMN {}{} {}",
        alter(t),
        if ctx.rng.chance(0.15) {
            "IF NOT EXISTS "
        } else {
            ""
        },
        t.col(&name),
        col.ty
    );
    if col.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &col.default {
        s.push_str(" DEFAULT ");
        s.push_str(d);
    }
    ctx.sql.stmt(&s);
    ctx.plan.tables[ti].columns.push(col);
    Some(ctx.touch(ti, &name))
}

fn defaultable(t: &Table, i: usize) -> bool {
    let c = &t.columns[i];
    !c.is_special()
        && c.name != "id"
        && !matches!(
            c.kind,
            Kind::Inet | Kind::Bytea | Kind::TsRange | Kind::TsVector | Kind::Uuid
        )
}

/// A default that is surely different (in value, not only in spelling) from every default
/// `columns::default_for` hands out.
fn other_default(rng: &mut Rng, plan: &Plan, t: &Table, i: usize) -> Option<String> {
    let c = &t.columns[i];
    Some(match c.kind {
        Kind::SmallInt | Kind::Int | Kind::BigInt => "42".into(),
        Kind::Numeric => "9.99".into(),
        Kind::Double => "42.5".into(),
        Kind::Text | Kind::Varchar => "'drifted'".into(),
        Kind::Char => "'ZZ'".into(),
        Kind::Bool => match c.default.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("true") => "false".into(),
            _ => "true".into(),
        },
        Kind::Timestamptz => "(now() + '2 days'::interval)".into(),
        Kind::Timestamp => "'2020-01-01 00:00:00'::timestamp without time zone".into(),
        Kind::Date => "'1999-12-31'::date".into(),
        Kind::Interval => "'00:42:00'::interval".into(),
        Kind::Jsonb if c.ty.eq_ignore_ascii_case("json") => "'{\"drifted\": true}'::json".into(),
        Kind::Jsonb => "'{\"drifted\": true}'::jsonb".into(),
        Kind::TextArray => "'{drifted}'".into(),
        Kind::IntArray => "'{42}'".into(),
        Kind::Enum => {
            let e = &plan.enums[c.enum_type?];
            let current = c.default.as_deref().unwrap_or("");
            let labels: Vec<&String> = e
                .labels
                .iter()
                .filter(|l| !current.starts_with(&format!("'{l}'")))
                .collect();
            if labels.is_empty() {
                return None;
            }
            format!("'{}'", rng.pick(&labels))
        }
        Kind::Uuid | Kind::Inet | Kind::Bytea | Kind::TsRange | Kind::TsVector => return None,
    })
}

/// SET DEFAULT (to a new value) or DROP DEFAULT.
pub fn change_default(ctx: &mut Ctx, ti: usize, distinct: bool) -> Option<String> {
    let i = ctx.pick_column(ti, defaultable)?;
    let t = &ctx.plan.tables[ti];
    let c = &t.columns[i];
    let drop = c.default.is_some() && ctx.rng.chance(0.3);
    let new = if drop {
        None
    } else if distinct {
        Some(other_default(ctx.rng, ctx.plan, t, i)?)
    } else {
        let e = c.enum_type.map(|e| &ctx.plan.enums[e]);
        Some(columns::default_for(ctx.rng, c, e)?)
    };
    let s = match &new {
        Some(d) => format!(
            "{} ALTER COLUMN {} SET DEFAULT {d}",
            alter(t),
            t.col(&c.name)
        ),
        None => format!("{} ALTER COLUMN {} DROP DEFAULT", alter(t), t.col(&c.name)),
    };
    let name = c.name.clone();
    ctx.sql.stmt(&s);
    ctx.plan.tables[ti].columns[i].default = new;
    Some(ctx.touch(ti, &name))
}

/// A type change PostgreSQL makes without USING on an empty table, defaults included.
pub fn retype(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = ctx.pick_column(ti, |t, i| {
        free(t, i)
            && matches!(
                t.columns[i].kind,
                Kind::Varchar
                    | Kind::Text
                    | Kind::Int
                    | Kind::SmallInt
                    | Kind::Numeric
                    | Kind::Timestamptz
            )
    })?;
    let t = &ctx.plan.tables[ti];
    let c = &t.columns[i];
    let (kind, ty) = match c.kind {
        Kind::Varchar => {
            let n: usize =
                c.ty.rsplit('(')
                    .next()
                    .and_then(|s| s.trim_end_matches(')').parse().ok())
                    .unwrap_or(100);
            (
                Kind::Varchar,
                format!("varchar({})", if c.ty.contains('(') { n * 2 } else { 255 }),
            )
        }
        Kind::Text => (Kind::Varchar, "varchar(500)".to_string()),
        Kind::Int => (Kind::BigInt, "bigint".to_string()),
        Kind::SmallInt => (Kind::Int, "integer".to_string()),
        Kind::Numeric => (
            Kind::Numeric,
            if c.ty.contains("(18,") {
                "numeric(20,4)".into()
            } else {
                "numeric(18,6)".into()
            },
        ),
        _ => (Kind::Timestamp, "timestamp".to_string()),
    };
    let using = if kind == Kind::BigInt && ctx.rng.chance(0.3) {
        format!(" USING {}::bigint", t.col(&c.name))
    } else {
        String::new()
    };
    let s = format!(
        "{} ALTER COLUMN {} TYPE {ty}{using}",
        alter(t),
        t.col(&c.name)
    );
    let name = c.name.clone();
    ctx.sql.stmt(&s);
    let col = &mut ctx.plan.tables[ti].columns[i];
    col.kind = kind;
    col.ty = ty;
    Some(ctx.touch(ti, &name))
}

pub fn flip_nullability(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = ctx.pick_column(ti, |t, i| {
        let c = &t.columns[i];
        c.name != "id" && !c.is_special() && !t.pinned.contains(&c.name) && !in_key(t, &c.name)
    })?;
    let t = &ctx.plan.tables[ti];
    let c = &t.columns[i];
    let s = format!(
        "{} ALTER COLUMN {} {} NOT NULL",
        alter(t),
        t.col(&c.name),
        if c.not_null { "DROP" } else { "SET" }
    );
    let name = c.name.clone();
    ctx.sql.stmt(&s);
    let col = &mut ctx.plan.tables[ti].columns[i];
    col.not_null = !col.not_null;
    Some(ctx.touch(ti, &name))
}

/// Part of the primary key or an exclusion constraint (their columns must stay NOT NULL).
fn in_key(t: &Table, col: &str) -> bool {
    t.constraints.iter().any(|c| {
        matches!(c.kind, ConKind::Primary | ConKind::Exclude) && c.cols.iter().any(|k| k == col)
    })
}

pub fn drop_column(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = ctx.pick_column(ti, free)?;
    let t = &ctx.plan.tables[ti];
    let name = t.columns[i].name.clone();
    let if_exists = if ctx.rng.chance(0.2) {
        "IF EXISTS "
    } else {
        ""
    };
    ctx.sql.stmt(&format!(
        "{} DROP COLUMN {if_exists}{}",
        alter(t),
        t.col(&name)
    ));
    ctx.plan.tables[ti].columns.remove(i);
    Some(ctx.touch(ti, &name))
}

pub fn rename_column(ctx: &mut Ctx, ti: usize) -> Option<String> {
    let i = ctx.pick_column(ti, free)?;
    let t = &ctx.plan.tables[ti];
    let old = t.columns[i].name.clone();
    let taken: BTreeSet<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let new = column_name(ctx.rng, &taken, columns::names_for(t.columns[i].kind));
    ctx.sql.stmt(&format!(
        "{} RENAME COLUMN {} TO {}",
        alter(t),
        t.col(&old),
        t.col(&new)
    ));
    ctx.plan.tables[ti].columns[i].name = new.clone();
    Some(ctx.touch(ti, &new))
}

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
