#!/bin/sh
# The manual pages: `mandoc -Tlint` reports no warning and no error on either page, every
# command `vcrun help` lists has its own subsection in vcrun.1, and every configuration key
# (those `vcrun config show --format json` prints, and every row of the schema table
# lib/config/schema.c) has an entry in vcrun-config.5.
. "$top_srcdir/tests/cli/lib.sh"

MAN1=${MAN1:-$top_srcdir/man/vcrun.1}
MAN5=${MAN5:-$top_srcdir/man/vcrun-config.5}

if ! command -v mandoc >/dev/null 2>&1; then
	echo "mandoc is not installed (scripts/install-deps.sh installs it): skipped"
	exit 77
fi

# An empty manual path: whether the pages named in SEE ALSO are installed here is no concern
# of this test (and an outdated mandoc.db would print noise).
mkdir "$TMP/nomanpath"
MANPATH=$TMP/nomanpath
export MANPATH
for page in "$MAN1" "$MAN5"; do
	[ -f "$page" ] || { fail "missing page $page"; continue; }
	# -W warning: warnings, errors and unsupported macros; style hints (such as a SEE ALSO
	# page that is not installed on this machine) depend on the host and do not count.
	run mandoc -Tlint -W warning "$page"
	if [ "$rc" -ne 0 ] || [ -n "$out$errout" ]; then
		fail "mandoc -Tlint $(basename "$page") (exit $rc): $out$errout"
	fi
done

# Commands: each one is a subsection ".Ss NAME" or ".Ss NAME SUBCOMMAND ..." of vcrun.1.
commands=$("$VCRUN" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || fail "vcrun help lists no commands"
for c in $commands; do
	grep -Eq "^\.Ss $c( |\$)" "$MAN1" || fail "command '$c' (listed by vcrun help) has no .Ss entry in vcrun.1"
done

# Keys: each acted-on key is an item ".It Cm KEY" of vcrun-config.5.
has_key_item() {
	grep -Eq "^\.It Cm $1( |\$)" "$MAN5"
}
checked_keys=no
if "$VCRUN" help config >/dev/null 2>&1; then
	conf=$top_srcdir/config/configuration-qemu.toml
	if [ ! -f "$conf" ]; then
		conf=$TMP/minimal.toml
		printf '[hypervisor.qemu]\nkernel = "/boot/vmlinuz"\ninitrd = "/boot/initrd.img"\n' >"$conf"
	fi
	run "$VCRUN" --config "$conf" config show --format json
	expect_rc 0 "vcrun config show --format json"
	printf '%s\n' "$out" >"$TMP/show.json"
	is_json "$TMP/show.json" || fail "config show --format json is not JSON: $out"
	# {"hypervisor": {NAME: {key: value, ...}}}: every "name": after the first two is a key.
	keys=$(grep -o '"[A-Za-z0-9_]*":' "$TMP/show.json" | tr -d '":' | tail -n +3)
	[ -n "$keys" ] || fail "config show printed no keys"
	for k in $keys; do
		has_key_item "$k" || fail "key '$k' (printed by config show) has no .It Cm entry in vcrun-config.5"
	done
	checked_keys=yes
fi
schema=$top_srcdir/lib/config/schema.c
if [ -f "$schema" ]; then
	# Rows are macro calls whose first argument is the key: STR("path", ...), IGNORED("x").
	rows=$(sed -n 's/^[[:space:]]*\(STR\|CHOICE\|ENUM\|BOOL\|INT\|STRV\|PARAMS\)("\([a-z0-9_]*\)".*/\2/p' "$schema")
	ignored=$(sed -n 's/^[[:space:]]*IGNORED("\([a-z0-9_]*\)").*/\1/p' "$schema")
	[ -n "$rows" ] || fail "no key rows found in $schema"
	for k in $rows; do
		has_key_item "$k" || fail "key '$k' (schema table) has no .It Cm entry in vcrun-config.5"
	done
	# Accepted-and-ignored Kata keys are listed too, so an operator knows they do nothing.
	for k in $ignored; do
		grep -Eq "(^\.(It )?| )Cm $k( |\$)" "$MAN5" || fail "ignored key '$k' (schema table) is not listed in vcrun-config.5"
	done
	checked_keys=yes
fi
[ "$checked_keys" = yes ] ||
	echo "neither 'vcrun config show' nor lib/config/schema.c exists yet: configuration keys not checked"

finish
