#!/bin/sh
# vcrun qemu-args: the argv create would run, as a quoted line or JSON; nothing started.
# Host facts are pinned (4 CPUs, 4 GiB, no KVM) so the output does not depend on the machine.
. "$top_srcdir/tests/cli/lib.sh"

QEMU=/usr/bin/qemu-system-x86_64
[ -x "$QEMU" ] || { echo "qemu-args: $QEMU not installed (the config names it), skipping"; exit 77; }

VCRUN_HOST_CPUS=4
VCRUN_MEMINFO="$TMP/meminfo"
VCRUN_KVM_DEVICE="$TMP/no-kvm"
export VCRUN_HOST_CPUS VCRUN_MEMINFO VCRUN_KVM_DEVICE
printf 'MemTotal:        4194304 kB\n' >"$VCRUN_MEMINFO"

: >"$TMP/vmlinuz"
: >"$TMP/initrd.img"
truncate -s 1M "$TMP/d0.img" "$TMP/d1.img" "$TMP/d2.img"
ROOT="$TMP/root"

# YAML: the format every build reads
cat >"$TMP/c.yaml" <<EOF
hypervisor:
  qemu:
    path: "$QEMU"
    kernel: "$TMP/vmlinuz"
    initrd: "$TMP/initrd.img"
    machine_type: q35
    default_memory: 256
    enable_iothreads: true
    scsi_controllers: 2
    block_device_aio: threads
    disable_nesting_checks: true
EOF

# the quoted line
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --drive "$TMP/d0.img" \
	--drive "$TMP/d1.img,readonly" --drive "$TMP/d2.img,cache=none" sb1
expect_rc 0 qemu-args
expect_lines "$out" 1
expect_contains "$out" "$QEMU -name sandbox-sb1 -uuid "
expect_contains "$out" "-machine q35,accel=tcg -cpu max -qmp unix:$ROOT/sb1/qmp.sock,server=on,wait=off"
expect_contains "$out" "-device virtio-scsi-pci,id=scsi0,iothread=iothread-0 -device virtio-scsi-pci,id=scsi1,iothread=iothread-1"
expect_contains "$out" "-device scsi-hd,id=disk-0,bus=scsi0.0,drive=drive-0,scsi-id=0,lun=0"
expect_contains "$out" "-drive if=none,id=drive-1,file=$TMP/d1.img,format=raw,readonly=on,aio=threads"
expect_contains "$out" "-device scsi-hd,id=disk-1,bus=scsi1.0,drive=drive-1,scsi-id=0,lun=0"
expect_contains "$out" "-device scsi-hd,id=disk-2,bus=scsi0.0,drive=drive-2,scsi-id=0,lun=1"
expect_contains "$out" "-kernel $TMP/vmlinuz -initrd $TMP/initrd.img -append '"
expect_contains "$out" " console=ttyS0 console=hvc0 quiet systemd.show_status=false panic=1'"
expect_contains "$out" "-object iothread,id=iothread-0 -object iothread,id=iothread-1 -pidfile $ROOT/sb1/qemu.pid"
[ -e "$ROOT/sb1" ] && fail "qemu-args created $ROOT/sb1"
line=$out

# the same argv as JSON, one element per argument
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --json --drive "$TMP/d0.img" \
	--drive "$TMP/d1.img,readonly" --drive "$TMP/d2.img,cache=none" sb1
expect_rc 0 "qemu-args --json"
printf '%s\n' "$out" >"$TMP/argv.json"
is_json "$TMP/argv.json" || fail "qemu-args --json is not JSON: $out"
expect_contains "$out" "[\"$QEMU\",\"-name\",\"sandbox-sb1\",\"-uuid\","
expect_contains "$out" "\"-nodefaults\",\"-nographic\",\"--no-reboot\",\"-S\""
expect_contains "$out" "\"-append\",\"tsc=reliable "
# the uuid is derived from the id: the same in both forms, different for another id
uuid=$(printf '%s' "$line" | sed -n 's/.* -uuid \([0-9a-f-]*\) .*/\1/p')
expect_contains "$out" "\"-uuid\",\"$uuid\""
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args sb2
expect_rc 0 "qemu-args sb2"
case "$out" in *"$uuid"*) fail "sb2 has the uuid of sb1" ;; esac

# another arch, on this host
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --arch aarch64 sb1
expect_rc 0 "qemu-args --arch aarch64"
expect_contains "$out" "-machine virt,accel=tcg"
expect_contains "$errout" "machine_type 'q35' belongs to x86_64"
expect_contains "$out" "console=ttyAMA0 console=hvc0"
case "$out" in *kvm-pit*) fail "kvm-pit on aarch64" ;; esac

# asset options of create override the file
: >"$TMP/other-initrd"
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --initrd "$TMP/other-initrd" sb1
expect_rc 0 "qemu-args --initrd"
expect_contains "$out" "-initrd $TMP/other-initrd"

# errors: one line each
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --drive "$TMP/d0.img,b" sb1
expect_rc 2 "qemu-args --drive with a lone comma"
expect_contains "$errout" "',,'"
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args
expect_rc 2 "qemu-args without id"
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args sb1 sb2
expect_rc 2 "qemu-args with two ids"
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args --arch riscv64 sb1
expect_rc 2 "qemu-args --arch riscv64"
expect_contains "$errout" "unknown architecture 'riscv64'"
run "$VCRUN" --root "$ROOT" --config "$TMP/c.yaml" qemu-args 'bad,id'
expect_rc 2 "qemu-args bad,id"
long="$TMP/$(printf '%0100d' 0)"
run "$VCRUN" --root "$long" --config "$TMP/c.yaml" qemu-args sb1
expect_rc 1 "qemu-args with a long --root"
expect_contains "$errout" "--root"
expect_lines "$(printf '%s\n' "$errout" | grep 'error:')" 1

sed 's/^    scsi_controllers: 2$/    disable_block_device_use: true/' "$TMP/c.yaml" >"$TMP/noblock.yaml"
run "$VCRUN" --root "$ROOT" --config "$TMP/noblock.yaml" qemu-args --drive "$TMP/d0.img" sb1
expect_rc 1 "qemu-args --drive with block devices disabled"
expect_contains "$errout" "disable_block_device_use"

finish
