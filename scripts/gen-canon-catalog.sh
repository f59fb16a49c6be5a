#!/usr/bin/env bash
# Generate src/ddl/canon/data/catalog.txt: the slice of pg_catalog that static type resolution
# needs (types, functions, operators, casts), read from real servers of every supported major
# version and merged into one file where each row carries the set of versions it exists in.
#
#   scripts/gen-canon-catalog.sh                 # all majors 13..18 (servers via install-pg.sh)
#   scripts/gen-canon-catalog.sh 13 15 18        # only these (the others' rows are then missing!)
#
# Each major is read from a fresh throwaway cluster (initdb + pg_ctl in a temporary directory,
# as the postgres user when run as root), so the file reflects the template catalog only: no
# extension, no user object. Needs psql on PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$root/src/ddl/canon/data/catalog.txt"
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(13 14 15 16 17 18)

bin_dir() {
  local major="$1"
  if [ "$major" = 15 ] && [ -x /usr/lib/postgresql/15/bin/postgres ]; then
    echo /usr/lib/postgresql/15/bin
  else
    "$here/install-pg.sh" "$major"
  fi
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# One query per row kind; every value is an OID or a plain word, tab separated.
read -r -d '' QUERY <<'SQL' || true
SELECT 'T', t.oid::text, t.typname::text, t.typtype::text, t.typcategory::text,
       t.typispreferred::int::text, t.typelem::text, t.typarray::text, t.typlen::text,
       (t.typcollation <> 0)::int::text, t.typbasetype::text
  FROM pg_type t
 WHERE t.typnamespace = 'pg_catalog'::regnamespace
   AND t.typrelid = 0
   AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0)
UNION ALL
SELECT 'P', p.proname::text, p.prorettype::text, p.proretset::int::text, p.provariadic::text,
       p.pronargdefaults::text,
       coalesce(nullif(array_to_string(p.proargtypes::oid[], ','), ''), '-'), '', '', '', ''
  FROM pg_proc p
 WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind = 'f'
UNION ALL
SELECT 'O', o.oprname::text, o.oprkind::text, o.oprleft::text, o.oprright::text,
       o.oprresult::text, '', '', '', '', ''
  FROM pg_operator o
 WHERE o.oprnamespace = 'pg_catalog'::regnamespace
UNION ALL
SELECT 'C', c.castsource::text, c.casttarget::text, c.castcontext::text, c.castmethod::text,
       coalesce(p.pronargs, 0)::text, coalesce(p.proname::text, '-'), '', '', '', ''
  FROM pg_cast c LEFT JOIN pg_proc p ON p.oid = c.castfunc
 WHERE c.castsource < 16384 AND c.casttarget < 16384
SQL

# Common extensions, installed into a schema of their own so their objects can be told
# apart; a missing one (not shipped with that server) is skipped.
EXTENSIONS=(citext hstore ltree pg_trgm uuid-ossp pgcrypto fuzzystrmatch unaccent intarray cube
            earthdistance)
read -r -d '' EXT_SETUP <<'SQL' || true
CREATE SCHEMA ext;
CREATE FUNCTION pg_temp.tref(t oid) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN t = 0 THEN '0' WHEN t < 16384 THEN t::text
    ELSE (SELECT CASE WHEN y.typelem <> 0 AND y.typlen = -1 AND e.oid IS NOT NULL
                      THEN '@' || e.typname || '[]' ELSE '@' || y.typname END
            FROM pg_type y LEFT JOIN pg_type e ON e.oid = y.typelem WHERE y.oid = t) END $$;
SQL
# Extension rows reference built-in types by OID and the extension's own types as @name.
read -r -d '' EXT_QUERY <<'SQL' || true
WITH members AS (
  SELECT x.extname, d.classid, d.objid FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
   WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND x.extname <> 'plpgsql'
), internal(t) AS (VALUES ('cstring'::regtype), ('internal'::regtype), ('trigger'::regtype),
                          ('event_trigger'::regtype), ('language_handler'::regtype))
SELECT 'XT', m.extname::text, t.typname::text, t.typtype::text, t.typcategory::text,
       t.typispreferred::int::text, '', '', ''
  FROM members m JOIN pg_type t ON t.oid = m.objid WHERE m.classid = 'pg_type'::regclass
