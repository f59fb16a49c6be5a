//! Schemas, sequences, views, routines, extensions and the search path: objects pgdrift
//! does not compare but whose names and effects the replay must track (a sequence or view
//! name shifts implicit index names; the search path decides where `CREATE` goes).

use sqlparser::ast::ObjectName;

use super::resolve::{ident, split_name, written};
use super::state::{OtherRelation, SequenceState};
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::canon::{self, InstalledExtension, Routine, UserType};
use crate::ddl::parse::{
    AlterSchemaStmt, AlterSequenceAction, AlterSequenceStmt, AlterViewStmt, CreateSchemaStmt,
    ExtensionStmt, OwnedBy, ParamMode, RoutineParam, RoutineSignature, RoutineStmt, SearchPathStmt,
    SequenceStmt, ViewStmt,
};
use crate::model::{NoteKind, QualifiedName};

impl Apply<'_> {
    pub(crate) fn create_schema(&mut self, stmt: CreateSchemaStmt) -> ReplayResult<Outcome> {
        let name = ident(&stmt.name);
        if self.state.schemas.contains(&name) {
            if stmt.if_not_exists {
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!("schema \"{name}\" already exists")));
        }
        self.state.schemas.insert(name.clone());
        if !stmt.elements.is_empty() {
            return self.schema_elements(&name, &stmt.elements);
        }
        Ok(Outcome::Applied)
    }

    /// `ALTER SCHEMA a RENAME TO b`: every object in it moves.
    pub(crate) fn alter_schema(&mut self, stmt: AlterSchemaStmt) -> ReplayResult<Outcome> {
        let old = ident(&stmt.name);
        if !self.state.schemas.contains(&old) {
            return Err(Fail::new(format!("schema \"{old}\" does not exist")));
        }
        let Some(new) = stmt.rename_to.map(|n| ident(&n)) else {
            return Ok(Outcome::Applied);
        };
        if self.state.schemas.contains(&new) {
            return Err(Fail::new(format!("schema \"{new}\" already exists")));
        }
        self.state.schemas.insert(new.clone());
        let moved = |qn: &QualifiedName| QualifiedName::new(new.clone(), qn.name.clone());
        let tables: Vec<QualifiedName> = self
            .state
            .tables
            .keys()
            .filter(|q| q.schema == old)
            .cloned()
            .collect();
        for qn in tables {
            self.set_table_schema(&qn, &new)?;
        }
        let rest: Vec<QualifiedName> = self
            .state
            .relations
            .iter()
            .filter(|q| q.schema == old && !self.state.index_owner.contains_key(*q))
            .cloned()
            .collect();
        for qn in rest {
            self.rename_relation(&qn, &moved(&qn))?;
        }
        let types: Vec<QualifiedName> = self
            .state
            .types
            .types
            .keys()
            .filter(|q| q.schema == old)
            .cloned()
            .collect();
        for qn in types {
            let new_qn = moved(&qn);
            if let Some(kind) = self.state.types.remove(&qn) {
                self.state.types.insert(new_qn.clone(), kind);
            }
            if let Some(e) = self.state.enums.remove(&qn) {
                self.state.enums.insert(new_qn.clone(), e);
            }
            self.retarget_type(&qn, &new_qn);
        }
        let functions: Vec<QualifiedName> = self
            .state
            .functions
            .keys()
            .filter(|q| q.schema == old)
            .cloned()
            .collect();
        for qn in functions {
            if let Some(routines) = self.state.functions.remove(&qn) {
                self.state.functions.insert(moved(&qn), routines);
            }
            if let Some(ddl) = self.state.function_ddl.remove(&qn) {
                self.state.function_ddl.insert(moved(&qn), ddl);
            }
        }
        let domain: Vec<(QualifiedName, QualifiedName)> = self
            .state
            .domain_constraints
            .iter()
            .filter(|(q, _)| q.schema == old)
            .map(|(q, o)| (q.clone(), o.clone()))
            .collect();
        for (q, owner) in domain {
            self.state.domain_constraints.remove(&q);
            self.state
                .domain_constraints
                .insert(moved(&q), moved(&owner));
        }
        self.state.schemas.remove(&old);
        Ok(Outcome::Applied)
    }

    /// `table.column` of an `OWNED BY` clause.
    fn owned_by(&self, owner: &OwnedBy) -> ReplayResult<Option<(QualifiedName, String)>> {
        let OwnedBy::Column(name) = owner else {
            return Ok(None);
        };
        let mut parts = name.0.clone();
        let column = parts
            .pop()
            .and_then(|p| p.as_ident().map(ident))
            .ok_or_else(|| Fail::new("OWNED BY needs table.column"))?;
        if parts.is_empty() {
            return Err(Fail::new("OWNED BY needs table.column"));
        }
        let table = self.state.require_table(&ObjectName(parts), &self.path)?;
        if !self.state.tables[&table].has_column(&column) {
            return Err(Fail::new(format!(
                "column \"{column}\" of relation \"{}\" does not exist",
                table.name
            )));
        }
        Ok(Some((table, column)))
    }

    pub(crate) fn create_sequence(&mut self, stmt: SequenceStmt) -> ReplayResult<Outcome> {
        if stmt.temporary {
            return Err(Fail::skipped(
                "temporary sequences are not part of the schema",
            ));
        }
        let qn = self.state.creation_name(&stmt.name, &self.path)?;
        if self.state.relation_taken(&qn.schema, &qn.name) {
            if stmt.if_not_exists {
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "relation \"{}\" already exists",
                qn.name
            )));
        }
        let owned_by = match &stmt.owned_by {
            Some(o) => self.owned_by(o)?,
            None => None,
        };
        self.state.relations.insert(qn.clone());
        self.state.sequences.insert(qn, SequenceState { owned_by });
        Ok(Outcome::Applied)
    }

    pub(crate) fn alter_sequence(&mut self, stmt: AlterSequenceStmt) -> ReplayResult<Outcome> {
        let Some(qn) = self.state.lookup_sequence(&stmt.name, &self.path) else {
            if stmt.if_exists {
                self.note(
                    NoteKind::Info,
                    format!(
                        "skipped: sequence \"{}\" does not exist",
                        written(&stmt.name)
                    ),
                );
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "relation \"{}\" does not exist",
                written(&stmt.name)
            )));
        };
        match stmt.action {
            AlterSequenceAction::Options {
                owned_by: Some(owner),
            } => {
                let owned_by = self.owned_by(&owner)?;
                if let Some(mut s) = self.state.sequences.get_mut(&qn) {
                    s.owned_by = owned_by;
                }
            }
            AlterSequenceAction::Options { owned_by: None } | AlterSequenceAction::Other(_) => {
                self.note(NoteKind::NotModelled, "not modelled (sequence options)");
                return Ok(Outcome::Noted);
            }
            AlterSequenceAction::Rename(new) => {
                let new = QualifiedName::new(qn.schema.clone(), ident(&new));
                self.rename_relation(&qn, &new)?;
            }
            AlterSequenceAction::SetSchema(schema) => {
                let schema = ident(&schema);
                if !self.state.schemas.contains(&schema) {
                    return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
                }
                let new = QualifiedName::new(schema, qn.name.clone());
                self.rename_relation(&qn, &new)?;
            }
        }
        Ok(Outcome::Applied)
    }

    pub(crate) fn create_view(&mut self, stmt: ViewStmt) -> ReplayResult<Outcome> {
        if stmt.temporary {
            return Err(Fail::skipped("temporary views are not part of the schema"));
        }
        let qn = self.state.creation_name(&stmt.name, &self.path)?;
        let kind = if stmt.materialized {
            OtherRelation::MaterializedView
        } else {
            OtherRelation::View
        };
        if self.state.relation_taken(&qn.schema, &qn.name) {
            let replaceable = stmt.or_replace && self.state.others.get(&qn) == Some(&kind);
            if !replaceable {
                if stmt.if_not_exists {
                    return Ok(Outcome::Applied);
                }
                return Err(Fail::new(format!(
                    "relation \"{}\" already exists",
                    qn.name
                )));
            }
        }
        self.state.relations.insert(qn.clone());
        self.state.others.insert(qn.clone(), kind);
        self.state.types.insert(qn.clone(), UserType::Composite);
        self.state
            .view_mentions
            .insert(qn.clone(), stmt.mentions.into_iter().collect());
        let what = if stmt.materialized {
            "materialized view"
        } else {
            "view"
        };
        self.note(
            NoteKind::NotModelled,
            format!("not modelled: {what} {qn} (its name is tracked)"),
        );
        Ok(Outcome::Noted)
    }

    pub(crate) fn alter_view(&mut self, stmt: AlterViewStmt) -> ReplayResult<Outcome> {
        let kind = if stmt.materialized {
            OtherRelation::MaterializedView
        } else {
            OtherRelation::View
        };
        let Some(qn) = self.state.lookup(&stmt.name, &self.path, |qn| {
            self.state.others.get(qn) == Some(&kind)
        }) else {
            if stmt.if_exists {
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "relation \"{}\" does not exist",
                written(&stmt.name)
            )));
        };
        if let Some(new) = stmt.rename_to {
            let new = QualifiedName::new(qn.schema.clone(), ident(&new));
            self.rename_relation(&qn, &new)?;
        } else if let Some(schema) = stmt.set_schema {
            let schema = ident(&schema);
            if !self.state.schemas.contains(&schema) {
                return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
            }
            let new = QualifiedName::new(schema, qn.name.clone());
            self.rename_relation(&qn, &new)?;
        }
        Ok(Outcome::Applied)
    }

    pub(crate) fn create_routine(&mut self, stmt: RoutineStmt) -> ReplayResult<Outcome> {
        let qn = match split_name(&stmt.name)? {
            (Some(schema), name) => QualifiedName::new(schema, name),
            (None, name) => QualifiedName::new(
                self.path
                    .first()
                    .cloned()
                    .ok_or_else(|| Fail::new("no schema has been selected to create in"))?,
                name,
            ),
        };
        let routine = self.routine(stmt.signature.as_ref());
        let mut overloads = self.state.functions.get(&qn).cloned().unwrap_or_default();
        // CREATE OR REPLACE of the same parameter types replaces that overload.
        overloads.retain(|r| r.args.is_none() || r.args != routine.args);
        overloads.push(routine);
        self.state.functions.insert(qn.clone(), overloads);
        let hint = if stmt.body_ddl.is_empty() {
            self.state.function_ddl.remove(&qn);
            String::new()
        } else {
            let hint = format!("; its body runs {} when called", stmt.body_ddl.join(", "));
            self.state.function_ddl.insert(qn, stmt.body_ddl);
            hint
        };
        self.note(NoteKind::NotModelled, format!("not modelled{hint}"));
        Ok(Outcome::Noted)
    }

    /// A routine's signature with its types resolved as PostgreSQL resolves them when it
    /// creates the function (on the search path of that moment).
    fn routine(&self, signature: Option<&RoutineSignature>) -> Routine {
        let Some(signature) = signature else {
            return Routine::unknown();
        };
        let scope = self.state.scope(&self.path, None, &[]);
        let resolve =
            |t: &sqlparser::ast::DataType| canon::data_type(t, &scope).ok().map(|c| c.text);
        let inputs: Vec<&RoutineParam> = signature
            .params
            .iter()
            .filter(|p| p.mode != ParamMode::Out)
            .collect();
        let Some(args) = inputs
            .iter()
            .map(|p| resolve(&p.data_type))
            .collect::<Option<Vec<String>>>()
        else {
            return Routine::unknown();
        };
        let outputs: Vec<&RoutineParam> = signature
            .params
            .iter()
            .filter(|p| matches!(p.mode, ParamMode::Out | ParamMode::InOut))
            .collect();
        let returns = match (&signature.returns, outputs.as_slice()) {
            (Some(t), _) => resolve(t),
            // Without RETURNS, one output parameter gives the result type (several: record).
            (None, [only]) if !signature.returns_written => resolve(&only.data_type),
            _ => None,
        };
        Routine {
            args: Some(args),
            variadic: inputs.last().is_some_and(|p| p.mode == ParamMode::Variadic),
            defaults: inputs.iter().filter(|p| p.has_default).count(),
            returns,
        }
    }

    pub(crate) fn create_extension(&mut self, stmt: ExtensionStmt) -> ReplayResult<Outcome> {
        let name = ident(&stmt.name);
        let schema = stmt
            .schema
            .as_ref()
            .map(ident)
            .or_else(|| self.path.first().cloned())
            .unwrap_or_else(|| "public".into());
        // The types a well-known extension installs, so canon can resolve (and qualify)
        // columns of those types; they are not part of the schema pgdrift compares.
        if !self.state.extensions.contains_key(&name) && self.state.schemas.contains(&schema) {
            let types: Vec<QualifiedName> = extension_types(&name)
                .iter()
                .map(|t| QualifiedName::new(schema.clone(), *t))
                .collect();
            for t in &types {
                if !self.state.types.types.contains_key(t) {
                    self.state.types.insert(t.clone(), UserType::Other);
                }
            }
            self.state.extensions.insert(
                name.clone(),
                InstalledExtension {
                    schema: schema.clone(),
                    types,
                },
            );
        }
        self.note(
            NoteKind::NotModelled,
            format!(
                "not modelled: objects of extension {name} (in schema {schema}) are not part of the schema"
            ),
        );
        Ok(Outcome::Noted)
    }

    /// `DROP EXTENSION`: its types are no longer resolvable.
    pub(crate) fn drop_extension(&mut self, name: &str) {
        if let Some(installed) = self.state.extensions.remove(name) {
            for t in installed.types {
                self.state.types.remove(&t);
            }
        }
    }

    pub(crate) fn search_path(&mut self, stmt: SearchPathStmt) -> ReplayResult<Outcome> {
        match stmt {
            SearchPathStmt::Set { schemas, local } => {
                if local {
                    if !self.state.in_transaction {
                        self.note(
                            NoteKind::Info,
                            "SET LOCAL outside a transaction has no effect",
                        );
                        return Ok(Outcome::Applied);
                    }
                    if self.state.saved_search_path.is_none() {
                        self.state.saved_search_path = Some(self.state.search_path.clone());
                    }
                }
                self.state.search_path = schemas;
            }
            SearchPathStmt::Reset => {
                self.state.search_path = vec!["$user".into(), "public".into()];
            }
            SearchPathStmt::Role(role) => self.state.role = role,
        }
        Ok(Outcome::Applied)
    }
}

/// Types installed by well-known extensions (contrib and the most common others).
fn extension_types(extension: &str) -> &'static [&'static str] {
    match extension {
        "citext" => &["citext"],
        "hstore" => &["hstore", "ghstore"],
        "ltree" => &["ltree", "lquery", "ltxtquery", "ltree_gist"],
        "cube" => &["cube"],
        "seg" => &["seg"],
        "isn" => &[
            "ean13", "isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "upc",
        ],
        "earthdistance" => &["earth"],
        "pg_trgm" => &["gtrgm"],
        "intarray" => &["query_int", "intbig_gkey"],
        "lo" => &["lo"],
        "vector" => &["vector", "halfvec", "sparsevec"],
        "postgis" => &["geometry", "geography", "box2d", "box3d", "spheroid"],
        _ => &[],
    }
}
