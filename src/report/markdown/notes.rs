//! The notes of the Markdown report: what each side's reader wants a reviewer to know
//! (statements not modelled or not parsed, with file:line; objects the role could not see),
//! and the migrations each environment's bookkeeping table recorded, compared with the
//! migration files and with the other environments.

use std::collections::BTreeMap;

use crate::model::{Note, NoteKind};
use crate::report::json::note_kind;
use crate::report::Audit;

use super::escape::{cell, code, text};

/// Notes of one side, ready to print.
pub struct NoteGroup {
    pub heading: String,
    /// One bullet per note kind, with nested bullets per note.
    pub bullets: Vec<String>,
    /// More notes than fit in the page: the bullets go in a `<details>` with this summary.
    pub folded_summary: Option<String>,
}

/// Sides with more notes than this show them folded.
const NOTES_SHOWN: usize = 10;

fn note_line(note: &Note) -> String {
    let mut line = String::from("  - ");
    if let Some(location) = &note.location {
        line.push_str(&code(&location.to_string()));
        line.push_str(": ");
    }
    line.push_str(&text(&note.message));
    line
}

fn group(heading: String, notes: &[Note]) -> Option<NoteGroup> {
    if notes.is_empty() {
        return None;
    }
    let mut by_kind: BTreeMap<NoteKind, Vec<&Note>> = BTreeMap::new();
    for note in notes {
        by_kind.entry(note.kind).or_default().push(note);
    }
    let bullets = by_kind
        .iter()
        .map(|(kind, list)| {
            let mut out = format!("- {} ({}):", note_kind(*kind), list.len());
            for note in list {
                out.push('\n');
                out.push_str(&note_line(note));
            }
            out
        })
        .collect();
    Some(NoteGroup {
        heading,
        bullets,
        folded_summary: (notes.len() > NOTES_SHOWN).then(|| format!("{} notes", notes.len())),
    })
}

/// The notes of the expected side, then of each environment.
pub fn note_groups(audit: &Audit) -> Vec<NoteGroup> {
    let mut out = Vec::new();
    out.extend(group(
        format!("expected ({})", code(&audit.expected.source)),
        &audit.expected.notes,
    ));
    for env in &audit.environments {
        out.extend(group(text(&env.name), &env.notes));
    }
    out
}

/// The recorded migrations: a table row per environment and bookkeeping table, then a line
/// per difference with the migration files or another environment.
pub struct Migrations {
    pub rows: Vec<String>,
    pub differences: Vec<String>,
}

/// Whether a migration file (its path or folder name) is the one a tool recorded as `id`:
/// the same name, or a name that starts with the recorded version (`0001` for
/// `0001_initial`, `20250116140000` for `20250116140000_add_invites`, `1` for `V1__init`).
pub fn recorded_as(file: &str, id: &str) -> bool {
    let name = file
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(file);
    let starts = |name: &str| {
        name == id
            || name
                .strip_prefix(id)
                .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric()))
    };
    !id.is_empty() && (starts(name) || name.strip_prefix(['V', 'v']).is_some_and(starts))
}

fn list(items: &[&String]) -> String {
    items.iter().map(|m| code(m)).collect::<Vec<_>>().join(", ")
}

pub fn migrations(audit: &Audit) -> Option<Migrations> {
    if audit
        .environments
        .iter()
        .all(|e| e.recorded_migrations.is_empty())
    {
        return None;
    }
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    for env in &audit.environments {
        for recorded in &env.recorded_migrations {
            rows.push(format!(
                "| {} | {} | {} | {} | {} |",
                cell(&text(&env.name)),
                cell(&text(&recorded.tool)),
                cell(&code(&recorded.table.to_string())),
                recorded.applied.len(),
                cell(&recorded.applied.last().map(|m| code(m)).unwrap_or_default())
            ));
            let files = &audit.expected.migrations;
            if !files.is_empty() {
                let lacking: Vec<&String> = files
                    .iter()
                    .filter(|f| !recorded.applied.iter().any(|id| recorded_as(f, id)))
                    .collect();
                if !lacking.is_empty() {
                    differences.push(format!(
                        "- ❌ **{}** lacks {} {}: not recorded in {}",
                        text(&env.name),
                        if lacking.len() == 1 {
                            "migration"
                        } else {
                            "migrations"
                        },
                        list(&lacking),
                        code(&recorded.table.to_string())
                    ));
                }
                let unknown: Vec<&String> = recorded
                    .applied
                    .iter()
                    .filter(|id| !files.iter().any(|f| recorded_as(f, id)))
                    .collect();
                if !unknown.is_empty() {
                    differences.push(format!(
                        "- ➕ **{}** recorded {} no migration file defines: {}",
                        text(&env.name),
                        if unknown.len() == 1 {
                            "a migration"
                        } else {
                            "migrations"
                        },
                        list(&unknown)
                    ));
                }
            } else {
                for other in audit.environments.iter().filter(|o| o.name != env.name) {
                    let lacking: Vec<&String> = other
                        .recorded_migrations
                        .iter()
                        .filter(|r| r.tool == recorded.tool)
                        .flat_map(|r| &r.applied)
                        .filter(|m| !recorded.applied.contains(m))
                        .collect();
                    if !lacking.is_empty() {
                        differences.push(format!(
                            "- ❌ **{}** lacks what **{}** recorded: {}",
                            text(&env.name),
                            text(&other.name),
                            list(&lacking)
                        ));
                    }
                }
            }
        }
    }
    Some(Migrations { rows, differences })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_match_the_ids_tools_record() {
        assert!(recorded_as(
            "20250116140000_add_workspace_invites",
            "20250116140000_add_workspace_invites"
        ));
        assert!(recorded_as("migrations/0001_initial", "0001"));
        assert!(recorded_as("V1__init", "1"));
        assert!(recorded_as("20250116140000_add_x/", "20250116140000"));
        assert!(!recorded_as("0010_x", "001"));
        assert!(!recorded_as("0001_initial", ""));
    }
}
