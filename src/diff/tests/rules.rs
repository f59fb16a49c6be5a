//! Bookkeeping tables, invisible objects, schema filtering, caller-supplied equivalence.

use super::*;

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
