/* Host facts read from /proc and /dev, each taking the path it reads so that tests can feed
 * fixtures (the seed's getHostMemorySizeKb and RunningOnVMM). */
#ifndef VC_HOST_PROBE_H
#define VC_HOST_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "util/error.h"

#define VC_PROC_MEMINFO "/proc/meminfo"
#define VC_PROC_CPUINFO "/proc/cpuinfo"
#define VC_DEV_KVM "/dev/kvm"

/* MemTotal of a meminfo file in KiB; malformed lines are skipped. Errors when the file cannot
 * be read or has no well-formed MemTotal line. */
int vc_host_memtotal_kb(const char *meminfo_path, uint64_t *kb, vc_error **err);

/* Whether the first "flags" line of a cpuinfo file has the `hypervisor` flag (the host is
 * itself a VM). Errors when the file cannot be read or has no flags line. */
int vc_host_running_on_vmm(const char *cpuinfo_path, bool *on_vmm, vc_error **err);

/* vc_host_running_on_vmm on /proc/cpuinfo, for callers that build a VM: a host whose cpuinfo
 * cannot be read is taken for bare metal (logged at debug level). */
bool vc_host_is_vm(void);

/* Whether the first "flags" line of a cpuinfo file has `flag`. */
int vc_host_cpu_has_flag(const char *cpuinfo_path, const char *flag, bool *has, vc_error **err);

/* CPUs this process may run on (sched affinity), at least 1. */
unsigned vc_host_cpu_count(void);

/* Whether the KVM device can be opened read-write (path NULL = /dev/kvm). */
bool vc_host_kvm_usable(const char *path);

#endif
