#include <config.h>
#include "fixture.h"
#include "util/xalloc.h"

#include <stdlib.h>

void vc_test_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void vc_test_strv_add(vc_strv *v, const char *s)
{
	v->v = xreallocarray(v->v, v->n + 2, sizeof(char *));
	v->v[v->n++] = xstrdup(s);
	v->v[v->n] = NULL;
}

vc_hypervisor_config *vc_test_qemu_config(void)
{
	vc_hypervisor_config *c = xzalloc(sizeof(*c));
	c->hypervisor_name = xstrdup("qemu");
	c->hypervisor_path = xstrdup("/usr/bin/qemu-system-x86_64");
	c->kernel_path = xstrdup("/opt/vc/vmlinuz");
	c->initrd_path = xstrdup("/opt/vc/initrd.img");
	c->machine_type = xstrdup("q35");
	c->machine_accelerators = xstrdup("");
	c->accelerator = VC_ACCEL_TCG;
	c->cpu_features = xstrdup("pmu=off");
	vc_params_init(&c->kernel_params);
	vc_params_init(&c->hypervisor_params);
	c->default_vcpus = 1;
	c->default_maxvcpus = 4;
	c->default_memory = 2048;
	c->memory_slots = 10;
	c->memory_offset = 0;
	c->default_maxmemory = 4096;
	c->default_bridges = 1;
	c->block_device_driver = VC_BLOCK_VIRTIO_SCSI;
	c->block_device_aio = xstrdup("threads");
	c->scsi_controllers = 1;
	c->entropy_source = xstrdup("/dev/urandom");
	c->seccompsandbox = xstrdup("");
	c->msize_9p = 8192;
	return c;
}
