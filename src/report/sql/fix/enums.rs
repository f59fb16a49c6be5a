//! Fixes for enum types: a missing type is created, missing labels are added where the
//! expected order puts them; labels PostgreSQL cannot remove or reorder are explained, and an
//! unexpected type's drop is commented out.

use crate::diff::{Finding, FindingKind};
use crate::model::{quote_literal, EnumType};
use crate::report::ddl_text::enum_ddl;
use crate::report::matrix::Target;

use super::{Fixer, Phase};

pub(super) fn fix(fixer: &mut Fixer<'_>, finding: &Finding, target: &Target) {
    let Target::Enum(name) = target else {
        return;
    };
    let expected = fixer.expected_schema.enum_type(name);
    let actual = fixer.actual_schema.enum_type(name);
    match (finding.kind, expected, actual) {
        (FindingKind::EnumMissing, Some(e), _) => {
            fixer.ensure_schema(&name.schema);
            let sql = enum_ddl(name, e, fixer.version);
            fixer.push(Phase::Types, Vec::new(), sql.trim_end().to_string());
        }
        (FindingKind::EnumUnexpected, _, _) => {
            let sql = format!("DROP TYPE {};", fixer.quoted(name));
            fixer.push_commented(
                Phase::Destructive,
                vec![format!(
                    "⚠ the expected schema has no type {name}: dropping it fails while columns use it."
                )],
                sql,
            );
        }
        (FindingKind::EnumValues, Some(e), Some(a)) => {
            let type_name = fixer.quoted(name);
            for (label, position) in additions(e, a) {
                let sql = format!(
                    "ALTER TYPE {type_name} ADD VALUE IF NOT EXISTS {}{position};",
                    quote_literal(&label)
                );
                fixer.push(
                    Phase::Types,
                    vec!["A new label cannot be used in the transaction that adds it (run as it is, each statement commits).".into()],
                    sql,
                );
            }
            let extra: Vec<&String> = a.labels.iter().filter(|l| !e.labels.contains(l)).collect();
            let mut simulated = a.labels.clone();
            for (label, _) in additions(e, a) {
                simulated.push(label);
            }
            let common = |labels: &[String], other: &[String]| -> Vec<String> {
                labels
                    .iter()
                    .filter(|l| other.contains(l))
                    .cloned()
                    .collect()
            };
            let reordered = common(&e.labels, &a.labels) != common(&a.labels, &e.labels);
            if !extra.is_empty() || reordered {
                let what =
                    match (extra.is_empty(), reordered) {
                        (false, true) => format!(
                        "has labels the expected type lacks ({}) and orders its labels differently",
                        extra.iter().map(|l| quote_literal(l)).collect::<Vec<_>>().join(", ")
                    ),
                        (false, false) => format!(
                            "has labels the expected type lacks ({})",
                            extra
                                .iter()
                                .map(|l| quote_literal(l))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => "orders its labels differently".to_string(),
                    };
                fixer.explain(
                    Phase::ByHand,
                    vec![
                        format!("{name} {what}: PostgreSQL cannot remove or reorder enum labels."),
                        "Create the expected type under a new name, convert the columns (ALTER COLUMN … TYPE … USING col::text::new_type), drop the old type, rename the new one.".into(),
                    ],
                );
            }
        }
        _ => {}
    }
}

/// The labels `actual` lacks, each with where the expected order puts it (` BEFORE 'x'` /
/// ` AFTER 'y'`), relative to labels present by the time it is added.
fn additions(expected: &EnumType, actual: &EnumType) -> Vec<(String, String)> {
    let mut present: Vec<String> = actual.labels.clone();
    let mut out = Vec::new();
    for (i, label) in expected.labels.iter().enumerate() {
        if present.contains(label) {
            continue;
        }
        let before = expected.labels[..i]
            .iter()
            .rev()
            .find(|l| present.contains(l));
        let position = match before {
            Some(previous) => format!(" AFTER {}", quote_literal(previous)),
            None => match expected.labels[i + 1..]
                .iter()
                .find(|l| present.contains(l))
            {
                Some(next) => format!(" BEFORE {}", quote_literal(next)),
                None => String::new(),
            },
        };
        out.push((label.clone(), position));
        present.push(label.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&str]) -> EnumType {
        EnumType {
            labels: l.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn labels_are_added_where_the_expected_order_puts_them() {
        let adds = additions(&labels(&["a", "b", "c", "d"]), &labels(&["b", "d"]));
        assert_eq!(
            adds,
            [
                ("a".to_string(), " BEFORE 'b'".to_string()),
                ("c".to_string(), " AFTER 'b'".to_string()),
            ]
        );
        let adds = additions(&labels(&["x"]), &labels(&[]));
        assert_eq!(adds, [("x".to_string(), String::new())]);
    }
}
