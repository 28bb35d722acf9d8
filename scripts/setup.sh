# Shared set-up steps for run.sh and test.sh: system packages, Python venv, PWA build.
# Sourced, not executed. Every step is safe to repeat and skips work already done.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
# The image's build steps, shared with the run and test commands.
source "$ROOT/deploy/build-steps.sh"

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

# Python packages for the portal, exactly as locked with hashes (requirements/*.lock,
# written by scripts/lock.sh); $1 is the extra ("" or "test").
ensure_python() {
  local extra="${1:-}"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    ensure_debian_packages python3-venv
  fi
  [ -x "$VENV/bin/python" ] || say "Creating the Python environment in .venv"
  say "Installing Python packages from $(basename "$(lock_file "$extra")")"
  step_python "$VENV" "$extra"
}

# npm packages as locked and the PWA build (deploy/build-steps.sh). The install is
# skipped while the lock file is unchanged since the last one, so starting the portal
# again stays quick.
build_pwa() {
  say "Installing npm packages and building the app"
  local stamp="$ROOT/node_modules/.installed-from-lock"
  local want
  want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    step_pwa_install
    echo "$want" >"$stamp"
  fi
  step_pwa_build
}

# The run command's install steps; $1 is the Python extra ("" or "test").
install_portal() {
  ensure_debian_packages "${PDF_PACKAGES[@]}"
  ensure_python "${1:-}"
  build_pwa
}

# What git reports about the checkout (tracked changes and untracked files), or nothing
# outside a git checkout: compared before and after installing, because neither command
# may change a tracked file.
checkout_state() {
  git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git -C "$ROOT" status --porcelain
  git -C "$ROOT" diff | sha256sum
}

# The system packages the portal runs with: PDFs and SAML signatures (see
# deploy/build-steps.sh).
PDF_PACKAGES=("${RUNTIME_PACKAGES[@]}")
