//! Tests of statement routing and the pre-passes sqlparser needs for PostgreSQL.

use super::*;
use sqlparser::ast::{Ident, ObjectName};

fn ddl(sql: &str) -> Ddl {
    match parse(sql) {
        Parsed::Ddl(d) => d,
        other => panic!("{sql}: {other:?}"),
    }
}

fn kind(sql: &str) -> String {
    match parse(sql) {
        Parsed::Other(o) => o.kind,
        other => panic!("{sql}: {other:?}"),
    }
}

#[test]
fn pg_dump_sequences_parse_with_options_in_any_order() {
    let d = ddl("CREATE SEQUENCE public.actor_actor_id_seq\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1");
    let Ddl::CreateSequence(s) = d else { panic!() };
    assert_eq!(s.name.to_string(), "public.actor_actor_id_seq");
    assert_eq!(s.owned_by, None);
    let Ddl::AlterSequence(a) =
        ddl("ALTER SEQUENCE public.actor_actor_id_seq OWNED BY public.actor.actor_id")
    else {
        panic!()
    };
    assert_eq!(
        a.action,
        AlterSequenceAction::Options {
            owned_by: Some(OwnedBy::Column(ObjectName::from(vec![
                Ident::new("public"),
                Ident::new("actor"),
                Ident::new("actor_id")
            ])))
        }
    );
}

#[test]
fn attach_partition_is_read_with_its_bound() {
    let d = ddl("ALTER TABLE ONLY public.payment ATTACH PARTITION public.payment_p2022_01 FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')");
    let Ddl::AlterTable(a) = d else { panic!() };
    assert!(a.only);
    assert!(matches!(
        &a.actions[..],
        [AlterAction::AttachPartition {
            bound: ForValues::From { .. },
            ..
        }]
    ));
    let Ddl::AlterTable(a) = ddl("ALTER TABLE p ATTACH PARTITION p_def DEFAULT") else {
        panic!()
    };
    assert!(matches!(
        &a.actions[..],
        [AlterAction::AttachPartition {
            bound: ForValues::Default,
            ..
        }]
    ));
}

#[test]
fn index_prepasses() {
    let Ddl::CreateIndex(ci) = ddl("CREATE INDEX i ON ONLY public.t USING btree (a)") else {
        panic!()
    };
    assert!(ci.only);
    assert_eq!(ci.index.table_name.to_string(), "public.t");
    let Ddl::Drop(d) = ddl("DROP INDEX CONCURRENTLY IF EXISTS index_follows_user_id") else {
        panic!()
    };
    assert_eq!(d.kind, DropKind::Index);
    assert!(d.if_exists);
    let Ddl::AlterIndex(a) = ddl("ALTER INDEX IF EXISTS sgrif_testing RENAME TO x") else {
        panic!()
    };
    assert!(a.if_exists);
    assert_eq!(a.action, AlterIndexAction::Rename(Ident::new("x")));
}

#[test]
fn alter_table_actions_sqlparser_lacks() {
    let Ddl::AlterTable(a) = ddl("ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS, ALTER id SET STATISTICS 100, SET SCHEMA s, OWNER TO bob") else { panic!() };
    assert!(matches!(
        a.actions[0],
        AlterAction::DropIdentity {
            if_exists: true,
            ..
        }
    ));
    assert!(matches!(a.actions[1], AlterAction::Ignored(_)));
    assert!(matches!(a.actions[2], AlterAction::SetSchema(_)));
    assert!(matches!(a.actions[3], AlterAction::Ignored(_)));
    let Ddl::AlterTable(a) =
        ddl("ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY USING INDEX u, DROP COLUMN id")
    else {
        panic!()
    };
    assert_eq!(a.actions.len(), 2);
}

#[test]
fn domains_with_not_null_parse() {
    let Ddl::CreateDomain(d) = ddl("CREATE DOMAIN public.year AS integer\n\tCONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))") else { panic!() };
    assert_eq!(d.checks, vec![Some(Ident::new("year_check"))]);
    let Ddl::CreateDomain(d) = ddl("CREATE DOMAIN d int NOT NULL CHECK (VALUE > 0) DEFAULT 1")
    else {
        panic!()
    };
    assert_eq!(d.checks, vec![None]);
}

