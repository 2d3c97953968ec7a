/* Loading the configuration. The data flows one way:
 *
 *   files (main + config.d drop-ins) → document trees → the selected [hypervisor.NAME] table
 *   of each, later files overriding keys → the struct, key by key through the schema table →
 *   annotations, then command-line assets → clamps and defaults → validation → host checks.
 *
 * TOML and YAML differ only in the parser called by vc_config_parse(); every rule after that
 * is shared. Errors do not stop the load: each is chained with its file:line:col and the load
 * fails at the end when there was any. */
#include <config.h> /* autoconf's, not config/config.h beside this file */
#include "config/load.h"
#include "config/schema.h"
#include "config/toml.h"
#include "config/yaml.h"
#include "host/probe.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSTEM_CONFIG "/etc/vcrun/configuration.toml"
#define DEFAULT_CONFIG_NAME "configuration-qemu.toml"
#define MAX_CONFIG_SIZE (4 * 1024 * 1024)
#define MAX_DROPINS 256
#define ANNOTATION_PREFIX "io.katacontainers.config.hypervisor."

static const char *const hypervisor_names[] = {"qemu", "mock", NULL};
/* Tables of a Kata configuration that belong to other components. */
static const char *const foreign_tables[] = {"runtime", "agent",  "proxy", "shim",
					     "factory", "netmon", "image", NULL};
static const char *const top_level_names[] = {"hypervisor", "runtime", "agent", "proxy", "shim",
					      "factory",    "netmon",  "image", NULL};

static const struct {
	const char *name;
	vc_asset_kind kind;
} asset_keys[] = {
    {"kernel", VC_ASSET_KERNEL},     {"initrd", VC_ASSET_INITRD},   {"image", VC_ASSET_IMAGE},
    {"firmware", VC_ASSET_FIRMWARE}, {"path", VC_ASSET_HYPERVISOR},
};
static const char *const asset_option[VC_ASSET_COUNT] = {"--kernel", "--initrd", "--image",
							 "--firmware", "--hypervisor-path"};

typedef struct {
	char *path;
	vc_doc_node *root;
} loaded_file;

/* Where a key's value came from: the last file that set it. */
typedef struct {
	const vc_doc_entry *entry;
	const char *file;
} setting;

typedef struct {
	const vc_config_request *req;
	vc_error *err;
	loaded_file *files;
	size_t n_files;
	setting *set;  /* one per schema key */
	int64_t *ival; /* VC_KEY_INT values before clamping */
	vc_hypervisor_config *c;
	const char *annotation_file;  /* while applying an annotation: the bundle's config.json */
	const char *annotation_label; /* and "annotation 'NAME'" */
	unsigned host_cpus;
	uint64_t host_mem_mib; /* 0 = unknown */
} load_ctx;

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static size_t key_index(const vc_config_key *k)
{
	return (size_t)(k - vc_config_keys);
}

static const vc_config_key *key_named(const char *name)
{
	const vc_config_key *k = vc_config_key_find(name);
	if (!k)
		abort(); /* names used below are rows of the table */
	return k;
}

/* An error at the value (at_key false) or the key of a key's setting; without a setting, at
 * the main file. */
static void error_at(load_ctx *x, const setting *s, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(load_ctx *x, const setting *s, bool at_key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (x->annotation_file) {
		cleanup_free char *msg = xvasprintf(fmt, ap);
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, x->annotation_file, 0, 0, "%s: %s",
				 x->annotation_label, msg);
	} else if (s && s->entry) {
		int line = at_key ? s->entry->line : s->entry->value->line;
		int col = at_key ? s->entry->col : s->entry->value->col;
		vc_error_vset(&x->err, VC_ERR_CONFIG, 0, s->file, line, col, fmt, ap);
	} else {
		const char *file = x->n_files ? x->files[0].path : NULL;
		vc_error_vset(&x->err, VC_ERR_CONFIG, 0, file, 0, 0, fmt, ap);
	}
	va_end(ap);
}

static const setting *setting_of(load_ctx *x, const char *name)
{
	const setting *s = &x->set[key_index(key_named(name))];
	return s->entry ? s : NULL;
}

/* ---- reading and parsing ---- */

