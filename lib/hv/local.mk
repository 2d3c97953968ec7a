# lib/hv: the hypervisor ops interface, the registry and the backends (issue [5/8]).
libvcrun_a_SOURCES += \
	lib/hv/hv.c lib/hv/hv.h \
	lib/hv/vmm.c lib/hv/vmm.h \
	lib/hv/spawn.c lib/hv/spawn.h \
	lib/hv/qemu.c \
	lib/hv/mock.c \
	lib/hv/mock_vm.c
