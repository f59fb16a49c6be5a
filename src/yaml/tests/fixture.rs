//! A hand-built model that sets every field the model has, with awkward names, for the
//! round-trip tests.

use crate::model::{
    Check, Column, Constraint, ConstraintKind, EnumType, Exclusion, FkAction, ForeignKey,
    Generated, Identity, Index, IndexExpr, IndexKey, KeyConstraint, Loaded, Location, MatchType,
    Namespace, Note, NoteKind, Partition, PgVersion, QualifiedName, RecordedMigrations, Table,
};

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, ty)
}

fn not_null(mut c: Column) -> Column {
    c.not_null = true;
    c
}

fn users() -> Table {
    let mut t = Table::default();
    let mut id = not_null(col("id", "integer"));
    id.default = Some("nextval('public.users_id_seq'::regclass)".into());
    let mut email = not_null(col("email", "character varying(255)"));
    email.collation = Some("\"C\"".into());
    let mut status = col("status", "public.\"InviteStatus\"");
    status.default = Some("'PENDING'::public.\"InviteStatus\"".into());
    let mut total = col("total", "numeric(10,2)");
    total.generated = Some(Generated {
        expression: "(price * (qty)::numeric)".into(),
        stored: true,
    });
    let mut virt = col("virt", "integer");
    virt.generated = Some(Generated {
        expression: "(qty + 1)".into(),
        stored: false,
    });
    let mut ident_always = not_null(col("seq_always", "bigint"));
    ident_always.identity = Some(Identity::Always);
    let mut ident_default = not_null(col("seq_default", "smallint"));
    ident_default.identity = Some(Identity::ByDefault);
    let mut quoted = col("workspaceId", "uuid");
    quoted.default = Some("public.uuid_generate_v4()".into());
    t.columns = vec![
        id,
        email,
        quoted,
        status,
        col("price", "numeric"),
        col("qty", "integer"),
        total,
        virt,
        ident_always,
        ident_default,
        col("tags", "text[]"),
        col("during", "tstzrange"),
        col("org_id", "integer"),
        col("user", "text"),
        col("a: b # c", "text"),
        col("null", "boolean"),
        col("5", "integer"),
    ];
    t.constraints.insert(
        "users_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
            columns: vec!["id".into()],
            include: vec![],
            nulls_not_distinct: false,
        })),
    );
    t.constraints.insert(
        "users_email_key".into(),
        Constraint::new(ConstraintKind::Unique(KeyConstraint {
            columns: vec!["email".into(), "workspaceId".into()],
            include: vec!["tags".into()],
            nulls_not_distinct: true,
        })),
    );
    let mut fk = Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
        columns: vec!["org_id".into(), "workspaceId".into()],
        referenced_table: QualifiedName::new("Billing", "Orgs"),
        referenced_columns: vec!["id".into(), "workspace".into()],
        on_update: FkAction::Cascade,
        on_delete: FkAction::SetNull,
        on_delete_set_columns: vec!["org_id".into()],
        match_type: MatchType::Full,
    }));
    fk.deferrable = true;
    fk.initially_deferred = true;
    fk.validated = false;
    t.constraints.insert("users_org_fkey".into(), fk);
    let fk2 = Constraint::new(ConstraintKind::ForeignKey(ForeignKey {
        columns: vec!["qty".into()],
        referenced_table: QualifiedName::new("my.schema", "t\"q"),
        referenced_columns: vec!["n".into()],
        on_update: FkAction::Restrict,
        on_delete: FkAction::SetDefault,
        on_delete_set_columns: vec![],
        match_type: MatchType::Partial,
    }));
    t.constraints.insert("Users Qty FK".into(), fk2);
    t.constraints.insert(
        "users_price_check".into(),
        Constraint::new(ConstraintKind::Check(Check {
            expression: "(price > (0)::numeric)".into(),
            no_inherit: true,
        })),
    );
    let mut ex = Constraint::new(ConstraintKind::Exclusion(Exclusion {
        definition: "USING gist (qty WITH =, during WITH &&) WHERE ((qty > 0))".into(),
    }));
    ex.deferrable = true;
    t.constraints.insert("users_during_excl".into(), ex);

    t.indexes.insert("users_lower_email_idx".into(), {
        let mut i = Index::on_columns(["email"]);
        i.keys.push(IndexKey {
            expr: IndexExpr::Expression("lower((email)::text)".into()),
            collation: Some("\"C\"".into()),
            opclass: Some("text_pattern_ops".into()),
            descending: true,
            nulls_first: false,
        });
        i.keys.push(IndexKey {
            expr: IndexExpr::Column("qty".into()),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: true,
        });
        i.keys.push(IndexKey {
            expr: IndexExpr::Column("price".into()),
            collation: None,
            opclass: None,
            descending: true,
            nulls_first: true,
        });
        i.unique = true;
        i.include = vec!["tags".into()];
        i.predicate = Some("(status <> 'ACCEPTED'::public.\"InviteStatus\")".into());
        i.nulls_not_distinct = true;
        i.storage_parameters = vec!["fillfactor='70'".into(), "deduplicate_items=off".into()];
        i
    });
    t.indexes.insert("users_tags_idx".into(), {
        let mut i = Index::on_columns(["tags"]);
        i.method = "gin".into();
        i
    });
    t.indexes.insert(
        "users_workspace_idx".into(),
        Index::on_columns(["workspaceId", "user"]),
    );
    t
}

