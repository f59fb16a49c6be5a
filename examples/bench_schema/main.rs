//! `cargo run --release --example bench_schema -- --tables 2000 --out target/bench/2000`:
//! writes the benchmark's migration folder (`expected/`), its drifted copy (`drifted/`: the
//! same files plus one of manual hot-fixes) and `manifest.json` (what a database loaded from
//! each folder holds, statements, drift changes). Same seed, same bytes.

mod gen;

#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

struct Args {
    options: gen::Options,
    out: PathBuf,
}

const USAGE: &str = "usage: bench_schema [--tables N] [--seed S] [--drift-percent P] --out DIR";

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut options = gen::Options::default();
    let mut out = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--tables" => options.tables = number(&value("--tables")?)?,
            "--seed" => options.seed = number(&value("--seed")?)? as u64,
            "--drift-percent" => {
                options.drift_percent = value("--drift-percent")?
                    .parse()
                    .map_err(|e| format!("--drift-percent: {e}"))?
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    if options.tables == 0 {
        return Err("--tables must be at least 1".into());
    }
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    Ok(Args { options, out })
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a number"))
}

fn write_folder(dir: &Path, files: &[&gen::SqlFile]) -> std::io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    for file in files {
        fs::write(dir.join(&file.name), &file.text)?;
    }
    Ok(())
}

fn counts_json(c: &gen::Counts) -> serde_json::Value {
    json!({
        "tables": c.tables,
        "partitions": c.partitions,
        "columns": c.columns,
        "indexes": c.indexes,
        "constraints": c.constraints,
        "enums": c.enums,
    })
}

fn run(args: &Args) -> std::io::Result<serde_json::Value> {
    let output = gen::generate(&args.options);
    let expected: Vec<&gen::SqlFile> = output.files.iter().collect();
    let mut drifted = expected.clone();
    drifted.push(&output.drift);
    write_folder(&args.out.join("expected"), &expected)?;
    write_folder(&args.out.join("drifted"), &drifted)?;
    let bytes: usize = output.files.iter().map(|f| f.text.len()).sum();
    let manifest = json!({
        "generator": "examples/bench_schema",
        "tables_requested": args.options.tables,
        "seed": args.options.seed,
        "drift_percent": args.options.drift_percent,
        "expected": {
            "folder": "expected",
            "files": output.files.len(),
            "statements": output.statements(),
            "bytes": bytes,
            "counts": counts_json(&output.expected),
        },
        "drifted": {
            "folder": "drifted",
            "files": output.files.len() + 1,
            "drift_file": output.drift.name,
            "drift_statements": output.drift.statements,
            "counts": counts_json(&output.drifted),
        },
        "drift_changes": output.change_count(),
        "drift_changes_by_kind": output.changes,
        "drift_fraction": output.change_count() as f64 / output.expected.objects() as f64,
    });
    fs::write(
        args.out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(manifest)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("bench_schema: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(manifest) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&manifest).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_schema: cannot write {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
