//! Unit tests of the replay, one statement kind at a time (replay → expected model).
//! Expected names were checked against PostgreSQL 13, 15 and 18; texts that `canon`
//! renders (types, defaults, expressions) are not asserted here.

use super::*;
use crate::model::{ConstraintKind, IndexExpr, Loaded, QualifiedName, Table};

fn replay(sql: &str) -> Loaded {
    let mut r = Replayer::new(&ReadOptions::default());
    r.replay_text(sql, "t.sql").unwrap();
    r.finish()
}

fn table<'a>(loaded: &'a Loaded, name: &str) -> &'a Table {
    loaded
        .schema
        .table(&QualifiedName::new("public", name))
        .unwrap_or_else(|| panic!("no table {name}: {:#?}", loaded.schema))
}

fn constraint_names(t: &Table) -> Vec<&str> {
    t.constraints.keys().map(String::as_str).collect()
}

fn index_names(t: &Table) -> Vec<&str> {
    t.indexes.keys().map(String::as_str).collect()
}

#[test]
fn serial_primary_key_gets_sequence_default_and_not_null() {
    let l = replay(
        "CREATE TABLE users (id SERIAL PRIMARY KEY, email varchar(255) UNIQUE NOT NULL, name text)",
    );
    let t = table(&l, "users");
    let id = t.column("id").unwrap();
    assert!(id.not_null);
    assert!(
        id.default
            .as_deref()
            .unwrap()
            .contains("public.users_id_seq"),
        "{id:?}"
    );
    assert_eq!(constraint_names(t), vec!["users_email_key", "users_pkey"]);
    assert!(!t.column("name").unwrap().not_null);
}

#[test]
fn implicit_constraint_names_follow_postgres() {
    let l = replay(
        "CREATE TABLE o (id int PRIMARY KEY);
         CREATE TABLE i (a int CHECK (a > 0), b int REFERENCES o, c int,
             CHECK (a > 1), CHECK (a > b), CHECK (false), UNIQUE (b, c), UNIQUE (a) INCLUDE (c),
             FOREIGN KEY (c, a) REFERENCES o (id, id));",
    );
    let t = table(&l, "i");
    assert_eq!(
        constraint_names(t),
        vec![
            "i_a_c_key",
            "i_a_check",
            "i_a_check1",
            "i_b_c_key",
            "i_b_fkey",
            "i_c_a_fkey",
            "i_check",
            "i_check1"
        ]
    );
    let ConstraintKind::ForeignKey(fk) = &t.constraints["i_b_fkey"].kind else {
        panic!()
    };
    assert_eq!(
        fk.referenced_columns,
        vec!["id"],
        "no column list: the primary key"
    );
}

#[test]
fn duplicate_unique_constraints_merge_like_transform_index_constraints() {
    // The unnamed duplicates merge into one constraint, which takes the one name given.
    let l = replay("CREATE TABLE t (id int PRIMARY KEY UNIQUE, a int UNIQUE, UNIQUE (a), CONSTRAINT named UNIQUE (a))");
    let t = table(&l, "t");
    assert_eq!(constraint_names(t), vec!["named", "t_pkey"]);
}

#[test]
fn implicit_index_names_and_collisions() {
    let l = replay(
        "CREATE TABLE t (a int, b text, c int);
         CREATE SEQUENCE t_a_idx;
         CREATE INDEX ON t (a);
         CREATE INDEX ON t (lower(b), lower(b));
         CREATE INDEX ON t ((a + c));
         CREATE UNIQUE INDEX ON t (a) INCLUDE (c);
         CREATE INDEX ON t (b);",
    );
    let t = table(&l, "t");
    assert_eq!(
        index_names(t),
        vec![
            "t_a_c_idx",
            "t_a_idx1",
            "t_b_idx",
            "t_expr_idx",
            "t_lower_lower1_idx"
        ]
    );
}

#[test]
fn long_names_are_truncated_to_63_bytes() {
    let long = "a".repeat(60);
    let l = replay(&format!(
        "CREATE TABLE {long} (x int PRIMARY KEY, y int UNIQUE)"
    ));
    let t = table(&l, &long);
    for name in constraint_names(t) {
        assert!(name.len() <= 63, "{name}");
    }
    assert!(t
        .constraints
        .contains_key(&format!("{}_pkey", "a".repeat(58))));
}

