#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL for tests: scripts/pg.sh start DIR PORT | stop DIR
set -euo pipefail
cmd=$1 dir=$2
case "$cmd" in
  start)
    port=$3
    rm -rf "$dir"; mkdir -p "$dir/data" "$dir/sock"
    chown -R postgres "$dir" 2>/dev/null || true
    chmod 700 "$dir/data"
    as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    as_pg initdb -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_pg pg_ctl -D "$dir/data" -l "$dir/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    else pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    ;;
esac
