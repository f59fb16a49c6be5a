//! The test harness: a throwaway PostgreSQL cluster per test binary, one fresh database per test.
//!
//! The cluster is started from the system's server binaries (`PGDRIFT_TEST_PG_BIN`, else
//! `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`) on a free port, as the
//! `postgres` user when the tests run as root (PostgreSQL refuses to run as root). It is
//! started once, shared by every test of the binary, and stopped when the test process exits
//! (the server gets SIGINT from the kernel when its parent thread dies: `PR_SET_PDEATHSIG`).
//! `PGDRIFT_TEST_URL=postgres://user@host:port/db` points the tests at an existing server
//! instead; databases are then created there.
//!
//! Tests load SQL with the system's `psql` (as a reviewer would), and talk to the server as
//! pgdrift does. Roles whose name starts with `pw_` must authenticate with a password over
//! TCP; every other role is trusted, so tests need no secrets unless they test them.

#![allow(dead_code)]

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

/// A running PostgreSQL server the tests may use.
#[derive(Debug, Clone)]
pub struct TestServer {
    pub host: String,
    pub port: u16,
    /// A superuser that connects without a password.
    pub superuser: String,
    /// The directory holding the server binaries (for servers the harness started).
    pub bin_dir: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    /// `server_version_num`, e.g. 150018.
    pub version_num: u32,
}

/// Options for a server started by a test for itself (the shared one uses the defaults).
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Extra `-c name=value` settings.
    pub settings: Vec<(String, String)>,
    /// Files to copy into the data directory before start (e.g. TLS certificates): (name, contents).
    pub files: Vec<(String, Vec<u8>)>,
    /// Lines put at the top of pg_hba.conf, before the harness's own.
    pub hba_prepend: Vec<String>,
}

/// A database created for one test.
#[derive(Debug, Clone)]
pub struct TestDb {
    pub server: TestServer,
    pub name: String,
}

static SHARED: OnceLock<TestServer> = OnceLock::new();
static DB_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The server shared by every test of this binary, started on first use.
pub fn server() -> &'static TestServer {
    SHARED.get_or_init(|| {
        if let Ok(url) = std::env::var("PGDRIFT_TEST_URL") {
            return existing_server(&url);
        }
        start_server(ServerOptions::default()).unwrap_or_else(|e| panic!("test server: {e}"))
    })
}

/// A fresh, empty database on the shared server, named after `label`.
pub fn fresh_db(label: &str) -> TestDb {
    server().create_db(label)
}

impl TestServer {
    /// `postgres://user@host:port/db` for `user` (no password).
    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@{}:{}/{db}", self.host, self.port)
    }

    /// `postgres://user:password@host:port/db`.
    pub fn url_with_password(&self, user: &str, password: &str, db: &str) -> String {
        format!(
            "postgres://{user}:{password}@{}:{}/{db}",
            self.host, self.port
        )
    }

    pub fn major(&self) -> u32 {
        self.version_num / 10_000
    }

    /// Run SQL as the superuser on `db` with psql; panics with psql's stderr on error.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self.psql_output(db, &["-c", sql]);
        ok_or_panic(out, sql)
    }

    fn psql_output(&self, db: &str, args: &[&str]) -> Output {
        Command::new("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url(&self.superuser, db))
            .args(args)
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run psql (is the PostgreSQL client installed?): {e}")
            })
    }

    /// Create a fresh database whose name starts with `label`.
    pub fn create_db(&self, label: &str) -> TestDb {
        let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
        let clean: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("t{}_{n}_{clean}", std::process::id());
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        TestDb {
            server: self.clone(),
            name,
        }
    }

    /// Create a role (idempotent) with the given attributes, e.g. `LOGIN PASSWORD 'x'`.
    /// Roles named `pw_…` join `pw_required`, whose members must give their password.
    pub fn ensure_role(&self, role: &str, attributes: &str) {
        let mut sql = format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN \
             CREATE ROLE \"{role}\" {attributes}; END IF; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        );
        if role.starts_with("pw_") {
            sql = format!(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pw_required') THEN \
                 CREATE ROLE pw_required NOLOGIN; END IF; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$; {sql}; GRANT pw_required TO \"{role}\""
            );
        }
        self.psql("postgres", &sql);
    }
}

