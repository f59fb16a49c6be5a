//! Columns: a type spelled the many ways migrations spell it, a realistic default (literals,
//! `now()`, expressions, interval arithmetic) and nullability, and the CHECK a column invites.

use super::plan::{Column, EnumType, Kind};
use super::rng::Rng;
use super::words;

/// The kinds an ordinary column is drawn from, with weights (ids and foreign keys aside).
const KIND_WEIGHTS: &[(Kind, u32)] = &[
    (Kind::Text, 12),
    (Kind::Varchar, 16),
    (Kind::Numeric, 7),
    (Kind::Int, 9),
    (Kind::SmallInt, 2),
    (Kind::BigInt, 4),
    (Kind::Bool, 9),
    (Kind::Timestamptz, 9),
    (Kind::Timestamp, 2),
    (Kind::Date, 4),
    (Kind::Interval, 1),
    (Kind::Uuid, 3),
    (Kind::Jsonb, 5),
    (Kind::TextArray, 3),
    (Kind::IntArray, 1),
    (Kind::Double, 2),
    (Kind::Inet, 1),
    (Kind::Bytea, 1),
    (Kind::Char, 1),
    (Kind::Enum, 4),
];

pub fn pick_kind(rng: &mut Rng, have_enums: bool) -> Kind {
    loop {
        let total: u32 = KIND_WEIGHTS.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total as usize) as u32;
        for (kind, weight) in KIND_WEIGHTS {
            if roll < *weight {
                if *kind == Kind::Enum && !have_enums {
                    break;
                }
                return *kind;
            }
            roll -= weight;
        }
    }
}

pub fn names_for(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Text => words::TEXT_COLS,
        Kind::Varchar => words::VARCHAR_COLS,
        Kind::Numeric => words::NUMERIC_COLS,
        Kind::Int => words::INT_COLS,
        Kind::SmallInt => words::SMALLINT_COLS,
        Kind::BigInt => words::BIGINT_COLS,
        Kind::Bool => words::BOOL_COLS,
        Kind::Timestamptz => words::TIMESTAMPTZ_COLS,
        Kind::Timestamp => words::TIMESTAMP_COLS,
        Kind::Date => words::DATE_COLS,
        Kind::Interval => words::INTERVAL_COLS,
        Kind::Uuid => words::UUID_COLS,
        Kind::Jsonb => words::JSONB_COLS,
        Kind::TextArray => words::TEXT_ARRAY_COLS,
        Kind::IntArray => words::INT_ARRAY_COLS,
        Kind::Double => words::FLOAT_COLS,
        Kind::Inet => words::INET_COLS,
        Kind::Bytea => words::BYTEA_COLS,
        Kind::Char => words::CHAR_COLS,
        Kind::Enum => words::ENUM_NAMES,
        Kind::TsRange => &["period"],
        Kind::TsVector => &["search"],
    }
}

/// One ordinary column of `kind` named `name`; `enum_type` for enum columns.
pub fn column(rng: &mut Rng, name: &str, kind: Kind, enum_type: Option<&EnumType>) -> Column {
    let ty = type_text(rng, kind, enum_type);
    let mut col = Column::new(name, kind, &ty);
    if rng.chance(0.45) {
        col.default = default_for(rng, &col, enum_type);
    }
    col.not_null = if col.default.is_some() {
        rng.chance(0.7)
    } else {
        rng.chance(0.3)
    };
    col
}

/// The type as one of the spellings PostgreSQL accepts for it.
pub fn type_text(rng: &mut Rng, kind: Kind, enum_type: Option<&EnumType>) -> String {
    let s = |v: &[&str], rng: &mut Rng| rng.pick(v).to_string();
    match kind {
        Kind::SmallInt => s(&["smallint", "int2"], rng),
        Kind::Int => s(&["integer", "integer", "int", "int4"], rng),
        Kind::BigInt => s(&["bigint", "bigint", "int8"], rng),
        Kind::Numeric => {
            if rng.chance(0.1) {
                return "numeric".into();
            }
            let p = rng.pick(&[10, 12, 14, 18]);
            let sc = rng.pick(&[2, 2, 4]);
            let word = rng.pick(&["numeric", "numeric", "decimal"]);
            format!("{word}({p},{sc})")
        }
        Kind::Double => s(&["double precision", "float8", "real"], rng),
        Kind::Text => "text".into(),
        Kind::Varchar => {
            if rng.chance(0.08) {
                return "varchar".into();
            }
            let n = rng.pick(&[32, 64, 100, 120, 255, 255, 500]);
            let word = rng.pick(&["varchar", "varchar", "character varying"]);
            format!("{word}({n})")
        }
        Kind::Char => s(&["char(2)", "character(3)"], rng),
        Kind::Bool => s(&["boolean", "boolean", "bool"], rng),
        Kind::Timestamptz => s(
            &["timestamptz", "timestamp with time zone", "timestamptz(3)"],
            rng,
        ),
        Kind::Timestamp => s(
            &["timestamp", "timestamp without time zone", "timestamp(6)"],
            rng,
        ),
        Kind::Date => "date".into(),
        Kind::Interval => "interval".into(),
        Kind::Uuid => "uuid".into(),
        Kind::Jsonb => s(&["jsonb", "jsonb", "jsonb", "json"], rng),
        Kind::TextArray => s(
            &["text[]", "text[]", "varchar(64)[]", "character varying[]"],
            rng,
        ),
        Kind::IntArray => s(&["integer[]", "int[]", "bigint[]"], rng),
        Kind::Inet => "inet".into(),
        Kind::Bytea => "bytea".into(),
        Kind::Enum => enum_type.map_or_else(|| "text".into(), |e| e.qname()),
        Kind::TsRange => "tstzrange".into(),
        Kind::TsVector => "tsvector".into(),
    }
}

