# shellcheck shell=bash
# A throwaway local PostgreSQL cluster for scripts (demo, benchmark), started the way the test
# harness starts one: from the system's server binaries (or PGDRIFT_PG_BIN), on a free port, as
# the `postgres` user when run as root, trust authentication on 127.0.0.1 only, removed on exit.
#
#   source scripts/lib/pg.sh
#   pg_start            # sets PG_PORT, PG_URL_BASE (postgres://postgres@127.0.0.1:PORT), PG_BIN
#   pg_createdb NAME; pg_psql NAME -f FILE …
#   (pg_stop runs automatically on exit)

pg_find_bin() {
  if [ -n "${PGDRIFT_PG_BIN:-}" ]; then echo "$PGDRIFT_PG_BIN"; return; fi
  local d
  d="$(pg_config --bindir 2>/dev/null || true)"
  if [ -n "$d" ] && [ -x "$d/postgres" ]; then echo "$d"; return; fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$d" ] && [ -x "$d/postgres" ]; then echo "$d"; return; fi
  return 1
}

pg_ensure_installed() {
  if ! pg_find_bin >/dev/null || ! command -v psql >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing PostgreSQL with apt-get…" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
    else
      echo "PostgreSQL server binaries not found: install PostgreSQL or set PGDRIFT_PG_BIN" >&2
      return 2
    fi
  fi
}

pg_as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  pg_ensure_installed
  PG_BIN="$(pg_find_bin)"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pgdrift-script.XXXXXX")"
  chmod 755 "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  PG_SUPERUSER=postgres
  [ "$(id -u)" != 0 ] && PG_SUPERUSER="$(id -un)"
  PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)"
  trap pg_stop EXIT
  pg_as_server_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_SUPERUSER" -A trust -E UTF8 \
    --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 2; }
  pg_as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off ${PG_EXTRA_OPTS:-}" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 2; }
  PG_URL_BASE="postgres://$PG_SUPERUSER@127.0.0.1:$PG_PORT"
  export PG_BIN PG_DIR PG_PORT PG_URL_BASE PG_SUPERUSER
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    pg_as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

pg_psql() {
  local db="$1"; shift
  psql -X -q -v ON_ERROR_STOP=1 -d "$PG_URL_BASE/$db" "$@"
}

pg_createdb() {
  pg_psql postgres -c "CREATE DATABASE \"$1\"" >/dev/null
}
