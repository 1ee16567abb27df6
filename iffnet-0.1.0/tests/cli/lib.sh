# lib.sh: sourced by every tests/cli/*.test script.
# Environment from `make check`: IFFNET (binary), SRCDIR, BUILDDIR, SHARED_DATA.
# A test script ends with `finish`, which prints "N passed, N failed".
set -u
: "${IFFNET:?run under make check}"
: "${SRCDIR:=.}"
: "${SHARED_DATA:=$SRCDIR/../shared/data}"
LC_ALL=C; export LC_ALL
T=$(mktemp -d "${TMPDIR:-/tmp}/iffnet-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "FAIL - $*"; }

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
    name=$1; shift
    if "$@" >"$T/out" 2>"$T/err"; then ok "$name"; else not_ok "$name (exit $?)"; sed 's/^/  | /' "$T/err" | head -20; fi
}

# expect_fail NAME STATUS REGEX COMMAND...: passes when COMMAND exits with STATUS
# and its stderr matches the extended REGEX. stdout/stderr are left in $T/out, $T/err.
expect_fail() {
    name=$1; want=$2; re=$3; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then not_ok "$name (exit $got, want $want)"; sed 's/^/  | /' "$T/err" | head -5
    elif ! grep -Eq -- "$re" "$T/err"; then not_ok "$name (stderr does not match /$re/)"; sed 's/^/  | /' "$T/err" | head -5
    else ok "$name"; fi
}

# same NAME EXPECTED ACTUAL: passes when the two strings are equal.
same() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want '$2', got '$3')"; fi
}

# need_shared DIR: skip (exit 77) when ../shared/data/DIR is absent.
need_shared() {
    if [ ! -d "$SHARED_DATA/$1" ]; then echo "SKIP: $SHARED_DATA/$1 is absent"; exit 77; fi
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
