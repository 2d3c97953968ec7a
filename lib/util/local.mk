libvcrun_a_SOURCES += \
	lib/util/argv.c lib/util/argv.h \
	lib/util/cleanup.h \
	lib/util/error.c lib/util/error.h \
	lib/util/features.c lib/util/features.h \
	lib/util/log.c lib/util/log.h \
	lib/util/xalloc.c lib/util/xalloc.h

# SHA-512 for asset integrity (security issue)
libvcrun_a_SOURCES += lib/util/sha512.c lib/util/sha512.h
