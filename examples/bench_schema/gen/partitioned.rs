//! Partitioned tables with their partitions: RANGE on a date (quarters plus DEFAULT), LIST on a
//! region, HASH on the id. The primary key includes the partition key, as PostgreSQL requires;
//! every partition gets its own copy of the parent's indexes and constraints.

use std::collections::BTreeSet;

use super::constraints::{self, NewConstraint};
use super::indexes;
use super::plan::{Column, ConKind, Kind, Partitioning, Placement, Plan, Table};
use super::rng::Rng;
use super::table_parts::add_checks;
use super::tables::{add_regular_columns, referenceable, table_name};

/// Build a partitioned table with up to `budget - 1` partitions; returns the relations made.
pub fn family(rng: &mut Rng, plan: &mut Plan, budget: usize) -> usize {
    let schema = rng
        .pick(&["public", "public", "analytics", "audit"])
        .to_string();
    let name = table_name(rng, plan, 20);
    plan.relation_names.insert((schema.clone(), name.clone()));
    let mut table = Table {
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
    };
    let mut id = if rng.chance(0.5) {
        let mut c = Column::new("id", Kind::BigInt, "bigserial");
        c.serial = true;
        plan.choose_relation_name(&table.schema, &format!("{}_id", table.name), "seq");
        c
    } else {
        let mut c = Column::new("id", Kind::Uuid, "uuid");
        c.default = Some("gen_random_uuid()".into());
        c
    };
    id.not_null = true;
    table.columns.push(id);

    let parts = rng.range(3, 5).min(budget.saturating_sub(1)).max(1);
    let (key, by, bounds) = match rng.below(4) {
        0 | 1 => {
            let mut c = Column::new("event_date", Kind::Date, "date");
            c.not_null = true;
            c.default = Some("CURRENT_DATE".into());
            table.columns.push(c);
            let quarters = ["01", "04", "07", "10", "01"];
            let mut bounds: Vec<(String, String)> = (0..parts.saturating_sub(1).min(4))
                .map(|i| {
                    let from_year = 2024;
                    let to_year = if i == 3 { 2025 } else { 2024 };
                    (
                        format!("2024_q{}", i + 1),
                        format!(
                            "FOR VALUES FROM ('{from_year}-{}-01') TO ('{to_year}-{}-01')",
                            quarters[i],
                            quarters[i + 1]
                        ),
                    )
                })
                .collect();
            bounds.push(("default".into(), "DEFAULT".into()));
            ("event_date", "RANGE (event_date)", bounds)
        }
        2 => {
            let mut c = Column::new("region", Kind::Text, "text");
            c.not_null = true;
            c.default = Some("'eu'".into());
            table.columns.push(c);
            let regions = [
                ("eu", "'eu'"),
                ("us", "'us', 'ca'"),
                ("apac", "'jp', 'au', 'sg'"),
                ("latam", "'br'"),
            ];
            let mut bounds: Vec<(String, String)> = regions
                .iter()
                .take(parts.saturating_sub(1).max(1))
                .map(|(n, v)| (n.to_string(), format!("FOR VALUES IN ({v})")))
                .collect();
            if bounds.len() < parts {
                bounds.push(("other".into(), "DEFAULT".into()));
            }
            ("region", "LIST (region)", bounds)
        }
        _ => {
            let bounds = (0..parts)
                .map(|r| {
                    (
                        format!("h{r}"),
                        format!("FOR VALUES WITH (MODULUS {parts}, REMAINDER {r})"),
                    )
                })
                .collect();
            ("id", "HASH (id)", bounds)
        }
    };
    table.pinned.insert(key.to_string());
    let pk_cols: Vec<String> = if key == "id" {
        vec!["id".into()]
    } else {
        vec!["id".into(), key.to_string()]
    };
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
            body: format!("PRIMARY KEY ({})", pk_cols.join(", ")),
            cols: pk_cols,
            inline_body: String::new(),
            placement: Placement::TableLevel,
            name,
        },
    );
    let targets = referenceable(plan, false);
    if !targets.is_empty() && rng.chance(0.6) {
        let target = *rng.pick(&targets);
        if let Some((_, kind)) = plan.tables[target].pk.clone() {
            let col = "owner_id";
            table
                .columns
                .push(super::tables::fk_column(col, kind, false));
            constraints::foreign_key(rng, plan, &mut table, col, target, true);
        }
    }
    let total = rng.range(6, 16);
    let until = total.saturating_sub(1).max(table.columns.len() + 1);
    add_regular_columns(rng, plan, &mut table, until);
    let mut created = Column::new("created_at", Kind::Timestamptz, "timestamptz");
    created.not_null = true;
    created.default = Some("now()".into());
    table.columns.push(created);
    if rng.chance(0.3) {
        add_checks(rng, plan, &mut table, 1);
    }
    for (suffix, _) in &bounds {
        let partition = format!("{}_{suffix}", table.name);
        plan.relation_names
            .insert((table.schema.clone(), partition.clone()));
        plan.choose_relation_name(&table.schema, &partition, "pkey");
    }
    table.partitioning = Some(Partitioning {
        by: by.to_string(),
        partitions: bounds
            .into_iter()
            .map(|(s, b)| (format!("{}_{s}", table.name), b))
            .collect(),
    });
    indexes::add_indexes(rng, plan, &mut table, 2, 4);
    let relations = table.relations();
    plan.tables.push(table);
    relations
}