#[test]
fn renaming_a_table_keeps_its_dependent_names() {
    let l = replay(
        "CREATE TABLE accounts (id serial PRIMARY KEY);
         CREATE TABLE orders (account_id int REFERENCES accounts);
         ALTER TABLE accounts RENAME TO customers;",
    );
    let t = table(&l, "customers");
    assert_eq!(constraint_names(t), vec!["accounts_pkey"]);
    assert!(t
        .column("id")
        .unwrap()
        .default
        .as_deref()
        .unwrap()
        .contains("accounts_id_seq"));
    let o = table(&l, "orders");
    let ConstraintKind::ForeignKey(fk) = &o.constraints["orders_account_id_fkey"].kind else {
        panic!()
    };
    assert_eq!(
        fk.referenced_table,
        QualifiedName::new("public", "customers")
    );
}

#[test]
fn renaming_a_column_follows_it_into_keys_and_references() {
    let l = replay(
        "CREATE TABLE a (id int PRIMARY KEY, v int);
         CREATE INDEX a_v ON a (v) INCLUDE (id);
         CREATE TABLE b (a_id int REFERENCES a (id));
         ALTER TABLE a RENAME COLUMN id TO a_key;",
    );
    let t = table(&l, "a");
    let ConstraintKind::PrimaryKey(k) = &t.constraints["a_pkey"].kind else {
        panic!()
    };
    assert_eq!(k.columns, vec!["a_key"]);
    assert_eq!(t.indexes["a_v"].include, vec!["a_key"]);
    let ConstraintKind::ForeignKey(fk) = &table(&l, "b").constraints["b_a_id_fkey"].kind else {
        panic!()
    };
    assert_eq!(fk.referenced_columns, vec!["a_key"]);
}

#[test]
fn dropping_a_column_drops_what_uses_it() {
    let l = replay(
        "CREATE TABLE a (id int PRIMARY KEY, v int, w int, CHECK (v > w), UNIQUE (v, w));
         CREATE INDEX ON a (w);
         CREATE INDEX a_expr ON a ((v + 1));
         CREATE TABLE b (a_id int REFERENCES a);
         ALTER TABLE a DROP COLUMN v;
         ALTER TABLE a DROP COLUMN id CASCADE;",
    );
    let t = table(&l, "a");
    assert!(constraint_names(t).is_empty(), "{:?}", constraint_names(t));
    assert_eq!(index_names(t), vec!["a_w_idx"]);
    assert!(table(&l, "b").constraints.is_empty());
}

#[test]
fn alter_table_runs_in_postgres_passes() {
    // crates-io: the old primary key (on id) is dropped first, then the index becomes the
    // new primary key under the same name.
    let l = replay(
        "CREATE TABLE version_downloads (id serial PRIMARY KEY, version_id int NOT NULL, date date NOT NULL);
         ALTER TABLE version_downloads RENAME CONSTRAINT version_downloads_pkey TO version_downloads_pkey_old;
         ALTER TABLE version_downloads RENAME CONSTRAINT version_downloads_pkey_old TO version_downloads_pkey;
         CREATE UNIQUE INDEX version_downloads_unique ON version_downloads (version_id, date);
         ALTER TABLE version_downloads
           ADD CONSTRAINT version_downloads_pkey PRIMARY KEY USING INDEX version_downloads_unique,
           DROP COLUMN id;",
    );
    assert!(
        l.notes.iter().all(|n| n.kind != NoteKind::Info),
        "{:?}",
        l.notes
    );
    let t = table(&l, "version_downloads");
    assert!(t.indexes.is_empty());
    let ConstraintKind::PrimaryKey(k) = &t.constraints["version_downloads_pkey"].kind else {
        panic!()
    };
    assert_eq!(k.columns, vec!["version_id", "date"]);
    assert!(t.column("id").is_none());
}

