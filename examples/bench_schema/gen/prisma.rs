//! Prisma-style models: PascalCase tables and camelCase columns, every identifier quoted, TEXT
//! or SERIAL ids, `TIMESTAMP(3)`, unique *indexes* named `<Table>_<col>_key`, and foreign keys
//! added afterwards as `<Table>_<col>_fkey` — what `prisma migrate` writes.

use std::collections::BTreeSet;

use super::constraints::{self, NewConstraint};
use super::indexes;
use super::plan::{q, Column, ConKind, EnumType, Index, Kind, Placement, Plan, Table};
use super::rng::Rng;
use super::tables::{column_name, referenceable};
use super::words;

/// A Prisma enum (`CREATE TYPE "Role" AS ENUM (…)`) in public.
pub fn prisma_enum(rng: &mut Rng, plan: &mut Plan) -> Option<usize> {
    for _ in 0..10 {
        let base = rng.pick(words::PRISMA_ENUMS);
        let name = if rng.chance(0.5) {
            base.to_string()
        } else {
            format!("{}{base}", rng.pick(words::PRISMA_AREAS))
        };
        if plan.table_names.contains(&name) {
            continue;
        }
        plan.table_names.insert(name.clone());
        let mut labels: Vec<String> = words::PRISMA_LABELS.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut labels);
        labels.truncate(rng.range(2, 5));
        plan.enums.push(EnumType {
            schema: "public".into(),
            name,
            labels,
            prisma: true,
        });
        return Some(plan.enums.len() - 1);
    }
    None
}

fn model_name(rng: &mut Rng, plan: &mut Plan) -> String {
    for _ in 0..30 {
        let name = format!(
            "{}{}",
            rng.pick(words::PRISMA_AREAS),
            rng.pick(words::PRISMA_ENTITIES)
        );
        if !plan.table_names.contains(&name) {
            plan.table_names.insert(name.clone());
            return name;
        }
    }
    let mut n = 2;
    loop {
        let name = format!(
            "{}{}{n}",
            rng.pick(words::PRISMA_AREAS),
            rng.pick(words::PRISMA_ENTITIES)
        );
        if !plan.table_names.contains(&name) {
            plan.table_names.insert(name.clone());
            return name;
        }
        n += 1;
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_ascii_lowercase().to_string() + c.as_str()
    })
}

pub fn model(rng: &mut Rng, plan: &mut Plan) {
    let name = model_name(rng, plan);
    plan.relation_names.insert(("public".into(), name.clone()));
    let mut table = Table {
        schema: "public".into(),
        name,
        qualify: rng.chance(0.2),
        prisma: true,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        partitioning: None,
        pinned: BTreeSet::new(),
        pk: None,
    };
    let mut id = if rng.chance(0.6) {
        Column::new("id", Kind::Text, "TEXT")
    } else {
        let mut c = Column::new("id", Kind::Int, "SERIAL");
        c.serial = true;
        plan.choose_relation_name("public", &format!("{}_id", table.name), "seq");
        c
    };
    id.not_null = true;
    table.pk = Some(("id".into(), id.kind));
    table.columns.push(id);
    let pkey = format!("{}_pkey", table.name);
    constraints::add(
        plan,
        &mut table,
        NewConstraint {
            kind: ConKind::Primary,
            cols: vec!["id".into()],
            body: "PRIMARY KEY (\"id\")".into(),
            inline_body: String::new(),
            placement: Placement::TableLevel,
            name: Some(pkey),
        },
    );
    let targets = referenceable(plan, true);
    for _ in 0..[0, 1, 1, 2][rng.below(4)] {
        if targets.is_empty() {
            break;
        }
        let target = *rng.pick(&targets);
        let ref_name = plan.tables[target].name.clone();
        let Some((_, kind)) = plan.tables[target].pk.clone() else {
            continue;
        };
        let col = format!("{}Id", lower_first(&ref_name));
        if table.has_column(&col) {
            continue;
        }
        let not_null = rng.chance(0.7);
        let mut c = Column::new(
            &col,
            kind,
            if kind == Kind::Text {
                "TEXT"
            } else {
                "INTEGER"
            },
        );
        c.not_null = not_null;
        table.columns.push(c);
        constraints::foreign_key(rng, plan, &mut table, &col, target, !not_null);
    }
    let wanted = rng.range(5, 14);
    let enums: Vec<usize> = (0..plan.enums.len())
        .filter(|&i| plan.enums[i].prisma)
        .collect();
    while table.columns.len() + 2 < wanted {
        let taken: BTreeSet<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let roll = rng.below(10);
        let col = match roll {
            0..=3 => {
                let mut c = Column::new(
                    &column_name(rng, &taken, words::PRISMA_TEXT_COLS),
                    Kind::Text,
                    "TEXT",
                );
                c.not_null = rng.chance(0.6);
                c
            }
            4 => {
                let mut c = Column::new(
                    &column_name(rng, &taken, words::PRISMA_INT_COLS),
                    Kind::Int,
                    "INTEGER",
                );
                c.not_null = true;
                c.default = Some("0".into());
                c
            }
            5 => {
                let mut c = Column::new(
                    &column_name(rng, &taken, words::PRISMA_BOOL_COLS),
                    Kind::Bool,
                    "BOOLEAN",
                );
                c.not_null = true;
                c.default = Some("false".into());
                c
            }
            6 => Column::new(
                &column_name(rng, &taken, words::PRISMA_TIME_COLS),
                Kind::Timestamp,
                "TIMESTAMP(3)",
            ),
            7 if !enums.is_empty() => {
                let e = *rng.pick(&enums);
                let en = &plan.enums[e];
                let mut c = Column::new(
                    &column_name(rng, &taken, &["role", "plan", "status", "visibility"]),
                    Kind::Enum,
                    &q(&en.name, true),
                );
                c.not_null = true;
                c.default = Some(format!("'{}'", en.labels[0]));
                c.enum_type = Some(e);
                c
            }
            8 => Column::new(
                &column_name(rng, &taken, &["metadata", "data", "settings"]),
                Kind::Jsonb,
                "JSONB",
            ),
            _ => {
                let mut c = Column::new(
                    &column_name(rng, &taken, &["amount", "price", "balance"]),
                    Kind::Numeric,
                    "DECIMAL(65,30)",
                );
                c.not_null = rng.chance(0.5);
                c
            }
        };
        table.columns.push(col);
    }
    let mut created = Column::new("createdAt", Kind::Timestamp, "TIMESTAMP(3)");
    created.not_null = true;
    created.default = Some("CURRENT_TIMESTAMP".into());
    table.columns.push(created);
    let mut updated = Column::new("updatedAt", Kind::Timestamp, "TIMESTAMP(3)");
    updated.not_null = true;
    table.columns.push(updated);
    if let Some(col) = ["slug", "email", "externalId", "name"]
        .into_iter()
        .find(|c| table.has_column(c))
    {
        let name = plan.take_relation_name("public", &format!("{}_{col}_key", table.name));
        table.indexes.push(Index {
            name,
            implicit_name: false,
            unique: true,
            tail: format!("({})", q(col, true)),
            cols: vec![col.to_string()],
        });
    }
    let have = table.indexes.len();
    indexes::add_indexes(rng, plan, &mut table, 2 - have, 5 - have);
    plan.tables.push(table);
}