vc_config_format vc_config_detect_format(const char *filename, const char *buf, size_t len)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	if (dot && strcmp(dot, ".toml") == 0)
		return VC_CONFIG_TOML;
	if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
		return VC_CONFIG_YAML;
	/* By content: the first line that is not blank or a comment. TOML starts with a [table]
	 * or a `key = value`; YAML with `key:` or a document marker. */
	size_t i = 0;
	while (i < len) {
		while (i < len &&
		       (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
			i++;
		if (i < len && buf[i] == '#') {
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	if (i < len && buf[i] == '[')
		return VC_CONFIG_TOML;
	for (; i < len && buf[i] != '\n'; i++) {
		if (buf[i] == '=')
			return VC_CONFIG_TOML;
		if (buf[i] == ':')
			return VC_CONFIG_YAML;
	}
	return VC_CONFIG_TOML;
}

vc_doc_node *vc_config_parse(const char *buf, size_t len, const char *filename, vc_error **err)
{
	if (vc_config_detect_format(filename, buf, len) == VC_CONFIG_YAML)
		return vc_yaml_parse(buf, len, filename, err);
	return vc_toml_parse(buf, len, filename, err);
}

static char *read_config_file(const char *path, size_t *len, vc_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		vc_error_set_errno(err, errno, "cannot read configuration file '%s'", path);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		vc_error_set_errno(err, errno, "stat '%s'", path);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		vc_error_set(err, VC_ERR_CONFIG, "configuration file '%s' is not a regular file",
			     path);
		return NULL;
	}
	if (st.st_size > MAX_CONFIG_SIZE) {
		vc_error_set(err, VC_ERR_LIMIT, "configuration file '%s' is larger than %d bytes",
			     path, MAX_CONFIG_SIZE);
		return NULL;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	cleanup_free char *buf = xmalloc(cap);
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			vc_error_set_errno(err, errno, "read '%s'", path);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			if (cap > MAX_CONFIG_SIZE) {
				vc_error_set(err, VC_ERR_LIMIT,
					     "configuration file '%s' is larger than %d bytes",
					     path, MAX_CONFIG_SIZE);
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	buf[n] = '\0';
	*len = n;
	return vc_steal_pointer(&buf);
}

static void add_file(load_ctx *x, const char *path, vc_doc_node *root)
{
	x->files = xreallocarray(x->files, x->n_files + 1, sizeof(loaded_file));
	x->files[x->n_files].path = xstrdup(path);
	x->files[x->n_files].root = root;
	x->n_files++;
}

static int load_one(load_ctx *x, const char *path)
{
	size_t len = 0;
	cleanup_free char *buf = read_config_file(path, &len, &x->err);
	if (!buf)
		return -1;
	vc_doc_node *root = vc_config_parse(buf, len, path, &x->err);
	if (!root)
		return -1;
	vc_debug("configuration: read '%s'", path);
	add_file(x, path, root);
	return 0;
}

static bool is_dropin_name(const char *name)
{
	if (name[0] == '.')
		return false;
	const char *dot = strrchr(name, '.');
	return dot &&
	       (strcmp(dot, ".toml") == 0 || strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.toml, *.yaml and *.yml files of config.d beside the main file, in byte order. */
static void load_dropins(load_ctx *x, const char *main_path)
{
	cleanup_free char *copy = xstrdup(main_path);
	char *slash = strrchr(copy, '/');
	cleanup_free char *dir =
	    slash ? xasprintf("%.*s/config.d", (int)(slash - copy), copy) : xstrdup("config.d");
	if (slash && slash == copy) {
		free(dir);
		dir = xstrdup("/config.d");
	}
	cleanup_dir DIR *d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			vc_error_set_errno(&x->err, errno, "cannot read drop-in directory '%s'",
					   dir);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_dropin_name(de->d_name))
			continue;
		if (n == MAX_DROPINS) {
			vc_error_set(&x->err, VC_ERR_LIMIT, "more than %d drop-in files in '%s'",
				     MAX_DROPINS, dir);
			break;
		}
		names = xreallocarray(names, n + 1, sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	if (n)
		qsort(names, n, sizeof(char *), cmp_names);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *p = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			vc_debug("configuration: skipping directory '%s'", p);
		else
			load_one(x, p);
		free(names[i]);
	}
	free(names);
}

/* --config / VCRUN_CONFIG, else /etc/vcrun/configuration.toml, else the shipped default. */
static char *find_main_file(const vc_config_request *req, vc_error **err)
{
	if (req->path && *req->path)
		return xstrdup(req->path);
	const char *sys = req->system_path ? req->system_path : SYSTEM_CONFIG;
	if (access(sys, F_OK) == 0)
		return xstrdup(sys);
	const char *datadir = req->datadir;
	if (!datadir)
		datadir = getenv("VCRUN_DATADIR");
	if (!datadir || !*datadir)
		datadir = VC_DATADIR;
	char *p = xasprintf("%s/config/%s", datadir, DEFAULT_CONFIG_NAME);
	if (access(p, F_OK) == 0)
		return p;
	vc_error_set(err, VC_ERR_NOT_FOUND,
		     "no configuration file: tried '%s' and '%s' (use --config FILE)", sys, p);
	free(p);
	return NULL;
}

/* ---- selecting the hypervisor table ---- */

/* Checks the top level of every file; returns the names of the hypervisor tables found. */
static void scan_tables(load_ctx *x, bool found[2])
{
	for (size_t f = 0; f < x->n_files; f++) {
		const char *file = x->files[f].path;
		const vc_doc_node *root = x->files[f].root;
		for (size_t i = 0; i < vc_doc_table_len(root); i++) {
			const vc_doc_entry *e = &vc_doc_table_entries(root)[i];
			if (strcmp(e->key, "hypervisor") != 0) {
				if (strncmp(e->key, "x-", 2) == 0) {
					/* extension keys: a place for YAML anchors */
					vc_debug("%s: skipping extension key '%s'", file, e->key);
					continue;
				}
				if (in_list(e->key, foreign_tables)) {
					vc_debug("%s: skipping [%s]: not read by vcrun", file,
						 e->key);
					continue;
				}
				const char *near = vc_suggest(e->key, top_level_names);
				vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, e->line, e->col,
						 "unknown table '%s'%s%s%s", e->key,
						 near ? " (did you mean `" : "", near ? near : "",
						 near ? "`?)" : "");
				continue;
			}
			if (e->value->type != VC_DOC_TABLE) {
				vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, e->value->line,
						 e->value->col,
						 "'hypervisor' must be a table, found a %s",
						 vc_doc_type_name(e->value->type));
				continue;
			}
			const vc_doc_node *hv = e->value;
			for (size_t j = 0; j < vc_doc_table_len(hv); j++) {
				const vc_doc_entry *h = &vc_doc_table_entries(hv)[j];
				int idx = strcmp(h->key, "qemu") == 0	? 0
					  : strcmp(h->key, "mock") == 0 ? 1
									: -1;
				if (idx < 0) {
					vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, h->line,
							 h->col,
							 "unknown hypervisor '%s' in "
							 "[hypervisor.%s] (supported: "
							 "qemu, mock)",
							 h->key, h->key);
					continue;
				}
				if (h->value->type != VC_DOC_TABLE) {
					vc_error_set_pos(
					    &x->err, VC_ERR_CONFIG, file, h->value->line,
					    h->value->col,
					    "'hypervisor.%s' must be a table, found a %s", h->key,
					    vc_doc_type_name(h->value->type));
					continue;
				}
				found[idx] = true;
			}
		}
	}
}

/* Which table's keys to read, and which hypervisor the config is for. */
static const char *select_table(load_ctx *x, const bool found[2])
{
	const char *want = x->req->hypervisor;
	if (want && !in_list(want, hypervisor_names)) {
		vc_error_set(&x->err, VC_ERR_USAGE,
			     "unknown hypervisor '%s' (supported: qemu, mock)", want);
		return NULL;
	}
	const char *main_file = x->files[0].path;
	if (!found[0] && !found[1]) {
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, main_file, 0, 0,
				 "no [hypervisor.qemu] or [hypervisor.mock] table");
		return NULL;
	}
	if (want) {
		int idx = strcmp(want, "qemu") == 0 ? 0 : 1;
		if (found[idx])
			return want;
		const char *other = hypervisor_names[1 - idx];
		vc_debug("configuration: no [hypervisor.%s] table, the %s hypervisor uses the keys "
			 "of [hypervisor.%s]",
			 want, want, other);
		return other;
	}
	if (found[0] && found[1]) {
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, main_file, 0, 0,
				 "several hypervisor tables (qemu, mock): choose one with "
				 "--hypervisor");
		return NULL;
	}
	return found[0] ? "qemu" : "mock";
}

