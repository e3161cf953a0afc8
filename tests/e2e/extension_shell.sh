# Debian's sqlite3 shell, able to load this build's extension: a sanitized build's extension links
# the sanitizer runtimes, which must come first in the uninstrumented shell. Source this file, call
# `use_extension_runtimes PATH/TO/libmhwopt_sqlite.so`, then call `sqlite3` as usual.
use_extension_runtimes() {
    extension_runtimes=$(ldd "$1" | awk '$1 ~ /^lib(asan|ubsan)\.so/ { print $3 }' | paste -sd: -)
}
sqlite3() { LD_PRELOAD="${extension_runtimes:-}${LD_PRELOAD:+:$LD_PRELOAD}" command sqlite3 "$@"; }
