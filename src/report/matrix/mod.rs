//! The state matrix every report section is organised around: one row per object that differs
//! in any environment (findings and the objects folded into them), a cell per environment
//! saying how that environment stands (✅ matches · ❌ missing · ⚠️ differs · ➕ unexpected …),
//! and where the object lives in the models, so verification and fix SQL can be written
//! for it. It never decides what drifted: states are read off the findings.

mod resolve;

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::{FindingKind, ObjectPath};
use crate::model::QualifiedName;

use super::{Audit, EnvironmentAudit};

use resolve::Models;
pub use resolve::{partition_part, TableMap, Target};

/// What kind of object a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectClass {
    Table,
    Enum,
    Column,
    Index,
    Constraint,
    Partition,
}

impl ObjectClass {
    /// The class of the object a finding of `kind` is about (`None` for `object-invisible`,
    /// which may be a table or a type: see `Matrix::build`).
    pub fn of(kind: FindingKind) -> Option<ObjectClass> {
        use FindingKind::*;
        Some(match kind {
            TableMissing | TableUnexpected | ColumnOrder | PartitionKey => ObjectClass::Table,
            ColumnMissing | ColumnUnexpected | ColumnType | ColumnNullable | ColumnDefault
            | ColumnIdentity | ColumnGenerated | ColumnCollation => ObjectClass::Column,
            IndexMissing | IndexUnexpected | IndexDefinition | IndexRenamed => ObjectClass::Index,
            ConstraintMissing | ConstraintUnexpected | ConstraintDefinition | ConstraintRenamed => {
                ObjectClass::Constraint
            }
            PartitionMissing | PartitionUnexpected | PartitionBound => ObjectClass::Partition,
            EnumMissing | EnumUnexpected | EnumValues => ObjectClass::Enum,
            ObjectInvisible => return None,
        })
    }

    /// The word a report uses for it.
    pub fn noun(self) -> &'static str {
        match self {
            ObjectClass::Table => "table",
            ObjectClass::Enum => "enum",
            ObjectClass::Column => "column",
            ObjectClass::Index => "index",
            ObjectClass::Constraint => "constraint",
            ObjectClass::Partition => "partition",
        }
    }
}

/// How one environment stands on one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// Nothing differs.
    Matches,
    /// Only information: named or ordered differently.
    Info,
    /// The object exists on both sides but differs.
    Differs,
    /// Present in the environment, not in the expected schema.
    Unexpected,
    /// The table (or partition) holding the object is missing, so the object is too.
    ParentMissing,
    /// Defined by the expected schema, absent in the environment.
    Missing,
    /// pgdrift could not read the object there: neither missing nor matching.
    Unknown,
}

impl State {
    /// The symbol the matrix shows.
    pub fn symbol(self) -> &'static str {
        match self {
            State::Matches => "✅",
            State::Info => "ℹ️",
            State::Differs => "⚠️",
            State::Unexpected => "➕",
            State::ParentMissing | State::Missing => "❌",
            State::Unknown => "❔",
        }
    }

    /// What a verification query returns for the object in this state: `ok` is true
    /// exactly when the environment matches. `None`: unknown.
    pub fn expect_ok(self) -> Option<bool> {
        match self {
            State::Matches => Some(true),
            State::Unknown => None,
            _ => Some(false),
        }
    }

    /// The state a finding of `kind` puts its object in.
    pub fn of_kind(kind: FindingKind) -> State {
        use FindingKind::*;
        match kind {
            TableMissing | ColumnMissing | IndexMissing | ConstraintMissing | EnumMissing
            | PartitionMissing => State::Missing,
            TableUnexpected | ColumnUnexpected | IndexUnexpected | ConstraintUnexpected
            | EnumUnexpected | PartitionUnexpected => State::Unexpected,
            IndexRenamed | ConstraintRenamed | ColumnOrder => State::Info,
            ObjectInvisible => State::Unknown,
            ColumnType | ColumnNullable | ColumnDefault | ColumnIdentity | ColumnGenerated
            | ColumnCollation | IndexDefinition | ConstraintDefinition | PartitionKey
            | PartitionBound | EnumValues => State::Differs,
        }
    }

    /// Which of two states a cell shows: the one that says most.
    fn rank(self) -> u8 {
        match self {
            State::Matches => 0,
            State::Info => 1,
            State::Differs => 2,
            State::Unknown => 3,
            State::Unexpected => 4,
            State::ParentMissing => 5,
            State::Missing => 6,
        }
    }
}

