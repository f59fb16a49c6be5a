//! The per-table (and per-type) sections of the Markdown report: every finding about the
//! object in every environment, with what is folded into it, and a unified diff of the
//! object's DDL, expected against each environment that differs.

use std::collections::{BTreeMap, BTreeSet};

use similar::{ChangeTag, TextDiff};

use crate::diff::Finding;
use crate::model::{PgVersion, QualifiedName, Schema};
use crate::report::ddl_text::{enum_ddl, table_ddl};
use crate::report::matrix::{Matrix, ObjectClass, State};
use crate::report::Audit;

use super::escape::{code, fenced, html, text};

/// One section: a heading, its finding bullets, and its DDL diffs.
pub struct Section {
    pub heading: String,
    pub bullets: Vec<String>,
    pub diffs: Vec<DiffBlock>,
}

/// A `<details>` block holding a unified diff.
pub struct DiffBlock {
    pub summary: String,
    pub body: String,
}

/// The DDL of `name` in `schema` (a table, or an enum type), `None` when it has neither.
fn ddl(schema: &Schema, name: &QualifiedName, version: PgVersion) -> Option<String> {
    if let Some(table) = schema.table(name) {
        return Some(table_ddl(name, table, version));
    }
    schema.enum_type(name).map(|e| enum_ddl(name, e, version))
}

fn bullet(finding: &Finding) -> String {
    let state = State::of_kind(finding.kind);
    let within = &finding.object.parts()[2.min(finding.object.parts().len())..];
    let what = if within.is_empty() {
        String::new()
    } else {
        format!(" {}", code(&within.join(".")))
    };
    let mut out = format!(
        "- {} **{}** · {}{}: {}",
        state.symbol(),
        text(&finding.environment),
        code(finding.kind.as_str()),
        what,
        text(&finding.message)
    );
    if let Some(expected) = &finding.expected {
        out.push_str(&format!("\n  - expected: {}", code(expected)));
    }
    if let Some(actual) = &finding.actual {
        out.push_str(&format!("\n  - actual: {}", code(actual)));
    }
    for detail in &finding.details {
        out.push_str(&format!("\n  - {}", code(detail)));
    }
    if let Some(cause) = &finding.caused_by {
        out.push_str(&format!(
            "\n  - follows from {} {}",
            code(cause.kind.as_str()),
            code(&cause.object.to_string())
        ));
    }
    out
}

fn diff_block(expected: &str, actual: &str, environment: &str) -> Option<DiffBlock> {
    if expected == actual {
        return None;
    }
    let diff = TextDiff::from_lines(expected, actual);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header("expected", environment)
        .to_string();
    Some(DiffBlock {
        summary: format!(
            "DDL: expected vs {} (+{added} −{removed})",
            html(environment)
        ),
        body: fenced("diff", &unified),
    })
}

/// The sections of the report, one per table or type with findings, in object order.
pub fn sections(audit: &Audit, matrix: &Matrix) -> Vec<Section> {
    let env_order: BTreeMap<&str, usize> = audit
        .environments
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let mut groups: BTreeMap<QualifiedName, Vec<&Finding>> = BTreeMap::new();
    for finding in audit.findings() {
        groups
            .entry(finding.object.top_object())
            .or_default()
            .push(finding);
    }
    // The tables and types each environment has something to show about (not only
    // objects pgdrift could not read), gathered once rather than per section.
    let mut shown: BTreeSet<(usize, QualifiedName)> = BTreeSet::new();
    for (e, env) in audit.environments.iter().enumerate() {
        for f in env.findings() {
            if f.kind != crate::diff::FindingKind::ObjectInvisible {
                shown.insert((e, f.object.top_object()));
            }
        }
    }
    let mut out = Vec::new();
    for (top, mut findings) in groups {
        findings.sort_by(|a, b| {
            (
                &a.object,
                a.kind.as_str(),
                env_order.get(a.environment.as_str()),
            )
                .cmp(&(
                    &b.object,
                    b.kind.as_str(),
                    env_order.get(b.environment.as_str()),
                ))
        });
        let is_enum = matrix
            .rows_of(&top)
            .iter()
            .any(|r| r.class == ObjectClass::Enum && r.object.parts().len() == 2);
        let noun = if is_enum { "enum" } else { "table" };
        let mut diffs = Vec::new();
        for (e, env) in audit.environments.iter().enumerate() {
            // Nothing to show where pgdrift could not read the object.
            if !shown.contains(&(e, top.clone())) {
                continue;
            }
            let version = env.sql_version(&audit.expected);
            let expected = ddl(&audit.expected.schema, &top, version).unwrap_or_default();
            let actual = ddl(&env.schema, &top, version).unwrap_or_default();
            diffs.extend(diff_block(&expected, &actual, &env.name));
        }
        out.push(Section {
            heading: format!("{noun} {}", code(&top.to_string())),
            bullets: findings.iter().map(|f| bullet(f)).collect(),
            diffs,
        });
    }
    out
}
