//! What a file or folder name says about it, before any layout is considered: SQL, YAML,
//! or skipped with a reason (down migrations, disabled and backup files, other files).

/// The kind a file's name gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileClass {
    Sql,
    Yaml,
    Skip(&'static str),
}

pub(crate) const REASON_DOWN: &str = "down migration (only up migrations are applied)";
pub(crate) const REASON_DISABLED: &str = "disabled file (renamed to end in .disabled)";
pub(crate) const REASON_BACKUP: &str = "backup or editor file";
pub(crate) const REASON_NOT_SQL: &str = "not a SQL or YAML file";
pub(crate) const REASON_TOOL_CONFIG: &str = "tool configuration, not a schema";
pub(crate) const REASON_LIQUIBASE: &str = "Liquibase changelog, not a pgdrift schema (not read)";
pub(crate) const REASON_HIDDEN: &str = "hidden";
pub(crate) const REASON_DOWN_FOLDER: &str = "folder of down migrations";
pub(crate) const REASON_OTHER_DATABASE: &str = "migration for another database system";
pub(crate) const REASON_OTHER_DATABASE_FOLDER: &str =
    "folder of migrations for another database system";
pub(crate) const REASON_SHADOWED: &str =
    "not run on PostgreSQL: a PostgreSQL-specific file of the same migration exists";

/// Database systems other than PostgreSQL that migration tools name in file names
/// (`x.mysql.up.sql`, gobuffalo/pop and Ory's popx) and folder names (`migrations/sqlite/`).
const OTHER_DATABASES: [&str; 16] = [
    "mysql",
    "mariadb",
    "sqlite",
    "sqlite3",
    "cockroach",
    "cockroachdb",
    "crdb",
    "mssql",
    "sqlserver",
    "oracle",
    "tidb",
    "clickhouse",
    "spanner",
    "h2",
    "hsqldb",
    "derby",
];

/// The names migration tools give PostgreSQL in file names (`x.postgres.up.sql`).
const POSTGRES_NAMES: [&str; 3] = ["postgres", "postgresql", "pg"];

/// File extensions read as SQL (case-insensitive).
const SQL_EXTENSIONS: [&str; 3] = [".sql", ".pgsql", ".psql"];

/// YAML files that belong to tools sitting next to migrations, never schema files.
const TOOL_YAML: [&str; 6] = [
    "sqlc.yaml",
    "sqlc.yml",
    "compose.yaml",
    "compose.yml",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
];

pub(crate) fn is_sql_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SQL_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// The name without its SQL extension (`001_init.up.sql` → `001_init.up`).
pub(crate) fn sql_stem(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    for ext in SQL_EXTENSIONS {
        if lower.ends_with(ext) {
            return &name[..name.len() - ext.len()];
        }
    }
    name
}

/// Classify a file by its name alone.
pub(crate) fn classify(name: &str) -> FileClass {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".disabled") || lower.ends_with(".disable") || lower.ends_with(".skip") {
        return FileClass::Skip(REASON_DISABLED);
    }
    const BACKUP: [&str; 8] = [".bak", ".orig", ".old", ".rej", ".swp", ".swo", ".tmp", "~"];
    if BACKUP.iter().any(|ext| lower.ends_with(ext)) {
        return FileClass::Skip(REASON_BACKUP);
    }
    if is_sql_name(name) {
        let stem = sql_stem(&lower);
        // Diesel/Hasura `down.sql`, golang-migrate and sqlx `N_x.down.sql`.
        if stem == "down" || stem.ends_with(".down") || stem.ends_with(".undo") {
            return FileClass::Skip(REASON_DOWN);
        }
        // Only the dotted parts after the first name one: `mysql.sql` may be a migration.
        if stem
            .split('.')
            .skip(1)
            .any(|part| OTHER_DATABASES.contains(&part))
        {
            return FileClass::Skip(REASON_OTHER_DATABASE);
        }
        return FileClass::Sql;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        if TOOL_YAML.contains(&lower.as_str()) || lower.starts_with("docker-compose") {
            return FileClass::Skip(REASON_TOOL_CONFIG);
        }
        if lower.contains("changelog") {
            return FileClass::Skip(REASON_LIQUIBASE);
        }
        return FileClass::Yaml;
    }
    FileClass::Skip(REASON_NOT_SQL)
}

/// Folders that hold down migrations by name (`down/`, `rollback/`, `revert/` …).
pub(crate) fn is_down_folder(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "down" | "downs" | "rollback" | "rollbacks" | "revert" | "reverts" | "undo"
    )
}

/// A folder that holds another database system's migrations (`sqlite/`, `mysql/` …).
pub(crate) fn is_other_database_folder(name: &str) -> bool {
    OTHER_DATABASES.contains(&name.to_ascii_lowercase().as_str())
}

