# Shared by the e2e scripts that count their failures and report them at the end: the arguments
# (the binary, the source tree), a scratch directory removed on exit, and fail().
set -u
BIN=$1
SRC=$2
DATA=$SRC/example_data
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
