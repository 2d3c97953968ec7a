#!/bin/sh
# SIGKILL of vcrun from outside in the middle of `create` (mock backend), at moments spread
# over the whole create, as a crash or an OOM kill would hit it (the named fault points of
# VCRUN_TEST_KILL_AT are covered in tests/lifecycle/mock-faults.sh; these land wherever the
# process happens to be). After each kill: either the sandbox is visible, `state` reports it and
# `delete --force` removes it together with its VM process, or (killed before the sandbox was
# published) it is neither reported nor listed, and `delete --force` of the id succeeds. In both
# cases no process is left behind and the id can be created again.
. "$(dirname "$0")/../cli/lib.sh"

"$VCRUN" help create >/dev/null 2>&1 || { echo "kill-create: no 'create' command yet"; exit 77; }
cfg=$top_srcdir/tests/lifecycle/mock.yaml
[ -f "$cfg" ] || { echo "kill-create: no $cfg"; exit 77; }
export VCRUN_HOST_CPUS=8
root=$TMP/root
V() { "$VCRUN" --root "$root" --hypervisor mock --config "$cfg" "$@"; }

# list_ids: the sandbox ids `list` shows, one a line
list_ids() {
	"$VCRUN" --root "$root" list --quiet 2>/dev/null ||
		"$VCRUN" --root "$root" list 2>/dev/null | awk 'NR > 1 && NF { print $1 }'
}

# procs_under DIR: the number of processes whose command line mentions DIR
procs_under() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$f" | grep -qF "$1" && n=$((n + 1))
	done
	echo "$n"
}

# The time one create takes here, to spread the kills over it.
t0=$(date +%s%N)
V create probe >/dev/null 2>&1 || fail "create probe"
t1=$(date +%s%N)
V delete --force probe >/dev/null 2>&1
span_us=$(((t1 - t0) / 1000))
echo "kill-create: one create takes ${span_us}us here"

reported=0
unpublished=0
n=0
for pct in 0 5 10 20 30 40 50 60 70 80 90 95; do
	n=$((n + 1))
	id=k$n
	delay=$(awk -v s="$span_us" -v p="$pct" 'BEGIN { printf "%.6f", s * p / 100 / 1e6 }')
	# a simple command, not the function V: $! must be vcrun itself, not a subshell around it
	"$VCRUN" --root "$root" --hypervisor mock --config "$cfg" create "$id" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# vcrun was killed, or had finished: in neither case may a create still be running
	case "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" in
	*create*) fail "SIGKILL at ${pct}%: the create still runs" ;;
	esac
	what="SIGKILL at ${pct}% of a create"
	run V state "$id"
	if [ "$rc" -eq 0 ]; then
		reported=$((reported + 1))
		printf '%s' "$out" | grep -q "\"id\": *\"$id\"" || fail "$what: state without the id: $out"
	else
		unpublished=$((unpublished + 1))
		expect_contains "$errout" "does not exist"
		list_ids | grep -qx "$id" && fail "$what: $id listed but state fails: $errout"
	fi
	run V delete --force "$id"
	expect_rc 0 "$what: delete --force"
	run V state "$id"
	[ "$rc" -ne 0 ] || fail "$what: state still reports $id after delete --force"
	[ ! -e "$root/$id" ] || fail "$what: $root/$id still exists"
	# the VM process (vcrun __mock-vm, its sockets in the sandbox dir) is gone
	i=0
	while [ "$(procs_under "$root/$id/")" -ne 0 ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(procs_under "$root/$id/")" -eq 0 ] || fail "$what: a process still runs in $root/$id"
	run V create "$id"
	expect_rc 0 "$what: create of the same id afterwards"
	V delete --force "$id" >/dev/null 2>&1
done
echo "kill-create: $reported interrupted creates reported by state, $unpublished not yet published"

left=$(list_ids)
[ -z "$left" ] || fail "sandboxes left over: $left"
[ "$(procs_under "$root/")" -eq 0 ] || fail "processes left under $root"
# The hidden directories of unpublished creates are swept by the next create.
hidden=$(ls -A "$root" | grep '^\.' || true)
[ -z "$hidden" ] || fail "hidden leftovers in the root: $hidden"

finish
