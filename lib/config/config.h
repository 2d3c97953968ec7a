/* The validated hypervisor configuration: what the loader fills from [hypervisor.qemu] (TOML or
 * YAML), with defaults and clamps applied, and what the QEMU argv builder consumes. String
 * fields are owned (NULL or "" when unset). Sizes in MiB unless the name says otherwise. */
#ifndef VC_CONFIG_CONFIG_H
#define VC_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "config/params.h"
#include "util/error.h"

#define VC_MAX_SCSI_CONTROLLERS 16
#define VC_MAX_BRIDGES 5

typedef enum {
	VC_ACCEL_AUTO = 0, /* KVM when /dev/kvm works, else TCG (resolved by the loader) */
	VC_ACCEL_KVM,
	VC_ACCEL_TCG,
} vc_accel;

typedef enum {
	VC_BLOCK_VIRTIO_SCSI = 0,
	VC_BLOCK_VIRTIO_BLK,
} vc_block_driver;

typedef struct vc_strv {
	char **v; /* NULL-terminated */
	size_t n;
} vc_strv;

/* Assets the command line or annotations may override (the seed's customAssets). */
typedef enum {
	VC_ASSET_KERNEL = 0,
	VC_ASSET_INITRD,
	VC_ASSET_IMAGE,
	VC_ASSET_FIRMWARE,
	VC_ASSET_HYPERVISOR,
	VC_ASSET_COUNT,
} vc_asset_kind;

typedef struct vc_hypervisor_config {
	char *hypervisor_name; /* "qemu" or "mock": the table it came from */
	char *source_file;     /* the main configuration file */

	/* paths */
	char *hypervisor_path; /* `path` */
	char *kernel_path;
	char *initrd_path;
	char *image_path;
	char *firmware_path;
	vc_strv pflashes;
	char *custom_assets[VC_ASSET_COUNT]; /* override the fields above when set */
	/* Expected SHA-512 (128 lowercase hex digits) of an asset, from the annotations
	 * io.katacontainers.config.hypervisor.{kernel,initrd,image,firmware}_hash; NULL = none.
	 * The loader only checks the form; the digest is verified where the asset is opened. */
	char *asset_hashes[VC_ASSET_COUNT];

	/* machine */
	char *machine_type;
	char *machine_accelerators; /* normalised comma list: items trimmed, empties dropped */
	vc_accel accelerator;	    /* resolved: never AUTO after vc_config_finalize() */
	char *cpu_features;
	vc_params kernel_params;
	vc_params hypervisor_params;

	/* cpu and memory */
	uint32_t default_vcpus;
	uint32_t default_maxvcpus;
	uint32_t default_memory; /* MiB */
	uint32_t memory_slots;
	uint64_t memory_offset;	    /* MiB, added to maxmem */
	uint64_t default_maxmemory; /* MiB */
	uint32_t default_bridges;

	/* storage */
	bool disable_block_device_use;
	vc_block_driver block_device_driver;
	char *block_device_aio; /* "threads", "native", "io_uring" */
	bool block_device_cache_set;
	bool block_device_cache_direct;
	bool block_device_cache_noflush;
	bool enable_iothreads;
	uint32_t indep_iothreads;
	uint32_t scsi_controllers; /* 1..16 */

	/* memory backends */
	bool enable_mem_prealloc;
	bool enable_hugepages;
	char *file_mem_backend;
	bool enable_swap;
	bool realtime;
	bool mlock; /* derived: realtime && !enable_swap */

	/* misc */
	bool enable_debug;
	bool disable_nesting_checks;
	bool disable_image_nvdimm;
	bool use_legacy_serial;
	char *entropy_source;
	vc_strv valid_entropy_sources;
	char *seccompsandbox;
	vc_strv valid_hypervisor_paths;
	vc_strv enable_annotations;
	uint32_t msize_9p;
	char *shared_fs;
	bool disable_seccomp; /* vcrun's own: turn off vcrun's seccomp filter for the hypervisor */
} vc_hypervisor_config;

/* The path an asset resolves to: the custom asset when set, else the configured one. */
const char *vc_config_asset_path(const vc_hypervisor_config *c, vc_asset_kind kind);

void vc_config_free(vc_hypervisor_config *c);
void vc_strv_free(vc_strv *s);

#endif
