# Fault tests (issue [8/8]): crashes, full disks and broken QEMUs. Each skips (exit 77) until
# the commands it drives exist.
TESTS += \
	tests/robust/kill-create.sh \
	tests/robust/full-disk.sh \
	tests/robust/fake-qemu.sh
EXTRA_DIST += $(filter tests/robust/%.sh,$(TESTS))

# fake-qemu: a QEMU that exits at start, never answers QMP, or answers garbage (by its name).
check_PROGRAMS += tests/helpers/fake-qemu
tests_helpers_fake_qemu_SOURCES = tests/helpers/fake-qemu.c
