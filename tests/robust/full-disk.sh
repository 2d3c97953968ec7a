#!/bin/sh
# A full disk during a state write: the state root is a small tmpfs; once a mock sandbox exists
# the tmpfs is filled up and an operation that rewrites state.json (hotplugging a drive records
# it) must fail with a clear error and leave the previous state.json byte for byte, `state`
# working, and no temporary file behind. Needs root (mount); skips otherwise.
. "$(dirname "$0")/../cli/lib.sh"

"$VCRUN" help create >/dev/null 2>&1 || { echo "full-disk: no 'create' command yet"; exit 77; }
"$VCRUN" help device >/dev/null 2>&1 || { echo "full-disk: no 'device' command yet"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "full-disk: needs root to mount a tmpfs"; exit 77; }

root=$TMP/root
mkdir -p "$root"
mount -t tmpfs -o size=512k,mode=0700 vcrun-full-disk "$root" 2>/dev/null ||
	{ echo "full-disk: cannot mount a tmpfs here"; exit 77; }
umount_root() {
	"$VCRUN" --root "$root" delete --force d1 >/dev/null 2>&1
	umount "$root" 2>/dev/null || umount -l "$root"
	rm -rf "$TMP"
}
trap umount_root EXIT

bundle=$TMP/bundle
mkdir -p "$bundle/rootfs"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"}}\n' \
	>"$bundle/config.json"
disk=$TMP/disk.img
dd if=/dev/zero of="$disk" bs=1024 count=64 2>/dev/null
cp "$disk" "$TMP/disk2.img"

run "$VCRUN" --root "$root" --hypervisor mock create --bundle "$bundle" d1
expect_rc 0 "create on the tmpfs"
# A first hotplug with space: it must work (and rewrite state.json) for the test to mean anything.
run "$VCRUN" --root "$root" device add d1 --drive "$disk"
if [ "$rc" -eq 2 ]; then
	echo "full-disk: 'device add ID --drive FILE' not understood: $errout"
	exit 77
fi
expect_rc 0 "device add with space"
cp "$root/d1/state.json" "$TMP/state.before"
run "$VCRUN" --root "$root" state d1
expect_rc 0 "state before"
state_before=$out

# Fill the file system: one big file, then small ones until nothing more fits.
dd if=/dev/zero of="$root/filler" bs=4096 2>/dev/null
i=0
while printf x >"$root/filler.$i" 2>/dev/null && [ "$i" -lt 2000 ]; do i=$((i + 1)); done

run "$VCRUN" --root "$root" device add d1 --drive "$TMP/disk2.img"
[ "$rc" -ne 0 ] || fail "device add succeeded on a full disk"
expect_lines "$errout" 1
case "$errout" in *"No space left"* | *"ENOSPC"* | *"space"*) ;; *) fail "no disk-full reason in: $errout" ;; esac
cmp -s "$TMP/state.before" "$root/d1/state.json" || fail "state.json changed by a failed write"
leftover=$(find "$root/d1" -name '*.tmp*' -o -name '.state*' | head -n 1)
[ -z "$leftover" ] || fail "temporary file left behind: $leftover"
run "$VCRUN" --root "$root" state d1
expect_rc 0 "state after the failed write"
[ "$out" = "$state_before" ] || fail "state output changed: $out"

# With space again the same operation works and delete cleans up.
rm -f "$root"/filler*
run "$VCRUN" --root "$root" device add d1 --drive "$TMP/disk2.img"
expect_rc 0 "device add once there is space again"
run "$VCRUN" --root "$root" delete --force d1
expect_rc 0 "delete"

finish
