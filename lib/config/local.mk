libvcrun_a_SOURCES += \
	lib/config/config.c lib/config/config.h \
	lib/config/doc.c lib/config/doc.h \
	lib/config/params.c lib/config/params.h \
	lib/config/toml.c lib/config/toml.h
libvcrun_a_SOURCES += \
	lib/config/yaml.c lib/config/yaml.h \
	lib/config/schema.c lib/config/schema.h \
	lib/config/load.c lib/config/load.h
