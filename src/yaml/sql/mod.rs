//! A hand-written `Document` → SQL DDL statements, each with the YAML line it comes from,
//! for pgdrift's SQL replay to apply after the migrations. The replay, not this module,
//! decides what the SQL means (serial, implicit names, canonical defaults), so YAML
//! shorthand means exactly what the same SQL in a migration means.
//!
//! Order: `CREATE SCHEMA IF NOT EXISTS` for schemas other than public, `CREATE TYPE … AS
//! ENUM`, then each table in document order (`CREATE TABLE`, its `NOT VALID` checks, its
//! indexes, then its partitions the same way), and last the foreign keys that point at a
//! table declared later in the document (or are `NOT VALID`) as `ALTER TABLE … ADD`.

mod checks;
mod parts;
mod table;

use std::collections::BTreeSet;

use super::access::Cx;
use super::dto::{Document, ReferencesDoc, TableDoc, DEFAULT_SCHEMA};
use super::error::{join_key, YamlError};
use super::events::Pos;
use super::qname;
use super::YamlStatement;
use crate::model::{quote_literal, Location, QualifiedName};
use parts::{ident, qualified, sql_reference_target};

/// The serial pseudo-types: they add NOT NULL, so they cannot be nullable.
const SERIAL_TYPES: [&str; 6] = [
    "serial",
    "serial4",
    "bigserial",
    "serial8",
    "smallserial",
    "serial2",
];

struct TableRef<'d> {
    name: QualifiedName,
    path: String,
    pos: Pos,
    doc: &'d TableDoc,
}

struct Gen<'f> {
    cx: Cx<'f>,
    out: Vec<YamlStatement>,
    /// Foreign keys added after every table exists.
    deferred: Vec<YamlStatement>,
    /// Every table and partition the document declares.
    declared: BTreeSet<QualifiedName>,
    created: BTreeSet<QualifiedName>,
    enums: BTreeSet<QualifiedName>,
    /// Every schema the document puts something in, in order of first mention.
    schemas: Vec<(String, Pos)>,
}

pub(crate) fn statements(cx: Cx<'_>, doc: &Document) -> Result<Vec<YamlStatement>, YamlError> {
    let namespaces = doc.namespaces();
    let mut gen = Gen {
        cx,
        out: Vec::new(),
        deferred: Vec::new(),
        declared: BTreeSet::new(),
        created: BTreeSet::new(),
        enums: BTreeSet::new(),
        schemas: Vec::new(),
    };
    // Every declared name first: types and foreign keys may point forward.
    let mut tables: Vec<TableRef<'_>> = Vec::new();
    for ns in &namespaces {
        gen.mention_schema(ns.schema, ns.pos);
        for item in &ns.enums.0 {
            let name = QualifiedName::new(ns.schema, item.name.clone().unwrap_or_default());
            if !gen.enums.insert(name.clone()) {
                return Err(cx.error(
                    item.pos,
                    &ns.path_of("enums"),
                    format!("enum {name} is declared twice"),
                ));
            }
        }
        for item in &ns.tables.0 {
            let name = QualifiedName::new(ns.schema, item.name.clone().unwrap_or_default());
            let path = join_key(&ns.path_of("tables"), &name.name);
            gen.declare(&name, item.pos, &path, &item.value)?;
            tables.push(TableRef {
                name,
                path,
                pos: item.pos,
                doc: &item.value,
            });
        }
    }

    for (schema, pos) in gen.schemas.clone() {
        if schema != DEFAULT_SCHEMA {
            gen.push(
                pos,
                format!("CREATE SCHEMA IF NOT EXISTS {}", ident(&schema)),
            );
        }
    }
    for ns in &namespaces {
        for item in &ns.enums.0 {
            let name = QualifiedName::new(ns.schema, item.name.clone().unwrap_or_default());
            let labels: Vec<String> = item.value.labels.iter().map(|l| quote_literal(l)).collect();
            gen.push(
                item.pos,
                format!(
                    "CREATE TYPE {} AS ENUM ({})",
                    qualified(&name),
                    labels.join(", ")
                ),
            );
        }
    }
    for table in &tables {
        gen.table(table, None)?;
    }
    let mut out = gen.out;
    out.append(&mut gen.deferred);
    Ok(out)
}

impl Gen<'_> {
    fn push(&mut self, pos: Pos, sql: String) {
        self.out.push(YamlStatement {
            sql,
            location: Location {
                file: self.cx.file.to_string(),
                line: pos.line,
            },
        });
    }

    fn defer(&mut self, pos: Pos, sql: String) {
        self.deferred.push(YamlStatement {
            sql,
            location: Location {
                file: self.cx.file.to_string(),
                line: pos.line,
            },
        });
    }

    /// Record a table and its partitions (recursively) as declared.
    fn declare(
        &mut self,
        name: &QualifiedName,
        pos: Pos,
        path: &str,
        doc: &TableDoc,
    ) -> Result<(), YamlError> {
        if !self.declared.insert(name.clone()) {
            return Err(self.cx.error(
                pos,
                path,
                format!("table {name} is declared twice in this file"),
            ));
        }
        self.mention_schema(&name.schema, pos);
        for item in &doc.partitions.0 {
            let key = item.name.as_deref().unwrap_or_default();
            let ppath = join_key(&join_key(path, "partitions"), key);
            let pname = qname::parse_in(key, &name.schema)
                .map_err(|m| self.cx.error(item.pos, &ppath, format!("{m} in {ppath}")))?;
            self.declare(&pname, item.pos, &ppath, &item.value)?;
        }
        Ok(())
    }

    fn mention_schema(&mut self, schema: &str, pos: Pos) {
        if !self.schemas.iter().any(|(s, _)| s == schema) {
            self.schemas.push((schema.to_string(), pos));
        }
    }

    /// A type written as the exact name of an enum the document declares (in the table's
    /// schema, or in public; `Status`, `Status[]`, `public.Status`) becomes that enum,
    /// quoted and qualified; anything else is SQL, copied as written.
    fn resolve_type(&self, text: &str, schema: &str) -> String {
        let trimmed = text.trim();
        let mut base = trimmed;
        let mut dims = 0;
        while let Some(b) = base.strip_suffix("[]") {
            base = b.trim_end();
            dims += 1;
        }
        let candidates = match qname::parse(base) {
            Ok((Some(s), n)) => vec![QualifiedName::new(s, n)],
            Ok((None, n)) => vec![
                QualifiedName::new(schema, n.clone()),
                QualifiedName::new(DEFAULT_SCHEMA, n),
            ],
            Err(_) => Vec::new(),
        };
        match candidates.into_iter().find(|c| self.enums.contains(c)) {
            Some(found) => format!("{}{}", qualified(&found), "[]".repeat(dims)),
            None => trimmed.to_string(),
        }
    }

    /// Whether a foreign key to `target` must wait until every table exists.
    fn must_defer(&self, own: &QualifiedName, target: Option<&QualifiedName>) -> bool {
        match target {
            Some(t) => t != own && self.declared.contains(t) && !self.created.contains(t),
            None => false,
        }
    }

    fn target_of(&self, r: &ReferencesDoc, schema: &str) -> Option<QualifiedName> {
        match r {
            ReferencesDoc::Sql(text) => sql_reference_target(text),
            ReferencesDoc::Target { table, .. } => qname::parse_in(table, schema).ok(),
        }
    }
}