/* Records every key of [hypervisor.TABLE], later files overriding earlier ones; unknown keys
 * are errors with a suggestion. */
static void collect_settings(load_ctx *x, const char *table)
{
	for (size_t f = 0; f < x->n_files; f++) {
		const vc_doc_node *hv = vc_doc_table_get(x->files[f].root, "hypervisor");
		if (!hv || hv->type != VC_DOC_TABLE)
			continue;
		const vc_doc_node *t = vc_doc_table_get(hv, table);
		if (!t || t->type != VC_DOC_TABLE)
			continue;
		for (size_t i = 0; i < vc_doc_table_len(t); i++) {
			const vc_doc_entry *e = &vc_doc_table_entries(t)[i];
			const vc_config_key *k = strlen(e->key) == vc_doc_entry_key_len(e)
						     ? vc_config_key_find(e->key)
						     : NULL;
			if (!k) {
				const char *near = vc_config_key_suggest(e->key);
				vc_error_set_pos(&x->err, VC_ERR_CONFIG, x->files[f].path, e->line,
						 e->col,
						 "unknown key '%s' in [hypervisor.%s]%s%s%s",
						 e->key, table, near ? " (did you mean `" : "",
						 near ? near : "", near ? "`?)" : "");
				continue;
			}
			setting *s = &x->set[key_index(k)];
			if (s->entry)
				vc_debug("%s:%d:%d: %s overrides the value set in %s",
					 x->files[f].path, e->line, e->col, e->key, s->file);
			s->entry = e;
			s->file = x->files[f].path;
		}
	}
}

/* ---- values into the struct ---- */

