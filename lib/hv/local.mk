# lib/hv: the hypervisor ops interface, the registry and the backends (issue [5/8]).
libvcrun_a_SOURCES += \
	lib/hv/hv.h \
	lib/hv/mock_vm.c
