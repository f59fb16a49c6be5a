//! Indexes and constraints on both sides: renames and definition differences.

use super::*;

#[test]
fn same_structure_under_another_name_is_a_rename() {
    let expected = schema_of(vec![(
        "t",
        with_index(
            with_constraint(
                table(vec![col("a", "integer"), col("b", "integer")]),
                "t_a_key",
                unique(&["a"]),
            ),
            "t_b_idx",
            Index::on_columns(["b"]),
        ),
    )]);
    let actual = schema_of(vec![(
        "t",
        with_index(
            with_index(
                with_constraint(
                    table(vec![col("a", "integer"), col("b", "integer")]),
                    "uq_t_a",
                    unique(&["a"]),
                ),
                "idx_b",
                Index::on_columns(["b"]),
            ),
            "idx_b_desc",
            {
                let mut i = Index::on_columns(["b"]);
                i.keys[0].descending = true;
                i.keys[0].nulls_first = true;
                i
            },
        ),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "index-unexpected public.t.idx_b_desc",
            "constraint-renamed public.t.t_a_key",
            "index-renamed public.t.t_b_idx",
        ]
    );
    let renamed = &findings[2];
    assert_eq!(renamed.severity, Severity::Info);
    assert_eq!(renamed.expected.as_deref(), Some("t_b_idx"));
    assert_eq!(renamed.actual.as_deref(), Some("idx_b"));
    assert_eq!(
        findings[1].message,
        "unique constraint t_a_key is named uq_t_a"
    );
}

#[test]
fn index_and_constraint_definitions_say_what_differs() {
    // invitation-quotas, prod: the partial unique index lost its predicate; the sender
    // index lost DESC; the foreign key cascades instead of setting null.
    let make = |predicate: Option<&str>, desc: bool, on_delete: FkAction| {
        let mut email = Index::on_columns(Vec::<String>::new());
        email.unique = true;
        email.keys.push(IndexKey {
            expr: IndexExpr::Expression("lower(email)".into()),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: false,
        });
        email.predicate = predicate.map(str::to_string);
        let mut sender = Index::on_columns(["sender_user_id", "sent_at"]);
        sender.keys[1].descending = desc;
        sender.keys[1].nulls_first = desc;
        let mut invited = fk(&["invited_user_id"], "users", &["id"]);
        if let ConstraintKind::ForeignKey(f) = &mut invited.kind {
            f.on_delete = on_delete;
        }
        let t = table(vec![
            col("email", "text"),
            col("sender_user_id", "uuid"),
            col("sent_at", "timestamp with time zone"),
            col("invited_user_id", "uuid"),
        ]);
        let t = with_index(t, "users_email_lower_idx", email);
        let t = with_index(t, "idx_sent_invitations_sender", sender);
        with_constraint(t, "t_invited_user_id_fkey", invited)
    };
    let expected = schema_of(vec![(
        "t",
        make(Some("(deleted_at IS NULL)"), true, FkAction::SetNull),
    )]);
    let actual = schema_of(vec![("t", make(None, false, FkAction::Cascade))]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "index-definition public.t.idx_sent_invitations_sender",
            "constraint-definition public.t.t_invited_user_id_fkey",
            "index-definition public.t.users_email_lower_idx",
        ]
    );
    assert_eq!(
        findings[0].details,
        ["keys: expected (sender_user_id, sent_at DESC), actual (sender_user_id, sent_at)"]
    );
    assert_eq!(
        findings[1].details,
        ["ON DELETE: expected SET NULL, actual CASCADE"]
    );
    assert_eq!(
        findings[1].expected.as_deref(),
        Some("FOREIGN KEY (invited_user_id) REFERENCES public.users(id) ON DELETE SET NULL")
    );
    assert_eq!(
        findings[2].details,
        ["predicate: expected WHERE (deleted_at IS NULL), actual none"]
    );
    assert_eq!(
        findings[2].message,
        "index users_email_lower_idx differs: predicate"
    );
    assert_eq!(
        findings[2].expected.as_deref(),
        Some("CREATE UNIQUE INDEX users_email_lower_idx ON public.t USING btree (lower(email)) WHERE (deleted_at IS NULL)")
    );
}

#[test]
fn not_valid_matters_only_when_the_database_has_not_validated() {
    let mut not_valid = check("(a > 0)");
    not_valid.validated = false;
    let with = |c: Constraint| {
        schema_of(vec![(
            "t",
            with_constraint(table(vec![col("a", "integer")]), "t_a_check", c),
        )])
    };
    assert!(run(&with(not_valid.clone()), &with(check("(a > 0)"))).is_empty());
    let findings = run(&with(check("(a > 0)")), &with(not_valid));
    assert_eq!(
        summary(&findings),
        ["constraint-definition public.t.t_a_check"]
    );
    assert_eq!(
        findings[0].details,
        ["validated: expected yes, actual no (NOT VALID)"]
    );
}
