//! The predicates for what a table holds: a column (type, NOT NULL, default, identity,
//! generation, collation), an index or a constraint by its canonical definition, an enum's
//! labels, and the "nothing else" conditions (no other columns, indexes, constraints,
//! partitions) — each counting objects as the catalog reader does.

use crate::model::{
    constraint_definition, index_definition, Column, Constraint, EnumType, Index, IndexTarget,
    QualifiedName, Table,
};

use super::super::pin::PINNED;
use super::{exists, list, lit, Checker};

impl Checker<'_> {
    /// The column of the relation aliased `rel`, as expected: type, NOT NULL, default,
    /// identity, generation and collation.
    pub(super) fn column_cond(&self, rel: &str, column: &Column) -> String {
        let mut conds = vec![
            format!(
                "a.attrelid = {rel}.oid AND a.attname = {} AND NOT a.attisdropped",
                lit(&column.name)
            ),
            format!(
                "pg_catalog.format_type(a.atttypid, a.atttypmod) = {}",
                lit(&column.data_type)
            ),
        ];
        let identity = match column.identity {
            Some(crate::model::Identity::Always) => "a",
            Some(crate::model::Identity::ByDefault) => "d",
            None => "",
        };
        let generated = match &column.generated {
            Some(g) if g.stored => "s",
            Some(_) => "v",
            None => "",
        };
        conds.push(format!(
            "{}a.attnotnull AND a.attidentity = '{identity}' AND a.attgenerated = '{generated}'",
            if column.not_null { "" } else { "NOT " }
        ));
        let expression = column
            .generated
            .as_ref()
            .map(|g| g.expression.as_str())
            .or(column.default.as_deref());
        conds.push(match expression {
            Some(e) => format!(
                "EXISTS (SELECT FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND pg_catalog.pg_get_expr(d.adbin, d.adrelid) = {})",
                lit(e)
            ),
            None => "NOT a.atthasdef".into(),
        });
        // As the catalog reader names it: only when it differs from the type's, qualified
        // unless visible on the (pinned) search_path.
        conds.push(match &column.collation {
            None => "a.attcollation = (SELECT t.typcollation FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid)".into(),
            Some(collation) => format!(
                "EXISTS (SELECT FROM pg_catalog.pg_type t, pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE t.oid = a.atttypid AND co.oid = a.attcollation AND a.attcollation <> t.typcollation AND CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) THEN pg_catalog.quote_ident(co.collname) ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END = {})",
                lit(collation)
            ),
        });
        exists(false, "pg_catalog.pg_attribute a", &conds)
    }

    pub(super) fn index_cond(
        &self,
        rel: &str,
        table_name: &QualifiedName,
        table: &Table,
        name: &str,
        index: &Index,
    ) -> String {
        let target = IndexTarget {
            table: table_name,
            partitioned: table.partition_by.is_some(),
        };
        let definition = index_definition(name, target, index, self.version);
        index_presence(
            false,
            rel,
            name,
            &[format!(
                "pg_catalog.pg_get_indexdef(i.indexrelid) = {}",
                lit(&definition)
            )],
        )
    }

    pub(super) fn constraint_cond(&self, rel: &str, name: &str, constraint: &Constraint) -> String {
        let definition = constraint_definition(constraint, self.version);
        // A constraint the expected schema adds NOT VALID that the database has validated
        // since is stricter than intended, not drift (as `diff` decides).
        let cond = if constraint.validated {
            format!(
                "pg_catalog.pg_get_constraintdef(k.oid) = {}",
                lit(&definition)
            )
        } else {
            let mut validated = constraint.clone();
            validated.validated = true;
            format!(
                "pg_catalog.pg_get_constraintdef(k.oid) IN ({}, {})",
                lit(&definition),
                lit(&constraint_definition(&validated, self.version))
            )
        };
        constraint_presence(false, rel, name, &[cond])
    }

    pub(super) fn enum_check(&self, name: &QualifiedName, expected: Option<&EnumType>) -> String {
        let mut conds = vec![
            PINNED.to_string(),
            format!(
                "n.nspname = {} AND t.typname = {} AND t.typtype = 'e'",
                lit(&name.schema),
                lit(&name.name)
            ),
        ];
        if let Some(e) = expected {
            let labels = if e.labels.is_empty() {
                "'{}'::text[]".to_string()
            } else {
                format!("ARRAY[{}]::text[]", list(&e.labels))
            };
            conds.push(format!(
                "ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) = {labels}"
            ));
        }
        exists(
            expected.is_none(),
            "pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace",
            &conds,
        )
    }
}

