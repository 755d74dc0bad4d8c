#!/usr/bin/env bash
# Starts, stops or reports the local PostgreSQL and Redis that the tests, benchmarks and fault drills use.
# Installs them from Debian packages when missing. Usage: bash scripts/servers.sh start|stop|status [postgres|redis]
set -uo pipefail

PG_ROLE=agentconsole
PG_PASSWORD=agentconsole
REDIS_PORT="${AGENTCONSOLE_REDIS_PORT:-6379}"

# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

pg_cluster() { pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}'; }

pg_start() {
  command -v pg_lsclusters >/dev/null 2>&1 || install_packages postgresql
  local cluster; cluster=$(pg_cluster)
  [ -n "$cluster" ] || { echo "No PostgreSQL cluster found" >&2; return 1; }
  # shellcheck disable=SC2086
  pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online || as_root pg_ctlcluster $cluster start || return 1
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.5
  done
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'\"" | grep -q 1 ||
    as_root su postgres -c "psql -qc \"CREATE ROLE $PG_ROLE LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'\"" || return 1
  echo "PostgreSQL is up on 127.0.0.1:5432 (role $PG_ROLE)"
}

pg_stop() {
  local cluster; cluster=$(pg_cluster)
  # shellcheck disable=SC2086
  [ -n "$cluster" ] && as_root pg_ctlcluster $cluster stop -m fast 2>/dev/null
  echo "PostgreSQL stopped"
}

redis_start() {
  command -v redis-server >/dev/null 2>&1 || install_packages redis-server
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes --logfile /tmp/agentconsole-redis.log >/dev/null
    for _ in $(seq 1 30); do
      redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
      sleep 0.2
    done
  fi
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "Redis did not start" >&2; return 1; }
  echo "Redis is up on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  echo "Redis stopped"
}

status() {
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo "PostgreSQL: up" || echo "PostgreSQL: down"
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && echo "Redis: up" || echo "Redis: down"
}

action="${1:-start}"; which="${2:-all}"
case "$action:$which" in
  start:all) pg_start && redis_start ;;
  start:postgres) pg_start ;;
  start:redis) redis_start ;;
  stop:all) pg_stop; redis_stop ;;
  stop:postgres) pg_stop ;;
  stop:redis) redis_stop ;;
  status:*) status ;;
  *) echo "usage: $0 start|stop|status [postgres|redis]" >&2; exit 2 ;;
esac
