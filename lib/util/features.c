#include <config.h>
#include "util/features.h"
#include "hv/hv.h"

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

/* Hypervisors come from lib/hv's registry. */
static const char *const config_formats[] = {"toml", "yaml", NULL};
static const char *const annotations[] = {
    "io.katacontainers.config.hypervisor.path",
    "io.katacontainers.config.hypervisor.kernel",
    "io.katacontainers.config.hypervisor.initrd",
    "io.katacontainers.config.hypervisor.image",
    "io.katacontainers.config.hypervisor.firmware",
    "io.katacontainers.config.hypervisor.kernel_hash",
    "io.katacontainers.config.hypervisor.initrd_hash",
    "io.katacontainers.config.hypervisor.image_hash",
    "io.katacontainers.config.hypervisor.firmware_hash",
    "io.katacontainers.config.hypervisor.kernel_params",
    "io.katacontainers.config.hypervisor.machine_type",
    "io.katacontainers.config.hypervisor.machine_accelerators",
    "io.katacontainers.config.hypervisor.cpu_features",
    "io.katacontainers.config.hypervisor.default_vcpus",
    "io.katacontainers.config.hypervisor.default_maxvcpus",
    "io.katacontainers.config.hypervisor.default_memory",
    "io.katacontainers.config.hypervisor.memory_slots",
    "io.katacontainers.config.hypervisor.memory_offset",
    "io.katacontainers.config.hypervisor.default_maxmemory",
    "io.katacontainers.config.hypervisor.default_bridges",
    "io.katacontainers.config.hypervisor.disable_block_device_use",
    "io.katacontainers.config.hypervisor.block_device_driver",
    "io.katacontainers.config.hypervisor.block_device_aio",
    "io.katacontainers.config.hypervisor.block_device_cache_set",
    "io.katacontainers.config.hypervisor.block_device_cache_direct",
    "io.katacontainers.config.hypervisor.block_device_cache_noflush",
    "io.katacontainers.config.hypervisor.enable_iothreads",
    "io.katacontainers.config.hypervisor.indep_iothreads",
    "io.katacontainers.config.hypervisor.scsi_controllers",
    "io.katacontainers.config.hypervisor.enable_mem_prealloc",
    "io.katacontainers.config.hypervisor.enable_hugepages",
    "io.katacontainers.config.hypervisor.file_mem_backend",
    "io.katacontainers.config.hypervisor.enable_swap",
    "io.katacontainers.config.hypervisor.enable_debug",
    "io.katacontainers.config.hypervisor.disable_nesting_checks",
    "io.katacontainers.config.hypervisor.disable_image_nvdimm",
    "io.katacontainers.config.hypervisor.use_legacy_serial",
    "io.katacontainers.config.hypervisor.entropy_source",
    "io.katacontainers.config.hypervisor.msize_9p",
    "io.katacontainers.config.hypervisor.shared_fs",
    NULL,
};

const char *const *vc_build_features(void)
{
	return build_features;
}

const char *const *vc_features_hypervisors(void)
{
	return vc_hv_names();
}

const char *const *vc_features_config_formats(void)
{
	return config_formats;
}

const char *const *vc_features_annotations(void)
{
	return annotations;
}
