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

run "$VCRUN" env extra
expect_rc 2 "env extra"
finish
