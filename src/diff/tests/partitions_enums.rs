//! Enum labels, and partitions compared under their parent.

use super::*;

#[test]
fn enums_compare_labels_and_their_order() {
    let expected = enum_schema("InviteStatus", &["PENDING", "ACCEPTED", "EXPIRED"]);
    let reordered = enum_schema("InviteStatus", &["ACCEPTED", "PENDING", "EXPIRED"]);
    let findings = run(&expected, &reordered);
    assert_eq!(summary(&findings), ["enum-values public.InviteStatus"]);
    assert_eq!(
        findings[0].message,
        "enum type InviteStatus orders its labels differently"
    );
    assert_eq!(
        findings[0].expected.as_deref(),
        Some("'PENDING', 'ACCEPTED', 'EXPIRED'")
    );

    let changed = enum_schema("InviteStatus", &["PENDING", "ACCEPTED", "REVOKED"]);
    let findings = run(&expected, &changed);
    assert_eq!(
        findings[0].message,
        "enum type InviteStatus lacks 'EXPIRED'; has unexpected 'REVOKED'"
    );
    assert_eq!(findings[0].severity, Severity::Error);

    let none = Loaded::default();
    assert_eq!(
        summary(&run(&expected, &none)),
        ["enum-missing public.InviteStatus"]
    );
    assert_eq!(
        summary(&run(&none, &expected)),
        ["enum-unexpected public.InviteStatus"]
    );
}

#[test]
fn partitions_are_compared_under_their_parent() {
    let expected = schema_of(vec![(
        "payment",
        partitioned(vec![
            ("payment_p2022_01", JAN, partition_table()),
            ("payment_p2022_02", FEB, partition_table()),
        ]),
    )]);
    // Same partitions, indexes inherited under other names: nothing to report.
    let mut renamed_children = partition_table();
    renamed_children.indexes = renamed_children
        .indexes
        .into_values()
        .map(|i| ("other_name_idx".to_string(), i))
        .collect();
    let same = schema_of(vec![(
        "payment",
        partitioned(vec![
            ("payment_p2022_01", JAN, renamed_children),
            ("payment_p2022_02", FEB, partition_table()),
        ]),
    )]);
    assert!(run(&expected, &same).is_empty());

    let drifted = schema_of(vec![(
        "payment",
        partitioned(vec![
            ("payment_p2022_01", FEB, partition_table()),
            ("payment_p2022_03", "DEFAULT", partition_table()),
        ]),
    )]);
    let findings = run(&expected, &drifted);
    assert_eq!(
        summary(&findings),
        [
            "partition-bound public.payment.payment_p2022_01",
            "partition-missing public.payment.payment_p2022_02",
            "partition-unexpected public.payment.payment_p2022_03",
        ]
    );
    assert_eq!(findings[0].expected.as_deref(), Some(JAN));
    assert_eq!(findings[0].actual.as_deref(), Some(FEB));
    assert_eq!(findings[1].severity, Severity::Error);
    assert_eq!(findings[2].severity, Severity::Warning);
}

#[test]
fn a_parent_column_difference_is_not_repeated_for_each_partition() {
    let with_type = |ty: &str| {
        let mut p = partition_table();
        p.columns[0].data_type = ty.into();
        let mut parent = partitioned(vec![
            ("payment_p2022_01", JAN, p.clone()),
            ("payment_p2022_02", FEB, p),
        ]);
        parent.columns[0].data_type = ty.into();
        schema_of(vec![("payment", parent)])
    };
    let findings = run(&with_type("integer"), &with_type("bigint"));
    assert_eq!(summary(&findings), ["column-type public.payment.id"]);
}

#[test]
fn a_partition_index_of_its_own_is_compared() {
    let mut own = partition_table();
    own.indexes
        .insert("p1_id_idx".into(), Index::on_columns(["id"]));
    let expected = schema_of(vec![(
        "payment",
        partitioned(vec![("payment_p2022_01", JAN, own)]),
    )]);
    let actual = schema_of(vec![(
        "payment",
        partitioned(vec![("payment_p2022_01", JAN, partition_table())]),
    )]);
    assert_eq!(
        summary(&run(&expected, &actual)),
        ["index-missing public.payment.payment_p2022_01.p1_id_idx"]
    );
    let mut unpartitioned = partitioned(vec![]);
    unpartitioned.partition_by = None;
    let findings = run(
        &schema_of(vec![("payment", partitioned(vec![]))]),
        &schema_of(vec![("payment", unpartitioned)]),
    );
    assert_eq!(summary(&findings), ["partition-key public.payment"]);
    assert_eq!(
        findings[0].expected.as_deref(),
        Some("PARTITION BY RANGE (payment_date)")
    );
}
