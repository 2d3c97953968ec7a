/* The steps of vcrun's main, callable without main so that tests/fuzz/fuzz-args.c can drive the
 * same command-line parsing. */
#ifndef VC_CMD_GLOBALS_H
#define VC_CMD_GLOBALS_H

#include <stdbool.h>
#include <stdio.h>
#include "cli.h"

/* Parses global options up to the command name into cli (strings it owns; --log-format and
 * --log-level values point into argv). Returns the index of the command in argv, argc when
 * there is none, -1 after printing help/version (exit 0) or -2 on a usage error. */
int vc_cli_parse_globals(vc_cli *cli, int argc, char **argv, const char **log_format,
			 const char **log_level);
/* Applies --log-format/--log-level/--debug and opens the log; prints the error and returns -1. */
int vc_cli_setup_logging(vc_cli *cli, const char *log_format, const char *log_level);
/* True when a command's arguments ask for --help (before any "--"). */
bool vc_cli_wants_help(int argc, char **argv);
/* $XDG_RUNTIME_DIR/vcrun, else /run/vcrun. Caller frees. */
char *vc_cli_default_root(void);
/* The global usage text and the command list. */
void vc_cli_print_usage(FILE *out);
void vc_cli_free(vc_cli *cli);

#endif