/// One finding, or one object folded into a finding, that a cell stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `env.findings[i]`.
    Finding(usize),
    /// `env.findings[i].folded[j]`.
    Folded(usize, usize),
}

/// One environment's state on one object, and what says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub state: State,
    pub sources: Vec<Source>,
    /// For `ParentMissing` / an `Unknown` inherited from its table: the finding on the
    /// table or partition that holds the object.
    pub parent: Option<usize>,
}

/// One object that differs somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub object: ObjectPath,
    pub class: ObjectClass,
    pub target: Target,
    /// Whether the expected schema defines the object (else it is unexpected wherever it is).
    pub expected: bool,
    /// One per environment, in audit order.
    pub cells: Vec<Cell>,
}

impl Row {
    /// `table public.users` / `no column public.users.beta_flag`: what a check on this row
    /// confirms when its `ok` is true.
    pub fn label(&self) -> String {
        if self.expected {
            format!("{} {}", self.class.noun(), self.object)
        } else {
            format!("no {} {}", self.class.noun(), self.object)
        }
    }
}

/// The objects rows are about, plus the names renamed objects have in environments: what a
/// check on an enclosing table leaves to other checks.
pub type Covered = BTreeSet<(ObjectPath, ObjectClass)>;

/// The whole matrix of an audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Sorted by object path, then class.
    pub rows: Vec<Row>,
    pub covered: Covered,
    /// The row each (environment, source) is in.
    by_source: BTreeMap<(usize, Source), usize>,
}

