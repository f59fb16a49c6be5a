//! The frame every verification query is written in: it pins the settings PostgreSQL's
//! rendering functions depend on (`search_path`, `TimeZone`, `DateStyle`, `IntervalStyle`,
//! `extra_float_digits`) for the statement alone, evaluates the checks, and puts the
//! caller's values back, without relying on an evaluation order the planner may change.
//!
//! How: each step is a subquery fenced with `OFFSET 0` and joined `LATERAL` to the step
//! before it, referencing that step's output, so it cannot run before it. `saved` reads the
//! caller's settings, `pin` sets the canonical ones with `set_config(…, is_local => true)`,
//! the checks reference `pin.pinned` (so they run after it), an aggregate collects every
//! check before `restore` resets the saved values, and only then are the rows returned.
//! Outside a transaction block `is_local` settings end with the statement anyway; inside
//! one, `restore` keeps the rest of the caller's transaction as it was.
//!
//! Everything is qualified with `pg_catalog.` because the statement is parsed with the
//! caller's `search_path`, before the pin.

use crate::model::quote_literal;

/// What a check refers to so it is evaluated after the settings are pinned.
pub const PINNED: &str = "pin.pinned";

/// The settings canonical text assumes, and the values they are pinned to.
const SETTINGS: [(&str, &str, &str); 5] = [
    ("search_path", "search_path", ""),
    ("TimeZone", "timezone", "UTC"),
    ("DateStyle", "datestyle", "ISO, MDY"),
    ("IntervalStyle", "intervalstyle", "postgres"),
    ("extra_float_digits", "extra_float_digits", "1"),
];

fn saved() -> String {
    let columns: Vec<String> = SETTINGS
        .iter()
        .map(|(setting, column, _)| format!("pg_catalog.current_setting('{setting}') AS {column}"))
        .collect();
    format!(
        "FROM (SELECT {}\n      OFFSET 0) AS saved\n",
        columns.join(",\n             ")
    )
}

fn set_configs(value: impl Fn(&str, &str) -> String) -> String {
    let calls: Vec<String> = SETTINGS
        .iter()
        .map(|(setting, column, pinned)| {
            format!(
                "pg_catalog.set_config('{setting}', {}, true)",
                value(column, pinned)
            )
        })
        .collect();
    format!(
        "pg_catalog.num_nonnulls(\n           {})",
        calls.join(",\n           ")
    )
}

fn pin() -> String {
    format!(
        "CROSS JOIN LATERAL (\n  SELECT {} = {} AS pinned\n  WHERE saved.search_path IS NOT NULL\n  OFFSET 0) AS pin\n",
        set_configs(|_, pinned| quote_literal(pinned)),
        SETTINGS.len()
    )
}

fn restore(after: &str) -> String {
    format!(
        "CROSS JOIN LATERAL (\n  SELECT {} AS restored\n  WHERE {after} IS NOT NULL\n  OFFSET 0) AS restore",
        set_configs(|column, _| format!("saved.{column}"))
    )
}

fn comments(lines: &[String]) -> String {
    lines.iter().map(|l| format!("-- {l}\n")).collect()
}

/// Indent every line but the first by `by`.
pub fn indent_rest(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}

/// One statement returning one row with one boolean column `ok`: `check` evaluated with the
/// settings pinned. `check` must reference `PINNED`.
pub fn single(comment: &[String], check: &str) -> String {
    format!(
        "{}SELECT result.ok\n{}{}CROSS JOIN LATERAL (\n  SELECT coalesce({}, false) AS ok\n  OFFSET 0) AS result\n{};\n",
        comments(comment),
        saved(),
        pin(),
        indent_rest(check, "    "),
        restore("result.ok")
    )
}

/// One statement returning one row per check (`check` text, `ok` boolean), in the order
/// given. Each check must reference `PINNED`.
pub fn many(comment: &[String], checks: &[(String, String)]) -> String {
    let values: Vec<String> = checks
        .iter()
        .enumerate()
        .map(|(i, (label, check))| {
            format!(
                "    ({}, {},\n     {})",
                i + 1,
                quote_literal(label),
                indent_rest(check, "     ")
            )
        })
        .collect();
    format!(
        "{}SELECT r.\"check\", r.ok\n{}{}CROSS JOIN LATERAL (\n  SELECT pg_catalog.array_agg(checks.label ORDER BY checks.n) AS labels,\n         pg_catalog.array_agg(coalesce(checks.ok, false) ORDER BY checks.n) AS oks\n  FROM (VALUES\n{}\n  ) AS checks(n, label, ok)\n  OFFSET 0) AS result\n{}\nCROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(result.labels), pg_catalog.unnest(result.oks))\n  WITH ORDINALITY AS r(\"check\", ok, n)\nORDER BY r.n;\n",
        comments(comment),
        saved(),
        pin(),
        values.join(",\n"),
        restore("result.labels")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_check_is_framed_by_pin_and_restore() {
        let sql = single(&["hello".into()], "(pin.pinned AND true)");
        assert!(sql.starts_with("-- hello\nSELECT result.ok\n"));
        let pin_at = sql.find("AS pin").unwrap();
        let check_at = sql.find("(pin.pinned AND true)").unwrap();
        let restore_at = sql.find("AS restore").unwrap();
        assert!(pin_at < check_at && check_at < restore_at);
        assert!(sql.contains("pg_catalog.set_config('search_path', '', true)"));
        assert!(sql.contains("pg_catalog.set_config('search_path', saved.search_path, true)"));
        assert!(sql.trim_end().ends_with(';'));
    }

    #[test]
    fn many_checks_keep_their_order_and_quote_labels() {
        let sql = many(
            &[],
            &[
                ("table public.\"it's\"".into(), "pin.pinned".into()),
                ("second".into(), "NOT pin.pinned".into()),
            ],
        );
        assert!(sql.contains("(1, 'table public.\"it''s\"',"));
        assert!(sql.contains("(2, 'second',"));
        assert!(sql.contains("ORDER BY r.n;"));
    }
}
