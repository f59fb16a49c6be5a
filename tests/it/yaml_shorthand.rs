//! Every shorthand form (src/yaml/tests/all_forms.yaml), run on a real server: each table
//! ends up with exactly the columns, constraints and indexes the document means, with the
//! names PostgreSQL chooses for those it leaves unnamed.

use std::collections::BTreeSet;

use crate::harness::fresh_db;
use crate::yaml_support::{table_rows_in, yaml_text_sql};

const ALL_FORMS: &str = include_str!("../../src/yaml/tests/all_forms.yaml");

fn set(rows: &[&str]) -> BTreeSet<String> {
    rows.iter().map(|r| r.to_string()).collect()
}

#[test]
fn every_shorthand_form_means_what_the_same_sql_means() {
    let db = fresh_db("yaml_all_forms");
    db.exec(&yaml_text_sql(ALL_FORMS, "all_forms.yaml"));

    assert_eq!(
        table_rows_in(&db, "public", "invitations"),
        set(&[
            "column 1 id bigint NOT NULL IDENTITY a",
            "column 2 status public.\"InviteStatus\" DEFAULT 'PENDING'::public.\"InviteStatus\"",
            "column 3 history public.\"InviteStatus\"[]",
            "column 4 email character varying(255) NOT NULL COLLATE \"C\"",
            "column 5 workspaceId uuid",
            "column 6 parent_id bigint",
            "column 7 total numeric DEFAULT (price * (2)::numeric) GENERATED s",
            "column 8 price numeric",
            "column 9 created_at timestamp with time zone NOT NULL DEFAULT now()",
            "constraint invitations_email_key UNIQUE (email)",
            "constraint invitations_email_workspaceId_key UNIQUE (email, \"workspaceId\")",
            "constraint invitations_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.invitations(id)",
            "constraint invitations_pkey PRIMARY KEY (id)",
            "constraint invitations_price_check CHECK ((price >= (0)::numeric))",
            "constraint invitations_total_check CHECK ((total < (1000000)::numeric))",
            "constraint invitations_workspaceId_fkey FOREIGN KEY (\"workspaceId\") REFERENCES public.workspaces(id) ON DELETE CASCADE",
            "constraint price_sane CHECK ((price < '1000000000'::numeric)) NOT VALID",
            "index CREATE INDEX invitations_created ON public.invitations USING btree (created_at DESC)",
            "index CREATE INDEX invitations_hist ON public.invitations USING gin (history) WITH (fastupdate=off)",
            "index CREATE INDEX invitations_status_idx ON public.invitations USING btree (status)",
            "index CREATE INDEX invitations_ws_created ON public.invitations USING btree (\"workspaceId\", created_at DESC NULLS LAST) INCLUDE (email)",
            "index CREATE UNIQUE INDEX invitations_email_lower ON public.invitations USING btree (lower((email)::text)) WHERE (status = 'PENDING'::public.\"InviteStatus\")",
        ])
    );
    assert_eq!(
        table_rows_in(&db, "public", "workspaces"),
        set(&[
            "column 1 id uuid NOT NULL DEFAULT gen_random_uuid()",
            "column 2 slug text NOT NULL",
            "constraint workspaces_pkey PRIMARY KEY (id)",
            "constraint workspaces_slug_key UNIQUE (slug) DEFERRABLE",
        ])
    );
    assert_eq!(
        table_rows_in(&db, "billing", "accounts"),
        set(&[
            "column 1 tenant integer NOT NULL",
            "column 2 number integer NOT NULL",
            "column 3 workspace_id uuid",
            "constraint accounts_pk PRIMARY KEY (tenant, number)",
            "constraint accounts_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE SET NULL NOT VALID",
        ])
    );
    let key_columns = [
        "column 1 tenant integer NOT NULL",
        "column 2 number integer NOT NULL",
    ];
    let mut line_items = set(&key_columns);
    line_items.extend(set(&[
        "column 3 at date NOT NULL",
        "constraint line_items_pkey PRIMARY KEY (tenant, number, at)",
        "index CREATE INDEX line_items_at_idx ON ONLY billing.line_items USING btree (at)",
    ]));
    assert_eq!(table_rows_in(&db, "billing", "line_items"), line_items);
    let mut p2024 = set(&key_columns);
    p2024.extend(set(&[
        "column 3 at date NOT NULL",
        "constraint line_items_2024_pkey PRIMARY KEY (tenant, number, at)",
        "index CREATE INDEX line_items_2024_at_idx ON archive.line_items_2024 USING btree (at)",
    ]));
    assert_eq!(table_rows_in(&db, "archive", "line_items_2024"), p2024);
    let mut rest = set(&key_columns);
    rest.extend(set(&[
        "column 3 at date NOT NULL DEFAULT CURRENT_DATE",
        "constraint line_items_rest_pkey PRIMARY KEY (tenant, number, at)",
        "index CREATE INDEX line_items_rest_at_idx ON billing.line_items_rest USING btree (at)",
        "index CREATE INDEX line_items_rest_number ON billing.line_items_rest USING btree (number)",
    ]));
    assert_eq!(table_rows_in(&db, "billing", "line_items_rest"), rest);

    let labels = db.exec(
        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum \
         WHERE enumtypid = 'public.\"InviteStatus\"'::regtype",
    );
    assert_eq!(labels, "PENDING,ACCEPTED,it's");
    let bounds = db.exec(
        "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relispartition ORDER BY 1",
    );
    assert_eq!(
        bounds,
        "line_items_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\nline_items_rest DEFAULT"
    );
}

#[test]
fn forms_of_newer_servers_mean_what_their_sql_means() {
    let major = crate::harness::server().major();
    if major < 15 {
        return; // NULLS NOT DISTINCT and ON DELETE SET NULL (cols) arrived in PostgreSQL 15.
    }
    let mut text = String::from(
        "tables:
  parents:
    columns:
      - {name: id, type: integer, primary_key: true}
  children:
    columns:
      - {name: id, type: integer}
      - {name: parent_id, type: integer}
      - {name: code, type: text}
    unique:
      - {columns: [code], nulls_not_distinct: true}
    foreign_keys:
      - {columns: [parent_id], references: {table: parents}, on_delete: set null, on_delete_set: [parent_id]}
    indexes:
      - {columns: [parent_id, code], unique: true, nulls_not_distinct: true}
",
    );
    if major >= 18 {
        text.push_str(
            "  shapes:
    columns:
      - {name: w, type: integer}
      - {name: area, type: integer, generated: {expression: w * w, stored: false}}
",
        );
    }
    let db = fresh_db("yaml_newer_forms");
    db.exec(&yaml_text_sql(&text, "newer.yaml"));
    let children = table_rows_in(&db, "public", "children");
    for expected in [
        "constraint children_code_key UNIQUE NULLS NOT DISTINCT (code)",
        "constraint children_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.parents(id) ON DELETE SET NULL (parent_id)",
        "index CREATE UNIQUE INDEX children_parent_id_code_idx ON public.children USING btree (parent_id, code) NULLS NOT DISTINCT",
    ] {
        assert!(children.contains(expected), "missing {expected:?} in {children:#?}");
    }
    if major >= 18 {
        assert!(table_rows_in(&db, "public", "shapes")
            .contains("column 2 area integer DEFAULT (w * w) GENERATED v"));
    }
}
