//! Verification queries against real databases: each finding's `verify_sql` is false on the
//! environment that drifted and true on one that matches (the expected database); each
//! environment's query has one row per matrix object whose `ok` says what the matrix says;
//! the checks `pgdrift verify` runs get the answers they expect; and all of it is the same
//! in a hostile session (another search_path, TimeZone, DateStyle, IntervalStyle) and for a
//! role that may only connect.

use pgdrift::diff::FindingKind;
use pgdrift::report::matrix::Matrix;
use pgdrift::report::sql::{checks, environment_query};
use pgdrift::report::Audit;

use crate::harness::TestDb;
use crate::report_schemas::{EVERY_KIND_DRIFTED, EVERY_KIND_EXPECTED};
use crate::report_support::{audit_of, shared, Scenario, Session, Side, SCENARIOS};

const HOSTILE: &str = "SET search_path = \"$user\", public; SET TimeZone = 'America/Los_Angeles'; \
     SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET extra_float_digits = 0;";

/// Every answer the report's SQL gives on one database, in a fixed order.
fn answers(session: &Session, audit: &Audit, matrix: &Matrix) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (e, env) in audit.environments.iter().enumerate() {
        for f in &env.findings {
            if let Some(sql) = &f.verify_sql {
                out.push((
                    format!("{} {}", f.finding.kind, f.finding.object),
                    session.ok(sql),
                ));
            }
        }
        if let Some(query) = environment_query(audit, matrix, e) {
            out.extend(session.checks(&query));
        }
    }
    out
}

fn database<'a>(scenario: &'a Scenario, environment: &str) -> &'a TestDb {
    &scenario.environment(environment).db
}

/// What the report claims holds on the databases it describes: `databases` are the
/// environments by name, `expected` the database the expected schema came from.
fn assert_claims_hold(
    label: &str,
    audit: &Audit,
    databases: &[(&str, &TestDb)],
    expected: &TestDb,
) {
    let database = |name: &str| -> &TestDb {
        databases
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no database for {name}"))
            .1
    };
    let matrix = Matrix::build(audit);
    let expected = Session::connect(&expected.url());
    for (e, env) in audit.environments.iter().enumerate() {
        let session = Session::connect(&database(&env.name).url());
        for reported in &env.findings {
            let f = &reported.finding;
            let sql = reported
                .verify_sql
                .as_ref()
                .unwrap_or_else(|| panic!("no verify_sql for {} {}", f.kind, f.object));
            if f.kind == FindingKind::ObjectInvisible {
                continue;
            }
            assert!(
                !session.ok(sql),
                "{label}: verify_sql of {} {} is true where it drifted:\n{sql}",
                f.kind,
                f.object
            );
            assert!(
                expected.ok(sql),
                "{label}: verify_sql of {} {} is false on the expected database:\n{sql}",
                f.kind,
                f.object
            );
        }
        let Some(query) = environment_query(audit, &matrix, e) else {
            assert!(matrix.rows.is_empty());
            continue;
        };
        let rows = session.checks(&query);
        assert_eq!(rows.len(), matrix.rows.len());
        for ((check, ok), row) in rows.iter().zip(&matrix.rows) {
            assert_eq!(check, &row.label());
            if let Some(expect) = row.cells[e].state.expect_ok() {
                assert_eq!(
                    *ok, expect,
                    "{label}: {check} on {} is {ok}, the matrix says {:?}",
                    env.name, row.cells[e].state
                );
            }
        }
        // The expected database matches itself: every row true.
        for (check, ok) in expected.checks(&query) {
            assert!(ok, "{label}: {check} is false on the expected database");
        }
    }
    // What `pgdrift verify` will run.
    let checks = checks(audit);
    assert!(!checks.is_empty());
    for check in &checks {
        let session = Session::connect(&database(&check.environment).url());
        assert_eq!(
            session.ok(&check.sql),
            check.expect_ok,
            "{label}: {} on {}",
            check.label,
            check.environment
        );
    }
}

fn assert_scenario_claims_hold(scenario: &Scenario) {
    let databases: Vec<(&str, &TestDb)> = scenario
        .environments
        .iter()
        .map(|(n, s)| (n.as_str(), &s.db))
        .collect();
    assert_claims_hold(
        &scenario.name,
        &scenario.audit(),
        &databases,
        &scenario.expected.db,
    );
}

#[test]
fn claims_hold_on_every_scenario() {
    for name in SCENARIOS {
        assert_scenario_claims_hold(&shared(name));
    }
}

