//! One table (or partition) → its statements: CREATE TABLE with columns and constraints,
//! what must follow it (NOT VALID checks, a partition's own constraints and column
//! defaults), its indexes, then its partitions.

use super::super::access::Cx;
use super::super::dto::{ColumnDoc, ConstraintDoc, Item};
use super::super::error::{join_index, join_key, YamlError};
use super::super::events::Pos;
use super::super::qname;
use super::parts::{
    column_sql, constraint_body, ident, index_sql, named, qualified, references_sql,
};
use super::{Gen, TableRef};
use crate::model::QualifiedName;

/// What one table's statements are built from.
struct Shape<'a> {
    t: &'a TableRef<'a>,
    /// Its own columns, or (a partition without a column list) its parent's.
    columns: &'a [ColumnDoc],
    parent: Option<(&'a QualifiedName, &'a [ColumnDoc])>,
}

impl Shape<'_> {
    fn is_partition(&self) -> bool {
        self.parent.is_some()
    }

    fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    fn path(&self, key: &str) -> String {
        join_key(&self.t.path, key)
    }

    /// Every name in `names` must be one of the table's columns.
    fn check_columns(
        &self,
        cx: Cx<'_>,
        names: &[String],
        pos: Pos,
        path: &str,
    ) -> Result<(), YamlError> {
        let known = self.column_names();
        match names.iter().find(|n| !known.contains(&n.as_str())) {
            None => Ok(()),
            Some(n) => Err(cx.error(
                pos,
                path,
                format!(
                    "'{n}' is not a column of {}, in {path} (columns: {})",
                    self.t.name,
                    known.join(", ")
                ),
            )),
        }
    }
}

/// A constraint to declare, with its path for errors.
type Declared<'a> = (String, &'a Item<ConstraintDoc>);

