//! The Markdown report of every scenario, built from real databases: a snapshot per scenario
//! (what a reviewer reads, time line redacted), and a GFM parse of each report checking that
//! every table row has its header's number of cells and every SQL block is fenced.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::harness::server;
use crate::report_support::{markdown, shared, SCENARIOS};

/// The one line that differs between runs on the same inputs.
fn redact_time(report: &str) -> String {
    report
        .lines()
        .map(|l| {
            if l.starts_with("- **Generated:** ") {
                "- **Generated:** [time]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn each_scenario_reads_as_its_snapshot() {
    // Snapshots pin PostgreSQL 15's rendering (the default test server); other versions are
    // covered by the verification and convergence tests.
    if server().major() != 15 {
        eprintln!("skipped: Markdown snapshots are taken on PostgreSQL 15");
        return;
    }
    for name in SCENARIOS {
        let scenario = shared(name);
        let report = redact_time(&markdown(&scenario.audit()));
        insta::assert_snapshot!(format!("report_{}", name.replace('-', "_")), report);
    }
}

#[test]
fn reports_are_deterministic_apart_from_the_time() {
    let scenario = shared("dev-vs-main");
    let a = scenario.audit();
    let mut b = scenario.audit();
    b.generated_at = "2031-12-31T23:59:59Z".into();
    let (ra, rb) = (markdown(&a), markdown(&b));
    let differing: Vec<(&str, &str)> = ra.lines().zip(rb.lines()).filter(|(x, y)| x != y).collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0].0.starts_with("- **Generated:**"));
    assert_eq!(ra.lines().count(), rb.lines().count());
}

/// GFM splits a row into cells on every `|` not escaped by a backslash, code spans included.
fn cells_in_source(row: &str) -> usize {
    let row = row.trim();
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = match inner.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => inner,
    };
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

/// Every table row has as many cells as its header; every code block is fenced and is SQL or
/// a diff; the report's sections all parse as headings (no block swallowed them).
fn assert_well_formed(report: &str) {
    let parser = Parser::new_ext(report, Options::ENABLE_TABLES).into_offset_iter();
    let mut header_cells = None;
    let mut tables = 0;
    let mut sql_blocks = 0;
    let mut headings = Vec::new();
    let mut in_h2 = false;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                tables += 1;
                header_cells = Some(alignments.len());
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                let source = &report[range];
                let expected = header_cells.expect("a row outside a table");
                assert_eq!(
                    cells_in_source(source),
                    expected,
                    "row with the wrong number of cells: {source}"
                );
            }
            Event::Start(Tag::CodeBlock(kind)) => match kind {
                CodeBlockKind::Fenced(language) => {
                    assert!(
                        language.as_ref() == "sql" || language.as_ref() == "diff",
                        "unexpected code block language {language}"
                    );
                    if language.as_ref() == "sql" {
                        sql_blocks += 1;
                    }
                    let source = &report[range];
                    assert!(
                        source.trim_end().ends_with("```"),
                        "unterminated fence: {source}"
                    );
                }
                CodeBlockKind::Indented => panic!("indented code block at {range:?}"),
            },
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => in_h2 = true,
            Event::Text(text) if in_h2 => headings.push(text.to_string()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => in_h2 = false,
            _ => {}
        }
    }
    assert!(tables >= 1, "no table in the report");
    for heading in ["Summary", "State matrix"] {
        assert!(
            headings.iter().any(|h| h == heading),
            "no {heading} in {headings:?}"
        );
    }
    if report.contains("## Verification queries") {
        assert!(headings.iter().any(|h| h == "Verification queries"));
        assert!(headings.iter().any(|h| h == "Suggested fix SQL"));
        assert!(sql_blocks >= 1);
        // No SQL outside a fence: every statement the report offers is inside one.
        let outside: String = {
            let mut out = String::new();
            let mut fenced = false;
            for line in report.lines() {
                if line.starts_with("```") {
                    fenced = !fenced;
                    continue;
                }
                if !fenced {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out
        };
        for statement in [
            "SELECT r.",
            "CREATE TABLE",
            "ALTER TABLE",
            "CROSS JOIN LATERAL",
        ] {
            assert!(
                !outside.contains(statement),
                "{statement} outside a fenced block"
            );
        }
    }
}

#[test]
fn reports_are_well_formed_gfm() {
    for name in SCENARIOS {
        let scenario = shared(name);
        assert_well_formed(&markdown(&scenario.audit()));
    }
}

#[test]
fn awkward_names_stay_inside_their_cells_and_their_sql() {
    // Names with pipes, backticks and markup, on a real server; prod is an empty database.
    let db = crate::harness::fresh_db("report_awkward_names");
    db.exec(
        "CREATE SCHEMA \"we|ird\"; \
         CREATE TABLE \"we|ird\".\"t`1\" (\"a|b\" int, \"*c*\" text DEFAULT '|`x`|'); \
         CREATE INDEX \"i_[x]\" ON \"we|ird\".\"t`1\" (\"a|b\");",
    );
    let expected = crate::catalog_common::read_db(&db);
    let prod = crate::harness::fresh_db("report_awkward_prod");
    let actual = crate::catalog_common::read_db(&prod);
    let audit = crate::report_support::audit_of("x", &expected, &[], vec![("prod", &actual)]);
    let report = markdown(&audit);
    assert_well_formed(&report);
    assert!(report.contains("### table `` we|ird.t`1 ``"), "{report}");
    assert!(report.contains("| table `` we\\|ird.t`1 `` |"), "{report}");
    // The SQL quotes them too: the check is false on prod, true on the database that has them,
    // and the fix creates them (schema included).
    let matrix = pgdrift::report::matrix::Matrix::build(&audit);
    let query = pgdrift::report::sql::environment_query(&audit, &matrix, 0).unwrap();
    let row = |url: &str| crate::report_support::Session::connect(url).checks(&query);
    assert_eq!(row(&prod.url()), [("table we|ird.t`1".to_string(), false)]);
    assert_eq!(row(&db.url()), [("table we|ird.t`1".to_string(), true)]);
    let script = pgdrift::report::sql::fix::script(&audit, &matrix, 0).unwrap();
    crate::report_support::run_script(&prod, &script);
    assert_eq!(row(&prod.url()), [("table we|ird.t`1".to_string(), true)]);
}
