# Shared set-up steps for run.sh and test.sh: system packages, Python venv, PWA build.
# Sourced, not executed. Every step is safe to repeat and skips work already done.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\n==> %s\n' "$*"; }

# Install Debian packages that are missing (needs root or sudo; skipped where unavailable).
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install these system packages: ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Python packages for the portal; $1 is the extra ("" or "test").
ensure_python() {
  local extra="${1:-}"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    ensure_debian_packages python3-venv
  fi
  [ -x "$VENV/bin/python" ] || { say "Creating the Python environment in .venv"; python3 -m venv "$VENV"; }
  say "Installing Python packages"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  if [ -n "$extra" ]; then
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$extra]"
  else
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
  fi
}

# npm packages (from the lock file; `npm ci` trips over optional platform packages
# missing from lock files) and the production build of the PWA into static/dist.
build_pwa() {
  say "Installing npm packages and building the app"
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error && npm run --silent build)
}

# WeasyPrint renders PDFs with Pango; DejaVu gives it (and Chromium) real fonts.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
