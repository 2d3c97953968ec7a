/* version and features: what this build is and what it supports. */
#include <config.h>
#include "cli.h"
#include "util/features.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int vc_cmd_version(vc_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 1)
		return vc_cli_usage_error("version", "unexpected argument '%s'", argv[1]);
	printf("vcrun version %s\n", PACKAGE_VERSION);
	printf("commit: %s\n", VC_GIT_COMMIT);
	printf("features:");
	for (const char *const *f = vc_build_features(); *f; f++)
		printf(" %s", *f);
	printf("\n");
	return VC_EXIT_OK;
}

static json_t *string_array(const char *const *items)
{
	json_t *a = json_array();
	for (; items && *items; items++)
		json_array_append_new(a, json_string(*items));
	return a;
}

int vc_cmd_features(vc_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 1)
		return vc_cli_usage_error("features", "unexpected argument '%s'", argv[1]);
	json_t *o = json_object();
	json_object_set_new(o, "ociVersionMin", json_string("1.0.0"));
	json_object_set_new(o, "ociVersionMax", json_string("1.1.0"));
	json_t *cmds = json_array();
	for (size_t i = 0; i < vc_commands_count; i++)
		json_array_append_new(cmds, json_string(vc_commands[i].name));
	json_object_set_new(o, "subcommands", cmds);
	json_object_set_new(o, "hypervisors", string_array(vc_features_hypervisors()));
	json_object_set_new(o, "configFormats", string_array(vc_features_config_formats()));
	json_object_set_new(o, "annotations", string_array(vc_features_annotations()));
	json_object_set_new(o, "buildFeatures", string_array(vc_build_features()));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return VC_EXIT_FAILURE;
	puts(s);
	free(s);
	return VC_EXIT_OK;
}