static const char *found_desc(const vc_doc_node *n, char *buf, size_t size)
{
	switch (n->type) {
	case VC_DOC_STRING:
		snprintf(buf, size, "a string (\"%.40s\")", vc_doc_str(n));
		break;
	case VC_DOC_INTEGER:
		snprintf(buf, size, "an integer (%lld)", (long long)n->u.integer);
		break;
	case VC_DOC_FLOAT:
		snprintf(buf, size, "a float (%g)", n->u.real);
		break;
	case VC_DOC_BOOL:
		snprintf(buf, size, "a boolean (%s)", n->u.boolean ? "true" : "false");
		break;
	case VC_DOC_ARRAY:
		snprintf(buf, size, "an array");
		break;
	case VC_DOC_TABLE:
		snprintf(buf, size, "a table");
		break;
	default:
		snprintf(buf, size, "a %s", vc_doc_type_name(n->type));
		break;
	}
	return buf;
}

static const char *expected_desc(const vc_config_key *k)
{
	switch (k->type) {
	case VC_KEY_BOOL:
		return "a boolean (true or false)";
	case VC_KEY_INT:
		return "an integer";
	case VC_KEY_STRV:
		return "an array of strings";
	default:
		return "a string";
	}
}

static void type_error(load_ctx *x, const vc_config_key *k, const setting *s)
{
	char buf[96];
	error_at(x, s, false, "%s: expected %s, found %s", k->name, expected_desc(k),
		 found_desc(s->entry->value, buf, sizeof(buf)));
}

static void choices_text(const vc_config_key *k, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; k->choices[i]; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s",
			 i ? (k->choices[i + 1] ? ", " : " or ") : "", k->choices[i]);
	}
}

static int choice_index(const vc_config_key *k, const char *v)
{
	for (int i = 0; k->choices[i]; i++)
		if (strcmp(k->choices[i], v) == 0)
			return i;
	return -1;
}

static void store_params(load_ctx *x, const vc_config_key *k, const setting *s, const char *text,
			 bool append)
{
	vc_params *dst = (vc_params *)((char *)x->c + k->offset);
	vc_params parsed;
	vc_params_init(&parsed);
	vc_params_deserialize(&parsed, text);
	if (!append)
		vc_params_free(dst);
	for (size_t i = 0; i < parsed.n; i++) {
		cleanup_error vc_error *e = NULL;
		if (vc_params_add(dst, parsed.items[i].key, parsed.items[i].value, &e) < 0)
			error_at(x, s, false, "%s: %s", k->name, e->msg);
	}
	vc_params_free(&parsed);
}

/* Sets a string-typed key (strings, choices, enums, params) from text. */
static void store_text(load_ctx *x, const vc_config_key *k, const setting *s, const char *v,
		       size_t len, bool append_params)
{
	void *field = (char *)x->c + k->offset;
	if (strlen(v) != len) {
		error_at(x, s, false, "%s: the value contains a NUL character", k->name);
		return;
	}
	if (k->type == VC_KEY_PARAMS) {
		store_params(x, k, s, v, append_params);
		return;
	}
	if (k->choices) {
		int idx = choice_index(k, v);
		if (idx < 0) {
			char list[128];
			choices_text(k, list, sizeof(list));
			error_at(x, s, false, "invalid value '%s' for %s, can be either %s", v,
				 k->name, list);
			return;
		}
		if (k->type == VC_KEY_ENUM) {
			*(int *)field = idx;
			return;
		}
	}
	char **str = field;
	free(*str);
	*str = xstrdup(v);
}

static void store_int(load_ctx *x, const vc_config_key *k, const setting *s, int64_t v)
{
	if (v < k->min || v > k->max) {
		error_at(x, s, false, "%s: %lld is out of range (%lld to %lld)", k->name,
			 (long long)v, (long long)k->min, (long long)k->max);
		return;
	}
	x->ival[key_index(k)] = v;
}

static void store_strv(load_ctx *x, const vc_config_key *k, const setting *s,
		       const vc_doc_node *arr)
{
	for (size_t i = 0; i < vc_doc_array_len(arr); i++) {
		const vc_doc_node *it = vc_doc_array_items(arr)[i];
		if (it->type != VC_DOC_STRING || strlen(vc_doc_str(it)) != vc_doc_str_len(it)) {
			char buf[96];
			vc_error_set_pos(&x->err, VC_ERR_CONFIG, s->file, it->line, it->col,
					 "%s: item %zu: expected a string, found %s", k->name,
					 i + 1, found_desc(it, buf, sizeof(buf)));
			return;
		}
	}
	vc_strv *dst = (vc_strv *)((char *)x->c + k->offset);
	vc_strv_free(dst);
	dst->v = xzalloc((vc_doc_array_len(arr) + 1) * sizeof(char *));
	for (size_t i = 0; i < vc_doc_array_len(arr); i++)
		dst->v[dst->n++] = xstrdup(vc_doc_str(vc_doc_array_items(arr)[i]));
}

