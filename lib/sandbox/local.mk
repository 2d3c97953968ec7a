# lib/sandbox: the state store and the lifecycle (issue [5/8]); seccomp (issue [6/8]).
libvcrun_a_SOURCES += \
	lib/sandbox/lifecycle.c lib/sandbox/lifecycle.h \
	lib/sandbox/state.c lib/sandbox/state.h lib/sandbox/state-scan.c \
	lib/sandbox/terminal.c lib/sandbox/terminal.h
libvcrun_a_SOURCES += \
	lib/sandbox/seccomp.h \
	lib/sandbox/seccomp-list.c lib/sandbox/seccomp-install.c
if HAVE_SECCOMP
libvcrun_a_SOURCES += lib/sandbox/seccomp.c lib/sandbox/seccomp-program.c
# The filter is compiled once, at build time, by a build tool of ours (see seccomp.h).
nodist_libvcrun_a_SOURCES = lib/sandbox/seccomp-built.c
BUILT_SOURCES = lib/sandbox/seccomp-built.c
CLEANFILES += lib/sandbox/seccomp-built.c
noinst_PROGRAMS += lib/sandbox/seccomp-bpf-gen
lib_sandbox_seccomp_bpf_gen_SOURCES = lib/sandbox/seccomp-bpf-gen.c lib/sandbox/seccomp.c \
	lib/sandbox/seccomp-list.c lib/util/error.c lib/util/xalloc.c
lib_sandbox_seccomp_bpf_gen_LDADD = $(SECCOMP_LIBS)
lib/sandbox/seccomp-built.c: lib/sandbox/seccomp-bpf-gen$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) lib/sandbox && \
	lib/sandbox/seccomp-bpf-gen$(EXEEXT) >$@.tmp && mv $@.tmp $@
else
libvcrun_a_SOURCES += lib/sandbox/seccomp-off.c
endif
