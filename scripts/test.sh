#!/usr/bin/env bash
# Installs what the tests need (incl. Debian's Chromium) and runs every test:
# lint, unit and API tests on SQLite, the API tests again on PostgreSQL with Redis,
# and the browser tests. PostgreSQL and Redis are used where they run on this machine
# (CI always has them); set TEST_POSTGRES_URL / TEST_REDIS_URL to use others.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

before_install="$(checkout_state)"
install_portal ""      # exactly what the run command installs
install_portal test
ensure_debian_packages chromium
# The multi-node test: Debian's nginx in front (its stream module relays the database
# and Redis into the nodes' network namespaces), wrk for the load.
ensure_debian_packages nginx libnginx-mod-stream wrk iproute2

say "The install left every tracked file as it was"
after_install="$(checkout_state)"
if [ "$after_install" != "$before_install" ]; then
  echo "Installing changed the checkout (git status --porcelain):" >&2
  git status --porcelain >&2
  exit 1
fi
if [ "${CI:-}" = "true" ] && [ -n "$(git status --porcelain)" ]; then
  echo "A clean clone is no longer clean after installing:" >&2
  git status --porcelain >&2
  exit 1
fi
echo "git status --porcelain: unchanged"

PY="$VENV/bin/python"

say "The Python lock files match pyproject.toml"
"$PY" scripts/check_lock.py
PG_URL="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
REDIS_URL_FOR_TESTS="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"

postgres_up() { "$PY" -c "import psycopg2,sys; psycopg2.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; }
redis_up() { "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" "$REDIS_URL_FOR_TESTS" 2>/dev/null; }

# A machine that has the servers installed but stopped gets them started.
if ! postgres_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  sleep 2
fi
if ! redis_up && command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
  sleep 1
fi

say "Lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check . >/dev/null

say "Import layers (import-linter: portal > api > app, layers inside app/push and app/payments)"
"$VENV/bin/lint-imports" --no-cache

status=0
say "Unit and API tests on SQLite (two processes, each with its own database)"
"$PY" -m pytest tests -q -n 2 -p no:cacheprovider --ignore=tests/multinode || status=1

if postgres_up && redis_up; then
  say "API, domain and hand-off tests on PostgreSQL, with Redis for rate limits and the job queue"
  # Two processes, each in a database and a Redis database of its own (<name>_gw0, …:
  # tests/worker_databases.py).
  TEST_DATABASE_URL="$PG_URL" TEST_POSTGRES_URL="$PG_URL" TEST_REDIS_URL="$REDIS_URL_FOR_TESTS" \
    "$PY" -m pytest tests/api tests/app tests/handoff -q -n 2 -p no:cacheprovider || status=1
  say "The tests that store and download files, with the files in PostgreSQL (PORTAL_STORAGE=postgres)"
  TEST_PORTAL_STORAGE=postgres TEST_DATABASE_URL="$PG_URL" TEST_POSTGRES_URL="$PG_URL" \
    TEST_REDIS_URL="$REDIS_URL_FOR_TESTS" "$PY" -m pytest -q -p no:cacheprovider \
    tests/api/test_stored_files.py tests/api/test_attachments.py tests/api/test_query_replies.py \
    tests/api/test_account.py tests/api/test_notice_refunds.py tests/api/test_documents_and_results.py \
    tests/app/storage/test_downloads.py || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL ($PG_URL) or Redis ($REDIS_URL_FOR_TESTS) is not reachable; CI needs both." >&2
  status=1
else
  echo "Skipping the PostgreSQL/Redis run: no server reachable at $PG_URL and $REDIS_URL_FOR_TESTS."
fi

if postgres_up && redis_up; then
  say "Multi-node test: two app nodes, a worker and nginx on PostgreSQL and Redis, then load"
  TEST_POSTGRES_URL="$PG_URL" TEST_REDIS_URL="$REDIS_URL_FOR_TESTS" \
    "$PY" -m pytest tests/multinode -m multinode -q -s -p no:cacheprovider || status=1
fi

say "Browser tests (Chromium), in two processes"
# Each process serves its own portal (own database) to its own Chromium; a file's tests
# stay together and in order on one process (--dist loadfile).
"$PY" -m pytest e2e -q -n 2 --dist loadfile -p no:cacheprovider || status=1

exit $status
