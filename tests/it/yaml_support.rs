//! Shared by the YAML integration tests: the SQL a YAML file becomes, and a table as the
//! server prints it.

use std::collections::BTreeSet;
use std::path::Path;

use pgdrift::yaml::{self, YamlSource};

use crate::harness::TestDb;

/// The SQL the YAML reader makes of `path`, joined into one script.
pub(crate) fn yaml_sql(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let display = path.file_name().unwrap().to_string_lossy().to_string();
    yaml_text_sql(&text, &display)
}

/// The SQL the YAML reader makes of `text` (named `display`), joined into one script.
pub(crate) fn yaml_text_sql(text: &str, display: &str) -> String {
    let display = display.to_string();
    match yaml::read(text, &display) {
        Ok(YamlSource::Statements(statements)) => {
            assert!(!statements.is_empty());
            statements
                .iter()
                .map(|s| {
                    assert_eq!(s.location.file, display);
                    assert!(s.location.line >= 1);
                    format!("{};\n", s.sql)
                })
                .collect()
        }
        Ok(YamlSource::Canonical(_)) => panic!("{display} read as a snapshot"),
        Err(e) => panic!("{e}"),
    }
}

/// One line per column, constraint and index of `public.<table>`, as the server prints them
/// with `search_path` pinned to '' (the canonical text pgdrift compares). Indexes that back a
/// constraint are the constraint's (as in the model), so they are not listed twice.
pub(crate) fn table_rows(db: &TestDb, table: &str) -> BTreeSet<String> {
    table_rows_in(db, "public", table)
}

/// `table_rows` for a table in `schema`.
pub(crate) fn table_rows_in(db: &TestDb, schema: &str, table: &str) -> BTreeSet<String> {
    let sql = format!(
        "SET search_path = ''; \
         WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                    WHERE n.nspname = '{schema}' AND c.relname = '{table}') \
         SELECT 'column ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) \
                || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
                || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') \
                || CASE a.attidentity WHEN '' THEN '' ELSE ' IDENTITY ' || a.attidentity::text END \
                || CASE a.attgenerated WHEN '' THEN '' ELSE ' GENERATED ' || a.attgenerated::text END \
                || CASE WHEN a.attcollation <> ty.typcollation \
                        THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END \
           FROM pg_attribute a JOIN t ON a.attrelid = t.oid \
           JOIN pg_type ty ON ty.oid = a.atttypid \
           LEFT JOIN pg_collation co ON co.oid = a.attcollation \
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
          WHERE a.attnum > 0 AND NOT a.attisdropped \
         UNION ALL \
         SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(c.oid) \
           FROM pg_constraint c JOIN t ON c.conrelid = t.oid WHERE c.contype <> 'n' \
         UNION ALL \
         SELECT 'index ' || pg_get_indexdef(i.indexrelid) \
           FROM pg_index i JOIN t ON i.indrelid = t.oid \
          WHERE NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid \
                               AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) \
         ORDER BY 1"
    );
    let out = db.exec(&sql);
    out.lines().map(str::to_string).collect()
}
