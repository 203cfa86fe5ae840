#!/usr/bin/env bash
# The Saleor proof: real Saleor 3.23 on a copy of its database, the plugin active, the app
# installed from the manifest the plugin serves (marketing_dashboard_install, which wraps
# Saleor's install_app), then the AppBridge harness in Chromium as an administrator and as a
# staff user without MANAGE_USERS. Stops what it started and drops the copy.
#
#   SALEOR_DIR=/path/to/saleor dashboard_extension/e2e/saleor/run-saleor-proof.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_dir="$(cd "$here/../.." && pwd)"
saleor_dir="${SALEOR_DIR:?set SALEOR_DIR to a Saleor 3.23 checkout with its .venv}"
python="$saleor_dir/.venv/bin/python"
server_url="${E2E_DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}"
source_db="${SALEOR_DATABASE:-saleor}"
proof_db="saleor_dashboard_proof"
saleor_port="${SALEOR_PORT:-18200}"
harness_port="${HARNESS_PORT:-18201}"
export SALEOR_URL="http://127.0.0.1:$saleor_port"
export HARNESS_URL="http://127.0.0.1:$harness_port"
export SHOTS_DIR="${SHOTS_DIR:-$app_dir/../docs/dashboard/saleor}"
export DATABASE_URL="$server_url/$proof_db"
export SECRET_KEY="saleor-dashboard-proof"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export ALLOWED_CLIENT_HOSTS="127.0.0.1,localhost"
export HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS=True
# Without an RSA key, Saleor signs its JWTs only in DEBUG (its development set-up).
export DEBUG=True
unset CELERY_BROKER_URL
mkdir -p "$SHOTS_DIR"

database() {
    "$python" - "$server_url" "$@" <<'PY'
import sys, psycopg
server, action, name = sys.argv[1:4]
with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if action == "copy":
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{sys.argv[4]}"')
PY
}
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    database drop "$proof_db"
}
trap cleanup EXIT

echo "==> a copy of Saleor's database ($source_db), migrated, plugin active"
database copy "$proof_db" "$source_db"
(cd "$saleor_dir" && "$python" manage.py migrate --no-input > /dev/null)
(cd "$saleor_dir" && "$python" manage.py shell -c "
from saleor.account.models import User
from saleor.plugins.models import PluginConfiguration
PluginConfiguration.objects.update_or_create(
    identifier='saleor_ma_plugin', channel=None,
    defaults={'active': True, 'configuration': [
        {'name': 'public_base_url', 'value': '$SALEOR_URL'},
        {'name': 'sender_address', 'value': 'shop@example.com'},
        {'name': 'storefront_url', 'value': 'http://localhost:3000'}]})
admin = User.objects.get(email='admin@example.com'); admin.set_password('admin'); admin.save()
clerk, _ = User.objects.get_or_create(email='clerk@example.com', defaults={'is_staff': True, 'is_active': True})
clerk.set_password('clerk-password-1'); clerk.save()
print('staff without MANAGE_USERS:', clerk.email, sorted(clerk.effective_permissions.values_list('codename', flat=True)))
")

echo "==> Saleor on $SALEOR_URL"
# Saleor's ASGI application, as deployed: it answers the CORS preflight of the harness (another
# origin, as the Dashboard is), which Django's development server does not.
(cd "$saleor_dir" && exec "$saleor_dir/.venv/bin/uvicorn" saleor.asgi:application \
    --host 127.0.0.1 --port "$saleor_port") > /tmp/saleor-proof-server.log 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
    curl -fs "$SALEOR_URL/plugins/global/saleor_ma_plugin/manifest/" > /dev/null && break
    sleep 1
done
echo "GET $SALEOR_URL/plugins/global/saleor_ma_plugin/manifest/"
curl -fs "$SALEOR_URL/plugins/global/saleor_ma_plugin/manifest/" | "$python" -m json.tool

echo "==> install the app from that manifest"
(cd "$saleor_dir" && "$python" manage.py marketing_dashboard_install --base-url "$SALEOR_URL" \
    --dashboard-url http://localhost:9000/dashboard)
app_id=$(cd "$saleor_dir" && "$python" manage.py shell -c "
from saleor.app.models import App
from graphql_relay import to_global_id
app = App.objects.get(identifier='saleor-ma-plugin')
print(to_global_id('App', app.pk))
print(app.name, app.is_active, sorted(app.permissions.values_list('codename', flat=True)),
      [(e.mount, e.target) for e in app.extensions.order_by('pk')], file=__import__('sys').stderr)
" | tail -n 1)  # Django 5.2's shell first prints what it imported
export APP_ID="$app_id"

echo "==> two draft campaigns, made through our API with a staff JWT from tokenCreate"
"$python" - "$SALEOR_URL" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def post(url, query, variables=None, token=None):
    request = urllib.request.Request(url, json.dumps({"query": query, "variables": variables or {}}).encode(),
        {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    return json.load(urllib.request.urlopen(request))
token = post(f"{base}/graphql/", 'mutation { tokenCreate(email: "admin@example.com", password: "admin") { token } }')["data"]["tokenCreate"]["token"]
for preset in ("win_back", "welcome_series"):
    created = post(f"{base}/plugins/global/saleor_ma_plugin/graphql/",
        "mutation ($p: String!) { campaignCreateFromPreset(preset: $p) { campaign { name status } errors { message } } }",
        {"p": preset}, token)
    print(created["data"]["campaignCreateFromPreset"])
PY

echo "==> the AppBridge harness on $HARNESS_URL, driven by Chromium"
node "$here/harness-server.mjs" "$harness_port" &
pids+=($!)
(cd "$app_dir" && npx playwright test --config playwright.saleor.config.ts)
