#!/bin/sh
# The whole lifecycle on the mock backend, with every OCI rule.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

B="$TMP/bundle"
mkdir -p "$B"
printf '{"ociVersion":"1.0.2","annotations":{"org.example/k":"v"}}\n' >"$B/config.json"

# create
run V create --bundle "$B" --pid-file "$TMP/pid" box
expect_rc 0 "create"
expect_status box created "after create"
[ -f "$TMP/pid" ] || fail "no pid file"
[ "$(wc -l <"$TMP/pid")" -eq 0 ] || fail "pid file ends with a newline"
pid=$(cat "$TMP/pid")
proc_alive "$pid" || fail "pid $pid from the pid file is not alive"
# the VM process runs under vcrun's seccomp filter (issue [6/8]) unless disable_seccomp
grep -q "^NoNewPrivs:.1" "/proc/$pid/status" || fail "VM without no_new_privs"
case "$("$VCRUN" --version)" in
*"+seccomp"*) grep -q "^Seccomp:.2" "/proc/$pid/status" || fail "VM without a seccomp filter" ;;
esac
sed 's/^    accelerator:.*/&\n    disable_seccomp: true/' "$CFG" >"$TMP/noseccomp.yaml"
"$VCRUN" --root "$R" --hypervisor mock --config "$TMP/noseccomp.yaml" create nosec 2>/dev/null ||
	fail "create with disable_seccomp"
npid=$(sed -n 's/^ *"pid": \([0-9][0-9]*\),$/\1/p' "$R/nosec/state.json")
grep -q "^Seccomp:.0" "/proc/$npid/status" || fail "disable_seccomp did not turn the filter off"
# nor does vcrun set no_new_privs then: the VM has what vcrun's caller has
[ "$(grep '^NoNewPrivs:' "/proc/$npid/status")" = "$(grep '^NoNewPrivs:' /proc/self/status)" ] ||
	fail "disable_seccomp still set no_new_privs"
V delete --force nosec

run V state box
expect_rc 0 state
printf '%s' "$out" >"$TMP/state.json"
is_json "$TMP/state.json" || fail "state is not JSON: $out"
for k in ociVersion id status pid bundle annotations created hypervisor qmp_socket \
	console_socket console_log; do
	expect_contains "$out" "\"$k\":"
done
[ "$(field "$out" pid)" = "$pid" ] || fail "state pid $(field "$out" pid) != pid file $pid"
[ "$(field "$out" bundle)" = "$B" ] || fail "bundle: $out"
expect_contains "$out" '"org.example/k": "v"'
[ "$(stat -c %a "$R")" = 700 ] || fail "root mode $(stat -c %a "$R")"
[ "$(stat -c %a "$R/box/state.json")" = 600 ] || fail "state.json mode"

# the same id again
run V create box
expect_rc 1 "second create"
expect_contains "$errout" "sandbox 'box' already exists"
expect_lines "$errout" 1
expect_status box created "after a refused create"

# OCI rules from created
run V pause box
expect_rc 1 "pause from created"
expect_contains "$errout" "it is created"
run V delete box
expect_rc 1 "delete from created"
expect_contains "$errout" "stop it first or use --force"
expect_lines "$errout" 1
expect_status box created "after refused delete"

run V start box
expect_rc 0 start
expect_status box running "after start"
run V start box
expect_rc 1 "start twice"
expect_contains "$errout" "only a created sandbox can be started"
expect_lines "$errout" 1
expect_status box running "after a refused start"

run V pause box
expect_rc 0 pause
expect_status box paused "after pause"
run V pause box
expect_rc 1 "pause twice"
run V start box
expect_rc 1 "start from paused"
run V resume box
expect_rc 0 resume
expect_status box running "after resume"
run V resume box
expect_rc 1 "resume from running"

# list
run V list
expect_rc 0 list
expect_contains "$out" "box"
expect_contains "$out" "running"
run V list --format json
expect_rc 0 "list json"
printf '%s' "$out" >"$TMP/list.json"
is_json "$TMP/list.json" || fail "list --format json is not JSON"
run V list --format xml
expect_rc 2 "list --format xml"

# hotplug
truncate -s 1M "$TMP/d1.img" "$TMP/d2.img"
run V device add box --drive "$TMP/d1.img"
expect_rc 0 "device add"
dev1=$out
run V device add box --drive "$TMP/d2.img,readonly"
expect_rc 0 "device add 2"
dev2=$out
[ "$dev1" != "$dev2" ] || fail "device ids not unique: $dev1"
run V device list box
expect_contains "$out" "$dev1"
expect_contains "$out" "$TMP/d2.img"
# two drives spread over the two controllers (least-loaded placement)
run V device list --json box
expect_contains "$out" '"controller": 0'
expect_contains "$out" '"controller": 1'
run V device add box --drive "$TMP/missing.img"
expect_rc 1 "hotplug of a missing file"
expect_lines "$errout" 1
run V device remove box "$dev1"
expect_rc 0 "device remove"
run V device list box
case "$out" in *"$dev1"*) fail "$dev1 still listed after remove" ;; esac
run V device remove box nosuchdev
expect_rc 1 "remove unknown device"
expect_contains "$errout" "has no device 'nosuchdev'"
# removal needs a running guest
V pause box
run V device remove box "$dev2"
expect_rc 1 "remove while paused"
expect_contains "$errout" "the guest must run to release a device"
V resume box

# vCPU hotplug
run V update --vcpus 3 box
expect_rc 0 "update --vcpus 3"
expect_contains "$(cat "$R/box/state.json")" '"vcpus": 3'
run V update --vcpus 5 box
expect_rc 1 "update beyond maxvcpus"
expect_contains "$errout" "default_maxvcpus"

