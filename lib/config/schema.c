/* The table of [hypervisor.*] keys, and what is derived from it alone: defaults, suggestions
 * and the dump of an effective configuration. */
#include <config.h> /* autoconf's, not config/config.h beside this file */
#include "config/schema.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F(field) offsetof(vc_hypervisor_config, field)
#define SZ(field) ((unsigned)sizeof(((vc_hypervisor_config *)0)->field))

#define STR(n, field, def, clamp, annot, doc)                                                      \
	{                                                                                          \
		n, VC_KEY_STRING, F(field), 0, def, 0, 0, NULL, clamp, annot, doc                  \
	}
#define CHOICE(n, field, def, choices, annot, doc)                                                 \
	{                                                                                          \
		n, VC_KEY_STRING, F(field), 0, def, 0, 0, choices, VC_CLAMP_NONE, annot, doc       \
	}
#define ENUM(n, field, def, choices, annot, doc)                                                   \
	{                                                                                          \
		n, VC_KEY_ENUM, F(field), SZ(field), def, 0, 0, choices, VC_CLAMP_NONE, annot, doc \
	}
#define BOOL(n, field, def, clamp, annot, doc)                                                     \
	{                                                                                          \
		n, VC_KEY_BOOL, F(field), 0, def, 0, 0, NULL, clamp, annot, doc                    \
	}
#define INT(n, field, def, min, max, clamp, annot, doc)                                            \
	{                                                                                          \
		n, VC_KEY_INT, F(field), SZ(field), def, min, max, NULL, clamp, annot, doc         \
	}
#define STRV(n, field, def, doc)                                                                   \
	{                                                                                          \
		n, VC_KEY_STRV, F(field), 0, def, 0, 0, NULL, VC_CLAMP_NONE, false, doc            \
	}
#define PARAMS(n, field, annot, doc)                                                               \
	{                                                                                          \
		n, VC_KEY_PARAMS, F(field), 0, "", 0, 0, NULL, VC_CLAMP_NONE, annot, doc           \
	}
#define IGNORED(n)                                                                                 \
	{                                                                                          \
		n, VC_KEY_IGNORED, 0, 0, NULL, 0, 0, NULL, VC_CLAMP_NONE, true, NULL               \
	}

/* The order of the enums in config.h. */
static const char *const accel_choices[] = {"auto", "kvm", "tcg", NULL};
static const char *const block_driver_choices[] = {"virtio-scsi", "virtio-blk", NULL};
static const char *const aio_choices[] = {"threads", "native", "io_uring", NULL};
static const char *const shared_fs_choices[] = {"virtio-fs", "virtio-9p", "virtio-fs-nydus", "none",
						NULL};