#[test]
fn add_column_if_not_exists_skips_its_constraints_too() {
    let l = replay(
        "CREATE TABLE o (id int PRIMARY KEY);
         CREATE TABLE u (id int);
         ALTER TABLE u ADD COLUMN IF NOT EXISTS o_id int REFERENCES o (id);
         ALTER TABLE u ADD COLUMN IF NOT EXISTS o_id int REFERENCES o (id);",
    );
    assert_eq!(constraint_names(table(&l, "u")), vec!["u_o_id_fkey"]);
}

#[test]
fn identity_columns() {
    let l = replay(
        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n int NOT NULL);
         ALTER TABLE t ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY;
         CREATE SEQUENCE t_n_seq1;
         ALTER TABLE t ALTER COLUMN id DROP IDENTITY;
         CREATE TABLE t_id_seq (x int);",
    );
    let t = table(&l, "t");
    let id = t.column("id").unwrap();
    assert!(id.not_null && id.identity.is_none() && id.default.is_none());
    assert_eq!(
        t.column("n").unwrap().identity,
        Some(crate::model::Identity::Always)
    );
    assert!(
        l.notes.iter().all(|n| n.kind != NoteKind::Info),
        "the identity sequence was dropped, so t_id_seq is free: {:?}",
        l.notes
    );
}

#[test]
fn partitions_get_cloned_keys_and_indexes() {
    let l = replay(
        "CREATE TABLE r (id int PRIMARY KEY);
         CREATE TABLE p (a int, b text, c int, PRIMARY KEY (a, c), UNIQUE (b, c), CHECK (a > 0)) PARTITION BY RANGE (c);
         CREATE INDEX ON p (lower(b));
         CREATE INDEX ON p ((a + 1));
         CREATE INDEX ON p (b);
         CREATE INDEX ON p (b);
         ALTER TABLE p ADD FOREIGN KEY (a) REFERENCES r (id);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE TABLE p2 (a int NOT NULL, b text, c int NOT NULL, CONSTRAINT p_a_check CHECK (a > 0),
             CONSTRAINT p_a_fkey FOREIGN KEY (a) REFERENCES r (id) ON DELETE CASCADE,
             CONSTRAINT p2_fk2 FOREIGN KEY (a) REFERENCES r (id));
         CREATE UNIQUE INDEX p2_uq ON p2 (b, c);
         CREATE INDEX p2_b_own ON p2 (b);
         CREATE INDEX p2_lower_idx ON p2 (b);
         CREATE INDEX p2_x ON p2 (lower(b));
         ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (10) TO (20);",
    );
    let p = table(&l, "p");
    assert_eq!(p.partitions.len(), 2);
    let p1 = &p.partitions[&QualifiedName::new("public", "p1")].table;
    assert_eq!(
        index_names(p1),
        vec!["p1_b_idx", "p1_b_idx1", "p1_expr_idx", "p1_lower_idx"]
    );
    assert_eq!(
        constraint_names(p1),
        vec!["p1_b_c_key", "p1_pkey", "p_a_check", "p_a_fkey"]
    );
    assert!(p1.constraints.values().all(|c| c.inherited));
    assert!(p1.indexes.values().all(|i| i.inherited));
    let p2 = &p.partitions[&QualifiedName::new("public", "p2")].table;
    let inherited: Vec<&str> = p2
        .indexes
        .iter()
        .filter(|(_, i)| i.inherited)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        inherited,
        vec!["p2_b_own", "p2_expr_idx", "p2_lower_idx", "p2_x"]
    );
    assert!(!p2.indexes["p2_uq"].inherited);
    let inherited: Vec<&str> = p2
        .constraints
        .iter()
        .filter(|(_, c)| c.inherited)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        inherited,
        vec!["p2_b_c_key", "p2_fk2", "p2_pkey", "p_a_check"]
    );
    assert!(!p2.constraints["p_a_fkey"].inherited);
}

