//! Indexes for a table: two to five of the kinds real schemas carry — foreign-key columns,
//! multi-column, DESC and NULLS orders, partial, expression (`lower(email)`, `->>`), unique
//! partial, GIN, BRIN, hash, INCLUDE — with explicit or PostgreSQL-chosen names.

use super::plan::{q, Index, Kind, Plan, Table};
use super::rng::Rng;

/// An index idea before it is named: `keys` is the text inside `(…)`.
struct Idea {
    unique: bool,
    method: Option<&'static str>,
    keys: String,
    include: Option<String>,
    predicate: Option<String>,
    cols: Vec<String>,
    /// Name part: `email_lower`, `created_at_desc` …
    label: String,
    /// Only plain column keys get PostgreSQL-chosen names here (their name is then certain).
    simple: bool,
}

impl Idea {
    fn tail(&self) -> String {
        let mut s = String::new();
        if let Some(m) = self.method {
            s.push_str("USING ");
            s.push_str(m);
            s.push(' ');
        }
        s.push('(');
        s.push_str(&self.keys);
        s.push(')');
        if let Some(inc) = &self.include {
            s.push_str(" INCLUDE (");
            s.push_str(inc);
            s.push(')');
        }
        if let Some(p) = &self.predicate {
            s.push_str(" WHERE ");
            s.push_str(p);
        }
        s
    }
}

fn btree_ok(table: &Table, col: &str) -> bool {
    table
        .column(col)
        .is_some_and(|c| c.ty != "json" && c.kind != Kind::TsVector)
}

fn plain(table: &Table, cols: &[&str], label: &str) -> Idea {
    Idea {
        unique: false,
        method: None,
        keys: cols
            .iter()
            .map(|c| table.col(c))
            .collect::<Vec<_>>()
            .join(", "),
        include: None,
        predicate: None,
        cols: cols.iter().map(|c| c.to_string()).collect(),
        label: label.to_string(),
        simple: true,
    }
}

/// Every index idea the table's columns allow, most common first.
fn ideas(rng: &mut Rng, table: &Table, partitioned: bool) -> Vec<Idea> {
    let mut out = Vec::new();
    let col = |name: &str| table.col(name);
    let fks: Vec<String> = table
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, super::plan::ConKind::Foreign { .. }))
        .map(|c| c.cols[0].clone())
        .collect();
    for fk in &fks {
        out.push(plain(table, &[fk], fk));
    }
    let soft_delete = table.has_column("deleted_at");
    let by_kind = |kind: Kind| -> Vec<String> {
        table
            .columns
            .iter()
            .filter(|c| {
                c.kind == kind && c.generated.is_none() && c.identity.is_none() && !c.serial
            })
            .map(|c| c.name.clone())
            .collect()
    };
    if table.has_column("created_at") {
        let mut idea = plain(table, &["created_at"], "created_at_desc");
        idea.keys = format!("{} DESC", col("created_at"));
        idea.simple = false;
        out.push(idea);
        if let Some(first) = fks.first() {
            let mut idea = plain(table, &[first, "created_at"], &format!("{first}_created"));
            idea.keys = format!("{}, {} DESC", col(first), col("created_at"));
            idea.simple = false;
            out.push(idea);
        }
    }
    let texts: Vec<String> = by_kind(Kind::Varchar)
        .into_iter()
        .chain(by_kind(Kind::Text))
        .collect();
    if let Some(t) = texts.first() {
        let mut idea = plain(table, &[t], &format!("{t}_lower"));
        idea.keys = format!("lower({})", col(t));
        idea.simple = false;
        out.push(idea);
    }
    if texts.len() >= 2 && !partitioned {
        let (a, b) = (&texts[0], &texts[1]);
        let mut idea = plain(table, &[a, b], &format!("{a}_{b}"));
        if rng.chance(0.4) {
            idea.keys = format!("{} ASC NULLS FIRST, {} DESC NULLS LAST", col(a), col(b));
            idea.simple = false;
        }
        out.push(idea);
    }
    if let Some(t) = texts.get(1).or(texts.first()) {
        let mut idea = plain(table, &[t], &format!("{t}_partial"));
        idea.simple = false;
        if soft_delete {
            idea.predicate = Some(format!("{} IS NULL", col("deleted_at")));
            idea.cols.push("deleted_at".into());
            if !partitioned && rng.chance(0.4) {
                idea.unique = true;
                idea.label = format!("{t}_active_key");
            }
        } else {
            idea.predicate = Some(format!("{} IS NOT NULL", col(t)));
        }
        out.push(idea);
    }
    if let Some(b) = by_kind(Kind::Bool).first() {
        let other = fks.first().cloned().or_else(|| texts.first().cloned());
        if let Some(o) = other {
            let mut idea = plain(table, &[&o], &format!("{o}_where_{b}"));
            idea.predicate = Some(if rng.chance(0.5) {
                col(b)
            } else {
                format!("{} = true", col(b))
            });
            idea.cols.push(b.clone());
            idea.simple = false;
            out.push(idea);
        }
    }
    if let Some(j) = by_kind(Kind::Jsonb).into_iter().next() {
        if table.column(&j).is_some_and(|c| c.ty == "jsonb") {
            let mut idea = plain(table, &[&j], &format!("{j}_gin"));
            idea.method = Some("gin");
            if rng.chance(0.3) {
                idea.keys = format!("{} jsonb_path_ops", col(&j));
            }
            idea.simple = false;
            out.push(idea);
        }
        let mut idea = plain(table, &[&j], &format!("{j}_kind"));
        idea.keys = format!("({} ->> 'kind')", col(&j));
        idea.simple = false;
        out.push(idea);
    }
    if let Some(a) = by_kind(Kind::TextArray)
        .into_iter()
        .chain(by_kind(Kind::IntArray))
        .next()
    {
        let mut idea = plain(table, &[&a], &format!("{a}_gin"));
        idea.method = Some("gin");
        idea.simple = false;
        out.push(idea);
    }
    if let Some(s) = by_kind(Kind::TsVector).first() {
        let mut idea = plain(table, &[s], &format!("{s}_gin"));
        idea.method = Some("gin");
        idea.simple = false;
        out.push(idea);
    }
    for ts in by_kind(Kind::Timestamptz)
        .into_iter()
        .chain(by_kind(Kind::Date))
    {
        out.push(plain(table, &[&ts], &ts));
    }
    if let Some(u) = by_kind(Kind::Uuid).first() {
        let mut idea = plain(table, &[u], &format!("{u}_hash"));
        if rng.chance(0.3) {
            idea.method = Some("hash");
            idea.simple = false;
        }
        out.push(idea);
    }
    if rng.chance(0.06) && table.has_column("created_at") {
        let mut idea = plain(table, &["created_at"], "created_at_brin");
        idea.method = Some("brin");
        idea.simple = false;
        out.push(idea);
    }
    if let (Some(fk), Some(e)) = (fks.first(), by_kind(Kind::Enum).first()) {
        let mut idea = plain(table, &[fk], &format!("{fk}_incl"));
        idea.include = Some(col(e));
        idea.cols.push(e.clone());
        idea.simple = false;
        out.push(idea);
    }
    for c in &table.columns {
        if btree_ok(table, &c.name) && c.generated.is_none() {
            out.push(plain(table, &[&c.name], &c.name));
        }
    }
    out
}