/// A default that suits the column (drift calls it until it differs from the current one).
pub fn default_for(rng: &mut Rng, col: &Column, enum_type: Option<&EnumType>) -> Option<String> {
    let pick = |v: &[&str], rng: &mut Rng| Some(rng.pick(v).to_string());
    match col.kind {
        Kind::SmallInt | Kind::Int | Kind::BigInt => pick(&["0", "1", "-1", "100", "0"], rng),
        Kind::Numeric => pick(&["0", "0.00", "1.5", "'0'::numeric"], rng),
        Kind::Double => pick(&["0", "0.5", "'NaN'::double precision"], rng),
        Kind::Text | Kind::Varchar => pick(
            &[
                "''",
                "'pending'",
                "'n/a'",
                "'en'",
                "'unknown'::text",
                "'new'",
            ],
            rng,
        ),
        Kind::Char => pick(&["'US'", "'DE'"], rng),
        Kind::Bool => pick(&["false", "true", "FALSE", "true"], rng),
        Kind::Timestamptz => pick(
            &[
                "now()",
                "now()",
                "CURRENT_TIMESTAMP",
                "(now() + interval '30 days')",
                "now() + '1 hour'::interval",
                "clock_timestamp()",
                "statement_timestamp()",
                "(CURRENT_TIMESTAMP - INTERVAL '1 day')",
            ],
            rng,
        ),
        Kind::Timestamp => pick(
            &[
                "(now() AT TIME ZONE 'utc')",
                "LOCALTIMESTAMP",
                "CURRENT_TIMESTAMP",
            ],
            rng,
        ),
        Kind::Date => pick(
            &[
                "CURRENT_DATE",
                "(CURRENT_DATE + 30)",
                "'2000-01-01'",
                "CURRENT_DATE + interval '1 year'",
            ],
            rng,
        ),
        Kind::Interval => pick(
            &[
                "'00:30:00'",
                "interval '1 day'",
                "'1 hour'::interval",
                "'P7D'",
            ],
            rng,
        ),
        Kind::Uuid => pick(&["gen_random_uuid()"], rng),
        Kind::Jsonb => {
            if col.ty == "json" {
                pick(&["'{}'", "'[]'::json"], rng)
            } else {
                pick(
                    &[
                        "'{}'::jsonb",
                        "'[]'::jsonb",
                        "'{}'",
                        "jsonb_build_object('v', 1)",
                    ],
                    rng,
                )
            }
        }
        Kind::TextArray => {
            if col.ty == "text[]" {
                pick(&["'{}'", "ARRAY[]::text[]", "'{}'::text[]", "'{a,b}'"], rng)
            } else {
                pick(&["'{}'"], rng)
            }
        }
        Kind::IntArray => pick(&["'{}'", "'{1,2,3}'"], rng),
        Kind::Enum => enum_type.map(|e| {
            let label = rng.pick(&e.labels);
            if rng.chance(0.5) {
                format!("'{label}'")
            } else {
                format!("'{label}'::{}", e.qname())
            }
        }),
        Kind::Inet | Kind::Bytea | Kind::TsRange | Kind::TsVector => None,
    }
}

/// A CHECK expression on one column, if its kind invites one.
pub fn check_for(rng: &mut Rng, col: &Column, quoted: &str) -> Option<String> {
    let c = quoted;
    match col.kind {
        Kind::SmallInt | Kind::Int | Kind::BigInt | Kind::Numeric => Some(
            rng.pick(&[
                format!("{c} >= 0"),
                format!("{c} > 0"),
                format!("{c} BETWEEN 0 AND 1000000"),
                format!("({c} >= 0) AND ({c} < 100000)"),
            ])
            .clone(),
        ),
        Kind::Text | Kind::Varchar => Some(
            rng.pick(&[
                format!("char_length({c}) <= 200"),
                format!("{c} <> ''"),
                format!("length(btrim({c})) > 0"),
                format!("{c} IN ('a', 'b', 'c')"),
            ])
            .clone(),
        ),
        Kind::Char => Some(format!("{c} ~ '^[A-Z]+$'")),
        Kind::Double => Some(format!("{c} >= -180 AND {c} <= 180")),
        Kind::Jsonb if col.ty == "jsonb" => Some(format!("jsonb_typeof({c}) = 'object'")),
        Kind::Date => Some(format!("{c} > '1900-01-01'::date")),
        Kind::Interval => Some(format!("{c} >= interval '0 seconds'")),
        Kind::TextArray | Kind::IntArray => Some(format!("cardinality({c}) <= 50")),
        _ => None,
    }
}
