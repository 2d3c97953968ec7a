# tests/qemu: the argv builder's unit tests (suite qemu) and its integration test against the
# real QEMU (issue [4/8]).
if HAVE_CHECK
tests_unit_unit_SOURCES += \
	tests/unit/check_qemu.c tests/unit/check_qemu.h \
	tests/unit/check_qemu_argv.c \
	tests/qemu/fixture.c tests/qemu/fixture.h
endif
