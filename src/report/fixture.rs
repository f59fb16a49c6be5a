//! The one audit every renderer's snapshot test renders: three environments (one with
//! errors, one with warnings and information only, one that matches), every severity, long
//! values, quoted mixed-case names, notes of every kind and recorded migrations. Its
//! findings come from `diff::compare` on hand-built models.

use crate::diff::{compare, DiffOptions, FindingKind};
use crate::model::{
    Check, Column, Constraint, ConstraintKind, EnumType, FkAction, ForeignKey, Index,
    KeyConstraint, Loaded, Location, MatchType, Note, NoteKind, PgVersion, QualifiedName,
    RecordedMigrations, Table,
};

use super::{Audit, EnvironmentAudit, ExpectedSource};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn column(name: &str, ty: &str, not_null: bool, default: Option<&str>) -> Column {
    let mut c = Column::new(name, ty);
    c.not_null = not_null;
    c.default = default.map(str::to_string);
    c
}

fn key(columns: &[&str]) -> KeyConstraint {
    KeyConstraint {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

fn fk(column: &str, table: &str, on_delete: FkAction) -> Constraint {
    Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
        columns: vec![column.into()],
        referenced_table: q(table),
        referenced_columns: vec!["id".into()],
        on_update: FkAction::NoAction,
        on_delete,
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

fn users() -> Table {
    let mut t = Table {
        columns: vec![
            column("id", "text", true, None),
            column("email", "text", true, None),
            column("name", "text", false, None),
            column(
                "createdAt",
                "timestamp(3) without time zone",
                true,
                Some("CURRENT_TIMESTAMP"),
            ),
        ],
        ..Default::default()
    };
    t.constraints.insert(
        "users_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(key(&["id"]))),
    );
    t.indexes.insert("users_email_key".into(), {
        let mut i = Index::on_columns(["email"]);
        i.unique = true;
        i
    });
    t
}

fn invites() -> Table {
    let mut t = Table {
        columns: vec![
            column("id", "text", true, None),
            column("workspaceId", "text", true, None),
            column("email", "text", true, None),
            column(
                "status",
                "public.\"InviteStatus\"",
                true,
                Some("'PENDING'::public.\"InviteStatus\""),
            ),
        ],
        ..Default::default()
    };
    t.constraints.insert(
        "workspace_invites_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(key(&["id"]))),
    );
    t.indexes.insert(
        "workspace_invites_workspaceId_email_key".into(),
        Index::on_columns(["workspaceId", "email"]),
    );
    t
}

fn sent_log(
    status: &str,
    status_default: &str,
    check_status: &str,
    pending: &str,
    expires: &str,
    on_delete: FkAction,
) -> Table {
    let mut t = Table {
        columns: vec![
            column("id", "uuid", true, Some("gen_random_uuid()")),
            column("invited_user_id", "uuid", false, None),
            column("invitee_email", "text", true, None),
            column("status", status, true, Some(status_default)),
            column(
                "expires_at",
                "timestamp with time zone",
                true,
                Some(expires),
            ),
        ],
        ..Default::default()
    };
    t.constraints.insert(
        "user_sent_invitations_log_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(key(&["id"]))),
    );
    t.constraints
        .insert("check_status".into(), check(check_status));
    t.constraints.insert(
        "user_sent_invitations_log_invited_user_id_fkey".into(),
        fk("invited_user_id", "users", on_delete),
    );
    let mut index = Index::on_columns(["expires_at"]);
    index.predicate = Some(pending.into());
    t.indexes
        .insert("idx_sent_invitations_pending".into(), index);
    t
}

const LONG_CHECK: &str = "((\"unitPrice\" >= (0)::numeric) AND (quantity > 0) AND ((\"discountCode\" IS NULL) OR (length((\"discountCode\")::text) BETWEEN 4 AND 32)) AND (\"lineTotal\" = ((\"unitPrice\" * (quantity)::numeric) - COALESCE(discount, (0)::numeric))))";

fn order_items(with_check: bool) -> Table {
    let mut t = Table {
        columns: vec![
            column("id", "bigint", true, None),
            column("unitPrice", "numeric(12,2)", true, None),
            column("quantity", "integer", true, Some("1")),
            column("discountCode", "character varying(32)", false, None),
            column("discount", "numeric(12,2)", false, None),
            column("lineTotal", "numeric(14,2)", true, None),
        ],
        ..Default::default()
    };
    if with_check {
        t.constraints
            .insert("Order Items_amounts_check".into(), check(LONG_CHECK));
    }
    t
}

fn expected_schema() -> Loaded {
    let mut loaded = Loaded::default();
    let ns = loaded.schema.namespace_mut("public");
    ns.tables.insert("users".into(), users());
    ns.tables.insert("workspace_invites".into(), invites());
    ns.tables.insert(
        "user_sent_invitations_log".into(),
        sent_log(
            "text",
            "'pending'::text",
            "(status = ANY (ARRAY['pending'::text, 'accepted'::text, 'expired'::text, 'revoked'::text]))",
            "(status = 'pending'::text)",
            "(now() + '7 days'::interval)",
            FkAction::SetNull,
        ),
    );
    ns.tables.insert("Order Items".into(), order_items(true));
    ns.tables.insert(
        "audit_log".into(),
        Table {
            columns: vec![column("id", "bigint", true, None)],
            ..Default::default()
        },
    );
    ns.enums.insert(
        "InviteStatus".into(),
        EnumType {
            labels: vec!["PENDING".into(), "ACCEPTED".into(), "EXPIRED".into()],
        },
    );
    loaded.notes = vec![
        Note::new(
            NoteKind::NotModelled,
            Some(Location {
                file: "migrations/0002_invitation_quotas.sql".into(),
                line: 41,
            }),
            "CREATE FUNCTION public.create_user_quota_on_signup() is not modelled",
        ),
        Note::new(
            NoteKind::Unparsed,
            Some(Location {
                file: "migrations/0003_broken.sql".into(),
                line: 7,
            }),
            "cannot parse: Expected: an expression, found: )",
        ),
    ];
    loaded
}

fn prisma(applied: &[&str]) -> RecordedMigrations {
    RecordedMigrations {
        table: q("_prisma_migrations"),
        tool: "prisma".into(),
        applied: applied.iter().map(|m| m.to_string()).collect(),
    }
}

fn dev() -> Loaded {
    let mut loaded = expected_schema();
    loaded.notes.clear();
    loaded.server_version = Some(PgVersion(16));
    let ns = loaded.schema.namespace_mut("public");
    if let Some(users) = ns.tables.get_mut("users") {
        users
            .columns
            .push(column("beta_flag", "boolean", false, Some("false")));
        // Same index under the name an ORM chose.
        if let Some(index) = users.indexes.remove("users_email_key") {
            users.indexes.insert("IDX_users_email".into(), index);
        }
    }
    loaded.recorded_migrations = vec![prisma(&[
        "20250101090000_init",
        "20250116140000_add_workspace_invites",
    ])];
    loaded
}

fn prod() -> Loaded {
    let mut loaded = expected_schema();
    loaded.server_version = Some(PgVersion(15));
    let ns = loaded.schema.namespace_mut("public");
    ns.tables.remove("workspace_invites");
    ns.enums.remove("InviteStatus");
    ns.tables.insert(
        "user_sent_invitations_log".into(),
        sent_log(
            "character varying(20)",
            "'pending'::character varying",
            "((status)::text = ANY ((ARRAY['pending'::character varying, 'accepted'::character varying, 'expired'::character varying, 'revoked'::character varying])::text[]))",
            "((status)::text = 'pending'::text)",
            "(now() + '14 days'::interval)",
            FkAction::Cascade,
        ),
    );
    ns.tables.insert("Order Items".into(), order_items(false));
    ns.tables.remove("audit_log");
    loaded.notes = vec![Note::invisible(
        q("audit_log"),
        "permission denied for schema public (no USAGE)",
    )];
    loaded.recorded_migrations = vec![prisma(&["20250101090000_init"])];
    loaded
}

fn environment(name: &str, source: &str, expected: &Loaded, actual: &Loaded) -> EnvironmentAudit {
    let options = DiffOptions {
        environment: name.into(),
        expected_is_static: true,
        ..Default::default()
    };
    let findings = compare(expected, actual, &options);
    EnvironmentAudit::new(name, source, actual, findings)
}

/// The shared audit.
pub fn audit() -> Audit {
    let expected = expected_schema();
    let mut staging = expected.clone();
    staging.notes.clear();
    staging.server_version = Some(PgVersion(17));
    let mut environments = vec![
        environment(
            "dev",
            "postgres://app@localhost:5432/app_dev",
            &expected,
            &dev(),
        ),
        environment(
            "prod",
            "postgres://auditor@db.internal:5432/app",
            &expected,
            &prod(),
        ),
        environment(
            "staging",
            "postgres://auditor@staging.internal:6432/app",
            &expected,
            &staging,
        ),
    ];
    // What a later stage fills in; the renderers pass it through.
    if let Some(f) = environments[1]
        .findings
        .iter_mut()
        .find(|f| f.finding.kind == FindingKind::TableMissing)
    {
        f.verify_sql =
            Some("SELECT to_regclass('public.workspace_invites') IS NOT NULL AS ok".into());
        f.fix_sql = Some("CREATE TABLE public.workspace_invites (…);".into());
    }
    Audit {
        tool_version: "0.1.0".into(),
        generated_at: "2025-01-20T12:00:00Z".into(),
        expected: ExpectedSource {
            migrations: vec![
                "20250101090000_init".into(),
                "20250116140000_add_workspace_invites".into(),
            ],
            ..ExpectedSource::new("intended/", &expected)
        },
        environments,
    }
}
