/* libFuzzer target for vcrun's command-line parsing: the input is an argument vector (arguments
 * separated by newlines, argv[0] supplied), run through the same steps as main() in cmd/vcrun.c:
 * global options, logging options, command lookup, --help, then the command's own option
 * parsing for the commands that only read (help, version, features, config, qemu-args).
 * Commands that create or change sandboxes or probe the host are looked up but not run.
 *
 * Nothing is written: the target refuses inputs with a '/' in an argument (so only names in the
 * current directory can reach a file open, and those only to be read), ignores --log and sends
 * stdout to /dev/null. Checked invariants: the parser returns -2, -1 or an
 * index inside argv; a handler returns 0, 1 or 2; nothing crashes or leaks (ASan, UBSan).
 *
 * Replay: `fuzz-args FILE...` (libFuzzer). Seeds: tests/fuzz/corpus/args/. */
#include <config.h>

#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cmd/cli.h"
#include "../../cmd/globals.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static const char *const runnable[] = {"config", "features", "help", "qemu-args", "version"};

static bool is_runnable(const char *name)
{
	for (size_t i = 0; i < sizeof(runnable) / sizeof(runnable[0]); i++)
		if (strcmp(runnable[i], name) == 0)
			return true;
	return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		abort();
	close(null);
	unsetenv("VCRUN_CONFIG");
	unsetenv("XDG_RUNTIME_DIR");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096 || memchr(data, '/', size) || memchr(data, '\0', size))
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';

	char *argv[MAX_ARGS + 2];
	int argc = 0;
	argv[argc++] = "vcrun";
	for (char *p = buf; argc <= MAX_ARGS;) {
		argv[argc++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;

	vc_cli cli = {0};
	const char *log_format = NULL, *log_level = NULL;
	int idx = vc_cli_parse_globals(&cli, argc, argv, &log_format, &log_level);
	if (idx < -2 || idx == 0 || idx > argc)
		abort();
	if (idx < 0 || idx == argc)
		goto out;
	/* Nothing is written anywhere: the log goes to stderr, at most at error level. */
	free(cli.log_path);
	cli.log_path = NULL;
	if (vc_cli_setup_logging(&cli, log_format, log_level) < 0)
		goto out;
	vc_log_open(NULL, VC_LOG_TEXT, VC_LOG_ERROR, NULL);
	if (!cli.root)
		cli.root = vc_cli_default_root();

	const vc_command *cmd = vc_command_find(argv[idx]);
	if (!cmd || vc_cli_wants_help(argc - idx, argv + idx) || !is_runnable(cmd->name))
		goto out;
	optind = 0;
	int ret = cmd->fn(&cli, argc - idx, argv + idx);
	if (ret != VC_EXIT_OK && ret != VC_EXIT_FAILURE && ret != VC_EXIT_USAGE)
		abort();
out:
	fflush(stdout);
	vc_log_close();
	vc_cli_free(&cli);
	free(buf);
	return 0;
}
