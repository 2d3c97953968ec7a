vcrun_SOURCES += \
	cmd/asset_opts.c \
	cmd/asset_opts.h \
	cmd/cli.c \
	cmd/cli.h \
	cmd/globals.h \
	cmd/commands.c \
	cmd/config.c \
	cmd/device.c \
	cmd/info.c \
	cmd/lifecycle.c \
	cmd/qemu_args.c \
	cmd/vcrun.c

# host commands (security issue)
vcrun_SOURCES += cmd/host.c
