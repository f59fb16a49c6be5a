//! Ordering one folder by the layout it holds, recursively: a Sqitch plan, a folder of
//! per-migration folders (Diesel `up.sql`, Prisma `migration.sql`), a Flyway location, or
//! plain natural order of names (numbered, timestamped, golang-migrate, sqlx, goose, dbmate).

use std::collections::BTreeSet;

use super::classify::{
    self, FileClass, REASON_DOWN, REASON_DOWN_FOLDER, REASON_OTHER_DATABASE_FOLDER, REASON_SHADOWED,
};
use super::natural::natural_cmp;
use super::walk::{Leaf, Tree};
use super::{flyway, sqitch, Context, FilesError, Planned};

/// `rel` of a child of the folder at `rel`.
pub(crate) fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// The SQL files of `tree` (whose path relative to the root is `rel`) in apply order.
pub(crate) fn plan_dir(
    tree: &Tree,
    rel: &str,
    ctx: &mut Context,
) -> Result<Vec<Planned>, FilesError> {
    if tree.has_file(sqitch::PLAN_FILE) {
        return sqitch::plan(tree, rel, ctx);
    }
    if tree.dirs.iter().any(|d| migration_file(d).is_some()) {
        return Ok(plan_folder_per_migration(tree, rel, ctx));
    }
    if tree.files.iter().any(|f| flyway::starts_location(&f.name)) {
        return Ok(flyway::plan(tree, rel, ctx));
    }
    plan_natural(tree, rel, ctx)
}

/// A file that is not SQL: YAML is collected, anything else recorded as skipped.
pub(crate) fn take_non_sql(leaf: &Leaf, rel: &str, class: FileClass, ctx: &mut Context) {
    match class {
        FileClass::Yaml => ctx.add_yaml(join(rel, &leaf.name), &leaf.path),
        FileClass::Skip(reason) => ctx.skip(&leaf.path, reason),
        FileClass::Sql => {}
    }
}

/// Skip every file of `tree` with `reason` (non-SQL files keep their own reason, YAML is kept).
pub(crate) fn skip_tree(tree: &Tree, rel: &str, reason: &str, ctx: &mut Context) {
    for leaf in &tree.files {
        match classify::classify(&leaf.name) {
            FileClass::Sql => ctx.skip(&leaf.path, reason),
            other => take_non_sql(leaf, rel, other, ctx),
        }
    }
    for dir in &tree.dirs {
        skip_tree(dir, &join(rel, &dir.name), reason, ctx);
    }
}

