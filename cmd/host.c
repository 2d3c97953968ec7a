/* check and env: what an operator runs to see whether and how this host runs vcrun. */
#include <config.h>
#include "cli.h"
#include "config/load.h"
#include "config/schema.h"
#include "host/check.h"
#include "host/probe.h"
#include "qemu/arch.h"
#include "sandbox/seccomp.h"
#include "util/features.h"
#include "util/xalloc.h"

#include <dirent.h>
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

/* The QEMU binary the configuration names, when a configuration loads; NULL otherwise (check
 * then falls back to the built-in path: a host can be checked before vcrun is configured). */
static char *configured_qemu(const vc_cli *cli)
{
	vc_config_request req = {.path = cli->config_path, .hypervisor = cli->hypervisor};
	vc_error *err = NULL;
	vc_hypervisor_config *c = vc_config_load(&req, &err);
	if (!c) {
		char *msg = vc_error_format(err);
		vc_debug("check: no configuration (%s): using the built-in QEMU path", msg);
		free(msg);
		vc_error_free(err);
		return NULL;
	}
	char *p = c->hypervisor_path && *c->hypervisor_path ? xstrdup(c->hypervisor_path) : NULL;
	vc_config_free(c);
	return p;
}

int vc_cmd_check(vc_cli *cli, int argc, char **argv)
{
	struct host_opts o = {0};
	int rc = parse_host_opts("check", argc, argv, &o);
	if (rc)
		return rc;
	char *config_qemu = o.qemu ? NULL : configured_qemu(cli);
	vc_host_check_opts opts = {.root = o.host_root, .qemu_path = o.qemu ? o.qemu : config_qemu};
	vc_host_report r;
	vc_error *err = NULL;
	int crc = vc_host_check(&opts, &r, &err);
	free(config_qemu);
	if (crc < 0)
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

static json_t *env_seccomp(bool disabled_by_config)
{
	json_t *t = json_object();
	size_t n;
	const vc_seccomp_rule *rules = vc_seccomp_deny_list(&n);
	json_object_set_new(t, "available", json_boolean(vc_seccomp_available()));
	/* whether `create` would load the filter: built with libseccomp and not disable_seccomp */
	json_object_set_new(t, "enforced",
			    json_boolean(vc_seccomp_available() && !disabled_by_config));
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
	json_object_set_new(t, "cpus", json_integer(vc_host_cpu_count()));
	char *meminfo = host_root && *host_root ? xasprintf("%s/proc/meminfo", host_root)
						: xstrdup(VC_PROC_MEMINFO);
	uint64_t kb = 0;
	vc_error *err = NULL;
	if (vc_host_memtotal_kb(meminfo, &kb, &err) == 0)
		json_object_set_new(t, "memory_total_mib", json_integer((json_int_t)(kb / 1024)));
	vc_error_free(err);
	free(meminfo);
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

/* The keys of the effective configuration worth a line in a bug report (TOML form); the JSON
 * form carries the whole effective configuration. */
static const char *const summary_keys[] = {
    "path",
    "kernel",
    "initrd",
    "image",
    "firmware",
    "machine_type",
    "accelerator",
    "kernel_params",
    "default_vcpus",
    "default_maxvcpus",
    "default_memory",
    "block_device_driver",
    "enable_iothreads",
    "seccompsandbox",
    "disable_seccomp",
    "enable_annotations",
    "valid_hypervisor_paths",
    NULL,
};

/* Drop-ins the loader reads: *.toml, *.yaml, *.yml in config.d beside the main file. */
static json_t *dropins_of(const char *main_file)
{
	json_t *a = json_array();
	const char *slash = strrchr(main_file, '/');
	char *dir = !slash ? xstrdup("config.d")
		    : slash == main_file
			? xstrdup("/config.d")
			: xasprintf("%.*s/config.d", (int)(slash - main_file), main_file);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			const char *dot = strrchr(de->d_name, '.');
			if (de->d_name[0] == '.' || !dot ||
			    (strcmp(dot, ".toml") && strcmp(dot, ".yaml") && strcmp(dot, ".yml")))
				continue;
			json_array_append_new(a, json_sprintf("%s/%s", dir, de->d_name));
		}
		closedir(d);
	}
	free(dir);
	/* readdir order is arbitrary; the loader applies them in byte order */
	size_t n = json_array_size(a);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(json_string_value(json_array_get(a, j - 1)),
						   json_string_value(json_array_get(a, j))) > 0;
		     j--) {
			json_t *x = json_incref(json_array_get(a, j - 1));
			json_array_set(a, j - 1, json_array_get(a, j));
			json_array_set_new(a, j, x);
		}
	return a;
}

