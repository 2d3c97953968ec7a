#!/bin/sh
# The bash completion (completion/vcrun.bash): sourced in bash, the completion function is
# called with COMP_WORDS/COMP_CWORD set as bash would, and its COMPREPLY is checked. Commands
# and options come from the real binary; sandbox ids from a stand-in `vcrun` whose `list`
# prints a known table, so the id half is tested even before this build has `list`.
. "$top_srcdir/tests/cli/lib.sh"

command -v bash >/dev/null 2>&1 || { echo "no bash: skipped"; exit 77; }
COMPLETION="$top_srcdir/completion/vcrun.bash"

# complete WORD...: the completions of the last word, one per line, sorted, in $out.
complete_words() {
	run bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_vcrun
		printf "%s\n" "${COMPREPLY[@]}" | sort' completion "$COMPLETION" "$@"
	[ "$rc" -eq 0 ] || fail "completion of '$*' exited $rc: $errout"
}

expect_exactly() {
	[ "$out" = "$2" ] || fail "completing '$1': expected [$2], got [$out]"
}

complete_words "$VCRUN" he
expect_exactly "vcrun he" "help"

complete_words "$VCRUN" --debug --root /nonexistent ver
expect_exactly "vcrun --debug --root DIR ver" "version"

complete_words "$VCRUN" --log-l
expect_exactly "vcrun --log-l" "--log-level"

complete_words "$VCRUN" --log-level d
expect_exactly "vcrun --log-level d" "debug"

complete_words "$VCRUN" help fe
expect_exactly "vcrun help fe" "features"

# Every command of `vcrun help` is offered for an empty word, and nothing else.
complete_words "$VCRUN" ""
want=$("$VCRUN" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' | sort)
[ -n "$want" ] || fail "vcrun help lists no commands"
expect_exactly "vcrun ''" "$want"

# Per-command options, when this build has `config` (its help names --format).
if "$VCRUN" help config >/dev/null 2>&1; then
	complete_words "$VCRUN" config s
	expect_exactly "vcrun config s" "show"
	complete_words "$VCRUN" config show --form
	expect_exactly "vcrun config show --form" "--format"
	complete_words "$VCRUN" config show --format y
	expect_exactly "vcrun config show --format y" "yaml"
else
	echo "no config command in this build: its option completions not tested"
fi

# Sandbox ids from `list`, with the --root given on the command line passed through.
mkdir "$TMP/bin"
cat >"$TMP/bin/vcrun" <<'STUB'
#!/bin/sh
root=default
[ "$1" = --root ] && { root=$2; shift 2; }
case "$1 ${2:-}" in
"help ")
	printf 'Usage: vcrun [GLOBAL OPTIONS] COMMAND\n\nGlobal options:\n  --root DIR   state\n\n'
	printf 'Commands:\n  list   list sandboxes\n  state  print the state\n\nRun...\n' ;;
"help state") printf 'Usage: vcrun state ID\n' ;;
"help list") printf 'Usage: vcrun list [--format table|json]\n' ;;
"list ") printf 'ID        STATUS   PID\nweb-%s   running  42\ndb-%s    stopped  0\n' "$root" "$root" ;;
*) exit 2 ;;
esac
STUB
chmod +x "$TMP/bin/vcrun"
complete_words "$TMP/bin/vcrun" --root r1 state ""
expect_exactly "stub state ''" "$(printf 'db-r1\nweb-r1')"
complete_words "$TMP/bin/vcrun" state w
expect_exactly "stub state w" "web-default"
complete_words "$TMP/bin/vcrun" list --format j
expect_exactly "stub list --format j" "json"

finish
