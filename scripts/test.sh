#!/usr/bin/env bash
# The whole suite: lint, system checks, migrations up to date, then pytest on SQLite and — when a
# PostgreSQL server answers on 127.0.0.1:5432 (or DATABASE_URL points to one) — on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
export EISO_SECRET_KEY="${EISO_SECRET_KEY:-test-secret-key-not-for-production-use-0123456789}"
unset DEBUG || true

echo "== ruff"
"$BIN/ruff" check .
echo "== system checks and migrations"
DATABASE_URL="sqlite:///$(pwd)/var/check.sqlite3" "$BIN/eiso" check --fail-level WARNING
DATABASE_URL="sqlite:///$(pwd)/var/check.sqlite3" "$BIN/eiso" makemigrations --check --dry-run >/dev/null \
  || { echo "Model changes without migrations: run eiso makemigrations"; exit 1; }

pg_url="${EISO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/eiso}"
pg_up=0
if "$BIN/python" - "$pg_url" <<'PY' 2>/dev/null; then pg_up=1; fi
import sys, psycopg
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password or None,
                dbname="postgres", connect_timeout=3).close()
PY

# One worker per core (pytest-xdist): each has its own test database.
workers="${PYTEST_WORKERS:-auto}"

echo "== pytest on SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" "$BIN/pytest" -q -p no:cacheprovider -n "$workers" "$@"
if [ "$pg_up" = 1 ]; then
  echo "== pytest on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" "$BIN/pytest" -q -p no:cacheprovider -n "$workers" -m "not browser" "$@"
else
  echo "== PostgreSQL not reachable at $pg_url: suite ran on SQLite only"
fi
