/* vcrun's own seccomp filter for the hypervisor process (QEMU or the mock VM).
 *
 * The filter allows everything by default and makes a fixed list of system calls fail with
 * EPERM: calls a VMM never needs and that would turn a compromised QEMU into a compromised host
 * (module loading, kexec, mounts, ptrace, bpf, keyrings, clock setting, ...). It is meant to be
 * applied in the child that becomes the hypervisor, right before execve(): it sets no_new_privs
 * first, which the kernel requires for an unprivileged filter and which also stops setuid
 * binaries from gaining privileges (so a setuid helper such as qemu-bridge-helper, used by
 * `-netdev bridge`, would run unprivileged; vcrun does not use it). QEMU's own `-sandbox` filter
 * stacks on top of it (both are evaluated; the most restrictive result wins), so the two work
 * together.
 *
 * The list was checked against what QEMU 7.2 calls (strace -f of a TCG boot with `-S` and QMP
 * `cont`, with and without `-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,
 * resourcecontrol=deny`): QEMU calls none of the denied ones; it does call seccomp(2) and
 * prctl(2) (for its own sandbox), io_uring_setup, memfd_create, clone3, which stay allowed.
 * tests/security/seccomp-strace.sh repeats that check on every `make check`. */
#ifndef VC_SANDBOX_SECCOMP_H
#define VC_SANDBOX_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"

typedef struct vc_seccomp_rule {
	const char *name;  /* system call name as libseccomp and strace spell it */
	const char *why;   /* one line: why a hypervisor must not make this call */
	bool arg_filtered; /* only some uses are denied (personality: queries stay allowed) */
} vc_seccomp_rule;

/* The deny list, in a fixed order; *n receives its length. Available with and without
 * libseccomp (for `vcrun env` and tests). */
const vc_seccomp_rule *vc_seccomp_deny_list(size_t *n);

/* True when this build enforces the filter (configured with libseccomp). */
bool vc_seccomp_available(void);

/* The hypervisor filter compiled to BPF ahead of time (at build time), so that the child that
 * execs the hypervisor only has to install it: that child shares its parent's memory (see
 * lib/hv/spawn.h) and must not allocate. */
typedef struct vc_seccomp_program {
	struct sock_filter *insns; /* NULL: no filter (built without libseccomp) */
	unsigned short len;
} vc_seccomp_program;

/* The filter, as compiled when vcrun was built, copied into *p (free it with
 * vc_seccomp_program_clear): the build runs vc_seccomp_hypervisor_compile once
 * (lib/sandbox/seccomp-bpf-gen), so that create does not spend half a millisecond in
 * libseccomp before it can start the hypervisor. Built without libseccomp it gives an empty
 * program and logs a warning that the filter is not enforced. 0 or -1. */
int vc_seccomp_hypervisor_program(vc_seccomp_program *p, vc_error **err);
/* Compiles the filter with libseccomp now, for this machine's architecture (with libseccomp
 * only). 0 or -1. */
int vc_seccomp_hypervisor_compile(vc_seccomp_program *p, vc_error **err);
/* What the build compiled (lib/sandbox/seccomp-built.c, generated; with libseccomp only). */
extern const struct sock_filter vc_seccomp_built_filter[];
extern const unsigned short vc_seccomp_built_filter_len;
void vc_seccomp_program_clear(vc_seccomp_program *p);
/* Sets PR_SET_NO_NEW_PRIVS and installs p's filter (if any) in the calling thread: two system
 * calls, no allocation, no stdio. 0, or the errno value of the call that failed. */
int vc_seccomp_program_install(const vc_seccomp_program *p);

/* vc_seccomp_hypervisor_program + vc_seccomp_program_install in the calling process (for a
 * single-threaded process about to exec, e.g. tests/helpers/seccomp-probe). 0 or -1. */
int vc_seccomp_apply_hypervisor_filter(vc_error **err);

#endif
