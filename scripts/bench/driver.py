#!/usr/bin/env python3
"""Timing driver of scripts/bench.sh: runs each command interleaved with the others, a warm-up
round first, then --runs timed rounds; wall time from just before fork to wait4 (process start
included), peak RSS and CPU time from the kernel's accounting of that child (wait4 rusage).

A command that fails is reported as failed and left out of later rounds; the others go on.
Only the standard library is used.
"""

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402  (next to this file)


class Row:
    """One benchmarked command."""

    def __init__(self, key, label, argv, ok_codes, note=None):
        self.key = key
        self.label = label
        self.argv = argv
        self.ok_codes = ok_codes
        self.note = note
        self.status = "ok"
        self.error = None
        self.times = []
        self.cpu = []
        self.rss_kib = []
        self.exit_codes = []

    def fail(self, message):
        self.status = "failed"
        self.error = message


# Seconds one run may take before it is killed and reported as failed (--timeout).
SETTINGS = {"timeout": 600.0}


def run_once(argv, stdout=subprocess.DEVNULL):
    """Run argv; return (exit code, wall seconds, cpu seconds, max RSS KiB, stderr text)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as e:
            return 127, 0.0, 0.0, 0, str(e)
        # A hung command is killed and reported, not waited for forever.
        watchdog = threading.Timer(SETTINGS["timeout"], proc.kill)
        watchdog.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if proc.returncode == -9 and wall >= SETTINGS["timeout"]:
        text = f"killed after {SETTINGS['timeout']:g} s (--timeout)\n" + text
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "nothing on stderr"


def capture_json(argv):
    """Run argv once, untimed, and parse its standard output as JSON (None when it fails)."""
    try:
        out = subprocess.run(argv, capture_output=True, timeout=600)
        return json.loads(out.stdout.decode("utf-8", "replace"))
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def psql_counts(psql, url, counts_sql):
    out = subprocess.run([psql, "-X", "-q", "-A", "-t", "-d", url, "-f", counts_sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    values = out.stdout.strip().split("|")
    keys = ["tables", "partitions", "columns", "indexes", "constraints", "enums"]
    return dict(zip(keys, (int(v) for v in values)))


def psql_value(psql, url, sql):
    out = subprocess.run([psql, "-X", "-q", "-A", "-t", "-d", url, "-c", sql], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def build_rows(a):
    pgdrift = a.pgdrift
    audit = [pgdrift, "audit", "--expected", a.expected, "--env", f"a={a.url_a}", "--env", f"b={a.url_b}"]
    return [
        Row("snapshot", "pgdrift snapshot A", [pgdrift, "snapshot", a.url_a], {0}),
        Row("inspect", "static read: pgdrift inspect <folder> --format json",
            [pgdrift, "inspect", a.expected, "--format", "json"], {0}),
        Row("diff", "pgdrift diff A B", [pgdrift, "diff", a.url_a, a.url_b], {0, 1}),
        Row("audit", "pgdrift audit --expected <folder> --env a --env b --format markdown",
            audit + ["--format", "markdown"], {0, 1}),
        Row("pg_dump", "pg_dump --schema-only A (reference)", [a.pg_dump, "--schema-only", "-d", a.url_a], {0}),
    ]


def preflight(rows, log):
    """The warm-up round: run each command once; fall back from markdown to json for audit."""
    for row in rows:
        code, wall, _, _, err = run_once(row.argv)
        if code not in row.ok_codes and row.key == "audit":
            json_argv = row.argv[:-1] + ["json"]
            code2, wall2, _, _, err2 = run_once(json_argv)
            if code2 in row.ok_codes:
                row.note = (f"--format markdown is not available in this build (exit {code}: "
                            f"{first_line(err)}); measured with --format json")
                row.argv = json_argv
                row.label = row.label.replace("markdown", "json")
                code, wall, err = code2, wall2, err2
        if code not in row.ok_codes:
            row.fail(f"exit {code}: {first_line(err)}")
        log(f"  warm-up {row.key:<8} {'ok' if row.status == 'ok' else row.error} ({wall * 1000:.0f} ms)")


def timed_rounds(rows, runs, log):
    for r in range(runs):
        # Rotate the order each round so no command always runs right after the same one.
        order = rows[r % len(rows):] + rows[:r % len(rows)]
        for row in order:
            if row.status != "ok":
                continue
            code, wall, cpu, rss, err = run_once(row.argv)
            row.exit_codes.append(code)
            if code not in row.ok_codes:
                row.fail(f"exit {code} in round {r + 1}: {first_line(err)}")
                continue
            row.times.append(wall)
            row.cpu.append(cpu)
            row.rss_kib.append(rss)
        log(f"  round {r + 1}/{runs} done")


def model_counts(doc):
    """Objects in a `pgdrift inspect --format json` model, counted like scripts/bench/counts.sql
    (partitions are tables; constraint-backed indexes are indexes too)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("schemas"), dict):
        return None
    c = dict(tables=0, partitions=0, columns=0, indexes=0, constraints=0, enums=0)

    def table(t, partition):
        c["tables"] += 1
        c["partitions"] += 1 if partition else 0
        c["columns"] += len(t.get("columns") or [])
        c["indexes"] += len(t.get("indexes") or {})
        constraints = t.get("constraints") or {}
        c["constraints"] += len(constraints)
        c["indexes"] += sum(1 for k in constraints.values()
                            if isinstance(k, dict) and ("primary_key" in k or "unique" in k or "exclude" in k))
        for p in (t.get("partitions") or {}).values():
            table(p, True)

    for schema in doc["schemas"].values():
        c["enums"] += len(schema.get("enums") or {})
        for t in (schema.get("tables") or {}).values():
            table(t, False)
    return c