static void apply_setting(load_ctx *x, const vc_config_key *k, const setting *s)
{
	const vc_doc_node *v = s->entry->value;
	switch (k->type) {
	case VC_KEY_IGNORED:
		vc_debug("%s:%d:%d: %s has no effect in vcrun", s->file, s->entry->line,
			 s->entry->col, k->name);
		return;
	case VC_KEY_STRING:
	case VC_KEY_ENUM:
	case VC_KEY_PARAMS:
		if (v->type != VC_DOC_STRING)
			break;
		store_text(x, k, s, vc_doc_str(v), vc_doc_str_len(v), false);
		return;
	case VC_KEY_BOOL:
		if (v->type != VC_DOC_BOOL)
			break;
		*(bool *)((char *)x->c + k->offset) = v->u.boolean;
		return;
	case VC_KEY_INT:
		if (v->type != VC_DOC_INTEGER)
			break;
		store_int(x, k, s, v->u.integer);
		return;
	case VC_KEY_STRV:
		if (v->type != VC_DOC_ARRAY)
			break;
		store_strv(x, k, s, v);
		return;
	}
	type_error(x, k, s);
}

/* ---- annotations and custom assets ---- */

static bool annotation_allowed(load_ctx *x, const char *name)
{
	const vc_strv *res = &x->c->enable_annotations;
	for (size_t i = 0; i < res->n; i++) {
		/* Each regex must match the whole name (after the prefix). */
		cleanup_free char *anchored = xasprintf("^(%s)$", res->v[i]);
		regex_t re;
		if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0) {
			error_at(x, setting_of(x, "enable_annotations"), false,
				 "enable_annotations: invalid regular expression '%s'", res->v[i]);
			continue;
		}
		bool ok = regexec(&re, name, 0, NULL, 0) == 0;
		regfree(&re);
		if (ok)
			return true;
	}
	return false;
}

static bool path_in_globs(const vc_strv *globs, const char *path)
{
	for (size_t i = 0; i < globs->n; i++)
		if (fnmatch(globs->v[i], path, FNM_PATHNAME) == 0)
			return true;
	return false;
}

static int asset_kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof(asset_keys) / sizeof(asset_keys[0]); i++)
		if (strcmp(asset_keys[i].name, name) == 0)
			return (int)asset_keys[i].kind;
	return -1;
}

static bool is_sha512_hex(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 128;
}

static void apply_annotation(load_ctx *x, const char *file, const char *full, const char *value)
{
	const char *name = full + strlen(ANNOTATION_PREFIX);
	size_t nlen = strlen(name);
	/* <asset>_hash: the SHA-512 the asset must have. */
	if (nlen > 5 && strcmp(name + nlen - 5, "_hash") == 0) {
		cleanup_free char *asset = xstrndup(name, nlen - 5);
		int kind = asset_kind_of(asset);
		if (kind >= 0 && kind != VC_ASSET_HYPERVISOR) {
			if (!annotation_allowed(x, name)) {
				vc_error_set_pos(
				    &x->err, VC_ERR_CONFIG, file, 0, 0,
				    "annotation '%s' is not allowed by enable_annotations", full);
				return;
			}
			if (!is_sha512_hex(value)) {
				vc_error_set_pos(
				    &x->err, VC_ERR_CONFIG, file, 0, 0,
				    "annotation '%s': expected a SHA-512 digest (128 hex "
				    "digits), found '%s'",
				    full, value);
				return;
			}
			free(x->c->asset_hashes[kind]);
			x->c->asset_hashes[kind] = xstrdup(value);
			for (char *p = x->c->asset_hashes[kind]; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			return;
		}
	}
	const vc_config_key *k = vc_config_key_find(name);
	if (!k || !k->annotation) {
		const char *near = vc_config_key_suggest(name);
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, 0, 0, "annotation '%s': %s%s%s%s",
				 full, k ? "this key cannot be set by annotation" : "unknown key",
				 !k && near ? " (did you mean `" : "", !k && near ? near : "",
				 !k && near ? "`?)" : "");
		return;
	}
	if (!annotation_allowed(x, name)) {
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, 0, 0,
				 "annotation '%s' is not allowed by enable_annotations", full);
		return;
	}
	if (k->type == VC_KEY_IGNORED) {
		vc_debug("annotation '%s' has no effect in vcrun", full);
		return;
	}
	int kind = asset_kind_of(name);
	if (kind >= 0) {
		if (value[0] != '/') {
			vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, 0, 0,
					 "annotation '%s': '%s' is not an absolute path", full,
					 value);
			return;
		}
		if (kind == VC_ASSET_HYPERVISOR &&
		    !path_in_globs(&x->c->valid_hypervisor_paths, value)) {
			vc_error_set_pos(&x->err, VC_ERR_CONFIG, file, 0, 0,
					 "annotation '%s': hypervisor path '%s' does not match "
					 "valid_hypervisor_paths",
					 full, value);
			return;
		}
		free(x->c->custom_assets[kind]);
		x->c->custom_assets[kind] = xstrdup(value);
		vc_debug("annotation '%s' sets the %s to '%s'", full, name, value);
		return;
	}
	/* Other keys: parsed from text, errors name the annotation. */
	size_t before = vc_error_count(x->err);
	cleanup_free char *label = xasprintf("annotation '%s'", full);
	x->annotation_file = file;
	x->annotation_label = label;
	switch (k->type) {
	case VC_KEY_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
			*(bool *)((char *)x->c + k->offset) = value[0] == 't';
		else
			error_at(x, NULL, false, "expected true or false, found '%s'", value);
		break;
	case VC_KEY_INT: {
		errno = 0;
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || errno == ERANGE || v < k->min || v > k->max)
			error_at(x, NULL, false,
				 "expected an integer from %lld to %lld, found '%s'",
				 (long long)k->min, (long long)k->max, value);
		else
			x->ival[key_index(k)] = v;
		break;
	}
	case VC_KEY_STRV:
		error_at(x, NULL, false, "this key cannot be set by annotation");
		break;
	default: {
		setting none = {0};
		store_text(x, k, &none, value, strlen(value), true);
		break;
	}
	}
	x->annotation_file = NULL;
	x->annotation_label = NULL;
	if (vc_error_count(x->err) == before)
		vc_debug("annotation '%s' sets %s to '%s'", full, name, value);
}