#[test]
fn pagila_style_attach_creates_partition_primary_keys() {
    let l = replay(
        "SELECT pg_catalog.set_config('search_path', '', false);
         CREATE TABLE public.payment (payment_id integer NOT NULL, payment_date timestamp with time zone NOT NULL,
             PRIMARY KEY (payment_date, payment_id)) PARTITION BY RANGE (payment_date);
         CREATE TABLE public.payment_p2022_01 (payment_id integer NOT NULL, payment_date timestamp with time zone NOT NULL);
         ALTER TABLE ONLY public.payment ATTACH PARTITION public.payment_p2022_01
             FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
         CREATE INDEX payment_p2022_01_customer_id_idx ON public.payment_p2022_01 USING btree (payment_id);",
    );
    let p = table(&l, "payment");
    let part = &p.partitions[&QualifiedName::new("public", "payment_p2022_01")];
    assert!(part.table.constraints["payment_p2022_01_pkey"].inherited);
    assert!(part.bound.contains("2022-01-01"));
    assert!(l
        .schema
        .table(&QualifiedName::new("public", "payment_p2022_01"))
        .is_none());
}

#[test]
fn enums_keep_label_order() {
    let l = replay(
        "CREATE TYPE \"Status\" AS ENUM ('b', 'd');
         ALTER TYPE \"Status\" ADD VALUE 'a' BEFORE 'b';
         ALTER TYPE \"Status\" ADD VALUE 'c' AFTER 'b';
         ALTER TYPE \"Status\" ADD VALUE IF NOT EXISTS 'c';
         ALTER TYPE \"Status\" ADD VALUE 'e';
         ALTER TYPE \"Status\" RENAME VALUE 'e' TO 'E';",
    );
    let e = l
        .schema
        .enum_type(&QualifiedName::new("public", "Status"))
        .unwrap();
    assert_eq!(e.labels, vec!["a", "b", "c", "d", "E"]);
}

#[test]
fn search_path_decides_where_objects_go() {
    let l = replay(
        "CREATE SCHEMA app;
         SET search_path TO app, public;
         CREATE TABLE t (id int);
         SELECT pg_catalog.set_config('search_path', '', false);
         CREATE TABLE public.u (id int);
         CREATE TABLE v (id int);",
    );
    assert!(l.schema.table(&QualifiedName::new("app", "t")).is_some());
    assert!(l.schema.table(&QualifiedName::new("public", "u")).is_some());
    let note = l
        .notes
        .iter()
        .find(|n| n.message.contains("CREATE TABLE v"))
        .unwrap();
    assert_eq!(note.kind, NoteKind::Info);
    assert!(
        note.message.contains("no schema has been selected"),
        "{}",
        note.message
    );
}

#[test]
fn if_not_exists_is_a_no_op_on_existing_tables() {
    let l = replay(
        "CREATE TABLE t (id int);
         CREATE TABLE IF NOT EXISTS t (id int, other int);
         CREATE INDEX IF NOT EXISTS t_i ON t (id);
         CREATE INDEX IF NOT EXISTS t_i ON t (id);",
    );
    let t = table(&l, "t");
    assert_eq!(t.columns.len(), 1);
    assert_eq!(index_names(t), vec!["t_i"]);
    assert!(l.notes[0]
        .message
        .ends_with("skipped: public.t already exists (IF NOT EXISTS); the existing table lacks column(s) other written here, which are not added"), "{}", l.notes[0].message);
}

#[test]
fn rollback_undoes_the_transaction() {
    let l = replay(
        "CREATE TABLE kept (id int);
         BEGIN;
         CREATE TABLE gone (id int);
         ROLLBACK;
         BEGIN; CREATE TABLE also_kept (id int); COMMIT;",
    );
    assert!(l
        .schema
        .table(&QualifiedName::new("public", "gone"))
        .is_none());
    assert!(l
        .schema
        .table(&QualifiedName::new("public", "also_kept"))
        .is_some());
    assert!(l.notes.iter().any(|n| n
        .message
        .contains("undoes everything since BEGIN at t.sql:2")));
}

