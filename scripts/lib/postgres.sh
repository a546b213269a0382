# Sourced by scripts/run-tests, scripts/bench and scripts/loadtest: a throwaway PostgreSQL
# cluster in a temporary directory, run as an unprivileged user when we are root, on a free
# loopback port; stopped and removed when the calling script exits.
# After `start_throwaway_postgres [extra server settings]`: PG_BIN, PG_PORT, PG_ADMIN_URL_BASE.

find_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true
}

start_throwaway_postgres() {
  PG_BIN=$(find_pg_bin)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL's server is not on this machine: apt-get install postgresql" >&2
    return 1
  fi
  PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/wijkteam-pg.XXXXXX")
  PG_AS_OWNER=()
  if [ "$(id -u)" = 0 ]; then
    local owner
    owner=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
    chown "$owner" "$PG_TMP"
    PG_AS_OWNER=(runuser -u "$owner" --)
  fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap stop_throwaway_postgres EXIT
  "${PG_AS_OWNER[@]}" "$PG_BIN/initdb" -D "$PG_TMP/data" -U wijkteam -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log"; return 1; }
  "${PG_AS_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -o \
    "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_TMP $*" start >/dev/null || { cat "$PG_TMP/server.log"; return 1; }
  PG_URL_BASE="postgres://wijkteam@127.0.0.1:$PG_PORT"
}

create_database() {
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wijkteam "$1"
}

stop_throwaway_postgres() {
  if [ -n "${PG_TMP:-}" ]; then
    "${PG_AS_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
