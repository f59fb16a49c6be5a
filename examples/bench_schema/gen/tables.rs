//! Ordinary tables (and join tables): an id of one of the usual kinds (serial, identity, uuid),
//! foreign-key columns to earlier tables, 5–25 columns in all, timestamps, primary key, unique,
//! check and the odd exclusion constraint, generated columns, and their indexes.

use std::collections::BTreeSet;

use super::columns;
use super::constraints::{self, NewConstraint};
use super::indexes;
use super::plan::{q, Column, ConKind, Kind, Placement, Plan, Table};
use super::rng::Rng;
use super::table_parts::{add_checks, add_exclusion, add_generated, add_timestamps, add_unique};
use super::words;

pub fn pick_schema(rng: &mut Rng) -> String {
    let total: u32 = words::SCHEMAS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total as usize) as u32;
    for (name, weight) in words::SCHEMAS {
        if roll < *weight {
            return name.to_string();
        }
        roll -= weight;
    }
    "public".into()
}

/// A fresh snake_case table name of at most `max` bytes, unique across schemas.
pub fn table_name(rng: &mut Rng, plan: &mut Plan, max: usize) -> String {
    for attempt in 0..40 {
        let area = rng.pick(words::AREAS);
        let entity = rng.pick(words::ENTITIES);
        let name = if attempt < 4 && rng.chance(0.35) {
            format!("{area}_{entity}")
        } else {
            format!("{area}_{entity}_{}", rng.pick(words::MODIFIERS))
        };
        if name.len() <= max && !plan.table_names.contains(&name) {
            plan.table_names.insert(name.clone());
            return name;
        }
    }
    let mut n = plan.tables.len();
    loop {
        let name = super::plan::truncate(
            &format!(
                "{}_{}_{n}",
                rng.pick(words::AREAS),
                rng.pick(words::ENTITIES)
            ),
            max,
        );
        if !plan.table_names.contains(&name) {
            plan.table_names.insert(name.clone());
            return name;
        }
        n += 1;
    }
}

/// A column name not yet used in the table: from the kind's pool, else numbered.
pub fn column_name(rng: &mut Rng, taken: &BTreeSet<String>, pool: &[&str]) -> String {
    for _ in 0..6 {
        let name = rng.pick(pool).to_string();
        if !taken.contains(&name) {
            return name;
        }
    }
    let base = rng.pick(pool).to_string();
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or(base)
}

fn singular(table_name: &str) -> String {
    let word = table_name.split('_').nth(1).unwrap_or("item");
    let word = word
        .strip_suffix("ies")
        .map(|w| format!("{w}y"))
        .unwrap_or_else(|| {
            word.strip_suffix("sses")
                .map(|w| format!("{w}ss"))
                .or_else(|| {
                    word.strip_suffix("es")
                        .filter(|w| w.ends_with("ss") || w.ends_with("x"))
                        .map(String::from)
                })
                .unwrap_or_else(|| word.strip_suffix('s').unwrap_or(word).to_string())
        });
    word
}

fn empty_table(rng: &mut Rng, plan: &mut Plan) -> Table {
    let schema = pick_schema(rng);
    let name = table_name(rng, plan, 29);
    plan.relation_names.insert((schema.clone(), name.clone()));
    Table {
        qualify: schema == "public" && rng.chance(0.3),
        schema,
        name,
        prisma: false,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        partitioning: None,
        pinned: BTreeSet::new(),
        pk: None,
    }
}

/// The id column and its primary key.
fn id_column(rng: &mut Rng, plan: &mut Plan, table: &mut Table) {
    let roll = rng.below(100);
    let mut col = match roll {
        0..=29 => {
            let mut c = Column::new("id", Kind::BigInt, "bigserial");
            c.serial = true;
            c
        }
        30..=44 => {
            let ty = *rng.pick(&["serial", "serial4"]);
            let mut c = Column::new("id", Kind::Int, ty);
            c.serial = true;
            c
        }
        45..=64 => {
            let mut c = Column::new("id", Kind::BigInt, "bigint");
            c.identity = Some("ALWAYS");
            c
        }
        65..=74 => {
            let mut c = Column::new("id", Kind::Int, "integer");
            c.identity = Some("BY DEFAULT");
            c
        }
        75..=95 => {
            let mut c = Column::new("id", Kind::Uuid, "uuid");
            c.default = Some("gen_random_uuid()".into());
            c
        }
        _ => Column::new("id", Kind::BigInt, "bigint"),
    };
    col.not_null = true;
    if col.serial || col.identity.is_some() {
        let stem = format!("{}_id", table.name);
        plan.choose_relation_name(&table.schema, &stem, "seq");
    }
    table.pk = Some(("id".into(), col.kind));
    table.columns.push(col);
    let placement = constraints::placement(rng, 0.7, 0.25);
    let name = match placement {
        Placement::TableLevel if rng.chance(0.5) => Some(format!("pk_{}", table.name)),
        Placement::Alter => Some(format!("{}_pkey", table.name)),
        _ => None,
    };
    constraints::add(
        plan,
        table,
        NewConstraint {
            kind: ConKind::Primary,
            cols: vec!["id".into()],
            body: "PRIMARY KEY (id)".into(),
            inline_body: "PRIMARY KEY".into(),
            placement,
            name,
        },
    );
}

