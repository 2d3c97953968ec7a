vcrun_SOURCES += \
	cmd/cli.h \
	cmd/commands.c \
	cmd/info.c \
	cmd/vcrun.c
