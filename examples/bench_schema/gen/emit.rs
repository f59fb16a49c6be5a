//! SQL text for the objects of the plan, written the ways migrations write them: constraints
//! inline, at the end of CREATE TABLE or in a later ALTER TABLE; NOT NULL before or after the
//! default; Prisma's quoting; and a writer that counts the statements it emits.

use super::plan::{q, Column, ConKind, Constraint, EnumType, Index, Placement, Table};
use super::rng::Rng;

/// A SQL file being written; `statements` counts what a splitter should find in it.
#[derive(Default)]
pub struct Sql {
    pub text: String,
    pub statements: usize,
}

impl Sql {
    pub fn stmt(&mut self, statement: &str) {
        self.text.push_str(statement);
        self.text.push_str(";\n");
        self.statements += 1;
    }

    pub fn comment(&mut self, line: &str) {
        self.text.push_str("-- ");
        self.text.push_str(line);
        self.text.push('\n');
    }

    pub fn blank(&mut self) {
        self.text.push('\n');
    }
}

pub fn create_enum(e: &EnumType) -> String {
    let labels: Vec<String> = e.labels.iter().map(|l| format!("'{l}'")).collect();
    format!("CREATE TYPE {} AS ENUM ({})", e.qname(), labels.join(", "))
}

fn column_def(rng: &mut Rng, table: &Table, col: &Column) -> String {
    let mut s = format!("{} {}", table.col(&col.name), col.ty);
    if let Some(kind) = col.identity {
        s.push_str(&format!(" GENERATED {kind} AS IDENTITY"));
    }
    if let Some(expr) = &col.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
    }
    let inline: Vec<&Constraint> = table
        .constraints
        .iter()
        .filter(|c| c.placement == Placement::Inline && c.cols.first() == Some(&col.name))
        .collect();
    let inline_pk = inline.iter().any(|c| c.kind == ConKind::Primary);
    let not_null = col.not_null
        && (table.prisma
            || (!col.serial && col.identity.is_none() && (!inline_pk || rng.chance(0.3))));
    let default = col.default.as_ref().map(|d| format!(" DEFAULT {d}"));
    match (not_null, default) {
        (true, Some(d)) if !table.prisma && rng.chance(0.4) => {
            s.push_str(&d);
            s.push_str(" NOT NULL");
        }
        (nn, d) => {
            if nn {
                s.push_str(" NOT NULL");
            }
            if let Some(d) = d {
                s.push_str(&d);
            }
        }
    }
    for c in inline {
        s.push(' ');
        if !c.implicit_name {
            s.push_str(&format!("CONSTRAINT {} ", q(&c.name, table.prisma)));
        }
        s.push_str(&c.inline_body);
    }
    s
}

pub fn create_table(rng: &mut Rng, table: &Table, if_not_exists: bool) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("    {}", column_def(rng, table, c)))
        .collect();
    let table_level: Vec<String> = table
        .constraints
        .iter()
        .filter(|c| c.placement == Placement::TableLevel)
        .map(|c| {
            if c.implicit_name {
                format!("    {}", c.body)
            } else {
                format!("    CONSTRAINT {} {}", q(&c.name, table.prisma), c.body)
            }
        })
        .collect();
    if table.prisma && !table_level.is_empty() {
        // Prisma separates table constraints with an empty line.
        lines.push(String::new());
    }
    lines.extend(table_level);
    let last_content = lines.iter().rposition(|l| !l.is_empty());
    let mut body = String::new();
    for (i, line) in lines.iter().enumerate() {
        body.push_str(line);
        if !line.is_empty() && Some(i) != last_content {
            body.push(',');
        }
        body.push('\n');
    }
    let partition_by = table
        .partitioning
        .as_ref()
        .map(|p| format!(" PARTITION BY {}", p.by))
        .unwrap_or_default();
    let ine = if if_not_exists { "IF NOT EXISTS " } else { "" };
    format!(
        "CREATE TABLE {ine}{} (\n{body}){partition_by}",
        table.qname()
    )
}

/// `CREATE TABLE p PARTITION OF parent FOR VALUES …` for each partition.
pub fn partitions(table: &Table) -> Vec<String> {
    let Some(p) = &table.partitioning else {
        return Vec::new();
    };
    p.partitions
        .iter()
        .map(|(name, bound)| {
            let qname = if table.schema == "public" && !table.qualify {
                q(name, false)
            } else {
                format!("{}.{}", q(&table.schema, false), q(name, false))
            };
            format!(
                "CREATE TABLE {qname} PARTITION OF {} {bound}",
                table.qname()
            )
        })
        .collect()
}

pub fn add_constraint(table: &Table, c: &Constraint) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {}",
        table.qname(),
        q(&c.name, table.prisma),
        c.body
    )
}

/// The constraints this table's migration adds after CREATE TABLE: the primary key right
/// after it (later tables of the same file may reference it), the rest after all tables.
pub fn deferred_constraints(table: &Table, primary: bool) -> Vec<String> {
    table
        .constraints
        .iter()
        .filter(|c| c.placement == Placement::Alter && (c.kind == ConKind::Primary) == primary)
        .map(|c| add_constraint(table, c))
        .collect()
}

#[derive(Clone, Copy, Default)]
pub struct IndexStyle {
    pub concurrently: bool,
    pub if_not_exists: bool,
}

pub fn create_index(table: &Table, index: &Index, style: IndexStyle) -> String {
    let mut s = String::from("CREATE ");
    if index.unique {
        s.push_str("UNIQUE ");
    }
    s.push_str("INDEX ");
    if style.concurrently {
        s.push_str("CONCURRENTLY ");
    }
    if !index.implicit_name {
        if style.if_not_exists {
            s.push_str("IF NOT EXISTS ");
        }
        s.push_str(&q(&index.name, table.prisma));
        s.push(' ');
    }
    s.push_str("ON ");
    s.push_str(&table.qname());
    // Prisma writes `ON "T"("col")`; most people leave a space.
    if !table.prisma {
        s.push(' ');
    }
    s.push_str(&index.tail);
    s
}

pub fn drop_index(table: &Table, index: &Index, if_exists: bool) -> String {
    let name = q(&index.name, table.prisma);
    let qualified = if table.schema == "public" {
        name
    } else {
        format!("{}.{name}", q(&table.schema, false))
    };
    format!(
        "DROP INDEX {}{qualified}",
        if if_exists { "IF EXISTS " } else { "" }
    )
}
