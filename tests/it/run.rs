//! Running the `pgdrift` binary the way a user does, capturing what it prints and its exit code.

use std::process::Command;

/// What one run of `pgdrift` printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Run `pgdrift ARGS…` with a clean libpq environment (no PG* variables, no ~/.pgpass).
pub fn pgdrift<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    pgdrift_with_env(args, &[])
}

/// Run `pgdrift ARGS…` with extra environment variables.
pub fn pgdrift_with_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgdrift"));
    cmd.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") {
            cmd.env_remove(key);
        }
    }
    cmd.env("PGPASSFILE", "/nonexistent/pgdrift-test-pgpass");
    cmd.env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run pgdrift");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        code: out.status.code().unwrap_or(-1),
    }
}
