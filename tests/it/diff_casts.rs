//! How PostgreSQL renders the consequences of a column type change, and what the diff makes
//! of them: the same DDL on a column of another type gives other default, CHECK, partial
//! index and expression index texts. Each one must be folded into the `column-type` finding
//! (when it differs only by casts) or point at it — never stand alone as unexplained drift.

use pgdrift::diff::{compare, equal_modulo_casts, DiffOptions, FindingKind};

use crate::catalog_common::read_db as read;
use crate::harness::fresh_db;

/// One column type change: the two types and the SQL around the column, with `$T` for the
/// type. `folds` says whether every consequence must fold (differ only by casts).
struct Case {
    expected_type: &'static str,
    actual_type: &'static str,
    /// Statements run in both databases; `$T` is replaced by the type.
    ddl: &'static str,
    folds: bool,
}

const SETUP: &str = "CREATE TYPE public.mood AS ENUM ('a', 'b', 'pending');";

const TEXTUAL: &str = "
CREATE TABLE public.t (
  id integer PRIMARY KEY,
  c $T NOT NULL DEFAULT 'pending',
  CONSTRAINT t_c_check CHECK (c IN ('a', 'b', 'pending')),
  CONSTRAINT t_c_not_b CHECK (c <> 'b')
);
CREATE INDEX t_pending_idx ON public.t (id) WHERE c = 'pending';
CREATE INDEX t_lower_idx ON public.t (lower(c::text));
CREATE INDEX t_concat_idx ON public.t ((c::text || 'x'));
";

/// Enum to text casts are not immutable, so no expression indexes here.
const ENUM_LIKE: &str = "
CREATE TABLE public.t (
  id integer PRIMARY KEY,
  c $T NOT NULL DEFAULT 'pending',
  CONSTRAINT t_c_check CHECK (c IN ('a', 'b', 'pending')),
  CONSTRAINT t_c_not_b CHECK (c <> 'b')
);
CREATE INDEX t_pending_idx ON public.t (id) WHERE c = 'pending';
";

const NUMERIC: &str = "
CREATE TABLE public.t (
  id integer PRIMARY KEY,
  c $T NOT NULL DEFAULT 0,
  CONSTRAINT t_c_check CHECK (c >= 0 AND c < 1000)
);
CREATE INDEX t_big_idx ON public.t (id) WHERE c > 10;
CREATE INDEX t_plus_idx ON public.t ((c + 1));
";

const TEMPORAL: &str = "
CREATE TABLE public.t (
  id integer PRIMARY KEY,
  c $T NOT NULL DEFAULT now(),
  CONSTRAINT t_c_check CHECK (c > '2020-01-01')
);
CREATE INDEX t_recent_idx ON public.t (id) WHERE c > '2024-06-01';
";

const CASES: &[Case] = &[
    Case {
        expected_type: "text",
        actual_type: "varchar(20)",
        ddl: TEXTUAL,
        folds: true,
    },
    Case {
        expected_type: "varchar(50)",
        actual_type: "text",
        ddl: TEXTUAL,
        folds: true,
    },
    Case {
        expected_type: "text",
        actual_type: "public.mood",
        ddl: ENUM_LIKE,
        folds: true,
    },
    Case {
        expected_type: "integer",
        actual_type: "bigint",
        ddl: NUMERIC,
        folds: true,
    },
    Case {
        expected_type: "numeric(10,2)",
        actual_type: "integer",
        ddl: NUMERIC,
        folds: true,
    },
    Case {
        expected_type: "smallint",
        actual_type: "double precision",
        ddl: NUMERIC,
        folds: true,
    },
    // The literals themselves render differently ('… 00:00:00' vs '… 00:00:00+00'): those
    // consequences stay findings of their own, pointing at the type change.
    Case {
        expected_type: "timestamp without time zone",
        actual_type: "timestamp with time zone",
        ddl: TEMPORAL,
        folds: false,
    },
];

