use pulldown_cmark::{Event, Options, Parser, Tag};

use super::*;
use crate::report::fixture;

fn rendered(audit: &Audit) -> String {
    let mut out = Vec::new();
    render(audit, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_shared_fixture_as_markdown() {
    insta::assert_snapshot!(rendered(&fixture::audit()));
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
    let report = rendered(&audit);
    assert!(report.contains("**✅ no drift**"));
    assert!(report.contains("No differences: every environment matches the expected schema."));
    assert!(!report.contains("## Verification queries"));
    assert!(!report.contains("## Notes"));
    insta::assert_snapshot!(report);
}

#[test]
fn an_audit_without_environments_renders() {
    let mut audit = fixture::audit();
    audit.environments.clear();
    let report = rendered(&audit);
    assert!(report.contains("no environment compared"));
}

/// Cells of a GFM table row as the table parser splits them: on every unescaped `|`.
fn cells(row: &str) -> usize {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut count = 1;
    let mut escaped = false;
    for c in inner.chars() {
        if c == '|' && !escaped {
            count += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    count
}

#[test]
fn every_table_row_has_its_headers_cells() {
    let report = rendered(&fixture::audit());
    let mut header = 0;
    let mut rows = 0;
    for (event, range) in Parser::new_ext(&report, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(alignments)) => header = alignments.len(),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                rows += 1;
                assert_eq!(cells(&report[range.clone()]), header, "{}", &report[range]);
            }
            _ => {}
        }
    }
    // Summary (3 environments), matrix (11 objects), recorded migrations (2), with headers.
    assert_eq!(rows, 4 + 12 + 3);
}