impl Gen<'_> {
    pub(super) fn table(
        &mut self,
        t: &TableRef<'_>,
        parent: Option<(&QualifiedName, &[ColumnDoc])>,
    ) -> Result<(), YamlError> {
        let shape = Shape {
            t,
            columns: match (&t.doc.columns, parent) {
                (Some(cols), _) => cols,
                (None, Some((_, parent_cols))) => parent_cols,
                (None, None) => &[],
            },
            parent,
        };
        if t.doc.columns.is_some() {
            for (i, c) in shape.columns.iter().enumerate() {
                let path = join_index(&shape.path("columns"), i);
                self.check_column(c, &path, shape.is_partition())?;
            }
        }
        let primary_key = self.primary_key(&shape)?;
        let mut constraints: Vec<Declared<'_>> = Vec::new();
        if let Some(pk) = &primary_key {
            constraints.push((shape.path("primary_key"), pk));
        }
        constraints.extend(self.table_constraints(&shape)?);

        let mut elements = if shape.is_partition() {
            Vec::new()
        } else {
            self.column_definitions(&shape, primary_key.is_none())?
        };
        let mut after: Vec<(Pos, String)> = Vec::new();
        if let (Some(cols), Some((_, parent_cols))) = (&t.doc.columns, parent) {
            after.extend(self.partition_columns(t, cols, parent_cols)?);
        }
        self.place_constraints(&shape, constraints, &mut elements, &mut after)?;

        self.push(t.pos, create_table(&shape, &elements));
        self.created.insert(t.name.clone());
        for (pos, sql) in after {
            self.push(pos, sql);
        }
        self.indexes(&shape)?;
        // Partitions after the parent's indexes, which PostgreSQL then creates on each.
        for item in &t.doc.partitions.0 {
            let key = item.name.as_deref().unwrap_or_default();
            let path = join_key(&shape.path("partitions"), key);
            let name = qname::parse_in(key, &t.name.schema)
                .map_err(|m| self.cx.error(item.pos, &path, format!("{m} in {path}")))?;
            let child = TableRef {
                name,
                path,
                pos: item.pos,
                doc: &item.value,
            };
            self.table(&child, Some((&t.name, shape.columns)))?;
        }
        Ok(())
    }

    /// The table-level primary key: the `primary_key` key, or the composite key that
    /// several `primary_key: true` columns make (as ORMs read them). A single
    /// `primary_key: true` column stays inline (`"id" serial PRIMARY KEY`).
    fn primary_key(&self, shape: &Shape<'_>) -> Result<Option<Item<ConstraintDoc>>, YamlError> {
        let cx = self.cx;
        let t = shape.t;
        let flagged: Vec<&ColumnDoc> = match &t.doc.columns {
            Some(cols) => cols.iter().filter(|c| c.primary_key).collect(),
            None => Vec::new(),
        };
        if let (Some(pk), Some(first)) = (&t.doc.primary_key, flagged.first()) {
            return Err(cx.error(
                pk.pos,
                &shape.path("primary_key"),
                format!(
                    "{} has a table-level primary_key and primary_key: true on column '{}'; \
                     a table has one primary key",
                    t.name, first.name
                ),
            ));
        }
        let pk = match (&t.doc.primary_key, flagged.as_slice()) {
            (Some(pk), _) => pk.clone(),
            (None, [first, _, ..]) => Item {
                name: None,
                pos: first.pos,
                value: ConstraintDoc {
                    primary_key: Some(flagged.iter().map(|c| c.name.clone()).collect()),
                    columns_pos: first.pos,
                    ..ConstraintDoc::default()
                },
            },
            (None, _) => return Ok(None),
        };
        let cols = pk.value.primary_key.as_deref().unwrap_or_default();
        shape.check_columns(cx, cols, pk.value.columns_pos, &shape.path("primary_key"))?;
        for col in cols {
            let column = shape.columns.iter().find(|c| &c.name == col);
            if let Some(c) = column.filter(|c| c.not_null == Some(false)) {
                return Err(cx.error(
                    c.not_null_pos,
                    &shape.path("columns"),
                    format!(
                        "column '{col}' is in the primary key of {}, which makes it NOT NULL; \
                         remove 'nullable: true'",
                        t.name
                    ),
                ));
            }
        }
        Ok(Some(pk))
    }

    /// Table-level constraints in a fixed order: `unique`, `checks`, `foreign_keys`, then
    /// `constraints:` as listed (after the primary key). The order decides PostgreSQL's
    /// numeric suffixes when two unnamed constraints would get the same name.
    fn table_constraints<'d>(&self, shape: &Shape<'d>) -> Result<Vec<Declared<'d>>, YamlError> {
        let doc = shape.t.doc;
        let mut out: Vec<Declared<'d>> = Vec::new();
        for (key, list) in [
            ("unique", &doc.unique),
            ("checks", &doc.checks),
            ("foreign_keys", &doc.foreign_keys),
            ("constraints", &doc.constraints),
        ] {
            for (i, item) in list.0.iter().enumerate() {
                let path = match (&item.name, key) {
                    (Some(n), "constraints") => join_key(&shape.path(key), n),
                    _ => join_index(&shape.path(key), i),
                };
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
                    shape.check_columns(self.cx, cols, c.columns_pos, &path)?;
                }
                if c.inherited && !shape.is_partition() {
                    return Err(self.cx.error(
                        item.pos,
                        &path,
                        format!("'inherited' only applies to a partition's constraints, in {path}"),
                    ));
                }
                out.push((path, item));
            }
        }
        Ok(out)
    }

    /// The column definitions of CREATE TABLE, with their inline constraints. A foreign key
    /// to a table declared later in the document waits for it (as ALTER TABLE, at the end).
    fn column_definitions(
        &mut self,
        shape: &Shape<'_>,
        inline_primary_key: bool,
    ) -> Result<Vec<String>, YamlError> {
        let t = shape.t;
        let schema = &t.name.schema;
        let mut out = Vec::with_capacity(shape.columns.len());
        for c in shape.columns {
            let data_type = self.resolve_type(&c.data_type, schema);
            let references = match &c.references {
                None => None,
                Some(r) => {
                    let sql =
                        references_sql(r, schema, c.match_type, c.on_update, c.on_delete, &[])
                            .map_err(|m| self.cx.error(c.pos, &shape.path("columns"), m))?;
                    if self.must_defer(&t.name, self.target_of(r, schema).as_ref()) {
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
            out.push(column_sql(
                c,
                &data_type,
                inline_primary_key && c.primary_key,
                references.as_deref(),
            ));
        }
        Ok(out)
    }

    /// Each constraint goes inline in CREATE TABLE, right after it (`NOT VALID`, which
    /// PostgreSQL ignores inside CREATE TABLE; a partition's own constraints), or at the end
    /// (foreign keys to later tables, `NOT VALID` foreign keys). Inherited ones are created
    /// by PostgreSQL with the partition.
    fn place_constraints(
        &mut self,
        shape: &Shape<'_>,
        constraints: Vec<Declared<'_>>,
        elements: &mut Vec<String>,
        after: &mut Vec<(Pos, String)>,
    ) -> Result<(), YamlError> {
        let t = shape.t;
        let schema = &t.name.schema;
        for (path, item) in constraints {
            let c = &item.value;
            if c.inherited {
                continue;
            }
            let body = constraint_body(c, schema).map_err(|m| self.cx.error(item.pos, &path, m))?;
            let text = named(item.name.as_deref(), &body);
            let add = format!("ALTER TABLE {} ADD {text}", qualified(&t.name));
            let not_valid = format!("{add} NOT VALID");
            let target = c
                .references
                .as_ref()
                .and_then(|r| self.target_of(r, schema));
            if c.foreign_key.is_some() && c.not_valid {
                self.defer(item.pos, not_valid);
            } else if c.foreign_key.is_some() && self.must_defer(&t.name, target.as_ref()) {
                self.defer(item.pos, add);
            } else if c.not_valid {
                after.push((item.pos, not_valid));
            } else if shape.is_partition() {
                after.push((item.pos, add));
            } else {
                elements.push(text);
            }
        }
        Ok(())
    }

    fn indexes(&mut self, shape: &Shape<'_>) -> Result<(), YamlError> {
        let t = shape.t;
        let column_names = shape.column_names();
        for (i, item) in t.doc.indexes.0.iter().enumerate() {
            let path = match &item.name {
                Some(n) => join_key(&shape.path("indexes"), n),
                None => join_index(&shape.path("indexes"), i),
            };
            let index = &item.value;
            if index.inherited {
                if !shape.is_partition() {
                    return Err(self.cx.error(
                        item.pos,
                        &path,
                        format!("'inherited' only applies to a partition's indexes, in {path}"),
                    ));
                }
                continue;
            }
            shape.check_columns(self.cx, &index.include, item.pos, &path)?;
            for (k, key) in index.columns.iter().enumerate() {
                let pos = index.columns_pos.get(k).copied().unwrap_or(item.pos);
                let key_path = join_index(&join_key(&path, "columns"), k);
                self.check_index_key(key, &column_names, pos, &key_path, &t.name)?;
            }
            let sql = index_sql(item.name.as_deref(), &t.name, index, &column_names);
            self.push(item.pos, sql);
        }
        Ok(())
    }
}

/// `CREATE TABLE t (…)`, or `CREATE TABLE p PARTITION OF t <bound>`, with `PARTITION BY`.
fn create_table(shape: &Shape<'_>, elements: &[String]) -> String {
    let t = shape.t;
    let mut sql = if let Some((parent_name, _)) = shape.parent {
        let bound = t.doc.bound.as_deref().unwrap_or("DEFAULT").trim();
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
    if let Some(by) = &t.doc.partition_by {
        sql.push_str(" PARTITION BY ");
        sql.push_str(by.trim());
    }
    sql
}