const vc_config_key vc_config_keys[] = {
    /* paths */
    STR("path", hypervisor_path, VC_DEFAULT_QEMU_PATH, VC_CLAMP_EMPTY_DEFAULT, true,
	"hypervisor binary; symlinks resolved, must exist"),
    STR("kernel", kernel_path, "", VC_CLAMP_NONE, true, "guest kernel (required)"),
    STR("initrd", initrd_path, "", VC_CLAMP_NONE, true,
	"guest initrd; exactly one of initrd and image"),
    STR("image", image_path, "", VC_CLAMP_NONE, true,
	"guest root filesystem image; exactly one of initrd and image"),
    STR("firmware", firmware_path, "", VC_CLAMP_NONE, true, "firmware passed with -bios"),
    STRV("pflashes", pflashes, "", "flash images attached as pflash drives"),
    /* machine */
    STR("machine_type", machine_type, "q35", VC_CLAMP_EMPTY_DEFAULT, true, "QEMU machine type"),
    STR("machine_accelerators", machine_accelerators, "", VC_CLAMP_COMMA_LIST, true,
	"comma list of options appended to -machine"),
    ENUM("accelerator", accelerator, "auto", accel_choices, false,
	 "auto (KVM when /dev/kvm is usable, else TCG), kvm or tcg"),
    STR("cpu_features", cpu_features, "pmu=off", VC_CLAMP_NONE, true,
	"comma list appended to -cpu"),
    PARAMS("kernel_params", kernel_params, true,
	   "space-separated kernel parameters, appended last"),
    PARAMS("hypervisor_params", hypervisor_params, false,
	   "space-separated extra hypervisor parameters"),
    /* cpu and memory */
    INT("default_vcpus", default_vcpus, "1", INT32_MIN, INT32_MAX, VC_CLAMP_VCPUS, true,
	"vCPUs at boot: <0 or more than the host's → the host's; 0 → 1"),
    INT("default_maxvcpus", default_maxvcpus, "0", 0, UINT32_MAX, VC_CLAMP_MAXVCPUS, true,
	"hot-pluggable vCPU limit: 0 or more than the host's → the host's (at most 240)"),
    INT("default_memory", default_memory, "2048", 0, UINT32_MAX, VC_CLAMP_MEMORY, true,
	"memory at boot in MiB: 0 is an error; <8 → 2048"),
    INT("memory_slots", memory_slots, "10", 0, UINT32_MAX, VC_CLAMP_NONE, true,
	"memory hot-plug slots"),
    INT("memory_offset", memory_offset, "0", 0, INT64_MAX, VC_CLAMP_NONE, true,
	"MiB added to the memory limit"),
    INT("default_maxmemory", default_maxmemory, "0", 0, INT64_MAX, VC_CLAMP_MAXMEMORY, true,
	"memory limit in MiB: 0 or more than the host's RAM → the host's RAM"),
    INT("default_bridges", default_bridges, "1", 0, UINT32_MAX, VC_CLAMP_BRIDGES, true,
	"PCI bridges: 0 → 1; more than 5 → 5"),
    /* storage */
    BOOL("disable_block_device_use", disable_block_device_use, "false", VC_CLAMP_NONE, true,
	 "do not use block devices for container root filesystems"),
    ENUM("block_device_driver", block_device_driver, "virtio-scsi", block_driver_choices, true,
	 "virtio-scsi or virtio-blk"),
    CHOICE("block_device_aio", block_device_aio, "io_uring", aio_choices, true,
	   "threads, native or io_uring"),
    BOOL("block_device_cache_set", block_device_cache_set, "false", VC_CLAMP_NONE, true,
	 "set the cache options of block devices"),
    BOOL("block_device_cache_direct", block_device_cache_direct, "false", VC_CLAMP_NONE, true,
	 "cache.direct (O_DIRECT) for block devices"),
    BOOL("block_device_cache_noflush", block_device_cache_noflush, "false", VC_CLAMP_NONE, true,
	 "cache.no-flush for block devices"),
    BOOL("enable_iothreads", enable_iothreads, "false", VC_CLAMP_NONE, true,
	 "handle block I/O in a separate thread"),
    INT("indep_iothreads", indep_iothreads, "0", 0, UINT32_MAX, VC_CLAMP_NONE, true,
	"extra iothreads for hot-plugged virtio-blk devices"),
    INT("scsi_controllers", scsi_controllers, "1", 1, VC_MAX_SCSI_CONTROLLERS, VC_CLAMP_NONE, true,
	"virtio-scsi controllers (1 to 16)"),
    /* memory backends */
    BOOL("enable_mem_prealloc", enable_mem_prealloc, "false", VC_CLAMP_NONE, true,
	 "preallocate guest memory"),
    BOOL("enable_hugepages", enable_hugepages, "false", VC_CLAMP_HUGEPAGES, true,
	 "back guest memory with huge pages (implies enable_mem_prealloc)"),
    STR("file_mem_backend", file_mem_backend, "", VC_CLAMP_NONE, true, "file backing guest memory"),
    BOOL("enable_swap", enable_swap, "false", VC_CLAMP_NONE, true,
	 "allow guest memory to be swapped (else locked with realtime)"),
    BOOL("realtime", realtime, "false", VC_CLAMP_NONE, false,
	 "realtime mode (memory locked unless enable_swap)"),
    /* misc */
    BOOL("enable_debug", enable_debug, "false", VC_CLAMP_NONE, true,
	 "debug output from the hypervisor and the guest kernel"),
    BOOL("disable_nesting_checks", disable_nesting_checks, "false", VC_CLAMP_NONE, true,
	 "skip the nested-virtualisation checks"),
    BOOL("disable_image_nvdimm", disable_image_nvdimm, "false", VC_CLAMP_NONE, true,
	 "attach the image with virtio-blk instead of nvdimm"),
    BOOL("use_legacy_serial", use_legacy_serial, "false", VC_CLAMP_NONE, true,
	 "legacy serial console instead of virtio-console"),
    STR("entropy_source", entropy_source, "/dev/urandom", VC_CLAMP_NONE, true,
	"host entropy device; must be in valid_entropy_sources"),
    STRV("valid_entropy_sources", valid_entropy_sources, "/dev/urandom,/dev/random,",
	 "allowed values of entropy_source"),
    STR("seccompsandbox", seccompsandbox, "", VC_CLAMP_NONE, false,
	"QEMU -sandbox option; empty = none"),
    STRV("valid_hypervisor_paths", valid_hypervisor_paths, "",
	 "globs a hypervisor path given by annotation must match"),
    STRV("enable_annotations", enable_annotations, "",
	 "regexes of the annotations allowed to override this table"),
    INT("msize_9p", msize_9p, "8192", 4096, 1048576, VC_CLAMP_NONE, true,
	"9p msize in bytes (4096 to 1048576)"),
    CHOICE("shared_fs", shared_fs, "virtio-fs", shared_fs_choices, true,
	   "virtio-fs, virtio-9p, virtio-fs-nydus or none"),
    BOOL("disable_seccomp", disable_seccomp, "false", VC_CLAMP_NONE, false,
	 "turn off vcrun's seccomp filter for the hypervisor (warns)"),

    /* Kata keys vcrun accepts without acting on them (a debug line says so). */
    IGNORED("rootfs_type"),
    IGNORED("rootless"),
    IGNORED("firmware_volume"),
    IGNORED("enable_virtio_mem"),
    IGNORED("virtio_fs_daemon"),
    IGNORED("valid_virtio_fs_daemon_paths"),
    IGNORED("virtio_fs_cache_size"),
    IGNORED("virtio_fs_queue_size"),
    IGNORED("virtio_fs_extra_args"),
    IGNORED("virtio_fs_cache"),
    IGNORED("block_device_logical_sector_size"),
    IGNORED("block_device_physical_sector_size"),
    IGNORED("reclaim_guest_freed_memory"),
    IGNORED("enable_vhost_user_store"),
    IGNORED("vhost_user_store_path"),
    IGNORED("enable_iommu"),
    IGNORED("enable_iommu_platform"),
    IGNORED("enable_numa"),
    IGNORED("numa_mapping"),
    IGNORED("valid_vhost_user_store_paths"),
    IGNORED("vhost_user_reconnect_timeout_sec"),
    IGNORED("extra_monitor_socket"),
    IGNORED("hot_plug_vfio"),
    IGNORED("cold_plug_vfio"),
    IGNORED("pcie_root_port"),
    IGNORED("disable_vhost_net"),
    IGNORED("guest_hook_path"),
    IGNORED("rx_rate_limiter_max_rate"),
    IGNORED("tx_rate_limiter_max_rate"),
    IGNORED("guest_memory_dump_path"),
    IGNORED("guest_memory_dump_paging"),
    IGNORED("enable_guest_swap"),
    IGNORED("disable_selinux"),
    IGNORED("disable_guest_selinux"),
    IGNORED("kernel_verity_params"),
    IGNORED("confidential_guest"),
    IGNORED("valid_file_mem_backends"),
};

