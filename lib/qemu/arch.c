/* The arch registry: lookup by name and the host default (the only place that looks at the
 * compiler's idea of the host architecture). */
#include <config.h>
#include "qemu/arch.h"

#include <string.h>

static const vc_arch *const arches[] = {&vc_arch_x86_64, &vc_arch_aarch64};

const vc_arch *vc_arch_lookup(const char *name)
{
	if (!name)
		return NULL;
	if (strcmp(name, "amd64") == 0)
		name = "x86_64";
	else if (strcmp(name, "arm64") == 0)
		name = "aarch64";
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i]->name, name) == 0)
			return arches[i];
	return NULL;
}

const vc_arch *vc_arch_host(void)
{
#if defined(__aarch64__)
	return &vc_arch_aarch64;
#else
	return &vc_arch_x86_64;
#endif
}

/* "pc-q35-7.2" is a versioned q35: a prefix followed by '-' matches; first entry wins */
static const vc_arch_bus *find_machine(const vc_arch *a, const char *machine)
{
	for (const vc_arch_bus *b = a->buses; machine && b->machine; b++) {
		size_t n = strlen(b->machine);
		if (strncmp(b->machine, machine, n) == 0 &&
		    (machine[n] == '\0' || machine[n] == '-'))
			return b;
	}
	return NULL;
}

const char *vc_arch_bridge_bus(const vc_arch *a, const char *machine)
{
	const vc_arch_bus *b = find_machine(a, machine);
	return b ? b->bus : a->default_bus;
}

bool vc_arch_has_machine(const vc_arch *a, const char *machine)
{
	return find_machine(a, machine) != NULL;
}

const vc_arch *vc_arch_of_machine(const char *machine)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (find_machine(arches[i], machine))
			return arches[i];
	return NULL;
}

const char *vc_arch_names(void)
{
	return "x86_64 (amd64), aarch64 (arm64)";
}
