/* The command table: name, handler, one-line summary and help text. */
#include "config.h"
#include "cli.h"

#include <string.h>

const vc_command vc_commands[] = {
	{"features", vc_cmd_features, "print the features of this build as JSON",
	 "Usage: vcrun features\n"
	 "\n"
	 "Prints a JSON object: subcommands, hypervisors, config formats and supported\n"
	 "annotations, in the spirit of runc's features command.\n"},
	{"help", vc_cmd_help, "show help for vcrun or one command",
	 "Usage: vcrun help [COMMAND]\n"},
	{"version", vc_cmd_version, "print version, commit and compiled-in features",
	 "Usage: vcrun version\n"},
};

const size_t vc_commands_count = sizeof(vc_commands) / sizeof(vc_commands[0]);

const vc_command *vc_command_find(const char *name)
{
	for (size_t i = 0; i < vc_commands_count; i++)
		if (strcmp(vc_commands[i].name, name) == 0)
			return &vc_commands[i];
	return NULL;
}
