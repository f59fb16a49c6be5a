//! Partitioning of a table present on both sides: its partition key, and its partitions
//! compared under it (path: the parent's path plus the partition's name), each partition
//! then compared like a table for what it has of its own.

use crate::model::QualifiedName;

use super::describe;
use super::finding::{Finding, FindingKind, ObjectPath};
use super::keyed::differences;
use super::tables::{TableCompare, TableFindings};

/// The path part naming a partition: its name, qualified when it lives in another schema.
fn partition_part(parent: &QualifiedName, partition: &QualifiedName) -> String {
    if partition.schema == parent.schema {
        partition.name.clone()
    } else {
        partition.to_string()
    }
}

pub(super) fn compare(tc: &TableCompare<'_>, found: &mut TableFindings, out: &mut Vec<Finding>) {
    let version = tc.cx.version;
    let key = |k: &Option<String>| k.as_ref().map(|k| format!("PARTITION BY {k}"));
    if tc.expected.partition_by != tc.actual.partition_by {
        let message = match (&tc.expected.partition_by, &tc.actual.partition_by) {
            (Some(e), None) => format!(
                "table {} is not partitioned, expected PARTITION BY {e}",
                tc.name.name
            ),
            (None, Some(a)) => format!(
                "table {} is partitioned by {a}, expected no partitioning",
                tc.name.name
            ),
            (Some(e), Some(a)) => {
                format!("table {} is partitioned by {a}, expected {e}", tc.name.name)
            }
            (None, None) => String::new(),
        };
        found.push(
            Finding::new(FindingKind::PartitionKey, tc.path.clone(), message)
                .expected(key(&tc.expected.partition_by))
                .actual(key(&tc.actual.partition_by)),
        );
    }

    let d = differences(&tc.expected.partitions, &tc.actual.partitions);
    let path =
        |name: &QualifiedName| -> ObjectPath { tc.path.child(partition_part(tc.name, name)) };
    for (name, partition) in d.only_expected {
        out.push(
            Finding::new(
                FindingKind::PartitionMissing,
                path(name),
                format!("partition {} ({}) is missing", name.name, partition.bound),
            )
            .expected(Some(partition.bound.clone()))
            .details(describe::table_contents(
                name,
                &partition.table,
                false,
                version,
            )),
        );
    }
    for (name, partition) in d.only_actual {
        out.push(
            Finding::new(
                FindingKind::PartitionUnexpected,
                path(name),
                format!(
                    "partition {} ({}) is not in the expected schema",
                    name.name, partition.bound
                ),
            )
            .actual(Some(partition.bound.clone()))
            .details(describe::table_contents(
                name,
                &partition.table,
                false,
                version,
            )),
        );
    }
    for (name, e, a) in d.both {
        if !tc.cx.exprs.same(&e.bound, &a.bound) {
            out.push(
                Finding::new(
                    FindingKind::PartitionBound,
                    path(name),
                    format!(
                        "partition {} is {}, expected {}",
                        name.name, a.bound, e.bound
                    ),
                )
                .expected(Some(e.bound.clone()))
                .actual(Some(a.bound.clone())),
            );
        }
        let partition = TableCompare {
            cx: tc.cx,
            name,
            path: path(name),
            expected: &e.table,
            actual: &a.table,
            parent: Some((tc.expected, tc.actual)),
        };
        partition.run(out);
    }
}
