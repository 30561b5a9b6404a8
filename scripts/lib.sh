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

# Makes the virtual environment DIR from the pinned requirements FILE alone, and reuses it
# while the file (and the interpreter) are unchanged. Nothing from the system's site-packages
# is visible in it, so a module the file does not declare is missing here as on a new machine.
need_venv() {
  local dir="$1" file="$2" stamp
  python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need_apt python3-venv
  stamp="$(sha256sum "$file" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.requirements" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  echo "==> making $dir from $file"
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$file"
  echo "$stamp" > "$dir/.requirements"
}

find_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
      if [ -x "$dir/swift" ]; then export PATH="$dir:$PATH"; fi
    done
  fi
  command -v swift >/dev/null 2>&1 || { echo "Swift 6 is required (https://www.swift.org/install/linux/)"; exit 1; }
}

# What building and running DVK needs: the PDF renderer's libraries and fonts, zlib for uploads,
# libqrencode for the QR codes of invitation letters and two-factor set-up.
runtime_deps() {
  need_apt pkg-config libpango1.0-dev libcairo2-dev zlib1g-dev libqrencode-dev fonts-liberation2 libsqlite3-dev
}
