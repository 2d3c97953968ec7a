# Helpers for CLI tests. Source it; $VCRUN is the binary under test (set by make check).
set -u
: "${VCRUN:=$(pwd)/vcrun}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vcrun-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run CMD...: runs, capturing stdout in $out, stderr in $errout, status in $rc.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	errout=$(cat "$TMP/err")
}

expect_rc() {
	local want=$1
	shift
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, expected $want (stderr: $errout)"
}

expect_contains() {
	local hay=$1 needle=$2
	case "$hay" in
	*"$needle"*) ;;
	*) fail "expected to find '$needle' in: $hay" ;;
	esac
}

expect_lines() {
	local text=$1 want=$2 got
	got=$(printf '%s' "$text" | grep -c '')
	[ "$got" -eq "$want" ] || fail "expected $want line(s), got $got: $text"
}

# is_json FILE: valid JSON, checked with tests/helpers/json-check (jansson)
is_json() {
	"$top_builddir/tests/helpers/json-check" "$1"
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$TEST_NAME: $failures failure(s)" >&2
		exit 1
	fi
	echo "$TEST_NAME: ok"
	exit 0
}
