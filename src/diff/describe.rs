//! How objects read inside findings: a column as its `CREATE TABLE` line, an index or
//! constraint as PostgreSQL prints its definition, a table as the list of what it holds.

use crate::model::{
    column_definition, constraint_definition, index_definition, quote_ident, quote_literal,
    Constraint, Index, IndexExpr, IndexTarget, PgVersion, QualifiedName, Table,
};

/// `pg_get_indexdef` of an index of `table`.
pub fn index(
    name: &str,
    table_name: &QualifiedName,
    table: &Table,
    index: &Index,
    version: PgVersion,
) -> String {
    let target = IndexTarget {
        table: table_name,
        partitioned: table.partition_by.is_some(),
    };
    index_definition(name, target, index, version)
}

/// The key list of an index as `pg_get_indexdef` prints it: `(a, lower(b) DESC)`.
pub fn index_keys(index: &Index, version: PgVersion) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|key| {
            let mut out = match &key.expr {
                IndexExpr::Column(c) => quote_ident(c, version),
                IndexExpr::Expression(e) => e.clone(),
            };
            if let Some(collation) = &key.collation {
                out.push_str(" COLLATE ");
                out.push_str(collation);
            }
            if let Some(opclass) = &key.opclass {
                out.push(' ');
                out.push_str(opclass);
            }
            // The same defaults pg_get_indexdef leaves out: ASC NULLS LAST, DESC NULLS FIRST.
            match (key.descending, key.nulls_first) {
                (true, true) => out.push_str(" DESC"),
                (true, false) => out.push_str(" DESC NULLS LAST"),
                (false, true) => out.push_str(" NULLS FIRST"),
                (false, false) => {}
            }
            out
        })
        .collect();
    format!("({})", keys.join(", "))
}

/// `CONSTRAINT name <pg_get_constraintdef>`.
pub fn constraint(name: &str, constraint: &Constraint, version: PgVersion) -> String {
    format!(
        "CONSTRAINT {} {}",
        quote_ident(name, version),
        constraint_definition(constraint, version)
    )
}

/// Enum labels as `CREATE TYPE … AS ENUM` lists them: `'a', 'b'`.
pub fn labels(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| quote_literal(l))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `n thing` / `n things`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn local_indexes(table: &Table) -> impl Iterator<Item = (&String, &Index)> {
    table.indexes.iter().filter(|(_, i)| !i.inherited)
}

fn local_constraints(table: &Table) -> impl Iterator<Item = (&String, &Constraint)> {
    table.constraints.iter().filter(|(_, c)| !c.inherited)
}

/// What a table holds, counted: `9 columns, 5 indexes, 6 constraints`.
pub fn table_summary(table: &Table, include_columns: bool) -> String {
    let mut parts = Vec::new();
    if include_columns {
        parts.push(count(table.columns.len(), "column", "columns"));
    }
    let indexes = local_indexes(table).count();
    let constraints = local_constraints(table).count();
    if indexes > 0 {
        parts.push(count(indexes, "index", "indexes"));
    }
    if constraints > 0 {
        parts.push(count(constraints, "constraint", "constraints"));
    }
    if !table.partitions.is_empty() {
        parts.push(count(table.partitions.len(), "partition", "partitions"));
    }
    parts.join(", ")
}

/// One line per thing a table holds (columns unless `include_columns` is false, as for a
/// partition whose columns are its parent's): the details of a missing or unexpected table.
pub fn table_contents(
    name: &QualifiedName,
    table: &Table,
    include_columns: bool,
    version: PgVersion,
) -> Vec<String> {
    let mut out = Vec::new();
    if include_columns {
        out.extend(
            table
                .columns
                .iter()
                .map(|c| format!("column {}", column_definition(c, version))),
        );
    }
    if let Some(key) = &table.partition_by {
        out.push(format!("PARTITION BY {key}"));
    }
    out.extend(
        local_constraints(table).map(|(n, c)| format!("constraint {}", constraint(n, c, version))),
    );
    out.extend(
        local_indexes(table)
            .map(|(n, i)| format!("index {}", self::index(n, name, table, i, version))),
    );
    for (partition_name, partition) in &table.partitions {
        out.push(format!(
            "partition {} {}",
            partition_name.quoted(version),
            partition.bound
        ));
        out.extend(
            table_contents(partition_name, &partition.table, false, version)
                .into_iter()
                .map(|line| format!("  {line}")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IndexKey;

    const V: PgVersion = PgVersion(15);

    #[test]
    fn index_keys_leave_out_default_orderings() {
        let mut index = Index::on_columns(["a", "b"]);
        index.keys[1].descending = true;
        index.keys[1].nulls_first = true;
        index.keys.push(IndexKey {
            expr: IndexExpr::Expression("lower(c)".into()),
            collation: None,
            opclass: None,
            descending: true,
            nulls_first: false,
        });
        assert_eq!(
            index_keys(&index, V),
            "(a, b DESC, lower(c) DESC NULLS LAST)"
        );
    }

    #[test]
    fn lists_join_with_and() {
        let items: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
        assert_eq!(join_and(&items), "a, b and c");
        assert_eq!(join_and(&items[..1]), "a");
        assert_eq!(count(1, "index", "indexes"), "1 index");
        assert_eq!(count(2, "index", "indexes"), "2 indexes");
    }
}
