#!/bin/sh
# `list` without --live wakes no VM (as runc's list: the state file and the process). A live VM
# process has the status vcrun recorded at its last transition (create, start, pause, resume); a
# dead one, or one whose pid now belongs to another process, is stopped; a state file without a
# recorded status (an older vcrun's, or one a failed transition left) has its VM asked. `state`
# and `list --live` ask the VM, so only they see what a VM did by itself.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

B="$TMP/bundle"
mkdir -p "$B"
printf '{"ociVersion":"1.0.2"}\n' >"$B/config.json"
QMP="$top_builddir/tests/helpers/qmp-cmd"

# recorded ID: the status member of the sandbox's state.json (empty when there is none)
recorded() {
	sed -n 's/^ *"status": "\([a-z]*\)",\{0,1\}$/\1/p' "$R/$1/state.json"
}
# forget ID: state.json as an older vcrun wrote it, without the status member
forget() {
	sed -i '/^ *"status": /d' "$R/$1/state.json"
}
# listed_status TABLE ID: the STATUS column of the table
listed_status() {
	printf '%s\n' "$1" | awk -v id="$2" '$1 == id { print $3 }'
}
# expect_listed WHAT ID:STATUS...: `list` ($list) and `list --live` ($live) both show them
expect_listed() {
	local what=$1 pair id want
	shift
	for pair in "$@"; do
		id=${pair%%:*}
		want=${pair#*:}
		[ "$(listed_status "$list" "$id")" = "$want" ] ||
			fail "$what: list shows $id as '$(listed_status "$list" "$id")', expected '$want'"
		[ "$(listed_status "$live" "$id")" = "$want" ] ||
			fail "$what: list --live shows $id as '$(listed_status "$live" "$id")', expected '$want'"
	done
}
lists() {
	run V list
	expect_rc 0 "list ($1)"
	list=$out
	list_err=$errout
	run V list --live
	expect_rc 0 "list --live ($1)"
	live=$out
}

for id in c1 r1 p1 u1 k1 s1; do
	V create --bundle "$B" "$id" >/dev/null || fail "create $id"
done
V start r1 && V start p1 && V pause p1 && V start u1 && V pause u1 && V resume u1 &&
	V start s1 && V stop s1 || fail "transitions"
for pair in c1:created r1:running p1:paused u1:running; do
	[ "$(recorded "${pair%%:*}")" = "${pair#*:}" ] ||
		fail "state.json of ${pair%%:*} records '$(recorded "${pair%%:*}")', expected '${pair#*:}'"
done
kpid=$(field "$(V state k1)" pid)
kill -9 "$kpid"
wait_for sh -c "! kill -0 $kpid 2>/dev/null || grep -q '^State:.Z' /proc/$kpid/status" ||
	fail "killed VM $kpid still there"

lists "transitions"
expect_listed "transitions" c1:created r1:running p1:paused u1:running k1:stopped s1:stopped
[ -z "$list_err" ] || fail "list warned: $list_err"
[ "$list" = "$live" ] || fail "list and list --live differ: $list // $live"
run V list --format json
expect_rc 0 "list --format json"
[ "$(printf '%s\n' "$out" | grep -c '"status": "stopped"')" -eq 2 ] || fail "stopped count: $out"
[ "$(printf '%s\n' "$out" | grep -c '"pid": 0,')" -eq 2 ] || fail "pid 0 only when stopped: $out"
run V list --live --format json
[ "$out" = "$(V list --format json)" ] || fail "list --format json and list --live differ"

# A VM paused behind vcrun's back (as a guest stopped on an I/O error): state and list --live see
# it, list shows what vcrun recorded. The next transition records again.
"$QMP" "$R/r1/qmp.sock" stop >/dev/null || fail "qmp stop of r1"
lists "paused behind vcrun's back"
[ "$(listed_status "$list" r1)" = running ] || fail "list asked the VM: r1 is $(listed_status "$list" r1)"
[ "$(listed_status "$live" r1)" = paused ] || fail "list --live: r1 is $(listed_status "$live" r1)"
expect_status r1 paused "state asks the VM"
V resume r1 || fail "resume r1"
[ "$(recorded r1)" = running ] || fail "resume recorded '$(recorded r1)'"

# The recorded pid now belongs to another process (its start time differs): stopped, by both.
cp "$R/u1/state.json" "$TMP/u1.state"
sed -i 's/^\( *"pid_start": \)[0-9]*,$/\11,/' "$R/u1/state.json"
grep -q '"pid_start": 1,' "$R/u1/state.json" || fail "pid_start not rewritten"
lists "pid reused"
expect_listed "pid reused" u1:stopped
cp "$TMP/u1.state" "$R/u1/state.json"

# State files without a recorded status: the VM is asked (not defaulted to running).
forget p1
forget c1
lists "no recorded status"
expect_listed "no recorded status" c1:created p1:paused r1:running
[ -z "$list_err" ] || fail "list warned: $list_err"

# A transition that fails leaves no recorded status: list asks that VM until the next one.
# injected_failure OP ID STATUS: OP of ID fails inside the mock VM; nothing is recorded, and
# both lists show STATUS
injected_failure() {
	run env VCRUN_MOCK_FAIL="$1" "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" "$1" "$2"
	expect_rc 1 "injected $1 failure"
	[ -z "$(recorded "$2")" ] || fail "a failed $1 left '$(recorded "$2")' recorded"
	lists "failed $1"
	expect_listed "failed $1" "$2:$3"
}
V create --bundle "$B" f1 >/dev/null || fail "create f1"
injected_failure start f1 created
V start f1 || fail "start f1"
injected_failure pause f1 running
V pause f1 || fail "pause f1"
[ "$(recorded f1)" = paused ] || fail "pause after a failed one recorded '$(recorded f1)'"

# A damaged state file: warned about, listed as stopped.
V create --bundle "$B" d1 >/dev/null || fail "create d1"
dpid=$(field "$(V state d1)" pid)
kill -9 "$dpid"
printf '{ not json' >"$R/d1/state.json"
lists "damaged state file"
expect_listed "damaged state file" d1:stopped
expect_contains "$list_err" "d1/state.json:1:"

# Many sandboxes, few descriptors, old and new state files mixed: the VMs asked in batches, the
# others listed at once, every one in its place and with its status.
i=0
while [ $i -lt 40 ]; do
	V create --bundle "$B" "m$i" >/dev/null || fail "create m$i"
	[ $((i % 3)) -eq 0 ] || forget "m$i"
	i=$((i + 1))
done
V start m4 && V start m9 && V pause m9 || fail "m4, m9"
forget m9
list=$(ulimit -n 40 && V list) || fail "list with ulimit -n 40: $list"
live=$(ulimit -n 40 && V list --live) || fail "list --live with ulimit -n 40: $live"
[ "$(printf '%s\n' "$list" | awk '$1 ~ /^m[0-9]+$/ && $3 == "created"' | wc -l)" -eq 38 ] ||
	fail "list in batches: $list"
expect_listed "batches" m4:running m9:paused m0:created m1:created m39:created
ids=$(printf '%s\n' "$list" | awk 'NR > 1 { print $1 }')
[ "$ids" = "$(printf '%s\n' "$ids" | LC_ALL=C sort)" ] || fail "list is not sorted by id: $ids"
[ "$(printf '%s\n' "$ids" | wc -l)" -eq 48 ] || fail "list lost sandboxes: $ids"
[ "$list" = "$live" ] || fail "list and list --live differ"

finish
