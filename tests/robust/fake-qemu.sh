#!/bin/sh
# A QEMU that exits during start, one that never answers QMP and ones that answer garbage (a
# line that is not JSON, binary bytes without a newline, a greeting cut short by a hang-up, JSON
# that is not a greeting): each `create` fails with a clear one-line error within its timeout,
# leaves no process behind and no sandbox (or one that `delete --force` removes). Garbage fails
# fast, naming what was wrong and quoting the first bytes, not after the whole QMP timeout.
. "$(dirname "$0")/../cli/lib.sh"

"$VCRUN" help create >/dev/null 2>&1 || { echo "fake-qemu: no 'create' command yet"; exit 77; }
fake=$top_builddir/tests/helpers/fake-qemu
[ -x "$fake" ] || { echo "fake-qemu: $fake not built"; exit 77; }

root=$TMP/root
bundle=$TMP/bundle
mkdir -p "$bundle/rootfs"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"}}\n' \
	>"$bundle/config.json"
# A kernel and initrd that exist: the fakes never read them.
: >"$TMP/vmlinuz"
: >"$TMP/initrd"

procs_under() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$f" | grep -qF "$1" && n=$((n + 1))
	done
	echo "$n"
}

# The limit the test allows: vcrun's own QMP/start timeout plus slack for a loaded machine.
limit=${VCRUN_FAULT_LIMIT:-60}

# Garbage must be recognised well within vcrun's QMP timeout (15 s), not by running it out.
fast_ms=${VCRUN_FAULT_FAST_MS:-5000}
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

for mode in exit silent garbage binary hangup json; do
	ln -sf "$fake" "$TMP/fake-qemu-$mode"
	cat >"$TMP/$mode.toml" <<EOF
[hypervisor.qemu]
path = "$TMP/fake-qemu-$mode"
kernel = "$TMP/vmlinuz"
initrd = "$TMP/initrd"
EOF
	id=f$mode
	t0=$(now_ms)
	# --log-level error: the warning about TCG is not what this test looks at
	run timeout -s KILL "$limit" "$VCRUN" --root "$root" --config "$TMP/$mode.toml" \
		--log-level error --hypervisor qemu create --bundle "$bundle" "$id"
	t1=$(now_ms)
	[ "$rc" -ne 137 ] || fail "$mode: create still running after ${limit}s"
	[ "$rc" -eq 1 ] || fail "$mode: create exit $rc, expected 1 (stderr: $errout)"
	expect_lines "$errout" 1
	case "$mode" in
	exit) want='exited during create with status 1: qemu-system-x86_64: fake-qemu: failing at start' ;;
	silent) want='did not answer QMP on' ;;
	garbage) want='QMP greeting is not JSON (' ;;
	binary) want='QMP greeting is not JSON: "\x00\x01\x02\xfe\xff no newline"' ;;
	hangup) want='QMP greeting cut short: the server closed the connection after "{\"QMP\": {\"version\""' ;;
	json) want='expected a QMP greeting (message has none of QMP/return/error/event), got "{\"jsonrpc\": \"2.0\", \"method\": \"hello\"}"' ;;
	esac
	expect_contains "$errout" "$want"
	# the first bytes of the garbage, quoted with escapes (the terminal never sees them raw)
	[ "$mode" = garbage ] && expect_contains "$errout" '): "this is not QMP \x01\x02\xff{\"QMP\": [1, 2"'
	case "$mode" in
	garbage | binary | hangup | json)
		[ $((t1 - t0)) -lt "$fast_ms" ] ||
			fail "$mode: garbage recognised only after $((t1 - t0)) ms (limit $fast_ms ms)"
		;;
	esac
	echo "fake-qemu $mode: failed after $((t1 - t0)) ms: $errout"
	# no fake QEMU left running
	i=0
	while [ "$(procs_under "$TMP/fake-qemu-$mode")" -ne 0 ] && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(procs_under "$TMP/fake-qemu-$mode")" -eq 0 ] || fail "$mode: the fake QEMU still runs"
	# no half-created sandbox, or one that delete --force removes
	run "$VCRUN" --root "$root" state "$id"
	if [ "$rc" -eq 0 ]; then
		run "$VCRUN" --root "$root" delete --force "$id"
		expect_rc 0 "$mode: delete --force of the failed sandbox"
	fi
	[ ! -e "$root/$id" ] || fail "$mode: $root/$id left behind"
done

finish
