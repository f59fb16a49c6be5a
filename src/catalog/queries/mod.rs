//! The catalog queries, one `.sql` file per object kind, and their per-version variants.
//!
//! The files hold `{{marker}}`s that are replaced by fixed SQL fragments chosen by server
//! version (catalog columns that only exist on some versions); user data never enters the
//! text, it is passed as parameters (`$1` = schemas in scope).

use crate::model::PgVersion;

const NAMESPACES: &str = include_str!("namespaces.sql");
const RELATIONS: &str = include_str!("relations.sql");
const COLUMNS: &str = include_str!("columns.sql");
const CONSTRAINTS: &str = include_str!("constraints.sql");
const INDEXES: &str = include_str!("indexes.sql");
const ENUMS: &str = include_str!("enums.sql");
const OPCLASSES: &str = include_str!("opclasses.sql");
const TYPES: &str = include_str!("types.sql");
const COLLATIONS: &str = include_str!("collations.sql");

/// Follow-up queries (second round trip, same snapshot).
pub const INDEX_DEFINITIONS: &str = include_str!("index_definitions.sql");
pub const ATTRIBUTE_NAMES: &str = include_str!("attribute_names.sql");

/// Which relations are read: not in a system schema, not created by an extension (nor in a
/// schema an extension created), and in scope. A partition is in scope when the root of its
/// partition tree is, wherever the partition itself lives, so that a partitioned table in
/// scope always comes with all its partitions. Needs aliases `c` (pg_class) and `n` (its
/// pg_namespace).
const RELATION_SCOPE: &str = "n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND c.oid NOT IN ({{extension_members}} AND d.classid = 'pg_class'::regclass)
  AND n.oid NOT IN ({{extension_members}} AND d.classid = 'pg_namespace'::regclass)
  AND (cardinality($1::text[]) = 0
       OR (CASE WHEN c.relispartition
                THEN (SELECT rn.nspname FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace
                      WHERE r.oid = pg_partition_root(c.oid))
                ELSE n.nspname END) = ANY ($1::text[]))";

/// Objects that belong to an extension (`pg_depend.deptype = 'e'`), found through the index
/// on the referenced side (`refclassid` = pg_extension), which lists only extension members;
/// the caller adds the catalog of the member.
const EXTENSION_MEMBERS: &str = "SELECT d.objid FROM pg_depend d
        WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'";

/// get_reloptions (ruleutils.c) for one `name=value` element `r.opt`: the value bare when
/// quote_ident leaves it alone, else a literal with doubled quotes.
const RENDER_OPTION: &str = "quote_ident(split_part(r.opt, '=', 1)) || '=' ||
           CASE WHEN quote_ident(substr(r.opt, strpos(r.opt, '=') + 1)) = substr(r.opt, strpos(r.opt, '=') + 1)
                THEN substr(r.opt, strpos(r.opt, '=') + 1)
                ELSE '''' || replace(substr(r.opt, strpos(r.opt, '=') + 1), '''', '''''') || '''' END";

/// The queries for one server version.
#[derive(Debug, Clone)]
pub struct Queries {
    pub namespaces: String,
    pub relations: String,
    pub columns: String,
    pub constraints: String,
    pub indexes: String,
    pub enums: String,
    pub opclasses: String,
    pub types: String,
    pub collations: String,
}

impl Queries {
    pub fn for_version(version: PgVersion) -> Queries {
        let v = version.major();
        let fragments: &[(&str, &str)] = &[
            ("relation_scope", RELATION_SCOPE),
            ("extension_members", EXTENSION_MEMBERS),
            ("render_option", RENDER_OPTION),
            (
                "index_nulls_not_distinct",
                if v >= 15 {
                    "i.indnullsnotdistinct"
                } else {
                    "false"
                },
            ),
            (
                "key_nulls_not_distinct",
                if v >= 15 {
                    "i.indnullsnotdistinct"
                } else {
                    "false"
                },
            ),
            (
                "delete_set_columns",
                if v >= 15 {
                    "co.confdelsetcols"
                } else {
                    "NULL::int2[]"
                },
            ),
            (
                "conenforced",
                if v >= 18 { "co.conenforced" } else { "true" },
            ),
            ("conperiod", if v >= 18 { "co.conperiod" } else { "false" }),
            (
                "invalid_not_null",
                if v >= 18 {
                    "OR (co.contype = 'n' AND NOT co.convalidated)"
                } else {
                    ""
                },
            ),
        ];
        let render = |template: &str| expand(template, fragments);
        Queries {
            namespaces: render(NAMESPACES),
            relations: render(RELATIONS),
            columns: render(COLUMNS),
            constraints: render(CONSTRAINTS),
            indexes: render(INDEXES),
            enums: render(ENUMS),
            opclasses: render(OPCLASSES),
            types: render(TYPES),
            collations: render(COLLATIONS),
        }
    }
}

/// Replace every `{{name}}` by its fragment.
fn expand(template: &str, fragments: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, fragment) in fragments {
        out = out.replace(&format!("{{{{{name}}}}}"), fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_is_replaced_on_every_version() {
        for v in 13..=18 {
            let q = Queries::for_version(PgVersion(v));
            for sql in [
                &q.namespaces,
                &q.relations,
                &q.columns,
                &q.constraints,
                &q.indexes,
                &q.enums,
                &q.opclasses,
                &q.types,
                &q.collations,
                &INDEX_DEFINITIONS.to_string(),
                &ATTRIBUTE_NAMES.to_string(),
            ] {
                assert!(!sql.contains("{{"), "unreplaced marker on {v}: {sql}");
                // Every answer is deterministic: ordered by the server, or (the columns,
                // whose rows are wide) by the reader.
                assert!(
                    sql.contains("ORDER BY") || std::ptr::eq(sql, &q.columns),
                    "every query is ordered"
                );
            }
        }
    }

    #[test]
    fn version_specific_columns_appear_only_where_they_exist() {
        let v13 = Queries::for_version(PgVersion(13));
        let v15 = Queries::for_version(PgVersion(15));
        let v18 = Queries::for_version(PgVersion(18));
        assert!(!v13.indexes.contains("indnullsnotdistinct"));
        assert!(v15.indexes.contains("indnullsnotdistinct"));
        assert!(!v13.constraints.contains("confdelsetcols"));
        assert!(v15.constraints.contains("confdelsetcols"));
        assert!(!v15.constraints.contains("conenforced"));
        assert!(v18.constraints.contains("conenforced"));
    }
}
