#!/bin/sh
# Failures on the mock backend: injected hypervisor failures leave the sandbox as it was, a VM
# killed behind vcrun's back is stopped, an interrupted create is reportable and deletable,
# concurrent creates of one id have exactly one winner.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

devices() {
	V device list --json "$1" 2>/dev/null
}

# create fails like a QEMU that exits at once: one error line, nothing left
run env VCRUN_MOCK_FAIL=create "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" create f0
expect_rc 1 "injected create failure"
expect_contains "$errout" "injected failure of 'create'"
expect_lines "$errout" 1
[ -z "$(ls -A "$R")" ] || fail "a failed create left: $(ls -A "$R")"

V create f1 || fail "create f1"
f1pid=$(field "$(V state f1)" pid)

# start fails: still created, can be started afterwards
run env VCRUN_MOCK_FAIL=start "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" start f1
expect_rc 1 "injected start failure"
expect_contains "$errout" "qmp 'cont'"
expect_lines "$errout" 1
expect_status f1 created "after a failed start"
V start f1 || fail "start after a failed start"

# pause fails: still running
run env VCRUN_MOCK_FAIL=pause "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" pause f1
expect_rc 1 "injected pause failure"
expect_status f1 running "after a failed pause"
V pause f1 || fail pause

# resume fails: still paused
run env VCRUN_MOCK_FAIL=resume "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" resume f1
expect_rc 1 "injected resume failure"
expect_status f1 paused "after a failed resume"
V resume f1 || fail resume

# hotplug fails at device_add: the blockdev is rolled back, state.json unchanged
truncate -s 1M "$TMP/d.img"
before=$(cat "$R/f1/state.json")
run env VCRUN_MOCK_FAIL=hotplug "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" \
	--log-level info device add f1 --drive "$TMP/d.img"
expect_rc 1 "injected hotplug failure"
expect_contains "$errout" "rolling back node"
[ "$(cat "$R/f1/state.json")" = "$before" ] || fail "state.json changed by a failed hotplug"
# the rollback freed the node: the same drive plugs fine now (same node name reused)
run V device add f1 --drive "$TMP/d.img"
expect_rc 0 "hotplug after a rolled back one"

# stop: the guest ignores powerdown and quit fails: escalation to SIGKILL, logged
run env VCRUN_MOCK_FAIL=stop "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" \
	--log-level info stop --timeout 1 f1
expect_rc 0 "stop with escalation"
expect_contains "$errout" "system_powerdown"
expect_contains "$errout" "SIGKILL"
expect_status f1 stopped "after an escalated stop"
proc_alive "$f1pid" && fail "VM $f1pid alive after stop"
V delete f1 || fail "delete f1"

# the VM killed behind vcrun's back
V create k1 && V start k1
kpid=$(field "$(V state k1)" pid)
kill -9 "$kpid"
wait_for sh -c "! grep -q '^[0-9]* ([^)]*) [^ZX]' /proc/$kpid/stat 2>/dev/null" || fail "mock did not die"
expect_status k1 stopped "after SIGKILL of the VM"
[ "$(field "$(V state k1)" pid)" = 0 ] || fail "pid of a killed VM is not 0"
run V delete k1
expect_rc 0 "delete after the VM was killed"
[ -e "$R/k1" ] && fail "delete left k1"

# a create interrupted by SIGKILL at each point: reportable, delete --force cleans everything
# state-write: the first state file is written in a hidden directory, before the sandbox is
# published: nothing to report, and the next create sweeps the leftover.
run env VCRUN_TEST_KILL_AT=state-write "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" \
	create int0
[ "$rc" -eq 137 ] || fail "state-write: vcrun did not die at the fault point (rc $rc)"
run V state int0
expect_rc 1 "state of a create killed before publication"
expect_contains "$errout" "does not exist"
run V delete --force int0
expect_rc 0 "delete --force of an unpublished sandbox"
for point in create-dir state-write:2 create-spawned create-ready; do
	id="int-${point%:*}"
	run env VCRUN_TEST_KILL_AT=$point "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" \
		create "$id"
	[ "$rc" -eq 137 ] || fail "$point: vcrun did not die at the fault point (rc $rc)"
	run V state "$id"
	expect_rc 0 "state after a create killed at $point"
	st=$(field "$out" status)
	case "$point" in
	create-dir | state-write:2) # no VM, or one that never got to exec
		wait_for sh -c "[ \"\$(\"$VCRUN\" --root \"$R\" state $id 2>/dev/null | sed -n 's/.*\"status\": \"\\([a-z]*\\)\".*/\\1/p')\" = stopped ]" ||
			fail "$point: status '$st', expected stopped" ;;
	*) [ "$st" = creating ] || fail "$point: status '$st', expected creating" ;;
	esac
	st=$(status_of "$id")
	ipid=$(sed -n 's/^ *"pid": \([0-9][0-9]*\),$/\1/p' "$R/$id/state.json")
	run V delete "$id"
	[ "$st" = stopped ] && expect_rc 0 "delete of $id" || expect_rc 1 "delete of $id without --force"
	run V delete --force "$id"
	expect_rc 0 "delete --force of $id"
	[ -e "$R/$id" ] && fail "$point: sandbox left after delete --force"
	if [ -n "$ipid" ] && [ "$ipid" -gt 0 ]; then
		proc_alive "$ipid" && fail "$point: VM $ipid survived delete --force"
	fi
done
[ -z "$(ls -A "$R")" ] || fail "leftovers in the root: $(ls -A "$R")"

# 16 concurrent creates of one id: exactly one wins
i=0
while [ $i -lt 16 ]; do
	(V create race >"$TMP/race.$i.out" 2>&1; echo $? >"$TMP/race.$i.rc") &
	i=$((i + 1))
done
wait
wins=0
i=0
while [ $i -lt 16 ]; do
	r=$(cat "$TMP/race.$i.rc")
	if [ "$r" -eq 0 ]; then
		wins=$((wins + 1))
	else
		grep -q "already exists" "$TMP/race.$i.out" || fail "race loser $i: $(cat "$TMP/race.$i.out")"
	fi
	i=$((i + 1))
done
[ "$wins" -eq 1 ] || fail "$wins creates of one id succeeded"
expect_status race created "the race winner"
n=$(ls -A "$R" | wc -l)
[ "$n" -eq 1 ] || fail "root holds $n entries after the race: $(ls -A "$R")"
V delete --force race

# What a power loss may leave of an unsynced state file (its VM gone with it): an empty or a torn
# state.json. Reported as stopped, with a warning; delete removes it without --force.
for damage in empty torn; do
	V create "pl-$damage" >/dev/null || fail "create pl-$damage"
	p=$(field "$(V state "pl-$damage")" pid)
	kill -9 "$p"
	wait_for sh -c "! kill -0 $p 2>/dev/null || grep -q '^State:.Z' /proc/$p/status" ||
		fail "killed VM $p still there"
	if [ "$damage" = empty ]; then
		: >"$R/pl-$damage/state.json"
	else
		head -c 40 "$R/pl-$damage/state.json" >"$TMP/torn" && cat "$TMP/torn" >"$R/pl-$damage/state.json"
	fi
	run V state "pl-$damage"
	expect_rc 0 "state of a sandbox with an $damage state file"
	[ "$(field "$out" status)" = stopped ] || fail "$damage state file: status $(field "$out" status)"
	expect_contains "$errout" "state.json" "the warning names the file"
	run V delete "pl-$damage"
	expect_rc 0 "delete of a sandbox with an $damage state file"
	[ ! -e "$R/pl-$damage" ] || fail "$damage state file: the sandbox directory is left"
done

finish
