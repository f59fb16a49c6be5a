//! Unit tests of `compare` on hand-built models: every kind, and each rule that keeps
//! findings trustworthy. Expression texts are copied from what PostgreSQL 15 prints.

use std::collections::BTreeSet;

use super::*;
use crate::model::{
    Check, Column, Constraint, ConstraintKind, EnumType, Exclusion, FkAction, ForeignKey,
    Generated, Identity, Index, IndexExpr, IndexKey, KeyConstraint, MatchType, Note, NoteKind,
    Partition, Table,
};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, ty)
}

fn not_null(mut c: Column) -> Column {
    c.not_null = true;
    c
}

fn default(mut c: Column, d: &str) -> Column {
    c.default = Some(d.into());
    c
}

fn serial(name: &str, table: &str) -> Column {
    default(
        not_null(col(name, "integer")),
        &format!("nextval('public.{table}_{name}_seq'::regclass)"),
    )
}

fn pk(columns: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }))
}

fn unique(columns: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::Unique(KeyConstraint {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }))
}

fn fk(columns: &[&str], table: &str, referenced: &[&str]) -> Constraint {
    Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        referenced_table: q(table),
        referenced_columns: referenced.iter().map(|c| c.to_string()).collect(),
        on_update: FkAction::NoAction,
        on_delete: FkAction::NoAction,
        on_delete_set_columns: vec![],
        match_type: MatchType::Simple,
    }))
}

fn check(expression: &str) -> Constraint {
    Constraint::new(ConstraintKind::Check(Check {
        expression: expression.into(),
        no_inherit: false,
    }))
}

fn table(columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Default::default()
    }
}

fn with_constraint(mut t: Table, name: &str, c: Constraint) -> Table {
    t.constraints.insert(name.into(), c);
    t
}

fn with_index(mut t: Table, name: &str, i: Index) -> Table {
    t.indexes.insert(name.into(), i);
    t
}

fn schema_of(tables: Vec<(&str, Table)>) -> Loaded {
    let mut loaded = Loaded::default();
    let ns = loaded.schema.namespace_mut("public");
    for (name, t) in tables {
        ns.tables.insert(name.into(), t);
    }
    loaded
}

fn options() -> DiffOptions {
    DiffOptions {
        environment: "prod".into(),
        ..Default::default()
    }
}

fn run(expected: &Loaded, actual: &Loaded) -> Vec<Finding> {
    compare(expected, actual, &options())
}

/// `kind object` per finding, in the order `compare` returns them.
fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect()
}

