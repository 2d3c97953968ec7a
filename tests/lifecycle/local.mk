# tests/lifecycle: the state store (unit), the lifecycle on the mock and QEMU backends (shell).
if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_state.c tests/unit/check_mockvm.c tests/unit/check_spawn.c
# terminal mode and --preserve-fds; the argv part uses the qemu suite's config fixture
tests_unit_unit_SOURCES += tests/unit/check_terminal.c tests/helpers/recv-fd.h
endif

TESTS += \
	tests/lifecycle/mock-lifecycle.sh \
	tests/lifecycle/asset-hash.sh \
	tests/lifecycle/mock-faults.sh \
	tests/lifecycle/runc-shim.sh \
	tests/lifecycle/mock-fulldisk.sh \
	tests/lifecycle/mock-list.sh \
	tests/lifecycle/mock-list-recorded.sh \
	tests/lifecycle/qemu-lifecycle.sh \
	tests/lifecycle/qemu-faults.sh \
	tests/lifecycle/qemu-start-session.sh \
	tests/lifecycle/mock-terminal.sh \
	tests/lifecycle/qemu-terminal.sh
EXTRA_DIST += \
	tests/lifecycle/lib-lifecycle.sh \
	tests/lifecycle/mock.yaml \
	$(filter tests/lifecycle/%.sh,$(TESTS))

# console-recv: the receiving end of create --console-socket (as containerd's shim)
check_PROGRAMS += tests/helpers/console-recv
tests_helpers_console_recv_SOURCES = tests/helpers/console-recv.c tests/helpers/recv-fd.h
