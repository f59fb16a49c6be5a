//! The Markdown report (`--format markdown`), for a reviewer in a pull request (DESIGN §7):
//! the verdict first, counts per environment, the state matrix (one row per object that
//! differs anywhere, a column per environment), a section per table or type with what
//! differs and a diff of its DDL, a verification query and a suggested fix per environment,
//! and the notes. Built from the audit's findings and models into plain strings (escaped in
//! `escape`) that the askama template `templates/report.md` lays out. Renders on GitHub
//! (GFM tables, `<details>` for long blocks) and reads as plain text. Deterministic: the
//! same audit gives the same bytes, apart from the time line.

mod escape;
mod notes;
mod sections;

use std::io::Write;

use askama::Template;

use crate::diff::Severity;
use crate::report::matrix::{Matrix, Row, Source, State};
use crate::report::sql::{environment_query, fix};
use crate::report::{environment_phrase, verdict, Audit, Counts, EnvironmentAudit, ReportError};

use escape::{cell, code, fenced, html, text};
use notes::{Migrations, NoteGroup};
use sections::Section;

/// The state matrix as table lines.
struct MatrixView {
    header: String,
    separator: String,
    rows: Vec<String>,
}

/// A sub-section per environment: a lead paragraph and, folded, a block of SQL.
struct Block {
    heading: String,
    lead: String,
    summary: String,
    body: String,
}

#[derive(Template)]
#[template(path = "report.md", escape = "none")]
struct Page {
    verdict: String,
    header: Vec<String>,
    summary: Vec<String>,
    legend: String,
    matrix: Option<MatrixView>,
    sections: Vec<Section>,
    verification: Vec<Block>,
    fixes: Vec<Block>,
    notes: Vec<NoteGroup>,
    migrations: Option<Migrations>,
}

/// Write the Markdown report of `audit`.
pub fn render(audit: &Audit, out: &mut dyn Write) -> Result<(), ReportError> {
    let matrix = Matrix::build(audit);
    // The sections (every differing table's DDL on both sides) and the SQL blocks are the
    // bulk of the work and independent: built on two threads, laid out in the same order.
    let (sections, (verification, fixes)) = std::thread::scope(|scope| {
        let sql = scope.spawn(|| (verification(audit, &matrix), fixes(audit, &matrix)));
        let sections = sections::sections(audit, &matrix);
        let sql = sql
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (sections, sql)
    });
    let page = Page {
        verdict: text(&verdict(audit).text),
        header: header(audit),
        summary: summary(audit),
        legend: LEGEND.into(),
        matrix: matrix_view(audit, &matrix),
        sections,
        verification,
        fixes,
        notes: notes::note_groups(audit),
        migrations: notes::migrations(audit),
    };
    let rendered = page
        .render()
        .map_err(|e| ReportError::Io(std::io::Error::other(e.to_string())))?;
    out.write_all(rendered.as_bytes())?;
    Ok(())
}

const LEGEND: &str =
    "✅ matches · ❌ missing · ⚠️ differs · ➕ unexpected · ℹ️ named or ordered differently · ❔ could not be read";

fn header(audit: &Audit) -> Vec<String> {
    let mut out = vec![
        format!("- **Generated:** {}", text(&audit.generated_at)),
        format!("- **Tool:** pgdrift {}", text(&audit.tool_version)),
        format!("- **Expected:** {}", code(&audit.expected.source)),
    ];
    for env in &audit.environments {
        let version = env
            .server_version
            .as_ref()
            .map(|v| format!(" (PostgreSQL {})", text(v)))
            .unwrap_or_default();
        out.push(format!(
            "- **{}:** {}{version}",
            text(&env.name),
            code(&env.source)
        ));
    }
    out
}

fn severity_symbol(worst: Option<Severity>) -> &'static str {
    match worst {
        Some(Severity::Error) => "❌",
        Some(Severity::Warning) => "⚠️",
        Some(Severity::Info) => "ℹ️",
        None => "✅",
    }
}

fn summary(audit: &Audit) -> Vec<String> {
    audit
        .environments
        .iter()
        .map(|env| {
            let counts = Counts::of(env.findings());
            let phrase =
                environment_phrase(env.findings()).unwrap_or_else(|| "matches".to_string());
            format!(
                "| {} | {} | {} | {} | {} {} |",
                cell(&text(&env.name)),
                counts.error,
                counts.warning,
                counts.info,
                severity_symbol(counts.worst()),
                cell(&text(&phrase))
            )
        })
        .collect()
}