impl TestDb {
    /// URL of this database for the superuser.
    pub fn url(&self) -> String {
        self.server.url(&self.server.superuser, &self.name)
    }

    pub fn url_as(&self, user: &str) -> String {
        self.server.url(user, &self.name)
    }

    /// Run SQL (one or more statements) as the superuser; returns psql's unaligned output.
    pub fn exec(&self, sql: &str) -> String {
        self.server.psql(&self.name, sql)
    }

    /// Load a SQL file the way the scenarios say to: `psql -v ON_ERROR_STOP=1 -f FILE`.
    pub fn load_file(&self, path: &Path) {
        let path_str = path.to_string_lossy().to_string();
        let out = self.server.psql_output(&self.name, &["-f", &path_str]);
        ok_or_panic(out, &path_str);
    }

    /// Load several files in order (a migration folder in its apply order), each in
    /// autocommit mode as `psql -f` runs it, through one psql process.
    pub fn load_files<P: AsRef<Path>>(&self, paths: &[P]) {
        let mut args: Vec<String> = Vec::new();
        for path in paths {
            args.push("-f".into());
            args.push(path.as_ref().to_string_lossy().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.server.psql_output(&self.name, &args);
        ok_or_panic(out, &format!("{} files", paths.len()));
    }
}

fn ok_or_panic(out: Output, what: &str) -> String {
    if !out.status.success() {
        panic!(
            "psql failed on {what}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

fn existing_server(url: &str) -> TestServer {
    // postgres://user@host:port/db (password-less; the tests create databases through it).
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .unwrap_or_else(|| panic!("PGDRIFT_TEST_URL must be a postgres:// URL"));
    let (user, rest) = rest.split_once('@').unwrap_or(("postgres", rest));
    let hostport = rest.split('/').next().unwrap_or("127.0.0.1:5432");
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "5432"));
    let mut server = TestServer {
        host: host.to_string(),
        port: port.parse().unwrap_or(5432),
        superuser: user.to_string(),
        bin_dir: None,
        data_dir: None,
        version_num: 0,
    };
    server.version_num = server
        .psql("postgres", "SHOW server_version_num")
        .parse()
        .unwrap_or(0);
    server
}

/// The directory of the server binaries to test against.
pub fn pg_bin_dir() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("PGDRIFT_TEST_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("postgres").exists() && dir.join("initdb").exists() {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("no PostgreSQL server found (/usr/lib/postgresql: {e}); install one or set PGDRIFT_TEST_PG_BIN"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let major = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((major, bin))
        })
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server binaries under /usr/lib/postgresql".to_string())
}

/// The unprivileged account the server runs as when we are root: (uid, gid).
fn server_account() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let name = std::ffi::CString::new("postgres").ok()?;
    // SAFETY: getpwnam returns a pointer to static storage or null; we copy the ids out at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        panic!("running as root but there is no 'postgres' user to run the test server as");
    }
    // SAFETY: pw is non-null and points to a valid passwd record.
    Some(unsafe { ((*pw).pw_uid, (*pw).pw_gid) })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(54329)
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).unwrap();
    // SAFETY: c is a valid NUL-terminated path.
    unsafe {
        libc::chown(c.as_ptr(), uid, gid);
    }
    if path.is_dir() {
        for entry in fs::read_dir(path).into_iter().flatten().flatten() {
            chown_tree(&entry.path(), uid, gid);
        }
    }
}

/// A command that runs as the server account (when root), dies with its parent thread.
fn server_command(program: &Path, account: Option<(u32, u32)>, die_with_parent: bool) -> Command {
    let mut cmd = Command::new(program);
    // SAFETY: only async-signal-safe libc calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = account {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
            }
            // After setuid: a credential change clears the parent-death signal.
            if die_with_parent && libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

