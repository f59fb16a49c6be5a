//! The terminal report (`--format text`): the verdict, a summary table per environment,
//! findings grouped by table with expected and actual, then notes and recorded migrations.
//! Colour (ANSI) only when the caller asks for it; the CLI decides (a TTY and no `NO_COLOR`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use crate::diff::{Finding, Severity};
use crate::model::{Note, NoteKind, QualifiedName};

use super::json::note_kind;
use super::{verdict, Audit, Counts, ReportError};

/// Notes of a kind a reader usually produces many of are shown up to this many per side.
const NOTES_SHOWN: usize = 10;

/// ANSI styling that is a no-op when colour is off.
#[derive(Clone, Copy)]
struct Paint {
    colour: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn severity(self, severity: Option<Severity>, text: &str) -> String {
        match severity {
            Some(Severity::Error) => self.wrap("1;31", text),
            Some(Severity::Warning) => self.wrap("1;33", text),
            Some(Severity::Info) => self.wrap("36", text),
            None => self.wrap("1;32", text),
        }
    }
}

/// Write the terminal report of `audit`; `colour` adds ANSI colours.
pub fn render(audit: &Audit, out: &mut dyn Write, colour: bool) -> Result<(), ReportError> {
    let paint = Paint { colour };
    header(audit, out, paint)?;
    let v = verdict(audit);
    writeln!(out, "{}", paint.severity(v.worst, &v.text))?;
    if !audit.environments.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", summary_table(audit))?;
    }
    findings(audit, out, paint)?;
    notes(audit, out, paint)?;
    recorded_migrations(audit, out, paint)?;
    Ok(())
}

fn header(audit: &Audit, out: &mut dyn Write, paint: Paint) -> Result<(), ReportError> {
    writeln!(
        out,
        "{}",
        paint.dim(&format!(
            "pgdrift {} · {}",
            audit.tool_version, audit.generated_at
        ))
    )?;
    let width = audit
        .environments
        .iter()
        .map(|e| e.name.chars().count())
        .chain(["expected".len()])
        .max()
        .unwrap_or_default();
    writeln!(out, "{:width$}  {}", "expected", audit.expected.source)?;
    for env in &audit.environments {
        let version = env
            .server_version
            .as_ref()
            .map(|v| format!(" (PostgreSQL {v})"))
            .unwrap_or_default();
        writeln!(out, "{:width$}  {}{version}", env.name, env.source)?;
    }
    writeln!(out)?;
    Ok(())
}

fn summary_table(audit: &Audit) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["environment", "errors", "warnings", "info"]);
    for env in &audit.environments {
        let counts = Counts::of(env.findings());
        table.add_row([
            env.name.clone(),
            counts.error.to_string(),
            counts.warning.to_string(),
            counts.info.to_string(),
        ]);
    }
    for i in 1..4 {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✗ error  ",
        Severity::Warning => "! warning",
        Severity::Info => "· info   ",
    }
}

fn findings(audit: &Audit, out: &mut dyn Write, paint: Paint) -> Result<(), ReportError> {
    // Findings grouped by the table or type they are about, environments in audit order.
    let order: BTreeMap<&str, usize> = audit
        .environments
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let mut groups: BTreeMap<QualifiedName, Vec<&Finding>> = BTreeMap::new();
    for f in audit.findings() {
        groups.entry(f.object.top_object()).or_default().push(f);
    }
    for (object, list) in &mut groups {
        list.sort_by(|a, b| {
            (
                &a.object,
                a.kind.as_str(),
                order.get(a.environment.as_str()),
            )
                .cmp(&(
                    &b.object,
                    b.kind.as_str(),
                    order.get(b.environment.as_str()),
                ))
        });
        writeln!(out)?;
        writeln!(out, "{}", paint.bold(&object.to_string()))?;
        let env_width = list
            .iter()
            .map(|f| f.environment.chars().count())
            .max()
            .unwrap_or_default();
        for f in list.iter() {
            finding(f, env_width, out, paint)?;
        }
    }
    Ok(())
}

fn finding(
    f: &Finding,
    env_width: usize,
    out: &mut dyn Write,
    paint: Paint,
) -> Result<(), ReportError> {
    let within = &f.object.parts()[2.min(f.object.parts().len())..];
    let name = if within.is_empty() {
        String::new()
    } else {
        format!(" {}", within.join("."))
    };
    writeln!(
        out,
        "  {} {:env_width$}  {}{}",
        paint.severity(Some(f.severity), severity_label(f.severity)),
        f.environment,
        f.kind,
        paint.bold(&name),
    )?;
    let indent = "      ";
    writeln!(out, "{indent}{}", f.message)?;
    let none = || "—".to_string();
    if f.expected.is_some() || f.actual.is_some() {
        writeln!(
            out,
            "{indent}expected: {}",
            f.expected.clone().unwrap_or_else(none)
        )?;
        writeln!(
            out,
            "{indent}actual:   {}",
            f.actual.clone().unwrap_or_else(none)
        )?;
    }
    for detail in &f.details {
        writeln!(out, "{indent}{} {detail}", paint.dim("·"))?;
    }
    if let Some(cause) = &f.caused_by {
        writeln!(out, "{indent}follows from: {cause}")?;
    }
    Ok(())
}

