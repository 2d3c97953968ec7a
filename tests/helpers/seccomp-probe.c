/* Exercises vcrun's hypervisor seccomp filter.
 *
 *   seccomp-probe syscalls   for every denied system call of this architecture: call it with
 *                            harmless arguments before and after applying the filter; after,
 *                            it must fail with EPERM. Allowed calls must keep working.
 *   seccomp-probe list       print the deny list (name per line)
 *   seccomp-probe exec PROG [ARG...]   apply the filter, then execv PROG (no shell)
 *
 * "Harmless arguments" means arguments that make the unfiltered call fail early (bad pointer,
 * bad fd, invalid flags) or do nothing (a no-op), so the probe changes nothing on the host
 * even as root. A call that already fails with EPERM unfiltered (no privilege) cannot show the
 * filter at work: it is reported as inconclusive. Exit: 0 all good, 1 a failure, 77 when too
 * many calls were inconclusive to say anything (run as root). */
#include <config.h>
#include "sandbox/seccomp.h"

#include <errno.h>
#include <linux/reboot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BADPTR ((void *)1) /* never mapped: the kernel answers EFAULT */

typedef long (*probe_fn)(void);

static unsigned long current_persona;

#define PROBE(name, ...)                                                                           \
	static long probe_##name(void)                                                             \
	{                                                                                          \
		return syscall(__VA_ARGS__);                                                       \
	}

PROBE(init_module, SYS_init_module, BADPTR, 0UL, "")
PROBE(finit_module, SYS_finit_module, -1, "", 0)
PROBE(delete_module, SYS_delete_module, BADPTR, 0)
PROBE(kexec_load, SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL) /* invalid flags: EINVAL */
PROBE(kexec_file_load, SYS_kexec_file_load, -1, -1, 0UL, NULL, 0xdead0000UL)
PROBE(reboot, SYS_reboot, 0, 0, 0, NULL) /* wrong magic: EINVAL */
PROBE(swapon, SYS_swapon, BADPTR, 0)
PROBE(swapoff, SYS_swapoff, BADPTR)
PROBE(mount, SYS_mount, NULL, BADPTR, NULL, 0UL, NULL)
PROBE(umount2, SYS_umount2, "/nonexistent-vcrun-probe", 0x7fff0000) /* invalid flags */
PROBE(pivot_root, SYS_pivot_root, BADPTR, BADPTR)
#ifdef SYS_fsopen
PROBE(fsopen, SYS_fsopen, BADPTR, 0)
PROBE(fsconfig, SYS_fsconfig, -1, 0, NULL, NULL, 0)
PROBE(fsmount, SYS_fsmount, -1, 0, 0)
PROBE(fspick, SYS_fspick, -1, BADPTR, 0)
PROBE(move_mount, SYS_move_mount, -1, BADPTR, -1, BADPTR, 0)
PROBE(open_tree, SYS_open_tree, -1, BADPTR, 0)
#endif
#ifdef SYS_mount_setattr
PROBE(mount_setattr, SYS_mount_setattr, -1, BADPTR, 0, NULL, 0)
#endif
PROBE(ptrace, SYS_ptrace, 12 /* PTRACE_GETREGS */, -1, NULL, NULL) /* no such pid: ESRCH */
/* Zero iovecs: a no-op that returns 0 unfiltered. */
PROBE(process_vm_writev, SYS_process_vm_writev, getpid(), NULL, 0UL, NULL, 0UL, 0UL)
PROBE(process_vm_readv, SYS_process_vm_readv, getpid(), NULL, 0UL, NULL, 0UL, 0UL)
PROBE(bpf, SYS_bpf, -1, NULL, 0)
PROBE(perf_event_open, SYS_perf_event_open, BADPTR, 0, -1, -1, 0UL)
PROBE(add_key, SYS_add_key, BADPTR, BADPTR, NULL, 0UL, 0)
PROBE(request_key, SYS_request_key, BADPTR, BADPTR, NULL, 0)
PROBE(keyctl, SYS_keyctl, -1, 0UL, 0UL, 0UL, 0UL) /* unknown operation */
PROBE(open_by_handle_at, SYS_open_by_handle_at, -1, BADPTR, 0)
PROBE(clock_settime, SYS_clock_settime, -1, BADPTR) /* invalid clock */
PROBE(clock_adjtime, SYS_clock_adjtime, -1, BADPTR)
PROBE(settimeofday, SYS_settimeofday, BADPTR, NULL)
PROBE(adjtimex, SYS_adjtimex, BADPTR)
PROBE(acct, SYS_acct, BADPTR) /* NULL would switch accounting off: use a bad pointer */
PROBE(personality, SYS_personality, current_persona) /* sets what is already set */
PROBE(syslog, SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER: read-only */, NULL, 0)
PROBE(iopl, SYS_iopl, 42)			 /* level > 3: EINVAL */
PROBE(ioperm, SYS_ioperm, 0xffffffffUL, 16UL, 0) /* out of range: EINVAL */
PROBE(unshare, SYS_unshare, 0)			 /* no flags: a no-op */
PROBE(setns, SYS_setns, -1, 0)
PROBE(sethostname, SYS_sethostname, BADPTR, 100000UL) /* too long: EINVAL */
PROBE(setdomainname, SYS_setdomainname, BADPTR, 100000UL)

