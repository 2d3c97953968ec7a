#!/bin/sh
# `config validate` checks the host (assets exist and are regular files, symlinks resolved,
# the initrd fits in memory); `config show` does not.
. "$top_srcdir/tests/cli/lib.sh"
export VCRUN_HOST_CPUS=2
mkdir -p "$TMP/guest" "$TMP/bin"
printf 'kernel' >"$TMP/guest/vmlinuz"
printf 'initrd' >"$TMP/guest/initrd.img"
printf '#!/bin/sh\n' >"$TMP/bin/qemu-real"
ln -s qemu-real "$TMP/bin/qemu"

cat >"$TMP/ok.yaml" <<YAML
hypervisor:
  qemu:
    path: $TMP/bin/qemu
    kernel: $TMP/guest/vmlinuz
    initrd: $TMP/guest/initrd.img
YAML
run "$VCRUN" --config "$TMP/ok.yaml" config validate
expect_rc 0 "valid config"
[ -z "$out" ] || fail "validate printed on stdout: $out"

cat >"$TMP/missing.yaml" <<YAML
hypervisor:
  qemu:
    path: $TMP/bin/qemu
    kernel: $TMP/guest/nope
    initrd: $TMP/guest
YAML
run "$VCRUN" --config "$TMP/missing.yaml" config validate
expect_rc 1 "missing assets"
expect_contains "$errout" "$TMP/missing.yaml:4:13: error: kernel '$TMP/guest/nope': No such file or directory"
expect_contains "$errout" "$TMP/missing.yaml:5:13: error: initrd '$TMP/guest' is not a regular file"
run "$VCRUN" --config "$TMP/missing.yaml" config show
expect_rc 0 "show does not check the host"

# Configuration errors and host errors are reported together.
printf '    bogus: 1\n' >>"$TMP/missing.yaml"
run "$VCRUN" --config "$TMP/missing.yaml" config validate
expect_rc 1 "config and host errors"
expect_contains "$errout" "$TMP/missing.yaml:6:5: error: unknown key 'bogus' in [hypervisor.qemu]"
expect_contains "$errout" "$TMP/missing.yaml:4:13: error: kernel '$TMP/guest/nope': No such file or directory"

# A custom asset is checked too; errors name it without a file position.
run "$VCRUN" --config "$TMP/ok.yaml" config validate --kernel "$TMP/guest/other"
expect_rc 1 "missing custom kernel"
expect_contains "$errout" "vcrun: error: kernel '$TMP/guest/other': No such file or directory"

# An initrd larger than the VM's memory.
truncate -s 9M "$TMP/guest/big.img"
cat >"$TMP/big.yaml" <<YAML
hypervisor:
  qemu:
    path: $TMP/bin/qemu
    kernel: $TMP/guest/vmlinuz
    initrd: $TMP/guest/big.img
    default_memory: 8
YAML
run "$VCRUN" --config "$TMP/big.yaml" config validate
expect_rc 1 "initrd too big"
expect_contains "$errout" "$TMP/big.yaml:5:13: error: initrd '$TMP/guest/big.img' (9437184 bytes) is larger than the VM's memory (8 MiB)"
finish
