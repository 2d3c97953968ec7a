#!/bin/sh
# OCI annotations io.katacontainers.config.hypervisor.*: allowed by enable_annotations
# (regexes matching the whole name), hypervisor paths by valid_hypervisor_paths (globs);
# the command line's custom assets win over both; every refusal is reported.
. "$top_srcdir/tests/cli/lib.sh"
export VCRUN_HOST_CPUS=4
P=io.katacontainers.config.hypervisor
hash=$(printf '%0128d' 0 | tr 0 a)

cat >"$TMP/conf.yaml" <<'YAML'
hypervisor:
  qemu:
    kernel: /k
    initrd: /i
    kernel_params: quiet
    enable_annotations: ["kernel_params", "default_.*", "path", "kernel", "kernel_hash", "enable_iommu"]
    valid_hypervisor_paths: ["/opt/qemu/bin/*"]
YAML
mkdir -p "$TMP/ok" "$TMP/bad"
cat >"$TMP/ok/config.json" <<JSON
{"ociVersion": "1.0.2", "annotations": {
  "$P.kernel_params": "debug",
  "$P.default_vcpus": "2",
  "$P.default_memory": "512",
  "$P.kernel": "/ann/vmlinuz",
  "$P.path": "/opt/qemu/bin/qemu-system-x86_64",
  "$P.kernel_hash": "$hash",
  "$P.enable_iommu": "true",
  "io.kubernetes.cri.container-type": "sandbox"}}
JSON
run "$VCRUN" --debug --config "$TMP/conf.yaml" config show --bundle "$TMP/ok"
expect_rc 0 "allowed annotations"
expect_contains "$out" '"kernel_params": "quiet debug",'
expect_contains "$out" '"default_vcpus": 2,'
expect_contains "$out" '"default_memory": 512,'
expect_contains "$out" '"kernel": "/ann/vmlinuz",'
expect_contains "$out" '"path": "/opt/qemu/bin/qemu-system-x86_64",'
expect_contains "$errout" "annotation '$P.enable_iommu' has no effect in vcrun"

# The command line wins over the annotation.
run "$VCRUN" --config "$TMP/conf.yaml" config show --bundle "$TMP/ok" --kernel /cli/vmlinuz
expect_rc 0 "cli over annotation"
expect_contains "$out" '"kernel": "/cli/vmlinuz",'

cat >"$TMP/bad/config.json" <<JSON
{"annotations": {
  "$P.machine_type": "pc",
  "$P.path": "/usr/local/bin/qemu-system-x86_64",
  "$P.default_memory": "lots",
  "$P.kernl": "/x",
  "$P.default_maxvcpus": "-1",
  "$P.kernel_hash": "abc",
  "$P.seccompsandbox": "off"}}
JSON
run "$VCRUN" --config "$TMP/conf.yaml" config show --bundle "$TMP/bad"
expect_rc 1 "refused annotations"
j="$TMP/bad/config.json: error: annotation '$P"
expect_contains "$errout" "$j.machine_type' is not allowed by enable_annotations"
expect_contains "$errout" "$j.path': hypervisor path '/usr/local/bin/qemu-system-x86_64' does not match valid_hypervisor_paths"
expect_contains "$errout" "$j.default_memory': expected an integer from 0 to 4294967295, found 'lots'"
expect_contains "$errout" "$j.kernl': unknown key (did you mean \`kernel\`?)"
expect_contains "$errout" "$j.default_maxvcpus': expected an integer from 0 to 4294967295, found '-1'"
expect_contains "$errout" "$j.kernel_hash': expected a SHA-512 digest (128 hex digits), found 'abc'"
expect_contains "$errout" "$j.seccompsandbox': this key cannot be set by annotation"
n=$(printf '%s\n' "$errout" | grep -c ': error: ')
[ "$n" -eq 7 ] || fail "expected 7 errors, got $n: $errout"

# A bundle without config.json, and one with malformed JSON.
run "$VCRUN" --config "$TMP/conf.yaml" config show --bundle "$TMP/none"
expect_rc 1 "no config.json"
expect_contains "$errout" "$TMP/none/config.json"
printf '{"annotations": {"a": "1", "a": "2"}}' >"$TMP/bad/config.json"
run "$VCRUN" --config "$TMP/conf.yaml" config show --bundle "$TMP/bad"
expect_rc 1 "duplicate key in config.json"
expect_contains "$errout" "$TMP/bad/config.json:1:"
finish
