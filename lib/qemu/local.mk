# lib/qemu: the arch tables, the argv builder and drive placement (issue [4/8]); the QMP client
# (issue [5/8]).
libvcrun_a_SOURCES += \
	lib/qemu/arch.c lib/qemu/arch.h \
	lib/qemu/arch_aarch64.c \
	lib/qemu/arch_x86_64.c \
	lib/qemu/builder.c lib/qemu/builder.h \
	lib/qemu/placement.c lib/qemu/placement.h
libvcrun_a_SOURCES += lib/qemu/qmp.c lib/qemu/qmp.h
libvcrun_a_SOURCES += lib/qemu/qmp_many.c lib/qemu/qmp_many.h
