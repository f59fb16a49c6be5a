//! The scenarios' EXPECTED.md tables, checked on real servers: the intended schema is loaded
//! into a database of its own (the YAML models written out as the SQL they stand for), each
//! environment from its `.sql`, all three read back, and `compare` must report exactly the
//! findings the scenario lists — with the consequences folded or pointing at their causes.

use std::path::{Path, PathBuf};

use pgdrift::diff::{compare, DiffOptions, FailOn, Finding, FindingKind};
use pgdrift::model::Loaded;

use crate::catalog_common::read_db as read;
use crate::harness::{fresh_db, TestDb};
use crate::report_schemas::{DEV_VS_MAIN_MODELS, HAND_MADE_MODELS};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
}

fn loaded_from(label: &str, files: &[PathBuf], extra_sql: &str) -> (TestDb, Loaded) {
    let db = fresh_db(label);
    db.load_files(files);
    if !extra_sql.is_empty() {
        db.exec(extra_sql);
    }
    let loaded = read(&db);
    (db, loaded)
}

/// The findings for one environment, as `environment kind object severity` lines.
fn audit(expected: &Loaded, actual: &Loaded, environment: &str) -> Vec<Finding> {
    let options = DiffOptions {
        environment: environment.into(),
        ..Default::default()
    };
    compare(expected, actual, &options)
}

fn lines(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} | {} | {} | {}",
                f.environment, f.kind, f.object, f.severity
            )
        })
        .collect();
    out.sort();
    out
}

fn sorted(rows: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    out.sort();
    out
}

fn folded(finding: &Finding) -> Vec<String> {
    finding
        .folded
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect()
}

fn find<'a>(findings: &'a [Finding], kind: FindingKind, object: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.kind == kind && f.object.to_string() == object)
        .unwrap_or_else(|| panic!("no {kind} {object} in {:?}", lines(findings)))
}

#[test]
fn failed_migration() {
    let dir = scenario("failed-migration");
    let m = dir.join("intended/migrations");
    let (_e, expected) = loaded_from(
        "fm_expected",
        &[
            m.join("001_extensions.sql"),
            m.join("002_users.sql"),
            m.join("003_review_sessions.sql"),
            m.join("004_session_participants.sql"),
            m.join("017_create_user_invitations_clean.sql"),
        ],
        "",
    );
    let (_d, dev) = loaded_from("fm_dev", &[dir.join("dev.sql")], "");
    let (_p, prod) = loaded_from("fm_prod", &[dir.join("prod.sql")], "");

    assert!(lines(&audit(&expected, &dev, "dev")).is_empty());
    let findings = audit(&expected, &prod, "prod");
    assert_eq!(
        lines(&findings),
        ["prod | table-missing | public.user_invitations | error"]
    );
    // One finding for the whole table: 9 columns, 5 indexes, 6 constraints inside it.
    let table = &findings[0];
    assert_eq!(
        table.expected.as_deref(),
        Some("9 columns, 5 indexes, 6 constraints")
    );
    assert_eq!(table.details.len(), 9 + 5 + 6);
    assert!(FailOn::Error.fails(&findings));
}

#[test]
fn undeployed_migration() {
    let dir = scenario("undeployed-migration");
    let m = dir.join("intended/prisma/migrations");
    let (_e, expected) = loaded_from(
        "um_expected",
        &[
            m.join("20250101090000_init/migration.sql"),
            m.join("20250116140000_add_workspace_invites/migration.sql"),
        ],
        "",
    );
    let (_d, dev) = loaded_from("um_dev", &[dir.join("dev.sql")], "");
    let (_p, prod) = loaded_from("um_prod", &[dir.join("prod.sql")], "");
    // Both databases hold Prisma's own table, which no migration creates.
    assert!(dev
        .schema
        .table(&pgdrift::model::QualifiedName::new(
            "public",
            "_prisma_migrations"
        ))
        .is_some());

    assert!(lines(&audit(&expected, &dev, "dev")).is_empty());
    assert_eq!(
        lines(&audit(&expected, &prod, "prod")),
        sorted(&[
            "prod | table-missing | public.workspace_invites | error",
            "prod | enum-missing | public.InviteStatus | error",
        ])
    );
}

#[test]
fn hand_made_tables() {
    let dir = scenario("hand-made-tables");
    let (_e, expected) = loaded_from(
        "hm_expected",
        &[dir.join("intended/alembic/0001_initial.sql")],
        HAND_MADE_MODELS,
    );
    let (_d, dev) = loaded_from("hm_dev", &[dir.join("dev.sql")], "");
    let (_p, prod) = loaded_from("hm_prod", &[dir.join("prod.sql")], "");
    let mut findings = audit(&expected, &dev, "dev");
    findings.extend(audit(&expected, &prod, "prod"));
    assert_eq!(
        lines(&findings),
        sorted(&[
            "dev | table-missing | public.user_invitations | error",
            "dev | table-missing | public.pending_signup_queue | error",
            "prod | column-nullable | public.user_invitations.invitation_token | error",
            "prod | index-missing | public.user_invitations.ix_user_invitations_status | error",
        ])
    );
}

