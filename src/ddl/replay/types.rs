//! User types: enums (modelled, labels in order), composite and range types and domains
//! (tracked in the `TypeRegistry` so canon can resolve them, not compared), and `ALTER
//! TYPE` renames, moves and enum label changes.

use super::resolve::{ident, written};
use super::state::OtherRelation;
use super::{Apply, Fail, Outcome, ReplayResult};
use crate::ddl::canon::{self, UserType};
use crate::ddl::parse::{AlterTypeAction, AlterTypeStmt, CreateTypeStmt, DomainStmt};
use crate::model::naming::choose_name;
use crate::model::{EnumType, NoteKind, QualifiedName};
use sqlparser::ast::UserDefinedTypeRepresentation;

impl Apply<'_> {
    fn type_name_free(&self, qn: &QualifiedName) -> ReplayResult<()> {
        if self.state.types.types.contains_key(qn) {
            return Err(Fail::new(format!("type \"{}\" already exists", qn.name)));
        }
        Ok(())
    }

    pub(crate) fn create_type(&mut self, stmt: CreateTypeStmt) -> ReplayResult<Outcome> {
        let qn = self.state.creation_name(&stmt.name, &self.path)?;
        self.type_name_free(&qn)?;
        match stmt.representation {
            Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                self.state.types.insert(qn.clone(), UserType::Enum);
                self.state.enums.insert(
                    qn,
                    EnumType {
                        labels: labels.into_iter().map(|l| l.value).collect(),
                    },
                );
                Ok(Outcome::Applied)
            }
            Some(UserDefinedTypeRepresentation::Composite { .. }) => {
                if self.state.relation_taken(&qn.schema, &qn.name) {
                    return Err(Fail::new(format!(
                        "relation \"{}\" already exists",
                        qn.name
                    )));
                }
                self.state.types.insert(qn.clone(), UserType::Composite);
                self.state.relations.insert(qn.clone());
                self.state
                    .others
                    .insert(qn.clone(), OtherRelation::CompositeType);
                self.note(
                    NoteKind::NotModelled,
                    format!(
                        "not modelled: composite type {qn} is tracked for name resolution only"
                    ),
                );
                Ok(Outcome::Noted)
            }
            Some(UserDefinedTypeRepresentation::Range { .. }) => {
                self.state.types.insert(qn.clone(), UserType::Range);
                self.note(
                    NoteKind::NotModelled,
                    format!("not modelled: range type {qn} is tracked for name resolution only"),
                );
                Ok(Outcome::Noted)
            }
            _ => {
                self.state.types.insert(qn.clone(), UserType::Other);
                self.note(
                    NoteKind::NotModelled,
                    format!("not modelled: type {qn} is tracked for name resolution only"),
                );
                Ok(Outcome::Noted)
            }
        }
    }

    pub(crate) fn create_domain(&mut self, stmt: DomainStmt) -> ReplayResult<Outcome> {
        let qn = self.state.creation_name(&stmt.name, &self.path)?;
        self.type_name_free(&qn)?;
        let base = {
            let scope = self.state.scope(&self.path, None, &[]);
            canon::data_type(&stmt.data_type, &scope)
                .map_err(|e| Fail::new(e.message))?
                .text
        };
        self.state
            .types
            .insert(qn.clone(), UserType::Domain { base });
        // Domain CHECK constraints share the schema's constraint names
        // (`ChooseConstraintName(domain, NULL, "check")` for unnamed ones).
        for check in &stmt.checks {
            let name = match check {
                Some(name) => ident(name),
                None => choose_name(&qn.name, None, "check", |n| {
                    self.state.constraint_taken(&qn.schema, n)
                }),
            };
            self.state
                .domain_constraints
                .insert(QualifiedName::new(qn.schema.clone(), name), qn.clone());
        }
        self.note(
            NoteKind::NotModelled,
            format!("not modelled: domain {qn} is tracked for name resolution only"),
        );
        Ok(Outcome::Noted)
    }

    pub(crate) fn alter_type(&mut self, stmt: AlterTypeStmt) -> ReplayResult<Outcome> {
        let Some(qn) = self.state.lookup_type(&stmt.name, &self.path) else {
            if stmt.if_exists {
                self.note(
                    NoteKind::Info,
                    format!("skipped: type \"{}\" does not exist", written(&stmt.name)),
                );
                return Ok(Outcome::Applied);
            }
            return Err(Fail::new(format!(
                "type \"{}\" does not exist",
                written(&stmt.name)
            )));
        };
        match stmt.action {
            AlterTypeAction::Rename(new) => {
                let new = QualifiedName::new(qn.schema.clone(), ident(&new));
                self.move_type(&qn, &new)?;
            }
            AlterTypeAction::SetSchema(schema) => {
                let schema = ident(&schema);
                if !self.state.schemas.contains(&schema) {
                    return Err(Fail::new(format!("schema \"{schema}\" does not exist")));
                }
                let new = QualifiedName::new(schema, qn.name.clone());
                self.move_type(&qn, &new)?;
            }
            AlterTypeAction::AddValue {
                value,
                if_not_exists,
                position,
            } => {
                let mut labels = self
                    .state
                    .enums
                    .get(&qn)
                    .ok_or_else(|| Fail::new(format!("{qn} is not an enum")))?
                    .labels
                    .clone();
                if labels.contains(&value) {
                    if if_not_exists {
                        self.note(
                            NoteKind::Info,
                            format!("skipped: enum label \"{value}\" already exists"),
                        );
                        return Ok(Outcome::Applied);
                    }
                    return Err(Fail::new(format!("enum label \"{value}\" already exists")));
                }
                let at = match position {
                    None => labels.len(),
                    Some((before, neighbour)) => {
                        let i = labels.iter().position(|l| *l == neighbour).ok_or_else(|| {
                            Fail::new(format!("\"{neighbour}\" is not an existing enum label"))
                        })?;
                        if before {
                            i
                        } else {
                            i + 1
                        }
                    }
                };
                labels.insert(at, value);
                if let Some(mut e) = self.state.enums.get_mut(&qn) {
                    e.labels = labels;
                }
            }
            AlterTypeAction::RenameValue { from, to } => {
                let mut labels = self
                    .state
                    .enums
                    .get(&qn)
                    .ok_or_else(|| Fail::new(format!("{qn} is not an enum")))?
                    .labels
                    .clone();
                if labels.contains(&to) {
                    return Err(Fail::new(format!("enum label \"{to}\" already exists")));
                }
                let label = labels.iter_mut().find(|l| **l == from).ok_or_else(|| {
                    Fail::new(format!("\"{from}\" is not an existing enum label"))
                })?;
                *label = to;
                if let Some(mut e) = self.state.enums.get_mut(&qn) {
                    e.labels = labels;
                }
            }
            AlterTypeAction::Other(words) => {
                self.note(NoteKind::NotModelled, format!("{words} not modelled"));
                return Ok(Outcome::Noted);
            }
        }
        Ok(Outcome::Applied)
    }

    fn move_type(&mut self, old: &QualifiedName, new: &QualifiedName) -> ReplayResult<()> {
        if self.state.types.types.contains_key(new) {
            return Err(Fail::new(format!("type \"{}\" already exists", new.name)));
        }
        if let Some(kind) = self.state.types.remove(old) {
            self.state.types.insert(new.clone(), kind);
        }
        if let Some(e) = self.state.enums.remove(old) {
            self.state.enums.insert(new.clone(), e);
        }
        if self.state.others.contains_key(old) {
            self.state.others.remove(old);
            self.state.relations.remove(old);
            self.state
                .others
                .insert(new.clone(), OtherRelation::CompositeType);
            self.state.relations.insert(new.clone());
        }
        let owned: Vec<QualifiedName> = self
            .state
            .domain_constraints
            .iter()
            .filter(|(_, owner)| *owner == old)
            .map(|(c, _)| c.clone())
            .collect();
        for c in owned {
            self.state.domain_constraints.insert(c, new.clone());
        }
        self.retarget_type(old, new);
        Ok(())
    }
}
