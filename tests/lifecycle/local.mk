# tests/lifecycle: the state store (unit), the lifecycle on the mock and QEMU backends (shell).
if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_state.c
endif
