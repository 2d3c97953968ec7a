#!/bin/sh
# config.d drop-ins: read after the main file in name order, TOML and YAML mixed, each
# overriding only the keys it sets; errors in a drop-in name the drop-in.
. "$top_srcdir/tests/cli/lib.sh"

mkdir -p "$TMP/etc/config.d"
cat >"$TMP/etc/main.yaml" <<'YAML'
hypervisor:
  qemu:
    kernel: /k
    initrd: /i
    default_memory: 512
    default_vcpus: 1
    enable_debug: false
YAML
cat >"$TMP/etc/config.d/10-memory.yaml" <<'YAML'
hypervisor:
  qemu:
    default_memory: 1024
    enable_debug: true
YAML
cat >"$TMP/etc/config.d/20-memory.yaml" <<'YAML'
hypervisor:
  qemu:
    default_memory: 768
YAML
echo "not a drop-in" >"$TMP/etc/config.d/README"
echo "hypervisor: {qemu: {default_vcpus: oops}}" >"$TMP/etc/config.d/.hidden.yaml"

export VCRUN_HOST_CPUS=4
run "$VCRUN" --debug --config "$TMP/etc/main.yaml" config show
expect_rc 0 "drop-ins"
expect_contains "$out" '"default_memory": 768,'
expect_contains "$out" '"enable_debug": true,'
expect_contains "$out" '"default_vcpus": 1,'
expect_contains "$errout" "config.d/20-memory.yaml:3:5: default_memory overrides the value set in $TMP/etc/config.d/10-memory.yaml"

# A bad drop-in: the error is at its own position.
cat >"$TMP/etc/config.d/30-bad.yaml" <<'YAML'
hypervisor:
  qemu:
    default_vcpu: 2
YAML
run "$VCRUN" --config "$TMP/etc/main.yaml" config show
expect_rc 1 "bad drop-in"
expect_contains "$errout" "$TMP/etc/config.d/30-bad.yaml:3:5: error: unknown key 'default_vcpu' in [hypervisor.qemu] (did you mean \`default_vcpus\`?)"
rm "$TMP/etc/config.d/30-bad.yaml"

# A drop-in in TOML beside a YAML main file.
printf '[hypervisor.qemu]\ndefault_memory = 640\n' >"$TMP/etc/config.d/40-last.toml"
run "$VCRUN" --config "$TMP/etc/main.yaml" config show
expect_rc 0 "toml drop-in"
expect_contains "$out" '"default_memory": 640,'

# A drop-in that does not parse stops the load with its position.
printf 'hypervisor:\n  qemu: [\n' >"$TMP/etc/config.d/50-broken.yaml"
run "$VCRUN" --config "$TMP/etc/main.yaml" config show
expect_rc 1 "broken drop-in"
expect_contains "$errout" "$TMP/etc/config.d/50-broken.yaml:3:1: error: "
finish
