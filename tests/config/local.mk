# Configuration: the shipped defaults, shell tests of `vcrun config` and their fixtures.
dist_vcrunconfig_DATA += config/configuration-qemu.toml config/configuration-qemu.yaml

TESTS += \
	tests/config/matrix.sh
EXTRA_DIST += $(filter tests/config/%.sh,$(TESTS)) \
	$(wildcard $(srcdir)/tests/config/cases/*.toml) \
	$(wildcard $(srcdir)/tests/config/cases/*.yaml) \
	tests/config/fixtures/meminfo tests/config/fixtures/meminfo-malformed
