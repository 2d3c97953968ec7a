#!/bin/sh
# A QEMU that exits during start, one that never answers QMP and one that answers garbage: each
# `create` fails with a clear one-line error within its timeout, leaves no process behind and no
# sandbox (or one that `delete --force` removes).
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

for mode in exit silent garbage; do
	ln -sf "$fake" "$TMP/fake-qemu-$mode"
	cat >"$TMP/$mode.toml" <<EOF
[hypervisor.qemu]
path = "$TMP/fake-qemu-$mode"
kernel = "$TMP/vmlinuz"
initrd = "$TMP/initrd"
EOF
	id=f$mode
	t0=$(date +%s)
	# --log-level error: the warning about TCG is not what this test looks at
	run timeout -s KILL "$limit" "$VCRUN" --root "$root" --config "$TMP/$mode.toml" \
		--log-level error --hypervisor qemu create --bundle "$bundle" "$id"
	t1=$(date +%s)
	[ "$rc" -ne 137 ] || fail "$mode: create still running after ${limit}s"
	[ "$rc" -eq 1 ] || fail "$mode: create exit $rc, expected 1 (stderr: $errout)"
	expect_lines "$errout" 1
	case "$mode:$errout" in
	exit:*"exited"*"fake-qemu: failing at start"*) ;; # QEMU's own message is passed on
	silent:*"QMP"*) ;;
	garbage:*"QMP"*) ;;
	*) fail "$mode: unclear error: $errout" ;;
	esac
	echo "fake-qemu $mode: failed after $((t1 - t0))s: $errout"
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