/// Remove data directories of earlier test runs whose server is gone.
fn remove_stale_clusters(root: &Path) {
    for entry in fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix("cluster-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<i32>().ok())
        else {
            continue;
        };
        // SAFETY: kill with signal 0 only checks for existence.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        if !alive && !entry.path().join("data/postmaster.pid").exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

static CLUSTER_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Start a new cluster with `options`; it stops when the test process exits.
pub fn start_server(options: ServerOptions) -> Result<TestServer, String> {
    let bin = pg_bin_dir()?;
    let account = server_account();
    let root = std::env::temp_dir().join("pgdrift-test-clusters");
    fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    let _ = fs::set_permissions(&root, fs::Permissions::from_mode(0o777));
    remove_stale_clusters(&root);
    let dir = root.join(format!(
        "cluster-{}-{}",
        std::process::id(),
        CLUSTER_COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let data = dir.join("data");
    if let Some((uid, gid)) = account {
        chown_tree(&dir, uid, gid);
    }
    let superuser = if account.is_some() {
        "postgres".to_string()
    } else {
        std::env::var("USER").unwrap_or_else(|_| "postgres".into())
    };

    let out = server_command(&bin.join("initdb"), account, false)
        .args(["-D"])
        .arg(&data)
        .args([
            "-U",
            &superuser,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    let mut hba = options.hba_prepend.join("\n");
    hba.push_str(
        "\nlocal all all trust\n\
         host all +pw_required 127.0.0.1/32 scram-sha-256\n\
         host all +pw_required ::1/128 scram-sha-256\n\
         host all all 127.0.0.1/32 trust\n\
         host all all ::1/128 trust\n",
    );
    fs::write(data.join("pg_hba.conf"), hba).map_err(|e| e.to_string())?;
    for (name, contents) in &options.files {
        let path = data.join(name);
        fs::write(&path, contents).map_err(|e| e.to_string())?;
        let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o600));
    }
    if let Some((uid, gid)) = account {
        chown_tree(&dir, uid, gid);
    }

    let port = free_port();
    let mut args: Vec<String> = vec![
        "-D".into(),
        data.to_string_lossy().into(),
        "-p".into(),
        port.to_string(),
        "-k".into(),
        dir.to_string_lossy().into(),
    ];
    let mut settings: Vec<(String, String)> = vec![
        ("listen_addresses".into(), "127.0.0.1".into()),
        ("fsync".into(), "off".into()),
        ("synchronous_commit".into(), "off".into()),
        ("full_page_writes".into(), "off".into()),
        ("max_connections".into(), "200".into()),
        ("password_encryption".into(), "scram-sha-256".into()),
    ];
    settings.extend(options.settings.iter().cloned());
    for (k, v) in settings {
        args.push("-c".into());
        args.push(format!("{k}={v}"));
    }

    // The server's parent must be a thread that lives as long as the process: the kernel
    // sends the parent-death signal when the *thread* that forked it exits.
    let (tx, rx) = mpsc::channel();
    let postgres = bin.join("postgres");
    let log = dir.join("server.log");
    std::thread::Builder::new()
        .name(format!("pg-keeper-{port}"))
        .spawn(move || {
            let log_file = fs::File::create(&log);
            let mut cmd = server_command(&postgres, account, true);
            cmd.args(&args).stdin(Stdio::null());
            if let Ok(f) = log_file {
                if let Ok(f2) = f.try_clone() {
                    cmd.stdout(f).stderr(f2);
                }
            }
            let child = cmd.spawn();
            let failed = child.is_err();
            let _ = tx.send(child.map(|_| ()).map_err(|e| e.to_string()));
            if !failed {
                loop {
                    std::thread::park();
                }
            }
        })
        .map_err(|e| e.to_string())?;
    rx.recv()
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot start postgres: {e}"))?;

    let mut server = TestServer {
        host: "127.0.0.1".into(),
        port,
        superuser,
        bin_dir: Some(bin),
        data_dir: Some(data),
        version_num: 0,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = server.psql_output("postgres", &["-c", "SHOW server_version_num"]);
        if out.status.success() {
            server.version_num = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0);
            break;
        }
        if Instant::now() > deadline {
            let log = fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!("postgres did not start on port {port}:\n{log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // pg_dump-style files (pagila) assign ownership to a role named postgres.
    server.ensure_role("postgres", "SUPERUSER LOGIN");
    Ok(server)
}