#[test]
fn claims_hold_on_a_database_drifted_in_every_way() {
    let expected = Side::load("report_verify_every_expected", &[], EVERY_KIND_EXPECTED);
    let drifted = Side::load("report_verify_every_drifted", &[], EVERY_KIND_DRIFTED);
    let audit = audit_of(
        "expected.sql",
        &expected.loaded,
        &[],
        vec![("prod", &drifted.loaded)],
    );
    assert_claims_hold("every kind", &audit, &[("prod", &drifted.db)], &expected.db);
    // Rendering-sensitive texts (a timestamptz default, enum casts, partition bounds) read
    // the same in a hostile session.
    let matrix = Matrix::build(&audit);
    for db in [&drifted.db, &expected.db] {
        let plain = answers(&Session::connect(&db.url()), &audit, &matrix);
        let hostile = Session::connect(&db.url());
        hostile.execute(HOSTILE);
        assert_eq!(answers(&hostile, &audit, &matrix), plain);
    }
}

#[test]
fn dev_matches_in_the_failed_migration_scenario() {
    let scenario = shared("failed-migration");
    let audit = scenario.audit();
    let matrix = Matrix::build(&audit);
    let dev = audit
        .environments
        .iter()
        .position(|e| e.name == "dev")
        .unwrap();
    let query = environment_query(&audit, &matrix, dev).expect("prod's finding gives a row");
    let rows = Session::connect(&database(&scenario, "dev").url()).checks(&query);
    assert_eq!(rows, [("table public.user_invitations".to_string(), true)]);
    // And prod says false until migration 017 runs.
    let prod = Session::connect(&database(&scenario, "prod").url());
    assert_eq!(
        prod.checks(&environment_query(&audit, &matrix, 1).unwrap()),
        [("table public.user_invitations".to_string(), false)]
    );
}

#[test]
fn a_hostile_session_gets_the_same_answers_and_keeps_its_settings() {
    for name in SCENARIOS {
        let scenario = shared(name);
        let audit = scenario.audit();
        let matrix = Matrix::build(&audit);
        for (env, side) in scenario
            .environments
            .iter()
            .map(|(n, s)| (n.as_str(), s))
            .chain([("expected", &scenario.expected)])
        {
            let plain = answers(&Session::connect(&side.db.url()), &audit, &matrix);
            let hostile = Session::connect(&side.db.url());
            hostile.execute(HOSTILE);
            assert_eq!(
                answers(&hostile, &audit, &matrix),
                plain,
                "{name}: {env} answers differently in a hostile session"
            );
            // The statement pins the settings for itself only …
            assert_eq!(hostile.show("search_path"), "\"$user\", public");
            assert_eq!(hostile.show("TimeZone"), "America/Los_Angeles");
            assert_eq!(hostile.show("IntervalStyle"), "sql_standard");
            // … also inside a transaction block, where set_config(…, true) would outlive it.
            hostile.execute("BEGIN");
            assert_eq!(answers(&hostile, &audit, &matrix), plain);
            assert_eq!(hostile.show("search_path"), "\"$user\", public");
            assert_eq!(hostile.show("DateStyle"), "SQL, DMY");
            assert_eq!(hostile.show("extra_float_digits"), "0");
            hostile.execute("COMMIT");
        }
    }
}

#[test]
fn a_role_that_may_only_connect_gets_the_same_answers() {
    let role = "report_least_privilege";
    crate::harness::server().ensure_role(role, "LOGIN");
    for name in SCENARIOS {
        let scenario = shared(name);
        let audit = scenario.audit();
        let matrix = Matrix::build(&audit);
        for side in scenario
            .environments
            .iter()
            .map(|(_, s)| s)
            .chain([&scenario.expected])
        {
            let db = &side.db;
            db.exec(&format!(
                "REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"{db}\" TO {role}; \
                 REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO {role};",
                db = db.name
            ));
            let plain = answers(&Session::connect(&db.url()), &audit, &matrix);
            let reader = Session::connect(&db.url_as(role));
            // It can read no table, only the catalog.
            reader.execute(HOSTILE);
            let tables: Vec<(String, bool)> = reader.checks(
                "SELECT c.relname::text AS check, has_table_privilege(c.oid, 'SELECT') AS ok \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
            );
            assert!(tables.iter().all(|(_, can)| !can), "{tables:?}");
            assert_eq!(
                answers(&reader, &audit, &matrix),
                plain,
                "{name}: the least-privilege role answers differently on {}",
                db.name
            );
        }
    }
}
