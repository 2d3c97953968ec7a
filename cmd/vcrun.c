/* vcrun: global options, then dispatch to the command table. Everything else is in lib/. */
#include <config.h>
#include "cli.h"
#include "globals.h"
#include "hv/hv.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int main(int argc, char **argv)
{
	vc_cli cli = {0};
	const char *log_format = NULL, *log_level = NULL;
	int ret;

	/* jansson seeds its hash function from /dev/urandom (open, read, close) on first use; one
	 * getrandom call does the same. A seed of 0 lets jansson fall back to its own. */
	uint32_t seed = 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed) && seed)
		json_object_seed(seed);

	/* The mock backend's fake hypervisor (lib/hv/mock_vm.c): hidden, not a user command. */
	if (argc > 1 && strcmp(argv[1], "__mock-vm") == 0)
		return vc_mock_vm_main(argc - 1, argv + 1);

	int cmd_index = vc_cli_parse_globals(&cli, argc, argv, &log_format, &log_level);
	if (cmd_index < 0) {
		ret = cmd_index == -1 ? VC_EXIT_OK : VC_EXIT_USAGE;
		goto out;
	}
	if (vc_cli_setup_logging(&cli, log_format, log_level) < 0) {
		ret = VC_EXIT_USAGE;
		goto out;
	}
	if (!cli.root)
		cli.root = vc_cli_default_root();
	if (!cli.config_path && getenv("VCRUN_CONFIG") && *getenv("VCRUN_CONFIG"))
		cli.config_path = xstrdup(getenv("VCRUN_CONFIG"));

	if (cmd_index >= argc) {
		vc_cli_print_usage(stderr);
		ret = vc_cli_usage_error(NULL, "no command given");
		goto out;
	}
	const char *name = argv[cmd_index];
	const vc_command *cmd = vc_command_find(name);
	if (!cmd) {
		ret = vc_cli_usage_error(NULL, "unknown command '%s' (see 'vcrun help')", name);
		goto out;
	}
	int sub_argc = argc - cmd_index;
	char **sub_argv = argv + cmd_index;
	if (vc_cli_wants_help(sub_argc, sub_argv)) {
		fputs(cmd->usage, stdout);
		ret = VC_EXIT_OK;
		goto out;
	}
	vc_debug("running command '%s' with root '%s'", name, cli.root);
	optind = 0;
	ret = cmd->fn(&cli, sub_argc, sub_argv);
out:
	fflush(stdout);
	vc_log_close();
	vc_cli_free(&cli);
	return ret;
}
