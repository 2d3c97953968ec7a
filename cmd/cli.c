/* The CLI plumbing shared by vcrun's main and the fuzz-args target: global options, help,
 * logging setup and the error helpers. main() itself is in vcrun.c. */
#include <config.h>
#include "cli.h"
#include "globals.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char global_usage[] =
    "Usage: vcrun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "A VM runtime for containers: boots each sandbox as a QEMU virtual machine.\n"
    "\n"
    "Global options:\n"
    "  --root DIR             state directory (default $XDG_RUNTIME_DIR/vcrun, else /run/vcrun)\n"
    "  --config FILE          configuration file (also VCRUN_CONFIG)\n"
    "  --hypervisor NAME      use the [hypervisor.NAME] table (qemu or mock)\n"
    "  --log FILE             write log lines to FILE (default stderr)\n"
    "  --log-format FORMAT    text or json\n"
    "  --log-level LEVEL      error, warning, info or debug (default warning)\n"
    "  --debug                same as --log-level debug\n"
    "  --systemd-cgroup       accepted for runc compatibility, ignored\n"
    "  --rootless VALUE       accepted for runc compatibility, ignored\n"
    "  -v, --version          print the version and exit\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage error.\n";

int vc_cli_fail(vc_error *err)
{
	int code = err && err->code == VC_ERR_USAGE ? VC_EXIT_USAGE : VC_EXIT_FAILURE;
	vc_log_error_chain(err);
	vc_error_free(err);
	return code;
}

int vc_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (cmd)
		vc_log(VC_LOG_ERROR, "%s: %s", cmd, msg);
	else
		vc_log(VC_LOG_ERROR, "%s", msg);
	free(msg);
	return VC_EXIT_USAGE;
}

static void print_command_list(FILE *out)
{
	fputs("\nCommands:\n", out);
	for (size_t i = 0; i < vc_commands_count; i++)
		fprintf(out, "  %-16s %s\n", vc_commands[i].name, vc_commands[i].summary);
	fputs("\nRun 'vcrun help COMMAND' for the options of one command.\n", out);
}

void vc_cli_print_usage(FILE *out)
{
	fputs(global_usage, out);
	print_command_list(out);
}

int vc_cmd_help(vc_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 2)
		return vc_cli_usage_error("help", "expected at most one command name");
	if (argc == 2) {
		const vc_command *c = vc_command_find(argv[1]);
		if (!c)
			return vc_cli_usage_error("help", "unknown command '%s'", argv[1]);
		fputs(c->usage, stdout);
		return VC_EXIT_OK;
	}
	fputs(global_usage, stdout);
	print_command_list(stdout);
	return VC_EXIT_OK;
}

char *vc_cli_default_root(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg && *xdg)
		return xasprintf("%s/vcrun", xdg);
	return xstrdup("/run/vcrun");
}

enum {
	OPT_ROOT = 256,
	OPT_CONFIG,
	OPT_HYPERVISOR,
	OPT_LOG,
	OPT_LOG_FORMAT,
	OPT_LOG_LEVEL,
	OPT_DEBUG,
	OPT_SYSTEMD_CGROUP,
	OPT_ROOTLESS,
};

static const struct option global_options[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"hypervisor", required_argument, NULL, OPT_HYPERVISOR},
    {"log", required_argument, NULL, OPT_LOG},
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
    {"debug", no_argument, NULL, OPT_DEBUG},
    {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
    {"rootless", required_argument, NULL, OPT_ROOTLESS},
    {"version", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int vc_cli_parse_globals(vc_cli *cli, int argc, char **argv, const char **log_format,
			 const char **log_level)
{
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:vh", global_options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT:
			free(cli->root);
			cli->root = xstrdup(optarg);
			break;
		case OPT_CONFIG:
			free(cli->config_path);
			cli->config_path = xstrdup(optarg);
			break;
		case OPT_HYPERVISOR:
			free(cli->hypervisor);
			cli->hypervisor = xstrdup(optarg);
			break;
		case OPT_LOG:
			free(cli->log_path);
			cli->log_path = xstrdup(optarg);
			break;
		case OPT_LOG_FORMAT:
			*log_format = optarg;
			break;
		case OPT_LOG_LEVEL:
			*log_level = optarg;
			break;
		case OPT_DEBUG:
			cli->debug = true;
			break;
		case OPT_SYSTEMD_CGROUP:
		case OPT_ROOTLESS:
			break; /* runc compatibility: accepted, no effect on a VM runtime */
		case 'v':
			vc_cmd_version(cli, 0, NULL);
			return -1;
		case 'h':
			vc_cmd_help(cli, 1, NULL);
			return -1;
		case ':':
			fprintf(stderr, "vcrun: option '%s' needs a value\n", argv[optind - 1]);
			return -2;
		default:
			fprintf(stderr, "vcrun: unknown global option '%s'\n", argv[optind - 1]);
			return -2;
		}
	}
	return optind;
}

int vc_cli_setup_logging(vc_cli *cli, const char *log_format, const char *log_level)
{
	cleanup_error vc_error *err = NULL;
	cli->log_format = VC_LOG_TEXT;
	cli->log_level = VC_LOG_WARNING;
	if (log_format && vc_log_parse_format(log_format, &cli->log_format, &err) < 0)
		goto fail;
	if (log_level && vc_log_parse_level(log_level, &cli->log_level, &err) < 0)
		goto fail;
	if (cli->debug)
		cli->log_level = VC_LOG_DEBUG;
	if (vc_log_open(cli->log_path, cli->log_format, cli->log_level, &err) < 0)
		goto fail;
	return 0;
fail:
	/* The requested log destination may be what failed: report on stderr as text. */
	fprintf(stderr, "vcrun: %s\n", err->msg);
	return -1;
}

bool vc_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

void vc_cli_free(vc_cli *cli)
{
	free(cli->root);
	free(cli->config_path);
	free(cli->hypervisor);
	free(cli->log_path);
}
