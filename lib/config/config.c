#include <config.h>
#include "config/config.h"

#include <stdlib.h>

void vc_strv_free(vc_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

const char *vc_config_asset_path(const vc_hypervisor_config *c, vc_asset_kind kind)
{
	if (kind < VC_ASSET_COUNT && c->custom_assets[kind] && *c->custom_assets[kind])
		return c->custom_assets[kind];
	switch (kind) {
	case VC_ASSET_KERNEL:
		return c->kernel_path;
	case VC_ASSET_INITRD:
		return c->initrd_path;
	case VC_ASSET_IMAGE:
		return c->image_path;
	case VC_ASSET_FIRMWARE:
		return c->firmware_path;
	case VC_ASSET_HYPERVISOR:
		return c->hypervisor_path;
	case VC_ASSET_COUNT:
		break;
	}
	return NULL;
}

void vc_config_free(vc_hypervisor_config *c)
{
	if (!c)
		return;
	free(c->hypervisor_name);
	free(c->source_file);
	free(c->hypervisor_path);
	free(c->kernel_path);
	free(c->initrd_path);
	free(c->image_path);
	free(c->firmware_path);
	vc_strv_free(&c->pflashes);
	for (int i = 0; i < VC_ASSET_COUNT; i++) {
		free(c->custom_assets[i]);
		free(c->asset_hashes[i]);
	}
	free(c->machine_type);
	free(c->machine_accelerators);
	free(c->cpu_features);
	vc_params_free(&c->kernel_params);
	vc_params_free(&c->hypervisor_params);
	free(c->block_device_aio);
	free(c->file_mem_backend);
	free(c->entropy_source);
	vc_strv_free(&c->valid_entropy_sources);
	free(c->seccompsandbox);
	vc_strv_free(&c->valid_hypervisor_paths);
	vc_strv_free(&c->enable_annotations);
	free(c->shared_fs);
	free(c);
}
