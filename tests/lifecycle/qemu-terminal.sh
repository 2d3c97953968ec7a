#!/bin/sh
# Terminal mode on the real QEMU with the test guest (TCG): create --console-socket hands the pty
# master to the socket, QEMU's console chardev is the pty slave, and the guest's marker arrives on
# the master (read by tests/helpers/console-recv, as containerd's shim reads it).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

[ -c /dev/ptmx ] && [ -d /dev/pts ] || { echo "no pseudo-terminals here: skipped"; exit 77; }
need_qemu_guest

QS() {
	"$VCRUN" --root "$R" --config "$SHIPPED" "$@"
}

S="$TMP/pty.sock"
console_receiver "$S" 90 expect:VCRUN-GUEST-READY
run QS create --kernel "$G/vmlinuz" --initrd "$G/initramfs.img" --console-socket "$S" vm-tty
expect_rc 0 "create --console-socket"
st=$(QS state vm-tty)
qpid=$(field "$st" pid)
tty=$(field "$st" console_tty)
[ "$(field "$st" console_socket)" = "$S" ] || fail "state console_socket: $st"
tr '\0' '\n' <"/proc/$qpid/cmdline" | grep -qx -- \
	"serial,id=charconsole0,path=$tty,logfile=$R/vm-tty/console.log,logappend=on" ||
	fail "QEMU's console chardev is not $tty: $(tr '\0' ' ' <"/proc/$qpid/cmdline")"
run QS start vm-tty
expect_rc 0 start
receiver_done
expect_contains "$recv" "tty: $tty"
expect_contains "$recv" "got: VCRUN-GUEST-READY"
grep -q VCRUN-GUEST-READY "$R/vm-tty/console.log" || fail "console.log lacks the marker"
run QS console vm-tty
expect_rc 1 "console in terminal mode"
expect_contains "$errout" "belongs to the terminal handed to the console socket"
run QS delete --force vm-tty
expect_rc 0 "delete --force"

finish
