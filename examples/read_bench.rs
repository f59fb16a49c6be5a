//! Static reading speed: `cargo run --release --example read_bench -- FOLDER [--runs N]
//! [--pg MAJOR]` reads a migration folder (or file) the way `pgdrift inspect` does — order
//! the files, split them, parse and replay every statement, fold the model — and prints the
//! median time of each phase, statements per second and the peak memory.
//!
//! Every run is a fresh process (this program started again with `--once`), so the times
//! include what a real run pays (first use of the built-in catalog, page faults) and the
//! peak memory is that run's own: `VmHWM` from `/proc/self/status` (Linux), reset before
//! `read`, so it is the peak of `read` and `finish` with the program itself.
//!
//! Phases, each timed separately inside one run:
//! - `split`: discover and read the files, split them into statements;
//! - `parse`: parse every statement on its own (sqlparser plus pgdrift's pre-passes);
//! - `read`: `ddl::read_path` (split, parse and replay everything) — the real work;
//! - `finish`: fold the replayed state into the model.
//!
//! `split` and `parse` repeat work `read` also does: they show its parts, and are not
//! added to the total. The statements per second are over `read + finish`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use pgdrift::ddl::{self, files, parse, split, ReadOptions};
use pgdrift::model::PgVersion;

/// What one run measured.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    files: usize,
    statements: usize,
    split: f64,
    parse: f64,
    read: f64,
    finish: f64,
    tables: usize,
    peak_kib: u64,
}

const FIELDS: usize = 8;

impl Run {
    fn encode(&self) -> String {
        format!(
            "{} {} {} {} {} {} {} {}",
            self.files,
            self.statements,
            self.split,
            self.parse,
            self.read,
            self.finish,
            self.tables,
            self.peak_kib
        )
    }

    fn decode(line: &str) -> Option<Run> {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != FIELDS {
            return None;
        }
        Some(Run {
            files: f[0].parse().ok()?,
            statements: f[1].parse().ok()?,
            split: f[2].parse().ok()?,
            parse: f[3].parse().ok()?,
            read: f[4].parse().ok()?,
            finish: f[5].parse().ok()?,
            tables: f[6].parse().ok()?,
            peak_kib: f[7].parse().ok()?,
        })
    }
}

/// The process's peak resident memory so far, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn once(path: &Path, version: PgVersion) -> Result<Run, String> {
    let options = ReadOptions { version };
    let mut run = Run::default();

    let start = Instant::now();
    let plan = files::discover(path).map_err(|e| e.to_string())?;
    let mut statements = Vec::new();
    for file in &plan.sql {
        let text = files::read_text(file).map_err(|e| e.to_string())?;
        let split = split::split(&text, &file.display).map_err(|e| e.to_string())?;
        statements.extend(split.statements);
    }
    run.split = start.elapsed().as_secs_f64();
    run.files = plan.sql.len();
    run.statements = statements.len();

    let start = Instant::now();
    for statement in &statements {
        std::hint::black_box(parse::parse(&statement.text));
    }
    run.parse = start.elapsed().as_secs_f64();
    drop(statements);
    // Peak memory is that of `read` and `finish`: reset the high-water mark here (Linux 4.0+;
    // if it cannot be reset, the peak covers the whole run).
    let _ = std::fs::write("/proc/self/clear_refs", "5");

    let start = Instant::now();
    let (replayer, _plan) = ddl::read_path(path, &options).map_err(|e| e.to_string())?;
    run.read = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let loaded = replayer.finish();
    run.finish = start.elapsed().as_secs_f64();
    run.tables = loaded.schema.tables().count();
    run.peak_kib = peak_kib();
    Ok(run)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

struct Args {
    path: PathBuf,
    runs: usize,
    version: PgVersion,
    once: bool,
}

fn args() -> Result<Args, String> {
    let mut path = None;
    let mut runs = 5;
    let mut version = PgVersion(15);
    let mut once = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n >= 1)
                    .ok_or("--runs needs a number of at least 1")?
            }
            "--pg" => {
                version = PgVersion(
                    it.next()
                        .and_then(|n| n.parse().ok())
                        .ok_or("--pg needs a major version")?,
                )
            }
            "--once" => once = true,
            "-h" | "--help" => {
                return Err(
                    "usage: read_bench FOLDER [--runs N] [--pg MAJOR]  (see the file's header)"
                        .into(),
                )
            }
            _ if path.is_none() => path = Some(PathBuf::from(a)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Args {
        path: path.ok_or("give the migration folder to read")?,
        runs,
        version,
        once,
    })
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("read_bench: {e}");
            std::process::exit(2);
        }
    };
    if args.once {
        match once(&args.path, args.version) {
            Ok(run) => println!("{}", run.encode()),
            Err(e) => {
                eprintln!("read_bench: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("read_bench: cannot find this program to run it again: {e}");
            std::process::exit(2);
        }
    };
    let mut runs = Vec::new();
    // One warm-up run (file cache), then the timed ones.
    for i in 0..=args.runs {
        let out = Command::new(&exe)
            .arg(&args.path)
            .args(["--pg", &args.version.0.to_string(), "--once"])
            .output();
        let run = match out {
            Ok(out) if out.status.success() => {
                Run::decode(String::from_utf8_lossy(&out.stdout).trim())
            }
            Ok(out) => {
                eprint!("{}", String::from_utf8_lossy(&out.stderr));
                std::process::exit(2);
            }
            Err(e) => {
                eprintln!("read_bench: {e}");
                std::process::exit(2);
            }
        };
        let Some(run) = run else {
            eprintln!("read_bench: a run printed nothing readable");
            std::process::exit(2);
        };
        if i > 0 {
            runs.push(run);
        }
    }
    let first = runs[0];
    let med = |f: fn(&Run) -> f64| median(runs.iter().map(f).collect());
    let total = median(runs.iter().map(|r| r.read + r.finish).collect());
    let peak = runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    println!(
        "{}: {} files, {} statements, {} tables read (PostgreSQL {} rendering), {} runs",
        args.path.display(),
        first.files,
        first.statements,
        first.tables,
        args.version.0,
        runs.len()
    );
    println!("  split (files, statements)  {:>10}", ms(med(|r| r.split)));
    println!("  parse (every statement)    {:>10}", ms(med(|r| r.parse)));
    println!("  read  (split+parse+replay) {:>10}", ms(med(|r| r.read)));
    println!("  finish (fold the model)    {:>10}", ms(med(|r| r.finish)));
    println!(
        "  read + finish              {:>10}  = {:.0} statements/s (median; min {}, max {})",
        ms(total),
        first.statements as f64 / total.max(1e-9),
        ms(runs
            .iter()
            .map(|r| r.read + r.finish)
            .fold(f64::MAX, f64::min)),
        ms(runs.iter().map(|r| r.read + r.finish).fold(0.0, f64::max)),
    );
    println!(
        "  peak memory of read + finish (VmHWM)  {:.1} MiB",
        peak as f64 / 1024.0
    );
}
