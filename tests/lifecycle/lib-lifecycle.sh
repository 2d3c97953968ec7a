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

# need_qemu_guest: skips the test (exit 77) without qemu-system-x86_64, the test guest (built
# by `make guest` when missing) or the shipped configuration; sets G (the guest directory) and
# SHIPPED (the shipped YAML configuration).
need_qemu_guest() {
	command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64: skipped"; exit 77; }
	G="${VCRUN_GUEST_DIR:-$top_builddir/guest}"
	if [ ! -f "$G/vmlinuz" ] || [ ! -f "$G/initramfs.img" ]; then
		make -C "$top_builddir" guest >"$TMP/guest-build.log" 2>&1 ||
			{ echo "the test guest cannot be built (see make guest): skipped"; exit 77; }
	fi
	SHIPPED="$top_srcdir/config/configuration-qemu.yaml"
	[ -f "$SHIPPED" ] || { echo "no shipped configuration: skipped"; exit 77; }
}

# console_receiver SOCKET SECONDS STEP...: tests/helpers/console-recv in the background, the
# receiving end of create --console-socket SOCKET (steps: expect:TEXT, send:TEXT); returns once
# it listens. receiver_done waits for it, fails unless every step passed, and sets $recv to what
# it printed.
console_receiver() {
	local sock=$1 secs=$2
	shift 2
	"$top_builddir/tests/helpers/console-recv" --timeout "$secs" "$sock" "$@" \
		>"$TMP/recv.out" 2>&1 &
	rpid=$!
	wait_for test -S "$sock" || fail "the receiver does not listen on $sock"
}
receiver_done() {
	local rrc
	wait "$rpid"
	rrc=$?
	recv=$(cat "$TMP/recv.out")
	[ "$rrc" -eq 0 ] || fail "console-recv exit $rrc: $recv"
}
