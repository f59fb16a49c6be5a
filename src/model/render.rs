//! Canonical definition text of indexes and constraints, byte-identical to what
//! `pg_get_indexdef` and `pg_get_constraintdef` print with `search_path` pinned to '', and of
//! a column as `CREATE TABLE` lists it.

use super::ident::{quote_ident, PgVersion, QualifiedName};
use super::{
    Column, Constraint, ConstraintKind, FkAction, Index, IndexExpr, KeyConstraint, MatchType,
};

/// The table an index is defined on.
#[derive(Debug, Clone, Copy)]
pub struct IndexTarget<'a> {
    pub table: &'a QualifiedName,
    /// Indexes on partitioned tables print as `ON ONLY`.
    pub partitioned: bool,
}

fn column_list(columns: &[String], version: PgVersion) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c, version))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `pg_get_indexdef(indexrelid)`: `CREATE UNIQUE INDEX name ON schema.table USING btree (…)`.
/// A column as `CREATE TABLE` lists it:
/// `email character varying(255) COLLATE "C" DEFAULT ''::character varying NOT NULL`.
pub fn column_definition(column: &Column, version: PgVersion) -> String {
    let mut out = String::new();
    push_column_definition(&mut out, column, version);
    out
}

/// [`column_definition`] appended to `out` (a whole table's DDL is built in one string).
pub fn push_column_definition(out: &mut String, column: &Column, version: PgVersion) {
    out.push_str(&quote_ident(&column.name, version));
    out.push(' ');
    out.push_str(&column.data_type);
    if let Some(collation) = &column.collation {
        out.push_str(" COLLATE ");
        out.push_str(collation);
    }
    if let Some(generated) = &column.generated {
        out.push(' ');
        out.push_str(&generated.sql());
    }
    if let Some(default) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(default);
    }
    if column.not_null {
        out.push_str(" NOT NULL");
    }
    if let Some(identity) = column.identity {
        out.push(' ');
        out.push_str(identity.sql());
    }
}

pub fn index_definition(
    name: &str,
    target: IndexTarget<'_>,
    index: &Index,
    version: PgVersion,
) -> String {
    let mut out = String::with_capacity(96);
    out.push_str("CREATE ");
    if index.unique {
        out.push_str("UNIQUE ");
    }
    out.push_str("INDEX ");
    out.push_str(&quote_ident(name, version));
    out.push_str(" ON ");
    if target.partitioned {
        out.push_str("ONLY ");
    }
    out.push_str(&target.table.quoted(version));
    out.push_str(" USING ");
    out.push_str(&index.method);
    out.push_str(" (");
    for (i, key) in index.keys.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match &key.expr {
            IndexExpr::Column(c) => out.push_str(&quote_ident(c, version)),
            IndexExpr::Expression(e) => out.push_str(e),
        }
        if let Some(collation) = &key.collation {
            out.push_str(" COLLATE ");
            out.push_str(collation);
        }
        if let Some(opclass) = &key.opclass {
            out.push(' ');
            out.push_str(opclass);
        }
        if key.descending {
            out.push_str(" DESC");
            if !key.nulls_first {
                out.push_str(" NULLS LAST");
            }
        } else if key.nulls_first {
            out.push_str(" NULLS FIRST");
        }
    }
    out.push(')');
    if !index.include.is_empty() {
        out.push_str(" INCLUDE (");
        out.push_str(&column_list(&index.include, version));
        out.push(')');
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.storage_parameters.is_empty() {
        out.push_str(" WITH (");
        out.push_str(&index.storage_parameters.join(", "));
        out.push(')');
    }
    if let Some(predicate) = &index.predicate {
        out.push_str(" WHERE ");
        out.push_str(predicate);
    }
    out
}

fn key_constraint(out: &mut String, word: &str, key: &KeyConstraint, version: PgVersion) {
    out.push_str(word);
    if key.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    out.push_str(" (");
    out.push_str(&column_list(&key.columns, version));
    out.push(')');
    if !key.include.is_empty() {
        out.push_str(" INCLUDE (");
        out.push_str(&column_list(&key.include, version));
        out.push(')');
    }
}

