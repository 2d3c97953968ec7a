libvcrun_a_SOURCES += \
	lib/host/probe.c lib/host/probe.h
