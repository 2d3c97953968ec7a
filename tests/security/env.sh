#!/bin/sh
# vcrun env: TOML and JSON forms, host facts from fixture trees and the real host, and the
# seccomp deny list as the library has it.
. "$top_srcdir/tests/cli/lib.sh"
FX="$top_srcdir/tests/security/hosts"
PROBE="$top_builddir/tests/helpers/seccomp-probe"
QEMU=$(command -v qemu-system-x86_64 || echo /nonexistent/qemu-system-x86_64)

run "$VCRUN" env --qemu "$QEMU" --host-root "$FX/nested"
expect_rc 0 "env"
for s in '[runtime]' '[hypervisor]' '[host]' '[seccomp]'; do
	expect_contains "$out" "$s"
done
expect_contains "$out" "  version = \"$("$VCRUN" version | sed -n 's/^vcrun version //p')\""
expect_contains "$out" '  cpu_vendor = "GenuineIntel"'
expect_contains "$out" '  running_on_vmm = true'
expect_contains "$out" '  kvm = false'
expect_contains "$out" "  root = \"$FX/nested\""
if [ -x "$QEMU" ]; then
	v=$("$QEMU" --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
	expect_contains "$out" "  version = \"$v\""
fi

# the default kernel params of the arch (REFERENCE.md section 2, console= left to the builder)
[ "$(uname -m)" != x86_64 ] || expect_contains "$out" '  default_kernel_params = ["tsc=reliable", "no_timer_check", '
[ "$(uname -m)" != x86_64 ] || expect_contains "$out" '"pci=lastbus=0"]'

# the deny list printed is the library's list, in order
want=$("$PROBE" list | sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
expect_contains "$out" "  denied = [$want]"

run "$VCRUN" env --json --qemu "$QEMU" --host-root "$FX/amd"
expect_rc 0 "env --json"
printf '%s\n' "$out" >"$TMP/env.json"
is_json "$TMP/env.json" || fail "env --json is not JSON"
expect_contains "$out" '"cpu_vendor": "AuthenticAMD"'
expect_contains "$out" '"running_on_vmm": false'
expect_contains "$out" '"denied_errno": "EPERM"'
expect_contains "$out" '"reboot"'

# the real host
run "$VCRUN" env
expect_rc 0 "env on this host"
expect_contains "$out" "  arch = \"$(uname -m)\""
expect_contains "$out" "  kernel = \"$(uname -r)\""
if grep -qw hypervisor /proc/cpuinfo; then
	expect_contains "$out" "running_on_vmm = true"
else
	expect_contains "$out" "running_on_vmm = false"
fi
[ -e /dev/kvm ] || expect_contains "$out" "  kvm = false"

# the configuration: the resolved file, its drop-ins in order, the effective values
CONF="$top_srcdir/config/configuration-qemu.yaml"
if [ -f "$CONF" ]; then
	mkdir -p "$TMP/etc/config.d"
	cp "$CONF" "$TMP/etc/configuration.yaml"
	printf 'hypervisor:\n  qemu:\n    default_memory: 512\n' >"$TMP/etc/config.d/10-mem.yaml"
	printf 'hypervisor:\n  qemu:\n    disable_seccomp: true\n' >"$TMP/etc/config.d/05-sec.yaml"
	run "$VCRUN" --config "$TMP/etc/configuration.yaml" env
	expect_rc 0 "env with a configuration"
	expect_contains "$out" "  file = \"$TMP/etc/configuration.yaml\""
	expect_contains "$out" "  dropins = [\"$TMP/etc/config.d/05-sec.yaml\", \"$TMP/etc/config.d/10-mem.yaml\"]"
	expect_contains "$out" "  default_memory = 512"
	expect_contains "$out" "  disable_seccomp = true"
	expect_contains "$out" "  enforced = false"
	rm "$TMP/etc/config.d/05-sec.yaml"
	run "$VCRUN" --config "$TMP/etc/configuration.yaml" env --json
	printf '%s\n' "$out" >"$TMP/env2.json"
	is_json "$TMP/env2.json" || fail "env --json with a configuration is not JSON"
	expect_contains "$out" '"effective": {'
	expect_contains "$out" '"disable_seccomp": false'
	case " $("$VCRUN" version) " in
	*" +seccomp"*) expect_contains "$out" '"enforced": true' ;;
	esac
fi
# a configuration that does not load is reported, not fatal: env is for bug reports
run "$VCRUN" --config "$TMP/missing.yaml" env
expect_rc 0 "env with a missing configuration"
expect_contains "$out" "  loaded = false"
expect_contains "$out" "  error = \"cannot read configuration file '$TMP/missing.yaml'"

run "$VCRUN" env extra
expect_rc 2 "env extra"
finish
