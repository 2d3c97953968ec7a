libvcrun_a_SOURCES += \
	lib/config/config.c lib/config/config.h \
	lib/config/doc.c lib/config/doc.h \
	lib/config/params.c lib/config/params.h
libvcrun_a_SOURCES += \
	lib/config/yaml.c lib/config/yaml.h \
	lib/config/schema.c lib/config/schema.h \
	lib/config/load.c lib/config/load.h
# The TOML decoder's header, which the loader includes (listed with its source by [2/8]).
EXTRA_DIST += lib/config/toml.h
