#!/bin/sh
# Replays every seed corpus (tests/fuzz/corpus/<target>/) through its fuzz harness built without
# libFuzzer (tests/fuzz/replay-<target>): the harness's invariants are checked with abort(), and
# under a sanitizer build ASan and UBSan watch too.
. "$(dirname "$0")/../cli/lib.sh"
n=0
for corpus in "$top_srcdir"/tests/fuzz/corpus/*/; do
	name=$(basename "$corpus")
	bin=$top_builddir/tests/fuzz/replay-$name
	[ -x "$bin" ] || continue
	run "$bin" "$corpus"
	expect_rc 0 "replay-$name over $corpus"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "replay: no replay binaries built"; exit 77; }
finish
