#!/bin/sh
# The QEMU backend with the real test guest (TCG): run with 3 drives on 2 iothread-backed
# controllers; create → start → hotplug (the guest sees the disk) → unplug (gone) → pause →
# resume → stop → delete; the same hotplug with virtio-blk onto a pci-bridge; QEMU killed behind
# vcrun's back is stopped.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

need_qemu_guest

# The shipped configuration, with the guest told to keep reporting its disks.
WATCH="$TMP/watch.yaml"
sed 's/^\(    kernel_params:\).*/\1 "vcrun.watch=1"/' "$SHIPPED" >"$WATCH"
grep -q 'vcrun.watch=1' "$WATCH" || fail "could not set kernel_params in $WATCH"

Q() {
	"$VCRUN" --root "$R" --config "$1" "${@:2}"
}
QS() {
	"$VCRUN" --root "$R" --config "$SHIPPED" "$@"
}
QW() {
	"$VCRUN" --root "$R" --config "$WATCH" "$@"
}
ASSETS="--kernel $G/vmlinuz --initrd $G/initramfs.img"

# count_in FILE TEXT: lines of FILE that are exactly TEXT
count_in() {
	tr -d '\r' <"$1" 2>/dev/null | grep -cx "$2" || true
}
# wait_line FILE TEXT N SECONDS: until FILE holds at least N lines equal to TEXT
wait_line() {
	local i=0
	while [ $i -lt $(($4 * 10)) ]; do
		[ "$(count_in "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

for i in 1 2 3 4; do
	truncate -s 8M "$TMP/disk$i.img"
done

# 1. run: three drives on two controllers, the guest lists three disks and powers off
# shellcheck disable=SC2086
run timeout 120 "$VCRUN" --root "$R" --config "$SHIPPED" run $ASSETS --keep \
	--drive "$TMP/disk1.img" --drive "$TMP/disk2.img" --drive "$TMP/disk3.img" vm-run
expect_rc 0 "run"
expect_contains "$out" "VCRUN-GUEST-READY"
expect_contains "$out" "VCRUN-DISKS: sda sdb sdc"
run QS device list --json vm-run
expect_contains "$out" '"controller": 0'
expect_contains "$out" '"controller": 1'
expect_status vm-run stopped "after run"
QS delete vm-run || fail "delete vm-run"

# 2. the lifecycle with hotplug
# shellcheck disable=SC2086
run QW create $ASSETS vm1
expect_rc 0 "create"
expect_status vm1 created "after create"
qpid=$(field "$(QW state vm1)" pid)
grep -q -- '-S' "/proc/$qpid/cmdline" 2>/dev/null || fail "QEMU not started paused"
tr '\0' '\n' <"/proc/$qpid/cmdline" | grep -qx -- '-daemonize' && fail "QEMU daemonized"
# create starts the argv qemu-args prints, nested-host rule included (disable-modern, pmu=off)
# shellcheck disable=SC2086
printed=$(QW qemu-args $ASSETS vm1) || fail "qemu-args"
started=$(tr '\0' '\n' <"/proc/$qpid/cmdline")
for f in disable-modern=true pmu=off; do
	a=$(printf '%s\n' "$printed" | grep -o -- "$f" | wc -l)
	b=$(printf '%s\n' "$started" | grep -o -- "$f" | wc -l)
	[ "$a" = "$b" ] || fail "create and qemu-args disagree on $f: $b vs $a times"
done
LOG="$R/vm1/console.log"
run QW start vm1
expect_rc 0 start
expect_status vm1 running "after start"
wait_line "$LOG" "VCRUN-GUEST-READY" 1 60 || fail "the guest did not boot: $(tail -5 "$LOG")"
wait_line "$LOG" "VCRUN-DISKS: " 1 30 || fail "the guest did not list its disks: $(tail -5 "$LOG")"

run QW device add vm1 --drive "$TMP/disk4.img"
expect_rc 0 "hotplug"
dev=$out
wait_line "$LOG" "VCRUN-DISKS: sda" 1 30 || fail "the guest did not see the hotplugged disk: $(tail -5 "$LOG")"
before=$(count_in "$LOG" "VCRUN-DISKS: ")
run QW device remove vm1 "$dev"
expect_rc 0 "unplug"
wait_line "$LOG" "VCRUN-DISKS: " $((before + 1)) 30 || fail "the disk did not go away: $(tail -5 "$LOG")"

# vCPU hotplug (default_maxvcpus 0 = the host's CPUs: needs two)
if [ "$(nproc)" -ge 2 ]; then
	run QW update --vcpus 2 vm1
	expect_rc 0 "vCPU hotplug"
	cpus=$("$top_builddir/tests/helpers/qmp-cmd" "$R/vm1/qmp.sock" query-cpus-fast | grep -o '"cpu-index"' | wc -l)
	[ "$cpus" -eq 2 ] || fail "QEMU reports $cpus vCPUs after update --vcpus 2"
fi

run QW pause vm1
expect_rc 0 pause
expect_status vm1 paused "after pause"
run QW resume vm1
expect_rc 0 resume
expect_status vm1 running "after resume"
run QW --log-level info stop --timeout 30 vm1
expect_rc 0 stop
expect_contains "$errout" "system_powerdown"
expect_status vm1 stopped "after stop"
grep -q "VCRUN-POWERDOWN" "$LOG" || fail "the guest did not see the power button"
run QW delete vm1
expect_rc 0 delete

# 3. virtio-blk hotplug: the drive goes onto a pci-bridge slot and the guest must see it (ACPI
# hotplug needs the bridge's reserved windows), then release it on unplug (DEVICE_DELETED, then
# blockdev-del). One cold virtio-blk drive is vda, the hot-plugged one vdb.
BLK="$TMP/blk.yaml"
sed 's/^\(    block_device_driver:\).*/\1 "virtio-blk"/' "$WATCH" >"$BLK"
grep -q 'block_device_driver: "virtio-blk"' "$BLK" || fail "could not set block_device_driver in $BLK"
QB() {
	"$VCRUN" --root "$R" --config "$BLK" "$@"
}
truncate -s 8M "$TMP/disk5.img"
truncate -s 8M "$TMP/disk6.img"
# shellcheck disable=SC2086
run QB create $ASSETS --drive "$TMP/disk5.img" vm3
expect_rc 0 "create (virtio-blk)"
run QB start vm3
expect_rc 0 "start (virtio-blk)"
LOG3="$R/vm3/console.log"
wait_line "$LOG3" "VCRUN-GUEST-READY" 1 60 || fail "the virtio-blk guest did not boot: $(tail -5 "$LOG3")"
wait_line "$LOG3" "VCRUN-DISKS: vda" 1 30 || fail "the guest did not list its cold virtio-blk disk: $(tail -5 "$LOG3")"
run QB device add vm3 --drive "$TMP/disk6.img"
expect_rc 0 "virtio-blk hotplug"
bdev=$out
run QB device list --json vm3
expect_contains "$out" '"driver": "virtio-blk-pci"'
expect_contains "$out" '"bridge": 0'
wait_line "$LOG3" "VCRUN-DISKS: vda vdb" 1 30 ||
	fail "the guest did not see the hot-plugged virtio-blk disk: $(grep VCRUN-DISKS "$LOG3" | tail -3)"
run QB --log-level info device remove vm3 "$bdev"
expect_rc 0 "virtio-blk unplug"
expect_contains "$errout" "blockdev-del"
wait_line "$LOG3" "VCRUN-DISKS: vda" 2 30 ||
	fail "the virtio-blk disk did not go away in the guest: $(grep VCRUN-DISKS "$LOG3" | tail -3)"
run QB device list --json vm3
case "$out" in *disk6.img*) fail "the unplugged drive is still listed: $out" ;; esac
nodes=$("$top_builddir/tests/helpers/qmp-cmd" "$R/vm3/qmp.sock" query-named-block-nodes) ||
	fail "query-named-block-nodes failed"
case "$nodes" in *disk6.img*) fail "the unplugged drive's block node is still open: $nodes" ;; esac
run QB delete --force vm3
expect_rc 0 "delete --force vm3"

# 4. QEMU killed behind vcrun's back
# shellcheck disable=SC2086
QW create $ASSETS vm2 || fail "create vm2"
kpid=$(field "$(QW state vm2)" pid)
kill -9 "$kpid"
wait_for sh -c "! grep -q '^[0-9]* ([^)]*) [^ZX]' /proc/$kpid/stat 2>/dev/null" || fail "QEMU did not die"
expect_status vm2 stopped "after SIGKILL of QEMU"
run QW delete vm2
expect_rc 0 "delete vm2"

finish