static void apply_bundle(load_ctx *x)
{
	cleanup_free char *path = xasprintf("%s/config.json", x->req->bundle);
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, path, jerr.line, jerr.column, "%s",
				 jerr.text);
		return;
	}
	json_t *ann = json_object_get(root, "annotations");
	if (ann && !json_is_object(ann)) {
		vc_error_set_pos(&x->err, VC_ERR_CONFIG, path, 0, 0,
				 "'annotations' must be an object of strings");
	} else if (ann) {
		const char *key;
		json_t *v;
		json_object_foreach(ann, key, v)
		{
			if (strncmp(key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) != 0)
				continue;
			if (!json_is_string(v)) {
				vc_error_set_pos(&x->err, VC_ERR_CONFIG, path, 0, 0,
						 "annotation '%s' must be a string", key);
				continue;
			}
			apply_annotation(x, path, key, json_string_value(v));
		}
	}
	json_decref(root);
}

static void apply_cli_assets(load_ctx *x)
{
	for (int i = 0; i < VC_ASSET_COUNT; i++) {
		const char *a = x->req->assets[i];
		if (!a)
			continue;
		if (!*a) {
			vc_error_set(&x->err, VC_ERR_USAGE, "%s: empty path", asset_option[i]);
			continue;
		}
		free(x->c->custom_assets[i]);
		x->c->custom_assets[i] = xstrdup(a);
		vc_debug("custom asset %s '%s' overrides the configuration file", asset_option[i],
			 a);
	}
}

/* ---- clamps, defaults and validation ---- */

static uint64_t clamp_int(load_ctx *x, const vc_config_key *k, int64_t v)
{
	const setting *s = &x->set[key_index(k)];
	int64_t out = v;
	const char *why = NULL;
	switch (k->clamp) {
	case VC_CLAMP_VCPUS:
		if (v < 0 || v > (int64_t)x->host_cpus) {
			out = x->host_cpus;
			why = "host CPUs";
		} else if (v == 0) {
			out = 1;
			why = "0 means 1";
		}
		break;
	case VC_CLAMP_MAXVCPUS:
		if (v == 0 || v > (int64_t)x->host_cpus) {
			out = x->host_cpus;
			why = "host CPUs";
		}
		if (out > VC_MAX_VCPUS) {
			out = VC_MAX_VCPUS;
			why = "the x86-64 maximum";
		}
		break;
	case VC_CLAMP_MEMORY:
		if (v == 0) {
			error_at(x, s->entry ? s : NULL, false, "VM memory cannot be zero");
		} else if (v < 8) {
			out = 2048;
			why = "less than 8 MiB";
		}
		break;
	case VC_CLAMP_MAXMEMORY:
		if (x->host_mem_mib && (v == 0 || (uint64_t)v > x->host_mem_mib)) {
			out = (int64_t)x->host_mem_mib;
			why = "host RAM";
		}
		break;
	case VC_CLAMP_BRIDGES:
		if (v == 0) {
			out = 1;
			why = "0 means 1";
		} else if (v > VC_MAX_BRIDGES) {
			out = VC_MAX_BRIDGES;
			why = "at most 5";
		}
		break;
	default:
		break;
	}
	if (why)
		vc_debug("configuration: %s = %lld → %lld (%s)", k->name, (long long)v,
			 (long long)out, why);
	return (uint64_t)out;
}

static char *normalise_comma_list(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);
	size_t o = 0;
	const char *p = s;
	while (*p) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *a = p, *b = end;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			if (o)
				out[o++] = ',';
			memcpy(out + o, a, (size_t)(b - a));
			o += (size_t)(b - a);
		}
		p = *end ? end + 1 : end;
	}
	out[o] = '\0';
	return out;
}

