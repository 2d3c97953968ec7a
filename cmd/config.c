/* vcrun config validate | show: load the configuration the way `create` does and report. */
#include <config.h>
#include "asset_opts.h"
#include "cli.h"
#include "config/load.h"
#include "config/schema.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_FORMAT = 256,
};

static const struct option config_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    VC_ASSET_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* Compiler-style lines, one per error: "FILE:LINE:COL: error: msg". */
static int report(vc_error *err)
{
	for (const vc_error *e = err; e; e = e->next) {
		if (e->file && e->line > 0)
			fprintf(stderr, "%s:%d:%d: error: %s\n", e->file, e->line, e->col, e->msg);
		else if (e->file)
			fprintf(stderr, "%s: error: %s\n", e->file, e->msg);
		else
			fprintf(stderr, "vcrun: error: %s\n", e->msg);
	}
	int code = err && err->code == VC_ERR_USAGE ? VC_EXIT_USAGE : VC_EXIT_FAILURE;
	vc_error_free(err);
	return code;
}

int vc_cmd_config(vc_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return vc_cli_usage_error("config", "expected 'validate' or 'show'");
	const char *sub = argv[1];
	bool show = strcmp(sub, "show") == 0;
	if (!show && strcmp(sub, "validate") != 0)
		return vc_cli_usage_error("config", "unknown subcommand '%s' (validate or show)",
					  sub);

	vc_config_request req = {.path = cli->config_path, .hypervisor = cli->hypervisor};
	const char *format = "json";
	opterr = 0;
	optind = 1;
	int c;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, ":", config_options, NULL)) != -1) {
		if (vc_cli_asset_option(c, optarg, &req))
			continue;
		switch (c) {
		case OPT_FORMAT:
			if (!show)
				return vc_cli_usage_error("config validate",
							  "--format is for 'show'");
			format = optarg;
			break;
		case ':':
			return vc_cli_usage_error(show ? "config show" : "config validate",
						  "option '%s' needs a value", argv[optind - 1]);
		default:
			return vc_cli_usage_error(show ? "config show" : "config validate",
						  "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return vc_cli_usage_error(show ? "config show" : "config validate",
					  "unexpected argument '%s'", argv[optind]);
	if (show && strcmp(format, "json") != 0 && strcmp(format, "toml") != 0 &&
	    strcmp(format, "yaml") != 0)
		return vc_cli_usage_error("config show", "unknown format '%s' (json, toml or yaml)",
					  format);

	/* show describes the configuration, it works where the assets are absent; validate
	 * checks it against this host as create would. */
	req.check_host = !show;
	vc_error *err = NULL;
	vc_hypervisor_config *conf = vc_config_load(&req, &err);
	if (!conf)
		return report(err);
	int ret = VC_EXIT_OK;
	if (show) {
		char *out = vc_config_dump(conf, format, &err);
		if (out) {
			fputs(out, stdout);
			free(out);
		} else {
			ret = report(err);
		}
	}
	vc_config_free(conf);
	return ret;
}