#[test]
fn search_path_forms() {
    assert_eq!(
        ddl("SELECT pg_catalog.set_config('search_path', '', false)"),
        Ddl::SearchPath(SearchPathStmt::Set {
            schemas: vec![],
            local: false
        })
    );
    assert_eq!(
        ddl("SET search_path TO app, \"$user\", public"),
        Ddl::SearchPath(SearchPathStmt::Set {
            schemas: vec!["app".into(), "$user".into(), "public".into()],
            local: false
        })
    );
    assert_eq!(
        ddl("RESET search_path"),
        Ddl::SearchPath(SearchPathStmt::Reset)
    );
    assert_eq!(kind("SET statement_timeout = 0"), "SET");
}

#[test]
fn statements_pgdrift_does_not_model_are_recognised_even_when_sqlparser_fails() {
    assert_eq!(
        kind("ALTER DOMAIN public.year OWNER TO postgres"),
        "ALTER DOMAIN"
    );
    let Ddl::CreateRoutine(r) =
        ddl("CREATE AGGREGATE public.group_concat(text) (SFUNC = f, STYPE = text)")
    else {
        panic!()
    };
    assert_eq!(
        (r.kind.as_str(), r.name.to_string().as_str()),
        ("AGGREGATE", "public.group_concat")
    );
    assert_eq!(kind("comment on constraint c on t is 'x'"), "COMMENT");
    assert_eq!(
        kind("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f('a')"),
        "CREATE TRIGGER"
    );
    let Parsed::Other(o) = parse(
        "DO $$ BEGIN FOR r IN SELECT 1 LOOP ALTER TABLE users ADD x int, ALTER COLUMN type TYPE varchar USING type::varchar; END LOOP; END $$",
    ) else {
        panic!()
    };
    assert_eq!(
        o.hints.body_ddl,
        vec!["ALTER TABLE users ADD x int, ALTER COLUMN type TYPE varchar"]
    );
    let Parsed::Other(o) = parse(
        "DO $$ DECLARE r text := 'x'; BEGIN EXECUTE 'grant usage on schema storage to ' || r; \
         ALTER DEFAULT PRIVILEGES IN SCHEMA storage GRANT ALL ON TABLES TO anon; \
         ALTER TABLE storage.objects OWNER TO r; END $$",
    ) else {
        panic!()
    };
    assert!(o.hints.body_ddl.is_empty(), "{:?}", o.hints.body_ddl);
    assert_eq!(
        o.hints.body_harmless,
        vec!["GRANT", "ALTER DEFAULT PRIVILEGES", "OWNER TO"]
    );
    assert!(matches!(
        parse("DO $$ BEGIN IF true THEN ALTER TABLE users ADD x int; END IF; END $$"),
        Parsed::Ddl(Ddl::DoBlock(_))
    ));
    assert!(matches!(
        parse("DO $$ BEGIN ALTER TABLE users ADD x int; END $$"),
        Parsed::Ddl(Ddl::DoBlock(_))
    ));
}

#[test]
fn unparsable_table_statements_name_their_table() {
    let Parsed::Unparsed(u) = parse("ALTER TABLE users FROBNICATE x") else {
        panic!()
    };
    assert_eq!(u.hints.relations[0].to_string(), "users");
}

#[test]
fn views_are_read_by_name() {
    let Ddl::CreateView(v) =
        ddl("CREATE MATERIALIZED VIEW public.rental_by_category AS SELECT 1 WITH NO DATA")
    else {
        panic!()
    };
    assert!(v.materialized);
    assert_eq!(v.name.to_string(), "public.rental_by_category");
}

#[test]
fn like_elements_are_read_by_pgdrift() {
    let Ddl::CreateTable(ct) =
        ddl("CREATE TABLE t (a int, LIKE s INCLUDING ALL EXCLUDING INDEXES, b int, CHECK (a > 0))")
    else {
        panic!()
    };
    assert_eq!(ct.table.columns.len(), 2);
    assert_eq!(ct.table.constraints.len(), 1);
    assert_eq!(ct.likes.len(), 1);
    assert_eq!(ct.likes[0].columns_before, 1);
    assert!(ct.likes[0].including.contains(&"DEFAULTS".to_string()));
    assert!(!ct.likes[0].including.contains(&"INDEXES".to_string()));
    let Ddl::AlterTable(a) =
        ddl("ALTER TABLE t ALTER COLUMN a TYPE varchar(10) COLLATE \"C\" USING a::text")
    else {
        panic!()
    };
    assert!(matches!(
        &a.actions[0],
        AlterAction::SetType {
            collation: Some(_),
            ..
        }
    ));
}
