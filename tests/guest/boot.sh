#!/bin/sh
# End-to-end: build the test guest if needed and boot it on a hand-written QEMU command line
# (q35, TCG, one virtio-scsi disk on an iothread, one virtio-blk disk). The guest must print its
# marker and `VCRUN-DISKS: sda vda` on hvc0 (only there: one console, no duplicates) and power QEMU off by itself. A second boot
# in watch mode drives the guest over QMP with tests/helpers/qmp-cmd: hotplug a SCSI disk (the
# guest reports it), then system_powerdown (the guest powers off).
# Boot times are printed for information only; nothing asserts on them.
. "$top_srcdir/tests/cli/lib.sh"

QEMU=${QEMU:-qemu-system-x86_64}
GUEST=${VCRUN_GUEST_DIR:-$top_builddir/guest}
QMPCMD="$top_builddir/tests/helpers/qmp-cmd"
LIMIT=${VCRUN_BOOT_TIMEOUT:-90}

command -v "$QEMU" >/dev/null 2>&1 || { echo "boot: $QEMU not installed, skipping"; exit 77; }
if ! sh "$top_srcdir/tests/guest/build-guest.sh" "$GUEST" >"$TMP/build.log" 2>&1; then
	cat "$TMP/build.log" >&2
	echo "boot: cannot build the guest (no network or apt?), skipping"
	exit 77
fi

