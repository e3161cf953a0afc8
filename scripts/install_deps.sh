#!/usr/bin/env bash
# Installs the build and test dependencies from Debian 12's packages. Runs as root as it is (a
# fresh Debian has no sudo), or through sudo when there is one; says what it installs.
set -euo pipefail
packages=(g++ cmake make pkg-config libsqlitecpp-dev libsqlite3-dev sqlite3 libcli11-dev catch2
          libfmt-dev nlohmann-json3-dev python3)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install_deps: all ${#packages[@]} packages already installed"
    exit 0
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install_deps: run as root (no sudo here) to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
fi
echo "install_deps: installing ${missing[*]} (a few minutes on a fresh system)"
echo "install_deps: apt-get update"
"${as_root[@]}" apt-get update -qq
# One line a package as it is set up, so minutes of installing are not minutes of silence.
set +o pipefail
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" 2>&1 |
    grep --line-buffered -E '^(Setting up|E:|W:)'
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { echo "install_deps: apt-get install failed ($status)" >&2; exit "$status"; }
echo "install_deps: done"