static void finalize(load_ctx *x)
{
	vc_hypervisor_config *c = x->c;
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		const vc_config_key *k = &vc_config_keys[i];
		void *field = (char *)c + k->offset;
		if (k->type == VC_KEY_INT) {
			uint64_t v = clamp_int(x, k, x->ival[i]);
			if (k->size == sizeof(uint32_t))
				*(uint32_t *)field = (uint32_t)v;
			else
				*(uint64_t *)field = v;
		} else if (k->clamp == VC_CLAMP_EMPTY_DEFAULT) {
			char **s = field;
			if (!*s || !**s) {
				vc_debug("configuration: %s is empty, using '%s'", k->name, k->def);
				free(*s);
				*s = xstrdup(k->def);
			}
		} else if (k->clamp == VC_CLAMP_COMMA_LIST) {
			char **s = field;
			char *n = normalise_comma_list(*s);
			if (strcmp(n, *s) != 0)
				vc_debug("configuration: %s '%s' → '%s'", k->name, *s, n);
			free(*s);
			*s = n;
		}
	}
	if (c->enable_hugepages && !c->enable_mem_prealloc) {
		vc_debug("configuration: enable_hugepages implies enable_mem_prealloc");
		c->enable_mem_prealloc = true;
	}
	c->mlock = c->realtime && !c->enable_swap;

	if (c->accelerator == VC_ACCEL_AUTO) {
		const char *kvm = x->req->kvm_path ? x->req->kvm_path : getenv("VCRUN_KVM_DEVICE");
		if (!kvm || !*kvm)
			kvm = VC_DEV_KVM;
		if (vc_host_kvm_usable(kvm)) {
			c->accelerator = VC_ACCEL_KVM;
			vc_debug("configuration: accelerator auto → kvm ('%s' is usable)", kvm);
		} else {
			c->accelerator = VC_ACCEL_TCG;
			vc_warn("'%s' is not usable: using TCG (software emulation, slow)", kvm);
		}
	}
	if (c->disable_seccomp)
		vc_warn(
		    "disable_seccomp = true: the hypervisor runs without vcrun's seccomp filter");
}

static void validate(load_ctx *x)
{
	vc_hypervisor_config *c = x->c;
	const char *kernel = vc_config_asset_path(c, VC_ASSET_KERNEL);
	const char *initrd = vc_config_asset_path(c, VC_ASSET_INITRD);
	const char *image = vc_config_asset_path(c, VC_ASSET_IMAGE);
	if (!kernel || !*kernel)
		error_at(x, setting_of(x, "kernel"), false, "missing kernel path");
	bool has_initrd = initrd && *initrd, has_image = image && *image;
	if (!has_initrd && !has_image)
		error_at(x, NULL, false, "missing image and initrd path: set one of them");
	if (has_initrd && has_image) {
		const setting *s = setting_of(x, "image");
		if (!s)
			s = setting_of(x, "initrd");
		error_at(x, s, true, "image and initrd path cannot be both set ('%s', '%s')", image,
			 initrd);
	}
	if (c->default_maxvcpus < c->default_vcpus)
		error_at(x, setting_of(x, "default_maxvcpus"), false,
			 "default_maxvcpus (%u) is below default_vcpus (%u)", c->default_maxvcpus,
			 c->default_vcpus);
	if (c->valid_entropy_sources.n) {
		bool ok = false;
		for (size_t i = 0; i < c->valid_entropy_sources.n; i++)
			if (strcmp(c->valid_entropy_sources.v[i], c->entropy_source) == 0)
				ok = true;
		if (!ok)
			error_at(x, setting_of(x, "entropy_source"), false,
				 "entropy_source '%s' is not in valid_entropy_sources",
				 c->entropy_source);
	}
	/* Every regex is checked even when no annotation is given. */
	for (size_t i = 0; i < c->enable_annotations.n; i++) {
		cleanup_free char *anchored = xasprintf("^(%s)$", c->enable_annotations.v[i]);
		regex_t re;
		if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0)
			error_at(x, setting_of(x, "enable_annotations"), false,
				 "enable_annotations: invalid regular expression '%s'",
				 c->enable_annotations.v[i]);
		else
			regfree(&re);
	}
}

static void check_asset_file(load_ctx *x, vc_asset_kind kind, const char *what, bool resolve)
{
	vc_hypervisor_config *c = x->c;
	const char *p = vc_config_asset_path(c, kind);
	if (!p || !*p)
		return;
	const setting *s = c->custom_assets[kind] ? NULL : setting_of(x, asset_keys[kind].name);
	char real[PATH_MAX];
	if (!realpath(p, real)) {
		int e = errno;
		if (s)
			error_at(x, s, false, "%s '%s': %s", what, p, strerror(e));
		else
			vc_error_set(&x->err, VC_ERR_CONFIG, "%s '%s': %s", what, p, strerror(e));
		return;
	}
	struct stat st;
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (s)
			error_at(x, s, false, "%s '%s' is not a regular file", what, p);
		else
			vc_error_set(&x->err, VC_ERR_CONFIG, "%s '%s' is not a regular file", what,
				     p);
		return;
	}
	if (kind == VC_ASSET_INITRD && (uint64_t)st.st_size > (uint64_t)c->default_memory << 20) {
		if (s)
			error_at(x, s, false,
				 "initrd '%s' (%lld bytes) is larger than the VM's memory (%u MiB)",
				 p, (long long)st.st_size, c->default_memory);
		else
			vc_error_set(
			    &x->err, VC_ERR_CONFIG,
			    "initrd '%s' (%lld bytes) is larger than the VM's memory (%u MiB)", p,
			    (long long)st.st_size, c->default_memory);
	}
	if (resolve && strcmp(real, p) != 0) {
		vc_debug("configuration: %s '%s' resolves to '%s'", what, p, real);
		char **field =
		    c->custom_assets[kind] ? &c->custom_assets[kind] : &c->hypervisor_path;
		free(*field);
		*field = xstrdup(real);
	}
}

