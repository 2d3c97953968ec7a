#!/bin/sh
# A full disk during a state write (a small tmpfs as --root): the previous state.json stays
# intact, the operation fails with one clear error and is rolled back; it works again once there
# is room. Needs root (mount); skipped otherwise.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

[ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
mkdir -p "$R"
mount -t tmpfs -o size=512k,mode=0700 vcrun-test "$R" 2>/dev/null || { echo "cannot mount tmpfs: skipped"; exit 77; }
umount_root() {
	for d in "$R"/*/; do
		[ -d "$d" ] && "$VCRUN" --root "$R" delete --force "$(basename "$d")" >/dev/null 2>&1
	done
	umount "$R" 2>/dev/null
	cleanup_sandboxes
}
trap umount_root EXIT

V create full || fail "create on the tmpfs"
V start full || fail "start"
truncate -s 1M "$TMP/d1.img" "$TMP/d2.img"
dev=$(V device add full --drive "$TMP/d1.img") || fail "first hotplug"
before=$(cat "$R/full/state.json")

# fill the file system
dd if=/dev/zero of="$R/filler" bs=4k 2>/dev/null
[ "$(df --output=avail "$R" | tail -n 1 | tr -d ' ')" -eq 0 ] || fail "tmpfs not full"

run V device add full --drive "$TMP/d2.img"
expect_rc 1 "hotplug with a full disk"
expect_contains "$errout" "No space left on device"
[ "$(cat "$R/full/state.json")" = "$before" ] || fail "state.json changed by a failed write"
ls -A "$R/full" | grep -q tmp && fail "temporary state file left: $(ls -A "$R/full")"
expect_status full running "after a failed state write"

rm -f "$R/filler"
run V device add full --drive "$TMP/d2.img"
expect_rc 0 "hotplug once there is room (the failed one was rolled back)"
run V device list full
expect_contains "$out" "$dev"
expect_contains "$out" "$TMP/d2.img"
V delete --force full || fail "delete"

finish
