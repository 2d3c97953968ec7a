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
import select, socket, sys
# vcrun hands QEMU its QMP socket listening already (-chardev socket,...,fd=N,server=on) and
# the start session connected already (-chardev socket,...,fd=N,server=off)
listening, clients = None, []
for a in sys.argv:
    if a.startswith("socket,") and ",fd=" in a:
        s = socket.socket(fileno=int(a.split(",fd=")[1].split(",")[0]))
        if ",server=off" in a:
            clients.append(s)
        elif listening is None:
            listening = s
if listening is None:
    path = sys.argv[sys.argv.index("-qmp") + 1].split(",")[0][len("unix:"):]
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(path)
    listening.listen(4)
for c in clients:
    c.sendall(b"this is not QMP\n")
while True:
    ready, _, _ = select.select([listening] + clients, [], [])
    for r in ready:
        if r is listening:
            c, _ = listening.accept()
            c.sendall(b"this is not QMP\n")
            clients.append(c)
        elif not r.recv(4096):
            clients.remove(r)
            r.close()
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