def findings_by_environment(doc):
    """{environment: {"total": n, "by_kind": {kind: n}}} from a JSON report."""
    out = {}
    for f in doc.get("findings") or []:
        if not isinstance(f, dict):
            continue
        env = out.setdefault(f.get("environment") or "-", {"total": 0, "by_kind": {}})
        env["total"] += 1
        env["by_kind"][f.get("kind")] = env["by_kind"].get(f.get("kind"), 0) + 1
    return out


def cross_checks(a, rows):
    """What pgdrift read and reported, so a fast but wrong build cannot pass unnoticed
    (untimed, --format json)."""
    checks = {}
    by_key = {r.key: r for r in rows}
    if by_key["inspect"].status == "ok":
        checks["static_read_counts"] = model_counts(capture_json([a.pgdrift, "inspect", a.expected, "--format", "json"]))
    if by_key["snapshot"].status == "ok":
        checks["live_read_counts"] = model_counts(capture_json([a.pgdrift, "inspect", a.url_a, "--format", "json"]))
    if by_key["diff"].status == "ok":
        doc = capture_json([a.pgdrift, "diff", a.url_a, a.url_b, "--format", "json"])
        if isinstance(doc, dict):
            checks["diff_findings"] = findings_by_environment(doc)
    if by_key["audit"].status == "ok":
        doc = capture_json([a.pgdrift, "audit", "--expected", a.expected, "--env", f"a={a.url_a}",
                            "--env", f"b={a.url_b}", "--format", "json"])
        if isinstance(doc, dict):
            checks["audit_findings"] = findings_by_environment(doc)
    return checks


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--pgdrift", required=True)
    p.add_argument("--pg-dump", required=True)
    p.add_argument("--psql", default="psql")
    p.add_argument("--url-a", required=True)
    p.add_argument("--url-b", required=True)
    p.add_argument("--expected", required=True, help="the migration folder")
    p.add_argument("--manifest", required=True)
    p.add_argument("--counts-sql", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json-out", required=True)
    p.add_argument("--load-seconds", type=float, default=None)
    p.add_argument("--commit", default=None)
    p.add_argument("--timeout", type=float, default=SETTINGS["timeout"], help="seconds one run may take")
    a = p.parse_args()
    SETTINGS["timeout"] = a.timeout

    def log(message):
        print(message, file=sys.stderr, flush=True)

    with open(a.manifest) as f:
        manifest = json.load(f)
    counts = {
        "a": psql_counts(a.psql, a.url_a, a.counts_sql),
        "b": psql_counts(a.psql, a.url_b, a.counts_sql),
    }
    predicted = {"a": manifest["expected"]["counts"], "b": manifest["drifted"]["counts"]}
    rows = build_rows(a)
    log(f"warm-up (1 round), then {a.runs} timed rounds, interleaved:")
    load_before = os.getloadavg()
    preflight(rows, log)
    timed_rounds(rows, a.runs, log)
    load_after = os.getloadavg()
    checks = cross_checks(a, rows)

    version = subprocess.run([a.pgdrift, "--version"], capture_output=True, text=True)
    dump_version = subprocess.run([a.pg_dump, "--version"], capture_output=True, text=True)
    context = {
        "tables": manifest["tables_requested"],
        "seed": manifest["seed"],
        "runs": a.runs,
        "warmup_rounds": 1,
        "statements": manifest["expected"]["statements"],
        "migration_files": manifest["expected"]["files"],
        "migration_bytes": manifest["expected"]["bytes"],
        "drift_changes": manifest["drift_changes"],
        "drift_changes_by_kind": manifest["drift_changes_by_kind"],
        "counts": counts,
        "predicted_counts": predicted,
        "server_version": psql_value(a.psql, a.url_a, "SHOW server_version"),
        "pgdrift_version": version.stdout.strip() or None,
        "pgdrift_commit": a.commit,
        "pg_dump_version": dump_version.stdout.strip() or None,
        "load_seconds": a.load_seconds,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
        "commands": {r.key: " ".join(shlex.quote(x) for x in r.argv) for r in rows},
        "cross_checks": checks,
    }
    result = report.build(context, rows)
    report.attach_linear(result, os.path.dirname(os.path.abspath(a.json_out)))
    with open(a.json_out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(report.render(result))
    print(f"\nresults: {a.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
