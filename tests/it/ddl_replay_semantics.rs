//! Replay semantics checked against the server: each snippet is loaded with psql into a
//! fresh database and replayed statically, and the two listings must agree (structure;
//! canonical text too when the agreement switch is on). The snippets exercise PostgreSQL's
//! implicit naming and collision rules, renames, drops and cascades, `ALTER TABLE` passes,
//! identity and serial columns, partitions, schemas and the search path, transactions.

use pgdrift::ddl::{ReadOptions, Replayer};
use pgdrift::model::{Loaded, NoteKind, PgVersion};

use crate::agreement_listing::{assert_agree, compare_text, from_model, live};
use crate::harness::{fresh_db, server};

/// Replay `sql` statically (no server) with the test server's version.
pub(crate) fn replay(sql: &str) -> Loaded {
    let version = PgVersion(server().major());
    let mut replayer = Replayer::new(&ReadOptions { version });
    replayer.replay_text(sql, "snippet.sql").unwrap();
    replayer.finish()
}

/// Load `sql` with psql (statement by statement, autocommit) and replay it statically; the
/// listings must agree, and no statement may be left unparsed, unapplied or (a DO block)
/// unmodelled. Returns the static reading.
pub(crate) fn agree(label: &str, sql: &str) -> Loaded {
    let db = fresh_db(label);
    let path = std::env::temp_dir().join(format!(
        "pgdrift-{}-{}-{label}.sql",
        std::process::id(),
        db.name
    ));
    std::fs::write(&path, sql).unwrap();
    db.load_file(&path);
    let _ = std::fs::remove_file(&path);
    let version = PgVersion(server().major());
    let loaded = replay(sql);
    for note in &loaded.notes {
        assert!(
            note.kind != NoteKind::Unparsed
                && !note.message.contains("not applied")
                && !(note.kind == NoteKind::NotModelled && note.message.starts_with("DO")),
            "{label}: {} {}",
            note.location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default(),
            note.message
        );
    }
    let text = compare_text();
    assert_agree(
        label,
        &live(&db, text),
        &from_model(&loaded, version, text),
        text,
        "",
    );
    loaded
}

#[test]
fn renames_keep_dependent_names() {
    agree(
        "renames",
        "CREATE TABLE accounts (id serial PRIMARY KEY, email text UNIQUE, score int CHECK (score > 0));
         CREATE INDEX accounts_lower ON accounts (lower(email)) WHERE score > 10;
         CREATE TABLE orders (id serial PRIMARY KEY, account_id int REFERENCES accounts);
         ALTER TABLE accounts RENAME TO customers;
         ALTER TABLE customers RENAME COLUMN email TO mail;
         ALTER TABLE customers RENAME COLUMN id TO customer_id;
         ALTER TABLE customers RENAME CONSTRAINT accounts_pkey TO customers_pkey;
         ALTER INDEX accounts_email_key RENAME TO customers_mail_key;
         ALTER TABLE customers RENAME CONSTRAINT accounts_score_check TO positive_score;
         ALTER TABLE orders RENAME account_id TO customer_id;
         CREATE TABLE accounts (id serial PRIMARY KEY);",
    );
}

#[test]
fn drops_take_what_depends_on_them() {
    agree(
        "drops",
        "CREATE TABLE a (id int PRIMARY KEY, v int, w int, x int, CHECK (v > w), UNIQUE (v, w));
         CREATE INDEX ON a (w);
         CREATE INDEX a_expr ON a ((v + 1));
         CREATE INDEX a_partial ON a (x) WHERE v > 0;
         CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, self_id int REFERENCES b);
         CREATE TABLE c (b_id int REFERENCES b, a_id int REFERENCES a);
         ALTER TABLE a DROP COLUMN v;
         ALTER TABLE a DROP CONSTRAINT a_pkey CASCADE;
         DROP TABLE b CASCADE;
         ALTER TABLE c DROP COLUMN IF EXISTS nope;
         DROP INDEX IF EXISTS nope;",
    );
}

