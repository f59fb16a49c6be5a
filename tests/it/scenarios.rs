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

/// `command --expected <intended> --env dev=<dev> --env prod=<prod>` then `extra`.
fn scenario_args(
    command: &str,
    intended: &Path,
    dev: &str,
    prod: &str,
    extra: &[&str],
) -> Vec<String> {
    let mut args = vec![
        command.to_string(),
        "--expected".to_string(),
        intended.to_string_lossy().to_string(),
        "--env".to_string(),
        format!("dev={dev}"),
        "--env".to_string(),
        format!("prod={prod}"),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn audit_json(name: &str, dev: &TestDb, prod: &TestDb, extra: &[&str]) -> (i32, serde_json::Value) {
    let intended = scenario_dir(name).join("intended");
    let mut args = scenario_args(
        "audit",
        &intended,
        &dev.url(),
        &prod.url(),
        &["--format", "json"],
    );
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
    verify(name, &dev, &prod);
    snapshot_reports(name, &dev, &prod);
    (dev, prod)
}

/// What users see for the scenario, in every format, through the CLI (snapshotted on the
/// default server version only: headers name the version).
fn snapshot_reports(name: &str, dev: &TestDb, prod: &TestDb) {
    if dev.server.major() != 15 {
        return;
    }
    let intended = scenario_dir(name).join("intended");
    for format in ["text", "json", "markdown"] {
        let run = pgdrift(&scenario_args(
            "audit",
            &intended,
            &dev.url(),
            &prod.url(),
            &["--format", format],
        ));
        let stable = run
            .stdout
            .replace(&dev.name, "dev")
            .replace(&prod.name, "prod")
            .replace(&format!(":{}/", dev.server.port), ":PORT/")
            .replace(&format!("//{}@", dev.server.superuser), "//USER@")
            .replace(&intended.to_string_lossy().to_string(), "intended")
            .lines()
            .map(|line| {
                let timed = line.contains("\"generated_at\"")
                    || line.starts_with("- **Generated:**")
                    || line.starts_with("pgdrift 0.");
                if timed {
                    "<time line>".to_string()
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(format!("{name}-{format}"), stable);
    }
}

/// `pgdrift verify`: every verification query agrees with the audit on both databases.
fn verify(name: &str, dev: &TestDb, prod: &TestDb) {
    let intended = scenario_dir(name).join("intended");
    let run = pgdrift(&scenario_args(
        "verify",
        &intended,
        &dev.url(),
        &prod.url(),
        &[],
    ));
    assert_eq!(
        run.code, 0,
        "{name}: verify disagrees:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout.contains("✓ dev:") && run.stdout.contains("✓ prod:"),
        "{}",
        run.stdout
    );
}

#[test]
fn failed_migration() {
    let (dev, prod) = check_scenario("failed-migration", &[]);
    // Once migration 017 runs on prod, prod matches: the audit is clean and the verification
    // query of the missing table turns true.
    let (_, before) = audit_json("failed-migration", &dev, &prod, &[]);
    let verify_sql = before["findings"][0]["verify_sql"]
        .as_str()
        .unwrap()
        .to_string();
    let ok = |db: &TestDb| {
        let out = db.exec(&verify_sql);
        out.lines().last().unwrap_or_default().trim().ends_with('t')
    };
    assert!(!ok(&prod), "the table is missing: ok must be false");
    prod.load_file(
        &scenario_dir("failed-migration")
            .join("intended/migrations/017_create_user_invitations_clean.sql"),
    );
    assert!(ok(&prod), "after 017 the verification query must say ok");
    let (code, after) = audit_json("failed-migration", &dev, &prod, &[]);
    assert_eq!(code, 0, "{after:#}");
    assert!(finding_rows(&after).is_empty(), "{after:#}");
    // session_access comes from a disabled migration: it must not appear anywhere.
    let (_, json) = audit_json("failed-migration", &dev, &prod, &[]);
    assert!(!json.to_string().contains("session_access"));
    // The DO block is noted with its file and line.
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("017_create_user_invitations_clean.sql"))
            && n["line"] == 21
            && n["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("DO $$"))),
        "{notes:?}"
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
        (
            "prod",
            "constraint-missing",
            "public.user_correlations.fk_user_correlations_organization",
        ),
        (
            "prod",
            "index-missing",
            "public.user_correlations.idx_user_correlations_organization_id",
        ),
        (
            "prod",
            "index-missing",
            "public.user_correlations.idx_user_correlations_org_email",
        ),
        (
            "prod",
            "index-missing",
            "public.user_correlations.idx_user_correlations_org_slack",
        ),
        (
            "prod",
            "constraint-missing",
            "public.user_burnout_reports.user_burnout_reports_organization_id_fkey",
        ),
        (
            "prod",
            "index-missing",
            "public.user_burnout_reports.idx_user_burnout_reports_org_id",
        ),
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
        (
            "prod",
            "column-nullable",
            "public.user_invitation_quotas.invites_remaining",
        ),
        (
            "prod",
            "column-default",
            "public.user_invitation_quotas.invites_remaining",
        ),
        (
            "prod",
            "column-default",
            "public.user_sent_invitations_log.status",
        ),
        (
            "prod",
            "index-definition",
            "public.user_sent_invitations_log.idx_sent_invitations_pending",
        ),
        (
            "prod",
            "constraint-definition",
            "public.user_sent_invitations_log.check_status",
        ),
    ];
    check_scenario("invitation-quotas", &consequences);
}

/// hand-made-tables, audited through a role that logs in with a password: the password
/// appears nowhere — stdout, stderr, the Markdown, the JSON — also when the connection fails.
#[test]
fn passwords_never_appear_in_reports() {
    const SECRET: &str = "s3cret-Pa55";
    let (dev, prod) = load_scenario("hand-made-tables");
    prod.server
        .ensure_role("pw_auditor", &format!("LOGIN PASSWORD '{SECRET}'"));
    prod.exec("GRANT USAGE ON SCHEMA public TO pw_auditor");
    let with_password = prod
        .server
        .url_with_password("pw_auditor", SECRET, &prod.name);
    let intended = scenario_dir("hand-made-tables").join("intended");
    let dir = std::env::temp_dir().join(format!("pgdrift-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let refused = format!("postgres://pw_auditor:{SECRET}@127.0.0.1:1/prod");
    for (label, prod_url, code) in [("ok", &with_password, 1), ("refused", &refused, 2)] {
        for format in ["text", "json", "markdown"] {
            let out = dir.join(format!("{label}.{format}"));
            let run = pgdrift(&scenario_args(
                "audit",
                &intended,
                &dev.url(),
                prod_url,
                &["--format", format, "--out", &out.to_string_lossy()],
            ));
            assert_eq!(run.code, code, "{label} {format}: {}", run.stderr);
            let written = std::fs::read_to_string(&out).unwrap_or_default();
            for (what, text) in [
                ("stdout", &run.stdout),
                ("stderr", &run.stderr),
                ("report", &written),
            ] {
                assert!(
                    !text.contains(SECRET),
                    "{label} {format}: the password is in {what}:\n{text}"
                );
            }
            if label == "ok" {
                assert!(
                    written.contains("pw_auditor@127.0.0.1"),
                    "the source is shown redacted"
                );
            } else {
                assert!(
                    run.stderr.contains("pw_auditor@127.0.0.1:1/prod"),
                    "{}",
                    run.stderr
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
