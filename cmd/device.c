/* device add|remove|list and update --vcpus: hotplug on a created sandbox. */
#include <config.h>
#include "cli.h"
#include "sandbox/lifecycle.h"
#include "util/cleanup.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int device_add(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"drive", required_argument, NULL, 'd'},
					     {NULL, 0, NULL, 0}};
	const char *spec = NULL;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'd')
			spec = optarg;
		else if (c == ':')
			return vc_cli_usage_error("device add", "option '%s' needs a value",
						  argv[optind - 1]);
		else
			return vc_cli_usage_error("device add", "unknown option '%s'",
						  argv[optind - 1]);
	}
	if (optind >= argc)
		return vc_cli_usage_error("device add", "missing sandbox id");
	if (optind + 1 < argc)
		return vc_cli_usage_error("device add", "unexpected argument '%s'",
					  argv[optind + 1]);
	if (!spec)
		return vc_cli_usage_error("device add", "--drive SPEC is required");
	const char *id = argv[optind];
	vc_error *err = NULL;
	vc_drive_spec d = {0};
	if (vc_drive_spec_parse(spec, &d, &err) < 0)
		return vc_cli_fail(err);
	cleanup_free char *dev = NULL;
	int r = vc_lc_device_add(cli->root, id, &d, &dev, &err);
	vc_drive_spec_clear(&d);
	if (r < 0)
		return vc_cli_fail(err);
	printf("%s\n", dev);
	return VC_EXIT_OK;
}

static int device_remove(vc_cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return vc_cli_usage_error("device remove", "expected ID DEVICE");
	vc_error *err = NULL;
	if (vc_lc_device_remove(cli->root, argv[1], argv[2], &err) < 0)
		return vc_cli_fail(err);
	return VC_EXIT_OK;
}

static int device_list(vc_cli *cli, int argc, char **argv)
{
	bool json = false;
	int i = 1;
	if (i < argc && strcmp(argv[i], "--json") == 0) {
		json = true;
		i++;
	}
	if (i + 1 != argc)
		return vc_cli_usage_error("device list", "expected [--json] ID");
	vc_error *err = NULL;
	json_t *a = vc_lc_device_list(cli->root, argv[i], &err);
	if (!a)
		return vc_cli_fail(err);
	if (json) {
		char *s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "[]");
		free(s);
	} else {
		printf("%-12s %-15s %-10s %s\n", "DEVICE", "DRIVER", "PLUGGED", "PATH");
		size_t k;
		json_t *d;
		json_array_foreach(a, k, d)
		{
			printf("%-12s %-15s %-10s %s\n",
			       json_string_value(json_object_get(d, "id")),
			       json_string_value(json_object_get(d, "driver")),
			       json_is_true(json_object_get(d, "hotplugged")) ? "hot" : "cold",
			       json_string_value(json_object_get(d, "path")));
		}
	}
	json_decref(a);
	return VC_EXIT_OK;
}

int vc_cmd_device(vc_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return vc_cli_usage_error("device", "expected add, remove or list");
	if (strcmp(argv[1], "add") == 0)
		return device_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0 || strcmp(argv[1], "rm") == 0)
		return device_remove(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "ls") == 0)
		return device_list(cli, argc - 1, argv + 1);
	return vc_cli_usage_error(
	    "device", "unknown subcommand '%s' (expected add, remove or list)", argv[1]);
}

int vc_cmd_update(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"vcpus", required_argument, NULL, 'c'},
					     {NULL, 0, NULL, 0}};
	long vcpus = -1;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'c') {
			char *end;
			vcpus = strtol(optarg, &end, 10);
			if (*end || vcpus < 1 || vcpus > 4096)
				return vc_cli_usage_error("update", "--vcpus '%s' is not a count",
							  optarg);
		} else if (c == ':') {
			return vc_cli_usage_error("update", "option '%s' needs a value",
						  argv[optind - 1]);
		} else {
			return vc_cli_usage_error("update", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return vc_cli_usage_error("update", "expected one sandbox id");
	if (vcpus < 0)
		return vc_cli_usage_error("update", "nothing to update (use --vcpus N)");
	vc_error *err = NULL;
	if (vc_lc_update_vcpus(cli->root, argv[optind], (uint32_t)vcpus, &err) < 0)
		return vc_cli_fail(err);
	return VC_EXIT_OK;
}
