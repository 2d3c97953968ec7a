#!/bin/sh
# The start session (lib/hv/vmm.h) with the real QEMU: create leaves a negotiated QMP session in
# the hypervisor, `start` takes it (pidfd_getfd) and ends it; where it cannot be used, start
# connects to the QMP socket; `run` ends it too. start goes by create's record: a VM resumed
# behind vcrun's back still starts, one killed behind its back is refused.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

need_qemu_guest
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "pidfd_getfd's number is x86-64's here: skipped"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "create leaves the start session only for root: skipped"; exit 77; }
# The shipped configuration, with a guest that stays up (it would power off after booting).
WATCH="$TMP/watch.yaml"
sed 's/^\(    kernel_params:\).*/\1 "vcrun.watch=1"/' "$SHIPPED" >"$WATCH"
grep -q 'vcrun.watch=1' "$WATCH" || fail "could not set kernel_params in $WATCH"
S() {
	"$VCRUN" --root "$R" --config "$WATCH" "$@"
}
ASSETS="--kernel $G/vmlinuz --initrd $G/initramfs.img"
QMP_CMD="$top_builddir/tests/helpers/qmp-cmd"

# start_fd ID: the session's descriptor number in the hypervisor, as create recorded it
start_fd() {
	sed -n 's/^ *"qmp_start_fd": \([0-9][0-9]*\),\{0,1\}$/\1/p' "$R/$1/state.json"
}
# monitor_fd PID: the descriptor QEMU was given for the start session's monitor
monitor_fd() {
	tr '\0' '\n' <"/proc/$1/cmdline" | sed -n 's/^socket,id=vcrun-start,fd=\([0-9]*\),server=off$/\1/p'
}
# is_socket PID FD
is_socket() {
	case "$(readlink "/proc/$1/fd/$2" 2>/dev/null)" in
	socket:*) return 0 ;;
	*) return 1 ;;
	esac
}
# create_vm ID: created, with its pid in $qpid, the session fd in $sfd, the monitor's in $mfd
create_vm() {
	# shellcheck disable=SC2086
	run S create $ASSETS "$1"
	expect_rc 0 "create $1"
	qpid=$(field "$(S state "$1")" pid)
	sfd=$(start_fd "$1")
	mfd=$(monitor_fd "$qpid")
	[ -n "$sfd" ] || fail "$1: no qmp_start_fd recorded: $(cat "$R/$1/state.json")"
	[ -n "$mfd" ] || fail "$1: QEMU has no start monitor: $(tr '\0' ' ' <"/proc/$qpid/cmdline")"
}

# 1. create leaves the session in QEMU; start takes it, and QEMU drops the monitor afterwards
create_vm vm1
is_socket "$qpid" "$sfd" || fail "vm1: fd $sfd of QEMU is not a socket"
is_socket "$qpid" "$mfd" || fail "vm1: the monitor's fd $mfd of QEMU is not a socket"
run S --log-level debug start vm1
expect_rc 0 "start vm1"
expect_contains "$errout" "start session: taken from the hypervisor"
case "$errout" in *query-status*) fail "start asked query-status: $errout" ;; esac
expect_status vm1 running "vm1 after start"
# QEMU closes its end of a session that was shut down: not at once, but soon
wait_for sh -c "! test -e /proc/$qpid/fd/$mfd" || fail "vm1: QEMU still holds the start monitor"
proc_alive "$qpid" || fail "vm1: QEMU is gone"
S delete --force vm1 || fail "delete vm1"

# 2. a recorded descriptor that is not a socket: start connects to the QMP socket instead
create_vm vm2
other=$(for f in /proc/"$qpid"/fd/*; do
	n=${f##*/}
	[ "$n" -ge 3 ] && ! is_socket "$qpid" "$n" && echo "$n" && break
done)
[ -n "$other" ] || fail "vm2: QEMU has no descriptor that is not a socket"
sed -i "s/\"qmp_start_fd\": $sfd/\"qmp_start_fd\": $other/" "$R/vm2/state.json"
run S --log-level debug start vm2
expect_rc 0 "start vm2 without a usable session"
expect_contains "$errout" "is not a unix stream socket"
expect_status vm2 running "vm2 after start"
S delete --force vm2 || fail "delete vm2"

# 2b. a session that was ended already (as by a start that failed): start connects to the QMP
# socket instead
create_vm vm2b
python3 - "$qpid" "$sfd" <<'PY' || fail "vm2b: could not end the session from outside"
import ctypes, os, socket, sys
pid, fd = int(sys.argv[1]), int(sys.argv[2])
libc = ctypes.CDLL(None, use_errno=True)
pidfd = os.pidfd_open(pid)
taken = libc.syscall(438, pidfd, fd, 0)  # pidfd_getfd on x86-64
if taken < 0:
    sys.exit("pidfd_getfd: " + os.strerror(ctypes.get_errno()))
socket.socket(fileno=taken).shutdown(socket.SHUT_RDWR)
PY
run S --log-level debug start vm2b
expect_rc 0 "start vm2b with an ended session"
expect_contains "$errout" "start session: taken from the hypervisor"
expect_contains "$errout" "(using the QMP socket)"
expect_status vm2b running "vm2b after start"
S delete --force vm2b || fail "delete vm2b"

# 3. a state file without the field (an older vcrun's): start connects to the QMP socket
create_vm vm3
sed -i "/\"qmp_start_fd\": $sfd/d" "$R/vm3/state.json"
run S --log-level debug start vm3
expect_rc 0 "start vm3 without a recorded session"
case "$errout" in *"start session"*) fail "vm3: a start session was used: $errout" ;; esac
expect_status vm3 running "vm3 after start"
S delete --force vm3 || fail "delete vm3"

# 4. resumed behind vcrun's back: start still succeeds (QEMU's reply to cont is the check)
create_vm vm4
"$QMP_CMD" "$R/vm4/qmp.sock" cont >/dev/null || fail "vm4: cont over QMP"
run S start vm4
expect_rc 0 "start vm4, running already"
expect_status vm4 running "vm4 after start"
S delete --force vm4 || fail "delete vm4"

# 5. killed behind vcrun's back: start refuses, the record notwithstanding
create_vm vm5
kill -9 "$qpid"
wait_for sh -c "! test -e /proc/$qpid/status || grep -q '^State:.*Z' /proc/$qpid/status" ||
	fail "vm5: QEMU did not die"
run S start vm5
expect_rc 1 "start vm5, killed"
expect_contains "$errout" "cannot start sandbox 'vm5': it is stopped"
S delete --force vm5 || fail "delete vm5"

# 6. run: the session create left is ended once run has started the VM
# shellcheck disable=SC2086
S run $ASSETS vm6 >"$TMP/run6.out" 2>&1 &
i=0
while [ "$(field "$(S state vm6 2>/dev/null)" status)" != running ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
qpid=$(field "$(S state vm6)" pid)
mfd=$(monitor_fd "$qpid")
[ -n "$mfd" ] || fail "vm6: QEMU has no start monitor"
wait_for sh -c "! test -e /proc/$qpid/fd/$mfd" || fail "vm6: QEMU still holds the start monitor"
proc_alive "$qpid" || fail "vm6: QEMU is gone"
S kill vm6 KILL >/dev/null 2>&1
wait

finish
