#!/usr/bin/env bash
# The pgdrift demo: a throwaway local PostgreSQL with a `dev` and a drifted `prod` database,
# built from the example application in expected-schema/, then a real audit and report.
#
#   scripts/demo.sh            # prints the audit, writes target/demo/report.md (and .json)
#
# Installs PostgreSQL with apt-get if it is missing (as root); stops and removes the cluster
# when it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg.sh

echo "== building pgdrift" >&2
cargo build --quiet
pgdrift=target/debug/pgdrift
out=target/demo
mkdir -p "$out"

echo "== starting a throwaway PostgreSQL" >&2
pg_start
echo "   $("$PG_BIN/postgres" --version) on port $PG_PORT" >&2

# dev: every migration applied, plus the table the ORM creates, plus a hand-made experiment.
pg_createdb dev
for f in expected-schema/migrations/*.sql scripts/demo/orm-tables.sql scripts/demo/dev-drift.sql; do
  pg_psql dev -f "$f"
done
# prod: migration 004 never deployed, an old ORM release, incident hot-fixes.
pg_createdb prod
for f in expected-schema/migrations/00[1-3]_*.sql scripts/demo/prod-drift.sql; do
  pg_psql prod -f "$f"
done
echo "   dev and prod are loaded" >&2

echo "== pgdrift audit --expected expected-schema --env dev=… --env prod=…" >&2
set +e
"$pgdrift" audit --expected expected-schema --env "dev=$PG_URL_BASE/dev" --env "prod=$PG_URL_BASE/prod" \
  --format markdown --out "$out/report.md"
status=$?
"$pgdrift" audit --expected expected-schema --env "dev=$PG_URL_BASE/dev" --env "prod=$PG_URL_BASE/prod" \
  --format json --out "$out/report.json"
"$pgdrift" audit --expected expected-schema --env "dev=$PG_URL_BASE/dev" --env "prod=$PG_URL_BASE/prod"
set -e
echo >&2
echo "== the Markdown report is at $out/report.md (JSON: $out/report.json); exit status $status (1 = drift)" >&2
[ "$status" -le 1 ]