/// What a cell's sources say, in words.
fn cell_words(env: &EnvironmentAudit, row: &Row, e: usize) -> Vec<String> {
    let c = &row.cells[e];
    let mut out = Vec::new();
    for source in &c.sources {
        match *source {
            Source::Finding(i) => out.push(text(&env.findings[i].finding.message)),
            Source::Folded(i, _) => {
                let f = &env.findings[i].finding;
                // A property folded into a finding on the same object says nothing more.
                if f.object == row.object {
                    continue;
                }
                out.push(format!(
                    "part of {} {}",
                    code(f.kind.as_str()),
                    code(&f.object.to_string())
                ));
            }
        }
    }
    if out.is_empty() {
        match (c.state, c.parent) {
            (State::ParentMissing, Some(i)) => out.push(format!(
                "missing with {}",
                code(&env.findings[i].finding.object.to_string())
            )),
            (State::Unknown, Some(i)) => out.push(format!(
                "{} could not be read",
                code(&env.findings[i].finding.object.to_string())
            )),
            _ => {}
        }
    }
    out
}

fn matrix_view(audit: &Audit, matrix: &Matrix) -> Option<MatrixView> {
    if matrix.rows.is_empty() {
        return None;
    }
    let names: Vec<String> = audit
        .environments
        .iter()
        .map(|e| cell(&text(&e.name)))
        .collect();
    let header = format!(
        "| object | expected | {} | what differs |",
        names.join(" | ")
    );
    let separator = format!("|---|---|{}---|", ":-:|".repeat(names.len()));
    let rows = matrix
        .rows
        .iter()
        .map(|row| {
            let states: Vec<&str> = row.cells.iter().map(|c| c.state.symbol()).collect();
            let what: Vec<String> = audit
                .environments
                .iter()
                .enumerate()
                .filter(|(e, _)| row.cells[*e].state != State::Matches)
                .map(|(e, env)| {
                    format!(
                        "**{}:** {}",
                        text(&env.name),
                        cell_words(env, row, e).join("; ")
                    )
                })
                .collect();
            format!(
                "| {} {} | {} | {} | {} |",
                row.class.noun(),
                cell(&code(&row.object.to_string())),
                if row.expected {
                    "defined"
                } else {
                    "not defined"
                },
                states.join(" | "),
                cell(&what.join("\n"))
            )
        })
        .collect();
    Some(MatrixView {
        header,
        separator,
        rows,
    })
}

fn verification(audit: &Audit, matrix: &Matrix) -> Vec<Block> {
    audit
        .environments
        .iter()
        .enumerate()
        .filter_map(|(e, env)| {
            let query = environment_query(audit, matrix, e)?;
            let count = |pred: fn(Option<bool>) -> bool| {
                matrix
                    .rows
                    .iter()
                    .filter(|r| pred(r.cells[e].state.expect_ok()))
                    .count()
            };
            let failing = count(|x| x == Some(false));
            let holding = count(|x| x == Some(true));
            let unknown = count(|x| x.is_none());
            let mut lead = format!(
                "{} checks: {failing} show the drift above (`ok` is false today), {holding} already hold.",
                matrix.rows.len()
            );
            if unknown > 0 {
                lead.push_str(&format!(
                    " {unknown} could not be read by pgdrift: their answer is news."
                ));
            }
            Some(Block {
                heading: text(&env.name),
                lead,
                summary: format!("Verification query for {}", html(&env.name)),
                body: fenced("sql", &query),
            })
        })
        .collect()
}

fn fixes(audit: &Audit, matrix: &Matrix) -> Vec<Block> {
    audit
        .environments
        .iter()
        .enumerate()
        .map(|(e, env)| {
            let steps = fix::steps(audit, matrix, e);
            (env, fix::script_of(audit, e, &steps), steps)
        })
        .map(|(env, script, steps)| match script {
            None => Block {
                heading: text(&env.name),
                lead: format!("{} matches: nothing to fix.", text(&env.name)),
                summary: String::new(),
                body: String::new(),
            },
            Some(script) => {
                let statements = steps.iter().filter(|s| s.sql.is_some()).count();
                let commented = steps
                    .iter()
                    .filter(|s| s.sql.is_some() && s.commented_out)
                    .count();
                let by_hand = steps.iter().filter(|s| s.sql.is_none()).count();
                let mut lead = format!(
                    "{statements} {} in dependency order, {commented} of them commented out (they destroy data or need a decision).",
                    if statements == 1 { "statement" } else { "statements" }
                );
                if by_hand > 0 {
                    lead.push_str(&format!(
                        " {by_hand} {} what to do by hand.",
                        if by_hand == 1 { "note explains" } else { "notes explain" }
                    ));
                }
                lead.push_str(" Hazards (locks, rewrites, validation) are flagged in comments. Run it as psql runs a file, outside a transaction block.");
                Block {
                    heading: text(&env.name),
                    lead,
                    summary: format!("Fix SQL for {}", html(&env.name)),
                    body: fenced("sql", &script),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
