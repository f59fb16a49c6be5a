"""Results of scripts/bench.sh: medians, peak RSS and ratios to pg_dump, the targets checked
against them, the 200 → 2,000 tables cost ratio, as a printed table and a JSON document."""

import datetime
import json
import os
import statistics

MIB = 1024.0  # ru_maxrss is in KiB on Linux

# (row, description, measured quantity, limit, unit, smaller is better, applies to table counts)
TARGETS = [
    ("diff", "median ≤ 0.35 × pg_dump", "ratio", 0.35, "×", True, None),
    ("diff", "peak RSS ≤ 100 MiB", "peak_rss_mib", 100.0, "MiB", True, None),
    ("diff", "100-table pair ≤ 60 ms end to end", "median_ms", 60.0, "ms", True, 100),
    ("audit", "median ≤ 0.6 × pg_dump", "ratio", 0.6, "×", True, None),
    ("inspect", "≥ 20,000 statements/s", "statements_per_second", 20000.0, "statements/s", False, None),
]
LINEAR_LIMIT = 12.0


def _row_result(row, statements):
    r = {
        "key": row.key,
        "label": row.label,
        "status": row.status,
        "error": row.error,
        "note": row.note,
        "exit_codes": row.exit_codes,
        "times_ms": [round(t * 1000, 2) for t in row.times],
        "median_ms": None,
        "min_ms": None,
        "max_ms": None,
        "cpu_median_ms": None,
        "peak_rss_mib": None,
        "ratio": None,
    }
    if row.status == "ok" and row.times:
        r["median_ms"] = round(statistics.median(row.times) * 1000, 2)
        r["min_ms"] = round(min(row.times) * 1000, 2)
        r["max_ms"] = round(max(row.times) * 1000, 2)
        r["cpu_median_ms"] = round(statistics.median(row.cpu) * 1000, 2)
        r["peak_rss_mib"] = round(max(row.rss_kib) / MIB, 1)
        if row.key == "inspect":
            r["statements_per_second"] = round(statements / statistics.median(row.times))
    return r


