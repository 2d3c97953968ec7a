#!/bin/sh
# The TOML 1.0 conformance run: every case of the toml-test corpus listed in files-toml-1.0.0.
# Valid documents must decode (both output paths of tests/toml-decoder) to the expected values,
# compared by value with tests/toml/toml-compare; invalid ones must be rejected with exit 1 (a
# crash is not a rejection). TOML_TEST_DIR overrides the corpus location.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
dir=${TOML_TEST_DIR:-$top_srcdir/../shared/toml-test}
list=$dir/files-toml-1.0.0
if [ ! -f "$list" ]; then
	echo "SKIP: no toml-test corpus at $dir (set TOML_TEST_DIR to a toml-test tree with files-toml-1.0.0)"
	exit 77
fi
decoder=$top_builddir/tests/toml-decoder
compare=$top_builddir/tests/toml/toml-compare
tmp=$(mktemp -d "${TMPDIR:-/tmp}/toml-conformance.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

valid=0 valid_ok=0 invalid=0 invalid_ok=0
while IFS= read -r case; do
	case $case in
	valid/*.toml)
		valid=$((valid + 1))
		json=${case%.toml}.json
		ok=1
		for mode in "" --jansson; do
			# shellcheck disable=SC2086
			"$decoder" $mode <"$dir/$case" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ "$rc" -ne 0 ]; then
				echo "FAIL: $case ${mode:-(direct)}: rejected (exit $rc): $(cat "$tmp/err")"
				ok=0
				break
			fi
			if ! "$compare" "$dir/$json" "$tmp/out" 2>"$tmp/err"; then
				echo "FAIL: $case ${mode:-(direct)}: wrong value: $(cat "$tmp/err")"
				ok=0
				break
			fi
		done
		[ "$ok" -eq 1 ] && valid_ok=$((valid_ok + 1))
		;;
	invalid/*.toml)
		invalid=$((invalid + 1))
		"$decoder" <"$dir/$case" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 1 ] && [ -s "$tmp/err" ]; then
			invalid_ok=$((invalid_ok + 1))
		elif [ "$rc" -eq 0 ]; then
			echo "FAIL: $case: accepted"
		else
			echo "FAIL: $case: exit $rc: $(head -c 300 "$tmp/err")"
		fi
		;;
	esac
done <"$list"

echo "toml-test 1.0.0: valid $valid_ok/$valid decoded correctly, invalid $invalid_ok/$invalid rejected"
if [ "$valid" -eq 0 ] || [ "$invalid" -eq 0 ]; then
	echo "FAIL: the listing names no valid or no invalid cases"
	exit 1
fi
[ "$valid_ok" -eq "$valid" ] && [ "$invalid_ok" -eq "$invalid" ]