#[test]
fn notes_are_located_and_say_what_may_change() {
    let l = replay(
        "CREATE TABLE users (id int);\n\
         DO $$ BEGIN IF flag() THEN ALTER TABLE users ALTER COLUMN id TYPE bigint; END IF; END $$;\n\
         ALTER TABLE users FROBNICATE;\n\
         GRANT SELECT ON users TO bob;",
    );
    let messages: Vec<String> = l
        .notes
        .iter()
        .map(|n| {
            format!(
                "{:?} {}: {}",
                n.kind,
                n.location.as_ref().unwrap(),
                n.message
            )
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            "NotModelled t.sql:2: DO $$ … not modelled: its `IF flag()` (line 2) cannot be evaluated statically; the body may run ALTER TABLE users ALTER COLUMN id TYPE bigint",
            "Unparsed t.sql:3: ALTER TABLE users FROBNICATE … could not be parsed (Expected: ADD, RENAME, PARTITION, SWAP, DROP, REPLICA IDENTITY, SET, or SET TBLPROPERTIES after ALTER TABLE, found: FROBNICATE at Line: 1, Column: 19); may change public.users",
            "NotModelled t.sql:4: GRANT SELECT ON users TO bob … not modelled (privileges)",
        ]
    );
}

#[test]
fn drop_table_takes_referencing_foreign_keys_with_cascade() {
    let l = replay(
        "CREATE TABLE a (id int PRIMARY KEY);
         CREATE TABLE b (a_id int REFERENCES a);
         DROP TABLE a CASCADE;",
    );
    assert!(l.schema.table(&QualifiedName::new("public", "a")).is_none());
    assert!(table(&l, "b").constraints.is_empty());
}

#[test]
fn expression_index_keys_are_expressions() {
    let l =
        replay("CREATE TABLE t (a text); CREATE INDEX t_l ON t (lower(a) DESC NULLS LAST, ((a)))");
    let keys = &table(&l, "t").indexes["t_l"].keys;
    assert!(matches!(keys[0].expr, IndexExpr::Expression(_)));
    assert!(keys[0].descending && !keys[0].nulls_first);
    assert_eq!(keys[1].expr, IndexExpr::Column("a".into()));
}

#[test]
fn stats_count_every_statement() {
    let mut r = Replayer::new(&ReadOptions::default());
    r.replay_text(
        "CREATE TABLE t (id int); COMMENT ON TABLE t IS 'x'; ALTER TABLE t FROB; ALTER TABLE nope ADD x int;",
        "t.sql",
    )
    .unwrap();
    let s = r.stats();
    assert_eq!(
        (s.statements, s.applied, s.noted, s.unparsed, s.rejected),
        (4, 1, 1, 1, 1)
    );
}

#[test]
fn a_table_with_an_unreadable_column_keeps_the_others() {
    let l =
        replay("CREATE TABLE t (a int PRIMARY KEY, b int FROBNICATED BY magic, c text NOT NULL)");
    let t = table(&l, "t");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["a", "c"]);
    assert_eq!(constraint_names(t), vec!["t_pkey"]);
    let note = &l.notes[0];
    assert_eq!(note.kind, NoteKind::Unparsed);
    assert!(
        note.message.contains("`b int FROBNICATED BY magic`"),
        "{}",
        note.message
    );
    let l = replay("CREATE TABLE t OF some_type (a WITH OPTIONS NOT NULL)");
    assert!(l.schema.table(&QualifiedName::new("public", "t")).is_none());
    assert_eq!(l.notes[0].kind, NoteKind::Unparsed);
}

#[test]
fn an_alter_table_with_an_unreadable_action_applies_the_others() {
    let l = replay(
        "CREATE TABLE t (a int);
         ALTER TABLE t ADD COLUMN x int, FROBNICATE y, ADD COLUMN z int NOT NULL;",
    );
    let names: Vec<&str> = table(&l, "t")
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, vec!["a", "x", "z"]);
    let note = &l.notes[0];
    assert_eq!(note.kind, NoteKind::Unparsed);
    assert!(
        note.message.contains("`FROBNICATE y`") && note.message.contains("may change public.t"),
        "{}",
        note.message
    );
}