def build(context, rows):
    result = {"format_version": 1,
              "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    result.update(context)
    out_rows = [_row_result(r, context["statements"]) for r in rows]
    dump = next((r for r in out_rows if r["key"] == "pg_dump"), None)
    dump_median = dump["median_ms"] if dump else None
    for r in out_rows:
        if r["median_ms"] is not None and dump_median:
            r["ratio"] = round(r["median_ms"] / dump_median, 3)
    result["rows"] = out_rows
    result["targets"] = _targets(out_rows, context["tables"])
    _add_caveats(result)
    notes = []
    for r in out_rows:
        if r["note"]:
            notes.append(f"{r['key']}: {r['note']}")
        if r["status"] != "ok":
            notes.append(f"{r['key']} FAILED: {r['error']}")
    for side in ("a", "b"):
        got, want = context["counts"].get(side), context["predicted_counts"].get(side)
        if got is None:
            notes.append(f"database {side.upper()}: could not count its objects")
        elif got != want:
            diffs = ", ".join(f"{k} {got.get(k)} (predicted {want.get(k)})" for k in sorted(want) if got.get(k) != want.get(k))
            notes.append(f"database {side.upper()} differs from the generator's prediction: {diffs}")
    result["notes"] = notes
    result["linear"] = None
    return result


def _targets(rows, tables):
    by_key = {r["key"]: r for r in rows}
    out = []
    for key, text, field, limit, unit, smaller, only_upto in TARGETS:
        if only_upto is not None and tables > only_upto:
            continue
        r = by_key.get(key)
        measured = r.get(field) if r else None
        met = None
        if measured is not None:
            met = measured <= limit if smaller else measured >= limit
        out.append({"row": key, "target": text, "limit": limit, "unit": unit, "measured": measured, "met": met})
    return out


def _add_caveats(result):
    """A target met by a build that reads less than the schema, or reports false drift, is
    not met in earnest: say so next to it."""
    checks = result.get("cross_checks") or {}
    truth = result["counts"].get("a")
    static = checks.get("static_read_counts")
    audit_a = (checks.get("audit_findings") or {}).get("a")
    for t in result["targets"]:
        caveat = None
        if t["row"] == "inspect" and truth and static is not None and static != truth:
            caveat = (f"the static reader read {static['tables']:,} of {truth['tables']:,} tables and "
                      f"{static['columns']:,} of {truth['columns']:,} columns")
        if t["row"] == "audit" and audit_a and audit_a.get("total"):
            caveat = f"{audit_a['total']:,} false findings for a (loaded from the folder itself)"
        t["caveat"] = caveat


def attach_linear(result, directory):
    """Cost of 2,000 tables over 200 tables per row, when both result files exist."""
    paths = {n: os.path.join(directory, f"results-{n}.json") for n in (200, 2000)}
    docs = {}
    for n, path in paths.items():
        if result["tables"] == n:
            docs[n] = result
        elif os.path.exists(path):
            try:
                with open(path) as f:
                    docs[n] = json.load(f)
            except (OSError, ValueError):
                return
    if len(docs) < 2:
        return
    small = {r["key"]: r for r in docs[200]["rows"]}
    large = {r["key"]: r for r in docs[2000]["rows"]}
    ratios = {}
    for key, r in large.items():
        s = small.get(key)
        if s and s.get("median_ms") and r.get("median_ms"):
            ratio = r["median_ms"] / s["median_ms"]
            ratios[key] = {"ratio": round(ratio, 2), "met": ratio <= LINEAR_LIMIT}
    result["linear"] = {
        "limit": LINEAR_LIMIT,
        "runs": {str(n): {k: d.get(k) for k in ("generated_at", "pgdrift_commit", "server_version", "seed")}
                 for n, d in docs.items()},
        "ratios": ratios,
    }


def _linear_differences(linear):
    """What differs between the 200- and the 2,000-table runs besides the size."""
    runs = linear["runs"]
    out = []
    for key, what in (("pgdrift_commit", "build"), ("server_version", "server"), ("seed", "seed")):
        values = {n: r.get(key) for n, r in runs.items()}
        if len(set(map(str, values.values()))) > 1:
            out.append(f"{what} " + " vs ".join(f"{v} ({n} tables)" for n, v in sorted(values.items())))
    return ", ".join(out)


def _ms(v):
    if v is None:
        return "—"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"


def _quantity(t):
    v, unit = t["measured"], t["unit"]
    if unit == "×":
        return f"{v:.2f}×"
    if unit == "statements/s":
        return f"{v:,.0f} statements/s"
    return f"{v:.1f} {unit}"


def _mark(met):
    return "—" if met is None else ("✅" if met else "❌")


def _counts(c):
    if not c:
        return "(not counted)"
    return (f"{c['tables']:,} tables ({c['partitions']:,} partitions), {c['columns']:,} columns, "
            f"{c['indexes']:,} indexes, {c['constraints']:,} constraints, {c['enums']:,} enums")


def _kinds(by_kind, top=4):
    items = sorted(by_kind.items(), key=lambda kv: (-kv[1], str(kv[0])))
    text = ", ".join(f"{k} {v}" for k, v in items[:top])
    return text + (", …" if len(items) > top else "")


def _findings(report, environments=None):
    """`n (kind n, …)` for one comparison, or `a: n (…); b: n (…)` for named environments
    (an environment without findings is absent from the report: it shows as 0)."""
    def one(r):
        return f"{r['total']:,} ({_kinds(r['by_kind'])})" if r["total"] else "0"

    empty = {"total": 0, "by_kind": {}}
    if environments is None:
        return "; ".join(one(r) for r in report.values()) if report else "0"
    return "; ".join(f"{env}: {one(report.get(env, empty))}" for env in environments)


def _cross_check_lines(result):
    checks = result.get("cross_checks") or {}
    truth = result["counts"].get("a")
    lines = []
    for key, what in (("static_read_counts", "static read of the folder"), ("live_read_counts", "live read of A")):
        if key not in checks:
            continue
        got = checks[key]
        if got is None:
            lines.append(f"  {what}: the JSON could not be read")
        elif truth is None:
            lines.append(f"  {what}: {_counts(got)}")
        elif got == truth:
            lines.append(f"  ✅ {what}: {_counts(got)}, as in database A")
        else:
            diffs = ", ".join(f"{k} {got.get(k):,} of {truth.get(k):,}" for k in sorted(truth) if got.get(k) != truth.get(k))
            lines.append(f"  ❌ {what}: {diffs} (database A's catalog)")
    if "diff_findings" in checks:
        lines.append(f"  diff A B: {_findings(checks['diff_findings'])}; the drift made {result['drift_changes']} changes")
    if "audit_findings" in checks:
        lines.append(f"  audit: {_findings(checks['audit_findings'], ['a', 'b'])}")
        lines.append("    (A was loaded from the folder itself: every finding for a is a false report)")
    if lines:
        lines.insert(0, "")
        lines.insert(1, "what pgdrift read and reported (untimed, --format json):")
    return lines


def render(result):
    lines = []
    lines.append(f"pgdrift benchmark — {result['tables']:,} tables, PostgreSQL {result['server_version']}, "
                 f"{result['runs']} timed rounds after {result['warmup_rounds']} warm-up, interleaved")
    lines.append(f"  database A (migrations):         {_counts(result['counts'].get('a'))}")
    lines.append(f"  database B (migrations + drift): {_counts(result['counts'].get('b'))}; "
                 f"{result['drift_changes']} drift changes")
    load = f"; loaded with psql in {result['load_seconds']:.1f} s" if result.get("load_seconds") else ""
    lines.append(f"  migration folder: {result['migration_files']} files, {result['statements']:,} statements, "
                 f"{result['migration_bytes'] / 1048576:.1f} MiB{load}")
    m = result["machine"]
    lines.append(f"  machine: {m['cpus']} CPUs, load average {m['load_average_before'][0]} → "
                 f"{m['load_average_after'][0]}; {result['pgdrift_version'] or 'pgdrift (version unknown)'}"
                 f"{' @ ' + result['pgdrift_commit'] if result.get('pgdrift_commit') else ''}")
    lines.append("")
    header = ["command", "median", "min", "max", "CPU", "peak RSS", "× pg_dump"]
    table = [header]
    for r in result["rows"]:
        if r["status"] != "ok":
            table.append([r["label"], "FAILED", "", "", "", "", ""])
            continue
        table.append([
            r["label"], _ms(r["median_ms"]), _ms(r["min_ms"]), _ms(r["max_ms"]), _ms(r["cpu_median_ms"]),
            f"{r['peak_rss_mib']:.1f} MiB", "—" if r["ratio"] is None else f"{r['ratio']:.2f}",
        ])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(widths[j + 1]) for j, c in enumerate(row[1:])]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    inspect = next((r for r in result["rows"] if r["key"] == "inspect"), None)
    if inspect and inspect.get("statements_per_second"):
        lines.append(f"static reading: {result['statements']:,} statements in {_ms(inspect['median_ms'])} = "
                     f"{inspect['statements_per_second']:,} statements/s (process start and JSON output included)")
    lines.append("")
    lines.append("targets:")
    for t in result["targets"]:
        measured = "not measured (this row or pg_dump failed)" if t["measured"] is None else f"measured {_quantity(t)}"
        caveat = f" — but {t['caveat']}" if t.get("caveat") else ""
        lines.append(f"  {_mark(t['met'])} {t['row']}: {t['target']} — {measured}{caveat}")
    if result["linear"]:
        lin = result["linear"]
        parts = [f"{k} {v['ratio']:.1f}× {_mark(v['met'])}" for k, v in sorted(lin["ratios"].items())]
        lines.append(f"  linear cost, 2,000 / 200 tables (≤ {lin['limit']:.0f}×): " + ", ".join(parts))
        differ = _linear_differences(lin)
        if differ:
            lines.append(f"    (the two runs differ: {differ}; compare with care)")
    lines.extend(_cross_check_lines(result))
    if result["notes"]:
        lines.append("")
        lines.append("notes:")
        lines.extend(f"  - {n}" for n in result["notes"])
    return "\n".join(lines)


