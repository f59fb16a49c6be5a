//! Where connection defaults come from: environment variables, the OS user, the home
//! directory and the default socket directory, behind a trait so that parsing is testable
//! without touching the process environment.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The outside world as libpq consults it when settings are left out.
pub trait Env {
    /// An environment variable (`PGHOST`, `PGPASSWORD` …).
    fn var(&self, name: &str) -> Option<String>;
    /// The operating-system user name (libpq's default role name).
    fn os_user(&self) -> Option<String>;
    /// The home directory (for `~/.pgpass` and `~/.postgresql/root.crt`).
    fn home_dir(&self) -> Option<PathBuf>;
    /// The directory of a local server's Unix socket for `port`, when one exists; libpq
    /// connects there when no host is given.
    fn default_socket_dir(&self, port: u16) -> Option<PathBuf>;
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEnv;

/// Socket directories libpq builds use by default: Debian's, then upstream's.
pub(crate) const DEFAULT_SOCKET_DIRS: [&str; 3] =
    ["/var/run/postgresql", "/run/postgresql", "/tmp"];

impl Env for SystemEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn os_user(&self) -> Option<String> {
        // libpq asks getpwuid(geteuid()); without libc, /proc/self belongs to our uid and
        // /etc/passwd names it. Fall back to the login variables.
        std::fs::metadata("/proc/self")
            .ok()
            .and_then(|m| user_name_for_uid(m.uid()))
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .or_else(|| std::env::var("LOGNAME").ok().filter(|u| !u.is_empty()))
    }

    fn home_dir(&self) -> Option<PathBuf> {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }

    fn default_socket_dir(&self, port: u16) -> Option<PathBuf> {
        DEFAULT_SOCKET_DIRS
            .iter()
            .map(Path::new)
            .find(|dir| dir.join(format!(".s.PGSQL.{port}")).exists())
            .map(Path::to_path_buf)
    }
}

fn user_name_for_uid(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        let line_uid: u32 = fields.next()?.parse().ok()?;
        (line_uid == uid).then(|| name.to_string())
    })
}

/// A fixed environment for tests: variables from the map; `USER` and `HOME` stand for the
/// OS user and home directory; no local socket unless `PGDRIFT_SOCKET_DIR` says so.
impl Env for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }

    fn os_user(&self) -> Option<String> {
        self.get("USER").cloned()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME").map(PathBuf::from)
    }

    fn default_socket_dir(&self, _port: u16) -> Option<PathBuf> {
        self.get("PGDRIFT_SOCKET_DIR").map(PathBuf::from)
    }
}
