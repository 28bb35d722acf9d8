#!/usr/bin/env bash
# The steps that build the portal, in one place: the Containerfile runs them in its build
# stages, scripts/setup.sh (and so the run and test commands, and the multi-node test)
# runs the same ones, so the image and what the tests exercise cannot drift apart.
#
#   bash deploy/build-steps.sh system-packages        Debian packages the portal runs with
#   bash deploy/build-steps.sh python VENV [EXTRA]    a venv from the lock file, with hashes
#   bash deploy/build-steps.sh pwa                    npm packages as locked, PWA build
#
# Sourced by scripts/setup.sh for the same functions.

BUILD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# WeasyPrint renders PDFs with Pango; DejaVu gives it (and Chromium) real fonts.
# With HarfBuzz's subsetter WeasyPrint embeds font subsets itself instead of falling
# back to fontTools (slower, and a warning on every PDF).
# pysaml2 (BundID sign-in) signs, verifies and decrypts SAML messages with xmlsec1.
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core xmlsec1)

# The lock file of an extra: "" is what the portal runs on, "test" adds the test tools.
lock_file() {
  if [ -n "${1:-}" ]; then echo "$BUILD_ROOT/requirements/$1.lock"; else echo "$BUILD_ROOT/requirements/portal.lock"; fi
}

# Every Python package exactly as locked, each checked against its hash, then the portal
# itself without resolving anything further (its dependencies are all in the lock).
step_python() {
  local venv="$1" extra="${2:-}"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet --require-hashes -r "$(lock_file "$extra")"
  "$venv/bin/python" -m pip install --quiet --no-deps -e "$BUILD_ROOT"
}

# npm packages exactly as locked (`npm ci` never rewrites package-lock.json and fails
# loudly when it no longer matches package.json), then the production build of the PWA
# into static/dist.
step_pwa_install() { (cd "$BUILD_ROOT" && npm ci --no-audit --no-fund --loglevel=error); }
step_pwa_build() { (cd "$BUILD_ROOT" && npm run --silent build); }

# The image also carries PostgreSQL's client tools: `flask backup` runs pg_dump and
# pg_restore, which must be at least the server's major version (Debian 12: 15; the
# compose file's server matches).
IMAGE_PACKAGES=(postgresql-client)

step_system_packages() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${RUNTIME_PACKAGES[@]}" "${IMAGE_PACKAGES[@]}"
  rm -rf /var/lib/apt/lists/*
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    system-packages) step_system_packages ;;
    python) step_python "${2:?the venv folder}" "${3:-}" ;;
    pwa) step_pwa_install && step_pwa_build ;;
    *) echo "usage: $0 system-packages | python VENV [EXTRA] | pwa" >&2; exit 2 ;;
  esac
fi
