//! One table (or partition) → its statements: CREATE TABLE with columns and constraints,
//! what must follow it (NOT VALID checks, a partition's own constraints and column
//! defaults), its indexes, then its partitions.

use super::super::dto::{ColumnDoc, ConstraintDoc, Item};
use super::super::error::{join_index, join_key, YamlError};
use super::super::events::Pos;
use super::super::qname;
use super::parts::{
    column_sql, constraint_body, ident, index_sql, named, qualified, references_sql,
};
use super::{Gen, TableRef};
use crate::model::QualifiedName;

impl Gen<'_> {
    pub(super) fn table(
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
}