#[test]
fn alter_table_passes_and_using_index() {
    agree(
        "passes",
        "CREATE TABLE v (id serial PRIMARY KEY, version_id int NOT NULL, date date NOT NULL);
         CREATE UNIQUE INDEX v_unique ON v (version_id, date);
         ALTER TABLE v ADD CONSTRAINT v_pkey PRIMARY KEY USING INDEX v_unique, DROP COLUMN id;
         CREATE TABLE w (a int NOT NULL, b int);
         CREATE UNIQUE INDEX w_a ON w (a);
         ALTER TABLE w ADD CONSTRAINT w_key UNIQUE USING INDEX w_a;
         CREATE TABLE r (id int PRIMARY KEY);
         ALTER TABLE w ADD COLUMN c int UNIQUE CHECK (c > 0) REFERENCES r, ADD COLUMN d date;
         ALTER TABLE w DROP COLUMN c, ADD COLUMN c int PRIMARY KEY, ADD CHECK (b > 0), ADD UNIQUE (b);",
    );
}

#[test]
fn implicit_names_collide_like_postgres() {
    agree(
        "collisions",
        "CREATE SEQUENCE t_id_seq;
         CREATE TABLE t_a_key (x int);
         CREATE TABLE other (x int, CONSTRAINT t_b_key CHECK (x > 0), CONSTRAINT t_c_check CHECK (x > 1));
         CREATE TABLE t (id serial, n int GENERATED ALWAYS AS IDENTITY, a int UNIQUE, b int UNIQUE,
             c int CHECK (c > 0), d int);
         CREATE TABLE ref (id int PRIMARY KEY);
         CREATE INDEX t_d_fkey ON t (d);
         ALTER TABLE t ADD FOREIGN KEY (d) REFERENCES ref;
         ALTER TABLE t ADD CONSTRAINT t_e_fkey CHECK (d > 0);
         ALTER TABLE t ADD COLUMN e int REFERENCES ref;",
    );
}

#[test]
fn identity_and_serial_sequences() {
    agree(
        "identity",
        "CREATE TABLE t_id_seq (x int);
         CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n int NOT NULL, s bigserial, m smallserial);
         ALTER TABLE t ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY;
         ALTER TABLE t ALTER COLUMN n SET GENERATED BY DEFAULT;
         ALTER TABLE t ALTER COLUMN id DROP IDENTITY;
         CREATE TABLE u (id serial);",
    );
}

#[test]
fn quoted_and_long_names() {
    let long = "a_table_name_that_is_long_enough_to_be_truncated_by_postgres_xx";
    agree(
        "quoted",
        &format!(
            "CREATE TABLE \"Users\" (\"Id\" serial PRIMARY KEY, \"Email\" text UNIQUE, \"order\" int);
             CREATE INDEX ON \"Users\" (\"order\");
             CREATE TABLE {long} (some_column_with_a_long_name_too serial PRIMARY KEY,
                 another_long_column_name_for_the_unique_key int UNIQUE);
             CREATE TABLE \"Ünïcödé_tàblé_wïth_mültîbyte_chäràctérs_ïn_ït\" (\"Cölümn_wïth_äccents\" int UNIQUE);"
        ),
    );
}

#[test]
fn constraint_names_follow_text_order() {
    agree(
        "text_order",
        "CREATE TABLE t (id int PRIMARY KEY, a int CHECK (a > 0), CHECK (a < 10), b int CHECK (b > 0), CHECK (a > 1),
             CHECK (a > b), CHECK (true), c int REFERENCES t);
         CREATE TABLE t2 (x int PRIMARY KEY, CHECK (x > 0), y int CHECK (y > 0), CHECK (x < 100));",
    );
}

#[test]
fn domain_constraints_share_the_names() {
    agree(
        "domains",
        "CREATE DOMAIN d AS int CHECK (VALUE > 0);
         CREATE DOMAIN d2 AS int CONSTRAINT t_check CHECK (VALUE > 0) CONSTRAINT d_check1 CHECK (VALUE < 9);
         CREATE TABLE t (x int, y int, CHECK (x > y), z d);
         CREATE TABLE d_table (x int);",
    );
}

