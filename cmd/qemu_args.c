/* vcrun qemu-args: print the QEMU argv `create` would execute for an id under --root, as one
 * shell-quoted line or a JSON array. Nothing is started and nothing is written. */
#include <config.h>
#include "asset_opts.h"
#include "cli.h"
#include "config/load.h"
#include "host/probe.h"
#include "qemu/builder.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_JSON = 256,
	OPT_ARCH,
	OPT_DRIVE,
};

static const struct option qemu_args_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"arch", required_argument, NULL, OPT_ARCH},
    {"drive", required_argument, NULL, OPT_DRIVE},
    VC_ASSET_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

typedef struct drives {
	vc_drive_spec *v;
	size_t n;
} drives;

static void drives_free(drives *d)
{
	for (size_t i = 0; i < d->n; i++)
		vc_drive_spec_clear(&d->v[i]);
	free(d->v);
}

static int print_argv(const vc_argv *argv, bool as_json)
{
	if (!as_json) {
		cleanup_free char *line = vc_argv_quote(argv);
		puts(line);
		return VC_EXIT_OK;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < argv->n; i++)
		json_array_append_new(a, json_string(argv->v[i]));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		return VC_EXIT_FAILURE;
	puts(s);
	free(s);
	return VC_EXIT_OK;
}

static int run(vc_cli *cli, const vc_config_request *req, const char *arch, const drives *d,
	       const char *id, bool as_json)
{
	vc_error *err = NULL;
	vc_hypervisor_config *conf = vc_config_load(req, &err);
	if (!conf)
		return vc_cli_fail(err);
	cleanup_free char *dir = xasprintf("%s/%s", cli->root, id);
	vc_qemu_request qreq = {
	    .config = conf,
	    .arch = arch,
	    .id = id,
	    .sandbox_dir = dir,
	    .drives = d->v,
	    .n_drives = d->n,
	    .host_is_vm = vc_host_is_vm(),
	};
	vc_argv argv = VC_ARGV_INIT;
	int rc = vc_qemu_build_argv(&qreq, &argv, &err);
	vc_config_free(conf);
	if (rc < 0)
		return vc_cli_fail(err);
	rc = print_argv(&argv, as_json);
	vc_argv_free(&argv);
	return rc;
}

int vc_cmd_qemu_args(vc_cli *cli, int argc, char **argv)
{
	vc_config_request req = {.path = cli->config_path, .hypervisor = cli->hypervisor};
	const char *arch = NULL;
	bool as_json = false;
	drives d = {NULL, 0};
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", qemu_args_options, NULL)) != -1) {
		if (vc_cli_asset_option(c, optarg, &req))
			continue;
		switch (c) {
		case OPT_JSON:
			as_json = true;
			break;
		case OPT_ARCH:
			arch = optarg;
			break;
		case OPT_DRIVE: {
			vc_error *err = NULL;
			d.v = xreallocarray(d.v, d.n + 1, sizeof(*d.v));
			if (vc_drive_spec_parse(optarg, &d.v[d.n], &err) < 0) {
				drives_free(&d);
				return vc_cli_fail(err);
			}
			d.n++;
			break;
		}
		case ':':
			drives_free(&d);
			return vc_cli_usage_error("qemu-args", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			drives_free(&d);
			return vc_cli_usage_error("qemu-args", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind + 1 != argc) {
		drives_free(&d);
		if (optind >= argc)
			return vc_cli_usage_error("qemu-args", "expected a sandbox ID");
		return vc_cli_usage_error("qemu-args", "unexpected argument '%s'",
					  argv[optind + 1]);
	}
	/* like create: the assets must exist, the image size is read for an nvdimm */
	req.check_host = true;
	int rc = run(cli, &req, arch, &d, argv[optind], as_json);
	drives_free(&d);
	return rc;
}
