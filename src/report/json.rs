//! The JSON report (`--format json`): a versioned document made from its own serde types,
//! never from the internal model, so the model can change without breaking CI scripts.
//! Every field is documented in `docs/json-format.md`; bump `FORMAT_VERSION` on any change
//! that is not purely additive.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::diff::{Finding, FindingRef, Folded, Severity};
use crate::model::{Note, NoteKind, RecordedMigrations};

use super::{verdict, Audit, Counts, EnvironmentAudit, ReportError, ReportedFinding};

/// The version of the document's shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    tool: Tool<'a>,
    generated_at: &'a str,
    expected: Expected<'a>,
    environments: Vec<Environment<'a>>,
    summary: Summary<'a>,
    findings: Vec<JsonFinding<'a>>,
    notes: Vec<JsonNote<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Expected<'a> {
    source: &'a str,
}

#[derive(Serialize)]
struct Environment<'a> {
    name: &'a str,
    source: &'a str,
    server_version: Option<&'a str>,
    recorded_migrations: Vec<Recorded<'a>>,
}

#[derive(Serialize)]
struct Recorded<'a> {
    table: String,
    tool: &'a str,
    applied: &'a [String],
}

#[derive(Serialize)]
struct Summary<'a> {
    verdict: String,
    total: usize,
    worst: Option<&'static str>,
    by_severity: SeverityCounts,
    by_kind: BTreeMap<&'static str, usize>,
    environments: Vec<EnvironmentSummary<'a>>,
}

#[derive(Serialize)]
struct SeverityCounts {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct EnvironmentSummary<'a> {
    name: &'a str,
    total: usize,
    worst: Option<&'static str>,
    by_severity: SeverityCounts,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    environment: &'a str,
    kind: &'static str,
    severity: &'static str,
    object: String,
    object_parts: &'a [String],
    expected: Option<&'a str>,
    actual: Option<&'a str>,
    message: &'a str,
    details: &'a [String],
    folded: Vec<JsonFolded<'a>>,
    caused_by: Option<JsonRef>,
    verify_sql: Option<&'a str>,
    fix_sql: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFolded<'a> {
    kind: &'static str,
    object: String,
    expected: Option<&'a str>,
    actual: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRef {
    kind: &'static str,
    object: String,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    environment: Option<&'a str>,
    kind: &'static str,
    file: Option<&'a str>,
    line: Option<usize>,
    object: Option<String>,
    message: &'a str,
}

/// The stable kebab-case name of a note kind.
pub fn note_kind(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::NotModelled => "not-modelled",
        NoteKind::Unparsed => "unparsed",
        NoteKind::Invisible => "invisible",
        NoteKind::Info => "info",
    }
}

fn severity_counts(counts: Counts) -> SeverityCounts {
    SeverityCounts {
        error: counts.error,
        warning: counts.warning,
        info: counts.info,
    }
}

fn worst_name(counts: Counts) -> Option<&'static str> {
    counts.worst().map(Severity::as_str)
}

fn recorded(r: &RecordedMigrations) -> Recorded<'_> {
    Recorded {
        table: r.table.to_string(),
        tool: &r.tool,
        applied: &r.applied,
    }
}

fn environment(env: &EnvironmentAudit) -> Environment<'_> {
    Environment {
        name: &env.name,
        source: &env.source,
        server_version: env.server_version.as_deref(),
        recorded_migrations: env.recorded_migrations.iter().map(recorded).collect(),
    }
}

fn reference(r: &FindingRef) -> JsonRef {
    JsonRef {
        kind: r.kind.as_str(),
        object: r.object.to_string(),
    }
}

fn folded(f: &Folded) -> JsonFolded<'_> {
    JsonFolded {
        kind: f.kind.as_str(),
        object: f.object.to_string(),
        expected: f.expected.as_deref(),
        actual: f.actual.as_deref(),
    }
}

fn finding(reported: &ReportedFinding) -> JsonFinding<'_> {
    let f: &Finding = &reported.finding;
    JsonFinding {
        environment: &f.environment,
        kind: f.kind.as_str(),
        severity: f.severity.as_str(),
        object: f.object.to_string(),
        object_parts: f.object.parts(),
        expected: f.expected.as_deref(),
        actual: f.actual.as_deref(),
        message: &f.message,
        details: &f.details,
        folded: f.folded.iter().map(folded).collect(),
        caused_by: f.caused_by.as_ref().map(reference),
        verify_sql: reported.verify_sql.as_deref(),
        fix_sql: reported.fix_sql.as_deref(),
    }
}