#[test]
fn consequences_of_a_type_change_fold_into_it_or_point_at_it() {
    let mut exercised = 0;
    for case in CASES {
        let expected_db = fresh_db("casts_expected");
        let actual_db = fresh_db("casts_actual");
        for (db, ty) in [
            (&expected_db, case.expected_type),
            (&actual_db, case.actual_type),
        ] {
            db.exec(SETUP);
            db.exec(&case.ddl.replace("$T", ty));
        }
        let expected = read(&expected_db);
        let actual = read(&actual_db);
        let label = format!("{} → {}", case.expected_type, case.actual_type);

        // What PostgreSQL rendered differently besides the type itself.
        let (te, ta) = (
            expected.schema.tables().next().unwrap().1,
            actual.schema.tables().next().unwrap().1,
        );
        let mut rendered_differently: Vec<String> = Vec::new();
        if te.columns[1].default != ta.columns[1].default {
            rendered_differently.push("public.t.c".into());
        }
        for (name, c) in &te.constraints {
            if Some(c) != ta.constraints.get(name) {
                rendered_differently.push(format!("public.t.{name}"));
            }
        }
        for (name, i) in &te.indexes {
            if Some(i) != ta.indexes.get(name) {
                rendered_differently.push(format!("public.t.{name}"));
            }
        }
        rendered_differently.sort();
        if !rendered_differently.is_empty() {
            exercised += 1;
        }

        let findings = compare(&expected, &actual, &DiffOptions::default());
        let ty = findings
            .iter()
            .find(|f| f.kind == FindingKind::ColumnType)
            .unwrap_or_else(|| panic!("{label}: no column-type finding"));
        let mut explained: Vec<String> = ty.folded.iter().map(|f| f.object.to_string()).collect();
        for f in &findings {
            if f.kind == FindingKind::ColumnType {
                continue;
            }
            assert_eq!(
                f.caused_by.as_ref().map(|c| c.to_string()),
                Some("column-type public.t.c".to_string()),
                "{label}: {} {} stands alone ({:?} vs {:?})",
                f.kind,
                f.object,
                f.expected,
                f.actual
            );
            explained.push(f.object.to_string());
        }
        explained.sort();
        assert_eq!(explained, rendered_differently, "{label}");
        if case.folds {
            assert_eq!(findings.len(), 1, "{label}: {findings:?}");
        } else {
            assert!(
                findings.len() > 1,
                "{label}: literals differ, not only casts"
            );
        }
    }
    // integer → bigint renders every consequence identically; the others do not.
    assert_eq!(exercised, CASES.len() - 1);
}

#[test]
fn a_consequence_that_differs_in_substance_stays_a_finding() {
    let expected_db = fresh_db("casts_substance_e");
    let actual_db = fresh_db("casts_substance_a");
    expected_db.exec("CREATE TABLE public.t (c text CHECK (c IN ('a', 'b')))");
    actual_db.exec("CREATE TABLE public.t (c varchar(20) CHECK (c IN ('a', 'b', 'c')))");
    let expected = read(&expected_db);
    let actual = read(&actual_db);
    let findings = compare(&expected, &actual, &DiffOptions::default());
    let summary: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.kind, f.object))
        .collect();
    assert_eq!(
        summary,
        [
            "column-type public.t.c",
            "constraint-definition public.t.t_c_check"
        ]
    );
    assert_eq!(
        findings[1]
            .caused_by
            .as_ref()
            .map(|c| c.to_string())
            .as_deref(),
        Some("column-type public.t.c")
    );
}

/// The cast-free comparison on texts the server printed: same SQL, different types.
#[test]
fn server_renderings_are_equal_modulo_casts() {
    let db = fresh_db("casts_render");
    db.exec(SETUP);
    let render = |ty: &str| -> Vec<String> {
        db.exec(&format!(
            "DROP TABLE IF EXISTS public.r; CREATE TABLE public.r (c {ty} DEFAULT 'a' CHECK (c IN ('a', 'b')))"
        ));
        let out = db.exec(
            "SET search_path = ''; \
             SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = 'public.r'::regclass \
             UNION ALL SELECT pg_get_expr(k.conbin, k.conrelid) FROM pg_constraint k \
             WHERE k.conrelid = 'public.r'::regclass AND k.contype = 'c'",
        );
        out.lines().map(str::to_string).collect()
    };
    let text = render("text");
    for ty in ["varchar", "varchar(10)", "char(1)", "public.mood", "name"] {
        let other = render(ty);
        assert_eq!(text.len(), other.len());
        for (a, b) in text.iter().zip(&other) {
            assert!(equal_modulo_casts(a, b), "{ty}: {a} vs {b}");
        }
    }
    // And a real difference is not hidden by them.
    db.exec(
        "DROP TABLE public.r; CREATE TABLE public.r (c text DEFAULT 'b' CHECK (c IN ('a', 'c')))",
    );
    let changed: Vec<String> = db
        .exec(
            "SET search_path = ''; \
             SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = 'public.r'::regclass \
             UNION ALL SELECT pg_get_expr(k.conbin, k.conrelid) FROM pg_constraint k \
             WHERE k.conrelid = 'public.r'::regclass AND k.contype = 'c'",
        )
        .lines()
        .map(str::to_string)
        .collect();
    for (a, b) in text.iter().zip(&changed) {
        assert!(!equal_modulo_casts(a, b), "{a} vs {b}");
    }
}
