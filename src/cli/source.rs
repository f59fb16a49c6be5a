//! Reading a source into the model: live databases through `catalog`, SQL folders through
//! `ddl` (YAML files in them applied after the SQL), YAML files through `yaml`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::catalog::{self, CatalogError, ConnSettings, ConnectOptions, SystemEnv};
use crate::ddl::files::{self, FilesError, SourcePlan};
use crate::ddl::split::RawStatement;
use crate::ddl::{self, DdlError, ReadOptions, Replayer};
use crate::model::{Loaded, PgVersion};
use crate::yaml::{self, YamlError, YamlSource, YamlStatement};

use super::plan::SourceSpec;

/// Trouble reading one source (exit 2). Messages name the file and line, or the redacted
/// database source; they never hold a password.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Catalog(#[from] CatalogError),
    #[error("{0}")]
    Files(#[from] FilesError),
    #[error("{0}")]
    Ddl(#[from] DdlError),
    #[error("{0}")]
    Yaml(#[from] YamlError),
    #[error(
        "{0}: no such file or directory (and not a postgres:// URL or key=value connection string)"
    )]
    NotFound(String),
    #[error("{0}: a database is needed here, not a file")]
    NotADatabase(String),
}

/// How to reach and read databases.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    pub connect: ConnectOptions,
    /// Used when the connection string does not set `connect_timeout`.
    pub connect_timeout: Duration,
    pub schemas: Vec<String>,
}

/// A database read: its model and how to show where it came from.
#[derive(Debug)]
pub struct LiveSource {
    pub display: String,
    pub loaded: Loaded,
    /// `server_version_num` (150018).
    pub server_version_num: Option<u32>,
}

/// The redacted, user-facing name of a source.
pub fn display(spec: &SourceSpec) -> String {
    match spec {
        SourceSpec::Database(raw) => ConnSettings::parse(raw, &SystemEnv)
            .map(|s| s.display())
            .unwrap_or_else(|_| super::plan::redact(raw)),
        SourceSpec::Path(path) => path.display().to_string(),
    }
}

/// Connect to a database and read its schema.
pub async fn read_live(raw: &str, options: &LiveOptions) -> Result<LiveSource, SourceError> {
    let connected = connect_live(raw, options).await?;
    read_connected(connected, options).await
}

/// A database connected to, not read yet.
#[derive(Debug)]
pub struct Connected {
    pub display: String,
    pub session: catalog::Session,
}

/// Connect to a database (its server version is known from then on).
pub async fn connect_live(raw: &str, options: &LiveOptions) -> Result<Connected, SourceError> {
    let mut settings = ConnSettings::parse(raw, &SystemEnv).map_err(CatalogError::from)?;
    if settings.connect_timeout.is_none() {
        settings.connect_timeout = Some(options.connect_timeout);
    }
    let display = settings.display();
    let session = catalog::connect(&settings, &options.connect).await?;
    Ok(Connected { display, session })
}

/// Read the schema of a database connected to.
pub async fn read_connected(
    connected: Connected,
    options: &LiveOptions,
) -> Result<LiveSource, SourceError> {
    let Connected { display, session } = connected;
    let loaded = session
        .read(&catalog::ReadOptions {
            schemas: options.schemas.clone(),
        })
        .await?;
    Ok(LiveSource {
        display,
        loaded,
        server_version_num: Some(session.server_version_num()),
    })
}

/// What reading files yielded, with the order used (for `inspect`).
#[derive(Debug)]
pub struct StaticSource {
    pub loaded: Loaded,
    /// The plan of a folder or SQL file; `None` for a single YAML file.
    pub plan: Option<SourcePlan>,
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn statements(yaml: Vec<YamlStatement>) -> Vec<RawStatement> {
    yaml.into_iter()
        .map(|s| RawStatement {
            text: s.sql,
            location: s.location,
        })
        .collect()
}

/// Apply one YAML file to a replay: a snapshot overlays its tables, hand-written intent is
/// replayed as the SQL it stands for.
fn apply_yaml(replayer: &mut Replayer, path: &Path, display: &str) -> Result<(), SourceError> {
    let text = files::read_text_at(path, display)?;
    match yaml::read(&text, display)? {
        YamlSource::Canonical(loaded) => replayer.overlay(loaded.schema),
        YamlSource::Statements(yaml) => replayer.replay_statements(&statements(yaml)),
    }
    Ok(())
}

/// Read SQL and YAML files statically, rendering as PostgreSQL `version` would.
pub fn read_static(
    path: &Path,
    version: PgVersion,
    schemas: &[String],
) -> Result<StaticSource, SourceError> {
    if !path.exists() {
        return Err(SourceError::NotFound(path.display().to_string()));
    }
    let options = ReadOptions { version };
    let (mut loaded, plan) = if path.is_file() && is_yaml(path) {
        let display = path.display().to_string();
        let text = files::read_text_at(path, &display)?;
        match yaml::read(&text, &display)? {
            YamlSource::Canonical(loaded) => (loaded, None),
            YamlSource::Statements(yaml) => {
                let mut replayer = Replayer::new(&options);
                replayer.replay_statements(&statements(yaml));
                (replayer.finish(), None)
            }
        }
    } else {
        let (mut replayer, plan) = ddl::read_path(path, &options)?;
        let base = path.parent().unwrap_or(path);
        for yaml_path in &plan.yaml {
            let display = yaml_path
                .strip_prefix(base)
                .unwrap_or(yaml_path)
                .display()
                .to_string();
            apply_yaml(&mut replayer, yaml_path, &display)?;
        }
        (replayer.finish(), Some(plan))
    };
    loaded.schema.retain_namespaces(schemas);
    Ok(StaticSource { loaded, plan })
}

/// A path given where a file source is expected.
pub fn path_of(spec: &SourceSpec) -> Option<&PathBuf> {
    match spec {
        SourceSpec::Path(p) => Some(p),
        SourceSpec::Database(_) => None,
    }
}

/// The migrations of a folder as their tools record them in bookkeeping tables: the folder
/// name for `<version>_<name>/up.sql` and Prisma's `migration.sql` (Diesel records the version
/// without dashes), else the file name without `.sql` / `.up.sql`.
pub fn migration_ids(plan: &SourcePlan) -> Vec<String> {
    plan.sql
        .iter()
        .filter_map(|file| {
            let name = file.path.file_name()?.to_str()?;
            if matches!(name, "up.sql" | "migration.sql") {
                let dir = file.path.parent()?.file_name()?.to_str()?;
                if plan.layout.contains("diesel") {
                    let (version, _) = dir.split_once('_').unwrap_or((dir, ""));
                    return Some(version.replace('-', ""));
                }
                return Some(dir.to_string());
            }
            let stem = name
                .strip_suffix(".up.sql")
                .or_else(|| name.strip_suffix(".sql"))?;
            Some(stem.to_string())
        })
        .collect()
}