/// A migration file for every database (`x.up.sql`) beside a PostgreSQL-specific one of the
/// same migration (`x.postgres.up.sql`): pop and popx run the specific file, not both.
pub(crate) fn shadowed_by_postgres_file(name: &str, sibling_exists: impl Fn(&str) -> bool) -> bool {
    let stem = sql_stem(name);
    let ext = &name[stem.len()..];
    let (base, direction) = match stem.len().checked_sub(3) {
        Some(cut) if stem[cut..].eq_ignore_ascii_case(".up") => (&stem[..cut], &stem[cut..]),
        _ => (stem, ""),
    };
    let last = base.rsplit('.').next().unwrap_or(base).to_ascii_lowercase();
    if base.contains('.') && POSTGRES_NAMES.contains(&last.as_str()) {
        return false;
    }
    POSTGRES_NAMES
        .iter()
        .any(|pg| sibling_exists(&format!("{base}.{pg}{direction}{ext}")))
}

/// A `x_down.sql` / `x-down.sql` file whose `x_up.sql` / `x-up.sql` sibling exists: the
/// down half of a pair (a hand-rolled convention; the suffix alone is not enough, since
/// `slow_down.sql` may well be an up migration).
pub(crate) fn down_half_of_pair(name: &str, sibling_exists: impl Fn(&str) -> bool) -> bool {
    let stem = sql_stem(name);
    let ext = &name[stem.len()..];
    for (down, up) in [("_down", "_up"), ("-down", "-up")] {
        if let Some(base) = stem.strip_suffix(down) {
            if sibling_exists(&format!("{base}{up}{ext}")) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_classify() {
        let cases = [
            ("001_init.sql", FileClass::Sql),
            ("001_init.SQL", FileClass::Sql),
            ("schema.pgsql", FileClass::Sql),
            ("1_init.up.sql", FileClass::Sql),
            ("1_init.down.sql", FileClass::Skip(REASON_DOWN)),
            ("down.sql", FileClass::Skip(REASON_DOWN)),
            (
                "2019_ids.mysql.up.sql",
                FileClass::Skip(REASON_OTHER_DATABASE),
            ),
            (
                "2019_ids.cockroach.up.sql",
                FileClass::Skip(REASON_OTHER_DATABASE),
            ),
            (
                "2019_ids.sqlite3.sql",
                FileClass::Skip(REASON_OTHER_DATABASE),
            ),
            ("2019_ids.postgres.up.sql", FileClass::Sql),
            ("mysql.sql", FileClass::Sql),
            ("001_mysql_import.sql", FileClass::Sql),
            ("up.sql", FileClass::Sql),
            ("011_x.sql.disabled", FileClass::Skip(REASON_DISABLED)),
            ("011_x.sql.bak", FileClass::Skip(REASON_BACKUP)),
            ("011_x.sql~", FileClass::Skip(REASON_BACKUP)),
            ("011_x.sql.orig", FileClass::Skip(REASON_BACKUP)),
            ("models.yaml", FileClass::Yaml),
            ("models.yml", FileClass::Yaml),
            ("sqlc.yaml", FileClass::Skip(REASON_TOOL_CONFIG)),
            ("docker-compose.yml", FileClass::Skip(REASON_TOOL_CONFIG)),
            (
                "db.changelog-master.yaml",
                FileClass::Skip(REASON_LIQUIBASE),
            ),
            ("migration_lock.toml", FileClass::Skip(REASON_NOT_SQL)),
            ("README.md", FileClass::Skip(REASON_NOT_SQL)),
            ("00001_x.go", FileClass::Skip(REASON_NOT_SQL)),
        ];
        for (name, expected) in cases {
            assert_eq!(classify(name), expected, "{name}");
        }
    }

    #[test]
    fn down_pairs_need_their_up_half() {
        let siblings = ["001_users_up.sql", "002-x-up.sql"];
        let exists = |n: &str| siblings.contains(&n);
        assert!(down_half_of_pair("001_users_down.sql", exists));
        assert!(down_half_of_pair("002-x-down.sql", exists));
        assert!(!down_half_of_pair("003_slow_down.sql", exists));
    }

    #[test]
    fn generic_files_beside_postgres_ones() {
        let siblings = ["1_ids.postgres.up.sql", "2_x.pg.sql"];
        let exists = |n: &str| siblings.contains(&n);
        assert!(shadowed_by_postgres_file("1_ids.up.sql", exists));
        assert!(shadowed_by_postgres_file("2_x.sql", exists));
        assert!(!shadowed_by_postgres_file("1_ids.postgres.up.sql", exists));
        assert!(!shadowed_by_postgres_file("3_other.up.sql", exists));
        assert!(!down_half_of_pair("001_users_up.sql", exists));
    }

    #[test]
    fn stems_drop_the_sql_extension() {
        assert_eq!(sql_stem("1_init.up.sql"), "1_init.up");
        assert_eq!(sql_stem("V1__x.SQL"), "V1__x");
        assert_eq!(sql_stem("notes.txt"), "notes.txt");
    }
}
