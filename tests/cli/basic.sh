#!/bin/sh
# The CLI skeleton: version, help, features, unknown commands and options.
. "$(dirname "$0")/lib.sh"

run "$VCRUN" --version
expect_rc 0 --version
expect_contains "$out" "vcrun version "
expect_contains "$out" "commit: "
expect_contains "$out" "features: "

run "$VCRUN" version
expect_rc 0 version
expect_contains "$out" "vcrun version "

run "$VCRUN" frobnicate
expect_rc 2 "unknown command"
expect_contains "$errout" "unknown command 'frobnicate'"
expect_lines "$errout" 1

run "$VCRUN" --frob features
expect_rc 2 "unknown global option"
expect_contains "$errout" "'--frob'"
expect_lines "$errout" 1

run "$VCRUN" features --bogus
[ "$rc" -ne 0 ] || fail "features --bogus should fail"

run "$VCRUN"
expect_rc 2 "no command"

run "$VCRUN" help
expect_rc 0 help
expect_contains "$out" "Commands:"
expect_contains "$out" "features"

run "$VCRUN" help features
expect_rc 0 "help features"
expect_contains "$out" "Usage: vcrun features"

run "$VCRUN" features --help
expect_rc 0 "features --help"
expect_contains "$out" "Usage: vcrun features"

run "$VCRUN" help nosuch
expect_rc 2 "help nosuch"

# Every command of the table answers --help.
for cmd in $("$VCRUN" help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	run "$VCRUN" "$cmd" --help
	expect_rc 0 "$cmd --help"
	expect_contains "$out" "Usage: vcrun"
done

run "$VCRUN" features
expect_rc 0 features
printf '%s' "$out" >"$TMP/features.json"
"$top_builddir/tests/helpers/json-check" "$TMP/features.json" || fail "features is not valid JSON: $out"
expect_contains "$out" '"subcommands"'
expect_contains "$out" '"features"'

# runc's global flags are accepted so a runc command line does not fail.
run "$VCRUN" --systemd-cgroup --rootless false --root "$TMP/root" features
expect_rc 0 "runc global flags"

finish
