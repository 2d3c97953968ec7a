#!/bin/sh
# The real QEMU runs under vcrun's filter together with its own -sandbox: it starts with -S,
# answers QMP, runs guest code after `cont` (TCG, SeaBIOS), reports "running", and shows
# Seccomp: 2 / NoNewPrivs: 1 while it runs. With the test guest built (make guest), it also
# boots the guest to its ready marker under the filter.
. "$top_srcdir/tests/cli/lib.sh"
PROBE="$top_builddir/tests/helpers/seccomp-probe"
QEMU=${QEMU:-qemu-system-x86_64}
QEMU=$(command -v "$QEMU") || { echo "no qemu-system-x86_64"; exit 77; }
case " $("$VCRUN" version) " in
*" -seccomp"*) echo "built without libseccomp"; exit 77 ;;
esac
SANDBOX=on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny

# QMP on stdio: the commands are written with pauses so the guest runs in between.
qmp_script() {
	echo '{"execute":"qmp_capabilities"}'
	echo '{"execute":"cont"}'
	sleep 2
	pid=$(cat "$TMP/qemu.pid" 2>/dev/null)
	[ -n "$pid" ] && cat "/proc/$pid/status" >"$TMP/status" 2>/dev/null
	echo '{"execute":"query-status"}'
	echo '{"execute":"quit"}'
}
qmp_script | timeout 30 "$PROBE" exec "$QEMU" -machine q35,accel=tcg -cpu max -m 128 \
	-nodefaults -no-user-config -display none -serial none -S -qmp stdio \
	-pidfile "$TMP/qemu.pid" -sandbox "$SANDBOX" >"$TMP/qmp.out" 2>"$TMP/qemu.err"
rc=$?
out=$(cat "$TMP/qmp.out")
errout=$(cat "$TMP/qemu.err")
printf '%s\n' "$out"
expect_rc 0 "qemu under the filter"
expect_contains "$out" '"QMP"'
expect_contains "$out" '"event": "RESUME"'
expect_contains "$out" '"status": "running"'
expect_contains "$out" '"reason": "host-qmp-quit"'
status=$(cat "$TMP/status" 2>/dev/null)
expect_contains "$status" "$(printf 'NoNewPrivs:\t1')"
expect_contains "$status" "$(printf 'Seccomp:\t2')"
# vcrun's filter and QEMU's own are both installed: 2 filters (Seccomp_filters, Linux 5.9+)
case "$status" in
*Seccomp_filters:*)
	n=$(printf '%s\n' "$status" | sed -n 's/^Seccomp_filters:[[:space:]]*//p')
	[ "$n" -ge 2 ] || fail "expected vcrun's and QEMU's filters stacked, got $n filter(s)"
	;;
esac

# Boot the test guest when it has been built.
G=${VCRUN_TEST_GUEST_DIR:-$top_builddir/guest}
if [ -f "$G/vmlinuz" ] && [ -f "$G/initramfs.img" ]; then
	# serial to a file, as tests/guest/boot.sh does (not stdio: the test's stdin is not ours)
	timeout 60 "$PROBE" exec "$QEMU" -machine q35,accel=tcg -cpu max -m 256 -nodefaults \
		-no-user-config -display none -no-reboot \
		-chardev file,id=ser0,path="$TMP/ttyS0.log" -serial chardev:ser0 \
		-kernel "$G/vmlinuz" -initrd "$G/initramfs.img" -append "console=ttyS0 panic=1" \
		-sandbox "$SANDBOX" </dev/null >"$TMP/guest.out" 2>&1
	rc=$?
	errout=$(cat "$TMP/guest.out")
	expect_rc 0 "guest boot under the filter"
	grep -q VCRUN-GUEST-READY "$TMP/ttyS0.log" ||
		fail "no VCRUN-GUEST-READY on ttyS0: $(tail -n 5 "$TMP/ttyS0.log")"
	echo "guest booted to VCRUN-GUEST-READY under the filter with -sandbox"
else
	echo "test guest not built (make guest): skipped the boot part"
fi
finish