pub(super) fn column_presence(rel: &str, name: &str) -> String {
    exists(
        false,
        "pg_catalog.pg_attribute a",
        &[format!(
            "a.attrelid = {rel}.oid AND a.attname = {} AND NOT a.attisdropped",
            lit(name)
        )],
    )
}

/// The columns of `rel` named in `expected` are in that relative order (column order is
/// information, compared only among the columns both sides have, as `diff` does).
pub(super) fn column_order(rel: &str, columns: &[Column]) -> String {
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let array = format!("ARRAY[{}]::text[]", list(&names));
    format!(
        "ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = {rel}.oid AND NOT a.attisdropped AND a.attname::text = ANY ({array}) ORDER BY a.attnum)\n  = ARRAY(SELECT x.name FROM pg_catalog.unnest({array}) WITH ORDINALITY AS x(name, n) WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = {rel}.oid AND NOT a.attisdropped AND a.attname::text = x.name) ORDER BY x.n)"
    )
}

pub(super) fn no_other_columns(rel: &str, names: &[String]) -> String {
    let mut cond =
        format!("NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = {rel}.oid AND a.attnum > 0 AND NOT a.attisdropped");
    if !names.is_empty() {
        cond.push_str(&format!(" AND a.attname NOT IN ({})", list(names)));
    }
    cond.push(')');
    cond
}

/// An index of `rel` that does not back a constraint and is not attached to an index of a
/// parent (those are the constraint's and the parent's), named `name` and satisfying
/// `extra`. With `name` empty: any such index not named in `extra`.
pub(super) fn index_presence(negated: bool, rel: &str, name: &str, extra: &[String]) -> String {
    let mut conds = vec![if name.is_empty() {
        format!("i.indrelid = {rel}.oid")
    } else {
        format!("i.indrelid = {rel}.oid AND ic.relname = {}", lit(name))
    }];
    conds.push("NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))".into());
    conds.push(
        "NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)".into(),
    );
    if name.is_empty() && !extra.is_empty() {
        conds.push(format!("ic.relname NOT IN ({})", list(extra)));
    } else {
        conds.extend(extra.iter().cloned());
    }
    exists(
        negated,
        "pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid",
        &conds,
    )
}

/// A table constraint of `rel` (not NOT NULL, not one a partition inherits, not the internal
/// clone of a foreign key to a partitioned table) named `name` and satisfying `extra`. With
/// `name` empty: any such constraint not named in `extra`.
pub(super) fn constraint_presence(
    negated: bool,
    rel: &str,
    name: &str,
    extra: &[String],
) -> String {
    let mut conds = vec![if name.is_empty() {
        format!("k.conrelid = {rel}.oid AND k.contype IN ('p', 'u', 'f', 'c', 'x')")
    } else {
        format!(
            "k.conrelid = {rel}.oid AND k.conname = {} AND k.contype IN ('p', 'u', 'f', 'c', 'x')",
            lit(name)
        )
    }];
    conds.push(format!(
        "(NOT {rel}.relispartition OR (k.conparentid = 0 AND k.conislocal))"
    ));
    if name.is_empty() {
        conds.push("NOT (k.contype = 'f' AND k.conparentid <> 0 AND EXISTS (SELECT FROM pg_catalog.pg_constraint pk WHERE pk.oid = k.conparentid AND pk.conrelid = k.conrelid))".into());
        if !extra.is_empty() {
            conds.push(format!("k.conname NOT IN ({})", list(extra)));
        }
    } else {
        conds.extend(extra.iter().cloned());
    }
    exists(negated, "pg_catalog.pg_constraint k", &conds)
}

pub(super) fn no_other_partitions(rel: &str, partitions: &[QualifiedName], depth: usize) -> String {
    let (h, c, n) = (
        format!("h{depth}"),
        format!("c{depth}"),
        format!("n{depth}"),
    );
    let mut conds = vec![format!("{h}.inhparent = {rel}.oid AND {c}.relispartition")];
    if !partitions.is_empty() {
        let rows: Vec<String> = partitions
            .iter()
            .map(|p| format!("({}, {})", lit(&p.schema), lit(&p.name)))
            .collect();
        conds.push(format!(
            "({n}.nspname, {c}.relname) NOT IN ({})",
            rows.join(", ")
        ));
    }
    exists(
        true,
        &format!(
            "pg_catalog.pg_inherits {h} JOIN pg_catalog.pg_class {c} ON {c}.oid = {h}.inhrelid JOIN pg_catalog.pg_namespace {n} ON {n}.oid = {c}.relnamespace"
        ),
        &conds,
    )
}
