//! Objects the connecting role cannot see: a side's `Invisible` note naming a table or type
//! turns everything the comparison would say about that object into one `object-invisible`
//! finding, because "missing" or "different" would be a claim pgdrift cannot make.

use std::collections::BTreeMap;

use crate::model::{Note, NoteKind, QualifiedName};

use super::describe;
use super::finding::{Finding, FindingKind, ObjectPath};
use super::Context;

pub(super) fn apply(
    cx: &Context<'_>,
    expected_notes: &[Note],
    actual_notes: &[Note],
    findings: &mut Vec<Finding>,
) {
    // The first note per object, the database side's before the expected side's.
    let mut invisible: BTreeMap<&QualifiedName, (&str, &Note)> = BTreeMap::new();
    for (side, notes) in [
        ("the database", actual_notes),
        ("the expected side", expected_notes),
    ] {
        for note in notes.iter().filter(|n| n.kind == NoteKind::Invisible) {
            if let Some(object) = note.object.as_ref().filter(|o| cx.in_scope(&o.schema)) {
                invisible.entry(object).or_insert((side, note));
            }
        }
    }
    for (name, (side, note)) in invisible {
        let path = ObjectPath::object(name);
        let before = findings.len();
        let mut withheld: Vec<String> = Vec::new();
        findings.retain(|f| {
            let keep = !f.object.starts_with(&path);
            if !keep {
                withheld.push(format!("{} {}", f.kind, f.object));
            }
            keep
        });
        let expected_table = cx.expected.table(name);
        let expected_enum = cx.expected.enum_type(name);
        let known = findings.len() < before
            || expected_table.is_some()
            || expected_enum.is_some()
            || cx.actual.table(name).is_some()
            || cx.actual.enum_type(name).is_some();
        if !known {
            continue;
        }
        let what = if expected_enum.is_some() || cx.actual.enum_type(name).is_some() {
            "type"
        } else {
            "table"
        };
        let expected = expected_table
            .map(|t| describe::table_summary(t, true))
            .or_else(|| expected_enum.map(|e| describe::labels(&e.labels)));
        let mut details: Vec<String> = note.location.iter().map(|l| format!("at {l}")).collect();
        details.extend(
            withheld
                .into_iter()
                .map(|w| format!("not reported because it cannot be checked: {w}")),
        );
        findings.push(
            Finding::new(
                FindingKind::ObjectInvisible,
                path,
                format!(
                    "{what} {} cannot be read on {side}: {}",
                    name.name, note.message
                ),
            )
            .expected(expected)
            .details(details),
        );
    }
}
