#!/bin/sh
# The `config` command line: subcommands, formats, usage errors, format detection by content.
. "$top_srcdir/tests/cli/lib.sh"
export VCRUN_HOST_CPUS=2

run "$VCRUN" config --help
expect_rc 0 "config --help"
expect_contains "$out" "vcrun config validate"
expect_contains "$out" "vcrun config show [--format json|toml|yaml]"
run "$VCRUN" config
expect_rc 2 "no subcommand"
run "$VCRUN" config frobnicate
expect_rc 2 "bad subcommand"
run "$VCRUN" config show --format xml
expect_rc 2 "bad format"
expect_contains "$errout" "unknown format 'xml'"
run "$VCRUN" config validate --format json
expect_rc 2 "format on validate"
run "$VCRUN" config show extra
expect_rc 2 "extra argument"

# No extension: YAML recognised by content; JSON output is valid JSON.
printf '# comment\nhypervisor:\n  qemu:\n    kernel: /k\n    initrd: /i\n' >"$TMP/conf"
run "$VCRUN" --config "$TMP/conf" config show
expect_rc 0 "yaml by content"
printf '%s\n' "$out" >"$TMP/out.json"
is_json "$TMP/out.json" || fail "config show output is not JSON"
run env VCRUN_CONFIG="$TMP/conf" "$VCRUN" config show --format yaml
expect_rc 0 "VCRUN_CONFIG"
expect_contains "$out" 'kernel: "/k"'

run "$VCRUN" --config "$TMP/absent.toml" config validate
expect_rc 1 "missing file"
expect_contains "$errout" "cannot read configuration file '$TMP/absent.toml': No such file or directory"
run "$VCRUN" --config "$TMP/conf" config validate --initrd ""
expect_rc 2 "empty custom asset"
expect_contains "$errout" "vcrun: error: --initrd: empty path"

# features lists the formats and annotations.
run "$VCRUN" features
expect_contains "$out" '"yaml"'
expect_contains "$out" '"io.katacontainers.config.hypervisor.kernel_hash"'
finish
