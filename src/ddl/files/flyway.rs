//! Flyway locations: `V<version>__<description>.sql` ordered by version, then repeatable
//! `R__<description>.sql` by description; undo `U…` skipped; baseline `B…` stands for the
//! versions it covers; SQL callbacks (`beforeMigrate.sql`, `afterMigrate.sql` …) placed where
//! Flyway fires them on a fresh database. Flyway scans a location recursively and orders by
//! version regardless of subfolder, so this covers the whole tree below the location.

use std::cmp::Ordering;

use super::classify::{self, FileClass};
use super::layouts::{join, take_non_sql};
use super::natural::number_cmp;
use super::walk::{Leaf, Tree};
use super::{Context, Planned};

/// What a file name means to Flyway.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// Version parts (digit strings; `2_1` and `2.1` both give `["2", "1"]`).
    Versioned(Vec<String>),
    Baseline(Vec<String>),
    Undo,
    Repeatable(String),
    /// A callback Flyway runs during `migrate` on a fresh database, and when.
    Callback(Phase, String),
    /// A callback for another event (`beforeEachMigrate`, `afterClean` …).
    OtherCallback,
    Other,
}

/// When a migrate callback runs, in firing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    BeforeMigrate,
    AfterVersioned,
    BeforeRepeatables,
    AfterMigrate,
}

/// Whether a folder holding a file with this name is a Flyway location.
pub(crate) fn starts_location(name: &str) -> bool {
    matches!(parse(name), Name::Versioned(_) | Name::Repeatable(_))
}

fn parse(name: &str) -> Name {
    if !classify::is_sql_name(name) {
        return Name::Other;
    }
    let stem = classify::sql_stem(name);
    let mut chars = stem.chars();
    let prefix = chars.next();
    let rest = chars.as_str();
    if let Some((version, description)) = rest.split_once("__") {
        if let Some(parts) = version_parts(version) {
            match prefix {
                Some('V') => return Name::Versioned(parts),
                Some('B') => return Name::Baseline(parts),
                Some('U') => return Name::Undo,
                _ => {}
            }
        }
        if prefix == Some('R') && version.is_empty() {
            return Name::Repeatable(description.to_string());
        }
    }
    let event = stem.split("__").next().unwrap_or(stem);
    match event {
        "beforeMigrate" => Name::Callback(Phase::BeforeMigrate, stem.to_string()),
        "afterVersioned" => Name::Callback(Phase::AfterVersioned, stem.to_string()),
        "beforeRepeatables" => Name::Callback(Phase::BeforeRepeatables, stem.to_string()),
        "afterMigrate" | "afterMigrateApplied" => {
            Name::Callback(Phase::AfterMigrate, stem.to_string())
        }
        _ if is_event_name(event) => Name::OtherCallback,
        _ => Name::Other,
    }
}

/// `beforeEachMigrate`, `afterClean` …: Flyway's event names, camel case.
fn is_event_name(stem: &str) -> bool {
    ["before", "after"].iter().any(|p| {
        stem.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    }) || stem == "createSchema"
}

/// `1`, `1.1`, `2_1`, `1.2.3`: digit groups separated by `.` or `_`.
fn version_parts(version: &str) -> Option<Vec<String>> {
    if version.is_empty() {
        return None;
    }
    let parts: Vec<String> = version.split(['.', '_']).map(str::to_string).collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(parts)
    } else {
        None
    }
}

