#!/bin/sh
# SIGKILL of vcrun in the middle of `create` (mock backend), at each named fault point of the
# state store and the lifecycle (VCRUN_TEST_KILL_AT, see lib/sandbox/state.h) and once from
# outside at an arbitrary moment: afterwards either the sandbox is visible, `state` reports it
# and `delete --force` removes it with its VM process, or (killed before the sandbox was
# published) nothing is visible at all; in both cases no process is left behind.
. "$(dirname "$0")/../cli/lib.sh"

"$VCRUN" help create >/dev/null 2>&1 || { echo "kill-create: no 'create' command yet"; exit 77; }

root=$TMP/root
bundle=$TMP/bundle
mkdir -p "$bundle/rootfs"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"}}\n' \
	>"$bundle/config.json"

# procs_under DIR: the number of processes whose command line mentions DIR
procs_under() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' <"$f" 2>/dev/null | grep -qF "$1" && n=$((n + 1))
	done
	echo "$n"
}

# list_ids ROOT: the sandbox ids `list` shows, one a line (runc's `list -q`, else the first
# column of the table without its header)
list_ids() {
	"$VCRUN" --root "$1" list -q 2>/dev/null ||
		"$VCRUN" --root "$1" list 2>/dev/null | awk 'NR > 1 && NF { print $1 }'
}

# check_after_kill ID WHAT: the invariants after an interrupted create of ID
check_after_kill() {
	id=$1
	what=$2
	run "$VCRUN" --root "$root" state "$id"
	if [ "$rc" -eq 0 ]; then
		printf '%s' "$out" | grep -q "\"id\": *\"$id\"" || fail "$what: state without the id: $out"
		run "$VCRUN" --root "$root" delete --force "$id"
		expect_rc 0 "$what: delete --force"
		run "$VCRUN" --root "$root" state "$id"
		[ "$rc" -ne 0 ] || fail "$what: state still reports $id after delete --force"
	else
		# not published: it must not be listed either
		list_ids "$root" | grep -qx "$id" && fail "$what: $id listed but state fails: $errout"
	fi
	[ ! -e "$root/$id" ] || fail "$what: $root/$id still exists"
	# the VM process (vcrun __mock-vm with its sockets in the sandbox dir) is gone
	i=0
	while [ "$(procs_under "$root/$id/")" -ne 0 ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(procs_under "$root/$id/")" -eq 0 ] || fail "$what: a process still runs in $root/$id"
}

n=0
for point in create-dir create-spawned create-ready state-write:1 state-write:2 state-write:3; do
	n=$((n + 1))
	id=k$n
	VCRUN_TEST_KILL_AT=$point "$VCRUN" --root "$root" --hypervisor mock create --bundle "$bundle" \
		"$id" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 137 ]; then
		# a point this create never reaches (e.g. fewer state writes) completes normally
		if [ "$rc" -eq 0 ]; then
			"$VCRUN" --root "$root" delete --force "$id" >/dev/null 2>&1
			echo "kill-create: point $point not reached by a mock create"
			continue
		fi
		fail "kill at $point: exit $rc, expected 137 (SIGKILL): $(cat "$TMP/err")"
		continue
	fi
	check_after_kill "$id" "kill at $point"
done

# From outside, at whatever moment the create happens to be in.
for delay in 0.01 0.05 0.2; do
	n=$((n + 1))
	id=k$n
	"$VCRUN" --root "$root" --hypervisor mock create --bundle "$bundle" "$id" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check_after_kill "$id" "SIGKILL after ${delay}s"
done

# After all that the root holds nothing and a new create of a used id works.
left=$(list_ids "$root")
[ -z "$left" ] || fail "sandboxes left over: $left"
run "$VCRUN" --root "$root" --hypervisor mock create --bundle "$bundle" k1
expect_rc 0 "create after the crashes"
run "$VCRUN" --root "$root" delete --force k1
expect_rc 0 "delete"

finish