static const struct {
	const char *name;
	probe_fn fn;
} probes[] = {
#define P(n)                                                                                       \
	{                                                                                          \
#n, probe_##n                                                                      \
	}
    P(init_module),
    P(finit_module),
    P(delete_module),
    P(kexec_load),
    P(kexec_file_load),
    P(reboot),
    P(swapon),
    P(swapoff),
    P(mount),
    P(umount2),
    P(pivot_root),
#ifdef SYS_fsopen
    P(fsopen),
    P(fsconfig),
    P(fsmount),
    P(fspick),
    P(move_mount),
    P(open_tree),
#endif
#ifdef SYS_mount_setattr
    P(mount_setattr),
#endif
    P(ptrace),
    P(process_vm_writev),
    P(process_vm_readv),
    P(bpf),
    P(perf_event_open),
    P(add_key),
    P(request_key),
    P(keyctl),
    P(open_by_handle_at),
    P(clock_settime),
    P(clock_adjtime),
    P(settimeofday),
    P(adjtimex),
    P(acct),
    P(personality),
    P(syslog),
    P(iopl),
    P(ioperm),
    P(unshare),
    P(setns),
    P(sethostname),
    P(setdomainname),
#undef P
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* Entries of the deny list that are not system calls on this architecture. */
static int not_on_this_arch(const char *name)
{
#if defined(__x86_64__)
	return strcmp(name, "stime") == 0;
#else
	(void)name;
	return 0;
#endif
}

static int find_probe(const char *name)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (strcmp(probes[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int run_probe(size_t i)
{
	errno = 0;
	long r = probes[i].fn();
	return r < 0 ? errno : 0;
}

static int check_allowed(void)
{
	int failures = 0;
	if (syscall(SYS_getpid) != getpid()) {
		printf("FAIL allowed getpid\n");
		failures++;
	}
	errno = 0;
	long p = syscall(SYS_personality, 0xffffffffUL);
	if (p < 0 || (unsigned long)p != current_persona) {
		printf("FAIL allowed personality(0xffffffff) query: %s\n", strerror(errno));
		failures++;
	}
	/* The filter compares 64 bits: a 64-bit -1 (a query to the kernel, which truncates) is
	 * denied, failing closed; so is an attempt to change the persona. */
	errno = 0;
	if (syscall(SYS_personality, ~0UL) != -1 || errno != EPERM) {
		printf("FAIL personality(~0UL) not denied\n");
		failures++;
	}
	errno = 0;
	if (syscall(SYS_personality, 0x0040000UL /* ADDR_NO_RANDOMIZE */) != -1 || errno != EPERM) {
		printf("FAIL personality(ADDR_NO_RANDOMIZE) not denied\n");
		failures++;
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		printf("FAIL no_new_privs is not set\n");
		failures++;
	}
	/* QEMU's -sandbox must still be able to stack its own filter. */
	unsigned int action = 0x7fff0000U; /* SECCOMP_RET_ALLOW */
	if (syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action) != 0) {
		printf("FAIL allowed seccomp(SECCOMP_GET_ACTION_AVAIL): %s\n", strerror(errno));
		failures++;
	}
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		printf("FAIL allowed clock_gettime: %s\n", strerror(errno));
		failures++;
	}
	if (failures == 0)
		printf("ok allowed: getpid personality-query prctl seccomp clock_gettime\n");
	return failures;
}

static int probe_syscalls(void)
{
	size_t n;
	const vc_seccomp_rule *rules = vc_seccomp_deny_list(&n);
	int before[NPROBES];
	int failures = 0, inconclusive = 0, tested = 0;

	current_persona = (unsigned long)syscall(SYS_personality, 0xffffffffUL);

	/* Every entry of the list must have a probe, so a new entry cannot go untested. */
	for (size_t i = 0; i < n; i++) {
		if (find_probe(rules[i].name) < 0 && !not_on_this_arch(rules[i].name)) {
			printf("FAIL %s: in the deny list but no probe for it\n", rules[i].name);
			failures++;
		}
	}
	for (size_t i = 0; i < NPROBES; i++)
		before[i] = run_probe(i);

	vc_error *err = NULL;
	if (vc_seccomp_apply_hypervisor_filter(&err) < 0) {
		printf("FAIL apply: %s\n", err->msg);
		vc_error_free(err);
		return 1;
	}
	if (!vc_seccomp_available()) {
		printf("SKIP built without libseccomp: nothing is filtered\n");
		return 77;
	}
	for (size_t i = 0; i < NPROBES; i++) {
		int after = run_probe(i);
		const char *b = before[i] ? strerrorname_np(before[i]) : "0";
		const char *a = after ? strerrorname_np(after) : "0";
		tested++;
		if (after != EPERM) {
			printf("FAIL %s: %s unfiltered, %s filtered (want EPERM)\n", probes[i].name,
			       b, a);
			failures++;
		} else if (before[i] == EPERM) {
			printf("inconclusive %s: EPERM even unfiltered\n", probes[i].name);
			inconclusive++;
		} else {
			printf("ok %s: %s unfiltered, EPERM filtered\n", probes[i].name, b);
		}
	}
	failures += check_allowed();
	printf("%d probed, %d failed, %d inconclusive\n", tested, failures, inconclusive);
	if (failures)
		return 1;
	if (inconclusive * 2 > tested)
		return 77;
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "syscalls") == 0) {
		/* _exit: LeakSanitizer's exit-time check stops the world with ptrace, which the
		 * filter now denies (the sanitizer builds would fail for the right reason). */
		int rc = probe_syscalls();
		fflush(stdout);
		_exit(rc);
	}
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		size_t n;
		const vc_seccomp_rule *rules = vc_seccomp_deny_list(&n);
		for (size_t i = 0; i < n; i++)
			printf("%s\n", rules[i].name);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		vc_error *err = NULL;
		if (vc_seccomp_apply_hypervisor_filter(&err) < 0) {
			fprintf(stderr, "seccomp-probe: %s\n", err->msg);
			vc_error_free(err);
			return 1;
		}
		execv(argv[2], &argv[2]);
		fprintf(stderr, "seccomp-probe: exec %s: %s\n", argv[2], strerror(errno));
		return 127;
	}
	fprintf(stderr, "usage: seccomp-probe syscalls | list | exec PROG [ARG...]\n");
	return 2;
}
