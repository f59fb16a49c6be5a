//! The report's SQL on real-world schemas (the corpora): a database drifted the way databases
//! drift — an index dropped, a partition detached, a column retyped or dropped, a foreign key
//! gone — gets verification queries that say so (and say the opposite on the original), and
//! a fix that brings it back without an error left.

use std::path::Path;

use pgdrift::diff::{compare, DiffOptions, FindingKind, Severity};
use pgdrift::report::matrix::Matrix;
use pgdrift::report::sql::{environment_query, fix};

use crate::catalog_common::read_db as read;
use crate::harness::{fresh_db, TestDb};
use crate::report_support::{audit_of, run_script, Session};

fn load_corpus(name: &str, label: &str) -> TestDb {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).unwrap();
    let files: Vec<_> = order
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| dir.join(l.trim()))
        .collect();
    let db = fresh_db(label);
    db.load_files(&files);
    db
}

/// Load `corpus` twice, drift one copy with `drift`, and check the report's SQL on both.
fn check_corpus(corpus: &str, drift: &str, kinds: &[&str]) {
    let expected_db = load_corpus(corpus, &format!("report_{corpus}_expected"));
    let drifted_db = load_corpus(corpus, &format!("report_{corpus}_drifted"));
    drifted_db.exec(drift);
    let expected = read(&expected_db);
    let drifted = read(&drifted_db);
    let audit = audit_of(corpus, &expected, &[], vec![("prod", &drifted)]);
    let found: Vec<String> = audit.environments[0]
        .findings()
        .map(|f| f.kind.to_string())
        .collect();
    for kind in kinds {
        assert!(found.iter().any(|k| k == kind), "no {kind} in {found:?}");
    }

    let on_drifted = Session::connect(&drifted_db.url());
    let on_expected = Session::connect(&expected_db.url());
    for reported in &audit.environments[0].findings {
        let f = &reported.finding;
        if f.kind == FindingKind::ObjectInvisible {
            continue;
        }
        let sql = reported.verify_sql.as_ref().unwrap();
        assert!(
            !on_drifted.ok(sql),
            "{corpus}: {} {} holds",
            f.kind,
            f.object
        );
        assert!(
            on_expected.ok(sql),
            "{corpus}: {} {} fails on the original",
            f.kind,
            f.object
        );
    }
    let matrix = Matrix::build(&audit);
    let query = environment_query(&audit, &matrix, 0).unwrap();
    for (check, ok) in on_expected.checks(&query) {
        assert!(ok, "{corpus}: {check} is false on the original");
    }

    let script = fix::script(&audit, &matrix, 0).unwrap();
    run_script(&drifted_db, &script);
    let remaining = compare(
        &expected,
        &read(&drifted_db),
        &DiffOptions {
            environment: "prod".into(),
            ..Default::default()
        },
    );
    let errors: Vec<String> = remaining
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert!(
        errors.is_empty(),
        "{corpus}: {errors:?} remain after\n{script}"
    );
    for reported in &audit.environments[0].findings {
        if reported.finding.severity == Severity::Error {
            assert!(
                on_drifted.ok(reported.verify_sql.as_ref().unwrap()),
                "{corpus}: {} {} still fails after the fix",
                reported.finding.kind,
                reported.finding.object
            );
        }
    }
}

#[test]
fn pagila() {
    check_corpus(
        "pagila",
        "DROP INDEX public.idx_last_name; \
         ALTER TABLE public.customer ALTER COLUMN email TYPE character varying(100); \
         ALTER TABLE public.customer ALTER COLUMN activebool DROP NOT NULL; \
         ALTER TABLE public.payment DETACH PARTITION public.payment_p2022_07; \
         ALTER INDEX public.idx_fk_film_id RENAME TO inventory_film_idx; \
         ALTER TABLE public.rental ADD CONSTRAINT rental_return_after_rental CHECK (return_date > rental_date); \
         ALTER TABLE public.film_actor DROP CONSTRAINT film_actor_actor_id_fkey; \
         ALTER TABLE public.staff ALTER COLUMN last_update DROP DEFAULT;",
        &[
            "index-missing",
            "column-type",
            "column-nullable",
            "partition-missing",
            "table-unexpected",
            "index-renamed",
            "constraint-unexpected",
            "constraint-missing",
            "column-default",
        ],
    );
}

#[test]
fn crates_io() {
    // Its migrations use `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+).
    if crate::harness::server().major() < 14 {
        eprintln!("skipped: crates-io needs PostgreSQL 14 or later");
        return;
    }
    check_corpus(
        "crates-io",
        "ALTER TABLE public.crates ALTER COLUMN name TYPE text; \
         ALTER TABLE public.crates DROP COLUMN updated_at CASCADE; \
         ALTER TABLE public.crate_owners DROP CONSTRAINT fk_crate_owners_crate_id;",
        &["column-type", "column-missing", "constraint-missing"],
    );
}

#[test]
fn umami() {
    check_corpus(
        "umami",
        "DROP TABLE public.team_user; DROP INDEX public.session_created_at_idx;",
        &["table-missing", "index-missing"],
    );
}
