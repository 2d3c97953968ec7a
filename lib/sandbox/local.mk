# lib/sandbox: the state store and the lifecycle (issue [5/8]); seccomp (issue [6/8]).
libvcrun_a_SOURCES += \
	lib/sandbox/lifecycle.c lib/sandbox/lifecycle.h \
	lib/sandbox/state.c lib/sandbox/state.h lib/sandbox/state-scan.c \
	lib/sandbox/terminal.c lib/sandbox/terminal.h
libvcrun_a_SOURCES += \
	lib/sandbox/seccomp.h \
	lib/sandbox/seccomp-list.c lib/sandbox/seccomp-install.c
if HAVE_SECCOMP
libvcrun_a_SOURCES += lib/sandbox/seccomp.c
else
libvcrun_a_SOURCES += lib/sandbox/seccomp-off.c
endif
