//! `DO` blocks run as PostgreSQL runs them: statements apply in order; when one fails,
//! everything the block did is undone (a block with an `EXCEPTION` section is a
//! subtransaction, otherwise the whole `DO` fails), and a handler that does nothing and
//! matches the failure swallows it. `IF` guards are evaluated against the replay state
//! (`guards`); a guard that cannot be evaluated runs a body of creations as their `IF NOT
//! EXISTS` forms would, and leaves anything else to a note naming what the body may change.

use super::guard_catalog::Value;
use super::{guards, Apply, Fail, Outcome, ReplayResult};

/// The block's variables in scope, innermost last; `None` for a value the replay cannot
/// know.
type Vars = Vec<(String, Option<Value>)>;
use crate::ddl::parse::plpgsql::{Block, DoBlock, PlStmt};
use crate::ddl::parse::{self, first_words, AlterAction, Ddl, Parsed};
use crate::model::{Location, Note, NoteKind};
use sqlparser::ast::AlterTableOperation;

/// The condition name PostgreSQL raises for a failure the replay reports (by its message).
fn condition_of(message: &str) -> &'static str {
    if message.contains("already exists") {
        if message.starts_with("relation") || message.starts_with("table") {
            "duplicate_table"
        } else if message.starts_with("column") {
            "duplicate_column"
        } else if message.starts_with("schema") {
            "duplicate_schema"
        } else {
            "duplicate_object"
        }
    } else if message.contains("does not exist") {
        if message.starts_with("relation") || message.starts_with("table") {
            "undefined_table"
        } else if message.starts_with("column") {
            "undefined_column"
        } else {
            "undefined_object"
        }
    } else {
        "other"
    }
}

fn sqlstate(condition: &str) -> &'static str {
    match condition {
        "duplicate_table" => "42P07",
        "duplicate_column" => "42701",
        "duplicate_schema" => "42P06",
        "duplicate_object" => "42710",
        "undefined_table" => "42P01",
        "undefined_column" => "42703",
        "undefined_object" => "42704",
        _ => "",
    }
}

fn swallowed(swallows: &[String], message: &str) -> bool {
    let condition = condition_of(message);
    swallows.iter().any(|s| {
        s == "others" || s == condition || s == &format!("sqlstate {}", sqlstate(condition))
    })
}

/// A statement of the body that stopped it: the failure, with the statement's words and
/// line for the message.
struct Stop {
    fail: Fail,
    first: String,
    line: usize,
}

impl Stop {
    fn into_fail(self) -> Fail {
        if self.first.is_empty() {
            return self.fail;
        }
        Fail {
            message: format!(
                "`{}` (line {}): {}",
                self.first, self.line, self.fail.message
            ),
            not_modelled: self.fail.not_modelled,
        }
    }
}

/// Statement kinds that change nothing pgdrift models.
fn harmless(kind: &str) -> bool {
    matches!(
        kind,
        "INSERT"
            | "UPDATE"
            | "DELETE"
            | "COPY"
            | "TRUNCATE"
            | "GRANT"
            | "REVOKE"
            | "ALTER DEFAULT"
            | "REASSIGN"
            | "COMMENT"
            | "SECURITY"
            | "CREATE ROLE"
            | "CREATE USER"
            | "ALTER ROLE"
            | "ALTER USER"
            | "DROP ROLE"
            | "DROP USER"
            | "CREATE GROUP"
            | "ALTER GROUP"
            | "ALTER DATABASE"
    )
}

/// Whether a parsed statement only creates (so `IF NOT EXISTS` semantics are well defined):
/// CREATE SCHEMA/TYPE/DOMAIN/TABLE/INDEX/SEQUENCE/EXTENSION, ALTER TABLE … ADD.
fn is_creation(ddl: &Ddl) -> bool {
    match ddl {
        Ddl::CreateSchema(_)
        | Ddl::CreateType(_)
        | Ddl::CreateDomain(_)
        | Ddl::CreateTable(_)
        | Ddl::CreateIndex(_)
        | Ddl::CreateSequence(_)
        | Ddl::CreateExtension(_) => true,
        Ddl::AlterTable(stmt) => {
            !stmt.actions.is_empty()
                && stmt.actions.iter().all(|a| {
                    matches!(
                        a,
                        AlterAction::Sql(
                            AlterTableOperation::AddColumn { .. }
                                | AlterTableOperation::AddConstraint { .. }
                        )
                    )
                })
        }
        _ => false,
    }
}

/// What a guarded branch amounts to when its guard cannot be evaluated.
enum BranchKind {
    /// Only creations (and statements that change nothing pgdrift models).
    Creations,
    /// Nothing pgdrift models.
    Harmless,
    /// Something else: these statements (first words) may change the schema.
    Other(Vec<String>),
}