#[test]
fn partitions_by_list_range_and_hash() {
    agree(
        "partitions",
        "CREATE TABLE r (id int PRIMARY KEY);
         CREATE TABLE m (region text NOT NULL, id int NOT NULL, r_id int REFERENCES r, at date,
             PRIMARY KEY (region, id), CHECK (id > 0)) PARTITION BY LIST (region);
         CREATE TABLE m_eu PARTITION OF m FOR VALUES IN ('eu', 'uk');
         CREATE TABLE m_us PARTITION OF m FOR VALUES IN ('us') PARTITION BY RANGE (id);
         CREATE TABLE m_us_low PARTITION OF m_us FOR VALUES FROM (MINVALUE) TO (1000);
         CREATE TABLE m_us_high PARTITION OF m_us FOR VALUES FROM (1000) TO (MAXVALUE);
         CREATE TABLE m_other PARTITION OF m DEFAULT;
         CREATE INDEX ON m (at);
         CREATE INDEX m_lower ON m (lower(region));
         CREATE TABLE h (id int) PARTITION BY HASH (id);
         CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1);
         CREATE UNIQUE INDEX ON h (id);
         ALTER TABLE m DETACH PARTITION m_other;",
    );
}

#[test]
fn partitions_pg_dump_style() {
    agree(
        "pg_dump_partitions",
        "SELECT pg_catalog.set_config('search_path', '', false);
         CREATE TABLE public.p (a integer NOT NULL, b text, c integer NOT NULL) PARTITION BY RANGE (c);
         CREATE TABLE public.p1 (a integer NOT NULL, b text, c integer NOT NULL);
         CREATE TABLE public.p2 (a integer NOT NULL, b text, c integer NOT NULL);
         ALTER TABLE ONLY public.p ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (10);
         ALTER TABLE ONLY public.p ATTACH PARTITION public.p2 FOR VALUES FROM (10) TO (20);
         ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (a, c);
         ALTER TABLE ONLY public.p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a, c);
         ALTER TABLE ONLY public.p2 ADD CONSTRAINT p2_pkey PRIMARY KEY (a, c);
         CREATE INDEX p_b_idx ON ONLY public.p USING btree (b);
         CREATE INDEX p1_b_idx ON public.p1 USING btree (b);
         CREATE INDEX p2_b_idx ON public.p2 USING btree (b);
         ALTER INDEX public.p_pkey ATTACH PARTITION public.p1_pkey;
         ALTER INDEX public.p_pkey ATTACH PARTITION public.p2_pkey;
         ALTER INDEX public.p_b_idx ATTACH PARTITION public.p1_b_idx;
         ALTER INDEX public.p_b_idx ATTACH PARTITION public.p2_b_idx;",
    );
}

#[test]
fn partition_attach_matches_existing_objects() {
    agree(
        "attach_matching",
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
         ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (10) TO (20);
         CREATE TABLE p3 (LIKE p1);
         ALTER TABLE p3 ADD CONSTRAINT p_a_check CHECK (a > 0);
         ALTER TABLE p ATTACH PARTITION p3 FOR VALUES FROM (20) TO (30);",
    );
}

#[test]
fn schemas_and_search_path() {
    agree(
        "schemas",
        "CREATE SCHEMA app;
         CREATE SCHEMA IF NOT EXISTS app;
         SET search_path TO app;
         CREATE TABLE t (id serial PRIMARY KEY);
         CREATE TABLE public.t (id int PRIMARY KEY, app_id int REFERENCES t);
         SET search_path TO \"$user\", public;
         CREATE TABLE u (t_id int REFERENCES t);
         CREATE SCHEMA old;
         CREATE TABLE old.x (id serial PRIMARY KEY);
         ALTER TABLE old.x SET SCHEMA app;
         ALTER SCHEMA old RENAME TO gone;
         CREATE SCHEMA doomed;
         CREATE TABLE doomed.d (id int PRIMARY KEY);
         CREATE TABLE keep (d_id int REFERENCES doomed.d);
         DROP SCHEMA doomed CASCADE;
         RESET search_path;",
    );
}