const size_t vc_config_keys_count = sizeof(vc_config_keys) / sizeof(vc_config_keys[0]);

const vc_config_key *vc_config_key_find(const char *name)
{
	for (size_t i = 0; i < vc_config_keys_count; i++)
		if (strcmp(vc_config_keys[i].name, name) == 0)
			return &vc_config_keys[i];
	return NULL;
}

/* Levenshtein distance, with a cap: names longer than 64 bytes are never close. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (up + 1 < best)
				best = up + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static bool close_enough(const char *name, const char *cand, size_t d)
{
	size_t len = strlen(name) > strlen(cand) ? strlen(name) : strlen(cand);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	return d <= limit;
}

const char *vc_suggest(const char *name, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (; *candidates; candidates++) {
		size_t d = edit_distance(name, *candidates);
		if (d < best_d) {
			best_d = d;
			best = *candidates;
		}
	}
	return best && close_enough(name, best, best_d) ? best : NULL;
}

const char *vc_config_key_suggest(const char *name)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		size_t d = edit_distance(name, vc_config_keys[i].name);
		if (d < best_d) {
			best_d = d;
			best = vc_config_keys[i].name;
		}
	}
	return best && close_enough(name, best, best_d) ? best : NULL;
}

static void strv_from_commas(vc_strv *v, const char *s)
{
	vc_strv_free(v);
	if (!s || !*s)
		return;
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	v->v = xzalloc((n + 1) * sizeof(char *));
	for (const char *p = s;;) {
		const char *end = strchr(p, ',');
		v->v[v->n++] = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
		if (!end)
			break;
		p = end + 1;
	}
}

void vc_config_set_defaults(vc_hypervisor_config *c)
{
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		const vc_config_key *k = &vc_config_keys[i];
		void *field = (char *)c + k->offset;
		switch (k->type) {
		case VC_KEY_STRING: {
			char **s = field;
			free(*s);
			*s = xstrdup(k->def);
			break;
		}
		case VC_KEY_BOOL:
			*(bool *)field = strcmp(k->def, "true") == 0;
			break;
		case VC_KEY_INT: {
			long long v = strtoll(k->def, NULL, 10);
			if (k->size == sizeof(uint32_t))
				*(uint32_t *)field = (uint32_t)v;
			else
				*(uint64_t *)field = (uint64_t)v;
			break;
		}
		case VC_KEY_STRV:
			strv_from_commas(field, k->def);
			break;
		case VC_KEY_PARAMS:
			vc_params_free(field);
			vc_params_deserialize(field, k->def);
			break;
		case VC_KEY_ENUM:
			for (int j = 0; k->choices[j]; j++)
				if (strcmp(k->choices[j], k->def) == 0)
					*(int *)field = j;
			break;
		case VC_KEY_IGNORED:
			break;
		}
	}
}

static json_t *strv_json(const vc_strv *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

/* The value of one key as JSON; assets report the path in effect (custom assets win). */
static json_t *key_json(const vc_hypervisor_config *c, const vc_config_key *k)
{
	const void *field = (const char *)c + k->offset;
	switch (k->type) {
	case VC_KEY_STRING: {
		const char *s = *(char *const *)field;
		static const struct {
			const char *key;
			vc_asset_kind kind;
		} assets[] = {{"path", VC_ASSET_HYPERVISOR},
			      {"kernel", VC_ASSET_KERNEL},
			      {"initrd", VC_ASSET_INITRD},
			      {"image", VC_ASSET_IMAGE},
			      {"firmware", VC_ASSET_FIRMWARE}};
		for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
			if (strcmp(k->name, assets[i].key) == 0)
				s = vc_config_asset_path(c, assets[i].kind);
		return json_string(s ? s : "");
	}
	case VC_KEY_BOOL:
		return json_boolean(*(const bool *)field);
	case VC_KEY_INT:
		if (k->size == sizeof(uint32_t))
			return json_integer((json_int_t) * (const uint32_t *)field);
		return json_integer((json_int_t) * (const uint64_t *)field);
	case VC_KEY_STRV:
		return strv_json(field);
	case VC_KEY_PARAMS: {
		char *s = vc_params_join(field);
		json_t *j = json_string(s);
		free(s);
		return j;
	}
	case VC_KEY_ENUM:
		return json_string(k->choices[*(const int *)field]);
	case VC_KEY_IGNORED:
		break;
	}
	return NULL;
}

