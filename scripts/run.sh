#!/usr/bin/env bash
# Installs everything and runs the portal with demo data on SQLite at http://localhost:5000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

install_portal ""

export PORTAL_ENV="${PORTAL_ENV:-development}"
# Another city package than the default keeps its own database and files: a database
# holds one city's built-in services, zones and demo data.
if [[ -n "${PORTAL_CITY:-}" && -z "${PORTAL_INSTANCE:-}" && "$PORTAL_CITY" != "$(grep -v '^#' cities/default | head -1)" ]]; then
  export PORTAL_INSTANCE="$ROOT/instance/cities/$PORTAL_CITY"
fi
PORT="${PORTAL_PORT:-5000}"
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://localhost:$PORT}"
FLASK="$VENV/bin/flask --app portal"

say "Migrating the database"
$FLASK db upgrade
say "Creating demo data"
$FLASK seed-demo
$FLASK payments seed-demo

say "Starting the background worker and the web server"
# A short idle poll: the first push after a quiet spell goes out within a second.
"$VENV/bin/huey_consumer" portal.worker.huey --workers 2 --worker-type thread --max-delay 1 --quiet &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "The portal runs at $PORTAL_BASE_URL (stop with Ctrl+C)."
# The portal logs each request itself (with its request id), so gunicorn's access log is off.
"$VENV/bin/gunicorn" --bind "127.0.0.1:$PORT" --workers 2 --threads 4 "portal:create_app()"
