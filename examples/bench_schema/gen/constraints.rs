//! Adding constraints to a table being built: the name PostgreSQL will give it (or the one the
//! migration gives), and its table-level and column-level spellings.

use super::plan::{ConKind, Constraint, Placement, Plan, Table};
use super::rng::Rng;

/// A constraint to add: what it is, and how the migration writes it.
pub struct NewConstraint {
    pub kind: ConKind,
    pub cols: Vec<String>,
    /// Table-level text after `CONSTRAINT name`.
    pub body: String,
    /// Column-level text (only used with `Placement::Inline`).
    pub inline_body: String,
    pub placement: Placement,
    /// `None`: let PostgreSQL choose the name.
    pub name: Option<String>,
}

/// Register the constraint's name the way PostgreSQL would choose or accept it, and add it.
pub fn add(plan: &mut Plan, table: &mut Table, new: NewConstraint) -> String {
    let indexed = matches!(
        new.kind,
        ConKind::Primary | ConKind::Unique | ConKind::Exclude
    );
    let (name, implicit_name) = match new.name {
        Some(wanted) => (
            plan.take_constraint_name(&table.schema, &wanted, indexed),
            false,
        ),
        None => {
            // ChooseConstraintName / ChooseIndexName stems (src/backend/commands/indexcmds.c,
            // tablecmds.c): the table name, then the columns joined by `_`, then the label.
            let (stem, label) = match new.kind {
                ConKind::Primary => (table.name.clone(), "pkey"),
                ConKind::Unique => (format!("{}_{}", table.name, new.cols.join("_")), "key"),
                ConKind::Check => (format!("{}_{}", table.name, new.cols[0]), "check"),
                ConKind::Foreign { .. } => {
                    (format!("{}_{}", table.name, new.cols.join("_")), "fkey")
                }
                ConKind::Exclude => (format!("{}_{}", table.name, new.cols.join("_")), "excl"),
            };
            (
                plan.choose_constraint_name(&table.schema, &stem, label, indexed),
                true,
            )
        }
    };
    table.constraints.push(Constraint {
        name: name.clone(),
        implicit_name,
        kind: new.kind,
        cols: new.cols,
        body: new.body,
        inline_body: new.inline_body,
        placement: new.placement,
    });
    name
}

/// Inline, at the end of CREATE TABLE, or in a later ALTER TABLE, with these odds.
pub fn placement(rng: &mut Rng, inline: f64, table_level: f64) -> Placement {
    let roll = rng.below(1000) as f64 / 1000.0;
    if roll < inline {
        Placement::Inline
    } else if roll < inline + table_level {
        Placement::TableLevel
    } else {
        Placement::Alter
    }
}

/// A foreign key from `cols` of `table` to the primary key of `plan.tables[target]` (or of
/// `table` itself when `target` is its own future index).
pub fn foreign_key(
    rng: &mut Rng,
    plan: &mut Plan,
    table: &mut Table,
    col: &str,
    target: usize,
    nullable: bool,
) -> String {
    let (ref_qname, ref_col, ref_prisma) = if target == plan.tables.len() {
        let pk = table.pk.as_ref().map(|p| p.0.clone()).unwrap_or_default();
        (table.qname(), pk, table.prisma)
    } else {
        let t = &plan.tables[target];
        let pk = t.pk.as_ref().map(|p| p.0.clone()).unwrap_or_default();
        (t.qname(), pk, t.prisma)
    };
    let mut actions: Vec<&str> = if table.prisma {
        vec![
            " ON DELETE CASCADE ON UPDATE CASCADE",
            " ON DELETE RESTRICT ON UPDATE CASCADE",
        ]
    } else {
        vec![
            "",
            "",
            " ON DELETE CASCADE",
            " ON DELETE CASCADE",
            " ON DELETE RESTRICT",
            " ON UPDATE CASCADE ON DELETE CASCADE",
            " DEFERRABLE INITIALLY DEFERRED",
        ]
    };
    if nullable {
        actions.push(if table.prisma {
            " ON DELETE SET NULL ON UPDATE CASCADE"
        } else {
            " ON DELETE SET NULL"
        });
    }
    let action = rng.pick(&actions).to_string();
    let ref_col_q = super::plan::q(&ref_col, ref_prisma);
    // `REFERENCES t` without a column list means its primary key; some migrations rely on it.
    let target_text = if !table.prisma && rng.chance(0.1) {
        ref_qname
    } else {
        format!("{ref_qname} ({ref_col_q})")
    };
    let col_q = table.col(col);
    let self_reference = target == plan.tables.len();
    let (placement, name) = if table.prisma || self_reference {
        // A self-reference waits for the primary key, which may itself come in an ALTER.
        (
            Placement::Alter,
            Some(format!("{}_{}_fkey", table.name, col)),
        )
    } else {
        let placement = placement(rng, 0.25, 0.2);
        let name = match placement {
            Placement::Inline if rng.chance(0.8) => None,
            Placement::TableLevel if rng.chance(0.3) => None,
            _ => Some(if rng.chance(0.5) {
                format!("fk_{}_{}", table.name, col)
            } else {
                format!("{}_{}_fkey", table.name, col)
            }),
        };
        (placement, name)
    };
    add(
        plan,
        table,
        NewConstraint {
            kind: ConKind::Foreign { table: target },
            cols: vec![col.to_string()],
            body: format!("FOREIGN KEY ({col_q}) REFERENCES {target_text}{action}"),
            inline_body: format!("REFERENCES {target_text}{action}"),
            placement,
            name,
        },
    )
}
