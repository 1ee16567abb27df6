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

# Golden files, one line a test (as htslib's test/*.tst):
#   golden NAME EXPECTED COMMAND...            COMMAND exits 0 and its stdout is the file EXPECTED
#   golden_fail NAME STATUS EXPECTED COMMAND... COMMAND exits STATUS and its stderr is EXPECTED
#   golden_file NAME EXPECTED FILE             FILE (written by an earlier command) is EXPECTED
# EXPECTED is a file of the source tree (under tests/data/, or a committed dataset
# such as datasets/tiny/). Commands run with LC_ALL=C; stdout and stderr
# are left in $T/out and $T/err. Before comparing, the test's temporary directory
# and the source tree are written as $T and $SRCDIR, so expected files do not
# depend on where the tests run. A first argument `-f FILTER` passes both sides
# through the shell function FILTER (called with a file name) before comparing,
# for lines that may change without the output changing (versions, checksums).
#
# REGENERATE=1 rewrites every expected file from the current output instead of
# comparing (the exit status is still checked; filters are not applied to what
# is written). Then read `git diff tests/data datasets` before committing:
#   REGENERATE=1 make check TESTS='tests/cli/report.test tests/cli/trace.test'
golden() {
    _gf=cat; if [ "$1" = -f ]; then _gf=$2; shift 2; fi
    _gname=$1; _gwant=$2; shift 2
    LC_ALL=C "$@" >"$T/out" 2>"$T/err"
    _gst=$?
    if [ "$_gst" -ne 0 ]; then not_ok "$_gname (exit $_gst)"; sed 's/^/  | /' "$T/err" | head -20; return; fi
    golden_compare "$_gname" "$_gwant" "$T/out" "$_gf"
}

golden_fail() {
    _gf=cat; if [ "$1" = -f ]; then _gf=$2; shift 2; fi
    _gname=$1; _gstatus=$2; _gwant=$3; shift 3
    LC_ALL=C "$@" >"$T/out" 2>"$T/err"
    _gst=$?
    if [ "$_gst" -ne "$_gstatus" ]; then not_ok "$_gname (exit $_gst, want $_gstatus)"; sed 's/^/  | /' "$T/err" | head -5; return; fi
    golden_compare "$_gname" "$_gwant" "$T/err" "$_gf"
}

golden_file() {
    _gf=cat; if [ "$1" = -f ]; then _gf=$2; shift 2; fi
    golden_compare "$1" "$2" "$3" "$_gf"
}

# golden_paths FILE: FILE with the temporary directory and the source tree as $T, $SRCDIR.
golden_paths() {
    _gt=$(printf '%s' "$T" | sed 's/[][\.*^$|]/\\&/g')
    case $SRCDIR in
    /*) _gs=$(printf '%s' "$SRCDIR" | sed 's/[][\.*^$|]/\\&/g')
        sed -e "s|$_gt|\$T|g" -e "s|$_gs|\$SRCDIR|g" "$1" ;;
    *) sed -e "s|$_gt|\$T|g" "$1" ;;
    esac
}

# golden_compare NAME EXPECTED ACTUAL FILTER: the comparison behind the three.
golden_compare() {
    golden_paths "$3" >"$T/golden.got" || { not_ok "$1 (cannot read $3)"; return; }
    if [ "${REGENERATE:-0}" = 1 ]; then
        if cp "$T/golden.got" "$2"; then ok "$1 (regenerated ${2#"$SRCDIR"/})"; else not_ok "$1 (cannot write $2)"; fi
        return
    fi
    if [ ! -f "$2" ]; then not_ok "$1 (no file $2: REGENERATE=1 writes it)"; return; fi
    "$4" "$2" >"$T/golden.a"
    "$4" "$T/golden.got" >"$T/golden.b"
    if cmp -s "$T/golden.a" "$T/golden.b"; then ok "$1"
    else
        not_ok "$1 (differs from ${2#"$SRCDIR"/}; REGENERATE=1 rewrites it)"
        diff -u "$T/golden.a" "$T/golden.b" | sed 's/^/  | /' | head -20
    fi
}

# need_shared DIR: skip (exit 77) when ../shared/data/DIR is absent.
need_shared() {
    if [ ! -d "$SHARED_DATA/$1" ]; then echo "SKIP: $SHARED_DATA/$1 is absent"; exit 77; fi
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
