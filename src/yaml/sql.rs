//! A hand-written `Document` → SQL DDL statements, each with the YAML line it comes from,
//! for pgdrift's SQL replay to apply after the migrations. The replay, not this module,
//! decides what the SQL means (serial, implicit names, canonical defaults), so YAML
//! shorthand means exactly what the same SQL in a migration means.
//!
//! Order: `CREATE SCHEMA IF NOT EXISTS` for schemas other than public, `CREATE TYPE … AS
//! ENUM`, then each table in document order (`CREATE TABLE`, its `NOT VALID` checks, its
//! indexes, then its partitions the same way), and last the foreign keys that point at a
//! table declared later in the document (or are `NOT VALID`) as `ALTER TABLE … ADD`.

use std::collections::BTreeSet;

use super::access::Cx;
use super::dto::{ColumnDoc, ConstraintDoc, Document, Item, TableDoc, DEFAULT_SCHEMA};
use super::error::{join_index, join_key, YamlError};
use super::events::Pos;
use super::qname;
use super::sql_parts::{
    column_sql, constraint_body, ident, index_sql, is_order_suffix, named, qualified,
    references_sql, sql_reference_target,
};
use super::YamlStatement;
use crate::model::{quote_literal, Location, QualifiedName};

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
    };
    // Every declared name first: types and foreign keys may point forward.
    let mut tables: Vec<TableRef<'_>> = Vec::new();
    for ns in &namespaces {
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

    let mut schemas_created = BTreeSet::new();
    for ns in &namespaces {
        if ns.schema != DEFAULT_SCHEMA && schemas_created.insert(ns.schema.to_string()) {
            gen.push(
                ns.pos,
                format!("CREATE SCHEMA IF NOT EXISTS {}", ident(ns.schema)),
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
        for item in &doc.partitions.0 {
            let key = item.name.as_deref().unwrap_or_default();
            let ppath = join_key(&join_key(path, "partitions"), key);
            let pname = qname::parse_in(key, &name.schema)
                .map_err(|m| self.cx.error(item.pos, &ppath, format!("{m} in {ppath}")))?;
            self.declare(&pname, item.pos, &ppath, &item.value)?;
        }
        Ok(())
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

    fn target_of(&self, r: &super::dto::ReferencesDoc, schema: &str) -> Option<QualifiedName> {
        match r {
            super::dto::ReferencesDoc::Sql(text) => sql_reference_target(text),
            super::dto::ReferencesDoc::Target { table, .. } => qname::parse_in(table, schema).ok(),
        }
    }

    fn table(
        &mut self,
        t: &TableRef<'_>,
        parent: Option<(&QualifiedName, &[ColumnDoc])>,
    ) -> Result<(), YamlError> {
        let cx = self.cx;
        let doc = t.doc;
        let schema = t.name.schema.clone();
        let columns: &[ColumnDoc] = match (&doc.columns, parent) {
            (Some(cols), _) => cols,
            (None, Some((_, parent_cols))) => parent_cols,
            (None, None) => &[],
        };
        let column_names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let is_partition = parent.is_some();
        let check_columns = |names: &[String], pos: Pos, path: &str| -> Result<(), YamlError> {
            for n in names {
                if !column_names.contains(&n.as_str()) {
                    return Err(cx.error(
                        pos,
                        path,
                        format!(
                            "'{n}' is not a column of {}, in {path} (columns: {})",
                            t.name,
                            column_names.join(", ")
                        ),
                    ));
                }
            }
            Ok(())
        };

        // Column checks and the primary key.
        let columns_path = join_key(&t.path, "columns");
        let mut pk_columns: Vec<&ColumnDoc> = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if doc.columns.is_none() {
                break; // the parent's columns, checked with the parent
            }
            let path = join_index(&columns_path, i);
            self.check_column(c, &path, is_partition)?;
            if c.primary_key {
                pk_columns.push(c);
            }
        }
        if let (Some(pk), false) = (&doc.primary_key, pk_columns.is_empty()) {
            return Err(cx.error(
                pk.pos,
                &join_key(&t.path, "primary_key"),
                format!(
                    "{} has a table-level primary_key and primary_key: true on column '{}'; \
                     a table has one primary key",
                    t.name, pk_columns[0].name
                ),
            ));
        }
        let mut table_pk: Option<Item<ConstraintDoc>> = doc.primary_key.clone();
        // Several `primary_key: true` columns make one composite key, as ORMs read them.
        if pk_columns.len() > 1 {
            table_pk = Some(Item {
                name: None,
                pos: pk_columns[0].pos,
                value: ConstraintDoc {
                    primary_key: Some(pk_columns.iter().map(|c| c.name.clone()).collect()),
                    columns_pos: pk_columns[0].pos,
                    ..ConstraintDoc::default()
                },
            });
        }
        let pk_inline = pk_columns.len() == 1;
        if let Some(pk) = &table_pk {
            let cols = pk.value.primary_key.as_deref().unwrap_or_default();
            let path = join_key(&t.path, "primary_key");
            check_columns(cols, pk.value.columns_pos, &path)?;
            for col in cols {
                if let Some(c) = columns.iter().find(|c| &c.name == col) {
                    if c.not_null == Some(false) {
                        return Err(cx.error(
                            c.not_null_pos,
                            &columns_path,
                            format!(
                                "column '{col}' is in the primary key of {}, which makes it NOT \
                                 NULL; remove 'nullable: true'",
                                t.name
                            ),
                        ));
                    }
                }
            }
        }

        // Table-level constraints in a fixed order: primary key, unique, checks, foreign
        // keys, then `constraints:` as listed. The order decides PostgreSQL's numeric
        // suffixes when two unnamed constraints would get the same name.
        let mut table_constraints: Vec<(String, &Item<ConstraintDoc>)> = Vec::new();
        for (key, list) in [
            ("unique", &doc.unique),
            ("checks", &doc.checks),
            ("foreign_keys", &doc.foreign_keys),
            ("constraints", &doc.constraints),
        ] {
            for (i, item) in list.0.iter().enumerate() {
                let path = match (&item.name, key) {
                    (Some(n), "constraints") => join_key(&join_key(&t.path, key), n),
                    _ => join_index(&join_key(&t.path, key), i),
                };
                table_constraints.push((path, item));
            }
        }
        for (path, item) in &table_constraints {
            let c = &item.value;
            for cols in [
                c.primary_key.as_deref(),
                c.unique.as_deref(),
                c.foreign_key.as_deref(),
                Some(c.include.as_slice()),
                Some(c.on_delete_set.as_slice()),
            ]
            .into_iter()
            .flatten()
            {
                check_columns(cols, c.columns_pos, path)?;
            }
            if c.inherited && !is_partition {
                return Err(cx.error(
                    item.pos,
                    path,
                    format!("'inherited' only applies to a partition's constraints, in {path}"),
                ));
            }
        }

        // Partitions take their columns from the parent: no column list in SQL, and the
        // constraints of the partition itself are added afterwards.
        let mut elements: Vec<String> = Vec::new();
        let mut after: Vec<(Pos, String)> = Vec::new();
        if !is_partition {
            for c in columns {
                let data_type = self.resolve_type(&c.data_type, &schema);
                let references = match &c.references {
                    None => None,
                    Some(r) => {
                        let sql =
                            references_sql(r, &schema, c.match_type, c.on_update, c.on_delete, &[])
                                .map_err(|m| cx.error(c.pos, &columns_path, m))?;
                        if self.must_defer(&t.name, self.target_of(r, &schema).as_ref()) {
                            self.defer(
                                c.pos,
                                format!(
                                    "ALTER TABLE {} ADD FOREIGN KEY ({}) {sql}",
                                    qualified(&t.name),
                                    ident(&c.name)
                                ),
                            );
                            None
                        } else {
                            Some(sql)
                        }
                    }
                };
                elements.push(column_sql(
                    c,
                    &data_type,
                    pk_inline && c.primary_key,
                    references.as_deref(),
                ));
            }
        } else if let (Some(cols), Some((_, parent_cols))) = (&doc.columns, parent) {
            after.extend(self.partition_columns(t, cols, parent_cols)?);
        }
        let mut all: Vec<(String, &Item<ConstraintDoc>)> = Vec::new();
        let pk_path = join_key(&t.path, "primary_key");
        if let Some(pk) = &table_pk {
            all.push((pk_path, pk));
        }
        all.extend(table_constraints.iter().map(|(p, i)| (p.clone(), *i)));
        for (path, item) in all {
            let c = &item.value;
            if c.inherited {
                continue; // created by PostgreSQL with the partition
            }
            let body = constraint_body(c, &schema).map_err(|m| cx.error(item.pos, &path, m))?;
            let text = named(item.name.as_deref(), &body);
            let is_fk = c.foreign_key.is_some();
            let target = c
                .references
                .as_ref()
                .and_then(|r| self.target_of(r, &schema));
            let add = format!("ALTER TABLE {} ADD {text}", qualified(&t.name));
            if is_fk && (c.not_valid || self.must_defer(&t.name, target.as_ref())) {
                let sql = if c.not_valid {
                    format!("{add} NOT VALID")
                } else {
                    add
                };
                self.defer(item.pos, sql);
            } else if c.not_valid {
                // NOT VALID is ignored inside CREATE TABLE; only ALTER TABLE keeps it.
                after.push((item.pos, format!("{add} NOT VALID")));
            } else if is_partition {
                after.push((item.pos, add));
            } else {
                elements.push(text);
            }
        }

        let mut sql = if let Some((parent_name, _)) = parent {
            let bound = doc.bound.as_deref().unwrap_or("DEFAULT").trim();
            format!(
                "CREATE TABLE {} PARTITION OF {} {bound}",
                qualified(&t.name),
                qualified(parent_name)
            )
        } else if elements.is_empty() {
            format!("CREATE TABLE {} ()", qualified(&t.name))
        } else {
            format!(
                "CREATE TABLE {} (\n    {}\n)",
                qualified(&t.name),
                elements.join(",\n    ")
            )
        };
        if let Some(by) = &doc.partition_by {
            sql.push_str(" PARTITION BY ");
            sql.push_str(by.trim());
        }
        self.push(t.pos, sql);
        self.created.insert(t.name.clone());
        for (pos, sql) in after {
            self.push(pos, sql);
        }

        // Indexes.
        for (i, item) in doc.indexes.0.iter().enumerate() {
            let path = match &item.name {
                Some(n) => join_key(&join_key(&t.path, "indexes"), n),
                None => join_index(&join_key(&t.path, "indexes"), i),
            };
            let index = &item.value;
            if index.inherited {
                if !is_partition {
                    return Err(cx.error(
                        item.pos,
                        &path,
                        format!("'inherited' only applies to a partition's indexes, in {path}"),
                    ));
                }
                continue;
            }
            check_columns(&index.include, item.pos, &path)?;
            for (k, key) in index.columns.iter().enumerate() {
                let pos = index.columns_pos.get(k).copied().unwrap_or(item.pos);
                self.check_index_key(
                    key,
                    &column_names,
                    pos,
                    &join_index(&join_key(&path, "columns"), k),
                    &t.name,
                )?;
            }
            let sql = index_sql(item.name.as_deref(), &t.name, index, &column_names);
            self.push(item.pos, sql);
        }

        // Partitions, after the parent's indexes (which PostgreSQL then creates on each).
        for item in &doc.partitions.0 {
            let key = item.name.as_deref().unwrap_or_default();
            let ppath = join_key(&join_key(&t.path, "partitions"), key);
            let pname = qname::parse_in(key, &schema)
                .map_err(|m| cx.error(item.pos, &ppath, format!("{m} in {ppath}")))?;
            let child = TableRef {
                name: pname,
                path: ppath,
                pos: item.pos,
                doc: &item.value,
            };
            self.table(&child, Some((&t.name, columns)))?;
        }
        Ok(())
    }

    fn check_column(&self, c: &ColumnDoc, path: &str, is_partition: bool) -> Result<(), YamlError> {
        let cx = self.cx;
        let conflict = |what: &str| {
            cx.error(
                c.pos,
                path,
                format!("column '{}' {what}, in {path}", c.name),
            )
        };
        if is_partition {
            let shorthand = c.primary_key
                || c.unique
                || c.references.is_some()
                || c.check.is_some()
                || c.identity.is_some()
                || c.generated.is_some()
                || c.collation.is_some();
            if shorthand {
                return Err(conflict(
                    "of a partition sets more than not_null and default; a partition's columns \
                     come from its parent (declare constraints under the partition's constraints:)",
                ));
            }
            return Ok(());
        }
        let serial = SERIAL_TYPES.contains(&c.data_type.trim().to_ascii_lowercase().as_str());
        if c.not_null == Some(false) {
            if c.primary_key {
                return Err(conflict("is a primary key, so it cannot be nullable: true"));
            }
            if c.identity.is_some() {
                return Err(conflict(
                    "is an identity column, so it cannot be nullable: true",
                ));
            }
            if serial {
                return Err(conflict(&format!(
                    "is {}, which is NOT NULL, so it cannot be nullable: true",
                    c.data_type.trim()
                )));
            }
        }
        if c.default.is_some() && (c.identity.is_some() || c.generated.is_some() || serial) {
            return Err(conflict(
                "has a default and is also serial, identity or generated (PostgreSQL allows one)",
            ));
        }
        if c.identity.is_some() && c.generated.is_some() {
            return Err(conflict("cannot be both identity and generated"));
        }
        Ok(())
    }

    /// `ALTER COLUMN` statements for a partition whose columns are listed (as a snapshot
    /// lists them): defaults and NOT NULL that differ from the parent.
    fn partition_columns(
        &self,
        t: &TableRef<'_>,
        cols: &[ColumnDoc],
        parent_cols: &[ColumnDoc],
    ) -> Result<Vec<(Pos, String)>, YamlError> {
        let mut out = Vec::new();
        let table = qualified(&t.name);
        for (i, c) in cols.iter().enumerate() {
            let path = join_index(&join_key(&t.path, "columns"), i);
            let Some(p) = parent_cols.iter().find(|p| p.name == c.name) else {
                return Err(self.cx.error(
                    c.pos,
                    &path,
                    format!(
                        "partition {} lists column '{}', which its parent does not have",
                        t.name, c.name
                    ),
                ));
            };
            let column = ident(&c.name);
            match (&c.default, &p.default) {
                (Some(d), pd) if pd.as_deref().map(str::trim) != Some(d.trim()) => out.push((
                    c.pos,
                    format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {}",
                        d.trim()
                    ),
                )),
                (None, Some(_)) => out.push((
                    c.pos,
                    format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT"),
                )),
                _ => {}
            }
            if c.not_null == Some(true) && p.not_null != Some(true) && !p.primary_key {
                out.push((
                    c.pos,
                    format!("ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"),
                ));
            }
        }
        Ok(out)
    }

    /// An index key that names a column must name one of the table's: exactly (a mapping's
    /// `column:`), or as SQL would fold a plain word (`Email` finds `email`).
    fn check_index_key(
        &self,
        key: &super::dto::IndexKeyDoc,
        columns: &[&str],
        pos: Pos,
        path: &str,
        table: &QualifiedName,
    ) -> Result<(), YamlError> {
        let word = match key {
            super::dto::IndexKeyDoc::Spec(spec) => match &spec.column {
                Some(c) if !columns.contains(&c.as_str()) => Some(c.clone()),
                _ => None,
            },
            super::dto::IndexKeyDoc::Bare(text) => {
                let text = text.trim();
                let first = match text.split_once(char::is_whitespace) {
                    Some((first, rest)) if is_order_suffix(rest) => first,
                    Some(_) => return Ok(()),
                    None => text,
                };
                let simple = first
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && first
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
                let known = columns.contains(&first)
                    || columns.contains(&first.to_ascii_lowercase().as_str());
                (simple && !known).then(|| first.to_string())
            }
        };
        match word {
            None => Ok(()),
            Some(w) => Err(self.cx.error(
                pos,
                path,
                format!(
                    "'{w}' is not a column of {table}, in {path} (columns: {})",
                    columns.join(", ")
                ),
            )),
        }
    }
}