fn note<'a>(environment: Option<&'a str>, n: &'a Note) -> JsonNote<'a> {
    JsonNote {
        environment,
        kind: note_kind(n.kind),
        file: n.location.as_ref().map(|l| l.file.as_str()),
        line: n.location.as_ref().map(|l| l.line),
        object: n.object.as_ref().map(|o| o.to_string()),
        message: &n.message,
    }
}

fn document(audit: &Audit) -> Document<'_> {
    let mut findings: Vec<&ReportedFinding> = Vec::new();
    for env in &audit.environments {
        let mut own: Vec<&ReportedFinding> = env.findings.iter().collect();
        own.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        findings.extend(own);
    }
    let total = Counts::of(audit.findings());
    let notes = audit
        .expected
        .notes
        .iter()
        .map(|n| note(None, n))
        .chain(
            audit
                .environments
                .iter()
                .flat_map(|env| env.notes.iter().map(|n| note(Some(env.name.as_str()), n))),
        )
        .collect();
    Document {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "pgdrift",
            version: &audit.tool_version,
        },
        generated_at: &audit.generated_at,
        expected: Expected {
            source: &audit.expected.source,
        },
        environments: audit.environments.iter().map(environment).collect(),
        summary: Summary {
            verdict: verdict(audit).text,
            total: total.total(),
            worst: worst_name(total),
            by_severity: severity_counts(total),
            by_kind: audit.findings().fold(BTreeMap::new(), |mut counts, f| {
                *counts.entry(f.kind.as_str()).or_default() += 1;
                counts
            }),
            environments: audit
                .environments
                .iter()
                .map(|env| {
                    let counts = Counts::of(env.findings());
                    EnvironmentSummary {
                        name: &env.name,
                        total: counts.total(),
                        worst: worst_name(counts),
                        by_severity: severity_counts(counts),
                    }
                })
                .collect(),
        },
        findings: findings.into_iter().map(finding).collect(),
        notes,
    }
}

/// Write the JSON report of `audit` (pretty-printed, ending with a newline).
pub fn render(audit: &Audit, out: &mut dyn Write) -> Result<(), ReportError> {
    serde_json::to_writer_pretty(&mut *out, &document(audit))?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn rendered(audit: &Audit) -> String {
        let mut out = Vec::new();
        render(audit, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_shared_fixture_as_json() {
        insta::assert_snapshot!(rendered(&fixture::audit()));
    }

    #[test]
    fn identical_inputs_give_identical_bytes_apart_from_the_time() {
        let a = fixture::audit();
        let mut b = fixture::audit();
        b.generated_at = "2031-12-31T23:59:59Z".into();
        let (ra, rb) = (rendered(&a), rendered(&b));
        assert_eq!(ra, rendered(&fixture::audit()));
        let differing: Vec<(&str, &str)> =
            ra.lines().zip(rb.lines()).filter(|(x, y)| x != y).collect();
        assert_eq!(differing.len(), 1);
        assert!(differing[0].0.contains("\"generated_at\""));
    }

    #[test]
    fn the_document_parses_back_with_its_contract_fields() {
        let audit = fixture::audit();
        let value: serde_json::Value = serde_json::from_str(&rendered(&audit)).unwrap();
        assert_eq!(value["format_version"], 1);
        assert_eq!(value["tool"]["name"], "pgdrift");
        let findings = value["findings"].as_array().unwrap();
        assert_eq!(findings.len(), audit.findings().count());
        for f in findings {
            for field in [
                "environment",
                "kind",
                "severity",
                "object",
                "expected",
                "actual",
                "message",
                "details",
                "caused_by",
                "verify_sql",
                "fix_sql",
            ] {
                assert!(f.get(field).is_some(), "finding lacks {field}: {f}");
            }
        }
        let total: u64 = value["summary"]["environments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["total"].as_u64().unwrap())
            .sum();
        assert_eq!(value["summary"]["total"].as_u64(), Some(total));
    }

    #[test]
    fn an_audit_without_findings_is_valid() {
        let mut audit = fixture::audit();
        for env in &mut audit.environments {
            env.findings.clear();
        }
        let value: serde_json::Value = serde_json::from_str(&rendered(&audit)).unwrap();
        assert_eq!(value["summary"]["total"], 0);
        assert_eq!(value["summary"]["worst"], serde_json::Value::Null);
        assert_eq!(value["findings"], serde_json::json!([]));
    }
}
