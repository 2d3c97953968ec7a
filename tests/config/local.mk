# Configuration: the shipped defaults, shell tests of `vcrun config` and their fixtures.
dist_vcrunconfig_DATA += config/configuration-qemu.toml config/configuration-qemu.yaml

TESTS += \
	tests/config/matrix.sh \
	tests/config/dropins.sh \
	tests/config/shipped.sh \
	tests/config/annotations.sh \
	tests/config/host.sh \
	tests/config/cli.sh \
	tests/config/kata.sh
# The cases of matrix.sh (one file per rule and format; list new ones here).
EXTRA_DIST += $(filter tests/config/%.sh,$(TESTS)) \
	tests/config/fixtures/meminfo \
	tests/config/fixtures/meminfo-malformed \
	tests/config/cases/all-errors.toml \
	tests/config/cases/all-errors.yaml \
	tests/config/cases/annotations-regex.toml \
	tests/config/cases/annotations-regex.yaml \
	tests/config/cases/bad-driver.toml \
	tests/config/cases/bad-driver.yaml \
	tests/config/cases/bad-hypervisor-option.toml \
	tests/config/cases/bad-hypervisor-option.yaml \
	tests/config/cases/clamps-high.toml \
	tests/config/cases/clamps-high.yaml \
	tests/config/cases/clamps-low.toml \
	tests/config/cases/clamps-low.yaml \
	tests/config/cases/custom-assets-ok.toml \
	tests/config/cases/custom-assets-ok.yaml \
	tests/config/cases/empty-kernel.toml \
	tests/config/cases/empty-kernel.yaml \
	tests/config/cases/empty-param-key.toml \
	tests/config/cases/empty-param-key.yaml \
	tests/config/cases/entropy.toml \
	tests/config/cases/entropy.yaml \
	tests/config/cases/force-mock.toml \
	tests/config/cases/force-mock.yaml \
	tests/config/cases/image-and-initrd.toml \
	tests/config/cases/image-and-initrd.yaml \
	tests/config/cases/int-range.toml \
	tests/config/cases/int-range.yaml \
	tests/config/cases/kata-tables-and-no-effect.toml \
	tests/config/cases/kata-tables-and-no-effect.yaml \
	tests/config/cases/maxvcpus-below-vcpus.toml \
	tests/config/cases/maxvcpus-below-vcpus.yaml \
	tests/config/cases/memory-zero.toml \
	tests/config/cases/memory-zero.yaml \
	tests/config/cases/no-hypervisor-table.toml \
	tests/config/cases/no-hypervisor-table.yaml \
	tests/config/cases/no-image-no-initrd.toml \
	tests/config/cases/no-image-no-initrd.yaml \
	tests/config/cases/no-kernel.toml \
	tests/config/cases/no-kernel.yaml \
	tests/config/cases/scsi-controllers.toml \
	tests/config/cases/scsi-controllers.yaml \
	tests/config/cases/select-mock.toml \
	tests/config/cases/select-mock.yaml \
	tests/config/cases/several-tables.toml \
	tests/config/cases/several-tables.yaml \
	tests/config/cases/unknown-hypervisor.toml \
	tests/config/cases/unknown-hypervisor.yaml \
	tests/config/cases/unknown-key.toml \
	tests/config/cases/unknown-key.yaml \
	tests/config/cases/unknown-table.toml \
	tests/config/cases/unknown-table.yaml \
	tests/config/cases/wrong-type.toml \
	tests/config/cases/wrong-type.yaml \
	tests/config/cases/yaml-anchors.yaml \
	tests/config/cases/yaml-duplicate-key.yaml \
	tests/config/cases/yaml-float.yaml \
	tests/config/cases/yaml-nesting.yaml \
	tests/config/cases/yaml-null.yaml \
	tests/config/cases/yaml-quoted-true.yaml \
	tests/config/cases/yaml-two-documents.yaml \
	tests/config/cases/yaml-unknown-alias.yaml \
	tests/config/cases/yes-is-a-string.toml \
	tests/config/cases/yes-is-a-string.yaml

if HAVE_CHECK
tests_unit_unit_SOURCES += \
	tests/unit/check_yaml.c \
	tests/unit/check_probe.c \
	tests/unit/check_config.c
endif