fn branch_kind(statements: &[PlStmt]) -> BranchKind {
    let mut creations = false;
    let mut others = Vec::new();
    for s in statements {
        match s {
            PlStmt::Nothing | PlStmt::Assign { .. } => {}
            PlStmt::Sql { text, .. } => match parse::parse(text) {
                Parsed::Ddl(ddl) if is_creation(&ddl) => creations = true,
                Parsed::Other(o) if harmless(&o.kind) => {}
                _ => others.push(first_words(text)),
            },
            PlStmt::If { .. } | PlStmt::Block { .. } => {
                let block = Block {
                    declares: Vec::new(),
                    statements: vec![s.clone()],
                    swallows: Vec::new(),
                };
                others.extend(block.sql().iter().map(|(_, t)| first_words(t)));
            }
        }
    }
    if !others.is_empty() {
        BranchKind::Other(others)
    } else if creations {
        BranchKind::Creations
    } else {
        BranchKind::Harmless
    }
}

impl Apply<'_> {
    pub(crate) fn do_block(&mut self, block: DoBlock) -> ReplayResult<Outcome> {
        let snapshot = self.state.savepoint();
        let notes_before = self.notes.len();
        let mut vars = Vars::new();
        match self.run_block(&block.body, true, &mut vars) {
            Ok(()) => {
                self.state.release(&snapshot);
                Ok(Outcome::Applied)
            }
            Err(stop) => {
                self.state.rollback_to(&snapshot);
                self.state.release(&snapshot);
                self.notes.truncate(notes_before);
                Err(stop.into_fail())
            }
        }
    }

    fn location_at(&self, line: usize) -> Location {
        Location {
            file: self.location.file.clone(),
            line: self.location.line + line - 1,
        }
    }

    fn inner_note(&mut self, line: usize, kind: NoteKind, message: String) {
        let location = self.location_at(line);
        self.notes.push(Note {
            kind,
            location: Some(location),
            object: None,
            message,
        });
    }

    /// Run a block; a failure its handlers swallow undoes the block and is not an error.
    fn run_block(&mut self, block: &Block, outermost: bool, vars: &mut Vars) -> Result<(), Stop> {
        let scope = vars.len();
        for (name, init) in &block.declares {
            let value = match init {
                None => Some(Value::Null),
                Some(expr) => {
                    let path = self.state.effective_path();
                    guards::value(self.state, &path, vars, &format!("SELECT {expr}"))
                }
            };
            vars.push((name.clone(), value));
        }
        let result = self.run_block_body(block, outermost, vars);
        vars.truncate(scope);
        result
    }

    fn run_block_body(
        &mut self,
        block: &Block,
        outermost: bool,
        vars: &mut Vars,
    ) -> Result<(), Stop> {
        let guarded = !block.swallows.is_empty();
        let mark = guarded.then(|| self.state.savepoint());
        let notes_before = self.notes.len();
        let result = self.run_statements(&block.statements, vars);
        let Some(mark) = mark else {
            return result;
        };
        match result {
            Ok(()) => {
                self.state.release(&mark);
                Ok(())
            }
            Err(stop)
                if !stop.fail.not_modelled && swallowed(&block.swallows, &stop.fail.message) =>
            {
                self.state.rollback_to(&mark);
                self.state.release(&mark);
                self.notes.truncate(notes_before);
                let whose = if outermost {
                    "the block's EXCEPTION handler swallows it, so the block changes nothing"
                } else {
                    "the enclosing BEGIN … EXCEPTION swallows it and undoes that inner block"
                };
                self.note(
                    NoteKind::Info,
                    format!(
                        "`{}` (line {}) fails here ({}); {whose}",
                        stop.first,
                        self.location.line + stop.line - 1,
                        stop.fail.message
                    ),
                );
                Ok(())
            }
            Err(stop) => {
                self.state.release(&mark);
                Err(stop)
            }
        }
    }

    fn run_statements(&mut self, statements: &[PlStmt], vars: &mut Vars) -> Result<(), Stop> {
        for statement in statements {
            match statement {
                PlStmt::Nothing => {}
                PlStmt::Sql { line, text, .. } => self.run_sql(*line, text, false)?,
                PlStmt::Block { block, .. } => self.run_block(block, false, vars)?,
                PlStmt::If {
                    line,
                    branches,
                    otherwise,
                } => self.run_if(*line, branches, otherwise, vars)?,
                PlStmt::Assign { var, query, .. } => {
                    let path = self.state.effective_path();
                    let value = guards::value(self.state, &path, vars, query);
                    // An unknown value makes every condition that reads it unevaluable.
                    match vars.iter_mut().rev().find(|(name, _)| name == var) {
                        Some(slot) => slot.1 = value,
                        None => vars.push((var.clone(), None)),
                    }
                }
            }
        }
        Ok(())
    }

    fn run_if(
        &mut self,
        line: usize,
        branches: &[(String, Vec<PlStmt>)],
        otherwise: &[PlStmt],
        vars: &mut Vars,
    ) -> Result<(), Stop> {
        for (condition, statements) in branches {
            let path = self.state.effective_path();
            match guards::evaluate(self.state, &path, vars, condition) {
                Some(true) => return self.run_statements(statements, vars),
                Some(false) => continue,
                None => return self.unevaluable(line, condition, branches, otherwise),
            }
        }
        if otherwise.is_empty() && branches.iter().any(|(_, s)| !s.is_empty()) {
            let shown = first_words(&branches[0].0);
            self.inner_note(
                line,
                NoteKind::Info,
                format!(
                    "{} … `IF {shown}` is false here, so its statements do not run",
                    self.first
                ),
            );
        }
        self.run_statements(otherwise, vars)
    }

    /// An `IF` whose guard the replay cannot evaluate.
    fn unevaluable(
        &mut self,
        line: usize,
        condition: &str,
        branches: &[(String, Vec<PlStmt>)],
        otherwise: &[PlStmt],
    ) -> Result<(), Stop> {
        let shown = first_words(condition);
        let kinds: Vec<BranchKind> = branches
            .iter()
            .map(|(_, s)| branch_kind(s))
            .chain(std::iter::once(branch_kind(otherwise)))
            .collect();
        let all_harmless = kinds.iter().all(|k| matches!(k, BranchKind::Harmless));
        if all_harmless {
            self.inner_note(
                line,
                NoteKind::Info,
                format!(
                    "{} … `IF {shown}` cannot be evaluated statically; none of its branches changes anything pgdrift models",
                    self.first
                ),
            );
            return Ok(());
        }
        // One guarded branch of creations: apply each as its IF NOT EXISTS form would.
        if branches.len() == 1
            && matches!(kinds[0], BranchKind::Creations)
            && matches!(kinds[1], BranchKind::Harmless)
        {
            self.inner_note(
                line,
                NoteKind::Info,
                format!(
                    "{} … `IF {shown}` cannot be evaluated statically; its creations are applied as their IF NOT EXISTS forms would be (skipped where the object exists)",
                    self.first
                ),
            );
            for statement in &branches[0].1 {
                if let PlStmt::Sql { line, text, .. } = statement {
                    self.run_sql(*line, text, true)?;
                }
            }
            return Ok(());
        }
        let mut may: Vec<String> = Vec::new();
        for kind in kinds {
            if let BranchKind::Other(statements) = kind {
                for s in statements {
                    if !may.contains(&s) {
                        may.push(s);
                    }
                }
            }
        }
        let mut all: Vec<String> = branches
            .iter()
            .flat_map(|(_, s)| s.iter())
            .chain(otherwise)
            .filter_map(|s| match s {
                PlStmt::Sql { text, .. } => Some(first_words(text)),
                _ => None,
            })
            .collect();
        if may.is_empty() {
            may.append(&mut all);
        }
        Err(Stop {
            fail: Fail::skipped(format!(
                "its `IF {shown}` (line {}) cannot be evaluated statically; the body may run {}",
                self.location.line + line - 1,
                may.join("; ")
            )),
            first: String::new(),
            line,
        })
    }

    /// One SQL statement of the body, through the normal replay. With `if_not_exists`, a
    /// failure because the object exists skips the statement (with a note).
    fn run_sql(&mut self, line: usize, text: &str, if_not_exists: bool) -> Result<(), Stop> {
        let location = self.location_at(line);
        let first = first_words(text);
        let stop = |fail: Fail| Stop {
            fail,
            first: first.clone(),
            line,
        };
        match parse::parse(text) {
            Parsed::Ddl(Ddl::Transaction(_) | Ddl::DoBlock(_)) => Err(stop(Fail::new(
                "transaction control is not allowed in a DO block",
            ))),
            Parsed::Ddl(ddl) => {
                let mark = if_not_exists.then(|| self.state.savepoint());
                let notes_before = self.notes.len();
                let path = self.state.effective_path().into();
                let mut inner = Apply {
                    state: &mut *self.state,
                    path,
                    location: location.clone(),
                    first: first.clone(),
                    notes: &mut *self.notes,
                };
                let result = inner.ddl(ddl).map(|_| ());
                match (result, mark) {
                    (Ok(()), Some(mark)) => {
                        self.state.release(&mark);
                        Ok(())
                    }
                    (Ok(()), None) => Ok(()),
                    (Err(fail), Some(mark))
                        if !fail.not_modelled && fail.message.contains("already exists") =>
                    {
                        self.state.rollback_to(&mark);
                        self.state.release(&mark);
                        self.notes.truncate(notes_before);
                        self.notes.push(Note {
                            kind: NoteKind::Info,
                            location: Some(location),
                            object: None,
                            message: format!(
                                "{first} … skipped: {} (applied as IF NOT EXISTS)",
                                fail.message
                            ),
                        });
                        Ok(())
                    }
                    (Err(fail), mark) => {
                        if let Some(mark) = mark {
                            self.state.release(&mark);
                        }
                        Err(stop(fail))
                    }
                }
            }
            Parsed::Other(other) => {
                let reason = super::reason(&other.kind);
                self.notes.push(Note {
                    kind: NoteKind::NotModelled,
                    location: Some(location),
                    object: None,
                    message: format!("{first} … not modelled (inside a DO block){reason}"),
                });
                Ok(())
            }
            Parsed::Unparsed(u) => Err(Stop {
                fail: Fail::skipped(format!(
                    "its statement `{first}` (line {}) could not be parsed ({}); the block may change the schema",
                    location.line, u.error
                )),
                first: String::new(),
                line,
            }),
        }
    }
}
