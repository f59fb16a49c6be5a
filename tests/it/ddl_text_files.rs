//! `ddl::files::discover`: the apply order of every migration layout, on small temporary trees
//! and on the real fixtures (whose `ORDER` files are the truth).

use std::path::{Path, PathBuf};

use pgdrift::ddl::files::{self, SourcePlan};

/// A temporary folder tree, removed when dropped.
pub struct TempTree {
    pub root: PathBuf,
}

impl TempTree {
    /// Create `files` (relative paths; contents) under a fresh folder named `name`.
    pub fn new(name: &str, files: &[(&str, &str)]) -> TempTree {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let base =
            std::env::temp_dir().join(format!("pgdrift-ddl-text-{}-{n}", std::process::id()));
        let root = base.join(name);
        std::fs::create_dir_all(&root).unwrap();
        for (rel, contents) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        TempTree { root }
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        if let Some(base) = self.root.parent() {
            let _ = std::fs::remove_dir_all(base);
        }
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The SQL files of a plan, relative to its root, in order.
fn sql_order(plan: &SourcePlan) -> Vec<String> {
    plan.sql.iter().map(|f| rel(&plan.root, &f.path)).collect()
}

fn yaml_order(plan: &SourcePlan) -> Vec<String> {
    plan.yaml.iter().map(|p| rel(&plan.root, p)).collect()
}

fn skipped(plan: &SourcePlan) -> Vec<(String, String)> {
    plan.skipped
        .iter()
        .map(|s| (rel(&plan.root, &s.path), s.reason.clone()))
        .collect()
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .to_string()
}

fn discover(tree: &TempTree) -> SourcePlan {
    files::discover(&tree.root).unwrap_or_else(|e| panic!("{e}"))
}

// ---- real fixtures -------------------------------------------------------------------------

fn order_file(corpus: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(fixtures().join("corpus").join(corpus).join("ORDER")).unwrap();
    // Line by line: one crates-io folder name contains spaces.
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn corpus_crates_io_orders_as_diesel() {
    let root = fixtures().join("corpus/crates-io");
    let plan = files::discover(&root).unwrap();
    assert_eq!(sql_order(&plan), order_file("crates-io"));
    assert_eq!(plan.layout, "diesel");
    assert_eq!(plan.sql.len(), 285);
    let key = |suffix: &str| {
        plan.sql
            .iter()
            .find(|f| f.display.contains(suffix))
            .map(|f| f.order_key.clone())
            .unwrap()
    };
    assert_eq!(key("2017-08-31-230457_invitations"), "20170831230457");
    assert_eq!(
        key("2026-05-27-120000-0000_semver_ord_v2_not_null"),
        "202605271200000000"
    );
    assert!(plan.sql[0]
        .display
        .starts_with("crates-io/migrations/00000000000000_diesel_initial_setup"));
    assert!(plan.yaml.is_empty());
}

#[test]
fn corpus_umami_orders_as_prisma() {
    let root = fixtures().join("corpus/umami");
    let plan = files::discover(&root).unwrap();
    assert_eq!(sql_order(&plan), order_file("umami"));
    assert_eq!(plan.layout, "prisma");
    assert_eq!(plan.sql[0].order_key, "01_init");
}

#[test]
fn corpus_pagila_is_one_file() {
    let root = fixtures().join("corpus/pagila");
    let plan = files::discover(&root).unwrap();
    assert_eq!(sql_order(&plan), order_file("pagila"));
    let single = files::discover(&root.join("pagila-schema.sql")).unwrap();
    assert_eq!(single.layout, "file");
    assert_eq!(single.sql.len(), 1);
    assert_eq!(single.sql[0].display, "pagila-schema.sql");
}

fn scenario(name: &str) -> SourcePlan {
    let root = fixtures().join("scenarios").join(name).join("intended");
    files::discover(&root).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn scenario_failed_migration_skips_disabled_files() {
    let plan = scenario("failed-migration");
    assert_eq!(
        sql_order(&plan),
        [
            "migrations/001_extensions.sql",
            "migrations/002_users.sql",
            "migrations/003_review_sessions.sql",
            "migrations/004_session_participants.sql",
            "migrations/017_create_user_invitations_clean.sql",
        ]
    );
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    for (path, reason) in skipped {
        assert!(path.ends_with(".sql.disabled"), "{path}");
        assert!(reason.contains("disabled"), "{reason}");
    }
    assert_eq!(
        plan.sql[0].display,
        "intended/migrations/001_extensions.sql"
    );
}

#[test]
fn scenario_dev_vs_main_puts_001b_between_001_and_002_and_yaml_last() {
    let plan = scenario("dev-vs-main");
    let order = sql_order(&plan);
    assert_eq!(
        order,
        [
            "migrations/000_baseline.sql",
            "migrations/001_add_integration_fields_to_analyses.sql",
            "migrations/001b_create_organizations_tables.sql",
            "migrations/002_add_organization_id_to_user_correlations.sql",
            "migrations/003_add_name_to_user_correlations.sql",
            "migrations/004_add_integration_ids_to_user_correlations.sql",
            "migrations/005_add_personal_circumstances_to_reports.sql",
            "migrations/006_make_slack_user_id_nullable.sql",
        ]
    );
    assert_eq!(yaml_order(&plan), ["models.yaml"]);
    assert_eq!(plan.layout, "numbered");
}

#[test]
fn scenario_undeployed_migration_is_prisma() {
    let plan = scenario("undeployed-migration");
    assert_eq!(
        sql_order(&plan),
        [
            "prisma/migrations/20250101090000_init/migration.sql",
            "prisma/migrations/20250116140000_add_workspace_invites/migration.sql",
        ]
    );
    assert_eq!(plan.layout, "prisma");
    assert_eq!(
        skipped(&plan),
        [(
            "prisma/migration_lock.toml".to_string(),
            "not a SQL or YAML file".to_string()
        )]
    );
}

#[test]
fn scenario_hand_made_tables_reads_sql_then_yaml() {
    let plan = scenario("hand-made-tables");
    assert_eq!(sql_order(&plan), ["alembic/0001_initial.sql"]);
    assert_eq!(yaml_order(&plan), ["models.yaml"]);
}

#[test]
fn scenario_invitation_quotas_is_numbered() {
    let plan = scenario("invitation-quotas");
    assert_eq!(
        sql_order(&plan),
        ["0001_users.sql", "0002_invitation_quotas.sql"]
    );
}

// ---- layouts on small trees ----------------------------------------------------------------

const SQL: &str = "SELECT 1;\n";

fn tree(name: &str, paths: &[&str]) -> TempTree {
    let files: Vec<(&str, &str)> = paths.iter().map(|p| (*p, SQL)).collect();
    TempTree::new(name, &files)
}

#[test]
fn numbered_files_in_natural_order() {
    let t = tree(
        "migrations",
        &[
            "10_ten.sql",
            "2_two.sql",
            "1_one.sql",
            "002b_two_b.sql",
            "001_init.sql",
            "001b_fix.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "001_init.sql",
            "1_one.sql",
            "001b_fix.sql",
            "2_two.sql",
            "002b_two_b.sql",
            "10_ten.sql"
        ]
    );
    assert_eq!(plan.layout, "numbered");
    assert_eq!(plan.sql[0].order_key, "001_init");
    assert_eq!(plan.sql[0].display, "migrations/001_init.sql");
}

#[test]
fn diesel_folders_order_by_version_not_by_name() {
    let t = tree(
        "migrations",
        &[
            "2017-08-31-230457_invitations/up.sql",
            "2017-08-31-230457_invitations/down.sql",
            "20170308140537_create_fn/up.sql",
            "20170308140537_create_fn/down.sql",
            "20170820180453_readme/up.sql",
            "2026-05-27-120000-0000_b/up.sql",
            "2026-05-27-120000_a/up.sql",
            "2026-05-27-120000_a/metadata.toml",
            "00000000000000_diesel_initial_setup/up.sql",
            "data_oauth.sql",
            "README.md",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "00000000000000_diesel_initial_setup/up.sql",
            "20170308140537_create_fn/up.sql",
            "20170820180453_readme/up.sql",
            "2017-08-31-230457_invitations/up.sql",
            "2026-05-27-120000_a/up.sql",
            "2026-05-27-120000-0000_b/up.sql",
        ]
    );
    assert_eq!(plan.layout, "diesel");
    let skipped = skipped(&plan);
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:?}"))
    };
    assert!(reason("2017-08-31-230457_invitations/down.sql").contains("down migration"));
    assert!(reason("data_oauth.sql").contains("not a migration"));
    assert_eq!(reason("README.md"), "not a SQL or YAML file");
    assert_eq!(
        reason("2026-05-27-120000_a/metadata.toml"),
        "not a SQL or YAML file"
    );
    assert_eq!(skipped.len(), 5, "{skipped:?}");
}

#[test]
fn prisma_folders_order_by_name_bytewise() {
    // Prisma compares folder names as strings: `10_x` before `1_init` (`0` < `_`).
    let t = tree(
        "prisma",
        &[
            "migrations/2_b/migration.sql",
            "migrations/10_c/migration.sql",
            "migrations/1_init/migration.sql",
            "migrations/migration_lock.toml",
            "schema.prisma",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "migrations/10_c/migration.sql",
            "migrations/1_init/migration.sql",
            "migrations/2_b/migration.sql",
        ]
    );
    assert_eq!(plan.layout, "prisma");
    assert_eq!(plan.sql[0].order_key, "10_c");
    assert_eq!(skipped(&plan).len(), 2);
}

#[test]
fn golang_migrate_pairs_keep_the_up_half() {
    let t = tree(
        "migrations",
        &[
            "10_add_index.up.sql",
            "10_add_index.down.sql",
            "2_add_users.up.sql",
            "2_add_users.down.sql",
            "1_init.up.sql",
            "1_init.down.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        ["1_init.up.sql", "2_add_users.up.sql", "10_add_index.up.sql"]
    );
    assert_eq!(plan.layout, "up-down");
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 3);
    assert!(skipped
        .iter()
        .all(|(p, r)| p.ends_with(".down.sql") && r.contains("down")));
}

#[test]
fn sqlx_simple_and_reversible_migrations() {
    let t = tree(
        "migrations",
        &[
            "20240102000000_second.sql",
            "20231231235959_first.sql",
            "20240103000000_third.up.sql",
            "20240103000000_third.down.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "20231231235959_first.sql",
            "20240102000000_second.sql",
            "20240103000000_third.up.sql",
        ]
    );
}

#[test]
fn pop_dialect_files_keep_postgres_and_generic_ones() {
    // gobuffalo/pop and Ory's popx: one file per database system, or one for all of them.
    let t = tree(
        "migrations",
        &[
            "20191100000001000000_identities.cockroach.up.sql",
            "20191100000001000000_identities.mysql.up.sql",
            "20191100000001000000_identities.postgres.up.sql",
            "20191100000001000000_identities.sqlite3.up.sql",
            "20191100000001000000_identities.postgres.down.sql",
            "20191100000001000001_identities.up.sql",
            "20191100000001000002_flows.up.sql",
            "20191100000001000002_flows.postgres.up.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "20191100000001000000_identities.postgres.up.sql",
            "20191100000001000001_identities.up.sql",
            "20191100000001000002_flows.postgres.up.sql",
        ]
    );
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    for (path, reason) in &skipped {
        let expected =
            if path.contains("cockroach") || path.contains("mysql") || path.contains("sqlite") {
                "another database system"
            } else if path.ends_with("down.sql") {
                "down migration"
            } else {
                "PostgreSQL-specific file of the same migration"
            };
        assert!(reason.contains(expected), "{path}: {reason}");
    }
}

#[test]
fn folders_of_other_database_systems_are_skipped() {
    let t = tree(
        "db",
        &[
            "postgres/001_init.sql",
            "mysql/001_init.sql",
            "sqlite/001_init.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(sql_order(&plan), ["postgres/001_init.sql"]);
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped
        .iter()
        .all(|(_, r)| r.contains("another database system")));
}

#[test]
fn hand_rolled_up_down_pairs() {
    let t = tree(
        "db",
        &[
            "001_users_up.sql",
            "001_users_down.sql",
            "002_slow_down.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(sql_order(&plan), ["001_users_up.sql", "002_slow_down.sql"]);
    assert_eq!(skipped(&plan)[0].0, "001_users_down.sql");
}

#[test]
fn flyway_versions_compare_as_numbers_and_repeatables_come_last() {
    let t = tree(
        "sql",
        &[
            "V1.10__j.sql",
            "V1.9__i.sql",
            "V1__init.sql",
            "V1.1__y.sql",
            "V2_1__z.sql",
            "V2__two.sql",
            "R__b_views.sql",
            "R__a_functions.sql",
            "U1.1__undo_y.sql",
            "afterMigrate.sql",
            "beforeMigrate.sql",
            "beforeEachMigrate.sql",
            "notes.sql",
            "nested/V1.5__nested.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "beforeMigrate.sql",
            "V1__init.sql",
            "V1.1__y.sql",
            "nested/V1.5__nested.sql",
            "V1.9__i.sql",
            "V1.10__j.sql",
            "V2__two.sql",
            "V2_1__z.sql",
            "R__a_functions.sql",
            "R__b_views.sql",
            "afterMigrate.sql",
        ]
    );
    assert_eq!(plan.layout, "flyway");
    let keys: Vec<&str> = plan.sql.iter().map(|f| f.order_key.as_str()).collect();
    assert_eq!(keys[1..4], ["V1", "V1.1", "V1.5"]);
    assert_eq!(keys[7], "V2.1");
    assert_eq!(keys[8], "R__a_functions");
    let skipped = skipped(&plan);
    let reasons: Vec<(&str, &str)> = skipped
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons
        .iter()
        .any(|(p, r)| *p == "U1.1__undo_y.sql" && r.contains("undo")));
    assert!(reasons
        .iter()
        .any(|(p, r)| *p == "notes.sql" && r.contains("Flyway ignores")));
    assert!(reasons.iter().any(|(p, _)| *p == "beforeEachMigrate.sql"));
}

#[test]
fn flyway_baseline_replaces_the_versions_it_covers() {
    let t = tree(
        "sql",
        &[
            "V1__a.sql",
            "V2__b.sql",
            "B2__baseline.sql",
            "V3__c.sql",
            "B1__old_baseline.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(sql_order(&plan), ["B2__baseline.sql", "V3__c.sql"]);
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped
        .iter()
        .all(|(_, r)| r.contains("baseline migration B2")));
}

#[test]
fn sqitch_plan_order_with_a_reworked_change() {
    let plan_text = "%syntax-version=1.0.0\n%project=app\n\n\
        schema 2024-01-01T00:00:00Z A <a@x> # schema\n\
        users [schema] 2024-01-02T00:00:00Z A <a@x> # users\n\
        @v1.0 2024-01-03T00:00:00Z A <a@x> # tag\n\
        accounts [users] 2024-01-04T00:00:00Z A <a@x>\n\
        users [users@v1.0] 2024-01-05T00:00:00Z A <a@x> # reworked\n";
    let t = TempTree::new(
        "db",
        &[
            ("sqitch.plan", plan_text),
            ("sqitch.conf", "[core]\n"),
            ("deploy/schema.sql", SQL),
            ("deploy/users.sql", SQL),
            ("deploy/users@v1.0.sql", SQL),
            ("deploy/accounts.sql", SQL),
            ("deploy/unplanned.sql", SQL),
            ("revert/users.sql", SQL),
            ("verify/users.sql", SQL),
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "deploy/schema.sql",
            "deploy/users@v1.0.sql",
            "deploy/accounts.sql",
            "deploy/users.sql",
        ]
    );
    assert_eq!(plan.layout, "sqitch");
    let skipped = skipped(&plan);
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(skipped.contains(&("revert/users.sql".into(), "Sqitch revert script".into())));
    assert!(skipped.contains(&(
        "deploy/unplanned.sql".into(),
        "not a change in sqitch.plan".into()
    )));
}

#[test]
fn sqitch_plan_naming_a_missing_script_is_a_located_error() {
    let t = TempTree::new(
        "db",
        &[(
            "sqitch.plan",
            "%project=x\n\nmissing 2024-01-01T00:00:00Z A <a@x>\n",
        )],
    );
    let err = files::discover(&t.root).unwrap_err();
    assert_eq!(err.path, "db/sqitch.plan");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("deploy/missing.sql"), "{err}");
}

#[test]
fn disabled_backup_hidden_and_other_files_are_skipped_with_reasons() {
    let t = tree(
        "migrations",
        &[
            "001_a.sql",
            "002_b.sql.disabled",
            "003_c.sql.bak",
            "004_d.sql~",
            ".005_hidden.sql",
            ".git/HEAD",
            "README.md",
            "006_e.sql",
            "down/001_a.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(sql_order(&plan), ["001_a.sql", "006_e.sql"]);
    let skipped = skipped(&plan);
    let expect = [
        (".005_hidden.sql", "hidden"),
        (".git", "hidden"),
        (
            "002_b.sql.disabled",
            "disabled file (renamed to end in .disabled)",
        ),
        ("003_c.sql.bak", "backup or editor file"),
        ("004_d.sql~", "backup or editor file"),
        ("down", "folder of down migrations"),
        ("README.md", "not a SQL or YAML file"),
    ];
    for (path, reason) in expect {
        assert!(
            skipped.contains(&(path.to_string(), reason.to_string())),
            "{path}: {skipped:?}"
        );
    }
    assert_eq!(skipped.len(), expect.len(), "{skipped:?}");
}

#[test]
fn mixed_sql_and_yaml_reads_all_sql_first_then_yaml_in_natural_order() {
    let t = tree(
        "intended",
        &[
            "zz_models.yaml",
            "models/10_b.yml",
            "models/2_a.yaml",
            "prisma/migrations/20250101000000_init/migration.sql",
            "prisma/migrations/20250201000000_more/migration.sql",
            "prisma/migrations/migration_lock.toml",
            "a_models.yaml",
            "sqlc.yaml",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "prisma/migrations/20250101000000_init/migration.sql",
            "prisma/migrations/20250201000000_more/migration.sql",
        ]
    );
    assert_eq!(
        yaml_order(&plan),
        [
            "a_models.yaml",
            "models/2_a.yaml",
            "models/10_b.yml",
            "zz_models.yaml"
        ]
    );
    assert_eq!(plan.layout, "prisma");
    assert!(skipped(&plan).contains(&(
        "sqlc.yaml".into(),
        "tool configuration, not a schema".into()
    )));
}

#[test]
fn nested_folders_expand_in_place_in_natural_order() {
    let t = tree(
        "db",
        &[
            "seed.sql",
            "migrations/2_b.sql",
            "migrations/10_c.sql",
            "migrations/1_a.sql",
            "10_late/001.sql",
            "2_early/001.sql",
            "2_early/sub/001.sql",
            "2_early/002.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "2_early/001.sql",
            "2_early/002.sql",
            "2_early/sub/001.sql",
            "10_late/001.sql",
            "migrations/1_a.sql",
            "migrations/2_b.sql",
            "migrations/10_c.sql",
            "seed.sql",
        ]
    );
    assert_eq!(plan.sql[2].order_key, "2_early/sub/001");
    assert_eq!(plan.layout, "numbered+files");
}

#[test]
fn a_tree_mixing_layouts_orders_each_folder_by_its_own_layout() {
    let t = tree(
        "db",
        &[
            "diesel/2017-01-01-000000_b/up.sql",
            "diesel/20160101000000_a/up.sql",
            "flyway/V1.10__b.sql",
            "flyway/V1.9__a.sql",
            "numbered/10_b.sql",
            "numbered/9_a.sql",
        ],
    );
    let plan = discover(&t);
    assert_eq!(
        sql_order(&plan),
        [
            "diesel/20160101000000_a/up.sql",
            "diesel/2017-01-01-000000_b/up.sql",
            "flyway/V1.9__a.sql",
            "flyway/V1.10__b.sql",
            "numbered/9_a.sql",
            "numbered/10_b.sql",
        ]
    );
    assert_eq!(plan.layout, "diesel+flyway+numbered");
}

#[test]
fn single_files_are_read_as_given() {
    let t = TempTree::new(
        "x",
        &[
            ("schema.sql", SQL),
            ("models.yaml", "tables: {}\n"),
            ("notes.txt", ""),
        ],
    );
    let plan = files::discover(&t.root.join("schema.sql")).unwrap();
    assert_eq!((plan.layout.as_str(), plan.sql.len()), ("file", 1));
    assert_eq!(plan.sql[0].display, "schema.sql");
    let plan = files::discover(&t.root.join("models.yaml")).unwrap();
    assert_eq!((plan.layout.as_str(), plan.yaml.len()), ("yaml", 1));
    let err = files::discover(&t.root.join("notes.txt")).unwrap_err();
    assert!(err.message.contains("not a SQL"), "{err}");
}

#[test]
fn yaml_only_folder() {
    let t = TempTree::new("schema", &[("b.yaml", ""), ("a.yml", "")]);
    let plan = discover(&t);
    assert_eq!(plan.layout, "yaml");
    assert_eq!(yaml_order(&plan), ["a.yml", "b.yaml"]);
}

#[test]
fn errors_name_the_path() {
    let t = TempTree::new("empty", &[("README.md", "hi"), ("old.sql.disabled", "")]);
    let err = files::discover(&t.root).unwrap_err();
    assert!(
        err.message.starts_with("no SQL or YAML files found"),
        "{err}"
    );
    assert!(
        err.message.contains("empty/old.sql.disabled (disabled"),
        "{err}"
    );
    assert_eq!(err.line, None);

    let missing = t.root.join("nope");
    let err = files::discover(&missing).unwrap_err();
    assert_eq!(err.message, "no such file or directory");
    assert!(
        err.to_string()
            .ends_with("/empty/nope: no such file or directory")
            && err.path == missing.to_string_lossy(),
        "{err}"
    );

    let t2 = TempTree::new("really-empty", &[]);
    let err = files::discover(&t2.root).unwrap_err();
    assert_eq!(err.message, "no SQL or YAML files found");
}

#[test]
fn read_text_reports_invalid_utf8_and_unreadable_files() {
    let t = TempTree::new(
        "m",
        &[("001_a.sql", "\u{feff}SELECT 1;\n"), ("002_b.sql", "")],
    );
    std::fs::write(t.root.join("002_b.sql"), b"SELECT 1;\n-- caf\xE9\n").unwrap();
    let plan = discover(&t);
    assert_eq!(files::read_text(&plan.sql[0]).unwrap(), "SELECT 1;\n");
    let err = files::read_text(&plan.sql[1]).unwrap_err();
    assert_eq!((err.path.as_str(), err.line), ("m/002_b.sql", Some(2)));
    assert!(err.message.contains("invalid UTF-8"), "{err}");
    assert_eq!(err.to_string().split(':').next(), Some("m/002_b.sql"));

    std::fs::remove_file(t.root.join("001_a.sql")).unwrap();
    let err = files::read_text(&plan.sql[0]).unwrap_err();
    assert_eq!(err.to_string(), "m/001_a.sql: no such file or directory");
}

#[test]
fn symbolic_link_loops_end() {
    let t = tree("m", &["001_a.sql", "sub/002_b.sql"]);
    std::os::unix::fs::symlink(&t.root, t.root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(t.root.join("missing"), t.root.join("broken.sql")).unwrap();
    let plan = discover(&t);
    assert_eq!(sql_order(&plan), ["001_a.sql", "sub/002_b.sql"]);
    let skipped = skipped(&plan);
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p == "sub/loop" && r.contains("loop")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p == "broken.sql" && r.contains("broken")),
        "{skipped:?}"
    );
}
