//! Indexes and constraints that use a missing or unexpected column.

use super::*;

#[test]
fn indexes_and_constraints_of_a_missing_column_are_part_of_its_finding() {
    let base = vec![
        serial("id", "user_correlations"),
        not_null(col("email", "character varying(255)")),
        col("slack_user_id", "character varying(50)"),
    ];
    let mut columns = base.clone();
    columns.push(col("organization_id", "integer"));
    let mut expected_t = table(columns);
    expected_t = with_constraint(expected_t, "user_correlations_pkey", pk(&["id"]));
    expected_t = with_constraint(
        expected_t,
        "fk_user_correlations_organization",
        fk(&["organization_id"], "organizations", &["id"]),
    );
    expected_t = with_index(
        expected_t,
        "idx_user_correlations_organization_id",
        Index::on_columns(["organization_id"]),
    );
    expected_t = with_index(
        expected_t,
        "idx_user_correlations_org_email",
        Index::on_columns(["organization_id", "email"]),
    );
    let mut partial = Index::on_columns(["organization_id", "slack_user_id"]);
    partial.predicate = Some("(slack_user_id IS NOT NULL)".into());
    expected_t = with_index(expected_t, "idx_user_correlations_org_slack", partial);
    // An index on a surviving column that is missing too stays its own finding.
    expected_t = with_index(
        expected_t,
        "idx_user_correlations_email",
        Index::on_columns(["email"]),
    );
    let actual_t = with_constraint(table(base), "user_correlations_pkey", pk(&["id"]));
    let organizations = with_constraint(
        table(vec![serial("id", "organizations")]),
        "organizations_pkey",
        pk(&["id"]),
    );
    let expected = schema_of(vec![
        ("user_correlations", expected_t),
        ("organizations", organizations.clone()),
    ]);
    let actual = schema_of(vec![
        ("user_correlations", actual_t),
        ("organizations", organizations),
    ]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "index-missing public.user_correlations.idx_user_correlations_email",
            "column-missing public.user_correlations.organization_id",
        ]
    );
    let column = &findings[1];
    let folded: Vec<String> = column
        .folded
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert_eq!(
        folded,
        [
            "index-missing public.user_correlations.idx_user_correlations_org_email",
            "index-missing public.user_correlations.idx_user_correlations_org_slack",
            "index-missing public.user_correlations.idx_user_correlations_organization_id",
            "constraint-missing public.user_correlations.fk_user_correlations_organization",
        ]
    );
    assert_eq!(
        column.message,
        "column organization_id is missing, with 3 indexes and 1 constraint that use it"
    );
    assert!(column
        .details
        .contains(&"index CREATE INDEX idx_user_correlations_org_slack ON public.user_correlations USING btree (organization_id, slack_user_id) WHERE (slack_user_id IS NOT NULL)".to_string()));

    // The reverse: the column and what uses it are one unexpected-column warning.
    let findings = run(&actual, &expected);
    assert_eq!(
        summary(&findings),
        [
            "index-unexpected public.user_correlations.idx_user_correlations_email",
            "column-unexpected public.user_correlations.organization_id",
        ]
    );
    assert_eq!(findings[1].folded.len(), 4);
}

#[test]
fn an_index_on_an_expression_of_a_missing_column_is_part_of_its_finding() {
    let mut lower = Index::on_columns(Vec::<String>::new());
    lower.keys.push(IndexKey {
        expr: IndexExpr::Expression("lower(\"workspaceId\")".into()),
        collation: None,
        opclass: None,
        descending: false,
        nulls_first: false,
    });
    let expected = schema_of(vec![(
        "t",
        with_index(
            table(vec![col("id", "integer"), col("workspaceId", "text")]),
            "t_lower_idx",
            lower,
        ),
    )]);
    let actual = schema_of(vec![("t", table(vec![col("id", "integer")]))]);
    let findings = run(&expected, &actual);
    assert_eq!(summary(&findings), ["column-missing public.t.workspaceId"]);
    assert_eq!(findings[0].folded[0].kind, FindingKind::IndexMissing);
}
