//! The shared drift scenarios, end to end: load `dev.sql` and `prod.sql` into real databases,
//! run `pgdrift audit --expected intended/ --env dev=… --env prod=…`, and require exactly the
//! findings each scenario's EXPECTED.md lists (rows it says "may also be reported" are allowed,
//! nothing else), with the exit codes it states.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::harness::{fresh_db, TestDb};
use crate::run::pgdrift;

pub fn scenario_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
}

/// One row of a findings table: (environment, kind, object, severity).
pub type Row = (String, String, String, String);

/// The findings table of an EXPECTED.md: every Markdown table row whose header starts with
/// `environment | kind | object | severity`.
pub fn expected_rows(name: &str) -> BTreeSet<Row> {
    let text = std::fs::read_to_string(scenario_dir(name).join("EXPECTED.md")).unwrap();
    let mut rows = BTreeSet::new();
    let mut in_table = false;
    for line in text.lines() {
        let cells: Vec<String> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        if !line.trim_start().starts_with('|') {
            in_table = false;
            continue;
        }
        if cells.first().map(String::as_str) == Some("environment") {
            in_table = true;
            continue;
        }
        if in_table && cells.len() >= 4 && !cells[0].starts_with("---") {
            rows.insert((
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ));
        }
    }
    assert!(!rows.is_empty(), "no findings table in {name}/EXPECTED.md");
    rows
}

/// Two databases holding the scenario's dev and prod states.
pub fn load_scenario(name: &str) -> (TestDb, TestDb) {
    let dir = scenario_dir(name);
    let dev = fresh_db(&format!("{name}_dev"));
    dev.load_file(&dir.join("dev.sql"));
    let prod = fresh_db(&format!("{name}_prod"));
    prod.load_file(&dir.join("prod.sql"));
    (dev, prod)
}

/// The (environment, kind, object, severity) of every finding in a JSON report.
pub fn finding_rows(json: &serde_json::Value) -> BTreeSet<Row> {
    json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array in {json}"))
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("environment"), s("kind"), s("object"), s("severity"))
        })
        .collect()
}

fn audit_json(name: &str, dev: &TestDb, prod: &TestDb, extra: &[&str]) -> (i32, serde_json::Value) {
    let intended = scenario_dir(name).join("intended");
    let mut args = vec![
        "audit".to_string(),
        "--expected".to_string(),
        intended.to_string_lossy().to_string(),
        "--env".to_string(),
        format!("dev={}", dev.url()),
        "--env".to_string(),
        format!("prod={}", prod.url()),
        "--format".to_string(),
        "json".to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = pgdrift(&args);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", out.stdout, out.stderr));
    (out.code, json)
}

/// Findings of `name` must be exactly `expected` plus any of `optional`.
fn check_scenario(name: &str, optional: &[(&str, &str, &str)]) -> (TestDb, TestDb) {
    let (dev, prod) = load_scenario(name);
    let (code, json) = audit_json(name, &dev, &prod, &[]);
    let actual = finding_rows(&json);
    let expected = expected_rows(name);
    let missing: Vec<_> = expected.difference(&actual).collect();
    let extra: Vec<_> = actual
        .difference(&expected)
        .filter(|(env, kind, object, _)| {
            !optional
                .iter()
                .any(|(e, k, o)| e == env && k == kind && o == object)
        })
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: missing findings {missing:#?}\nunexpected findings {extra:#?}\nreport: {json:#}"
    );
    let has_error = expected.iter().any(|r| r.3 == "error");
    assert_eq!(code, if has_error { 1 } else { 0 }, "{name}: exit code");
    (dev, prod)
}

#[test]
fn failed_migration() {
    let (dev, prod) = check_scenario("failed-migration", &[]);
    // session_access comes from a disabled migration: it must not appear anywhere.
    let (_, json) = audit_json("failed-migration", &dev, &prod, &[]);
    assert!(!json.to_string().contains("session_access"));
    // The DO block is noted with its file and line.
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("017_create_user_invitations_clean.sql:22"),
        "{notes}"
    );
}

#[test]
fn undeployed_migration() {
    check_scenario("undeployed-migration", &[]);
}

#[test]
fn hand_made_tables() {
    check_scenario("hand-made-tables", &[]);
}

#[test]
fn dev_vs_main() {
    let deps = [
        ("prod", "constraint-missing", "public.user_correlations.fk_user_correlations_organization"),
        ("prod", "index-missing", "public.user_correlations.idx_user_correlations_organization_id"),
        ("prod", "index-missing", "public.user_correlations.idx_user_correlations_org_email"),
        ("prod", "index-missing", "public.user_correlations.idx_user_correlations_org_slack"),
        ("prod", "constraint-missing", "public.user_burnout_reports.user_burnout_reports_organization_id_fkey"),
        ("prod", "index-missing", "public.user_burnout_reports.idx_user_burnout_reports_org_id"),
    ];
    let (dev, prod) = check_scenario("dev-vs-main", &deps);
    // dev alone has only a warning: exit 0 with --fail-on error, 1 with --fail-on warning.
    let intended = scenario_dir("dev-vs-main").join("intended");
    let dev_only = |fail_on: &str| {
        pgdrift(&[
            "audit".into(),
            "--expected".into(),
            intended.to_string_lossy().to_string(),
            "--env".into(),
            format!("dev={}", dev.url()),
            "--fail-on".into(),
            fail_on.into(),
        ])
        .code
    };
    assert_eq!(dev_only("error"), 0);
    assert_eq!(dev_only("warning"), 1);
    drop(prod);
}

#[test]
fn invitation_quotas() {
    let consequences = [
        ("prod", "column-nullable", "public.user_invitation_quotas.invites_remaining"),
        ("prod", "column-default", "public.user_invitation_quotas.invites_remaining"),
        ("prod", "column-default", "public.user_sent_invitations_log.status"),
        ("prod", "index-definition", "public.user_sent_invitations_log.idx_sent_invitations_pending"),
        ("prod", "constraint-definition", "public.user_sent_invitations_log.check_status"),
    ];
    check_scenario("invitation-quotas", &consequences);
}