#[test]
fn enums_and_types() {
    agree(
        "enums",
        "CREATE TYPE mood AS ENUM ('sad', 'happy');
         ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
         ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
         ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
         CREATE TABLE person (m mood DEFAULT 'ok', ms mood[]);
         CREATE SCHEMA other;
         ALTER TYPE mood SET SCHEMA other;
         ALTER TYPE other.mood RENAME TO feeling;
         CREATE TYPE pair AS (a int, b int);
         CREATE TYPE doomed AS ENUM ('x');
         CREATE TABLE d (x doomed, y int);
         DROP TYPE doomed CASCADE;",
    );
}

#[test]
fn transactions_and_savepoints() {
    agree(
        "transactions",
        "BEGIN;
         CREATE TABLE kept (id int);
         SAVEPOINT s1;
         CREATE TABLE undone (id int);
         ROLLBACK TO SAVEPOINT s1;
         CREATE TABLE also_kept (id int);
         COMMIT;
         BEGIN;
         CREATE TABLE gone (id int);
         ROLLBACK;",
    );
}

#[test]
fn defaults_and_types_change() {
    agree(
        "defaults",
        "CREATE TABLE t (a varchar DEFAULT NULL, b int DEFAULT 1, c text DEFAULT NULL::text,
             d int, e numeric(10,2) GENERATED ALWAYS AS (b * 2) STORED);
         CREATE INDEX t_c ON t (c) WHERE c <> '';
         ALTER TABLE t ALTER COLUMN b SET DEFAULT NULL;
         ALTER TABLE t ALTER COLUMN d SET DEFAULT 5;
         ALTER TABLE t ALTER COLUMN c TYPE varchar(20);
         ALTER TABLE t ALTER COLUMN d TYPE bigint USING d::bigint;
         ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN a DROP NOT NULL;",
    );
}

#[test]
fn views_and_materialized_views_take_names() {
    agree(
        "views",
        "CREATE TABLE t (a int, b int);
         CREATE VIEW t_a_idx AS SELECT a FROM t;
         CREATE INDEX ON t (a);
         CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA;
         CREATE INDEX ON mv (a);
         CREATE TABLE mv_a_idx1 (x int);
         CREATE INDEX ON mv (a);
         ALTER VIEW t_a_idx RENAME TO v2;
         CREATE INDEX ON t (a);",
    );
}

#[test]
fn exclusion_constraints() {
    agree(
        "exclusion",
        "CREATE TABLE booking (room int, during tsrange, EXCLUDE USING gist (during WITH &&));
         ALTER TABLE booking ADD EXCLUDE USING gist (during WITH &&) WHERE (room > 0);",
    );
}

#[test]
fn foreign_keys_to_partitioned_tables() {
    agree(
        "fk_to_partitioned",
        "CREATE TABLE p (a int PRIMARY KEY) PARTITION BY RANGE (a);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE TABLE x (a int REFERENCES p, b int);
         CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
         CREATE TABLE r (id int PRIMARY KEY);
         ALTER TABLE x ADD FOREIGN KEY (a) REFERENCES r;",
    );
}

#[test]
fn nulls_not_distinct_from_15() {
    if server().major() < 15 {
        println!("skipping: NULLS NOT DISTINCT needs PostgreSQL 15");
        return;
    }
    agree(
        "nulls_not_distinct",
        "CREATE TABLE t (a int, b int, UNIQUE NULLS NOT DISTINCT (a));
         CREATE UNIQUE INDEX t_b ON t (b) NULLS NOT DISTINCT;",
    );
}

#[test]
fn like_copies_what_it_includes() {
    agree(
        "like",
        "CREATE TABLE src (id serial PRIMARY KEY, code text NOT NULL UNIQUE COLLATE \"C\",
             n int DEFAULT 5 CHECK (n > 0), g int GENERATED ALWAYS AS (n * 2) STORED,
             i int GENERATED BY DEFAULT AS IDENTITY);
         CREATE INDEX src_lower ON src (lower(code));
         CREATE TABLE plain (LIKE src);
         CREATE TABLE defaults (before int, LIKE src INCLUDING DEFAULTS, after int);
         CREATE TABLE everything (LIKE src INCLUDING ALL);
         CREATE TABLE partial_copy (LIKE src INCLUDING ALL EXCLUDING INDEXES, extra int PRIMARY KEY);",
    );
}