/// `pg_get_constraintdef(oid)`: `FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE`.
pub fn constraint_definition(constraint: &Constraint, version: PgVersion) -> String {
    let mut out = String::with_capacity(64);
    match &constraint.kind {
        ConstraintKind::PrimaryKey(key) => key_constraint(&mut out, "PRIMARY KEY", key, version),
        ConstraintKind::Unique(key) => key_constraint(&mut out, "UNIQUE", key, version),
        ConstraintKind::ForeignKey(fk) => {
            out.push_str("FOREIGN KEY (");
            out.push_str(&column_list(&fk.columns, version));
            out.push_str(") REFERENCES ");
            out.push_str(&fk.referenced_table.quoted(version));
            out.push('(');
            out.push_str(&column_list(&fk.referenced_columns, version));
            out.push(')');
            match fk.match_type {
                MatchType::Simple => {}
                other => {
                    out.push_str(" MATCH ");
                    out.push_str(other.sql());
                }
            }
            if fk.on_update != FkAction::NoAction {
                out.push_str(" ON UPDATE ");
                out.push_str(fk.on_update.sql());
            }
            if fk.on_delete != FkAction::NoAction {
                out.push_str(" ON DELETE ");
                out.push_str(fk.on_delete.sql());
                if !fk.on_delete_set_columns.is_empty() {
                    out.push_str(" (");
                    out.push_str(&column_list(&fk.on_delete_set_columns, version));
                    out.push(')');
                }
            }
        }
        ConstraintKind::Check(check) => {
            out.push_str("CHECK (");
            out.push_str(&check.expression);
            out.push(')');
            if check.no_inherit {
                out.push_str(" NO INHERIT");
            }
        }
        ConstraintKind::Exclusion(ex) => {
            out.push_str("EXCLUDE ");
            out.push_str(&ex.definition);
        }
    }
    if constraint.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if constraint.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    if !constraint.validated {
        out.push_str(" NOT VALID");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Check, ForeignKey, Identity, IndexKey};

    const V: PgVersion = PgVersion(15);

    #[test]
    fn columns_read_like_create_table() {
        let mut c = Column::new("workspaceId", "text");
        c.not_null = true;
        c.default = Some("'x'::text".into());
        assert_eq!(
            column_definition(&c, V),
            "\"workspaceId\" text DEFAULT 'x'::text NOT NULL"
        );
        let mut id = Column::new("id", "bigint");
        id.not_null = true;
        id.identity = Some(Identity::Always);
        assert_eq!(
            column_definition(&id, V),
            "id bigint NOT NULL GENERATED ALWAYS AS IDENTITY"
        );
    }

    #[test]
    fn index_definition_matches_pg_get_indexdef() {
        let table = QualifiedName::new("public", "t");
        let mut index = Index::on_columns(["a"]);
        index.unique = true;
        index.keys[0].descending = true;
        index.keys.push(IndexKey {
            expr: IndexExpr::Expression("lower(b)".into()),
            collation: None,
            opclass: Some("text_pattern_ops".into()),
            descending: false,
            nulls_first: false,
        });
        index.keys.push(IndexKey {
            expr: IndexExpr::Expression("((c + 1))".into()),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: true,
        });
        index.include = vec!["c".into()];
        index.nulls_not_distinct = true;
        index.storage_parameters = vec!["fillfactor='70'".into()];
        index.predicate = Some("(a > 0)".into());
        let target = IndexTarget {
            table: &table,
            partitioned: false,
        };
        // Copied from PostgreSQL 15's pg_get_indexdef for the same index.
        assert_eq!(
            index_definition("t_i", target, &index, V),
            "CREATE UNIQUE INDEX t_i ON public.t USING btree (a DESC NULLS LAST, lower(b) text_pattern_ops, ((c + 1)) NULLS FIRST) INCLUDE (c) NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (a > 0)"
        );
    }

    #[test]
    fn foreign_key_definition_lists_non_default_parts_only() {
        let mut c = Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
            columns: vec!["workspaceId".into()],
            referenced_table: QualifiedName::new("public", "workspaces"),
            referenced_columns: vec!["id".into()],
            on_update: FkAction::Cascade,
            on_delete: FkAction::SetNull,
            on_delete_set_columns: vec![],
            match_type: MatchType::Full,
        }));
        c.deferrable = true;
        c.initially_deferred = true;
        c.validated = false;
        assert_eq!(
            constraint_definition(&c, V),
            "FOREIGN KEY (\"workspaceId\") REFERENCES public.workspaces(id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID"
        );
    }

    #[test]
    fn check_definition_wraps_the_expression() {
        let c = Constraint::new(ConstraintKind::Check(Check {
            expression: "(price > (0)::numeric)".into(),
            no_inherit: false,
        }));
        assert_eq!(
            constraint_definition(&c, V),
            "CHECK ((price > (0)::numeric))"
        );
    }
}
