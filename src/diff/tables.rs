//! Tables: which exist on one side only (one finding each, listing what they hold), and,
//! for tables on both sides, the walk through columns, indexes, constraints and partitions
//! with the findings of one table gathered so consequences can be folded into causes.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{QualifiedName, Table};

use super::finding::{Finding, FindingKind, FindingRef, Folded, ObjectPath};
use super::keyed::differences;
use super::{bookkeeping, columns, constraints, describe, indexes, partitions, Context};

/// Tables split by side, bookkeeping tables already set aside.
pub(super) struct TableSets<'a> {
    pub missing: Vec<(QualifiedName, &'a Table)>,
    pub unexpected: Vec<(QualifiedName, &'a Table)>,
    pub both: Vec<(QualifiedName, &'a Table, &'a Table)>,
}

pub(super) fn table_differences<'a>(cx: &Context<'a>) -> TableSets<'a> {
    let in_scope = |(name, _): &(QualifiedName, &Table)| cx.in_scope(&name.schema);
    let expected: BTreeMap<QualifiedName, &'a Table> =
        cx.expected.tables().filter(in_scope).collect();
    let actual: BTreeMap<QualifiedName, &'a Table> = cx.actual.tables().filter(in_scope).collect();
    let d = differences(&expected, &actual);
    TableSets {
        missing: d
            .only_expected
            .into_iter()
            .filter(|(name, _)| !bookkeeping::ignore_missing(cx, name))
            .map(|(name, t)| (name.clone(), *t))
            .collect(),
        unexpected: d
            .only_actual
            .into_iter()
            .filter(|(name, _)| !bookkeeping::ignore_unexpected(name))
            .map(|(name, t)| (name.clone(), *t))
            .collect(),
        both: d
            .both
            .into_iter()
            .map(|(name, e, a)| (name.clone(), *e, *a))
            .collect(),
    }
}

pub(super) fn compare_tables(cx: &Context<'_>, sets: &TableSets<'_>, out: &mut Vec<Finding>) {
    let version = cx.version;
    for (name, table) in &sets.missing {
        let summary = describe::table_summary(table, true);
        out.push(
            Finding::new(
                FindingKind::TableMissing,
                ObjectPath::object(name),
                format!("table {} is missing ({summary})", name.name),
            )
            .expected(Some(summary))
            .details(describe::table_contents(name, table, true, version)),
        );
    }
    for (name, table) in &sets.unexpected {
        let summary = describe::table_summary(table, true);
        out.push(
            Finding::new(
                FindingKind::TableUnexpected,
                ObjectPath::object(name),
                format!(
                    "table {} is not in the expected schema ({summary})",
                    name.name
                ),
            )
            .actual(Some(summary))
            .details(describe::table_contents(name, table, true, version)),
        );
    }
    for (name, expected, actual) in &sets.both {
        let table = TableCompare {
            cx,
            name,
            path: ObjectPath::object(name),
            expected,
            actual,
            parent: None,
        };
        table.run(out);
    }
}

/// One table present on both sides (or one partition, under its parent).
pub(super) struct TableCompare<'a> {
    pub cx: &'a Context<'a>,
    pub name: &'a QualifiedName,
    pub path: ObjectPath,
    pub expected: &'a Table,
    pub actual: &'a Table,
    /// For a partition: its parent on each side (the partition's columns mirror them).
    pub parent: Option<(&'a Table, &'a Table)>,
}

impl TableCompare<'_> {
    pub fn run(&self, out: &mut Vec<Finding>) {
        // Most tables are the same on both sides, and two equal tables have nothing to
        // report: one linear comparison instead of the keyed walk (maps built per kind).
        if self.expected == self.actual {
            return;
        }
        let mut found = TableFindings::default();
        columns::compare(self, &mut found);
        if self.parent.is_none() {
            columns::compare_order(self, &mut found);
        }
        indexes::compare(self, &mut found);
        constraints::compare(self, &mut found);
        partitions::compare(self, &mut found, out);
        found.finish();
        out.extend(found.findings);
    }

    /// Columns an index or constraint refers to, ordered as `table` has them (expected
    /// side first, then any only the actual side has).
    pub fn in_column_order<'n>(&self, names: &'n BTreeSet<String>) -> Vec<&'n str> {
        let mut out: Vec<&str> = Vec::new();
        for column in self.expected.columns.iter().chain(&self.actual.columns) {
            if let Some(name) = names.get(&column.name) {
                if !out.contains(&name.as_str()) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// The first of `columns` (in column order) that has a finding of one of `kinds`.
    pub fn column_finding(
        &self,
        found: &TableFindings,
        columns: &BTreeSet<String>,
        kinds: &[FindingKind],
    ) -> Option<FindingRef> {
        self.in_column_order(columns).into_iter().find_map(|c| {
            let object = self.path.child(c);
            kinds
                .iter()
                .find(|k| found.get(**k, &object).is_some())
                .map(|kind| FindingRef {
                    kind: *kind,
                    object,
                })
        })
    }
}

/// The findings of one table while it is being compared.
#[derive(Debug, Default)]
pub(super) struct TableFindings {
    pub findings: Vec<Finding>,
}

impl TableFindings {
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn get(&self, kind: FindingKind, object: &ObjectPath) -> Option<&Finding> {
        self.findings
            .iter()
            .find(|f| f.kind == kind && &f.object == object)
    }

    /// Record `folded` (described by `detail`) inside the finding `into`.
    pub fn fold(&mut self, into: &FindingRef, folded: Folded, detail: String) {
        if let Some(f) = self
            .findings
            .iter_mut()
            .find(|f| f.kind == into.kind && f.object == into.object)
        {
            f.folded.push(folded);
            f.details.push(detail);
        }
    }

    /// Say in the message of a missing or unexpected column what depends on it.
    fn finish(&mut self) {
        for f in &mut self.findings {
            if !matches!(
                f.kind,
                FindingKind::ColumnMissing | FindingKind::ColumnUnexpected
            ) || f.folded.is_empty()
            {
                continue;
            }
            let indexes = f
                .folded
                .iter()
                .filter(|x| {
                    matches!(
                        x.kind,
                        FindingKind::IndexMissing | FindingKind::IndexUnexpected
                    )
                })
                .count();
            let constraints = f.folded.len() - indexes;
            let mut parts = Vec::new();
            if indexes > 0 {
                parts.push(describe::count(indexes, "index", "indexes"));
            }
            if constraints > 0 {
                parts.push(describe::count(constraints, "constraint", "constraints"));
            }
            let verb = if f.folded.len() == 1 { "uses" } else { "use" };
            f.message.push_str(&format!(
                ", with {} that {verb} it",
                describe::join_and(&parts)
            ));
        }
    }
}
