# Helpers for the lifecycle tests: a private state root, the mock configuration, cleanup of
# every VM process a test leaves behind. Source after tests/cli/lib.sh.
R="$TMP/root"
CFG="$top_srcdir/tests/lifecycle/mock.yaml"
export VCRUN_HOST_CPUS=8

cleanup_sandboxes() {
	for d in "$R"/*/; do
		[ -d "$d" ] || continue
		"$VCRUN" --root "$R" delete --force "$(basename "$d")" >/dev/null 2>&1
	done
	# Whatever still runs from this test's root (a crashed create) is killed by pid.
	for f in "$R"/*/state.json "$R"/.*/state.json; do
		[ -f "$f" ] || continue
		pid=$(sed -n 's/^ *"pid": \([0-9][0-9]*\),$/\1/p' "$f")
		[ -n "$pid" ] && [ "$pid" -gt 0 ] && kill -9 "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup_sandboxes EXIT

# V ARGS...: vcrun on the mock backend with the test root.
V() {
	"$VCRUN" --root "$R" --hypervisor mock --config "$CFG" "$@"
}

# field JSON NAME: a top-level string or number member of pretty-printed JSON.
field() {
	printf '%s\n' "$1" | sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" | head -n 1
}

status_of() {
	field "$(V state "$1" 2>/dev/null)" status
}

expect_status() {
	local got
	got=$(status_of "$1")
	[ "$got" = "$2" ] || fail "$3: status of $1 is '$got', expected '$2'"
}

# wait_for CMD...: up to 5 s for CMD to succeed.
wait_for() {
	local i=0
	while [ $i -lt 250 ]; do
		"$@" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}

# proc_alive PID: the process exists and is not a zombie waiting for its new parent to reap it.
proc_alive() {
	local s
	s=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}
