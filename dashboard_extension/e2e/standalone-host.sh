#!/usr/bin/env bash
# The standalone host for the end-to-end tests: a fresh PostgreSQL database holding
# DEMO_DAYS (14) days of the demo shop, ending now, an administrator and a staff user without the
# marketing permission, then Django's server on 127.0.0.1:<port>. Playwright stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-18080}"
python="${PYTHON:-.venv/bin/python}"
server="${E2E_DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}"
database="${E2E_DATABASE:-e2e_dashboard}"
export DATABASE_URL="$server/$database"
export DJANGO_SETTINGS_MODULE=saleor_ma_plugin.standalone.settings
unset CELERY_BROKER_URL

"$python" - "$server" "$database" <<'PY'
import sys, psycopg
with psycopg.connect(f"{sys.argv[1]}/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
outbox="$(mktemp -d)"
"$python" -m saleor_ma_plugin.demo --days "${DEMO_DAYS:-14}" --until-now --outbox "$outbox/outbox" \
    --database-url "$DATABASE_URL" > "$outbox/demo.log"
"$python" manage.py shell -c '
from django.contrib.auth.models import User
from saleor_ma_plugin.demo.serve import create_admin
create_admin("e2e-admin-password")
User.objects.create_user("clerk", "clerk@example.com", "e2e-clerk-password", is_staff=True)
'
# The server itself runs with the test-only settings (e2e/e2e_host_settings.py): feeds on
# loopback, and mail to the SMTP sink of the composer test on E2E_SMTP_PORT (port + 2000).
export E2E_SMTP_PORT="${E2E_SMTP_PORT:-$((port + 2000))}"
export PYTHONPATH="dashboard_extension/e2e${PYTHONPATH:+:$PYTHONPATH}"
DJANGO_SETTINGS_MODULE=e2e_host_settings exec "$python" manage.py runserver "127.0.0.1:$port" --noreload