impl Matrix {
    /// The matrix of `audit`: a row per (object, class) that any finding or folded
    /// difference names, in object order.
    pub fn build(audit: &Audit) -> Matrix {
        let models = Models::new(audit);
        let mut rows: BTreeMap<(ObjectPath, ObjectClass), Vec<Cell>> = BTreeMap::new();
        let count = audit.environments.len();
        let empty = || {
            vec![
                Cell {
                    state: State::Matches,
                    sources: Vec::new(),
                    parent: None,
                };
                count
            ]
        };
        let mut covered = Covered::new();
        for (e, env) in audit.environments.iter().enumerate() {
            for (i, finding) in env.findings().enumerate() {
                let class = models.class_of(finding);
                let key = (finding.object.clone(), class);
                let cells = rows.entry(key).or_insert_with(empty);
                push(
                    &mut cells[e],
                    State::of_kind(finding.kind),
                    Source::Finding(i),
                );
                for (j, folded) in finding.folded.iter().enumerate() {
                    let Some(class) = ObjectClass::of(folded.kind) else {
                        continue;
                    };
                    let cells = rows
                        .entry((folded.object.clone(), class))
                        .or_insert_with(empty);
                    push(
                        &mut cells[e],
                        State::of_kind(folded.kind),
                        Source::Folded(i, j),
                    );
                }
                // The name a renamed object has here is accounted for by the rename.
                if matches!(
                    finding.kind,
                    FindingKind::IndexRenamed | FindingKind::ConstraintRenamed
                ) {
                    if let (Some(actual), Some(parent)) =
                        (&finding.actual, parent_path(&finding.object))
                    {
                        covered.insert((parent.child(actual.as_str()), class));
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for ((object, class), mut cells) in rows {
            for (e, env) in audit.environments.iter().enumerate() {
                if cells[e].sources.is_empty() {
                    inherit_from_parent(&mut cells[e], &object, env);
                }
            }
            let target = models.target(&object, class);
            let expected = models.expected_has(&target);
            covered.insert((object.clone(), class));
            out.push(Row {
                object,
                class,
                target,
                expected,
                cells,
            });
        }
        let mut by_source = BTreeMap::new();
        for (r, row) in out.iter().enumerate() {
            for (e, cell) in row.cells.iter().enumerate() {
                for source in &cell.sources {
                    by_source.insert((e, *source), r);
                }
            }
        }
        Matrix {
            rows: out,
            covered,
            by_source,
        }
    }

    /// The row a finding (or a folded object) of environment `e` is in.
    pub fn row_of(&self, e: usize, source: Source) -> Option<&Row> {
        self.by_source.get(&(e, source)).map(|r| &self.rows[*r])
    }

    /// Whether a row (or a rename) accounts for the object at `path`.
    pub fn covers(&self, path: &ObjectPath, class: ObjectClass) -> bool {
        self.covered.contains(&(path.clone(), class))
    }

    /// The names of covered objects of `class` directly under `path`.
    pub fn covered_children(&self, path: &ObjectPath, class: ObjectClass) -> Vec<String> {
        let depth = path.parts().len() + 1;
        // Paths under `path` sort right after it: walk that range only, not the whole set.
        self.covered
            .range((path.clone(), ObjectClass::Table)..)
            .take_while(|(p, _)| p.starts_with(path))
            .filter(|(p, c)| *c == class && p.parts().len() == depth)
            .filter_map(|(p, _)| p.parts().last().cloned())
            .collect()
    }

    /// The rows about `path` and the objects under it (rows are sorted by path, so they
    /// are one run).
    fn rows_under(&self, path: &ObjectPath) -> &[Row] {
        let start = self.rows.partition_point(|r| r.object < *path);
        let rest = self.rows.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .take_while(|r| r.object.starts_with(path))
            .count();
        rest.get(..len).unwrap_or_default()
    }

    /// The partitions directly under `path` that rows are about.
    pub fn covered_partitions(&self, path: &ObjectPath) -> Vec<QualifiedName> {
        let depth = path.parts().len() + 1;
        self.rows_under(path)
            .iter()
            .filter(|r| r.object.parts().len() == depth)
            .filter_map(|r| match &r.target {
                Target::Partition { partition, .. } => Some(partition.clone()),
                _ => None,
            })
            .collect()
    }

    /// The rows about objects under (or at) the table or type `top`.
    pub fn rows_of(&self, top: &QualifiedName) -> &[Row] {
        self.rows_under(&ObjectPath::object(top))
    }
}

fn push(cell: &mut Cell, state: State, source: Source) {
    if state.rank() > cell.state.rank() {
        cell.state = state;
    }
    cell.sources.push(source);
}

fn parent_path(path: &ObjectPath) -> Option<ObjectPath> {
    let parts = path.parts();
    if parts.len() < 3 {
        return None;
    }
    let mut parent = ObjectPath::object(&QualifiedName::new(parts[0].clone(), parts[1].clone()));
    for part in &parts[2..parts.len() - 1] {
        parent = parent.child(part.as_str());
    }
    Some(parent)
}

/// An object with no finding of its own in an environment is missing there when the table
/// or partition holding it is, and unknown when pgdrift could not read that table.
fn inherit_from_parent(cell: &mut Cell, object: &ObjectPath, env: &EnvironmentAudit) {
    for (i, finding) in env.findings().enumerate() {
        if finding.object == *object || !object.starts_with(&finding.object) {
            continue;
        }
        let state = match finding.kind {
            FindingKind::TableMissing | FindingKind::PartitionMissing => State::ParentMissing,
            FindingKind::ObjectInvisible => State::Unknown,
            _ => continue,
        };
        if state.rank() > cell.state.rank() {
            cell.state = state;
            cell.parent = Some(i);
        }
    }
}

#[cfg(test)]
mod tests;