/* [config]: the resolved file(s) and the effective configuration, or why it did not load. The
 * QEMU path the config names is returned in *qemu_path (owned) for the [hypervisor] part. */
static json_t *env_config(const vc_cli *cli, char **qemu_path)
{
	json_t *t = json_object();
	vc_config_request req = {.path = cli->config_path, .hypervisor = cli->hypervisor};
	vc_error *err = NULL;
	vc_hypervisor_config *c = vc_config_load(&req, &err);
	if (!c) {
		char *msg = vc_error_format(err);
		vc_warn("env: the configuration did not load: %s", msg);
		json_object_set_new(t, "loaded", json_false());
		json_object_set_new(t, "error", json_string(msg));
		free(msg);
		vc_error_free(err);
		return t;
	}
	json_object_set_new(t, "loaded", json_true());
	json_object_set_new(t, "file", json_string(c->source_file ? c->source_file : ""));
	json_object_set_new(t, "dropins", dropins_of(c->source_file ? c->source_file : ""));
	json_object_set_new(t, "hypervisor",
			    json_string(c->hypervisor_name ? c->hypervisor_name : ""));
	if (c->hypervisor_path && *c->hypervisor_path)
		*qemu_path = xstrdup(c->hypervisor_path);
	char *dump = vc_config_dump(c, "json", &err);
	json_t *eff = dump ? json_loads(dump, 0, NULL) : NULL;
	free(dump);
	vc_error_free(err);
	json_t *table = json_object_get(json_object_get(eff, "hypervisor"), c->hypervisor_name);
	for (const char *const *k = summary_keys; table && *k; k++) {
		json_t *v = json_object_get(table, *k);
		if (v)
			json_object_set(t, *k, v);
	}
	if (eff)
		json_object_set_new(t, "effective", eff);
	vc_config_free(c);
	return t;
}

int vc_cmd_env(vc_cli *cli, int argc, char **argv)
{
	struct host_opts o = {0};
	int rc = parse_host_opts("env", argc, argv, &o);
	if (rc)
		return rc;
	/* The QEMU to report on: --qemu, else the configuration's, else the built-in one. */
	char *config_qemu = NULL;
	json_t *config = env_config(cli, &config_qemu);
	vc_host_check_opts opts = {.root = o.host_root,
				   .qemu_path = o.qemu	      ? o.qemu
						: config_qemu ? config_qemu
							      : VC_DEFAULT_QEMU_PATH};
	vc_host_report r;
	vc_error *err = NULL;
	if (vc_host_check(&opts, &r, &err) < 0) {
		json_decref(config);
		free(config_qemu);
		return vc_cli_fail(err);
	}

	json_t *env = json_object();
	json_object_set_new(env, "runtime", env_runtime(cli));
	json_object_set_new(env, "config", config);
	json_t *hv = json_object();
	const char *qemu = opts.qemu_path;
	json_object_set_new(hv, "path", json_string(qemu));
	json_object_set_new(hv, "version",
			    r.qemu_version ? json_string(r.qemu_version) : json_null());
	/* The arch's default kernel parameters; the builder adds the console= items that match the
	 * devices it creates, then the configuration's kernel_params (last wins in the kernel). */
	const vc_arch *arch = vc_arch_host();
	json_object_set_new(hv, "arch", json_string(arch->name));
	json_t *kp = json_array();
	for (const char *const *p = arch->kernel_params; p && *p; p++)
		json_array_append_new(kp, json_string(*p));
	json_object_set_new(hv, "default_kernel_params", kp);
	json_object_set_new(env, "hypervisor", hv);
	json_object_set_new(env, "host", env_host(&r, o.host_root));
	json_object_set_new(env, "seccomp",
			    env_seccomp(json_is_true(json_object_get(config, "disable_seccomp"))));
	vc_host_report_free(&r);
	free(config_qemu);

	if (o.json)
		return print_json(env);
	print_toml(env);
	json_decref(env);
	return VC_EXIT_OK;
}
