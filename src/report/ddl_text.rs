//! DDL text written from the model: `CREATE TABLE` with its columns and constraints, then its
//! indexes and partitions, and `CREATE TYPE … AS ENUM`. Byte-stable (the same model always
//! gives the same text), in PostgreSQL's own spellings (definitions come from
//! `model::index_definition` / `model::constraint_definition`), so two tables' DDL can be
//! diffed line by line and the fix SQL can run it.

use crate::model::{
    constraint_definition, index_definition, push_column_definition, quote_ident, quote_literal,
    Constraint, ConstraintKind, EnumType, Index, IndexTarget, PgVersion, QualifiedName, Table,
};

/// The order constraints are listed in: primary key, unique, check, exclusion, foreign keys
/// (each by name), as a reader expects them.
fn constraint_rank(constraint: &Constraint) -> u8 {
    match constraint.kind {
        ConstraintKind::PrimaryKey(_) => 0,
        ConstraintKind::Unique(_) => 1,
        ConstraintKind::Check(_) => 2,
        ConstraintKind::Exclusion(_) => 3,
        ConstraintKind::ForeignKey(_) => 4,
    }
}

/// The constraints a table declares itself (not those a partition inherits), in listing order.
pub fn local_constraints(table: &Table) -> Vec<(&String, &Constraint)> {
    let mut list: Vec<(&String, &Constraint)> = table
        .constraints
        .iter()
        .filter(|(_, c)| !c.inherited)
        .collect();
    list.sort_by_key(|(name, c)| (constraint_rank(c), name.as_str()));
    list
}

/// The indexes a table declares itself (not those attached to an index of its parent).
pub fn local_indexes(table: &Table) -> impl Iterator<Item = (&String, &Index)> {
    table.indexes.iter().filter(|(_, i)| !i.inherited)
}

/// `CONSTRAINT name <definition>`.
pub fn constraint_clause(name: &str, constraint: &Constraint, version: PgVersion) -> String {
    format!(
        "CONSTRAINT {} {}",
        quote_ident(name, version),
        constraint_definition(constraint, version)
    )
}

/// `constraint_clause` appended to `out`.
fn push_constraint_clause(
    out: &mut String,
    name: &str,
    constraint: &Constraint,
    version: PgVersion,
) {
    out.push_str("CONSTRAINT ");
    out.push_str(&quote_ident(name, version));
    out.push(' ');
    out.push_str(&constraint_definition(constraint, version));
}

/// `CREATE [UNIQUE] INDEX …;` as `pg_get_indexdef` prints it.
pub fn index_statement(
    table_name: &QualifiedName,
    table: &Table,
    name: &str,
    index: &Index,
    version: PgVersion,
) -> String {
    let target = IndexTarget {
        table: table_name,
        partitioned: table.partition_by.is_some(),
    };
    format!("{};", index_definition(name, target, index, version))
}

/// `CREATE TABLE name (columns, constraints) [PARTITION BY …];`. Foreign keys are listed
/// only when `foreign_keys` is true (the fix SQL adds them once every table exists).
pub fn create_table(
    name: &QualifiedName,
    table: &Table,
    version: PgVersion,
    foreign_keys: bool,
) -> String {
    let mut out = String::with_capacity(64 + 48 * table.columns.len());
    push_create_table(&mut out, name, table, version, foreign_keys);
    out
}

/// `create_table` appended to `out`.
fn push_create_table(
    out: &mut String,
    name: &QualifiedName,
    table: &Table,
    version: PgVersion,
    foreign_keys: bool,
) {
    out.push_str("CREATE TABLE ");
    out.push_str(&name.quoted(version));
    out.push_str(" (");
    let mut first = true;
    let mut next_line = |out: &mut String| {
        out.push_str(if first { "\n    " } else { ",\n    " });
        first = false;
    };
    for column in &table.columns {
        next_line(out);
        push_column_definition(out, column, version);
    }
    for (n, c) in local_constraints(table) {
        if foreign_keys || !matches!(c.kind, ConstraintKind::ForeignKey(_)) {
            next_line(out);
            push_constraint_clause(out, n, c, version);
        }
    }
    if first {
        out.push(')');
    } else {
        out.push_str("\n)");
    }
    if let Some(key) = &table.partition_by {
        out.push_str(" PARTITION BY ");
        out.push_str(key);
    }
    out.push(';');
}

/// `CREATE TABLE partition PARTITION OF parent [(constraints)] FOR VALUES … [PARTITION BY …];`
/// (a partition's columns are its parent's; only its own constraints are listed).
pub fn create_partition(
    parent: &QualifiedName,
    name: &QualifiedName,
    bound: &str,
    table: &Table,
    version: PgVersion,
    foreign_keys: bool,
) -> String {
    let constraints: Vec<String> = local_constraints(table)
        .into_iter()
        .filter(|(_, c)| foreign_keys || !matches!(c.kind, ConstraintKind::ForeignKey(_)))
        .map(|(n, c)| format!("    {}", constraint_clause(n, c, version)))
        .collect();
    let mut out = format!(
        "CREATE TABLE {} PARTITION OF {}",
        name.quoted(version),
        parent.quoted(version)
    );
    if !constraints.is_empty() {
        out.push_str(" (\n");
        out.push_str(&constraints.join(",\n"));
        out.push_str("\n)");
    }
    out.push(' ');
    out.push_str(bound);
    if let Some(key) = &table.partition_by {
        out.push_str(" PARTITION BY ");
        out.push_str(key);
    }
    out.push(';');
    out
}

