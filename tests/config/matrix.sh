#!/bin/sh
# The rule matrix: every file in tests/config/cases/ is loaded with `vcrun config show` and
# checked against the directives in its leading comments:
#   # expect: LINE:COL: MESSAGE   an error at FILE:LINE:COL (`-:` = the file, no position;
#                                 `vcrun:` = no file); the errors must be exactly these
#   # rc: N                       exit status (default 1 with expect lines, else 0)
#   # show: TEXT                  a line of the JSON output contains TEXT
#   # stderr: TEXT                stderr contains TEXT
#   # env: K=V ...                environment (@FIXTURES@ = tests/config/fixtures)
#   # global: ARGS / # args: ARGS global options / options after `config show`
# Each rule has a TOML and a YAML case (YAML-only rules: yaml-*.yaml).
. "$top_srcdir/tests/cli/lib.sh"
cases="$top_srcdir/tests/config/cases"
fixtures="$top_srcdir/tests/config/fixtures"

directive() { # directive NAME FILE: the values of "# NAME: ..." lines, one per line
	sed -n "s/^# $1: //p" "$2"
}

formats="toml yaml"
n=0
for fmt in $formats; do
	for f in "$cases"/*."$fmt"; do
		n=$((n + 1))
		set -f # options from the directives are split on spaces, never globbed
		env_vars=$(directive env "$f" | sed "s|@FIXTURES@|$fixtures|g")
		global=$(directive global "$f")
		args=$(directive args "$f")
		want_rc=$(directive rc "$f")
		expects=$(directive expect "$f")
		if [ -z "$want_rc" ]; then
			if [ -n "$expects" ]; then want_rc=1; else want_rc=0; fi
		fi
		# shellcheck disable=SC2086
		run env $env_vars "$VCRUN" $global --config "$f" config show $args
		expect_rc "$want_rc" "$(basename "$f")"
		if [ -n "$expects" ]; then
			want_n=$(printf '%s\n' "$expects" | grep -c '')
			got_n=$(printf '%s\n' "$errout" | grep -c ': error: ')
			[ "$got_n" -eq "$want_n" ] ||
				fail "$(basename "$f"): $got_n error(s), expected $want_n: $errout"
			printf '%s\n' "$expects" | while IFS= read -r e; do
				case "$e" in
				"-: "*) line="$f: error: ${e#-: }" ;;
				"vcrun: "*) line="vcrun: error: ${e#vcrun: }" ;;
				*) line="$f:${e%%: *}: error: ${e#*: }" ;;
				esac
				printf '%s\n' "$errout" | grep -qxF "$line" ||
					echo "FAIL: $(basename "$f"): no line '$line' in: $errout"
			done >"$TMP/missing"
			if [ -s "$TMP/missing" ]; then
				cat "$TMP/missing" >&2
				failures=$((failures + 1))
			fi
		fi
		directive show "$f" >"$TMP/shows"
		while IFS= read -r s; do
			expect_contains "$out" "$s"
		done <"$TMP/shows"
		directive stderr "$f" >"$TMP/stderrs"
		while IFS= read -r s; do
			expect_contains "$errout" "$s"
		done <"$TMP/stderrs"
		set +f
	done
done
[ "$n" -ge 60 ] || fail "only $n cases ran"
finish
