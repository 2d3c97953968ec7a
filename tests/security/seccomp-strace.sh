#!/bin/sh
# The deny list against what QEMU really calls: strace -f QEMU (without vcrun's filter, with its
# own -sandbox) through start-up, QMP and running guest code (SeaBIOS after `cont`; the test
# guest with an iothread, a virtio-scsi disk and virtio-rng when it is built), and check that it
# made none of the system calls vcrun denies. A QEMU upgrade that starts needing one shows here.
. "$top_srcdir/tests/cli/lib.sh"
PROBE="$top_builddir/tests/helpers/seccomp-probe"
STRACE=$(command -v strace) || { echo "no strace"; exit 77; }
QEMU=$(command -v "${QEMU:-qemu-system-x86_64}") || { echo "no qemu-system-x86_64"; exit 77; }
SANDBOX=on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny

"$PROBE" list | sort >"$TMP/deny"
[ -s "$TMP/deny" ] || fail "empty deny list"

# used SYSCALL names of an strace -f output file
used() {
	sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p' "$1" | sort -u
}
check_trace() { # check_trace FILE WHAT
	used "$1" >"$TMP/used"
	[ "$(grep -c . "$TMP/used")" -gt 20 ] || fail "$2: strace recorded almost nothing"
	grep -qx execve "$TMP/used" || fail "$2: strace did not see execve"
	hits=$(comm -12 "$TMP/used" "$TMP/deny" | tr '\n' ' ')
	[ -z "$hits" ] || fail "$2: QEMU called denied system calls: $hits"
	echo "$2: $(grep -c . "$TMP/used") distinct system calls, none denied"
}

qmp_script() {
	echo '{"execute":"qmp_capabilities"}'
	echo '{"execute":"cont"}'
	sleep 2
	echo '{"execute":"query-status"}'
	echo '{"execute":"quit"}'
}
qmp_script | timeout 60 "$STRACE" -f -qq -o "$TMP/trace1" "$QEMU" -machine q35,accel=tcg \
	-cpu max -m 128 -nodefaults -no-user-config -display none -serial none -S -qmp stdio \
	-sandbox "$SANDBOX" >"$TMP/qmp.out" 2>&1
expect_contains "$(cat "$TMP/qmp.out")" '"status": "running"'
check_trace "$TMP/trace1" "qemu -S + cont"

G=${VCRUN_TEST_GUEST_DIR:-$top_builddir/guest}
if [ -f "$G/vmlinuz" ] && [ -f "$G/initramfs.img" ]; then
	truncate -s 16M "$TMP/disk.img"
	timeout 90 "$STRACE" -f -qq -o "$TMP/trace2" "$QEMU" -machine q35,accel=tcg -cpu max \
		-m 256 -nodefaults -no-user-config -display none -no-reboot \
		-chardev file,id=ser0,path="$TMP/ttyS0.log" -serial chardev:ser0 \
		-kernel "$G/vmlinuz" -initrd "$G/initramfs.img" -append "console=ttyS0 panic=1" \
		-object iothread,id=io0 -device virtio-scsi-pci,id=scsi0,iothread=io0 \
		-drive if=none,id=d0,file="$TMP/disk.img",format=raw,cache=none,aio=threads \
		-device scsi-hd,bus=scsi0.0,drive=d0 \
		-object rng-random,id=rng0,filename=/dev/urandom -device virtio-rng-pci,rng=rng0 \
		-sandbox "$SANDBOX" </dev/null >"$TMP/guest.out" 2>&1
	grep -q VCRUN-GUEST-READY "$TMP/ttyS0.log" ||
		fail "guest boot: no VCRUN-GUEST-READY on ttyS0: $(tail -n 5 "$TMP/ttyS0.log")"
	check_trace "$TMP/trace2" "guest boot"
else
	echo "test guest not built (make guest): skipped the boot part"
fi
finish
