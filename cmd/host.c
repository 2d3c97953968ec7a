/* check and env: what an operator runs to see whether and how this host runs vcrun. */
#include "config.h"
#include "cli.h"
#include "host/check.h"
#include "sandbox/seccomp.h"
#include "util/features.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static json_t *report_json(const vc_host_report *r)
{
	json_t *checks = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(checks,
				      json_pack("{s:s, s:s, s:s}", "name", r->items[i].name,
						"status", vc_check_status_name(r->items[i].status),
						"detail", r->items[i].detail));
	return json_pack("{s:o, s:b, s:b, s:b, s:s?, s:s?, s:s?, s:s}", "checks", checks, "canRun",
			 r->can_run, "kvm", r->kvm, "nested", r->nested, "cpuVendor", r->cpu_vendor,
			 "cpuModel", r->cpu_model, "qemuVersion", r->qemu_version, "verdict",
			 r->verdict);
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
			return vc_cli_usage_error(cmd, "option '%s' needs a value",
						  argv[optind - 1]);
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

/* env prints TOML (as kata-env did) or JSON from one JSON object: sections of scalars and
 * arrays of strings. */
static void print_toml_value(json_t *v)
{
	if (json_is_string(v)) {
		putchar('"');
		for (const char *p = json_string_value(v); *p; p++) {
			if (*p == '"' || *p == '\\')
				printf("\\%c", *p);
			else if ((unsigned char)*p < 0x20)
				printf("\\u%04x", (unsigned char)*p);
			else
				putchar(*p);
		}
		putchar('"');
	} else if (json_is_true(v) || json_is_false(v)) {
		fputs(json_is_true(v) ? "true" : "false", stdout);
	} else if (json_is_integer(v)) {
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		putchar('[');
		json_array_foreach(v, i, e)
		{
			if (i)
				fputs(", ", stdout);
			print_toml_value(e);
		}
		putchar(']');
	}
}

static void print_toml(json_t *o)
{
	const char *section;
	json_t *table;
	bool first = true;
	json_object_foreach(o, section, table)
	{
		printf("%s[%s]\n", first ? "" : "\n", section);
		first = false;
		const char *key;
		json_t *v;
		json_object_foreach(table, key, v)
		{
			if (json_is_null(v) || json_is_object(v))
				continue; /* TOML has no null; nested tables are JSON-only */
			printf("  %s = ", key);
			print_toml_value(v);
			putchar('\n');
		}
	}
}

static json_t *string_list(const char *const *items)
{
	json_t *a = json_array();
	for (; items && *items; items++)
		json_array_append_new(a, json_string(*items));
	return a;
}

static json_t *env_runtime(const vc_cli *cli)
{
	json_t *t = json_object();
	json_object_set_new(t, "name", json_string(PACKAGE_NAME));
	json_object_set_new(t, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(t, "commit", json_string(VC_GIT_COMMIT));
	json_object_set_new(t, "features", string_list(vc_build_features()));
	json_object_set_new(t, "root", json_string(cli->root ? cli->root : ""));
	return t;
}

static json_t *env_seccomp(void)
{
	json_t *t = json_object();
	size_t n;
	const vc_seccomp_rule *rules = vc_seccomp_deny_list(&n);
	json_object_set_new(t, "available", json_boolean(vc_seccomp_available()));
	json_object_set_new(t, "default_action", json_string("allow"));
	json_object_set_new(t, "denied_errno", json_string("EPERM"));
	json_t *names = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(names, json_string(rules[i].name));
	json_object_set_new(t, "denied", names);
	return t;
}

static json_t *env_host(const vc_host_report *r, const char *host_root)
{
	json_t *t = json_object();
	struct utsname u;
	if (uname(&u) == 0) {
		json_object_set_new(t, "arch", json_string(u.machine));
		json_object_set_new(t, "kernel", json_string(u.release));
	}
	json_object_set_new(t, "root", json_string(host_root && *host_root ? host_root : "/"));
	json_object_set_new(t, "cpu_vendor",
			    r->cpu_vendor ? json_string(r->cpu_vendor) : json_null());
	json_object_set_new(t, "cpu_model", r->cpu_model ? json_string(r->cpu_model) : json_null());
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	json_object_set_new(t, "cpus_online", json_integer(cpus > 0 ? cpus : 0));
	json_object_set_new(t, "running_on_vmm", json_boolean(r->nested));
	json_object_set_new(t, "kvm", json_boolean(r->kvm));
	json_object_set_new(t, "can_run", json_boolean(r->can_run));
	json_object_set_new(t, "verdict", json_string(r->verdict));
	json_t *problems = json_array();
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].status != VC_CHECK_OK)
			json_array_append_new(problems,
					      json_sprintf("%s: %s: %s", r->items[i].name,
							   vc_check_status_name(r->items[i].status),
							   r->items[i].detail));
	json_object_set_new(t, "check_warnings", problems);
	return t;
}

int vc_cmd_env(vc_cli *cli, int argc, char **argv)
{
	struct host_opts o = {0};
	int rc = parse_host_opts("env", argc, argv, &o);
	if (rc)
		return rc;
	vc_host_check_opts opts = {.root = o.host_root, .qemu_path = o.qemu};
	vc_host_report r;
	vc_error *err = NULL;
	if (vc_host_check(&opts, &r, &err) < 0)
		return vc_cli_fail(err);

	json_t *env = json_object();
	json_object_set_new(env, "runtime", env_runtime(cli));
	json_t *hv = json_object();
	const char *qemu = o.qemu ? o.qemu : VC_DEFAULT_QEMU_PATH;
	json_object_set_new(hv, "path", json_string(qemu));
	json_object_set_new(hv, "version",
			    r.qemu_version ? json_string(r.qemu_version) : json_null());
	json_object_set_new(env, "hypervisor", hv);
	json_object_set_new(env, "host", env_host(&r, o.host_root));
	json_object_set_new(env, "seccomp", env_seccomp());
	vc_host_report_free(&r);

	if (o.json)
		return print_json(env);
	print_toml(env);
	json_decref(env);
	return VC_EXIT_OK;
}
