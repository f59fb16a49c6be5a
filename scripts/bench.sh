#!/usr/bin/env bash
# The pgdrift benchmark, side by side with `pg_dump --schema-only` (see docs/benchmark.md).
#
#   scripts/bench.sh                    # 2,000 tables, 5 timed rounds after a warm-up
#   scripts/bench.sh --tables 200       # quick check (seconds once built)
#   scripts/bench.sh --tables 100       # the "100-table pair" target
#   scripts/bench.sh --runs 9 --keep    # more rounds; keep target/bench/tables-N/
#   scripts/bench.sh --pg 18            # another server (scripts/install-pg.sh); also PGDRIFT_PG_BIN
#   scripts/bench.sh --seed 7           # another generated schema
#
# Builds pgdrift and the generator with `cargo build --release`, writes the migration folder and
# its drifted copy under target/bench/tables-N/, loads them with psql into two databases of a
# throwaway cluster (scripts/lib/pg.sh), times every command interleaved (scripts/bench/driver.py),
# prints the table and writes target/bench/results-N.json. The cluster always stops; the
# generated folders are removed unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."

tables=2000
runs=5
seed=1
keep=0
pg_major=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) tables="${2:?--tables needs a number}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --pg) pg_major="${2:?--pg needs a major version}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$tables" "$runs" "$seed"; do
  case "$n" in ''|*[!0-9]*) echo "bench.sh: '$n' is not a number" >&2; exit 2 ;; esac
done
[ "$tables" -ge 1 ] && [ "$runs" -ge 1 ] || { echo "bench.sh: --tables and --runs must be at least 1" >&2; exit 2; }
[ "$runs" -ge 5 ] || echo "bench.sh: note: fewer than 5 timed rounds; medians are less reliable" >&2
command -v python3 >/dev/null || { echo "bench.sh: python3 is required (the timing driver)" >&2; exit 2; }

if [ -n "$pg_major" ]; then
  PGDRIFT_PG_BIN="$(scripts/install-pg.sh "$pg_major")"
  export PGDRIFT_PG_BIN
fi
# shellcheck source=lib/pg.sh
source scripts/lib/pg.sh

bench_dir="target/bench"
work="$bench_dir/tables-$tables"
results="$bench_dir/results-$tables.json"
bin_dir="${CARGO_TARGET_DIR:-target}/release"

cleanup() {
  pg_stop
  if [ "$keep" = 0 ] && [ -n "${work:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building pgdrift and the schema generator (cargo build --release)" >&2
cargo build --release --quiet --bin pgdrift --example bench_schema

echo "== generating $tables tables (seed $seed) under $work" >&2
mkdir -p "$bench_dir"
"$bin_dir/examples/bench_schema" --tables "$tables" --seed "$seed" --out "$work" >/dev/null

echo "== starting a throwaway PostgreSQL cluster" >&2
pg_start
trap cleanup EXIT
pg_createdb bench_a
pg_createdb bench_b

load_folder() {
  local db="$1" dir="$2" args=() f
  while IFS= read -r f; do args+=(-f "$f"); done < <(ls "$dir"/*.sql | sort)
  PGOPTIONS='-c client_min_messages=warning' pg_psql "$db" "${args[@]}" >/dev/null
}

echo "== loading both folders with psql" >&2
load_start=$(date +%s.%N)
load_folder bench_a "$work/expected" & pid_a=$!
load_folder bench_b "$work/drifted" & pid_b=$!
status=0
wait "$pid_a" || status=$?
wait "$pid_b" || status=$?
[ "$status" = 0 ] || { echo "bench.sh: loading the generated SQL failed (psql exit $status)" >&2; exit 2; }
load_seconds=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$load_start" "$(date +%s.%N)")

pg_dump_bin="$PG_BIN/pg_dump"
[ -x "$pg_dump_bin" ] || pg_dump_bin="$(command -v pg_dump || echo pg_dump)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || commit="$commit-dirty"

echo "== timing" >&2
python3 scripts/bench/driver.py \
  --pgdrift "$bin_dir/pgdrift" \
  --pg-dump "$pg_dump_bin" \
  --url-a "$PG_URL_BASE/bench_a" \
  --url-b "$PG_URL_BASE/bench_b" \
  --expected "$work/expected" \
  --manifest "$work/manifest.json" \
  --counts-sql scripts/bench/counts.sql \
  --runs "$runs" \
  --load-seconds "$load_seconds" \
  --commit "$commit" \
  --json-out "$results"
