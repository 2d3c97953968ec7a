/* Shared by the command files: the parsed global options and the command table. */
#ifndef VC_CMD_CLI_H
#define VC_CMD_CLI_H

#include <stdbool.h>
#include "util/error.h"
#include "util/log.h"

/* Exit codes: 0 success, 1 failure, 2 usage error (bad command line). */
enum { VC_EXIT_OK = 0, VC_EXIT_FAILURE = 1, VC_EXIT_USAGE = 2 };

typedef struct vc_cli {
	char *root;	   /* --root, else $XDG_RUNTIME_DIR/vcrun, else /run/vcrun */
	char *config_path; /* --config or VCRUN_CONFIG; NULL = search the default places */
	char *hypervisor;  /* --hypervisor NAME or NULL */
	char *log_path;
	vc_log_format log_format;
	vc_log_level log_level;
	bool debug;
} vc_cli;

typedef int (*vc_cmd_fn)(vc_cli *cli, int argc, char **argv);

typedef struct vc_command {
	const char *name;
	vc_cmd_fn fn;
	const char *summary;
	const char *usage; /* full help text: synopsis line(s) then options */
} vc_command;

extern const vc_command vc_commands[];
extern const size_t vc_commands_count;

const vc_command *vc_command_find(const char *name);

/* Reports an error chain through the logger and returns VC_EXIT_FAILURE (or VC_EXIT_USAGE
 * when the first error is a usage error). Frees the chain. */
int vc_cli_fail(vc_error *err);
/* One-line usage error for a command: "vcrun CMD: msg", returns VC_EXIT_USAGE. */
int vc_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Command handlers, one file per group. */
int vc_cmd_help(vc_cli *cli, int argc, char **argv);
int vc_cmd_version(vc_cli *cli, int argc, char **argv);
int vc_cmd_features(vc_cli *cli, int argc, char **argv);
/* host.c */
int vc_cmd_check(vc_cli *cli, int argc, char **argv);
int vc_cmd_env(vc_cli *cli, int argc, char **argv);
int vc_cmd_config(vc_cli *cli, int argc, char **argv);
int vc_cmd_qemu_args(vc_cli *cli, int argc, char **argv);
/* lifecycle.c */
int vc_cmd_create(vc_cli *cli, int argc, char **argv);
int vc_cmd_start(vc_cli *cli, int argc, char **argv);
int vc_cmd_state(vc_cli *cli, int argc, char **argv);
int vc_cmd_list(vc_cli *cli, int argc, char **argv);
int vc_cmd_pause(vc_cli *cli, int argc, char **argv);
int vc_cmd_resume(vc_cli *cli, int argc, char **argv);
int vc_cmd_kill(vc_cli *cli, int argc, char **argv);
int vc_cmd_ps(vc_cli *cli, int argc, char **argv);
int vc_cmd_stop(vc_cli *cli, int argc, char **argv);
int vc_cmd_delete(vc_cli *cli, int argc, char **argv);
int vc_cmd_run(vc_cli *cli, int argc, char **argv);
int vc_cmd_console(vc_cli *cli, int argc, char **argv);
/* device.c */
int vc_cmd_device(vc_cli *cli, int argc, char **argv);
int vc_cmd_update(vc_cli *cli, int argc, char **argv);

#endif