def render_markdown(result):
    """The run as Markdown tables, for docs/benchmark.md."""
    lines = [f"**{result['tables']:,} tables** — PostgreSQL {result['server_version']}, "
             f"{result['runs']} timed rounds after {result['warmup_rounds']} warm-up, "
             f"{result.get('pgdrift_version') or 'pgdrift'} @ {result.get('pgdrift_commit') or '?'}, "
             f"{result['generated_at']}, load average {result['machine']['load_average_before'][0]}",
             "",
             "| command | median | min | max | CPU | peak RSS | × pg_dump |",
             "|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        label = "`" + r["label"] + "`"
        if r["status"] != "ok":
            lines.append(f"| {label} | FAILED: {r['error']} | | | | | |")
            continue
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        lines.append(f"| {label} | {_ms(r['median_ms'])} | {_ms(r['min_ms'])} | {_ms(r['max_ms'])} | "
                     f"{_ms(r['cpu_median_ms'])} | {r['peak_rss_mib']:.1f} MiB | {ratio} |")
    lines.append("")
    for t in result["targets"]:
        measured = "not measured" if t["measured"] is None else _quantity(t)
        caveat = f" — but {t['caveat']}" if t.get("caveat") else ""
        lines.append(f"- {_mark(t['met'])} {t['row']}: {t['target']}: {measured}{caveat}")
    if result["linear"] and not _linear_differences(result["linear"]):
        parts = [f"{k} {v['ratio']:.1f}× {_mark(v['met'])}" for k, v in sorted(result["linear"]["ratios"].items())]
        lines.append(f"- linear cost, 2,000 / 200 tables (≤ {result['linear']['limit']:.0f}×): " + ", ".join(parts))
    lines.extend(line.replace("  ", "- ", 1) if line.startswith("  ") and not line.startswith("    ") else line
                 for line in _cross_check_lines(result)[2:])
    return "\n".join(lines)


if __name__ == "__main__":
    # python3 scripts/bench/report.py target/bench/results-2000.json …  → Markdown
    import sys

    for i, path in enumerate(sys.argv[1:]):
        with open(path) as f:
            print(("\n" if i else "") + render_markdown(json.load(f)))
