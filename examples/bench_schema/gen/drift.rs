//! Drift: what happens to a database outside its migrations — hot-fixes and experiments that
//! drop or change about 2 % of the objects (columns dropped, retyped or made (not) nullable,
//! defaults changed, indexes dropped or redefined, constraints dropped) and add a few (tables,
//! columns, indexes). Each change touches a distinct object of the migrated schema.

use std::collections::{BTreeMap, BTreeSet};

use super::emit::Sql;
use super::index_ops;
use super::ops::{self, Ctx};
use super::plan::Plan;
use super::rng::Rng;

/// Change kinds and their weights.
pub const CHANGES: &[(&str, u32)] = &[
    ("column-dropped", 14),
    ("column-retyped", 12),
    ("column-nullability", 15),
    ("column-default", 15),
    ("index-dropped", 10),
    ("index-changed", 8),
    ("constraint-dropped", 10),
    ("column-added", 8),
    ("index-added", 5),
    ("table-added", 3),
];

fn pick(rng: &mut Rng) -> &'static str {
    let total: u32 = CHANGES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total as usize) as u32;
    for (name, weight) in CHANGES {
        if roll < *weight {
            return name;
        }
        roll -= weight;
    }
    "column-default"
}

/// Apply `changes` drift changes to `plan`; returns the SQL and the number of each kind.
pub fn apply(rng: &mut Rng, plan: &mut Plan, changes: usize) -> (Sql, BTreeMap<String, usize>) {
    let mut sql = Sql::default();
    sql.comment("Changes made on this database outside the migrations (hot-fixes, experiments).");
    let base = plan.tables.len();
    let mut touched = BTreeSet::new();
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    let mut done = 0;
    let mut attempts = 0;
    while done < changes && attempts < changes * 50 + 100 {
        attempts += 1;
        let kind = pick(rng);
        let ti = rng.below(base);
        let result = if kind == "table-added" {
            let before = plan.tables.len();
            super::tables::ordinary(rng, plan);
            super::batch::emit_tables(rng, plan, &mut sql, before..plan.tables.len(), false);
            Some(plan.tables[before].name.clone())
        } else {
            let mut ctx = Ctx {
                rng: &mut *rng,
                plan: &mut *plan,
                sql: &mut sql,
                touched: &mut touched,
                in_transaction: false,
            };
            match kind {
                "column-dropped" => ops::drop_column(&mut ctx, ti),
                "column-retyped" => ops::retype(&mut ctx, ti),
                "column-nullability" => ops::flip_nullability(&mut ctx, ti),
                "column-default" => ops::change_default(&mut ctx, ti, true),
                "index-dropped" => index_ops::drop_index(&mut ctx, ti),
                "index-changed" => index_ops::change_index(&mut ctx, ti),
                "constraint-dropped" => index_ops::drop_constraint(&mut ctx, ti),
                "column-added" => ops::add_column(&mut ctx, ti),
                _ => index_ops::add_index(&mut ctx, ti, "tmp"),
            }
        };
        if result.is_some() {
            done += 1;
            *made.entry(kind.to_string()).or_default() += 1;
        }
    }
    (sql, made)
}
