/* Kernel and hypervisor parameters as Key/Value pairs (the seed's Param type). */
#ifndef VC_CONFIG_PARAMS_H
#define VC_CONFIG_PARAMS_H

#include <stddef.h>
#include "util/error.h"
#include "util/argv.h"

typedef struct vc_param {
	char *key;   /* may be "" only for value-only params produced by deserialization */
	char *value; /* NULL or "" when the param is key-only */
} vc_param;

typedef struct vc_params {
	vc_param *items;
	size_t n, cap;
} vc_params;

void vc_params_init(vc_params *p);
void vc_params_free(vc_params *p);
/* The seed's AddKernelParam: an empty key is an error. */
int vc_params_add(vc_params *p, const char *key, const char *value, vc_error **err);
void vc_params_append_all(vc_params *dst, const vc_params *src);
/* The seed's DeserializeParams: each space-separated item split on its first '='. */
void vc_params_deserialize(vc_params *p, const char *s);
/* The seed's SerializeParams: "key<delim>value" per param; with an empty delim the key and the
 * value become two items; empty/empty pairs are skipped, key-only and value-only kept. */
void vc_params_serialize(const vc_params *p, const char *delim, vc_argv *out);
/* Joined with single spaces (the -append string). Caller frees. */
char *vc_params_join(const vc_params *p);

#endif