UNION ALL
SELECT 'XP', m.extname::text, p.proname::text, pg_temp.tref(p.prorettype), pg_temp.tref(p.provariadic),
       p.pronargdefaults::text,
       coalesce(nullif(array_to_string(ARRAY(SELECT pg_temp.tref(a) FROM unnest(p.proargtypes::oid[]) a), ','), ''), '-'),
       '', ''
  FROM members m JOIN pg_proc p ON p.oid = m.objid
 WHERE m.classid = 'pg_proc'::regclass AND p.prokind = 'f'
   AND p.prorettype NOT IN (SELECT t FROM internal)
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[]) a WHERE a IN (SELECT t FROM internal))
UNION ALL
SELECT 'XO', m.extname::text, o.oprname::text, o.oprkind::text, pg_temp.tref(o.oprleft),
       pg_temp.tref(o.oprright), pg_temp.tref(o.oprresult), '', ''
  FROM members m JOIN pg_operator o ON o.oid = m.objid WHERE m.classid = 'pg_operator'::regclass
UNION ALL
SELECT 'XC', m.extname::text, pg_temp.tref(c.castsource), pg_temp.tref(c.casttarget),
       c.castcontext::text, c.castmethod::text, coalesce(p.pronargs, 0)::text, '', ''
  FROM members m JOIN pg_cast c ON c.oid = m.objid LEFT JOIN pg_proc p ON p.oid = c.castfunc
 WHERE m.classid = 'pg_cast'::regclass
SQL

tmp="$(mktemp -d)"
chmod 777 "$tmp"
running=()
cleanup() {
  for entry in "${running[@]}"; do
    as_server_user "${entry%%|*}/pg_ctl" -D "${entry#*|}" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

versions=()
for major in "${majors[@]}"; do
  bin="$(bin_dir "$major")"
  dir="$tmp/pg$major"
  mkdir -p "$dir" && chmod 777 "$dir"
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  port=$(( 56000 + major ))
  as_server_user "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
    -o "-p $port -k $dir -c listen_addresses=''" start >/dev/null
  running+=("$bin|$dir/data")
  full="$(psql -X -At -h "$dir" -p "$port" -U postgres -d postgres -c 'SHOW server_version')"
  versions+=("$full")
  psql -X -At -F $'\t' -h "$dir" -p "$port" -U postgres -d postgres -c "$QUERY" \
    | sed "s/^/$major\t/" >> "$tmp/rows.tsv"
  {
    echo "$EXT_SETUP"
    for e in "${EXTENSIONS[@]}"; do
      echo "DO \$\$ BEGIN CREATE EXTENSION IF NOT EXISTS \"$e\" SCHEMA ext CASCADE;"
      echo "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'skipped $e: %', SQLERRM; END \$\$;"
    done
    echo "$EXT_QUERY"
  } > "$tmp/ext.sql"
  psql -X -q -At -F $'\t' -h "$dir" -p "$port" -U postgres -d postgres -f "$tmp/ext.sql" 2>/dev/null \
    | sed "s/^/$major\t/" >> "$tmp/rows.tsv"
  as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
done

mkdir -p "$(dirname "$out")"
{
  echo "# Generated by scripts/gen-canon-catalog.sh from PostgreSQL ${versions[*]}; do not edit."
  echo "# Each row: kind, versions (hex bitmask, bit 0 = PostgreSQL 13), then the fields:"
  echo "# T oid name typtype category preferred elem array len collatable basetype"
  echo "# P name rettype retset variadic nargdefaults argtypes(comma separated oids, - for none)"
  echo "# O name kind left right result"
  echo "# C source target context method funcnargs funcname"
  echo "# Extension objects (types as OIDs when built in, @name or @name[] when the extension's):"
  echo "# XT extension name typtype category preferred"
  echo "# XP extension name rettype variadic nargdefaults argtypes"
  echo "# XO extension name kind left right result"
  echo "# XC extension source target context method funcnargs"
  # Merge identical rows of different versions into one row with a version mask.
  awk -F'\t' 'BEGIN { OFS = "\t" }
    {
      major = $1; bit = 2 ^ (major - 13)
      row = $2; for (i = 3; i <= NF; i++) if ($i != "") row = row OFS $i
      if (!(row in mask)) { order[++n] = row; mask[row] = 0 }
      if (int(mask[row] / bit) % 2 == 0) mask[row] += bit
    }
    END {
      for (i = 1; i <= n; i++) {
        split(order[i], f, OFS); rest = order[i]; sub(/^[^\t]*\t/, "", rest)
        printf "%s\t%x\t%s\n", f[1], mask[order[i]], rest
      }
    }' "$tmp/rows.tsv" | LC_ALL=C sort -t $'\t' -k1,1 -k3
} > "$out"
echo "wrote $out ($(wc -l < "$out") lines)" >&2
