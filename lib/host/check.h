/* Host checks (Kata's kata-check): can this host run vcrun's VMs, and how well?
 *
 * Every probe reads /proc, /sys and /dev under a root prefix, so tests feed fixture trees and an
 * operator can inspect another root. The result is a list of checks, each ok / warning /
 * missing with a reason, and a verdict: `can_run` when QEMU itself runs (TCG counts, slowly),
 * `kvm` when hardware-accelerated VMs are possible. */
#ifndef VC_HOST_CHECK_H
#define VC_HOST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"

typedef enum {
	VC_CHECK_OK = 0,
	VC_CHECK_WARNING, /* works, but slower or with a feature missing */
	VC_CHECK_MISSING, /* absent or unusable */
} vc_check_status;

typedef struct vc_check_item {
	char *name; /* stable identifier, e.g. "cpu-virtualisation", "module-kvm" */
	vc_check_status status;
	char *detail; /* what was found, or why it is missing */
} vc_check_item;

/* Opens the KVM device and tries to create a VM: 0 when usable, else -1 with *why set (owned
 * by the caller). Replaceable for tests (fixture trees cannot hold a character device). */
typedef int (*vc_kvm_probe_fn)(const char *dev_kvm, char **why);

typedef struct vc_host_check_opts {
	const char *root;      /* prefix for /proc, /sys, /dev; NULL or "" or "/" = the real host */
	const char *qemu_path; /* QEMU binary to run with --version; NULL = built-in default */
	vc_kvm_probe_fn kvm_probe; /* NULL = vc_host_probe_kvm */
} vc_host_check_opts;

typedef struct vc_host_report {
	vc_check_item *items;
	size_t n;
	char *cpu_vendor;   /* vendor_id, e.g. GenuineIntel; NULL if unknown */
	char *cpu_model;    /* model name */
	char *qemu_version; /* e.g. "7.2.22"; NULL when QEMU did not run */
	bool nested;	    /* the host is itself a VM (cpuinfo `hypervisor` flag) */
	bool kvm;	    /* hardware virtualisation usable end to end */
	bool can_run;	    /* QEMU runs: VMs are possible (TCG when !kvm) */
	char *verdict;	    /* one line for people */
} vc_host_report;

/* Runs every check. Fails (-1 with *err) only when nothing could be checked at all (e.g. no
 * /proc/cpuinfo under the root); individual problems are items, not errors. */
int vc_host_check(const vc_host_check_opts *opts, vc_host_report *out, vc_error **err);
void vc_host_report_free(vc_host_report *r);

const char *vc_check_status_name(vc_check_status s);

/* The real KVM probe: open O_RDWR, KVM_GET_API_VERSION == 12, KVM_CREATE_VM. */
int vc_host_probe_kvm(const char *dev_kvm, char **why);

/* Runs `QEMU --version` (fork/execv, never a shell; 5 s timeout) and returns the version number
 * from its first line ("QEMU emulator version 7.2.22 (...)" gives "7.2.22"), or NULL with *err.
 * *first_line, when not NULL, receives the whole first line. */
char *vc_host_qemu_version(const char *qemu_path, char **first_line, vc_error **err);

#endif
