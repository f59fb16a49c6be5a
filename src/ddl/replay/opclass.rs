//! Index operator classes as `pg_get_indexdef` prints them: a class that is the default for
//! its type and access method is not printed, other `pg_catalog` classes print bare, and a
//! class from an extension prints schema-qualified (the search path is pinned to '').
//!
//! The table of built-in classes was generated from `pg_opclass` on PostgreSQL 15 (13 lacks
//! some BRIN classes and `multirange_ops`; 18 has the same set as 15).

use sqlparser::ast::ObjectName;

use super::resolve::split_name;
use crate::model::{quote_ident, PgVersion};

/// `(access method, class, default for some type)` of every `pg_catalog` operator class.
const BUILTIN: &[(&str, &str, bool)] = &[
    ("brin", "bit_minmax_ops", true),
    ("brin", "box_inclusion_ops", true),
    ("brin", "bpchar_bloom_ops", false),
    ("brin", "bpchar_minmax_ops", true),
    ("brin", "bytea_bloom_ops", false),
    ("brin", "bytea_minmax_ops", true),
    ("brin", "char_bloom_ops", false),
    ("brin", "char_minmax_ops", true),
    ("brin", "date_bloom_ops", false),
    ("brin", "date_minmax_multi_ops", false),
    ("brin", "date_minmax_ops", true),
    ("brin", "float4_bloom_ops", false),
    ("brin", "float4_minmax_multi_ops", false),
    ("brin", "float4_minmax_ops", true),
    ("brin", "float8_bloom_ops", false),
    ("brin", "float8_minmax_multi_ops", false),
    ("brin", "float8_minmax_ops", true),
    ("brin", "inet_bloom_ops", false),
    ("brin", "inet_inclusion_ops", true),
    ("brin", "inet_minmax_multi_ops", false),
    ("brin", "inet_minmax_ops", false),
    ("brin", "int2_bloom_ops", false),
    ("brin", "int2_minmax_multi_ops", false),
    ("brin", "int2_minmax_ops", true),
    ("brin", "int4_bloom_ops", false),
    ("brin", "int4_minmax_multi_ops", false),
    ("brin", "int4_minmax_ops", true),
    ("brin", "int8_bloom_ops", false),
    ("brin", "int8_minmax_multi_ops", false),
    ("brin", "int8_minmax_ops", true),
    ("brin", "interval_bloom_ops", false),
    ("brin", "interval_minmax_multi_ops", false),
    ("brin", "interval_minmax_ops", true),
    ("brin", "macaddr8_bloom_ops", false),
    ("brin", "macaddr8_minmax_multi_ops", false),
    ("brin", "macaddr8_minmax_ops", true),
    ("brin", "macaddr_bloom_ops", false),
    ("brin", "macaddr_minmax_multi_ops", false),
    ("brin", "macaddr_minmax_ops", true),
    ("brin", "name_bloom_ops", false),
    ("brin", "name_minmax_ops", true),
    ("brin", "numeric_bloom_ops", false),
    ("brin", "numeric_minmax_multi_ops", false),
    ("brin", "numeric_minmax_ops", true),
    ("brin", "oid_bloom_ops", false),
    ("brin", "oid_minmax_multi_ops", false),
    ("brin", "oid_minmax_ops", true),
    ("brin", "pg_lsn_bloom_ops", false),
    ("brin", "pg_lsn_minmax_multi_ops", false),
    ("brin", "pg_lsn_minmax_ops", true),
    ("brin", "range_inclusion_ops", true),
    ("brin", "text_bloom_ops", false),
    ("brin", "text_minmax_ops", true),
    ("brin", "tid_bloom_ops", false),
    ("brin", "tid_minmax_multi_ops", false),
    ("brin", "tid_minmax_ops", true),
    ("brin", "time_bloom_ops", false),
    ("brin", "time_minmax_multi_ops", false),
    ("brin", "time_minmax_ops", true),
    ("brin", "timestamp_bloom_ops", false),
    ("brin", "timestamp_minmax_multi_ops", false),
    ("brin", "timestamp_minmax_ops", true),
    ("brin", "timestamptz_bloom_ops", false),
    ("brin", "timestamptz_minmax_multi_ops", false),
    ("brin", "timestamptz_minmax_ops", true),
    ("brin", "timetz_bloom_ops", false),
    ("brin", "timetz_minmax_multi_ops", false),
    ("brin", "timetz_minmax_ops", true),
    ("brin", "uuid_bloom_ops", false),
    ("brin", "uuid_minmax_multi_ops", false),
    ("brin", "uuid_minmax_ops", true),
    ("brin", "varbit_minmax_ops", true),
    ("btree", "array_ops", true),
    ("btree", "bit_ops", true),
    ("btree", "bool_ops", true),
    ("btree", "bpchar_ops", true),
    ("btree", "bpchar_pattern_ops", false),
    ("btree", "bytea_ops", true),
    ("btree", "char_ops", true),
    ("btree", "cidr_ops", false),
    ("btree", "date_ops", true),
    ("btree", "enum_ops", true),
    ("btree", "float4_ops", true),
    ("btree", "float8_ops", true),
    ("btree", "inet_ops", true),
    ("btree", "int2_ops", true),
    ("btree", "int4_ops", true),
    ("btree", "int8_ops", true),
    ("btree", "interval_ops", true),
    ("btree", "jsonb_ops", true),
    ("btree", "macaddr8_ops", true),
    ("btree", "macaddr_ops", true),
    ("btree", "money_ops", true),
    ("btree", "multirange_ops", true),
    ("btree", "name_ops", true),
    ("btree", "numeric_ops", true),
    ("btree", "oid_ops", true),
    ("btree", "oidvector_ops", true),
    ("btree", "pg_lsn_ops", true),
    ("btree", "range_ops", true),
    ("btree", "record_image_ops", false),
    ("btree", "record_ops", true),
    ("btree", "text_ops", true),
    ("btree", "text_pattern_ops", false),
    ("btree", "tid_ops", true),
    ("btree", "time_ops", true),
    ("btree", "timestamp_ops", true),
    ("btree", "timestamptz_ops", true),
    ("btree", "timetz_ops", true),
    ("btree", "tsquery_ops", true),
    ("btree", "tsvector_ops", true),
    ("btree", "uuid_ops", true),
    ("btree", "varbit_ops", true),
    ("btree", "varchar_ops", false),
    ("btree", "varchar_pattern_ops", false),
    ("btree", "xid8_ops", true),
    ("gin", "array_ops", true),
    ("gin", "jsonb_ops", true),
    ("gin", "jsonb_path_ops", false),
    ("gin", "tsvector_ops", true),
    ("gist", "box_ops", true),
    ("gist", "circle_ops", true),
    ("gist", "inet_ops", false),
    ("gist", "multirange_ops", true),
    ("gist", "point_ops", true),
    ("gist", "poly_ops", true),
    ("gist", "range_ops", true),
    ("gist", "tsquery_ops", true),
    ("gist", "tsvector_ops", true),
    ("hash", "aclitem_ops", true),
    ("hash", "array_ops", true),
    ("hash", "bool_ops", true),
    ("hash", "bpchar_ops", true),
    ("hash", "bpchar_pattern_ops", false),
    ("hash", "bytea_ops", true),
    ("hash", "char_ops", true),
    ("hash", "cid_ops", true),
    ("hash", "cidr_ops", false),
    ("hash", "date_ops", true),
    ("hash", "enum_ops", true),
    ("hash", "float4_ops", true),
    ("hash", "float8_ops", true),
    ("hash", "inet_ops", true),
    ("hash", "int2_ops", true),
    ("hash", "int4_ops", true),
    ("hash", "int8_ops", true),
    ("hash", "interval_ops", true),
    ("hash", "jsonb_ops", true),
    ("hash", "macaddr8_ops", true),
    ("hash", "macaddr_ops", true),
    ("hash", "multirange_ops", true),
    ("hash", "name_ops", true),
    ("hash", "numeric_ops", true),
    ("hash", "oid_ops", true),
    ("hash", "oidvector_ops", true),
    ("hash", "pg_lsn_ops", true),
    ("hash", "range_ops", true),
    ("hash", "record_ops", true),
    ("hash", "text_ops", true),
    ("hash", "text_pattern_ops", false),
    ("hash", "tid_ops", true),
    ("hash", "time_ops", true),
    ("hash", "timestamp_ops", true),
    ("hash", "timestamptz_ops", true),
    ("hash", "timetz_ops", true),
    ("hash", "uuid_ops", true),
    ("hash", "varchar_ops", false),
    ("hash", "varchar_pattern_ops", false),
    ("hash", "xid8_ops", true),
    ("hash", "xid_ops", true),
    ("spgist", "box_ops", true),
    ("spgist", "inet_ops", true),
    ("spgist", "kd_point_ops", false),
    ("spgist", "poly_ops", true),
    ("spgist", "quad_point_ops", true),
    ("spgist", "range_ops", true),
    ("spgist", "text_ops", true),
];

