//! Convergence, as migra checks it: apply an environment's suggested fix SQL to it (as psql
//! runs a file, nothing uncommented), read it again, compare — no error-level finding may
//! remain, and every error finding's `verify_sql` now says `ok`. On every scenario, and on a
//! database drifted in every way the fix repairs (with rows in it, so validation, NOT NULL and
//! type changes meet data).

use pgdrift::diff::{compare, DiffOptions, Finding, Severity};
use pgdrift::model::Loaded;
use pgdrift::report::matrix::Matrix;
use pgdrift::report::sql::fix;
use pgdrift::report::Audit;

use crate::catalog_common::read_db as read;
use crate::report_schemas::{EVERY_KIND_DRIFTED, EVERY_KIND_EXPECTED};
use crate::report_support::{audit_of, run_script, Scenario, Session, Side, SCENARIOS};

fn errors(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}: {}", f.kind, f.object, f.message))
        .collect()
}

/// Fix environment `e` of `audit` (whose database is `side`) and check it converged.
fn converge(label: &str, audit: &Audit, e: usize, side: Side, expected: &Loaded) {
    let env = &audit.environments[e];
    let matrix = Matrix::build(audit);
    let Some(script) = fix::script(audit, &matrix, e) else {
        assert!(env.findings.is_empty());
        return;
    };
    run_script(&side.db, &script);
    let after = read(&side.db);
    let options = DiffOptions {
        environment: env.name.clone(),
        ..Default::default()
    };
    let remaining = compare(expected, &after, &options);
    assert!(
        errors(&remaining).is_empty(),
        "{label}: errors remain on {} after its fix:\n{}\n\nfix:\n{script}",
        env.name,
        errors(&remaining).join("\n")
    );
    let session = Session::connect(&side.db.url());
    for reported in &env.findings {
        if reported.finding.severity == Severity::Error {
            let sql = reported.verify_sql.as_ref().unwrap();
            assert!(
                session.ok(sql),
                "{label}: {} {} still fails its verification after the fix",
                reported.finding.kind,
                reported.finding.object
            );
        }
    }
}

#[test]
fn each_scenario_converges() {
    for name in SCENARIOS {
        // Fresh databases: the fix changes them.
        let scenario = Scenario::load(name);
        let audit = scenario.audit();
        let expected = scenario.expected.loaded.clone();
        for (e, (env, side)) in scenario.environments.into_iter().enumerate() {
            assert_eq!(audit.environments[e].name, env);
            converge(name, &audit, e, side, &expected);
        }
    }
}

#[test]
fn a_database_drifted_in_every_repairable_way_converges() {
    let expected = Side::load("report_fix_expected", &[], EVERY_KIND_EXPECTED);
    let drifted = Side::load("report_fix_drifted", &[], EVERY_KIND_DRIFTED);
    let audit = audit_of(
        "expected.sql",
        &expected.loaded,
        &[],
        vec![("prod", &drifted.loaded)],
    );
    let kinds: Vec<String> = audit.environments[0]
        .findings()
        .map(|f| f.kind.to_string())
        .collect();
    // A partition's own index is found under its partition.
    assert!(audit.environments[0].findings().any(|f| {
        f.kind.as_str() == "index-missing"
            && f.object.to_string() == "public.events.events_2024.events_2024_at_brin"
    }));
    // The drift covers what the fix knows how to repair.
    for kind in [
        "table-missing",
        "table-unexpected",
        "column-missing",
        "column-unexpected",
        "column-type",
        "column-nullable",
        "column-default",
        "column-identity",
        "column-generated",
        "column-collation",
        "index-missing",
        "index-definition",
        "index-renamed",
        "constraint-missing",
        "constraint-definition",
        "constraint-renamed",
        "partition-missing",
        "partition-unexpected",
        "enum-missing",
        "enum-unexpected",
        "enum-values",
        "column-order",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
    // The claims hold before the fix …
    let session = Session::connect(&drifted.db.url());
    for reported in &audit.environments[0].findings {
        assert!(
            !session.ok(reported.verify_sql.as_ref().unwrap()),
            "{} {}",
            reported.finding.kind,
            reported.finding.object
        );
    }
    let expected_session = Session::connect(&expected.db.url());
    for reported in &audit.environments[0].findings {
        assert!(
            expected_session.ok(reported.verify_sql.as_ref().unwrap()),
            "{} {} on the expected database",
            reported.finding.kind,
            reported.finding.object
        );
    }
    drop(session);
    // … and the fix repairs every error, keeping the rows.
    let db = drifted.db.clone();
    converge("every kind", &audit, 0, drifted, &expected.loaded);
    assert_eq!(db.exec("SELECT count(*) FROM people"), "3");
    assert_eq!(
        db.exec("SELECT string_agg(doubled::text, ',' ORDER BY id) FROM people"),
        "20.00,0.00,5.00"
    );
    assert_eq!(db.exec("SELECT max(id) FROM visits"), "9");
    db.exec("INSERT INTO visits (note) VALUES ('identity continues after the old values')");
    assert_eq!(db.exec("SELECT max(id) FROM visits"), "10");
}