/* A double-quoted string valid in both TOML and YAML. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_scalar(FILE *f, const json_t *v)
{
	if (json_is_string(v))
		put_quoted(f, json_string_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", f);
	else if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
}

static void put_value(FILE *f, const json_t *v)
{
	if (!json_is_array(v)) {
		put_scalar(f, v);
		return;
	}
	fputc('[', f);
	for (size_t i = 0; i < json_array_size(v); i++) {
		if (i)
			fputs(", ", f);
		put_scalar(f, json_array_get(v, i));
	}
	fputc(']', f);
}

char *vc_config_dump(const vc_hypervisor_config *c, const char *format, vc_error **err)
{
	const char *name = c->hypervisor_name && *c->hypervisor_name ? c->hypervisor_name : "qemu";
	json_t *table = json_object();
	for (size_t i = 0; i < vc_config_keys_count; i++)
		if (vc_config_keys[i].type != VC_KEY_IGNORED)
			json_object_set_new(table, vc_config_keys[i].name,
					    key_json(c, &vc_config_keys[i]));

	char *out = NULL;
	if (strcmp(format, "json") == 0) {
		json_t *root = json_pack("{s:{s:o}}", "hypervisor", name, table);
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(root);
		out = xasprintf("%s\n", s);
		free(s);
		return out;
	}
	bool toml = strcmp(format, "toml") == 0;
	if (!toml && strcmp(format, "yaml") != 0) {
		json_decref(table);
		vc_error_set(err, VC_ERR_USAGE, "unknown format '%s' (json, toml or yaml)", format);
		return NULL;
	}
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	if (toml)
		fprintf(f, "[hypervisor.%s]\n", name);
	else
		fprintf(f, "hypervisor:\n  %s:\n", name);
	const char *key;
	json_t *v;
	json_object_foreach(table, key, v)
	{
		fprintf(f, toml ? "%s = " : "    %s: ", key);
		put_value(f, v);
		fputc('\n', f);
	}
	fclose(f);
	json_decref(table);
	return out;
}
