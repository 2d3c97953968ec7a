# lib/host: owned by its issue; see Makefile.am

# host checks (security issue)
libvcrun_a_SOURCES += lib/host/check.c lib/host/check.h
libvcrun_a_SOURCES += \
	lib/host/probe.c lib/host/probe.h