#[test]
fn inheritance_copies_columns_and_checks() {
    agree(
        "inherits",
        "CREATE TABLE parent (id int NOT NULL, name text DEFAULT 'x', CHECK (id > 0),
             CONSTRAINT local_only CHECK (id < 100) NO INHERIT);
         CREATE TABLE other_parent (name text, flag bool NOT NULL);
         CREATE TABLE child (id int PRIMARY KEY, extra int, CHECK (extra > 0))
             INHERITS (parent, other_parent);",
    );
}

#[test]
fn collations_opclasses_and_index_options() {
    agree(
        "index_options",
        "CREATE TABLE t (a text COLLATE \"C\", b text, c int, d jsonb, e varchar(20));
         CREATE INDEX t_a ON t (a COLLATE \"POSIX\", b COLLATE \"C\" DESC NULLS LAST, c NULLS FIRST);
         CREATE INDEX t_b ON t (b text_pattern_ops, e varchar_pattern_ops) INCLUDE (c) WITH (fillfactor = 70);
         CREATE INDEX t_d ON t USING gin (d jsonb_path_ops);
         CREATE INDEX t_d2 ON t USING gin (d jsonb_ops);
         CREATE INDEX t_h ON t USING hash (c);
         CREATE INDEX t_brin ON t USING brin (c) WITH (pages_per_range = 16);
         CREATE UNIQUE INDEX t_desc ON t (c DESC);
         ALTER TABLE t ALTER COLUMN b TYPE varchar(50) COLLATE \"C\";
         ALTER TABLE t ALTER COLUMN a TYPE varchar(40);",
    );
}

#[test]
fn dropping_a_column_takes_generated_columns() {
    agree(
        "generated_drop",
        "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c int);
         CREATE INDEX ON t (b);
         ALTER TABLE t DROP COLUMN a CASCADE;",
    );
}

#[test]
fn pg_dump_identity_and_sequences() {
    agree(
        "pg_dump_identity",
        "SELECT pg_catalog.set_config('search_path', '', false);
         CREATE TABLE public.t (id integer NOT NULL, code text);
         ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
             SEQUENCE NAME public.t_custom_seq
             START WITH 1
             INCREMENT BY 1
             NO MINVALUE
             NO MAXVALUE
             CACHE 1
         );
         CREATE SEQUENCE public.u_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
         CREATE TABLE public.u (id integer NOT NULL, t_id integer);
         ALTER SEQUENCE public.u_id_seq OWNED BY public.u.id;
         ALTER TABLE ONLY public.u ALTER COLUMN id SET DEFAULT nextval('public.u_id_seq'::regclass);
         ALTER TABLE ONLY public.u ADD CONSTRAINT u_pkey PRIMARY KEY (id);
         ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
         ALTER TABLE ONLY public.u ADD CONSTRAINT u_t_id_fkey FOREIGN KEY (t_id) REFERENCES public.t(id) DEFERRABLE INITIALLY DEFERRED;
         CREATE TABLE public.v (id bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.v_seq START WITH 10) PRIMARY KEY,
             w int GENERATED ALWAYS AS IDENTITY);
         CREATE TABLE public.t_id_seq (x int);
         ALTER SEQUENCE public.u_id_seq RENAME TO u_renamed_seq;",
    );
}

