/* The one table of configuration keys of a [hypervisor.*] table. Each row says the key's name,
 * its type, its default, where it lands in vc_hypervisor_config, the clamp or normalisation
 * applied after loading, whether an OCI annotation may override it, and one line of
 * documentation. The loader, the defaults, `config show`, the "did you mean" suggestions and
 * the man-page check all read this table: adding a key is one row plus its use. */
#ifndef VC_CONFIG_SCHEMA_H
#define VC_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config/config.h"
#include "util/error.h"

typedef enum {
	VC_KEY_STRING,	/* char *; `choices` (when set) lists the accepted values */
	VC_KEY_BOOL,	/* bool */
	VC_KEY_INT,	/* uint32_t or uint64_t (`size`), checked against [min, max] */
	VC_KEY_STRV,	/* vc_strv, from an array of strings */
	VC_KEY_PARAMS,	/* vc_params, from a space-separated string */
	VC_KEY_ENUM,	/* an enum field: index of the value in `choices` */
	VC_KEY_IGNORED, /* a Kata key vcrun accepts and does not act on */
} vc_key_type;

/* Applied after the file and the overrides are read; each change is logged at debug level. */
typedef enum {
	VC_CLAMP_NONE = 0,
	VC_CLAMP_EMPTY_DEFAULT, /* "" → the default */
	VC_CLAMP_COMMA_LIST,	/* items trimmed, empty items dropped */
	VC_CLAMP_VCPUS,		/* <0 or > host CPUs → host CPUs; 0 → 1 */
	VC_CLAMP_MAXVCPUS,	/* 0 or > host CPUs → host CPUs; at most VC_MAX_VCPUS */
	VC_CLAMP_MEMORY,	/* 0 → error; < 8 → 2048 */
	VC_CLAMP_MAXMEMORY,	/* 0 or > host RAM → host RAM */
	VC_CLAMP_BRIDGES,	/* 0 → 1; > 5 → 5 */
	VC_CLAMP_HUGEPAGES,	/* true implies enable_mem_prealloc */
} vc_clamp_rule;

#define VC_MAX_VCPUS 240 /* x86-64 */

typedef struct vc_config_key {
	const char *name;
	vc_key_type type;
	size_t offset;	  /* of the field in vc_hypervisor_config */
	unsigned size;	  /* VC_KEY_INT: 4 or 8 bytes */
	const char *def;  /* default, written as in a file: "q35", "true", "10", "a,b" (STRV) */
	int64_t min, max; /* VC_KEY_INT: accepted range of the written value */
	const char *const *choices; /* NULL-terminated */
	vc_clamp_rule clamp;
	bool annotation; /* io.katacontainers.config.hypervisor.<name> may override it */
	const char *doc;
} vc_config_key;

extern const vc_config_key vc_config_keys[];
extern const size_t vc_config_keys_count;

const vc_config_key *vc_config_key_find(const char *name);
/* The known key nearest to `name` (edit distance), or NULL when none is close. */
const char *vc_config_key_suggest(const char *name);
/* Nearest of a NULL-terminated list, or NULL. */
const char *vc_suggest(const char *name, const char *const *candidates);

/* Stores the default of every (non-ignored) key into c. */
void vc_config_set_defaults(vc_hypervisor_config *c);

/* The effective configuration, shaped like the input: {"hypervisor": {NAME: {key: value}}}
 * with every key of the table that vcrun acts on, in table order. format is "json", "toml" or
 * "yaml"; returns a new string (ending with a newline) or NULL with *err set. */
char *vc_config_dump(const vc_hypervisor_config *c, const char *format, vc_error **err);

#endif
