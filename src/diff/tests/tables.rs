//! Tables: missing, unexpected, and foreign keys pointing at a missing table.

use super::*;

#[test]
fn identical_models_have_no_findings() {
    let x = schema_of(vec![("users", users())]);
    assert!(run(&x, &x).is_empty());
}

#[test]
fn a_missing_table_is_one_finding_listing_its_contents() {
    let invitations = with_index(
        with_constraint(
            with_constraint(
                table(vec![
                    not_null(col("invitation_id", "uuid")),
                    not_null(col("email", "character varying(255)")),
                    col("invited_by", "integer"),
                ]),
                "user_invitations_pkey",
                pk(&["invitation_id"]),
            ),
            "user_invitations_invited_by_fkey",
            fk(&["invited_by"], "users", &["id"]),
        ),
        "idx_invitations_email",
        Index::on_columns(["email"]),
    );
    let expected = schema_of(vec![("users", users()), ("user_invitations", invitations)]);
    let actual = schema_of(vec![("users", users())]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        ["table-missing public.user_invitations"]
    );
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.environment, "prod");
    assert_eq!(
        f.expected.as_deref(),
        Some("3 columns, 1 index, 2 constraints")
    );
    assert_eq!(f.actual, None);
    assert_eq!(
        f.details,
        [
            "column invitation_id uuid NOT NULL",
            "column email character varying(255) NOT NULL",
            "column invited_by integer",
            "constraint CONSTRAINT user_invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES public.users(id)",
            "constraint CONSTRAINT user_invitations_pkey PRIMARY KEY (invitation_id)",
            "index CREATE INDEX idx_invitations_email ON public.user_invitations USING btree (email)",
        ]
    );

    // The reverse is one warning.
    let findings = run(&actual, &expected);
    assert_eq!(
        summary(&findings),
        ["table-unexpected public.user_invitations"]
    );
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[test]
fn a_foreign_key_to_a_missing_table_points_at_it() {
    let orders = |with_fk: bool| {
        let t = table(vec![col("id", "integer"), col("org_id", "integer")]);
        if with_fk {
            with_constraint(t, "orders_org_id_fkey", fk(&["org_id"], "orgs", &["id"]))
        } else {
            t
        }
    };
    let orgs = with_constraint(table(vec![col("id", "integer")]), "orgs_pkey", pk(&["id"]));
    let expected = schema_of(vec![("orders", orders(true)), ("orgs", orgs)]);
    let actual = schema_of(vec![("orders", orders(false))]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "constraint-missing public.orders.orders_org_id_fkey",
            "table-missing public.orgs"
        ]
    );
    assert_eq!(
        findings[0].caused_by,
        Some(FindingRef {
            kind: FindingKind::TableMissing,
            object: ObjectPath::object(&q("orgs"))
        })
    );
}

#[test]
fn a_foreign_key_to_a_missing_column_points_at_it() {
    let orgs = |with_code: bool| {
        let mut columns = vec![col("id", "integer")];
        if with_code {
            columns.push(col("code", "text"));
        }
        let t = with_constraint(table(columns), "orgs_pkey", pk(&["id"]));
        if with_code {
            with_constraint(t, "orgs_code_key", unique(&["code"]))
        } else {
            t
        }
    };
    let members = |with_fk: bool| {
        let t = table(vec![col("org_code", "text")]);
        if with_fk {
            with_constraint(
                t,
                "members_org_code_fkey",
                fk(&["org_code"], "orgs", &["code"]),
            )
        } else {
            t
        }
    };
    let expected = schema_of(vec![("orgs", orgs(true)), ("members", members(true))]);
    let actual = schema_of(vec![("orgs", orgs(false)), ("members", members(false))]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "constraint-missing public.members.members_org_code_fkey",
            "column-missing public.orgs.code",
        ]
    );
    assert_eq!(
        findings[0]
            .caused_by
            .as_ref()
            .map(|c| c.to_string())
            .as_deref(),
        Some("column-missing public.orgs.code")
    );
    // The unique key on the missing column is part of the column's finding.
    assert_eq!(findings[1].folded.len(), 1);
}