/// A column holding a reference to `target`'s primary key of `kind`.
pub fn fk_column(name: &str, kind: Kind, not_null: bool) -> Column {
    let ty = match kind {
        Kind::Int => "integer",
        Kind::Uuid => "uuid",
        Kind::Text => "text",
        _ => "bigint",
    };
    let mut col = Column::new(name, kind, ty);
    col.not_null = not_null;
    col
}

/// Earlier tables a foreign key may point at (single-column primary key, not partitioned).
pub fn referenceable(plan: &Plan, prisma: bool) -> Vec<usize> {
    plan.tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.pk.is_some() && t.partitioning.is_none() && t.prisma == prisma)
        .map(|(i, _)| i)
        .collect()
}

fn add_foreign_keys(
    rng: &mut Rng,
    plan: &mut Plan,
    table: &mut Table,
    targets: &[usize],
    count: usize,
) {
    for _ in 0..count {
        if targets.is_empty() {
            break;
        }
        let target = *rng.pick(targets);
        let ref_table = &plan.tables[target];
        let Some((_, kind)) = ref_table.pk.clone() else {
            continue;
        };
        let taken: BTreeSet<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let mut name = format!("{}_id", singular(&ref_table.name));
        if taken.contains(&name) {
            name = format!("{}_{name}", rng.pick(words::ROLE_PREFIXES));
        }
        if taken.contains(&name) {
            continue;
        }
        let not_null = rng.chance(0.6);
        table.columns.push(fk_column(&name, kind, not_null));
        constraints::foreign_key(rng, plan, table, &name, target, !not_null);
    }
}

pub fn add_regular_columns(rng: &mut Rng, plan: &Plan, table: &mut Table, until: usize) {
    let have_enums = plan.enums.iter().any(|e| !e.prisma);
    while table.columns.len() < until {
        let kind = columns::pick_kind(rng, have_enums);
        let taken: BTreeSet<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let name = column_name(rng, &taken, columns::names_for(kind));
        let enum_idx = if kind == Kind::Enum {
            let candidates: Vec<usize> = (0..plan.enums.len())
                .filter(|&i| !plan.enums[i].prisma)
                .collect();
            Some(*rng.pick(&candidates))
        } else {
            None
        };
        let mut col = columns::column(rng, &name, kind, enum_idx.map(|i| &plan.enums[i]));
        col.enum_type = enum_idx;
        table.columns.push(col);
    }
}

/// Build an ordinary table (a join table now and then) and add it to the plan.
pub fn ordinary(rng: &mut Rng, plan: &mut Plan) {
    let mut table = empty_table(rng, plan);
    let targets = referenceable(plan, false);
    let total_cols = rng.range(5, 25);
    let join = targets.len() >= 2 && rng.chance(0.05);
    if join {
        add_foreign_keys(rng, plan, &mut table, &targets, 2);
        for c in &mut table.columns {
            c.not_null = true;
        }
        let cols: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        if cols.len() == 2 {
            let list = cols
                .iter()
                .map(|c| q(c, false))
                .collect::<Vec<_>>()
                .join(", ");
            let name = if rng.chance(0.5) {
                None
            } else {
                Some(format!("pk_{}", table.name))
            };
            constraints::add(
                plan,
                &mut table,
                NewConstraint {
                    kind: ConKind::Primary,
                    cols,
                    body: format!("PRIMARY KEY ({list})"),
                    inline_body: String::new(),
                    placement: Placement::TableLevel,
                    name,
                },
            );
        }
    } else {
        id_column(rng, plan, &mut table);
        if rng.chance(0.05) {
            let kind = table.pk.as_ref().map_or(Kind::BigInt, |p| p.1);
            table.columns.push(fk_column("parent_id", kind, false));
            let me = plan.tables.len();
            constraints::foreign_key(rng, plan, &mut table, "parent_id", me, true);
        }
        let fk_count = [0, 0, 1, 1, 1, 1, 1, 2, 2, 3][rng.below(10)];
        add_foreign_keys(rng, plan, &mut table, &targets, fk_count);
    }
    // created_at / updated_at / deleted_at come after (1.7 columns on average).
    let timestamps = 1;
    let until = total_cols
        .saturating_sub(timestamps)
        .max(table.columns.len() + 1);
    add_regular_columns(rng, plan, &mut table, until);
    add_timestamps(rng, &mut table);
    if rng.chance(0.04) {
        add_generated(rng, &mut table);
    }
    if rng.chance(0.25) {
        add_unique(rng, plan, &mut table);
    }
    let checks = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2][rng.below(10)];
    add_checks(rng, plan, &mut table, checks);
    if !join && rng.chance(0.01) {
        add_exclusion(plan, &mut table);
    }
    indexes::add_indexes(rng, plan, &mut table, 2, 5);
    plan.tables.push(table);
}