#[test]
fn dev_vs_main() {
    let dir = scenario("dev-vs-main");
    let m = dir.join("intended/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&m)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (_e, expected) = loaded_from("dm_expected", &files, DEV_VS_MAIN_MODELS);
    let (_d, dev) = loaded_from("dm_dev", &[dir.join("dev.sql")], "");
    let (_p, prod) = loaded_from("dm_prod", &[dir.join("prod.sql")], "");
    let dev_findings = audit(&expected, &dev, "dev");
    let prod_findings = audit(&expected, &prod, "prod");
    let mut all = dev_findings.clone();
    all.extend(prod_findings.clone());
    assert_eq!(
        lines(&all),
        sorted(&[
            "dev | column-unexpected | public.users.beta_flag | warning",
            "prod | table-missing | public.user_notifications | error",
            "prod | table-missing | public.survey_schedules | error",
            "prod | column-missing | public.user_correlations.organization_id | error",
            "prod | column-missing | public.user_correlations.name | error",
            "prod | column-missing | public.user_correlations.integration_ids | error",
            "prod | column-missing | public.user_burnout_reports.personal_circumstances | error",
            "prod | column-missing | public.user_burnout_reports.organization_id | error",
            "prod | column-missing | public.slack_integrations.connection_type | error",
            "prod | column-missing | public.slack_integrations.created_at | error",
            "prod | column-nullable | public.slack_integrations.slack_user_id | error",
            "prod | index-missing | public.slack_workspace_mappings.idx_slack_workspace_mappings_org_id | error",
        ])
    );
    // What depends on a missing column is inside its finding, for the fix to create after it.
    let organization = find(
        &prod_findings,
        FindingKind::ColumnMissing,
        "public.user_correlations.organization_id",
    );
    assert_eq!(
        folded(organization),
        [
            "index-missing public.user_correlations.idx_user_correlations_org_email",
            "index-missing public.user_correlations.idx_user_correlations_org_slack",
            "index-missing public.user_correlations.idx_user_correlations_organization_id",
            "constraint-missing public.user_correlations.fk_user_correlations_organization",
        ]
    );
    assert!(organization
        .details
        .iter()
        .any(|d| d.ends_with("WHERE (slack_user_id IS NOT NULL)")));
    let burnout = find(
        &prod_findings,
        FindingKind::ColumnMissing,
        "public.user_burnout_reports.organization_id",
    );
    assert_eq!(
        folded(burnout),
        [
            "index-missing public.user_burnout_reports.idx_user_burnout_reports_org_id",
            "constraint-missing public.user_burnout_reports.user_burnout_reports_organization_id_fkey",
        ]
    );
    // Exit codes: prod fails; dev alone passes at error and fails at warning.
    assert!(FailOn::Error.fails(&all));
    assert!(!FailOn::Error.fails(&dev_findings));
    assert!(FailOn::Warning.fails(&dev_findings));
}

#[test]
fn invitation_quotas() {
    let dir = scenario("invitation-quotas");
    let (_e, expected) = loaded_from(
        "iq_expected",
        &[
            dir.join("intended/0001_users.sql"),
            dir.join("intended/0002_invitation_quotas.sql"),
        ],
        "",
    );
    let (_d, dev) = loaded_from("iq_dev", &[dir.join("dev.sql")], "");
    let (_p, prod) = loaded_from("iq_prod", &[dir.join("prod.sql")], "");
    // Dev matches exactly (functions and triggers are not modelled yet).
    assert_eq!(lines(&audit(&expected, &dev, "dev")), Vec::<String>::new());

    let findings = audit(&expected, &prod, "prod");
    assert_eq!(
        lines(&findings),
        sorted(&[
            "prod | index-definition | public.users.users_email_lower_idx | error",
            "prod | column-nullable | public.user_invitation_quotas.auth_user_id | error",
            "prod | column-generated | public.user_invitation_quotas.invites_remaining | error",
            "prod | column-type | public.user_sent_invitations_log.status | error",
            "prod | column-default | public.user_sent_invitations_log.expires_at | warning",
            "prod | constraint-missing | public.user_sent_invitations_log.check_email_format | error",
            "prod | constraint-definition | public.user_sent_invitations_log.user_sent_invitations_log_invited_user_id_fkey | error",
            "prod | index-definition | public.user_sent_invitations_log.idx_sent_invitations_sender | error",
        ])
    );
    let email = find(
        &findings,
        FindingKind::IndexDefinition,
        "public.users.users_email_lower_idx",
    );
    assert_eq!(
        email.details,
        ["predicate: expected WHERE (deleted_at IS NULL), actual none"]
    );
    let generated = find(
        &findings,
        FindingKind::ColumnGenerated,
        "public.user_invitation_quotas.invites_remaining",
    );
    assert_eq!(
        generated.expected.as_deref(),
        Some("GENERATED ALWAYS AS (GREATEST((total_invites_granted - invites_used), 0)) STORED")
    );
    assert_eq!(
        folded(generated),
        [
            "column-nullable public.user_invitation_quotas.invites_remaining",
            "column-default public.user_invitation_quotas.invites_remaining",
        ]
    );
    // Postgres renders the default, the partial index and the CHECK of a varchar column
    // differently; all of it follows from the one type difference.
    let status = find(
        &findings,
        FindingKind::ColumnType,
        "public.user_sent_invitations_log.status",
    );
    assert_eq!(status.expected.as_deref(), Some("text"));
    assert_eq!(status.actual.as_deref(), Some("character varying(20)"));
    assert_eq!(
        folded(status),
        [
            "column-default public.user_sent_invitations_log.status",
            "index-definition public.user_sent_invitations_log.idx_sent_invitations_pending",
            "constraint-definition public.user_sent_invitations_log.check_status",
        ]
    );
    let fkey = find(
        &findings,
        FindingKind::ConstraintDefinition,
        "public.user_sent_invitations_log.user_sent_invitations_log_invited_user_id_fkey",
    );
    assert_eq!(
        fkey.details,
        ["ON DELETE: expected SET NULL, actual CASCADE"]
    );
    let sender = find(
        &findings,
        FindingKind::IndexDefinition,
        "public.user_sent_invitations_log.idx_sent_invitations_sender",
    );
    assert_eq!(
        sender.details,
        ["keys: expected (sender_user_id, sent_at DESC), actual (sender_user_id, sent_at)"]
    );
}
