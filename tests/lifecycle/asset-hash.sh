#!/bin/sh
# Asset integrity: the annotation io.katacontainers.config.hypervisor.kernel_hash (allowed by
# enable_annotations) carries a SHA-512 the kernel file must match before the VM is created.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/lifecycle/lib-lifecycle.sh"

command -v sha512sum >/dev/null || { echo "SKIP: no sha512sum"; exit 77; }
printf 'not really a kernel\n' >"$TMP/vmlinuz"
good=$(sha512sum "$TMP/vmlinuz" | cut -d' ' -f1)
bad=$(printf '%0128d' 0)
cat >"$TMP/hash.yaml" <<YAML
hypervisor:
  mock:
    kernel: "$TMP/vmlinuz"
    initrd: "/nonexistent/initramfs.img"
    enable_annotations: ["kernel_hash"]
    accelerator: "tcg"
YAML
bundle() { # bundle DIR DIGEST
	mkdir -p "$1"
	cat >"$1/config.json" <<JSON
{"ociVersion": "1.0.2", "annotations": {"io.katacontainers.config.hypervisor.kernel_hash": "$2"}}
JSON
}
H() { "$VCRUN" --root "$R" --hypervisor mock --config "$TMP/hash.yaml" "$@"; }

bundle "$TMP/good" "$good"
run H create --bundle "$TMP/good" hash-ok
expect_rc 0 "create with the matching kernel hash"
expect_status hash-ok created "matching hash" 2>/dev/null || true
H delete --force hash-ok >/dev/null 2>&1

bundle "$TMP/bad" "$bad"
run H create --bundle "$TMP/bad" hash-bad
expect_rc 1 "create with a wrong kernel hash"
expect_contains "$errout" "kernel integrity"
expect_contains "$errout" "$TMP/vmlinuz"
expect_lines "$errout" 1
[ ! -e "$R/hash-bad" ] || fail "a refused create left $R/hash-bad behind"

finish
