#!/usr/bin/env bash
# Installs the build and test dependencies from Debian 12's packages (needs root or sudo).
set -euo pipefail
packages=(g++ cmake make pkg-config libsqlitecpp-dev libsqlite3-dev sqlite3 libcli11-dev catch2
          libfmt-dev nlohmann-json3-dev python3 chromium help2man)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
