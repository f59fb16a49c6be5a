//! Migration folder layouts and their apply order.
//!
//! INTERFACE CONTRACT: `SourcePlan`, `SqlFile`, `Skipped`, `FilesError`, `discover` and
//! `read_text` keep these names and signatures. The body below is a first, simple
//! implementation (plain sorted walk).

use std::fmt;
use std::path::{Path, PathBuf};

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

fn display_of(root: &Path, path: &Path) -> String {
    let base = root.parent().unwrap_or(root);
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .to_string()
}

/// Find the SQL and YAML files under `path` (a file or a folder) and put them in apply order.
pub fn discover(path: &Path) -> Result<SourcePlan, FilesError> {
    let mut plan = SourcePlan {
        root: path.to_path_buf(),
        layout: "files".into(),
        ..SourcePlan::default()
    };
    let mut files = Vec::new();
    collect(path, &mut files).map_err(|e| FilesError {
        path: path.to_string_lossy().to_string(),
        line: None,
        message: e.to_string(),
    })?;
    files.sort();
    for file in files {
        let name = file.to_string_lossy().to_string();
        let display = display_of(path, &file);
        if name.ends_with(".sql") && !name.ends_with(".down.sql") {
            plan.sql.push(SqlFile {
                order_key: display.clone(),
                display,
                path: file,
            });
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            plan.yaml.push(file);
        } else {
            plan.skipped.push(Skipped {
                path: file,
                display,
                reason: "not a SQL or YAML file".into(),
            });
        }
    }
    Ok(plan)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), out)?;
        }
    } else {
        std::fs::metadata(path)?;
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Read a SQL file as UTF-8; invalid bytes are an error naming the file and line.
pub fn read_text(file: &SqlFile) -> Result<String, FilesError> {
    let bytes = std::fs::read(&file.path).map_err(|e| FilesError {
        path: file.display.clone(),
        line: None,
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        FilesError {
            path: file.display.clone(),
            line: Some(line),
            message: "invalid UTF-8".into(),
        }
    })
}
