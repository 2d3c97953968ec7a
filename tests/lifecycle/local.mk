# tests/lifecycle: the state store (unit), the lifecycle on the mock and QEMU backends (shell).
if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_state.c tests/unit/check_mockvm.c
endif
