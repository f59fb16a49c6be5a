//! Real-world schemas (the corpora under `tests/fixtures/corpus`): a database read twice
//! compares equal, and after a handful of typical drifts exactly those drifts are reported —
//! partitions detached, expression indexes re-rendered by a type change, a column dropped
//! with what depended on it.

use std::path::Path;

use pgdrift::diff::{compare, DiffOptions, Finding};

use crate::catalog_common::read_db as read;
use crate::harness::{fresh_db, TestDb};

fn load_corpus(name: &str) -> TestDb {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).unwrap();
    let files: Vec<_> = order
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| dir.join(l.trim()))
        .collect();
    let db = fresh_db(name);
    db.load_files(&files);
    db
}

fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect()
}

fn drift_findings(db: &TestDb, drift: &str) -> Vec<Finding> {
    let before = read(db);
    assert!(before.schema.tables().count() > 10);
    assert_eq!(
        summary(&compare(&before, &read(db), &DiffOptions::default())),
        Vec::<String>::new()
    );
    db.exec(drift);
    compare(&before, &read(db), &DiffOptions::default())
}

#[test]
fn pagila_drifts_are_reported_exactly() {
    let db = load_corpus("pagila");
    let findings = drift_findings(
        &db,
        "DROP INDEX public.idx_last_name; \
         ALTER TABLE public.customer ALTER COLUMN email TYPE character varying(100); \
         ALTER TABLE public.customer ALTER COLUMN active SET NOT NULL; \
         ALTER TABLE public.payment DETACH PARTITION public.payment_p2022_07; \
         ALTER INDEX public.idx_fk_film_id RENAME TO inventory_film_idx; \
         ALTER TABLE public.rental ADD CONSTRAINT rental_return_after_rental CHECK (return_date > rental_date); \
         ALTER TYPE public.mpaa_rating ADD VALUE 'X';",
    );
    assert_eq!(
        summary(&findings),
        [
            "column-nullable public.customer.active",
            "column-type public.customer.email",
            "index-missing public.customer.idx_last_name",
            "index-renamed public.film_actor.idx_fk_film_id",
            "enum-values public.mpaa_rating",
            "partition-missing public.payment.payment_p2022_07",
            "table-unexpected public.payment_p2022_07",
            "constraint-unexpected public.rental.rental_return_after_rental",
        ]
    );
    let renamed = &findings[3];
    assert_eq!(renamed.expected.as_deref(), Some("idx_fk_film_id"));
    assert_eq!(renamed.actual.as_deref(), Some("inventory_film_idx"));
}

#[test]
fn crates_io_drifts_are_reported_exactly() {
    // Its migrations use `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+).
    if crate::harness::server().major() < 14 {
        eprintln!("skipped: crates-io needs PostgreSQL 14 or later");
        return;
    }
    let db = load_corpus("crates-io");
    let findings = drift_findings(
        &db,
        "ALTER TABLE public.crates ALTER COLUMN name TYPE text; \
         ALTER TABLE public.crates DROP COLUMN updated_at CASCADE; \
         ALTER TABLE public.crate_owners DROP CONSTRAINT fk_crate_owners_crate_id;",
    );
    assert_eq!(
        summary(&findings),
        [
            "constraint-missing public.crate_owners.fk_crate_owners_crate_id",
            "column-type public.crates.name",
            "column-missing public.crates.updated_at",
        ]
    );
    // `public.canon_crate_name((name)::text)` becomes `public.canon_crate_name(name)` on a
    // text column: the two expression indexes follow from the type change.
    let folded: Vec<String> = findings[1]
        .folded
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert_eq!(
        folded,
        [
            "index-definition public.crates.index_crates_name",
            "index-definition public.crates.index_crates_name_tgrm",
        ]
    );
    let folded: Vec<String> = findings[2]
        .folded
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert_eq!(
        folded,
        ["index-missing public.crates.index_crate_updated_at"]
    );
}
