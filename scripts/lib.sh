# Shared by scripts/run and scripts/test: install what is missing, find Swift.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Installs the Debian packages that are not installed yet (one apt-get update at most).
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    if [ -z "${DVK_APT_UPDATED:-}" ]; then
      $SUDO apt-get update -qq
      export DVK_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
  fi
}

# Installs the Python modules that cannot be imported yet.
need_pip() {
  local missing=()
  for spec in "$@"; do
    local module="${spec%%=*}"
    python3 -c "import ${module}" >/dev/null 2>&1 || missing+=("${spec#*=}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Python packages: ${missing[*]}"
    python3 -m pip install -q "${missing[@]}" 2>/dev/null || python3 -m pip install -q --break-system-packages "${missing[@]}"
  fi
}

find_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
      if [ -x "$dir/swift" ]; then export PATH="$dir:$PATH"; fi
    done
  fi
  command -v swift >/dev/null 2>&1 || { echo "Swift 6 is required (https://www.swift.org/install/linux/)"; exit 1; }
}

# What building and running DVK needs: the PDF renderer's libraries and fonts.
runtime_deps() {
  need_apt pkg-config libpango1.0-dev libcairo2-dev fonts-liberation2 libsqlite3-dev
}
