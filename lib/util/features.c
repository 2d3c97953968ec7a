#include "config.h"
#include "util/features.h"

#include <stddef.h>

static const char *const build_features[] = {
#ifdef HAVE_SECCOMP
	"+seccomp",
#else
	"-seccomp",
#endif
	"+json-log",
	NULL,
};

/* Filled in as backends and loaders land (see lib/hv and lib/config). */
static const char *const hypervisors[] = {NULL};
static const char *const config_formats[] = {NULL};
static const char *const annotations[] = {NULL};

const char *const *vc_build_features(void)
{
	return build_features;
}

const char *const *vc_features_hypervisors(void)
{
	return hypervisors;
}

const char *const *vc_features_config_formats(void)
{
	return config_formats;
}

const char *const *vc_features_annotations(void)
{
	return annotations;
}