# kill: unknown signal, TERM = power off
run V kill box SIGFOO
expect_rc 2 "unknown signal"
run V kill box TERM
expect_rc 0 "kill TERM"
wait_for sh -c "[ \"\$(\"$VCRUN\" --root \"$R\" state box 2>/dev/null | sed -n 's/.*\"status\": \"\\([a-z]*\\)\".*/\\1/p')\" = stopped ]" ||
	fail "guest did not power off after kill TERM"
run V state box
[ "$(field "$out" pid)" = 0 ] || fail "pid of a stopped sandbox is not 0: $out"
proc_alive "$pid" && fail "VM process $pid still alive after poweroff"
run V kill box 9
expect_rc 1 "kill of a stopped sandbox"
run V kill --all box 9
expect_rc 0 "kill --all of a stopped sandbox"
run V start box
expect_rc 1 "start from stopped"

# delete
run V delete box
expect_rc 0 delete
[ -e "$R/box" ] && fail "sandbox directory left after delete"
run V state box
expect_rc 1 "state of a deleted sandbox"
expect_contains "$errout" "sandbox 'box' does not exist"
expect_lines "$errout" 1
run V delete box
expect_rc 1 "delete of a missing id"
run V delete --force box
expect_rc 0 "delete --force of a missing id"

# bad ids never become paths
run V create ../evil
expect_rc 2 "bad id"
expect_contains "$errout" "invalid sandbox id"
run V state .hidden
expect_rc 2 "bad id for state"
ln -s "$TMP" "$R/link"
run V state link
expect_rc 1 "symlinked sandbox"
expect_contains "$errout" "symbolic link"
rm "$R/link"

# stop: powerdown honoured
V create s1 && V start s1
run V --log-level info stop --timeout 5 s1
expect_rc 0 stop
expect_contains "$errout" "system_powerdown"
expect_status s1 stopped "after stop"
run V stop s1
expect_rc 0 "stop of a stopped sandbox"
V delete s1

# a relative --root: recorded paths are absolute, later commands work from anywhere
(cd "$TMP" && "$VCRUN" --root relroot --hypervisor mock --config "$CFG" create rel) || fail "create with a relative root"
run "$VCRUN" --root "$TMP/relroot" state rel
expect_rc 0 "state of a sandbox created with a relative root"
expect_contains "$out" "\"qmp_socket\": \"$TMP/relroot/rel/qmp.sock\""
expect_contains "$out" '"status": "created"'
"$VCRUN" --root "$TMP/relroot" delete --force rel

# kill (TERM) of a VM that never ran ends it
V create t0
run V kill t0
expect_rc 0 "kill TERM of a created sandbox"
expect_status t0 stopped "after kill TERM from created"
V delete t0

# delete --force of a running sandbox kills it
V create s2 && V start s2
p2=$(field "$(V state s2)" pid)
run V delete --force s2
expect_rc 0 "delete --force running"
proc_alive "$p2" && fail "VM $p2 survived delete --force"

# console: attached before start, shows the boot, ends when the VM powers off
V create c1
V console c1 >"$TMP/console.out" 2>"$TMP/console.err" </dev/null &
cpid=$!
wait_for grep -q "mock console attached" "$TMP/console.out" || fail "console did not attach"
V start c1
wait_for grep -q "VCRUN-GUEST-READY" "$TMP/console.out" || fail "console did not show the boot"
V stop c1
wait_for sh -c "! kill -0 $cpid 2>/dev/null" || { fail "console did not end with the VM"; kill $cpid; }
wait $cpid
V delete c1
run V console c1
expect_rc 1 "console of a missing sandbox"

# cold-plugged drives are recorded where the builder puts them, and can be unplugged
truncate -s 1M "$TMP/c1.img" "$TMP/c2.img" "$TMP/c3.img"
run V create --drive "$TMP/c1.img" --drive "$TMP/c2.img" --drive "$TMP/c3.img,readonly" cold
expect_rc 0 "create with three drives"
run V device list --json cold
expect_contains "$out" '"id": "disk-2"'
expect_contains "$out" '"hotplugged": false'
V start cold
run V device remove cold disk-1
expect_rc 0 "unplug a cold drive"
run V device add cold --drive "$TMP/c2.img"
expect_rc 0 "hotplug after unplug"
[ "$out" = disk-3 ] || fail "new device id '$out', expected disk-3"
run V device list --json cold
# disk-0 and disk-2 sit on controller 0, disk-1 sat on 1: the least-loaded controller is 1
printf '%s' "$out" | tr -d ' \n' | grep -q '"id":"disk-3","node":"hotdrive-3","driver":"scsi-hd","path":"[^"]*","readonly":false,"hotplugged":true,"controller":1' ||
	fail "disk-3 not on the least-loaded controller: $out"
run V create --drive "$TMP/missing.img" cold2
expect_rc 1 "create with a missing drive"
[ -e "$R/cold2" ] && fail "failed create left cold2"
V delete --force cold

# run: console on stdout, exit 0 after a clean poweroff, deleted afterwards
run env VCRUN_MOCK_GUEST_EXIT=1 "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" run r1
expect_rc 0 "run"
expect_contains "$out" "VCRUN-GUEST-READY"
[ -e "$R/r1" ] && fail "run left its sandbox without --keep"
run env VCRUN_MOCK_GUEST_EXIT=1 "$VCRUN" --root "$R" --hypervisor mock --config "$CFG" run --keep r2
expect_rc 0 "run --keep"
expect_status r2 stopped "after run --keep"
V delete r2

finish
