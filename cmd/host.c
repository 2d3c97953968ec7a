/* check and env: what an operator runs to see whether and how this host runs vcrun. */
#include "config.h"
#include "cli.h"
#include "host/check.h"
#include "sandbox/seccomp.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *report_json(const vc_host_report *r)
{
	json_t *checks = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s}", "name", r->items[i].name,
							"status",
							vc_check_status_name(r->items[i].status),
							"detail", r->items[i].detail));
	return json_pack("{s:o, s:b, s:b, s:b, s:s?, s:s?, s:s?, s:s}", "checks", checks, "canRun",
			 r->can_run, "kvm", r->kvm, "nested", r->nested, "cpuVendor",
			 r->cpu_vendor, "cpuModel", r->cpu_model, "qemuVersion", r->qemu_version,
			 "verdict", r->verdict);
}

static int print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return VC_EXIT_FAILURE;
	puts(s);
	free(s);
	return VC_EXIT_OK;
}

/* Options shared by check and env. */
struct host_opts {
	bool json;
	const char *host_root;
	const char *qemu;
};

static int parse_host_opts(const char *cmd, int argc, char **argv, struct host_opts *o)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"host-root", required_argument, NULL, 'r'},
		{"qemu", required_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->host_root = optarg;
			break;
		case 'q':
			o->qemu = optarg;
			break;
		case ':':
			return vc_cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return vc_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return vc_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int vc_cmd_check(vc_cli *cli, int argc, char **argv)
{
	(void)cli;
	struct host_opts o = {0};
	int rc = parse_host_opts("check", argc, argv, &o);
	if (rc)
		return rc;
	vc_host_check_opts opts = {.root = o.host_root, .qemu_path = o.qemu};
	vc_host_report r;
	vc_error *err = NULL;
	if (vc_host_check(&opts, &r, &err) < 0)
		return vc_cli_fail(err);
	int ret = r.can_run ? VC_EXIT_OK : VC_EXIT_FAILURE;
	if (o.json) {
		if (print_json(report_json(&r)) != VC_EXIT_OK)
			ret = VC_EXIT_FAILURE;
	} else {
		for (size_t i = 0; i < r.n; i++)
			printf("%-8s %-20s %s\n", vc_check_status_name(r.items[i].status),
			       r.items[i].name, r.items[i].detail);
		printf("verdict: %s\n", r.verdict);
	}
	vc_host_report_free(&r);
	return ret;
}