qpid=
cleanup() {
	[ -n "$qpid" ] && kill -9 "$qpid" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# has_line FILE TEXT: FILE has the line TEXT (tty output ends lines with CR LF).
has_line() { tr -d '\r' <"$1" 2>/dev/null | grep -qxF "$2"; }

# wait_for FILE TEXT: polls until FILE has a line TEXT (exact) or QEMU exits or LIMIT passes.
wait_for() {
	while :; do
		has_line "$1" "$2" && return 0
		kill -0 "$qpid" 2>/dev/null || { has_line "$1" "$2"; return; }
		[ $(($(now_ms) - t0)) -lt $((LIMIT * 1000)) ] || return 1
		sleep 0.05
	done
}

# wait_exit: waits for QEMU to exit by itself within LIMIT; sets qrc.
wait_exit() {
	while kill -0 "$qpid" 2>/dev/null; do
		if [ $(($(now_ms) - t0)) -ge $((LIMIT * 1000)) ]; then
			kill -9 "$qpid" 2>/dev/null
			wait "$qpid" 2>/dev/null
			qpid=
			return 1
		fi
		sleep 0.05
	done
	wait "$qpid"
	qrc=$?
	qpid=
	return 0
}

truncate -s 16M "$TMP/scsi.img" "$TMP/blk.img" "$TMP/hot.img"

# start_qemu APPEND [EXTRA ARGS...]: boots the guest in the background.
start_qemu() {
	append=$1
	shift
	: >"$TMP/ttyS0.log"
	: >"$TMP/hvc0.log"
	t0=$(now_ms)
	"$QEMU" -machine q35,accel=tcg -cpu max -m 256 -nodefaults -no-user-config -nographic \
		-no-reboot \
		-chardev file,id=ser0,path="$TMP/ttyS0.log" -serial chardev:ser0 \
		-device virtio-serial-pci,id=vser0 \
		-chardev file,id=con0,path="$TMP/hvc0.log" -device virtconsole,chardev=con0 \
		-kernel "$GUEST/vmlinuz" -initrd "$GUEST/initramfs.img" \
		-append "console=ttyS0 console=hvc0 panic=-1 $append" \
		-object iothread,id=io0 -device virtio-scsi-pci,id=scsi0,iothread=io0 \
		-blockdev driver=raw,node-name=d0,file.driver=file,file.filename="$TMP/scsi.img" \
		-device scsi-hd,id=hd0,drive=d0,bus=scsi0.0,scsi-id=0,lun=0 \
		-blockdev driver=raw,node-name=d1,file.driver=file,file.filename="$TMP/blk.img" \
		-device virtio-blk-pci,id=vd0,drive=d1 \
		"$@" >"$TMP/qemu.out" 2>&1 &
	qpid=$!
}

# 1. One-shot boot: marker, disks, poweroff.
start_qemu "vcrun.marker=boot-test-$$"
if wait_for "$TMP/hvc0.log" VCRUN-GUEST-READY; then
	t_ready=$(($(now_ms) - t0))
else
	fail "no VCRUN-GUEST-READY on hvc0: $(tail -n 5 "$TMP/hvc0.log") $(cat "$TMP/qemu.out")"
fi
if wait_exit; then
	t_off=$(($(now_ms) - t0))
	[ "$qrc" -eq 0 ] || fail "qemu exited with $qrc: $(cat "$TMP/qemu.out")"
else
	fail "guest did not power off within ${LIMIT}s"
fi
log="$TMP/hvc0.log"
has_line "$log" "boot-test-$$" || fail "hvc0: no vcrun.marker line"
has_line "$log" "VCRUN-DISKS: sda vda" || fail "hvc0: no 'VCRUN-DISKS: sda vda': $(grep VCRUN "$log")"
has_line "$log" VCRUN-POWEROFF || fail "hvc0: no VCRUN-POWEROFF"
! grep -q VCRUN- "$TMP/ttyS0.log" || fail "ttyS0 got the guest's lines too (they would show twice)"
grep -q "Linux version" "$TMP/ttyS0.log" || fail "ttyS0: no early kernel output"
has_line "$TMP/hvc0.log" VCRUN-GUEST-READY || fail "hvc0: no VCRUN-GUEST-READY"
echo "boot: marker after ${t_ready:-?} ms, poweroff after ${t_off:-?} ms (TCG)"

# 2. Watch mode over QMP: hotplug a disk, then ask the guest to power off.
if [ -x "$QMPCMD" ]; then
	sock="$TMP/qmp.sock"
	start_qemu "vcrun.watch=1" -qmp unix:"$sock",server=on,wait=off
	if wait_for "$TMP/hvc0.log" "VCRUN-DISKS: sda vda"; then
		run "$QMPCMD" "$sock" query-status
		expect_rc 0 "qmp-cmd query-status"
		expect_contains "$out" '"status": "running"'
		run "$QMPCMD" "$sock" blockdev-add \
			"{\"driver\":\"raw\",\"node-name\":\"hot\",\"file\":{\"driver\":\"file\",\"filename\":\"$TMP/hot.img\"}}"
		expect_rc 0 "qmp-cmd blockdev-add"
		run "$QMPCMD" "$sock" device_add \
			'{"driver":"scsi-hd","id":"hot0","drive":"hot","bus":"scsi0.0","scsi-id":1,"lun":0}'
		expect_rc 0 "qmp-cmd device_add"
		wait_for "$TMP/hvc0.log" "VCRUN-DISKS: sda sdb vda" ||
			fail "guest did not report the hotplugged disk: $(grep VCRUN "$TMP/hvc0.log")"
		run "$QMPCMD" "$sock" device_add '{"driver":"no-such-device"}'
		expect_rc 1 "qmp-cmd device_add bogus"
		expect_contains "$errout" "qmp 'device_add': GenericError:"
		t1=$(now_ms)
		run "$QMPCMD" "$sock" system_powerdown
		expect_rc 0 "qmp-cmd system_powerdown"
		if wait_exit; then
			echo "boot: system_powerdown to exit in $(($(now_ms) - t1)) ms"
			has_line "$TMP/hvc0.log" VCRUN-POWERDOWN || fail "no VCRUN-POWERDOWN line"
		else
			fail "guest ignored system_powerdown for ${LIMIT}s"
		fi
	else
		fail "watch mode: no initial disk line: $(tail -n 5 "$TMP/hvc0.log") $(cat "$TMP/qemu.out")"
	fi
fi
finish
