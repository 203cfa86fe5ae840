#!/usr/bin/env bash
# Screenshots of every page (docs/dashboard/{en,de}/*.png): builds the app if needed, starts
# the standalone host on a fresh PostgreSQL database with 30 days of the demo shop, drives
# Debian's Chromium through the pages, then stops the host and drops the database.
#
#   PYTHON=.venv/bin/python docs/dashboard/make-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${SCREENSHOT_PORT:-18090}"
export E2E_DATABASE="${E2E_DATABASE:-screenshots_dashboard}"
export DEMO_DAYS=30
python="${PYTHON:-.venv/bin/python}"
server_url="${E2E_DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}"

[ -f dashboard_extension/dist/index.html ] || (cd dashboard_extension && npm run build)

log="$(mktemp)"
bash dashboard_extension/e2e/standalone-host.sh "$port" > "$log" 2>&1 &
host=$!
stop() {
    kill "$host" 2>/dev/null || true
    wait "$host" 2>/dev/null || true
    "$python" - "$server_url" "$E2E_DATABASE" <<'PY'
import sys, psycopg
with psycopg.connect(f"{sys.argv[1]}/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
}
trap stop EXIT

for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/dashboard/login/" > /dev/null && break
    kill -0 "$host" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
done
node docs/dashboard/screenshots.mjs "http://127.0.0.1:$port" docs/dashboard