/// The operator class written on an index key, as `pg_get_indexdef` would print it for
/// `method`; `None` when it is the default (not printed). `extension_schema` is where a
/// class not in `pg_catalog` most likely lives (extensions install into the first schema of
/// the search path).
pub(crate) fn render(name: &ObjectName, method: &str, extension_schema: &str) -> Option<String> {
    let v = PgVersion::DEFAULT;
    let (schema, class) = split_name(name).ok()?;
    let builtin = BUILTIN.iter().find(|(m, c, _)| *m == method && *c == class);
    match (schema.as_deref(), builtin) {
        (None | Some("pg_catalog"), Some((_, _, true))) => None,
        (None | Some("pg_catalog"), Some((_, _, false))) => Some(quote_ident(&class, v)),
        (Some(schema), _) => Some(format!(
            "{}.{}",
            quote_ident(schema, v),
            quote_ident(&class, v)
        )),
        (None, None) => Some(format!(
            "{}.{}",
            quote_ident(extension_schema, v),
            quote_ident(&class, v)
        )),
    }
}

/// The class of a key written with parameters (`tsvector_ops (siglen=100)`): printed even
/// when it is the type's default, followed by the parameters.
pub(crate) fn with_options(
    rendered: Option<String>,
    key: &sqlparser::ast::IndexColumn,
    options: &str,
) -> Option<String> {
    let class = rendered.or_else(|| {
        let (_, class) = split_name(key.operator_class.as_ref()?).ok()?;
        Some(quote_ident(&class, PgVersion::DEFAULT))
    })?;
    Some(format!("{class} ({options})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::Ident;

    fn name(parts: &[&str]) -> ObjectName {
        ObjectName::from(parts.iter().map(|p| Ident::new(*p)).collect::<Vec<_>>())
    }

    #[test]
    fn builtin_table_is_sorted_and_unique() {
        assert!(BUILTIN
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
    }

    #[test]
    fn defaults_vanish_others_print() {
        assert_eq!(render(&name(&["jsonb_ops"]), "gin", "public"), None);
        assert_eq!(render(&name(&["text_ops"]), "btree", "public"), None);
        assert_eq!(
            render(&name(&["text_pattern_ops"]), "btree", "public").as_deref(),
            Some("text_pattern_ops")
        );
        assert_eq!(
            render(&name(&["jsonb_path_ops"]), "gin", "public").as_deref(),
            Some("jsonb_path_ops")
        );
        assert_eq!(
            render(&name(&["gin_trgm_ops"]), "gin", "public").as_deref(),
            Some("public.gin_trgm_ops")
        );
        assert_eq!(
            render(&name(&["ext", "gin_trgm_ops"]), "gin", "public").as_deref(),
            Some("ext.gin_trgm_ops")
        );
    }
}