static void check_host(load_ctx *x)
{
	check_asset_file(x, VC_ASSET_KERNEL, "kernel", false);
	check_asset_file(x, VC_ASSET_INITRD, "initrd", false);
	check_asset_file(x, VC_ASSET_IMAGE, "image", false);
	check_asset_file(x, VC_ASSET_FIRMWARE, "firmware", false);
	if (strcmp(x->c->hypervisor_name, "qemu") == 0)
		check_asset_file(x, VC_ASSET_HYPERVISOR, "hypervisor", true);
}

static void probe_host(load_ctx *x)
{
	x->host_cpus = x->req->host_cpus;
	const char *env = getenv("VCRUN_HOST_CPUS");
	if (!x->host_cpus && env && *env)
		x->host_cpus = (unsigned)strtoul(env, NULL, 10);
	if (!x->host_cpus)
		x->host_cpus = vc_host_cpu_count();
	const char *meminfo = x->req->meminfo_path ? x->req->meminfo_path : getenv("VCRUN_MEMINFO");
	if (!meminfo || !*meminfo)
		meminfo = VC_PROC_MEMINFO;
	cleanup_error vc_error *e = NULL;
	uint64_t kb = 0;
	if (vc_host_memtotal_kb(meminfo, &kb, &e) < 0)
		vc_warn("cannot read the host's memory size: %s", e->msg);
	else
		x->host_mem_mib = kb / 1024;
}

/* Everything after the files are parsed. */
static vc_hypervisor_config *load_files(load_ctx *x, vc_error **err)
{
	bool found[2] = {false, false};
	scan_tables(x, found);
	const char *table = x->err ? NULL : select_table(x, found);
	if (!table) {
		vc_error_append(err, &x->err);
		return NULL;
	}
	x->c = xzalloc(sizeof(*x->c));
	vc_config_set_defaults(x->c);
	x->c->hypervisor_name = xstrdup(x->req->hypervisor ? x->req->hypervisor : table);
	x->c->source_file = xstrdup(x->files[0].path);
	x->set = xzalloc(vc_config_keys_count * sizeof(setting));
	x->ival = xzalloc(vc_config_keys_count * sizeof(int64_t));
	for (size_t i = 0; i < vc_config_keys_count; i++)
		if (vc_config_keys[i].type == VC_KEY_INT)
			x->ival[i] = strtoll(vc_config_keys[i].def, NULL, 10);

	collect_settings(x, table);
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		const vc_config_key *k = &vc_config_keys[i];
		if (x->set[i].entry)
			apply_setting(x, k, &x->set[i]);
		else if (k->type != VC_KEY_IGNORED)
			vc_debug("configuration: %s not set, default '%s'", k->name, k->def);
	}
	if (x->req->bundle)
		apply_bundle(x);
	apply_cli_assets(x);
	probe_host(x);
	finalize(x);
	validate(x);
	if (x->req->check_host)
		check_host(x);

	free(x->set);
	free(x->ival);
	x->set = NULL;
	x->ival = NULL;
	if (x->err) {
		vc_error_append(err, &x->err);
		vc_config_free(x->c);
		return NULL;
	}
	return vc_steal_pointer(&x->c);
}

static void ctx_free(load_ctx *x)
{
	for (size_t i = 0; i < x->n_files; i++) {
		free(x->files[i].path);
		vc_doc_free(x->files[i].root);
	}
	free(x->files);
	vc_error_free(x->err);
}

vc_hypervisor_config *vc_config_load(const vc_config_request *req, vc_error **err)
{
	load_ctx x = {.req = req};
	cleanup_free char *main_path = find_main_file(req, err);
	if (!main_path)
		return NULL;
	load_one(&x, main_path);
	if (x.n_files)
		load_dropins(&x, main_path);
	vc_hypervisor_config *c = NULL;
	if (!x.err)
		c = load_files(&x, err);
	else
		vc_error_append(err, &x.err);
	ctx_free(&x);
	return c;
}

vc_hypervisor_config *vc_config_load_buffer(const vc_config_request *req, const char *buf,
					    size_t len, const char *filename, vc_error **err)
{
	load_ctx x = {.req = req};
	vc_doc_node *root = vc_config_parse(buf, len, filename, err);
	if (!root)
		return NULL;
	add_file(&x, filename ? filename : "<buffer>", root);
	vc_hypervisor_config *c = load_files(&x, err);
	ctx_free(&x);
	return c;
}