#[test]
fn django_style_migration() {
    agree(
        "django",
        "BEGIN;
         CREATE TABLE \"polls_question\" (\"id\" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
             \"question_text\" varchar(200) NOT NULL, \"pub_date\" timestamp with time zone NOT NULL);
         CREATE TABLE \"polls_choice\" (\"id\" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
             \"choice_text\" varchar(200) NOT NULL, \"votes\" integer NOT NULL, \"question_id\" bigint NOT NULL);
         ALTER TABLE \"polls_choice\" ADD CONSTRAINT \"polls_choice_question_id_c5b4b260_fk_polls_question_id\"
             FOREIGN KEY (\"question_id\") REFERENCES \"polls_question\" (\"id\") DEFERRABLE INITIALLY DEFERRED;
         CREATE INDEX \"polls_choice_question_id_c5b4b260\" ON \"polls_choice\" (\"question_id\");
         COMMIT;
         BEGIN;
         SET CONSTRAINTS \"polls_choice_question_id_c5b4b260_fk_polls_question_id\" IMMEDIATE;
         ALTER TABLE \"polls_choice\" DROP CONSTRAINT \"polls_choice_question_id_c5b4b260_fk_polls_question_id\";
         ALTER TABLE \"polls_choice\" ALTER COLUMN \"votes\" SET DEFAULT 0;
         ALTER TABLE \"polls_choice\" ALTER COLUMN \"votes\" DROP DEFAULT;
         ALTER TABLE \"polls_question\" ADD COLUMN \"slug\" varchar(50) DEFAULT '' NOT NULL UNIQUE;
         ALTER TABLE \"polls_question\" ALTER COLUMN \"slug\" DROP DEFAULT;
         CREATE INDEX \"polls_question_slug_like\" ON \"polls_question\" (\"slug\" varchar_pattern_ops);
         COMMIT;",
    );
}

#[test]
fn drop_cascade_takes_views_along() {
    agree(
        "view_cascade",
        "CREATE TABLE t (a int);
         CREATE VIEW v AS SELECT a FROM t;
         CREATE VIEW w AS SELECT a FROM v;
         CREATE MATERIALIZED VIEW m AS SELECT a FROM t;
         DROP TABLE t CASCADE;
         CREATE TABLE v (x int);
         CREATE TABLE w (x int);
         CREATE TABLE m (x int);",
    );
}

#[test]
fn add_constraint_not_null_from_18() {
    if server().major() < 18 {
        println!("skipping: ADD CONSTRAINT … NOT NULL needs PostgreSQL 18");
        return;
    }
    agree(
        "not_null_constraint",
        "CREATE TABLE t (a int, b int);
         ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a;
         ALTER TABLE t ADD NOT NULL b;",
    );
}

#[test]
fn clauses_sqlparser_rejects() {
    let set_columns = if server().major() >= 15 {
        "CREATE TABLE f (a int, b int, FOREIGN KEY (a, b) REFERENCES k (a, b) ON DELETE SET NULL (b));
         ALTER TABLE f ADD CONSTRAINT f2 FOREIGN KEY (a, b) REFERENCES k (a, b) ON DELETE SET DEFAULT (a);"
    } else {
        ""
    };
    agree(
        "rejected_clauses",
        &format!(
            "CREATE TABLE t4 (id int GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1), x int);
             CREATE TABLE t13 (a int PRIMARY KEY USING INDEX TABLESPACE pg_default);
             CREATE TABLE k (a int, b int, UNIQUE (a, b) USING INDEX TABLESPACE pg_default);
             CREATE INDEX i3 ON t4 USING hash (x) TABLESPACE pg_default;
             ALTER TABLE t4 ADD COLUMN y int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME t4_y START 5);
             ALTER TABLE t4 ADD PRIMARY KEY (id) USING INDEX TABLESPACE pg_default;
             CREATE TABLE t4_y_seq (z int);
             {set_columns}"
        ),
    );
}

#[test]
fn dollar_user_follows_set_role() {
    server().ensure_role("ddlreplay_app", "NOLOGIN");
    agree(
        "dollar_user",
        "CREATE SCHEMA ddlreplay_app AUTHORIZATION ddlreplay_app;
         CREATE TABLE a (id int);
         SET ROLE ddlreplay_app;
         CREATE TABLE b (id int);
         RESET ROLE;
         CREATE TABLE c (id int);",
    );
}

