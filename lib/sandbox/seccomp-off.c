/* Built with --disable-seccomp (or without libseccomp): there is no filter to load. The child
 * still sets no_new_privs (vc_seccomp_program_install needs no library); say loudly that the
 * filter is not enforced. */
#include <config.h>
#include "sandbox/seccomp.h"
#include "util/log.h"


bool vc_seccomp_available(void)
{
	return false;
}

int vc_seccomp_hypervisor_program(vc_seccomp_program *p, vc_error **err)
{
	(void)err;
	p->insns = NULL;
	p->len = 0;
	vc_warn("seccomp: built without libseccomp; the hypervisor runs without vcrun's filter");
	return 0;
}
