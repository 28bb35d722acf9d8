#!/usr/bin/env bash
# What a portal container runs, by its first argument (the image's CMD). The multi-node
# test starts its nodes, its worker and the migrations through this same script.
#
#   migrate   bring the database schema up to date (one-shot; run before new app nodes)
#   app       an app node: gunicorn with gunicorn.conf.py on $PORTAL_BIND (0.0.0.0:8000)
#   worker    the background worker (Huey) for mail, push, hand-offs, documents, ...
#   anything else is run as given (e.g. `flask --app portal users create ...`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "${1:-app}" in
  migrate)
    exec flask --app portal db upgrade
    ;;
  app)
    # Threads per worker process: requests waiting on the database or Redis overlap.
    exec gunicorn --config gunicorn.conf.py \
      --bind "${PORTAL_BIND:-0.0.0.0:8000}" \
      --workers "${WEB_CONCURRENCY:-2}" --threads "${PORTAL_THREADS:-4}" \
      --graceful-timeout 30 --keep-alive 75 \
      --access-logfile - "portal:create_app()"
    ;;
  worker)
    # A short idle poll: the first push after a quiet spell goes out within a second.
    exec huey_consumer portal.worker.huey \
      --workers "${PORTAL_WORKER_THREADS:-4}" --worker-type thread --max-delay 1
    ;;
  *)
    exec "$@"
    ;;
esac
