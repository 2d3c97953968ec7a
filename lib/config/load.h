/* Loading the configuration: find the file, parse it (TOML or YAML), apply drop-ins, select the
 * hypervisor table, fill vc_hypervisor_config, apply defaults and clamps, custom assets and
 * annotations, validate. Implemented in lib/config/load.c (issue [3/8]). */
#ifndef VC_CONFIG_LOAD_H
#define VC_CONFIG_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "config/config.h"
#include "config/doc.h"
#include "util/error.h"

typedef struct vc_config_request {
	const char *path;	/* --config / VCRUN_CONFIG; NULL = search the default places */
	const char *hypervisor; /* --hypervisor NAME; NULL = the one table in the file */
	/* --kernel, --initrd, --image, --firmware, --hypervisor-path; NULL = not given */
	const char *assets[VC_ASSET_COUNT];
	const char *bundle; /* OCI bundle whose config.json annotations apply; NULL = none */
	bool check_host;    /* assets and hypervisor binary exist, initrd fits in memory, ... */

	/* Where defaults and host facts come from; NULL/0 = the real places. Tests use these (and
	 * the environment variables named) to stay independent of the machine. */
	const char *system_path;  /* NULL = /etc/vcrun/configuration.toml */
	const char *datadir;	  /* NULL = $VCRUN_DATADIR, else VC_DATADIR */
	const char *meminfo_path; /* NULL = $VCRUN_MEMINFO, else /proc/meminfo */
	const char *kvm_path;	  /* NULL = $VCRUN_KVM_DEVICE, else /dev/kvm */
	unsigned host_cpus;	  /* 0 = $VCRUN_HOST_CPUS, else the CPUs we may run on */
} vc_config_request;

typedef enum { VC_CONFIG_TOML, VC_CONFIG_YAML } vc_config_format;

/* The format of a file: by extension (.toml, .yaml, .yml), else by content. */
vc_config_format vc_config_detect_format(const char *filename, const char *buf, size_t len);

/* Parses one configuration document in either format into the shared document tree. */
vc_doc_node *vc_config_parse(const char *buf, size_t len, const char *filename, vc_error **err);

/* vc_config_load on a document in memory (no search, no drop-ins; req->path ignored): for
 * tests and the fuzzer. */
vc_hypervisor_config *vc_config_load_buffer(const vc_config_request *req, const char *buf,
					    size_t len, const char *filename, vc_error **err);

/* Returns a new config, or NULL with every error found chained in *err, each with its
 * file:line:col where there is one. */
vc_hypervisor_config *vc_config_load(const vc_config_request *req, vc_error **err);

#endif
