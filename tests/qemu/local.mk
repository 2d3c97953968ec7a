# tests/qemu: the argv builder's unit tests (suite qemu) and its integration test against the
# real QEMU (issue [4/8]).
if HAVE_CHECK
tests_unit_unit_SOURCES += \
	tests/unit/check_qemu.c tests/unit/check_qemu.h \
	tests/unit/check_qemu_argv.c \
	tests/qemu/fixture.c tests/qemu/fixture.h
endif

# argv-qmp: the builder's argv for a list of configs run by the real QEMU (paused), checked over
# QMP. It needs a real kernel (QEMU loads it at startup): the test guest's, which boot.sh builds,
# hence the ordering below; without one it skips.
check_PROGRAMS += tests/qemu/argv-qmp
tests_qemu_argv_qmp_SOURCES = tests/qemu/argv-qmp.c tests/qemu/fixture.c tests/qemu/fixture.h
tests_qemu_argv_qmp_LDADD = $(VC_LIBS)
TESTS += tests/qemu/argv-qmp
# (through a variable: automake would take a literal target for an override of its rule)
argv_qmp_log = tests/qemu/argv-qmp.log
$(argv_qmp_log): tests/guest/boot.log

# qemu-args: the command on a pinned host (4 CPUs, 4 GiB, no KVM).
TESTS += tests/qemu/qemu-args.sh
EXTRA_DIST += tests/qemu/qemu-args.sh