#[test]
fn overlays_add_and_replace_tables_and_survive_later_statements() {
    use crate::model::{Column, Constraint, EnumType, KeyConstraint, Partition, Schema};
    let mut r = Replayer::new(&ReadOptions::default());
    r.replay_text(
        "CREATE TABLE users (id int PRIMARY KEY, old text); CREATE TABLE other (id int);",
        "t.sql",
    )
    .unwrap();
    let mut schema = Schema::default();
    let ns = schema.namespace_mut("public");
    let mut users = Table::default();
    users.columns.push(Column::new("id", "integer"));
    users.columns.push(Column::new("email", "text"));
    users.constraints.insert(
        "users_pkey".into(),
        Constraint::new(ConstraintKind::PrimaryKey(KeyConstraint {
            columns: vec!["id".into()],
            ..KeyConstraint::default()
        })),
    );
    let mut parent = Table::default();
    parent.columns.push(Column::new("d", "date"));
    parent.partition_by = Some("RANGE (d)".into());
    parent.partitions.insert(
        QualifiedName::new("public", "log_2024"),
        Partition {
            bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".into(),
            table: Table {
                columns: vec![Column::new("d", "date")],
                ..Table::default()
            },
        },
    );
    ns.tables.insert("users".into(), users);
    ns.tables.insert("log".into(), parent);
    ns.enums.insert(
        "mood".into(),
        EnumType {
            labels: vec!["ok".into()],
        },
    );
    r.overlay(schema);
    r.replay_text(
        "CREATE INDEX ON users (email); ALTER TABLE log ADD COLUMN n int; ALTER TYPE mood ADD VALUE 'meh';
         CREATE TABLE log_2025 PARTITION OF log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        "u.sql",
    )
    .unwrap();
    let l = r.finish();
    assert!(
        l.notes.iter().all(|n| n.kind != NoteKind::Info),
        "{:?}",
        l.notes
    );
    let users = table(&l, "users");
    assert!(users.column("old").is_none());
    assert_eq!(index_names(users), vec!["users_email_idx"]);
    let log = table(&l, "log");
    let part = &log.partitions[&QualifiedName::new("public", "log_2024")];
    assert!(
        part.table.column("n").is_some(),
        "ADD COLUMN recurses into overlaid partitions"
    );
    assert!(table(&l, "other").columns.len() == 1);
    let mood = l
        .schema
        .enum_type(&QualifiedName::new("public", "mood"))
        .unwrap();
    assert_eq!(mood.labels, vec!["ok", "meh"]);
}

#[test]
fn dollar_user_is_the_role_set_when_its_schema_exists() {
    let l = replay(
        "CREATE SCHEMA app;
         CREATE TABLE a (id int);
         SET ROLE app;
         CREATE TABLE b (id int);
         RESET ROLE;
         CREATE TABLE c (id int);",
    );
    assert!(l.schema.table(&QualifiedName::new("public", "a")).is_some());
    assert!(l.schema.table(&QualifiedName::new("app", "b")).is_some());
    assert!(l.schema.table(&QualifiedName::new("public", "c")).is_some());
}

#[test]
fn renames_reach_types_and_expressions() {
    let l = replay(
        "CREATE TYPE mood AS ENUM ('ok');
         CREATE TABLE p (m mood DEFAULT 'ok'::mood, n int CHECK (n > 0), s serial);
         CREATE INDEX p_n ON p ((n + 1)) WHERE n > 5;
         ALTER TYPE mood RENAME TO feeling;
         ALTER TABLE p RENAME COLUMN n TO amount;
         ALTER SEQUENCE p_s_seq RENAME TO p_serial;",
    );
    let t = table(&l, "p");
    let m = t.column("m").unwrap();
    assert!(
        m.data_type.contains("feeling") && !m.data_type.contains("mood"),
        "{m:?}"
    );
    assert!(m.default.as_deref().unwrap().contains("feeling"), "{m:?}");
    let ConstraintKind::Check(check) = &t.constraints["p_n_check"].kind else {
        panic!()
    };
    assert!(check.expression.contains("amount"), "{check:?}");
    let index = &t.indexes["p_n"];
    assert!(index.predicate.as_deref().unwrap().contains("amount"));
    assert!(matches!(&index.keys[0].expr, IndexExpr::Expression(e) if e.contains("amount")));
    assert!(t
        .column("s")
        .unwrap()
        .default
        .as_deref()
        .unwrap()
        .contains("public.p_serial"));
}