fn users() -> Table {
    let t = table(vec![
        serial("id", "users"),
        not_null(col("email", "character varying(255)")),
        col("name", "text"),
        default(col("created_at", "timestamp with time zone"), "now()"),
    ]);
    let t = with_constraint(t, "users_pkey", pk(&["id"]));
    with_constraint(t, "users_email_key", unique(&["email"]))
}

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
fn every_column_property_is_its_own_kind() {
    let expected = schema_of(vec![(
        "t",
        table(vec![
            not_null(col("id", "bigint")),
            col("a", "text"),
            not_null(col("b", "integer")),
            default(
                col("c", "timestamp with time zone"),
                "(now() + '7 days'::interval)",
            ),
            {
                let mut c = not_null(col("d", "bigint"));
                c.identity = Some(Identity::Always);
                c
            },
            {
                let mut c = col("e", "text");
                c.collation = Some("\"C\"".into());
                c
            },
            col("gone", "text"),
        ]),
    )]);
    let actual = schema_of(vec![(
        "t",
        table(vec![
            not_null(col("id", "bigint")),
            col("a", "character varying(20)"),
            col("b", "integer"),
            default(
                col("c", "timestamp with time zone"),
                "(now() + '14 days'::interval)",
            ),
            {
                let mut c = not_null(col("d", "bigint"));
                c.identity = Some(Identity::ByDefault);
                c
            },
            col("e", "text"),
            col("extra", "boolean"),
        ]),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "column-type public.t.a",
            "column-nullable public.t.b",
            "column-default public.t.c",
            "column-identity public.t.d",
            "column-collation public.t.e",
            "column-unexpected public.t.extra",
            "column-missing public.t.gone",
        ]
    );
    let by_kind = |k: FindingKind| findings.iter().find(|f| f.kind == k).unwrap();
    let ty = by_kind(FindingKind::ColumnType);
    assert_eq!(ty.expected.as_deref(), Some("text"));
    assert_eq!(ty.actual.as_deref(), Some("character varying(20)"));
    let nullable = by_kind(FindingKind::ColumnNullable);
    assert_eq!(nullable.message, "column b is nullable, expected NOT NULL");
    let dflt = by_kind(FindingKind::ColumnDefault);
    assert_eq!(dflt.severity, Severity::Warning);
    assert_eq!(dflt.caused_by, None);
    assert_eq!(
        by_kind(FindingKind::ColumnIdentity).actual.as_deref(),
        Some("GENERATED BY DEFAULT AS IDENTITY")
    );
    assert_eq!(
        by_kind(FindingKind::ColumnMissing).expected.as_deref(),
        Some("gone text")
    );
    assert_eq!(
        by_kind(FindingKind::ColumnUnexpected).actual.as_deref(),
        Some("extra boolean")
    );
}

/// invitation-quotas, prod: `status VARCHAR(20)` where the migrations say `TEXT`. Postgres
/// then renders the default, the CHECK and the partial index differently; all of it is the
/// one `column-type` finding. Texts as PostgreSQL 15 prints them.
#[test]
fn renderings_that_follow_from_a_type_change_fold_into_it() {
    let log = |status_type: &str,
               status_default: &str,
               check_expr: &str,
               predicate: &str,
               expires_default: &str| {
        let t = table(vec![
            not_null(col("id", "uuid")),
            default(not_null(col("status", status_type)), status_default),
            default(
                not_null(col("expires_at", "timestamp with time zone")),
                expires_default,
            ),
        ]);
        let t = with_constraint(t, "check_status", check(check_expr));
        let mut pending = Index::on_columns(["expires_at"]);
        pending.predicate = Some(predicate.into());
        with_index(t, "idx_sent_invitations_pending", pending)
    };
    let expected = schema_of(vec![(
        "user_sent_invitations_log",
        log(
            "text",
            "'pending'::text",
            "(status = ANY (ARRAY['pending'::text, 'accepted'::text, 'expired'::text, 'revoked'::text]))",
            "(status = 'pending'::text)",
            "(now() + '7 days'::interval)",
        ),
    )]);
    let actual = schema_of(vec![(
        "user_sent_invitations_log",
        log(
            "character varying(20)",
            "'pending'::character varying",
            "((status)::text = ANY ((ARRAY['pending'::character varying, 'accepted'::character varying, 'expired'::character varying, 'revoked'::character varying])::text[]))",
            "((status)::text = 'pending'::text)",
            "(now() + '14 days'::interval)",
        ),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "column-default public.user_sent_invitations_log.expires_at",
            "column-type public.user_sent_invitations_log.status",
        ]
    );
    let ty = &findings[1];
    let folded: Vec<String> = ty
        .folded
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert_eq!(
        folded,
        [
            "column-default public.user_sent_invitations_log.status",
            "index-definition public.user_sent_invitations_log.idx_sent_invitations_pending",
            "constraint-definition public.user_sent_invitations_log.check_status",
        ]
    );
    assert_eq!(ty.details.len(), 3);
    assert!(ty.details[0].contains("'pending'::character varying"));
    // The interval default differs in substance and does not involve the type.
    assert_eq!(findings[0].caused_by, None);
}

#[test]
fn a_consequence_that_differs_in_substance_points_at_its_cause() {
    let t = |ty: &str, expr: &str| {
        with_constraint(table(vec![col("status", ty)]), "check_status", check(expr))
    };
    let expected = schema_of(vec![(
        "t",
        t("text", "(status = ANY (ARRAY['a'::text, 'b'::text]))"),
    )]);
    let actual = schema_of(vec![(
        "t",
        t(
            "character varying(20)",
            "((status)::text = ANY ((ARRAY['a'::character varying])::text[]))",
        ),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "constraint-definition public.t.check_status",
            "column-type public.t.status"
        ]
    );
    assert_eq!(
        findings[0]
            .caused_by
            .as_ref()
            .map(|c| c.to_string())
            .as_deref(),
        Some("column-type public.t.status")
    );
    assert!(findings[1].folded.is_empty());
}

/// invitation-quotas, prod: `invites_remaining INTEGER NOT NULL DEFAULT 3` where the
/// migrations say `GENERATED ALWAYS AS (GREATEST(total_invites_granted - invites_used, 0)) STORED`.
#[test]
fn a_plain_column_that_should_be_generated_is_one_finding() {
    let mut generated = col("invites_remaining", "integer");
    generated.generated = Some(Generated {
        expression: "GREATEST((total_invites_granted - invites_used), 0)".into(),
        stored: true,
    });
    let expected = schema_of(vec![("q", table(vec![generated]))]);
    let actual = schema_of(vec![(
        "q",
        table(vec![default(
            not_null(col("invites_remaining", "integer")),
            "3",
        )]),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        ["column-generated public.q.invites_remaining"]
    );
    let f = &findings[0];
    assert_eq!(
        f.expected.as_deref(),
        Some("GENERATED ALWAYS AS (GREATEST((total_invites_granted - invites_used), 0)) STORED")
    );
    assert_eq!(f.actual, None);
    let folded: Vec<FindingKind> = f.folded.iter().map(|x| x.kind).collect();
    assert_eq!(
        folded,
        [FindingKind::ColumnNullable, FindingKind::ColumnDefault]
    );
    assert_eq!(f.folded[1].actual.as_deref(), Some("3"));
    assert!(f.details.iter().any(|d| d.contains("DEFAULT 3 NOT NULL")));
}

#[test]
fn an_identity_column_that_is_a_serial_is_one_finding() {
    let mut identity = not_null(col("id", "integer"));
    identity.identity = Some(Identity::ByDefault);
    let expected = schema_of(vec![("t", table(vec![identity]))]);
    let actual = schema_of(vec![("t", table(vec![serial("id", "t")]))]);
    let findings = run(&expected, &actual);
    assert_eq!(summary(&findings), ["column-identity public.t.id"]);
    assert_eq!(findings[0].folded.len(), 1);
    assert_eq!(findings[0].folded[0].kind, FindingKind::ColumnDefault);
}

/// dev-vs-main, prod: `user_correlations.organization_id` was never added, so neither were
/// the foreign key and the three indexes that use it (one of them partial).
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
fn column_order_is_one_info_finding_per_table() {
    let expected = schema_of(vec![(
        "t",
        table(vec![
            col("a", "integer"),
            col("b", "integer"),
            col("c", "integer"),
            col("d", "integer"),
        ]),
    )]);
    // `d` is missing and `x` extra: only the relative order of a, b, c counts.
    let actual = schema_of(vec![(
        "t",
        table(vec![
            col("a", "integer"),
            col("x", "integer"),
            col("c", "integer"),
            col("b", "integer"),
        ]),
    )]);
    let findings = run(&expected, &actual);
    assert_eq!(
        summary(&findings),
        [
            "column-order public.t",
            "column-missing public.t.d",
            "column-unexpected public.t.x",
        ]
    );
    let order = &findings[0];
    assert_eq!(order.severity, Severity::Info);
    assert_eq!(order.expected.as_deref(), Some("a, b, c, d"));
    assert_eq!(order.actual.as_deref(), Some("a, x, c, b"));

    // Columns added at the end on one side only keep the relative order: no finding.
    let appended = schema_of(vec![(
        "t",
        table(vec![
            col("a", "integer"),
            col("b", "integer"),
            col("c", "integer"),
            col("d", "integer"),
            col("e", "integer"),
        ]),
    )]);
    assert_eq!(
        summary(&run(&expected, &appended)),
        ["column-unexpected public.t.e"]
    );
}

fn enum_schema(name: &str, labels: &[&str]) -> Loaded {
    let mut loaded = Loaded::default();
    loaded.schema.namespace_mut("public").enums.insert(
        name.into(),
        EnumType {
            labels: labels.iter().map(|l| l.to_string()).collect(),
        },
    );
    loaded
}

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

fn partitioned(partitions: Vec<(&str, &str, Table)>) -> Table {
    let mut parent = with_constraint(
        table(vec![
            not_null(col("id", "integer")),
            not_null(col("payment_date", "date")),
        ]),
        "payment_pkey",
        pk(&["id", "payment_date"]),
    );
    parent = with_index(
        parent,
        "payment_date_idx",
        Index::on_columns(["payment_date"]),
    );
    parent.partition_by = Some("RANGE (payment_date)".into());
    for (name, bound, t) in partitions {
        parent.partitions.insert(
            q(name),
            Partition {
                bound: bound.into(),
                table: t,
            },
        );
    }
    parent
}

/// A partition as PostgreSQL makes it: the parent's columns, and the parent's key and
/// index inherited.
fn partition_table() -> Table {
    let mut pkey = pk(&["id", "payment_date"]);
    pkey.inherited = true;
    let mut index = Index::on_columns(["payment_date"]);
    index.inherited = true;
    with_index(
        with_constraint(
            table(vec![
                not_null(col("id", "integer")),
                not_null(col("payment_date", "date")),
            ]),
            "payment_p1_pkey",
            pkey,
        ),
        "payment_p1_payment_date_idx",
        index,
    )
}

const JAN: &str = "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')";
const FEB: &str = "FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')";

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

fn prisma_table() -> Table {
    with_constraint(
        table(vec![
            not_null(col("id", "character varying(36)")),
            not_null(col("checksum", "character varying(64)")),
        ]),
        "_prisma_migrations_pkey",
        pk(&["id"]),
    )
}

#[test]
fn bookkeeping_tables_are_not_drift_unless_expected() {
    let expected = schema_of(vec![("users", users())]);
    let actual = schema_of(vec![
        ("users", users()),
        ("_prisma_migrations", prisma_table()),
        (
            "alembic_version",
            table(vec![not_null(col("version_num", "character varying(32)"))]),
        ),
    ]);
    assert!(run(&expected, &actual).is_empty());

    // When the expected side defines one, it is compared like any table.
    let mut defined = prisma_table();
    defined.columns.push(col("logs", "text"));
    let expected = schema_of(vec![("users", users()), ("_prisma_migrations", defined)]);
    assert_eq!(
        summary(&run(&expected, &actual)),
        ["column-missing public._prisma_migrations.logs"]
    );
    let without = schema_of(vec![("users", users())]);
    assert_eq!(
        summary(&run(&expected, &without)),
        ["table-missing public._prisma_migrations"]
    );

    // A database as the reference and migration files as the target: files never hold the
    // tool's own table.
    let live = schema_of(vec![
        ("users", users()),
        ("_prisma_migrations", prisma_table()),
    ]);
    let files = schema_of(vec![("users", users())]);
    let static_target = DiffOptions {
        actual_is_static: true,
        ..options()
    };
    assert!(compare(&live, &files, &static_target).is_empty());
}

#[test]
fn objects_the_role_cannot_see_are_invisible_not_missing() {
    let expected = schema_of(vec![
        ("users", users()),
        ("secrets", table(vec![col("k", "text")])),
    ]);
    let mut actual = schema_of(vec![("users", users())]);
    actual.notes.push(Note::invisible(
        q("secrets"),
        "permission denied for table secrets",
    ));
    // A note without an object, or about an unrelated object, changes nothing.
    actual
        .notes
        .push(Note::new(NoteKind::Invisible, None, "something"));
    actual.notes.push(Note::invisible(q("nowhere"), "x"));
    let findings = run(&expected, &actual);
    assert_eq!(summary(&findings), ["object-invisible public.secrets"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "table secrets cannot be read on the database: permission denied for table secrets"
    );
    assert_eq!(
        f.details,
        ["not reported because it cannot be checked: table-missing public.secrets"]
    );

    // Differences inside a table the role cannot fully read are withheld too.
    let mut partial = schema_of(vec![("users", table(vec![serial("id", "users")]))]);
    partial
        .notes
        .push(Note::invisible(q("users"), "cannot read users"));
    let findings = run(&schema_of(vec![("users", users())]), &partial);
    assert_eq!(summary(&findings), ["object-invisible public.users"]);
    assert_eq!(
        findings[0].details,
        [
            "not reported because it cannot be checked: column-missing public.users.created_at",
            "not reported because it cannot be checked: column-missing public.users.email",
            "not reported because it cannot be checked: column-missing public.users.name",
            "not reported because it cannot be checked: constraint-missing public.users.users_pkey",
        ]
    );
}

#[test]
fn schema_filter_applies_to_both_sides() {
    let mut expected = schema_of(vec![("users", users())]);
    expected
        .schema
        .namespace_mut("audit")
        .tables
        .insert("log".into(), table(vec![col("id", "integer")]));
    let mut actual = schema_of(vec![]);
    actual
        .schema
        .namespace_mut("billing")
        .tables
        .insert("invoice".into(), table(vec![col("id", "integer")]));
    assert_eq!(
        summary(&run(&expected, &actual)),
        [
            "table-missing audit.log",
            "table-unexpected billing.invoice",
            "table-missing public.users",
        ]
    );
    let only_public = DiffOptions {
        schemas: vec!["public".into()],
        ..options()
    };
    assert_eq!(
        summary(&compare(&expected, &actual, &only_public)),
        ["table-missing public.users"]
    );
}

#[test]
fn caller_equivalence_is_used_only_for_static_sides() {
    // What ddl::canon would say: the static side could not know PostgreSQL's implicit cast.
    fn modulo_implicit_casts(a: &str, b: &str) -> bool {
        a.replace("::text", "") == b.replace("::text", "")
    }
    let with_default = |d: &str| schema_of(vec![("t", table(vec![default(col("s", "text"), d)]))]);
    let expected = with_default("'x'");
    let actual = with_default("'x'::text");
    let live = DiffOptions {
        expressions_equivalent: Some(modulo_implicit_casts),
        ..options()
    };
    assert_eq!(
        summary(&compare(&expected, &actual, &live)),
        ["column-default public.t.s"]
    );
    let from_files = DiffOptions {
        expected_is_static: true,
        ..live
    };
    assert!(compare(&expected, &actual, &from_files).is_empty());
}

// ---- compare(x, x) is empty, and a single change is seen, on rich generated models ----

/// A small deterministic generator (xorshift), so the property tests need no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TYPES: &[&str] = &[
    "integer",
    "bigint",
    "text",
    "character varying(255)",
    "timestamp(3) without time zone",
    "numeric(10,2)",
    "public.\"InviteStatus\"",
    "jsonb",
    "text[]",
];

const NAMES: &[&str] = &[
    "id",
    "email",
    "workspaceId",
    "user",
    "Order",
    "created_at",
    "status",
    "a b",
];

fn rich_table(rng: &mut Rng, table_name: &str) -> Table {
    let mut columns: Vec<Column> = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        if i > 0 && rng.chance(30) {
            continue;
        }
        let mut c = col(name, rng.pick(TYPES));
        c.not_null = rng.chance(50);
        match rng.below(5) {
            0 => c.default = Some(format!("'{name}'::text")),
            1 => {
                c.identity = Some(if rng.chance(50) {
                    Identity::Always
                } else {
                    Identity::ByDefault
                })
            }
            2 => {
                c.generated = Some(Generated {
                    expression: format!("(length(\"{name}\") + 1)"),
                    stored: true,
                })
            }
            3 => c.collation = Some("\"C\"".into()),
            _ => {}
        }
        columns.push(c);
    }
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut t = table(columns);
    t.constraints
        .insert(format!("{table_name}_pkey"), pk(&[&names[0]]));
    if names.len() > 1 {
        let mut u = unique(&[&names[1]]);
        if let ConstraintKind::Unique(k) = &mut u.kind {
            k.nulls_not_distinct = rng.chance(50);
            k.include = vec![names[0].clone()];
        }
        u.deferrable = rng.chance(50);
        t.constraints.insert(format!("{table_name}_u"), u);
        let mut f = fk(&[&names[1]], "other", &["id"]);
        if let ConstraintKind::ForeignKey(k) = &mut f.kind {
            k.on_delete = FkAction::SetNull;
            k.on_delete_set_columns = vec![names[1].clone()];
            k.match_type = MatchType::Full;
        }
        f.validated = rng.chance(50);
        t.constraints.insert(format!("{table_name}_fk"), f);
        let mut i = Index::on_columns([names[1].clone()]);
        i.predicate = Some(format!("(\"{}\" IS NOT NULL)", names[1]));
        i.include = vec![names[0].clone()];
        i.storage_parameters = vec!["fillfactor='70'".into()];
        t.indexes.insert(format!("{table_name}_partial_idx"), i);
    }
    t.constraints.insert(
        format!("{table_name}_check"),
        check(&format!("(length((\"{}\")::text) > 0)", names[0])),
    );
    t.constraints.insert(
        format!("{table_name}_excl"),
        Constraint::new(ConstraintKind::Exclusion(Exclusion {
            definition: "USING gist (during WITH &&)".into(),
        })),
    );
    let mut expr = Index::on_columns(Vec::<String>::new());
    expr.method = "gin".into();
    expr.keys.push(IndexKey {
        expr: IndexExpr::Expression(format!("lower(\"{}\")", names[0])),
        collation: Some("\"C\"".into()),
        opclass: Some("text_pattern_ops".into()),
        descending: true,
        nulls_first: false,
    });
    t.indexes.insert(format!("{table_name}_expr_idx"), expr);
    if rng.chance(40) {
        t.partition_by = Some(format!("RANGE (\"{}\")", names[0]));
        for p in 0..rng.below(3) + 1 {
            let mut child = table(t.columns.clone());
            let mut inherited = pk(&[&names[0]]);
            inherited.inherited = true;
            child
                .constraints
                .insert(format!("{table_name}_p{p}_pkey"), inherited);
            child.indexes.insert(
                format!("{table_name}_p{p}_own_idx"),
                Index::on_columns([names[0].clone()]),
            );
            t.partitions.insert(
                QualifiedName::new("public", format!("{table_name}_p{p}")),
                Partition {
                    bound: format!("FOR VALUES FROM ({p}) TO ({})", p + 1),
                    table: child,
                },
            );
        }
    }
    t
}

fn rich_model(seed: u64) -> Loaded {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut loaded = Loaded::default();
    for schema in ["public", "Billing"] {
        for n in 0..rng.below(4) + 1 {
            let name = format!("t{n}_{}", rng.pick(NAMES));
            let t = rich_table(&mut rng, &name);
            loaded.schema.namespace_mut(schema).tables.insert(name, t);
        }
        loaded.schema.namespace_mut(schema).enums.insert(
            "InviteStatus".into(),
            EnumType {
                labels: vec!["PENDING".into(), "it's".into()],
            },
        );
    }
    loaded
}

#[test]
fn a_rich_model_compared_with_itself_has_no_findings() {
    for seed in 1..=60 {
        let x = rich_model(seed);
        assert!(x.schema.tables().count() >= 2);
        let findings = run(&x, &x.clone());
        assert!(findings.is_empty(), "seed {seed}: {:?}", summary(&findings));
    }
}

#[test]
fn a_single_change_to_a_rich_model_is_always_seen() {
    type Change = fn(&mut Table);
    let changes: &[(&str, Change)] = &[
        ("type", |t| t.columns[0].data_type.push_str("[]")),
        ("nullable", |t| {
            t.columns[0].not_null = !t.columns[0].not_null
        }),
        ("default", |t| {
            let c = t.columns.last_mut().unwrap();
            c.generated = None;
            c.identity = None;
            c.default = Some("42".into());
        }),
        ("drop column", |t| {
            t.columns.pop();
        }),
        ("index predicate", |t| {
            for i in t.indexes.values_mut() {
                i.predicate = Some("(x > 1)".into());
            }
        }),
        ("check", |t| {
            for c in t.constraints.values_mut() {
                if let ConstraintKind::Check(k) = &mut c.kind {
                    k.expression.push_str(" AND true");
                }
            }
        }),
        ("drop constraint", |t| {
            t.constraints.pop_first();
        }),
        ("partition", |t| {
            t.partition_by = Some("LIST (id)".into());
        }),
    ];
    for seed in 1..=20 {
        let expected = rich_model(seed);
        for (what, change) in changes {
            let mut actual = expected.clone();
            let (_, table) = actual
                .schema
                .namespaces
                .get_mut("public")
                .unwrap()
                .tables
                .iter_mut()
                .next()
                .unwrap();
            change(table);
            let findings = run(&expected, &actual);
            assert!(
                !findings.is_empty(),
                "seed {seed}: change `{what}` not seen"
            );
            let tables: BTreeSet<String> = findings
                .iter()
                .map(|f| f.object.top_object().to_string())
                .collect();
            assert_eq!(
                tables.len(),
                1,
                "seed {seed} `{what}`: {:?}",
                summary(&findings)
            );
        }
    }
}

#[test]
fn findings_are_sorted_by_object_then_kind_and_stamped() {
    let x = rich_model(7);
    let mut y = x.clone();
    for ns in y.schema.namespaces.values_mut() {
        for t in ns.tables.values_mut() {
            for c in &mut t.columns {
                c.data_type = "text".into();
                c.not_null = !c.not_null;
            }
        }
    }
    let findings = run(&x, &y);
    assert!(findings.len() > 5);
    assert!(findings
        .windows(2)
        .all(|w| w[0].sort_key() <= w[1].sort_key()));
    assert!(findings.iter().all(|f| f.environment == "prod"));
    assert!(findings.iter().all(|f| f.severity == f.kind.severity()));
}

#[test]
fn every_kind_can_be_produced() {
    let mut seen: BTreeSet<FindingKind> = BTreeSet::new();
    let mut record = |e: &Loaded, a: &Loaded| {
        for f in run(e, a).into_iter().chain(run(a, e)) {
            seen.insert(f.kind);
        }
    };
    // Tables, columns (every property), order, indexes and constraints in all states.
    let mut g = col("g", "integer");
    g.generated = Some(Generated {
        expression: "(a + 1)".into(),
        stored: true,
    });
    let mut d = not_null(col("d", "bigint"));
    d.identity = Some(Identity::Always);
    let mut e = col("e", "text");
    e.collation = Some("\"C\"".into());
    let base = with_index(
        with_index(
            with_constraint(
                with_constraint(
                    table(vec![
                        col("a", "integer"),
                        not_null(col("b", "text")),
                        default(col("c", "text"), "'x'::text"),
                        d,
                        e,
                        g,
                        col("gone", "text"),
                    ]),
                    "t_a_check",
                    check("(a > 0)"),
                ),
                "t_b_key",
                unique(&["b"]),
            ),
            "t_a_idx",
            Index::on_columns(["a"]),
        ),
        "t_c_idx",
        Index::on_columns(["c"]),
    );
    let mut changed = with_index(
        with_constraint(
            with_constraint(
                table(vec![
                    col("b", "text"),
                    col("a", "bigint"),
                    col("c", "text"),
                    col("d", "bigint"),
                    col("e", "text"),
                    col("g", "integer"),
                ]),
                "t_a_check",
                check("(a > 1)"),
            ),
            "t_b_uniq",
            unique(&["b"]),
        ),
        "t_a_idx",
        {
            let mut i = Index::on_columns(["a"]);
            i.unique = true;
            i
        },
    );
    changed
        .constraints
        .insert("t_extra_check".into(), check("(c <> '')"));
    changed
        .indexes
        .insert("t_c_renamed".into(), Index::on_columns(["c"]));
    changed
        .indexes
        .insert("t_extra_idx".into(), Index::on_columns(["d"]));
    record(
        &schema_of(vec![
            ("t", base),
            ("only_expected", table(vec![col("x", "integer")])),
        ]),
        &schema_of(vec![("t", changed)]),
    );
    // Partitions and enums.
    let mut keyed = partitioned(vec![]);
    keyed.partition_by = Some("LIST (id)".into());
    record(
        &schema_of(vec![(
            "payment",
            partitioned(vec![
                ("p1", JAN, partition_table()),
                ("p2", FEB, partition_table()),
            ]),
        )]),
        &schema_of(vec![(
            "payment",
            partitioned(vec![("p1", FEB, partition_table())]),
        )]),
    );
    record(
        &schema_of(vec![("payment", partitioned(vec![]))]),
        &schema_of(vec![("payment", keyed)]),
    );
    record(
        &enum_schema("E", &["a", "b"]),
        &enum_schema("E", &["b", "a"]),
    );
    record(&enum_schema("E", &["a"]), &Loaded::default());
    // Invisible.
    let mut hidden = Loaded::default();
    hidden
        .notes
        .push(Note::invisible(q("h"), "permission denied"));
    record(&schema_of(vec![("h", table(vec![]))]), &hidden);

    let missing: Vec<&str> = FindingKind::ALL
        .iter()
        .filter(|k| !seen.contains(k))
        .map(|k| k.as_str())
        .collect();
    assert!(missing.is_empty(), "kinds never produced: {missing:?}");
}
