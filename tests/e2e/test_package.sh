#!/usr/bin/env bash
# What a user gets from `cmake --install` and from the .deb: the installed binary runs and gives the
# golden output, the installed extension loads into Debian's sqlite3, the man page and docs are
# there, and a separate project builds against the core library with find_package(mhwopt).
set -uo pipefail
source "$(dirname "$0")/extension_shell.sh"
MHWOPT=$(realpath "$1")
SOURCE_DIR=$(realpath "$2")
BUILD_DIR=$(dirname "$MHWOPT")
DATA=$SOURCE_DIR/example_data
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")
LIBDIR=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$BUILD_DIR/CMakeCache.txt")
[[ -n $VERSION && -n $LIBDIR ]] || { echo "FAIL: $BUILD_DIR/CMakeCache.txt has no version or CMAKE_INSTALL_LIBDIR" >&2; exit 1; }
ARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
[[ $LIBDIR == "lib/$ARCH" ]] || fail "the library directory is $LIBDIR, expected Debian's multiarch lib/$ARCH"

# Checks one installed tree: ROOT is the prefix (/usr inside a .deb).
check_tree() {
    local what=$1 root=$2
    local bin=$root/bin/mhwopt
    [[ -x $bin ]] || { fail "$what: no $bin"; return; }
    [[ "$("$bin" --version)" == "mhwopt $VERSION" ]] || fail "$what: --version says '$("$bin" --version)'"
    "$bin" run "$DATA/equipment.csv" "$WORK/best.csv" "$DATA/config.json" -q || fail "$what: run failed"
    cmp -s "$WORK/best.csv" "$DATA/expected_config.csv" || fail "$what: run's output differs from the golden"
    "$bin" report "$WORK/best.csv" --config "$DATA/config.json" -q -o "$WORK/best.html" && grep -q '<article class="set"' "$WORK/best.html" \
        || fail "$what: report failed"
    local ext=$root/$LIBDIR/mhwopt/libmhwopt_sqlite.so
    [[ -f $ext ]] || fail "$what: no extension at $ext"
    rm -f "$WORK/sets.db"
    "$bin" import "$DATA/equipment.csv" --db "$WORK/sets.db" -q && "$bin" generate --db "$WORK/sets.db" -q || fail "$what: import/generate failed"
    local via_sql via_cli
    use_extension_runtimes "$ext"
    via_sql=$(sqlite3 "$WORK/sets.db" ".load ${ext%.so}" "SELECT defence(0)" 2>&1)
    via_cli=$("$bin" query "SELECT defence(0)" --db "$WORK/sets.db" --csv | tail -1)
    [[ -n $via_cli && $via_sql == "$via_cli" ]] || fail "$what: the installed extension in sqlite3 says '$via_sql', mhwopt query says '$via_cli'"
    zcat "$root/share/man/man1/mhwopt.1.gz" 2>/dev/null | grep -q "mhwopt report" || fail "$what: no man page with the report command"
    for doc in README.md commands.md packaging.md; do [[ -f $root/share/doc/mhwopt/$doc ]] || fail "$what: no $doc"; done
}

# 1. cmake --install into a scratch prefix.
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 || { fail "cmake --install: $(tail -3 "$WORK/install.log")"; }
check_tree "cmake --install" "$WORK/prefix"

# 2. Another project finds the core library. A sanitized build's archive needs the same runtime.
mkdir -p "$WORK/consumer"
cat >"$WORK/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(consumer CXX)
set(CMAKE_CXX_STANDARD 17)
find_package(mhwopt 0.1 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE mhwopt::core)
CMAKE
cat >"$WORK/consumer/main.cpp" <<'CPP'
#include <cstdio>
#include "core/scorer.hpp"
int main() {
    mhwopt::Catalogue catalogue;
    const mhwopt::SkillId attack = catalogue.intern_skill("Attack Boost");
    mhwopt::Config config;
    config.defence_weight = 0.5;
    config.skills.push_back({"Attack Boost", mhwopt::SkillRule{3, 2.0, 0.0}});
    mhwopt::Totals totals;
    totals.slots = {1, 0, 0, 0};
    totals.defence = 10;
    totals.skills = {{attack, 4}};
    std::printf("%g\n", mhwopt::Scorer(catalogue, config).score(totals));
}
CPP
flags=
grep -q '^MHWOPT_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" && flags=-fsanitize=address,undefined
if cmake -S "$WORK/consumer" -B "$WORK/consumer/build" -DCMAKE_PREFIX_PATH="$WORK/prefix" -DCMAKE_CXX_FLAGS="$flags" \
        >"$WORK/consumer.log" 2>&1 && cmake --build "$WORK/consumer/build" >>"$WORK/consumer.log" 2>&1; then
    # 1 slot x 1.0 + 1 x num_decos 1.0 + level 4 over max 3 x penalty 0 + 10 x 0.5
    [[ "$("$WORK/consumer/build/consumer")" == 7 ]] || fail "the consumer computed $("$WORK/consumer/build/consumer"), expected 7"
else
    fail "a project using find_package(mhwopt) did not build:"; tail -15 "$WORK/consumer.log" >&2
fi

# 3. The .deb: its metadata, its file list, and its content run from a scratch root (dpkg -x).
if (cd "$WORK" && cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1); then
    deb=$(ls "$WORK"/pkg/mhwopt_*.deb 2>/dev/null | head -1)
    if [[ -z $deb ]]; then
        fail "cpack made no mhwopt_*.deb: $(ls "$WORK/pkg")"
    else
        info=$(dpkg-deb --field "$deb" Package Version)
        grep -qx "Package: mhwopt" <<<"$info" || fail "deb: $info"
        grep -qx "Version: $VERSION" <<<"$info" || fail "deb version: $info"
        # dpkg-shlibdeps (dpkg-dev) writes Depends from the linked libraries; without it cpack still
        # makes a .deb, with no Depends at all, which installs and then fails to run.
        depends=$(dpkg-deb --field "$deb" Depends)
        if [[ -z $depends ]]; then
            fail "deb: no Depends field (is dpkg-shlibdeps, from dpkg-dev, installed? scripts/install_deps.sh installs it)"
        else
            for lib in libc6 libsqlite3-0 libstdc++6; do
                # One entry a line; a basic regex, where '+' (libstdc++6) and '(' are literal.
                sed 's/, /\n/g' <<<"$depends" | grep -q "^$lib (>= [^)]*)$" || fail "deb: Depends lacks a versioned $lib: $depends"
            done
        fi
        ! grep -qi "shlibdeps.*not\|not.*shlibdeps" "$WORK/cpack.log" || fail "cpack: $(grep -i shlibdeps "$WORK/cpack.log")"
        dpkg-deb -x "$deb" "$WORK/root" || fail "dpkg-deb -x failed"
        check_tree "the .deb" "$WORK/root/usr"
    fi
else
    fail "cpack -G DEB failed:"; tail -15 "$WORK/cpack.log" >&2
fi

((failures)) && { echo "$failures failure(s)" >&2; exit 1; }
echo "installed tree, find_package consumer and $(basename "$deb") checked"
