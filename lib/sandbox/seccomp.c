/* The hypervisor filter compiled with libseccomp: default allow, EPERM for the deny list. The
 * build runs it once (lib/sandbox/seccomp-bpf-gen) and vcrun carries the result. */
#include <config.h>
#include "sandbox/seccomp.h"
#include "util/log.h"

#include "util/cleanup.h"
#include "util/xalloc.h"

#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

bool vc_seccomp_available(void)
{
	return true;
}

static void release_ctx(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

static int add_rule(scmp_filter_ctx ctx, const vc_seccomp_rule *r, vc_error **err)
{
	int nr = seccomp_syscall_resolve_name(r->name);
	if (nr == __NR_SCMP_ERROR)
		return vc_error_set(err, VC_ERR_GENERIC, "seccomp: unknown system call '%s'",
				    r->name);
	if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, r->name) == __NR_SCMP_ERROR ||
	    nr < 0) {
		/* Not a system call of this architecture (e.g. stime on x86-64): nothing to deny.
		 */
		return 0;
	}
	int rc;
	if (strcmp(r->name, "personality") == 0) {
		/* Let the query personality(0xffffffff) through, as glibc and QEMU spell it. The
		 * kernel reads the argument as unsigned int, so 0xffffffff with high bits set is a
		 * query too; the filter compares all 64 bits and denies those: it fails closed. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
				      SCMP_A0_64(SCMP_CMP_NE, 0xffffffffULL));
	} else {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	if (rc < 0)
		return vc_error_set_errno(err, -rc, "seccomp: cannot add a rule for '%s'", r->name);
	return 0;
}

int vc_seccomp_hypervisor_compile(vc_seccomp_program *p, vc_error **err)
{
	p->insns = NULL;
	p->len = 0;
	__attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return vc_error_set(err, VC_ERR_GENERIC, "seccomp: cannot create a filter");
	/* Only the native ABI is in the filter: a system call through another ABI (int 0x80 or x32
	 * on x86-64, which QEMU never uses) hits libseccomp's bad-arch action and kills the
	 * process, so the deny list cannot be bypassed by calling the 32-bit numbers. */
	size_t n;
	const vc_seccomp_rule *rules = vc_seccomp_deny_list(&n);
	for (size_t i = 0; i < n; i++)
		if (add_rule(ctx, &rules[i], err) < 0)
			return -1;
	/* libseccomp hands the compiled program out only through a descriptor. */
	cleanup_close int fd = memfd_create("vcrun-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "seccomp: memfd_create");
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return vc_error_set_errno(err, -rc,
					  "seccomp: cannot compile the hypervisor filter");
	off_t size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
	    size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
		return vc_error_set(
		    err, VC_ERR_GENERIC,
		    "seccomp: the compiled filter has an unexpected size (%lld bytes)",
		    (long long)size);
	struct sock_filter *insns = xmalloc((size_t)size);
	if (pread(fd, insns, (size_t)size, 0) != (ssize_t)size) {
		int e = errno;
		free(insns);
		return vc_error_set_errno(err, e, "seccomp: read the compiled filter");
	}
	p->insns = insns;
	p->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}
