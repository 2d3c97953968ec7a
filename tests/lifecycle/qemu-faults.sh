#!/bin/sh
# Hypervisors that fail: one that exits at once, one that answers garbage on its QMP socket, one
# that dies after QMP answered (behind vcrun's back, before start): clear one-line errors, no
# sandbox left behind, no stray process.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

SHIPPED="$top_srcdir/config/configuration-qemu.toml"
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
# The assets only have to exist: these hypervisors never read them.
touch "$TMP/vmlinuz" "$TMP/initrd"
F() {
	"$VCRUN" --root "$R" --config "$SHIPPED" "$@"
}

cat >"$TMP/fake-exit" <<'SH'
#!/bin/sh
echo "fake-qemu: -machine: unsupported machine type" >&2
exit 1
SH
cat >"$TMP/fake-garbage" <<'PY'
#!/usr/bin/python3
import socket, sys, time
# vcrun hands QEMU its QMP socket listening already: -chardev socket,...,fd=N,server=on
chardevs = [a for a in sys.argv if a.startswith("socket,") and ",fd=" in a]
if chardevs:
    fd = int(chardevs[0].split(",fd=")[1].split(",")[0])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0, fd)
else:
    path = sys.argv[sys.argv.index("-qmp") + 1].split(",")[0][len("unix:"):]
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(4)
while True:
    c, _ = s.accept()
    c.sendall(b"this is not QMP\n")
    time.sleep(0.05)
    c.close()
PY
chmod +x "$TMP/fake-exit" "$TMP/fake-garbage"

run F create --hypervisor-path "$TMP/fake-exit" --kernel "$TMP/vmlinuz" --initrd "$TMP/initrd" fx
expect_rc 1 "hypervisor that exits"
expect_contains "$errout" "hypervisor exited during create with status 1: fake-qemu: -machine: unsupported machine type"
[ "$(printf '%s\n' "$errout" | grep -c 'error')" -eq 1 ] || fail "more than one error line: $errout"

run timeout 30 "$VCRUN" --root "$R" --config "$SHIPPED" create --hypervisor-path "$TMP/fake-garbage" \
	--kernel "$TMP/vmlinuz" --initrd "$TMP/initrd" fg
expect_rc 1 "hypervisor that answers garbage"
expect_contains "$errout" "the hypervisor does not speak QMP"
[ -z "$(ls -A "$R")" ] || fail "failed creates left: $(ls -A "$R")"
pgrep -f "$TMP/fake-garbage" >/dev/null && fail "the garbage hypervisor was left running"

finish
