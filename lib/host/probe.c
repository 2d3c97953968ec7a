#include <config.h>
#include "host/probe.h"
#include "util/cleanup.h"
#include "util/log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "MemTotal:   16333532 kB": the label, a decimal number, an optional kB unit, nothing else. */
static bool parse_memtotal(const char *line, uint64_t *kb)
{
	static const char label[] = "MemTotal:";
	if (strncmp(line, label, sizeof(label) - 1) != 0)
		return false;
	const char *p = line + sizeof(label) - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		return false;
	p = end;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "kB", 2) == 0)
		p += 2;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p)
		return false;
	*kb = v;
	return true;
}

int vc_host_memtotal_kb(const char *meminfo_path, uint64_t *kb, vc_error **err)
{
	cleanup_file FILE *f = fopen(meminfo_path, "re");
	if (!f)
		return vc_error_set_errno(err, errno, "open '%s'", meminfo_path);
	cleanup_free char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0)
		if (parse_memtotal(line, kb))
			return 0;
	return vc_error_set(err, VC_ERR_NOT_FOUND, "no MemTotal line in '%s'", meminfo_path);
}

int vc_host_cpu_has_flag(const char *cpuinfo_path, const char *flag, bool *has, vc_error **err)
{
	cleanup_file FILE *f = fopen(cpuinfo_path, "re");
	if (!f)
		return vc_error_set_errno(err, errno, "open '%s'", cpuinfo_path);
	cleanup_free char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		/* "flags\t\t: fpu vme ..." */
		if (strncmp(line, "flags", 5) != 0)
			continue;
		char *p = line + 5;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ':')
			continue;
		*has = false;
		char *save = NULL;
		for (char *tok = strtok_r(p + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			if (strcmp(tok, flag) == 0)
				*has = true;
		return 0;
	}
	return vc_error_set(err, VC_ERR_NOT_FOUND, "no flags line in '%s'", cpuinfo_path);
}

int vc_host_running_on_vmm(const char *cpuinfo_path, bool *on_vmm, vc_error **err)
{
	return vc_host_cpu_has_flag(cpuinfo_path, "hypervisor", on_vmm, err);
}

bool vc_host_is_vm(void)
{
	/* Asked more than once by create (the argv, then the state for hotplug); the answer
	 * cannot change while vcrun runs, and /proc/cpuinfo is slow to generate. */
	static int known = -1;
	if (known >= 0)
		return known;
	bool on_vmm = false;
	vc_error *err = NULL;
	if (vc_host_running_on_vmm(VC_PROC_CPUINFO, &on_vmm, &err) < 0) {
		char *msg = vc_error_format(err);
		vc_debug("nesting check skipped, host taken for bare metal: %s", msg);
		free(msg);
		vc_error_free(err);
		on_vmm = false;
	}
	known = on_vmm;
	return on_vmm;
}

unsigned vc_host_cpu_count(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		int n = CPU_COUNT(&set);
		if (n > 0)
			return (unsigned)n;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

bool vc_host_kvm_usable(const char *path)
{
	int fd = open(path ? path : VC_DEV_KVM, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
