/* Test helper: a vc_hypervisor_config filled the way the loader fills it from an empty
 * [hypervisor.qemu] table (REFERENCE.md §1 defaults), with the host-dependent values fixed so
 * expected argv can be written down: 1 vCPU of at most 4, 2048 MiB of at most 4096 MiB, TCG. */
#ifndef VC_TESTS_QEMU_FIXTURE_H
#define VC_TESTS_QEMU_FIXTURE_H

#include "config/config.h"

vc_hypervisor_config *vc_test_qemu_config(void);
/* Replaces a string field (frees the old value); NULL clears it. */
void vc_test_set(char **field, const char *value);
void vc_test_strv_add(vc_strv *v, const char *s);

#endif
