//! Migration folder layouts and their apply order: which files under a path are SQL
//! migrations (in the order their tool runs them), which are YAML schema files, and which are
//! deliberately skipped, with why. The rules are documented in `docs/migration-layouts.md`.
//! Splitting the files into statements is `split`'s job.
//!
//! INTERFACE CONTRACT: `SourcePlan`, `SqlFile`, `Skipped`, `FilesError`, `discover` and
//! `read_text` keep these names and signatures.

mod classify;
mod flyway;
mod layouts;
mod natural;
mod sqitch;
mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

use classify::FileClass;

/// What a path holds, in the order pgdrift applies it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePlan {
    /// The path the user gave.
    pub root: PathBuf,
    /// A short name of the layout recognised (`numbered`, `prisma`, `diesel`, `flyway` …).
    pub layout: String,
    /// SQL migrations, in apply order.
    pub sql: Vec<SqlFile>,
    /// YAML schema files, applied after all SQL, in this order.
    pub yaml: Vec<PathBuf>,
    /// Files seen and deliberately not applied, with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlFile {
    pub path: PathBuf,
    /// The path as shown to users (relative to the root's parent where possible).
    pub display: String,
    /// The version or name the ordering used for this file (shown by `inspect`).
    pub order_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub display: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilesError {
    /// The file (or folder) concerned, as shown to users, with a line where one applies.
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for FilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for FilesError {}

/// Find the SQL and YAML files under `path` (a file or a folder) and put them in apply order.
///
/// A file is taken as it is (by extension: SQL or YAML). A folder is walked: hidden entries,
/// down migrations, disabled and backup files and non-SQL files are skipped (and listed), and
/// each folder is ordered by the layout it holds (Diesel or Prisma folders per migration,
/// Flyway names, a Sqitch plan, or natural order of names). YAML files come after all SQL.
pub fn discover(path: &Path) -> Result<SourcePlan, FilesError> {
    let mut ctx = Context::new(path);
    let meta = std::fs::metadata(path).map_err(|e| FilesError {
        // The path exactly as the user gave it.
        path: path.to_string_lossy().to_string(),
        ..ctx.io_error(path, &e)
    })?;
    if !meta.is_dir() {
        return discover_file(path, ctx);
    }
    let tree = walk::read_tree(path, &mut ctx)?;
    let planned = layouts::plan_dir(&tree, "", &mut ctx)?;
    let mut plan = SourcePlan {
        root: path.to_path_buf(),
        layout: String::new(),
        sql: planned
            .into_iter()
            .map(|p| SqlFile {
                display: ctx.display(&p.path),
                path: p.path,
                order_key: p.order_key,
            })
            .collect(),
        yaml: Vec::new(),
        skipped: Vec::new(),
    };
    ctx.yaml
        .sort_by(|a, b| natural::natural_path_cmp(&a.0, &b.0));
    plan.yaml = ctx.yaml.into_iter().map(|(_, p)| p).collect();
    ctx.skipped
        .sort_by(|a, b| natural::natural_path_cmp(&a.display, &b.display));
    plan.skipped = ctx.skipped;
    plan.layout = if !ctx.layouts.is_empty() {
        ctx.layouts.join("+")
    } else if !plan.yaml.is_empty() {
        "yaml".into()
    } else {
        String::new()
    };
    if plan.sql.is_empty() && plan.yaml.is_empty() {
        return Err(empty_folder_error(path, &plan.skipped));
    }
    Ok(plan)
}

/// A single file named by the user: read it whatever its name says about versions.
fn discover_file(path: &Path, ctx: Context) -> Result<SourcePlan, FilesError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut plan = SourcePlan {
        root: path.to_path_buf(),
        ..SourcePlan::default()
    };
    if classify::is_sql_name(&name) {
        plan.layout = "file".into();
        plan.sql.push(SqlFile {
            path: path.to_path_buf(),
            display: ctx.display(path),
            order_key: classify::sql_stem(&name).to_string(),
        });
    } else if classify::classify(&name) == FileClass::Yaml {
        plan.layout = "yaml".into();
        plan.yaml.push(path.to_path_buf());
    } else {
        return Err(FilesError {
            path: ctx.display(path),
            line: None,
            message: "not a SQL (.sql) or YAML (.yaml, .yml) file".into(),
        });
    }
    Ok(plan)
}

