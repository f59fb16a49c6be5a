//! Changes to an existing table, shared by later migrations (`history`) and by drift: each one
//! checks that PostgreSQL will accept it (no column something depends on is dropped or retyped),
//! updates the plan, writes its SQL, and names the object it touched.

use std::collections::BTreeSet;

use super::columns;
use super::emit::Sql;
use super::plan::{ConKind, Kind, Plan, Table};
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
    pub fn key(&self, ti: usize, object: &str) -> String {
        let t = &self.plan.tables[ti];
        format!("{}.{}.{object}", t.schema, t.name)
    }

    /// Pick a column of table `ti` that passes `ok` and was not touched yet.
    pub fn pick_column(&mut self, ti: usize, ok: impl Fn(&Table, usize) -> bool) -> Option<usize> {
        let t = &self.plan.tables[ti];
        let candidates: Vec<usize> = (0..t.columns.len())
            .filter(|&i| ok(t, i) && !self.touched.contains(&self.key(ti, &t.columns[i].name)))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        Some(*self.rng.pick(&candidates))
    }

    pub fn touch(&mut self, ti: usize, object: &str) -> String {
        let key = self.key(ti, object);
        self.touched.insert(key.clone());
        key
    }
}

/// Not tied to anything: no index, constraint, view, generated column or partition key uses
/// it, and it is no id, serial, identity or generated column itself.
pub fn free(t: &Table, i: usize) -> bool {
    let c = &t.columns[i];
    c.name != "id" && !c.is_special() && !t.in_use(&c.name)
}

pub fn alter(t: &Table) -> String {
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
