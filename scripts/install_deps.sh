#!/usr/bin/env bash
# Installs the build and test dependencies from Debian 12's packages. Runs as root as it is (a
# fresh Debian has no sudo), or through sudo when there is one; says what it installs.
#   scripts/install_deps.sh [--tests] [--bench] [--fuzz]
# The base set builds mhwopt and its .deb (cpack needs file, and dpkg-shlibdeps from dpkg-dev to
# write the package's Depends). --tests adds what only the test suite needs: a real browser for the
# report's test. --bench adds GNU time and bc, which bench/*.sh measure with. --fuzz adds clang and
# its libFuzzer runtime (and GNU time, for the CPU figures) for scripts/fuzz.sh.
set -euo pipefail
packages=(g++ cmake make pkg-config libsqlitecpp-dev libsqlite3-dev sqlite3 libcli11-dev catch2
          libfmt-dev nlohmann-json3-dev python3 help2man file dpkg-dev)
for option in "$@"; do
    case $option in
        --tests) packages+=(chromium) ;;
        --bench) packages+=(time bc) ;;
        --fuzz) packages+=(clang-14 libclang-rt-14-dev time) ;;
        *) echo "usage: $0 [--tests] [--bench] [--fuzz]" >&2; exit 64 ;;
    esac
done
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
