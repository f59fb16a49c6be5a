//! The YAML models of the scenarios, run as the SQL the reader generates, on a real server:
//! PostgreSQL must end up with exactly what the scenario's EXPECTED.md says the YAML means,
//! and with what `prod.sql` / `dev.sql` created for the same tables (except where EXPECTED.md
//! says they differ).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::harness::{fresh_db, TestDb};
use crate::yaml_support::{table_rows, yaml_sql};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
}

fn difference(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    a.difference(b).cloned().collect()
}

/// Load the migrations that precede `models.yaml`, then the YAML's SQL.
fn load_intended(label: &str, migrations: &[PathBuf], models: &Path) -> TestDb {
    let db = fresh_db(label);
    db.load_files(migrations);
    db.exec(&yaml_sql(models));
    db
}

fn migration_folder(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    // These folders are numbered with zero padding: byte order is apply order.
    files.sort();
    files
}

#[test]
fn hand_made_tables_yaml_means_what_expected_md_says() {
    let dir = scenario("hand-made-tables");
    let intended = load_intended(
        "yaml_hand_made_intended",
        &[dir.join("intended/alembic/0001_initial.sql")],
        &dir.join("intended/models.yaml"),
    );
    let invitations = table_rows(&intended, "user_invitations");
    for expected in [
        "column 1 id integer NOT NULL DEFAULT nextval('public.user_invitations_id_seq'::regclass)",
        "column 4 invitation_token character varying(255) NOT NULL",
        "column 9 expires_at timestamp without time zone NOT NULL",
        "column 12 invitation_metadata jsonb DEFAULT '{}'::jsonb",
        "column 13 created_at timestamp without time zone NOT NULL DEFAULT now()",
        "column 5 user_type character varying(50) NOT NULL DEFAULT 'brand'::character varying",
        "constraint user_invitations_pkey PRIMARY KEY (id)",
        "constraint user_invitations_invitation_token_key UNIQUE (invitation_token)",
        "constraint user_invitations_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE SET NULL",
        "constraint user_invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES public.users(id) ON DELETE SET NULL",
        "index CREATE INDEX ix_user_invitations_status ON public.user_invitations USING btree (status)",
    ] {
        assert!(
            invitations.contains(expected),
            "missing {expected:?} in {invitations:#?}"
        );
    }
    let queue = table_rows(&intended, "pending_signup_queue");
    assert!(queue.contains(
        "constraint pending_signup_queue_reviewed_by_fkey FOREIGN KEY (reviewed_by) REFERENCES public.users(id) ON DELETE SET NULL"
    ), "{queue:#?}");

    // Against prod, where the tables were made by hand: the same, except the two
    // differences EXPECTED.md lists (invitation_token nullable, ix_user_invitations_status
    // missing).
    let prod = fresh_db("yaml_hand_made_prod");
    prod.load_file(&dir.join("prod.sql"));
    let prod_invitations = table_rows(&prod, "user_invitations");
    assert_eq!(
        difference(&invitations, &prod_invitations),
        [
            "column 4 invitation_token character varying(255) NOT NULL",
            "index CREATE INDEX ix_user_invitations_status ON public.user_invitations USING btree (status)",
        ]
    );
    assert_eq!(
        difference(&prod_invitations, &invitations),
        ["column 4 invitation_token character varying(255)"]
    );
    assert_eq!(table_rows(&prod, "pending_signup_queue"), queue);
}

#[test]
fn dev_vs_main_yaml_matches_dev_and_differs_from_prod_as_expected() {
    let dir = scenario("dev-vs-main");
    let intended = load_intended(
        "yaml_dev_vs_main_intended",
        &migration_folder(&dir.join("intended/migrations")),
        &dir.join("intended/models.yaml"),
    );
    let dev = fresh_db("yaml_dev_vs_main_dev");
    dev.load_file(&dir.join("dev.sql"));
    let prod = fresh_db("yaml_dev_vs_main_prod");
    prod.load_file(&dir.join("prod.sql"));

    let notifications = table_rows(&intended, "user_notifications");
    for expected in [
        "column 1 id integer NOT NULL DEFAULT nextval('public.user_notifications_id_seq'::regclass)",
        "column 10 read_at timestamp with time zone",
        "column 5 category character varying(50) DEFAULT 'general'::character varying",
        "column 9 metadata json",
        "constraint user_notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id)",
        "index CREATE INDEX idx_user_notifications_created_at ON public.user_notifications USING btree (created_at DESC)",
    ] {
        assert!(
            notifications.contains(expected),
            "missing {expected:?} in {notifications:#?}"
        );
    }
    let schedules = table_rows(&intended, "survey_schedules");
    for expected in [
        "column 2 organization_id integer",
        "column 3 enabled boolean DEFAULT false",
        "column 4 send_time time without time zone NOT NULL",
        "column 7 reminder_hours_after integer DEFAULT 5",
        "constraint survey_schedules_organization_id_key UNIQUE (organization_id)",
        "constraint survey_schedules_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id)",
    ] {
        assert!(schedules.contains(expected), "missing {expected:?} in {schedules:#?}");
    }

    // Dev holds all three tables exactly as the YAML describes them.
    for table in [
        "user_notifications",
        "slack_workspace_mappings",
        "survey_schedules",
    ] {
        assert_eq!(
            table_rows(&intended, table),
            table_rows(&dev, table),
            "{table}"
        );
    }
    // Prod lacks two tables and one index (EXPECTED.md); the rest of the third matches.
    assert!(table_rows(&prod, "user_notifications").is_empty());
    assert!(table_rows(&prod, "survey_schedules").is_empty());
    let mappings = table_rows(&intended, "slack_workspace_mappings");
    let prod_mappings = table_rows(&prod, "slack_workspace_mappings");
    assert_eq!(
        difference(&mappings, &prod_mappings),
        ["index CREATE INDEX idx_slack_workspace_mappings_org_id ON public.slack_workspace_mappings USING btree (organization_id)"]
    );
    assert!(difference(&prod_mappings, &mappings).is_empty());
}
