# tests/lifecycle: the state store (unit), the lifecycle on the mock and QEMU backends (shell).
if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_state.c tests/unit/check_mockvm.c
endif

TESTS += \
	tests/lifecycle/mock-lifecycle.sh \
	tests/lifecycle/asset-hash.sh \
	tests/lifecycle/mock-faults.sh \
	tests/lifecycle/runc-shim.sh \
	tests/lifecycle/mock-fulldisk.sh \
	tests/lifecycle/mock-list.sh \
	tests/lifecycle/qemu-lifecycle.sh \
	tests/lifecycle/qemu-faults.sh
EXTRA_DIST += \
	tests/lifecycle/lib-lifecycle.sh \
	tests/lifecycle/mock.yaml \
	$(filter tests/lifecycle/%.sh,$(TESTS))