/// Flyway's `MigrationVersion.compareTo`: part by part as numbers, missing parts are 0
/// (so `1.10` comes after `1.9`, and `1.0` equals `1`).
fn version_cmp(a: &[String], b: &[String]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map_or("0", String::as_str);
        let y = b.get(i).map_or("0", String::as_str);
        match number_cmp(x.as_bytes(), y.as_bytes()) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

fn version_text(parts: &[String]) -> String {
    parts.join(".")
}

/// Every file in `tree` and below, with its path relative to the root.
fn files_with_rel<'a>(tree: &'a Tree, rel: &str, out: &mut Vec<(String, &'a Leaf)>) {
    for leaf in &tree.files {
        out.push((join(rel, &leaf.name), leaf));
    }
    for dir in &tree.dirs {
        files_with_rel(dir, &join(rel, &dir.name), out);
    }
}

/// The location at `tree`, in Flyway's order for a fresh database.
pub(crate) fn plan(tree: &Tree, rel: &str, ctx: &mut Context) -> Vec<Planned> {
    let mut files = Vec::new();
    files_with_rel(tree, rel, &mut files);
    let mut versioned: Vec<(Vec<String>, bool, &Leaf)> = Vec::new();
    let mut repeatable: Vec<(String, &Leaf)> = Vec::new();
    let mut callbacks: Vec<(Phase, String, &Leaf)> = Vec::new();
    for (file_rel, leaf) in &files {
        let class = classify::classify(&leaf.name);
        if class != FileClass::Sql {
            let dir_rel = file_rel.rsplit_once('/').map_or("", |(d, _)| d);
            take_non_sql(leaf, dir_rel, class, ctx);
            continue;
        }
        match parse(&leaf.name) {
            Name::Versioned(parts) => versioned.push((parts, false, leaf)),
            Name::Baseline(parts) => versioned.push((parts, true, leaf)),
            Name::Repeatable(description) => repeatable.push((description, leaf)),
            Name::Callback(phase, stem) => callbacks.push((phase, stem, leaf)),
            Name::Undo => ctx.skip(&leaf.path, "Flyway undo migration"),
            Name::OtherCallback => ctx.skip(
                &leaf.path,
                "Flyway callback for an event other than a migrate's start or end",
            ),
            Name::Other => ctx.skip(
                &leaf.path,
                "not a Flyway migration name in a Flyway location (Flyway ignores it)",
            ),
        }
    }
    // A baseline migration replaces every version up to its own on a fresh database; the
    // newest baseline wins, and it runs instead of a versioned migration of the same version.
    let baseline = versioned
        .iter()
        .filter(|(_, is_baseline, _)| *is_baseline)
        .map(|(parts, _, _)| parts.clone())
        .max_by(|a, b| version_cmp(a, b));
    let mut kept = Vec::new();
    for (parts, is_baseline, leaf) in versioned {
        if let Some(base) = &baseline {
            let order = version_cmp(&parts, base);
            let covered = order == Ordering::Less || (order == Ordering::Equal && !is_baseline);
            if covered {
                let reason = format!(
                    "covered by the Flyway baseline migration B{}",
                    version_text(base)
                );
                ctx.skip(&leaf.path, &reason);
                continue;
            }
        }
        kept.push((parts, is_baseline, leaf));
    }
    kept.sort_by(|a, b| version_cmp(&a.0, &b.0).then_with(|| a.2.name.cmp(&b.2.name)));
    repeatable.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    callbacks.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let mut out = Vec::new();
    let callback = |phase: Phase, out: &mut Vec<Planned>| {
        for (_, stem, leaf) in callbacks.iter().filter(|c| c.0 == phase) {
            out.push(Planned {
                path: leaf.path.clone(),
                order_key: stem.clone(),
            });
        }
    };
    callback(Phase::BeforeMigrate, &mut out);
    for (parts, is_baseline, leaf) in kept {
        let prefix = if is_baseline { "B" } else { "V" };
        out.push(Planned {
            path: leaf.path.clone(),
            order_key: format!("{prefix}{}", version_text(&parts)),
        });
    }
    callback(Phase::AfterVersioned, &mut out);
    callback(Phase::BeforeRepeatables, &mut out);
    for (description, leaf) in repeatable {
        out.push(Planned {
            path: leaf.path.clone(),
            order_key: format!("R__{description}"),
        });
    }
    callback(Phase::AfterMigrate, &mut out);
    ctx.use_layout("flyway");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(v: &str) -> Vec<String> {
        version_parts(v).unwrap()
    }

    #[test]
    fn names_parse() {
        let cases = [
            ("V1__init.sql", Name::Versioned(parts("1"))),
            ("V1.1__add.sql", Name::Versioned(parts("1.1"))),
            ("V2_1__z.sql", Name::Versioned(parts("2.1"))),
            (
                "V20240101120000__x.sql",
                Name::Versioned(parts("20240101120000")),
            ),
            ("B5__baseline.sql", Name::Baseline(parts("5"))),
            ("U1__init.sql", Name::Undo),
            ("R__views.sql", Name::Repeatable("views".into())),
            (
                "beforeMigrate.sql",
                Name::Callback(Phase::BeforeMigrate, "beforeMigrate".into()),
            ),
            (
                "afterMigrate__grants.sql",
                Name::Callback(Phase::AfterMigrate, "afterMigrate__grants".into()),
            ),
            ("beforeEachMigrate.sql", Name::OtherCallback),
            ("Vx__nope.sql", Name::Other),
            ("V1_init.sql", Name::Other),
            ("schema.sql", Name::Other),
            ("V1__init.txt", Name::Other),
            ("R_views.sql", Name::Other),
        ];
        for (name, expected) in cases {
            assert_eq!(parse(name), expected, "{name}");
        }
    }

    #[test]
    fn versions_compare_numerically_part_by_part() {
        let cases = [
            ("1.9", "1.10", Ordering::Less),
            ("1.0", "1", Ordering::Equal),
            ("2", "1.99", Ordering::Greater),
            ("1.01", "1.1", Ordering::Equal),
            ("1.2.3", "1.2", Ordering::Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(version_cmp(&parts(a), &parts(b)), expected, "{a} vs {b}");
        }
    }
}
