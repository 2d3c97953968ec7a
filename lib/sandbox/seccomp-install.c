/* Installing a compiled hypervisor filter (with or without libseccomp): what the child that
 * execs the hypervisor does, so nothing here allocates or uses stdio. */
#include <config.h>
#include "sandbox/seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/prctl.h>

int vc_seccomp_program_install(const vc_seccomp_program *p)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return errno;
	if (!p || !p->insns)
		return 0;
	/* No thread sync (SECCOMP_FILTER_FLAG_TSYNC): the caller has one thread, and valgrind
	 * does not support it. */
	struct sock_fprog prog = {.len = p->len, .filter = p->insns};
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return errno;
	return 0;
}

void vc_seccomp_program_clear(vc_seccomp_program *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

int vc_seccomp_apply_hypervisor_filter(vc_error **err)
{
	vc_seccomp_program p;
	if (vc_seccomp_hypervisor_program(&p, err) < 0)
		return -1;
	int e = vc_seccomp_program_install(&p);
	vc_seccomp_program_clear(&p);
	if (e != 0)
		return vc_error_set_errno(err, e, "seccomp: cannot load the hypervisor filter");
	return 0;
}
