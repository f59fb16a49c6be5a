//! Enum types: missing, unexpected, and labels that differ in membership or order (the
//! order is the type's sort order, so it counts).

use std::collections::BTreeMap;

use crate::model::{quote_literal, EnumType, QualifiedName};

use super::describe;
use super::finding::{Finding, FindingKind, ObjectPath};
use super::keyed::differences;
use super::Context;

pub(super) fn compare_enums(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let in_scope = |(name, _): &(QualifiedName, &EnumType)| cx.in_scope(&name.schema);
    let expected: BTreeMap<QualifiedName, &EnumType> =
        cx.expected.enums().filter(in_scope).collect();
    let actual: BTreeMap<QualifiedName, &EnumType> = cx.actual.enums().filter(in_scope).collect();
    let d = differences(&expected, &actual);
    for (name, e) in d.only_expected {
        out.push(
            Finding::new(
                FindingKind::EnumMissing,
                ObjectPath::object(name),
                format!("enum type {} is missing", name.name),
            )
            .expected(Some(describe::labels(&e.labels))),
        );
    }
    for (name, a) in d.only_actual {
        out.push(
            Finding::new(
                FindingKind::EnumUnexpected,
                ObjectPath::object(name),
                format!("enum type {} is not in the expected schema", name.name),
            )
            .actual(Some(describe::labels(&a.labels))),
        );
    }
    for (name, e, a) in d.both {
        if e.labels == a.labels {
            continue;
        }
        let quoted = |labels: Vec<&String>| -> Vec<String> {
            labels.into_iter().map(|l| quote_literal(l)).collect()
        };
        let lacking = quoted(e.labels.iter().filter(|l| !a.labels.contains(l)).collect());
        let extra = quoted(a.labels.iter().filter(|l| !e.labels.contains(l)).collect());
        let mut parts = Vec::new();
        if !lacking.is_empty() {
            parts.push(format!("lacks {}", describe::join_and(&lacking)));
        }
        if !extra.is_empty() {
            parts.push(format!("has unexpected {}", describe::join_and(&extra)));
        }
        let common = |labels: &[String], other: &[String]| -> Vec<String> {
            labels
                .iter()
                .filter(|l| other.contains(l))
                .cloned()
                .collect()
        };
        if common(&e.labels, &a.labels) != common(&a.labels, &e.labels) {
            parts.push("orders its labels differently".to_string());
        }
        out.push(
            Finding::new(
                FindingKind::EnumValues,
                ObjectPath::object(name),
                format!("enum type {} {}", name.name, parts.join("; ")),
            )
            .expected(Some(describe::labels(&e.labels)))
            .actual(Some(describe::labels(&a.labels))),
        );
    }
}
