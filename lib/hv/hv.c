/* The registry of backends. Adding one: an ops table and a line here. */
#include <config.h>
#include "hv/hv.h"

#include <string.h>

extern const vc_hv_ops vc_hv_qemu_ops;
extern const vc_hv_ops vc_hv_mock_ops;

static const vc_hv_ops *const backends[] = {&vc_hv_mock_ops, &vc_hv_qemu_ops};
static const char *const names[] = {"mock", "qemu", NULL};

const vc_hv_ops *vc_hv_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

const char *const *vc_hv_names(void)
{
	return names;
}
