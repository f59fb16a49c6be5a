//! Renames and moves, with what PostgreSQL keeps and what it changes: a renamed table keeps
//! its constraint, index and sequence names, but definitions that print it (foreign keys
//! elsewhere) show the new name; a renamed column changes every key and expression that
//! uses it (expressions render again, see `rewrite`); renaming an index-backed constraint
//! renames its index and the other way round; `SET SCHEMA` moves indexes and owned
//! sequences along.

use super::rewrite::rename_column_refs;
use super::{Apply, Fail, ReplayResult};
use crate::model::{ConstraintKind, IndexExpr, QualifiedName};

impl Apply<'_> {
    /// Rename a column of `table` and its partitions, everywhere it is used.
    pub(crate) fn rename_column(&mut self, table: &QualifiedName, old: &str, new: &str) {
        let children = self.state.partitions_of(table);
        if let Some(mut t) = self.state.tables.get_mut(table) {
            if let Some(c) = t.table.column_mut(old) {
                c.name = new.to_string();
            }
            if let Some(src) = t.columns_src.remove(old) {
                t.columns_src.insert(new.to_string(), src);
            }
            for src in t.columns_src.values_mut() {
                if let Some(d) = &mut src.generated {
                    rename_column_refs(&mut d.expr, old, new);
                }
            }
            let swap = |v: &mut Vec<String>| {
                for c in v.iter_mut() {
                    if c == old {
                        *c = new.to_string();
                    }
                }
            };
            for c in t.table.constraints.values_mut() {
                match &mut c.kind {
                    ConstraintKind::PrimaryKey(k) | ConstraintKind::Unique(k) => {
                        swap(&mut k.columns);
                        swap(&mut k.include);
                    }
                    ConstraintKind::ForeignKey(fk) => swap(&mut fk.columns),
                    _ => {}
                }
            }
            for m in t.constraints_meta.values_mut() {
                if m.columns.remove(old) {
                    m.columns.insert(new.to_string());
                }
                if let Some(src) = &mut m.check {
                    rename_column_refs(&mut src.expr, old, new);
                }
                if let Some(ex) = &mut m.exclusion {
                    for (element, _) in &mut ex.elements {
                        rename_column_refs(&mut element.column.expr, old, new);
                    }
                    swap(&mut ex.include);
                    if let Some(p) = &mut ex.predicate {
                        rename_column_refs(p, old, new);
                    }
                }
            }
            for index in t.table.indexes.values_mut() {
                for key in &mut index.keys {
                    if let IndexExpr::Column(c) = &mut key.expr {
                        if c == old {
                            *c = new.to_string();
                        }
                    }
                }
                swap(&mut index.include);
            }
            for m in t.indexes_meta.values_mut() {
                if m.columns.remove(old) {
                    m.columns.insert(new.to_string());
                }
                for src in m.key_exprs.iter_mut().flatten() {
                    rename_column_refs(&mut src.expr, old, new);
                }
                if let Some(src) = &mut m.predicate {
                    rename_column_refs(&mut src.expr, old, new);
                }
            }
            if let Some(p) = &mut t.partitioning {
                for k in &mut p.keys {
                    rename_column_refs(k, old, new);
                }
            }
        }
        // Foreign keys that reference the column, on any table.
        for (qn, name) in self.state.tables.derived().fks_referencing(table) {
            let Some(mut t) = self.state.tables.get_mut(&qn) else {
                continue;
            };
            if let Some(c) = t.table.constraints.get_mut(&name) {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    for r in &mut fk.referenced_columns {
                        if r == old {
                            *r = new.to_string();
                        }
                    }
                }
            }
        }
        for seq in self.state.sequences.derived().owned_by(table) {
            if let Some(mut s) = self.state.sequences.get_mut(&seq) {
                if let Some((_, c)) = &mut s.owned_by {
                    if c == old {
                        *c = new.to_string();
                    }
                }
            }
        }
        self.rerender_table(table);
        for child in children {
            if self.state.tables[&child].has_column(old) {
                self.rename_column(&child, old, new);
            }
        }
    }

    /// `ALTER TABLE … RENAME CONSTRAINT`: an index-backed constraint renames its index too;
    /// a CHECK renames its inherited copies (unless `ONLY`).
    pub(crate) fn rename_constraint(
        &mut self,
        table: &QualifiedName,
        old: &str,
        new: &str,
        only: bool,
    ) -> ReplayResult<()> {
        let t = &self.state.tables[table];
        if t.table.constraints.contains_key(new) {
            return Err(Fail::new(format!(
                "constraint \"{new}\" for relation \"{}\" already exists",
                table.name
            )));
        }
        let kind = t.table.constraints[old].kind.clone();
        let index_backed = super::state::is_index_backed(&kind);
        if index_backed && self.state.relation_taken(&table.schema, new) {
            return Err(Fail::new(format!("relation \"{new}\" already exists")));
        }
        let copies = if matches!(kind, ConstraintKind::Check(_)) && !only {
            self.inherited_copies(table, old)
        } else {
            Vec::new()
        };
        self.move_constraint(table, old, new);
        if index_backed {
            self.state.unregister_index(table, old);
            self.state.register_index(table, new);
        }
        for (qn, name) in copies {
            if name == old && !self.state.tables[&qn].table.constraints.contains_key(new) {
                self.move_constraint(&qn, old, new);
            }
        }
        Ok(())
    }

    fn move_constraint(&mut self, table: &QualifiedName, old: &str, new: &str) {
        if let Some(mut t) = self.state.tables.get_mut(table) {
            if let Some(c) = t.table.constraints.remove(old) {
                t.table.constraints.insert(new.to_string(), c);
            }
            if let Some(m) = t.constraints_meta.remove(old) {
                t.constraints_meta.insert(new.to_string(), m);
            }
        }
    }

    /// Rename an index (or the index of a PK/UNIQUE/EXCLUDE constraint, which renames the
    /// constraint with it).
    pub(crate) fn rename_index(
        &mut self,
        index: &QualifiedName,
        owner: &QualifiedName,
        new: &str,
    ) -> ReplayResult<()> {
        if self.state.relation_taken(&index.schema, new) {
            return Err(Fail::new(format!("relation \"{new}\" already exists")));
        }
        let is_constraint = match self.state.tables.get_mut(owner) {
            Some(mut t) => match t.table.indexes.remove(&index.name) {
                Some(i) => {
                    t.table.indexes.insert(new.to_string(), i);
                    if let Some(m) = t.indexes_meta.remove(&index.name) {
                        t.indexes_meta.insert(new.to_string(), m);
                    }
                    false
                }
                None => t.table.constraints.contains_key(&index.name),
            },
            None => false,
        };
        if is_constraint {
            self.move_constraint(owner, &index.name, new);
        }
        let new_qn = QualifiedName::new(index.schema.clone(), new);
        self.state.relations.remove(index);
        self.state.relations.insert(new_qn.clone());
        if let Some(o) = self.state.index_owner.remove(index) {
            self.state.index_owner.insert(new_qn, o);
        }
        Ok(())
    }

    /// Rename or move a relation of any kind (`new` may be in another schema).
    pub(crate) fn rename_relation(
        &mut self,
        old: &QualifiedName,
        new: &QualifiedName,
    ) -> ReplayResult<()> {
        if old == new {
            return Ok(());
        }
        if self.state.relation_taken(&new.schema, &new.name) {
            return Err(Fail::new(format!(
                "relation \"{}\" already exists",
                new.name
            )));
        }
        if let Some(owner) = self.state.index_owner.get(old).cloned() {
            if old.schema != new.schema {
                return Err(Fail::new("an index moves with its table"));
            }
            return self.rename_index(old, &owner, &new.name);
        }
        self.state.relations.remove(old);
        self.state.relations.insert(new.clone());
        if let Some(kind) = self.state.types.remove(old) {
            self.state.types.insert(new.clone(), kind);
        }
        if let Some(kind) = self.state.others.remove(old) {
            self.state.others.insert(new.clone(), kind);
            if let Some(mentions) = self.state.view_mentions.remove(old) {
                self.state.view_mentions.insert(new.clone(), mentions);
            }
            for i in self.state.index_owner.derived().indexes_of(old) {
                self.state.index_owner.insert(i, new.clone());
            }
            return Ok(());
        }
        if let Some(seq) = self.state.sequences.remove(old) {
            self.state.sequences.insert(new.clone(), seq);
            self.retarget_sequence(old, new);
            return Ok(());
        }
        let Some(table) = self.state.tables.remove(old) else {
            return Err(Fail::new(format!("relation \"{old}\" does not exist")));
        };
        self.state.tables.insert(new.clone(), table);
        for i in self.state.index_owner.derived().indexes_of(old) {
            self.state.index_owner.insert(i, new.clone());
        }
        for (qn, name) in self.state.tables.derived().fks_referencing(old) {
            let Some(mut t) = self.state.tables.get_mut(&qn) else {
                continue;
            };
            if let Some(c) = t.table.constraints.get_mut(&name) {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    fk.referenced_table = new.clone();
                }
            }
        }
        for child in self.state.tables.derived().children_of(old) {
            if let Some(mut t) = self.state.tables.get_mut(&child) {
                if let Some(p) = &mut t.partition_of {
                    p.parent = new.clone();
                }
            }
        }
        for seq in self.state.sequences.derived().owned_by(old) {
            if let Some(mut s) = self.state.sequences.get_mut(&seq) {
                if let Some((t, _)) = &mut s.owned_by {
                    *t = new.clone();
                }
            }
        }
        Ok(())
    }

    /// `ALTER TABLE … SET SCHEMA`: the table moves with its indexes, constraints and owned
    /// sequences.
    pub(crate) fn set_table_schema(
        &mut self,
        table: &QualifiedName,
        schema: &str,
    ) -> ReplayResult<QualifiedName> {
        if !self.state.schemas.contains(schema) {
            return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
        }
        let new = QualifiedName::new(schema, table.name.clone());
        if &new == table {
            return Ok(new);
        }
        let indexes = self.state.tables[table].index_like_names();
        for index in &indexes {
            if self.state.relation_taken(schema, index) {
                return Err(Fail::new(format!(
                    "relation \"{index}\" already exists in schema \"{schema}\""
                )));
            }
        }
        for index in &indexes {
            self.state.unregister_index(table, index);
        }
        self.rename_relation(table, &new)?;
        for index in &indexes {
            self.state.register_index(&new, index);
        }
        for seq in self.state.sequences.derived().owned_by(&new) {
            let moved = QualifiedName::new(schema, seq.name.clone());
            self.rename_relation(&seq, &moved)?;
        }
        Ok(new)
    }
}
