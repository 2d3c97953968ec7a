#!/bin/sh
# The shipped defaults: the TOML and the YAML file give the same effective configuration, the
# data-dir search finds the TOML one, and their values are the documented defaults.
. "$top_srcdir/tests/cli/lib.sh"
export VCRUN_HOST_CPUS=2 VCRUN_MEMINFO="$top_srcdir/tests/config/fixtures/meminfo"

run "$VCRUN" --config "$top_srcdir/config/configuration-qemu.yaml" config show
expect_rc 0 "yaml default"
yaml_out=$out
for s in '"kernel": "/usr/share/vcrun/guest/vmlinuz",' \
	'"initrd": "/usr/share/vcrun/guest/initramfs.img",' '"machine_type": "q35",' \
	'"block_device_driver": "virtio-scsi",' '"enable_iothreads": true,' \
	'"scsi_controllers": 2,' '"default_memory": 256,' '"default_vcpus": 1,' \
	'"use_legacy_serial": false,' \
	'"seccompsandbox": "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",'; do
	expect_contains "$yaml_out" "$s"
done

# Round trip: what show prints in YAML loads back to the same configuration.
run "$VCRUN" --config "$top_srcdir/config/configuration-qemu.yaml" config show --format yaml
expect_rc 0 "show yaml"
printf '%s\n' "$out" >"$TMP/again.yaml"
run "$VCRUN" --config "$TMP/again.yaml" config show
expect_rc 0 "reload yaml"
[ "$out" = "$yaml_out" ] || fail "show --format yaml does not load back identically"

run "$VCRUN" --config "$top_srcdir/config/configuration-qemu.toml" config show
expect_rc 0 "toml default"
[ "$out" = "$yaml_out" ] || fail "TOML and YAML defaults differ: $(printf '%s\n' "$out" | diff - "$TMP/again.yaml")"

# Without --config: /etc/vcrun/configuration.toml (absent in tests) then the data dir.
if [ ! -e /etc/vcrun/configuration.toml ]; then
	mkdir -p "$TMP/data/config"
	cp "$top_srcdir/config/configuration-qemu.toml" "$TMP/data/config/"
	run env -u VCRUN_CONFIG VCRUN_DATADIR="$TMP/data" "$VCRUN" config show
	expect_rc 0 "data dir"
	[ "$out" = "$yaml_out" ] || fail "data-dir default differs"
	run env -u VCRUN_CONFIG VCRUN_DATADIR="$TMP/nothing" "$VCRUN" config show
	expect_rc 1 "nothing found"
	expect_contains "$errout" "no configuration file: tried '/etc/vcrun/configuration.toml' and '$TMP/nothing/config/configuration-qemu.toml'"
fi

run "$VCRUN" --config "$top_srcdir/config/configuration-qemu.toml" config show --format toml
expect_rc 0 "show toml"
printf '%s\n' "$out" >"$TMP/again.toml"
run "$VCRUN" --config "$TMP/again.toml" config show
[ "$out" = "$yaml_out" ] || fail "show --format toml does not load back identically"
finish
