//! Partitioned tables on a real server: what a partition inherits from its parent (the key,
//! foreign keys, indexes attached under names PostgreSQL chose) is not compared again, so
//! two databases whose partitions were made differently (`PARTITION OF` versus a table
//! attached later) agree; a missing partition, a different bound, or a partition's own index
//! are findings on the parent's path.

use pgdrift::diff::{compare, DiffOptions};

use crate::catalog_common::read_db as read;
use crate::harness::fresh_db;

const PARENT: &str = "
CREATE TABLE public.customer (id integer PRIMARY KEY);
CREATE TABLE public.payment (
  payment_id integer NOT NULL,
  customer_id integer NOT NULL REFERENCES public.customer (id),
  amount numeric(5,2) NOT NULL CHECK (amount >= 0),
  payment_date date NOT NULL,
  PRIMARY KEY (payment_id, payment_date)
) PARTITION BY RANGE (payment_date);
CREATE INDEX payment_customer_idx ON public.payment (customer_id);
";

fn summary(findings: &[pgdrift::diff::Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect()
}

#[test]
fn partitions_made_differently_agree_and_real_differences_show() {
    let created = fresh_db("parts_created");
    created.exec(PARENT);
    created.exec(
        "CREATE TABLE public.payment_p2022_01 PARTITION OF public.payment \
           FOR VALUES FROM ('2022-01-01') TO ('2022-02-01'); \
         CREATE TABLE public.payment_p2022_02 PARTITION OF public.payment \
           FOR VALUES FROM ('2022-02-01') TO ('2022-03-01');",
    );
    // The same partitions made as plain tables with their own index and key names, attached
    // afterwards, with the columns in another order.
    let attached = fresh_db("parts_attached");
    attached.exec(PARENT);
    attached.exec(
        "CREATE TABLE public.payment_p2022_01 (payment_date date NOT NULL, payment_id integer NOT NULL, \
           customer_id integer NOT NULL, amount numeric(5,2) NOT NULL, \
           CONSTRAINT payment_amount_check CHECK (amount >= 0)); \
         CREATE INDEX handmade_customer ON public.payment_p2022_01 (customer_id); \
         ALTER TABLE public.payment_p2022_01 ADD CONSTRAINT handmade_pkey PRIMARY KEY (payment_id, payment_date); \
         ALTER TABLE public.payment ATTACH PARTITION public.payment_p2022_01 \
           FOR VALUES FROM ('2022-01-01') TO ('2022-02-01'); \
         CREATE TABLE public.payment_p2022_02 PARTITION OF public.payment \
           FOR VALUES FROM ('2022-02-01') TO ('2022-03-01');",
    );
    let expected = read(&created);
    let actual = read(&attached);
    let payment = expected
        .schema
        .table(&pgdrift::model::QualifiedName::new("public", "payment"))
        .unwrap();
    assert_eq!(payment.partitions.len(), 2);
    assert_eq!(
        summary(&compare(&expected, &actual, &DiffOptions::default())),
        Vec::<String>::new()
    );

    // Now drift: a partition missing, a bound different, an index only one partition has.
    let drifted = fresh_db("parts_drifted");
    drifted.exec(PARENT);
    drifted.exec(
        "CREATE TABLE public.payment_p2022_01 PARTITION OF public.payment \
           FOR VALUES FROM ('2022-01-01') TO ('2022-01-15'); \
         CREATE TABLE public.payment_p2022_03 PARTITION OF public.payment \
           FOR VALUES FROM ('2022-03-01') TO ('2022-04-01'); \
         CREATE INDEX p1_amount_idx ON public.payment_p2022_01 (amount);",
    );
    let findings = compare(&expected, &read(&drifted), &DiffOptions::default());
    assert_eq!(
        summary(&findings),
        [
            "partition-bound public.payment.payment_p2022_01",
            "index-unexpected public.payment.payment_p2022_01.p1_amount_idx",
            "partition-missing public.payment.payment_p2022_02",
            "partition-unexpected public.payment.payment_p2022_03",
        ]
    );
    assert_eq!(
        findings[0].expected.as_deref(),
        Some("FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')")
    );
    assert_eq!(
        findings[0].actual.as_deref(),
        Some("FOR VALUES FROM ('2022-01-01') TO ('2022-01-15')")
    );
}

#[test]
fn a_column_difference_of_the_parent_is_reported_once() {
    let make = |ty: &str| {
        let db = fresh_db("parts_type");
        db.exec(&format!(
            "CREATE TABLE public.m (id integer NOT NULL, v {ty}, at date NOT NULL) PARTITION BY RANGE (at); \
             CREATE TABLE public.m_1 PARTITION OF public.m FOR VALUES FROM ('2022-01-01') TO ('2022-02-01'); \
             CREATE TABLE public.m_2 PARTITION OF public.m FOR VALUES FROM ('2022-02-01') TO ('2022-03-01');"
        ));
        read(&db)
    };
    let findings = compare(&make("text"), &make("varchar(10)"), &DiffOptions::default());
    assert_eq!(summary(&findings), ["column-type public.m.v"]);
}

#[test]
fn inherits_children_hold_their_parents_checks_as_inherited() {
    // Table inheritance (not partitioning): the child gets the parent's CHECK with
    // conislocal false. Read statically and from the server, the two agree; a check the
    // child defines itself is still compared.
    let sql = "CREATE TABLE parent (id int PRIMARY KEY, CHECK (id > 0)); \
               CREATE TABLE child (extra int CHECK (extra < 10)) INHERITS (parent);";
    let db = fresh_db("inherits_checks");
    db.exec(sql);
    let live = read(&db);
    let from_sql = crate::ddl_replay_semantics::replay(sql);
    assert!(
        summary(&compare(&from_sql, &live, &DiffOptions::default())).is_empty(),
        "{:?}",
        summary(&compare(&from_sql, &live, &DiffOptions::default()))
    );
    let child = live
        .schema
        .table(&pgdrift::model::QualifiedName::new("public", "child"))
        .unwrap();
    let inherited: Vec<(&str, bool)> = child
        .constraints
        .iter()
        .map(|(name, c)| (name.as_str(), c.inherited))
        .collect();
    assert_eq!(
        inherited,
        [("child_extra_check", false), ("parent_id_check", true)]
    );
    db.exec("ALTER TABLE child DROP CONSTRAINT child_extra_check");
    assert_eq!(
        summary(&compare(&from_sql, &read(&db), &DiffOptions::default())),
        ["constraint-missing public.child.child_extra_check"]
    );
}

#[test]
fn zone_less_timestamptz_constants_follow_the_servers_time_zone() {
    // The migration ran on a server whose TimeZone is not UTC: PostgreSQL fixed each
    // zone-less constant in that zone; the static reading could only take UTC.
    let sql = "CREATE TABLE m (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT '2024-06-01', \
                 CONSTRAINT m_after CHECK (at >= '2020-01-01')) PARTITION BY RANGE (at); \
               CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2024-07-01'); \
               CREATE INDEX m_recent ON m (at) WHERE at > '2023-01-01 12:00';";
    let db = fresh_db("zone_less");
    db.exec(&format!(
        "ALTER DATABASE {} SET timezone = 'Europe/Berlin'",
        db.name
    ));
    db.exec(sql);
    let from_sql = crate::ddl_replay_semantics::replay(sql);
    let options = DiffOptions {
        expected_is_static: true,
        expressions_equivalent: Some(pgdrift::diff::equal_modulo_casts),
        ..DiffOptions::default()
    };
    assert_eq!(
        summary(&compare(&from_sql, &read(&db), &options)),
        Vec::<String>::new()
    );
    // A real change of a bound (a day) is still drift.
    db.exec(
        "ALTER TABLE m DETACH PARTITION m_2024; \
         ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-02') TO ('2024-07-01');",
    );
    assert_eq!(
        summary(&compare(&from_sql, &read(&db), &options)),
        ["partition-bound public.m.m_2024"]
    );
}