fn note_line(note: &Note) -> String {
    let mut line = String::new();
    if let Some(location) = &note.location {
        line.push_str(&format!("{location}: "));
    }
    line.push_str(&note.message);
    line
}

/// One side's notes: the ones a reviewer must see (unparsed, invisible) in full, the
/// routine ones (not modelled, info) up to `NOTES_SHOWN` per kind.
fn side_notes(
    side: &str,
    notes: &[Note],
    out: &mut dyn Write,
    paint: Paint,
) -> Result<(), ReportError> {
    let mut by_kind: BTreeMap<NoteKind, Vec<&Note>> = BTreeMap::new();
    for note in notes {
        by_kind.entry(note.kind).or_default().push(note);
    }
    for (kind, list) in by_kind {
        let limit = match kind {
            NoteKind::Unparsed | NoteKind::Invisible => usize::MAX,
            NoteKind::NotModelled | NoteKind::Info => NOTES_SHOWN,
        };
        writeln!(out, "  {side} · {} ({})", note_kind(kind), list.len())?;
        for note in list.iter().take(limit) {
            writeln!(out, "    {}", note_line(note))?;
        }
        if list.len() > limit {
            writeln!(
                out,
                "    {}",
                paint.dim(&format!("… and {} more", list.len() - limit))
            )?;
        }
    }
    Ok(())
}

fn notes(audit: &Audit, out: &mut dyn Write, paint: Paint) -> Result<(), ReportError> {
    let any =
        !audit.expected.notes.is_empty() || audit.environments.iter().any(|e| !e.notes.is_empty());
    if !any {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold("Notes"))?;
    side_notes("expected", &audit.expected.notes, out, paint)?;
    for env in &audit.environments {
        side_notes(&env.name, &env.notes, out, paint)?;
    }
    Ok(())
}

/// Per environment and bookkeeping table: how many migrations are recorded, the latest,
/// and any that another environment recorded for the same tool but this one did not.
fn recorded_migrations(
    audit: &Audit,
    out: &mut dyn Write,
    paint: Paint,
) -> Result<(), ReportError> {
    if audit
        .environments
        .iter()
        .all(|e| e.recorded_migrations.is_empty())
    {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold("Recorded migrations"))?;
    for env in &audit.environments {
        for recorded in &env.recorded_migrations {
            let mut line = format!(
                "  {}: {} ({}): {} applied",
                env.name,
                recorded.tool,
                recorded.table,
                recorded.applied.len()
            );
            if let Some(last) = recorded.applied.last() {
                line.push_str(&format!(", latest {last}"));
            }
            let here: BTreeSet<&String> = recorded.applied.iter().collect();
            for other in audit.environments.iter().filter(|o| o.name != env.name) {
                let theirs = other
                    .recorded_migrations
                    .iter()
                    .filter(|r| r.tool == recorded.tool)
                    .flat_map(|r| &r.applied);
                let lacking: Vec<&str> = theirs
                    .filter(|m| !here.contains(m))
                    .map(String::as_str)
                    .collect();
                if !lacking.is_empty() {
                    line.push_str(&format!(
                        "; not recorded here but on {}: {}",
                        other.name,
                        lacking.join(", ")
                    ));
                }
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn rendered(audit: &Audit, colour: bool) -> String {
        let mut out = Vec::new();
        render(audit, &mut out, colour).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_shared_fixture_as_text() {
        insta::assert_snapshot!(rendered(&fixture::audit(), false));
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = rendered(&fixture::audit(), false);
        let coloured = rendered(&fixture::audit(), true);
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains("\x1b[1;31m❌ NOT READY"));
        // Colour changes nothing but the escapes.
        let stripped = coloured
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, rest)| rest)
                }
            })
            .collect::<String>();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn no_drift_reads_as_such() {
        let mut audit = fixture::audit();
        for env in &mut audit.environments {
            env.findings.clear();
            env.notes.clear();
            env.recorded_migrations.clear();
        }
        audit.expected.notes.clear();
        insta::assert_snapshot!(rendered(&audit, false));
    }
}
