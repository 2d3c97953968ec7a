/* Loading the configuration: find the file, parse it (TOML or YAML), apply drop-ins, select the
 * hypervisor table, fill vc_hypervisor_config, apply defaults and clamps, custom assets and
 * annotations, validate. Implemented in lib/config/load.c (issue [3/8]). */
#ifndef VC_CONFIG_LOAD_H
#define VC_CONFIG_LOAD_H

#include <stdbool.h>
#include "config/config.h"
#include "util/error.h"

typedef struct vc_config_request {
	const char *path;       /* --config / VCRUN_CONFIG; NULL = search the default places */
	const char *hypervisor; /* --hypervisor NAME; NULL = the one table in the file */
	/* --kernel, --initrd, --image, --firmware, --hypervisor-path; NULL = not given */
	const char *assets[VC_ASSET_COUNT];
	const char *bundle; /* OCI bundle whose config.json annotations apply; NULL = none */
	bool check_host;    /* assets and hypervisor binary exist, initrd fits in memory, ... */
} vc_config_request;

/* Returns a new config, or NULL with every error found chained in *err, each with its
 * file:line:col where there is one. */
vc_hypervisor_config *vc_config_load(const vc_config_request *req, vc_error **err);

#endif