/// Give `table` between `min` and `max` indexes (fewer only if the table is too small).
pub fn add_indexes(rng: &mut Rng, plan: &mut Plan, table: &mut Table, min: usize, max: usize) {
    let partitioned = table.partitioning.is_some();
    let mut ideas = ideas(rng, table, partitioned);
    // Keep the common ones (foreign keys, created_at) likely but not certain.
    let head = ideas.len().min(6);
    rng.shuffle(&mut ideas[..head]);
    let wanted = rng.range(min, max);
    let mut seen: Vec<String> = table.indexes.iter().map(|i| i.tail.clone()).collect();
    // Constraint-backed indexes already cover these leading columns.
    for c in &table.constraints {
        if c.has_index() && c.cols.len() == 1 {
            seen.push(format!("({})", table.col(&c.cols[0])));
        }
    }
    let mut added = 0;
    for idea in ideas {
        if added == wanted {
            break;
        }
        let tail = idea.tail();
        if seen.contains(&tail) || (idea.predicate.is_none() && !idea.unique && skip_common(rng)) {
            continue;
        }
        seen.push(tail.clone());
        let index = name_index(rng, plan, table, &idea, tail);
        table.indexes.push(index);
        added += 1;
    }
}

/// Occasionally skip an obvious index so tables differ from each other.
fn skip_common(rng: &mut Rng) -> bool {
    rng.chance(0.15)
}

fn name_index(rng: &mut Rng, plan: &mut Plan, table: &Table, idea: &Idea, tail: String) -> Index {
    let (name, implicit_name) = if table.prisma {
        let suffix = if idea.unique { "key" } else { "idx" };
        let wanted = format!("{}_{}_{}", table.name, idea.cols.join("_"), suffix);
        (plan.take_relation_name(&table.schema, &wanted), false)
    } else if idea.simple && !idea.unique && table.partitioning.is_none() && rng.chance(0.2) {
        // ChooseIndexName: `<table>_<col>_<col>_idx`, digits appended on collision.
        let stem = format!("{}_{}", table.name, idea.cols.join("_"));
        if stem.len() + 4 <= 63 {
            (plan.choose_relation_name(&table.schema, &stem, "idx"), true)
        } else {
            (
                plan.take_relation_name(&table.schema, &format!("idx_{stem}")),
                false,
            )
        }
    } else {
        let prefix = if idea.unique {
            "uq"
        } else {
            rng.pick(&["idx", "idx", "ix"])
        };
        let wanted = format!("{prefix}_{}_{}", table.name, idea.label);
        (plan.take_relation_name(&table.schema, &wanted), false)
    };
    Index {
        name,
        implicit_name,
        unique: idea.unique,
        tail,
        cols: idea.cols.clone(),
    }
}

/// A plain index on one column for later migrations and drift (`CREATE INDEX … (col)`).
pub fn simple_index(plan: &mut Plan, table: &Table, col: &str, prefix: &str) -> Index {
    let name = plan.take_relation_name(&table.schema, &format!("{prefix}_{}_{}", table.name, col));
    Index {
        name,
        implicit_name: false,
        unique: false,
        tail: format!("({})", q(col, table.prisma)),
        cols: vec![col.to_string()],
    }
}
