# lib/sandbox: owned by its issue; see Makefile.am
libvcrun_a_SOURCES += \
	lib/sandbox/seccomp.h \
	lib/sandbox/seccomp-list.c
if HAVE_SECCOMP
libvcrun_a_SOURCES += lib/sandbox/seccomp.c
else
libvcrun_a_SOURCES += lib/sandbox/seccomp-off.c
endif