#[test]
fn drizzle_style_do_blocks() {
    agree(
        "drizzle",
        "DO $$ BEGIN
          CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user');
         EXCEPTION
          WHEN duplicate_object THEN null;
         END $$;
         --> statement-breakpoint
         CREATE TABLE IF NOT EXISTS \"users\" (\"id\" serial PRIMARY KEY NOT NULL, \"role\" \"role\" DEFAULT 'user' NOT NULL);
         CREATE TABLE IF NOT EXISTS \"posts\" (\"id\" serial PRIMARY KEY NOT NULL, \"author_id\" integer NOT NULL);
         DO $$ BEGIN
          ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_author_id_users_id_fk\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\"(\"id\") ON DELETE cascade ON UPDATE no action;
         EXCEPTION
          WHEN duplicate_object THEN null;
         END $$;
         DO $$ BEGIN
          CREATE TYPE \"public\".\"role\" AS ENUM('other');
         EXCEPTION
          WHEN duplicate_object THEN null;
         END $$;
         DO $$ BEGIN
          ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_author_id_users_id_fk\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\"(\"id\");
         EXCEPTION
          WHEN duplicate_object THEN null;
         END $$;
         DO $$
         BEGIN
           ALTER TABLE posts ADD COLUMN title text;
           CREATE INDEX posts_title ON posts (title);
         END
         $$ LANGUAGE plpgsql;
         DO $$ BEGIN
           ALTER TABLE posts ADD COLUMN body text;
           ALTER TABLE posts ADD COLUMN title text;
         EXCEPTION WHEN duplicate_column THEN NULL;
         END $$;",
    );
}

#[test]
fn calls_of_functions_the_migrations_create_resolve_like_postgres() {
    agree(
        "routines",
        "CREATE SCHEMA app;
         CREATE FUNCTION canon_name(text) RETURNS text AS $$ SELECT lower($1) $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION pick(a integer, b integer DEFAULT 0) RETURNS integer AS $$ SELECT a + b $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION tag(x bigint) RETURNS text AS $$ SELECT 'b' $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION tag(x text) RETURNS text AS $$ SELECT 't' $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION total(VARIADIC xs numeric[]) RETURNS numeric AS $$ SELECT sum(x) FROM unnest(xs) x $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION app.slug(s character varying, OUT r character varying) AS $$ SELECT s $$ LANGUAGE sql IMMUTABLE;
         CREATE FUNCTION ts(d date) RETURNS timestamp with time zone AS $$ SELECT d::timestamptz $$ LANGUAGE sql IMMUTABLE;
         CREATE TABLE items (
             name character varying(40) NOT NULL,
             n smallint DEFAULT pick(1),
             price numeric(10,2),
             code text DEFAULT tag('x'),
             slug character varying DEFAULT app.slug('a'),
             day date,
             CHECK (canon_name(name) <> ''),
             CHECK (tag(n) <> ''),
             CHECK (total(price, 1, 2.5) > 0),
             CHECK (ts(day) > '2020-01-01')
         );
         CREATE UNIQUE INDEX items_canon ON items (canon_name(name));
         CREATE INDEX items_pick ON items (pick(n, 2));
         SET search_path = app, public;
         CREATE INDEX items_slug ON public.items (slug(name));
         RESET search_path;",
    );
}

#[test]
fn extension_functions_live_where_the_extension_was_created() {
    // uuid_generate_v1() takes no argument: only the extension's schema says where it is.
    agree(
        "extension_schema",
        "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";
         CREATE SCHEMA person;
         SET search_path = person, public;
         CREATE TABLE person.address (id uuid DEFAULT uuid_generate_v1() NOT NULL, line text);
         RESET search_path;",
    );
}

#[test]
fn operator_class_parameters() {
    agree(
        "opclass_options",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;
         CREATE TABLE docs (body text, v tsvector, title text);
         CREATE INDEX docs_trgm ON docs USING gist (body gist_trgm_ops(siglen=32));
         CREATE INDEX docs_v ON docs USING gist (v tsvector_ops (SIGLEN = '100'));
         CREATE INDEX docs_both ON docs USING gist (lower(title) public.gist_trgm_ops (siglen=16), body gist_trgm_ops);",
    );
}

#[test]
fn unlogged_tables_are_read_and_say_persistence_is_not_compared() {
    let loaded = agree(
        "unlogged",
        "CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v jsonb);",
    );
    assert!(
        loaded
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::NotModelled && n.message.contains("UNLOGGED not modelled")),
        "{:?}",
        loaded.notes
    );
}