/// Natural order of names, files and folders together; folders expand in place.
fn plan_natural(tree: &Tree, rel: &str, ctx: &mut Context) -> Result<Vec<Planned>, FilesError> {
    enum Item<'a> {
        File(&'a Leaf),
        Dir(&'a Tree),
    }
    let mut items: Vec<(&str, Item)> = tree
        .files
        .iter()
        .map(|f| (f.name.as_str(), Item::File(f)))
        .chain(tree.dirs.iter().map(|d| (d.name.as_str(), Item::Dir(d))))
        .collect();
    items.sort_by(|a, b| natural_cmp(a.0, b.0));
    let names: BTreeSet<&str> = tree.files.iter().map(|f| f.name.as_str()).collect();
    let mut out = Vec::new();
    let mut numbered = false;
    let mut up_down = false;
    for (_, item) in items {
        match item {
            Item::File(leaf) => match classify::classify(&leaf.name) {
                FileClass::Sql => {
                    if classify::down_half_of_pair(&leaf.name, |n| names.contains(n)) {
                        ctx.skip(&leaf.path, REASON_DOWN);
                        continue;
                    }
                    if classify::shadowed_by_postgres_file(&leaf.name, |n| names.contains(n)) {
                        ctx.skip(&leaf.path, REASON_SHADOWED);
                        continue;
                    }
                    let stem = classify::sql_stem(&leaf.name);
                    numbered |= stem.starts_with(|c: char| c.is_ascii_digit());
                    up_down |= stem.to_ascii_lowercase().ends_with(".up");
                    out.push(Planned {
                        path: leaf.path.clone(),
                        order_key: join(rel, stem),
                    });
                }
                other => take_non_sql(leaf, rel, other, ctx),
            },
            Item::Dir(dir) if classify::is_down_folder(&dir.name) => {
                ctx.skip(&dir.path, REASON_DOWN_FOLDER);
            }
            Item::Dir(dir) if classify::is_other_database_folder(&dir.name) => {
                ctx.skip(&dir.path, REASON_OTHER_DATABASE_FOLDER);
            }
            Item::Dir(dir) => out.extend(plan_dir(dir, &join(rel, &dir.name), ctx)?),
        }
    }
    let direct_sql = tree
        .files
        .iter()
        .any(|f| classify::classify(&f.name) == FileClass::Sql);
    if direct_sql {
        ctx.use_layout(match (up_down, numbered) {
            (true, _) => "up-down",
            (false, true) => "numbered",
            (false, false) => "files",
        });
    }
    Ok(out)
}

/// The file a per-migration folder runs: Diesel's (and Hasura's) `up.sql`, Prisma's
/// `migration.sql`.
fn migration_file(dir: &Tree) -> Option<&Leaf> {
    dir.file("up.sql").or_else(|| dir.file("migration.sql"))
}

/// Diesel's version of a migration folder: the name's part before the first `_`, with every
/// `-` removed (`migrations_internals::version_from_string`), so `2017-08-31-230457_x` has
/// version `20170831230457`.
pub(crate) fn diesel_version(name: &str) -> String {
    name.split('_').next().unwrap_or(name).replace('-', "")
}

/// A folder of per-migration folders. Diesel sorts by version, byte-wise; Prisma sorts by
/// folder name, byte-wise. Loose files and other folders there are not migrations for either
/// tool, so they are skipped.
fn plan_folder_per_migration(tree: &Tree, rel: &str, ctx: &mut Context) -> Vec<Planned> {
    let mut migrations: Vec<(&Tree, &Leaf)> = Vec::new();
    for dir in &tree.dirs {
        let dir_rel = join(rel, &dir.name);
        let Some(run) = migration_file(dir) else {
            if classify::is_down_folder(&dir.name) {
                ctx.skip(&dir.path, REASON_DOWN_FOLDER);
            } else {
                skip_tree(
                    dir,
                    &dir_rel,
                    "not a migration: the folder has no up.sql or migration.sql",
                    ctx,
                );
            }
            continue;
        };
        migrations.push((dir, run));
        for leaf in &dir.files {
            if leaf.name == run.name {
                continue;
            }
            match classify::classify(&leaf.name) {
                FileClass::Sql => ctx.skip(
                    &leaf.path,
                    if run.name == "up.sql" {
                        "not run: a migration folder runs only its up.sql"
                    } else {
                        "not run: a migration folder runs only its migration.sql"
                    },
                ),
                other => take_non_sql(leaf, &dir_rel, other, ctx),
            }
        }
        for sub in &dir.dirs {
            skip_tree(
                sub,
                &join(&dir_rel, &sub.name),
                "not run: inside a migration folder",
                ctx,
            );
        }
    }
    for leaf in &tree.files {
        match classify::classify(&leaf.name) {
            FileClass::Sql => ctx.skip(
                &leaf.path,
                "not a migration: beside per-migration folders, only <version>_<name>/up.sql or migration.sql runs",
            ),
            other => take_non_sql(leaf, rel, other, ctx),
        }
    }
    let prisma = migrations
        .iter()
        .all(|(_, run)| run.name == "migration.sql");
    let key = |dir: &Tree| -> String {
        if prisma {
            dir.name.clone()
        } else {
            diesel_version(&dir.name)
        }
    };
    migrations.sort_by(|(a, _), (b, _)| {
        key(a)
            .as_bytes()
            .cmp(key(b).as_bytes())
            .then_with(|| a.name.cmp(&b.name))
    });
    ctx.use_layout(if prisma { "prisma" } else { "diesel" });
    migrations
        .into_iter()
        .map(|(dir, run)| Planned {
            path: run.path.clone(),
            order_key: key(dir),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_versions() {
        let cases = [
            ("20170308140537_create_to_semver", "20170308140537"),
            ("2017-08-31-230457_invitations", "20170831230457"),
            ("2026-05-27-120000-0000_semver_ord", "202605271200000000"),
            ("00000000000000_diesel_initial_setup", "00000000000000"),
            (
                "2019-11-15-182353_Add email notifications",
                "20191115182353",
            ),
            ("noversion", "noversion"),
        ];
        for (name, version) in cases {
            assert_eq!(diesel_version(name), version, "{name}");
        }
    }
}
