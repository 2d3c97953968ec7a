#!/bin/sh
# vcrun check against fixture host trees (Intel with KVM, AMD, no virtualisation, nested VM)
# and against the real host.
. "$top_srcdir/tests/cli/lib.sh"
FX="$top_srcdir/tests/security/hosts"
QEMU=$(command -v qemu-system-x86_64 || echo /nonexistent/qemu-system-x86_64)
has_qemu=false
[ -x "$QEMU" ] && has_qemu=true

line() { # line NAME: the check line for NAME
	printf '%s\n' "$out" | awk -v n="$1" '$2 == n'
}
expect_check() { # expect_check NAME STATUS [TEXT]
	l=$(line "$1")
	case "$l" in
	"$2 "*) ;;
	*) fail "check $1: expected status $2, got: ${l:-no line}" ;;
	esac
	[ $# -lt 3 ] || expect_contains "$l" "$3"
}

# Intel host with everything loaded (but no KVM device node: fixtures cannot hold one)
run "$VCRUN" check --qemu "$QEMU" --host-root "$FX/intel"
expect_check cpu-vendor ok "GenuineIntel (Intel(R) Xeon(R) CPU E5-2699 v3"
expect_check cpu-virtualisation ok "vmx"
expect_check cpu-lm ok
expect_check cpu-sse4_1 ok
expect_check nesting ok
expect_check module-kvm ok
expect_check module-kvm_intel ok "loaded (nested=Y, ept=Y)"
expect_check module-vhost ok
expect_check module-vhost_net ok
expect_check module-vhost_vsock ok
expect_check dev-kvm missing "intel/dev/kvm"
expect_check hugepages ok "512 reserved of 2048 kB (sizes: "
expect_contains "$(line hugepages)" "1048576kB"
expect_contains "$(line hugepages)" "2048kB"
[ -z "$(line module-kvm_amd)" ] || fail "kvm_amd checked on an Intel host"
expect_contains "$out" "verdict: "
if $has_qemu; then
	expect_rc 0 "check intel-kvm"
	expect_check qemu ok "QEMU emulator version"
	expect_contains "$out" "KVM needs: dev-kvm"
fi

# AMD host: kvm_amd with nested=1, no vhost_vsock, no hugepages
run "$VCRUN" check --qemu "$QEMU" --host-root "$FX/amd"
expect_check cpu-vendor ok "AuthenticAMD (AMD EPYC 7502P"
expect_check cpu-virtualisation ok "svm (AMD-V)"
expect_check module-kvm_amd ok "loaded (nested=1, npt=1)"
expect_check module-vhost_vsock warning "optional"
expect_check hugepages warning "none reserved"
[ -z "$(line module-kvm_intel)" ] || fail "kvm_intel checked on an AMD host"

# no virtualisation: TCG only, and the verdict names what KVM lacks
run "$VCRUN" check --qemu "$QEMU" --host-root "$FX/novirt"
expect_check cpu-virtualisation missing "neither vmx nor svm"
expect_check module-kvm missing "not loaded"
expect_check module-kvm_intel missing
expect_check accelerator warning "TCG"
if $has_qemu; then
	expect_rc 0 "check no-virt (TCG still runs VMs)"
	expect_contains "$out" "verdict: this host can run vcrun VMs with TCG only (slow); KVM needs: cpu-virtualisation, module-kvm, module-kvm_intel, dev-kvm"
fi

# nested: the hypervisor flag, kvm_intel nested=N
run "$VCRUN" check --qemu "$QEMU" --host-root "$FX/nested"
expect_check nesting warning "the host is itself a VM"
expect_check module-kvm_intel ok "loaded (nested=N)"
expect_check module-vhost warning

# JSON form of the same report
run "$VCRUN" check --json --qemu "$QEMU" --host-root "$FX/nested"
printf '%s\n' "$out" >"$TMP/check.json"
is_json "$TMP/check.json" || fail "check --json is not JSON: $out"
expect_contains "$out" '"nested": true'
expect_contains "$out" '"kvm": false'
expect_contains "$out" '"cpuVendor": "GenuineIntel"'
expect_contains "$out" '"name": "nesting"'

# no usable QEMU: cannot run VMs, exit 1
run "$VCRUN" check --qemu /nonexistent/qemu --host-root "$FX/intel"
expect_rc 1 "check without QEMU"
expect_check qemu missing "'/nonexistent/qemu' is not executable"
expect_contains "$out" "verdict: this host cannot run vcrun VMs"

# without --qemu, the QEMU of the configuration is the one checked
printf 'hypervisor:\n  qemu:\n    path: /nonexistent/from-config/qemu\n    kernel: %s\n    initrd: %s\n' \
	"$FX/intel/proc/cpuinfo" "$FX/intel/proc/cpuinfo" >"$TMP/conf.yaml"
run "$VCRUN" --config "$TMP/conf.yaml" check --host-root "$FX/intel"
if ! printf '%s' "$errout" | grep -q "YAML support is not built in"; then
	expect_rc 1 "check with a configured QEMU that does not exist"
	expect_check qemu missing "'/nonexistent/from-config/qemu' is not executable"
fi

# not a host root at all: a clear error
run "$VCRUN" check --host-root "$TMP/empty"
expect_rc 1 "check on an empty root"
expect_contains "$errout" "cannot read '$TMP/empty/proc/cpuinfo'"
run "$VCRUN" check --bogus
expect_rc 2 "check --bogus"

# the real host: whatever it is, the report must agree with what we can see ourselves
run "$VCRUN" check --qemu "$QEMU"
printf '%s\n' "$out"
if [ -e /dev/kvm ]; then
	:
else
	expect_check dev-kvm missing "/dev/kvm"
	expect_contains "$out" "TCG only"
fi
if grep -qw hypervisor /proc/cpuinfo; then expect_check nesting warning; else expect_check nesting ok; fi
if grep -qwE 'vmx|svm' /proc/cpuinfo; then expect_check cpu-virtualisation ok; else expect_check cpu-virtualisation missing; fi
if [ -d /sys/module/kvm ]; then expect_check module-kvm ok; else expect_check module-kvm missing; fi
if $has_qemu; then
	expect_rc 0 "check on this host"
	v=$("$QEMU" --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
	expect_check qemu ok "version $v"
fi
finish