fn events() -> Table {
    let mut parent = Table {
        columns: vec![
            not_null(col("id", "bigint")),
            not_null(col("created_at", "timestamp with time zone")),
            col("kind", "text"),
        ],
        partition_by: Some("RANGE (created_at)".into()),
        ..Table::default()
    };
    parent.constraints.insert(
        "events_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
            columns: vec!["id".into(), "created_at".into()],
            include: vec![],
            nulls_not_distinct: false,
        })),
    );
    parent
        .indexes
        .insert("events_kind_idx".into(), Index::on_columns(["kind"]));

    let mut p2024 = Table {
        columns: parent.columns.clone(),
        ..Table::default()
    };
    let mut inherited_pk = parent.constraints["events_pkey"].clone();
    inherited_pk.inherited = true;
    p2024
        .constraints
        .insert("events_2024_pkey".into(), inherited_pk);
    let mut inherited_idx = Index::on_columns(["kind"]);
    inherited_idx.inherited = true;
    p2024
        .indexes
        .insert("events_2024_kind_idx".into(), inherited_idx);
    p2024
        .indexes
        .insert("events_2024_local".into(), Index::on_columns(["id"]));

    let mut p2025 = Table {
        columns: parent.columns.clone(),
        partition_by: Some("LIST (kind)".into()),
        ..Table::default()
    };
    p2025.partitions.insert(
        QualifiedName::new("public", "events_2025_a"),
        Partition {
            bound: "FOR VALUES IN ('a')".into(),
            table: Table {
                columns: parent.columns.clone(),
                ..Table::default()
            },
        },
    );
    parent.partitions.insert(
        QualifiedName::new("public", "events_2024"),
        Partition {
            bound: "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')"
                .into(),
            table: p2024,
        },
    );
    parent.partitions.insert(
        QualifiedName::new("archive", "events_2025"),
        Partition {
            bound: "FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')"
                .into(),
            table: p2025,
        },
    );
    parent.partitions.insert(
        QualifiedName::new("public", "events_default"),
        Partition {
            bound: "DEFAULT".into(),
            table: Table {
                columns: parent.columns.clone(),
                ..Table::default()
            },
        },
    );
    parent
}

/// A model with every field set, quoted and unusual names, several schemas, partitions.
pub(crate) fn rich_model() -> Loaded {
    let mut loaded = Loaded {
        server_version: Some(PgVersion(15)),
        ..Loaded::default()
    };
    let public = loaded.schema.namespace_mut("public");
    public.enums.insert(
        "InviteStatus".into(),
        EnumType {
            labels: vec!["PENDING".into(), "ACCEPTED".into()],
        },
    );
    public.enums.insert(
        "odd labels".into(),
        EnumType {
            labels: vec![
                "yes".into(),
                "null".into(),
                "".into(),
                "it's".into(),
                "a, b".into(),
                " padded ".into(),
                "日本".into(),
            ],
        },
    );
    public.enums.insert("empty".into(), EnumType::default());
    public.tables.insert("users".into(), users());
    public.tables.insert("events".into(), events());
    public.tables.insert("no_columns".into(), Table::default());
    loaded.schema.namespace_mut("Billing").tables.insert(
        "Orgs".into(),
        Table {
            columns: vec![not_null(col("id", "integer")), col("workspace", "uuid")],
            ..Table::default()
        },
    );
    loaded.schema.namespaces.insert(
        "my.schema".into(),
        Namespace {
            tables: [(
                "t\"q".to_string(),
                Table {
                    columns: vec![col("n", "integer")],
                    ..Table::default()
                },
            )]
            .into(),
            enums: Default::default(),
        },
    );
    loaded.schema.namespace_mut("empty_schema");
    loaded.notes = vec![
        Note {
            kind: NoteKind::NotModelled,
            location: Some(Location {
                file: "migrations/002_x.sql".into(),
                line: 12,
            }),
            message: "UPDATE … FROM … is data, not schema".into(),
            object: None,
        },
        Note {
            kind: NoteKind::Invisible,
            location: None,
            message: "table secret.keys: no privilege".into(),
            object: Some(QualifiedName::new("secret", "Keys")),
        },
        Note {
            kind: NoteKind::Unparsed,
            location: Some(Location {
                file: "a: b.sql".into(),
                line: 1,
            }),
            message: "syntax error at \"FOO\"".into(),
            object: None,
        },
        Note {
            kind: NoteKind::Info,
            location: None,
            message: "multi\nline".into(),
            object: None,
        },
    ];
    loaded.recorded_migrations = vec![RecordedMigrations {
        table: QualifiedName::new("public", "_prisma_migrations"),
        tool: "prisma".into(),
        applied: vec!["20240101_init".into(), "20240202_users".into()],
    }];
    loaded
}