/// The whole DDL of a table as a reviewer reads it: `CREATE TABLE` with every constraint,
/// its indexes, then each partition with its own indexes (and their partitions …).
pub fn table_ddl(name: &QualifiedName, table: &Table, version: PgVersion) -> String {
    let mut out = String::with_capacity(128 + 64 * (table.columns.len() + table.indexes.len()));
    push_create_table(&mut out, name, table, version, true);
    out.push('\n');
    contents(name, table, version, &mut out);
    out
}

/// The indexes and partitions of a table, one statement per line.
fn contents(name: &QualifiedName, table: &Table, version: PgVersion, out: &mut String) {
    for (index_name, index) in local_indexes(table) {
        out.push_str(&index_statement(name, table, index_name, index, version));
        out.push('\n');
    }
    for (partition_name, partition) in &table.partitions {
        out.push_str(&create_partition(
            name,
            partition_name,
            &partition.bound,
            &partition.table,
            version,
            true,
        ));
        out.push('\n');
        contents(partition_name, &partition.table, version, out);
    }
}

/// `CREATE TYPE name AS ENUM ('a', 'b');`, one label per line.
pub fn enum_ddl(name: &QualifiedName, enum_type: &EnumType, version: PgVersion) -> String {
    let labels: Vec<String> = enum_type
        .labels
        .iter()
        .map(|l| format!("    {}", quote_literal(l)))
        .collect();
    if labels.is_empty() {
        format!("CREATE TYPE {} AS ENUM ();\n", name.quoted(version))
    } else {
        format!(
            "CREATE TYPE {} AS ENUM (\n{}\n);\n",
            name.quoted(version),
            labels.join(",\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Check, Column, ForeignKey, Generated, Identity, KeyConstraint, Partition};

    const V: PgVersion = PgVersion(15);

    fn table() -> Table {
        let mut id = Column::new("id", "bigint");
        id.not_null = true;
        id.identity = Some(Identity::ByDefault);
        let mut org = Column::new("orgId", "integer");
        org.collation = None;
        let mut total = Column::new("total", "integer");
        total.generated = Some(Generated {
            expression: "(a + b)".into(),
            stored: true,
        });
        let mut t = Table {
            columns: vec![id, org, total],
            ..Default::default()
        };
        t.constraints.insert(
            "t_org_fkey".into(),
            Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
                columns: vec!["orgId".into()],
                referenced_table: QualifiedName::new("public", "orgs"),
                referenced_columns: vec!["id".into()],
                on_update: Default::default(),
                on_delete: Default::default(),
                on_delete_set_columns: vec![],
                match_type: Default::default(),
            })),
        );
        t.constraints.insert(
            "a_check".into(),
            Constraint::new(ConstraintKind::Check(Check {
                expression: "(total > 0)".into(),
                no_inherit: false,
            })),
        );
        t.constraints.insert(
            "t_pkey".into(),
            Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
                columns: vec!["id".into()],
                ..Default::default()
            })),
        );
        t.indexes
            .insert("t_org_idx".into(), Index::on_columns(["orgId"]));
        t
    }

    #[test]
    fn a_table_reads_like_pg_dump() {
        let name = QualifiedName::new("public", "T");
        assert_eq!(
            table_ddl(&name, &table(), V),
            "CREATE TABLE public.\"T\" (\n    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n    \"orgId\" integer,\n    total integer GENERATED ALWAYS AS ((a + b)) STORED,\n    CONSTRAINT t_pkey PRIMARY KEY (id),\n    CONSTRAINT a_check CHECK ((total > 0)),\n    CONSTRAINT t_org_fkey FOREIGN KEY (\"orgId\") REFERENCES public.orgs(id)\n);\nCREATE INDEX t_org_idx ON public.\"T\" USING btree (\"orgId\");\n"
        );
        // Without foreign keys for the fix SQL, which adds them once every table exists.
        assert!(!create_table(&name, &table(), V, false).contains("FOREIGN KEY"));
    }

    #[test]
    fn partitions_follow_their_parent() {
        let name = QualifiedName::new("public", "m");
        let mut parent = Table {
            columns: vec![Column::new("d", "date")],
            partition_by: Some("RANGE (d)".into()),
            ..Default::default()
        };
        parent
            .indexes
            .insert("m_d_idx".into(), Index::on_columns(["d"]));
        let mut child = Table {
            columns: parent.columns.clone(),
            ..Default::default()
        };
        let mut attached = Index::on_columns(["d"]);
        attached.inherited = true;
        child.indexes.insert("m_2024_d_idx".into(), attached);
        parent.partitions.insert(
            QualifiedName::new("public", "m_2024"),
            Partition {
                bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".into(),
                table: child,
            },
        );
        assert_eq!(
            table_ddl(&name, &parent, V),
            "CREATE TABLE public.m (\n    d date\n) PARTITION BY RANGE (d);\nCREATE INDEX m_d_idx ON ONLY public.m USING btree (d);\nCREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
        );
    }

    #[test]
    fn enums_list_one_label_per_line() {
        let e = EnumType {
            labels: vec!["PENDING".into(), "it's".into()],
        };
        assert_eq!(
            enum_ddl(&QualifiedName::new("public", "InviteStatus"), &e, V),
            "CREATE TYPE public.\"InviteStatus\" AS ENUM (\n    'PENDING',\n    'it''s'\n);\n"
        );
    }
}
