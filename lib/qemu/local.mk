# lib/qemu: owned by its issue; see Makefile.am
libvcrun_a_SOURCES += lib/qemu/qmp.c lib/qemu/qmp.h
