//! The optional parts of a table: created/updated/deleted timestamps, unique, check and
//! exclusion constraints, and stored generated columns.

use super::columns;
use super::constraints::{self, NewConstraint};
use super::plan::{Column, ConKind, Kind, Placement, Plan, Table};
use super::rng::Rng;

pub fn add_timestamps(rng: &mut Rng, table: &mut Table) {
    if rng.chance(0.85) {
        let ty = *rng.pick(&["timestamptz", "timestamp with time zone"]);
        let mut c = Column::new("created_at", Kind::Timestamptz, ty);
        c.not_null = rng.chance(0.85);
        c.default = Some(
            rng.pick(&[
                "now()",
                "now()",
                "CURRENT_TIMESTAMP",
                "timezone('utc', now())",
            ])
            .to_string(),
        );
        // updated_at starts as a copy of created_at: same type and default.
        let mut updated = c.clone();
        table.columns.push(c);
        if rng.chance(0.75) {
            updated.name = "updated_at".into();
            updated.not_null = rng.chance(0.6);
            table.columns.push(updated);
        }
    }
    if rng.chance(0.2) {
        table
            .columns
            .push(Column::new("deleted_at", Kind::Timestamptz, "timestamptz"));
    }
}

pub fn add_unique(rng: &mut Rng, plan: &mut Plan, table: &mut Table) {
    let candidates: Vec<String> = table
        .columns
        .iter()
        .filter(|c| {
            matches!(c.kind, Kind::Varchar | Kind::Text | Kind::Uuid)
                && !table.in_use(&c.name)
                && c.ty != "json"
        })
        .map(|c| c.name.clone())
        .collect();
    let Some(col) = candidates.first().cloned() else {
        return;
    };
    let fk = table
        .constraints
        .iter()
        .find(|c| matches!(c.kind, ConKind::Foreign { .. }))
        .map(|c| c.cols[0].clone());
    let (cols, placement) = match fk {
        Some(fk) if rng.chance(0.35) => (
            vec![fk, col],
            if rng.chance(0.6) {
                Placement::TableLevel
            } else {
                Placement::Alter
            },
        ),
        _ => (vec![col], constraints::placement(rng, 0.5, 0.3)),
    };
    let list = cols
        .iter()
        .map(|c| table.col(c))
        .collect::<Vec<_>>()
        .join(", ");
    let name = if placement == Placement::Inline && rng.chance(0.9) {
        None
    } else {
        Some(format!("uq_{}_{}", table.name, cols.join("_")))
    };
    constraints::add(
        plan,
        table,
        NewConstraint {
            kind: ConKind::Unique,
            cols,
            body: format!("UNIQUE ({list})"),
            inline_body: "UNIQUE".into(),
            placement,
            name,
        },
    );
}

pub fn add_checks(rng: &mut Rng, plan: &mut Plan, table: &mut Table, count: usize) {
    for _ in 0..count {
        let candidates: Vec<usize> = (0..table.columns.len())
            .filter(|&i| {
                let c = &table.columns[i];
                !c.is_special()
                    && !table.in_use(&c.name)
                    && columns::check_for(&mut Rng::new(0), c, "x").is_some()
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let col = table.columns[*rng.pick(&candidates)].clone();
        let Some(expr) = columns::check_for(rng, &col, &table.col(&col.name)) else {
            continue;
        };
        let placement = constraints::placement(rng, 0.4, 0.35);
        let name = match placement {
            Placement::Inline if rng.chance(0.85) => None,
            _ => Some(format!(
                "{}_{}_{}",
                rng.pick(&["chk", "ck"]),
                table.name,
                col.name
            )),
        };
        constraints::add(
            plan,
            table,
            NewConstraint {
                kind: ConKind::Check,
                cols: vec![col.name.clone()],
                body: format!("CHECK ({expr})"),
                inline_body: format!("CHECK ({expr})"),
                placement,
                name,
            },
        );
    }
    if table.has_column("starts_at") && table.has_column("ends_at") && rng.chance(0.6) {
        constraints::add(
            plan,
            table,
            NewConstraint {
                kind: ConKind::Check,
                cols: vec!["starts_at".into(), "ends_at".into()],
                body: "CHECK (ends_at > starts_at)".into(),
                inline_body: String::new(),
                placement: Placement::TableLevel,
                name: Some(format!("chk_{}_period", table.name)),
            },
        );
    }
}

pub fn add_exclusion(plan: &mut Plan, table: &mut Table) {
    let mut period = Column::new("period", Kind::TsRange, "tstzrange");
    period.not_null = true;
    table.columns.push(period);
    constraints::add(
        plan,
        table,
        NewConstraint {
            kind: ConKind::Exclude,
            cols: vec!["period".into()],
            body: "EXCLUDE USING gist (period WITH &&)".into(),
            inline_body: String::new(),
            placement: Placement::TableLevel,
            name: Some(format!("excl_{}_period", table.name)),
        },
    );
}

pub fn add_generated(rng: &mut Rng, table: &mut Table) {
    let source = ["title", "name", "headline", "summary"]
        .into_iter()
        .find(|n| table.column(n).is_some_and(|c| c.kind == Kind::Text));
    let Some(source) = source else { return };
    let mut col = if rng.chance(0.5) {
        let mut c = Column::new("search", Kind::TsVector, "tsvector");
        c.generated = Some(format!(
            "to_tsvector('simple'::regconfig, COALESCE({source}, ''::text))"
        ));
        c
    } else {
        let mut c = Column::new(&format!("{source}_key"), Kind::Text, "text");
        c.generated = Some(format!("lower({source})"));
        c
    };
    col.not_null = false;
    table.pinned.insert(source.to_string());
    table.columns.push(col);
}
