#!/usr/bin/env bash
# Make sure PostgreSQL and Redis are reachable for the test suite, and Chromium for the
# browser tests. Uses DATABASE_URL / REDIS_URL when set; otherwise the local servers on their
# standard ports, starting them if installed but stopped, installing them with apt when run
# as root and missing. Prints "export VAR=..." lines for the Makefile to evaluate; progress
# goes to stderr.
set -euo pipefail
say() { echo "ensure-services: $*" >&2; }
PY=${VENV_PYTHON:-.venv/bin/python}

tcp_open() { # host port
  "$PY" - "$1" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2]))); sys.exit(0)
except OSError:
    sys.exit(1)
PYEOF
}
wait_for() { # host port seconds
  for _ in $(seq 1 "$3"); do tcp_open "$1" "$2" && return 0; sleep 1; done; return 1
}
apt_install() {
  if [ "$(id -u)" != 0 ]; then say "$* is missing and I am not root: install it or set the URL variables"; exit 1; fi
  say "installing $* with apt"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq >&2; _APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >&2
}

# --- PostgreSQL ---------------------------------------------------------------------------
if [ -n "${DATABASE_URL:-}" ]; then
  say "using DATABASE_URL from the environment"
  echo "export DATABASE_URL='$DATABASE_URL'"
else
  if ! tcp_open 127.0.0.1 5432; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then apt_install postgresql; fi
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      version=$(ls /etc/postgresql | sort -V | tail -1)
      say "starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    fi
    wait_for 127.0.0.1 5432 20 || { say "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }
  fi
  url="postgres://postgres@127.0.0.1:5432/ledelse"
  # A packaged PostgreSQL asks for a password over TCP: give the postgres role a known one
  # (only when we are root on this machine and trust auth is not configured).
  if ! "$PY" -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" >/dev/null 2>&1 \
     && [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'" >&2
    url="postgres://postgres:postgres@127.0.0.1:5432/ledelse"
  fi
  echo "export DATABASE_URL='$url'"
fi

# --- Redis --------------------------------------------------------------------------------
if [ -n "${REDIS_URL:-}" ]; then
  say "using REDIS_URL from the environment"
  echo "export REDIS_URL='$REDIS_URL'"
else
  if ! tcp_open 127.0.0.1 6379; then
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    say "starting Redis"
    mkdir -p /tmp/ledelse-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/ledelse-redis >&2
    wait_for 127.0.0.1 6379 10 || { say "Redis does not answer on 127.0.0.1:6379"; exit 1; }
  fi
  echo "export REDIS_URL='redis://127.0.0.1:6379/15'"
fi

# --- Chromium for the browser tests ---------------------------------------------------------
if [ -z "${CHROMIUM_PATH:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then apt_install chromium; fi
  echo "export CHROMIUM_PATH='$(command -v chromium)'"
else
  echo "export CHROMIUM_PATH='$CHROMIUM_PATH'"
fi
