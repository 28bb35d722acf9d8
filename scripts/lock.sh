#!/usr/bin/env bash
# Writes the Python lock files from pyproject.toml: every package pinned with its hashes,
# for Python 3.11 on Linux x86_64 (the image, CI and the supported servers).
#   requirements/portal.lock  what the portal runs on (scripts/run.sh, the Containerfile)
#   requirements/test.lock    the same pins plus the "test" extra (scripts/test.sh)
# Run it after changing a dependency in pyproject.toml (`bash scripts/lock.sh`), and with
# `--upgrade` to move every pin to the newest release the ranges allow. The test command
# checks that the lock files still match pyproject.toml (scripts/check_lock.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

[ -x "$VENV/bin/uv" ] || ensure_python test
compile() {
  "$VENV/bin/uv" pip compile pyproject.toml --quiet --generate-hashes \
    --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
    --custom-compile-command "bash scripts/lock.sh" "$@"
}
compile "${@}" -o requirements/portal.lock
# The test lock is held to the portal's pins, so the tests run exactly what production runs.
compile "${@}" --extra test --constraint requirements/portal.lock -o requirements/test.lock
echo "Wrote requirements/portal.lock and requirements/test.lock"