fn empty_folder_error(path: &Path, skipped: &[Skipped]) -> FilesError {
    let mut message = "no SQL or YAML files found".to_string();
    if !skipped.is_empty() {
        let shown: Vec<String> = skipped
            .iter()
            .take(3)
            .map(|s| format!("{} ({})", s.display, s.reason))
            .collect();
        let more = if skipped.len() > 3 {
            format!(", and {} more", skipped.len() - 3)
        } else {
            String::new()
        };
        message.push_str(&format!(
            "; skipped {} file(s): {}{more}",
            skipped.len(),
            shown.join(", ")
        ));
    }
    FilesError {
        path: path.to_string_lossy().to_string(),
        line: None,
        message,
    }
}

/// A file placed in apply order by a layout, with the key its order came from.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub path: PathBuf,
    pub order_key: String,
}

/// What the walk and the layouts gather on the way.
pub(crate) struct Context {
    root: PathBuf,
    pub skipped: Vec<Skipped>,
    /// YAML files with their path relative to the root (for ordering).
    pub yaml: Vec<(String, PathBuf)>,
    /// Layout names in the order they were first used.
    pub layouts: Vec<String>,
}

impl Context {
    fn new(root: &Path) -> Context {
        Context {
            root: root.to_path_buf(),
            skipped: Vec::new(),
            yaml: Vec::new(),
            layouts: Vec::new(),
        }
    }

    /// `path` as shown to users: relative to the root's parent, so the root's own name stays.
    pub fn display(&self, path: &Path) -> String {
        let base = match self.root.file_name() {
            Some(_) => self.root.parent().unwrap_or(&self.root),
            None => &self.root,
        };
        let shown = path.strip_prefix(base).unwrap_or(path).to_string_lossy();
        if shown.is_empty() {
            path.to_string_lossy().to_string()
        } else {
            shown.to_string()
        }
    }

    pub fn skip(&mut self, path: &Path, reason: &str) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            display: self.display(path),
            reason: reason.to_string(),
        });
    }

    pub fn add_yaml(&mut self, rel: String, path: &Path) {
        self.yaml.push((rel, path.to_path_buf()));
    }

    pub fn use_layout(&mut self, name: &str) {
        if !self.layouts.iter().any(|l| l == name) {
            self.layouts.push(name.to_string());
        }
    }

    pub fn io_error(&self, path: &Path, error: &std::io::Error) -> FilesError {
        let message = match error.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => error.to_string(),
        };
        FilesError {
            path: self.display(path),
            line: None,
            message,
        }
    }
}

/// Read a SQL file as UTF-8; invalid bytes are an error naming the file and line.
/// A leading UTF-8 byte-order mark is dropped.
pub fn read_text(file: &SqlFile) -> Result<String, FilesError> {
    read_text_at(&file.path, &file.display)
}

/// Read any text file (SQL or YAML) as UTF-8, like `read_text`; `display` names it in errors.
pub fn read_text_at(path: &Path, display: &str) -> Result<String, FilesError> {
    let bytes = std::fs::read(path).map_err(|e| FilesError {
        path: display.to_string(),
        line: None,
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
            _ => e.to_string(),
        },
    })?;
    decode_utf8(bytes, display)
}

fn decode_utf8(mut bytes: Vec<u8>, display: &str) -> Result<String, FilesError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let before = &bytes[..valid];
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        // Columns count characters, as an editor shows them.
        let column = 1 + String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count();
        FilesError {
            path: display.to_string(),
            line: Some(line),
            message: format!(
                "invalid UTF-8 (byte 0x{:02X} at column {column}); pgdrift reads SQL and YAML as UTF-8",
                bytes.get(valid).copied().unwrap_or(0)
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_name_line_and_column() {
        let err = decode_utf8(b"SELECT 1;\nSELECT '\xFF';\n".to_vec(), "x.sql").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("0xFF at column 9"), "{}", err.message);
        assert_eq!(
            err.to_string().split(':').take(2).collect::<Vec<_>>(),
            ["x.sql", "2"]
        );
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let text = decode_utf8(b"\xEF\xBB\xBFSELECT 1;".to_vec(), "x.sql").unwrap();
        assert_eq!(text, "SELECT 1;");
        let text = decode_utf8("é;".as_bytes().to_vec(), "x.sql").unwrap();
        assert_eq!(text, "é;");
    }

    #[test]
    fn display_keeps_the_root_name() {
        let ctx = Context::new(Path::new("/a/b/intended"));
        assert_eq!(
            ctx.display(Path::new("/a/b/intended/m/001.sql")),
            "intended/m/001.sql"
        );
        let ctx = Context::new(Path::new("intended"));
        assert_eq!(ctx.display(Path::new("intended/x.sql")), "intended/x.sql");
        let ctx = Context::new(Path::new("."));
        assert_eq!(ctx.display(Path::new("./x.sql")), "x.sql");
    }
}
