/* Built with --disable-seccomp (or without libseccomp): the filter cannot be loaded. Still set
 * no_new_privs, which needs no library, and say loudly that the filter is not enforced. */
#include <config.h>
#include "sandbox/seccomp.h"
#include "util/log.h"

#include <errno.h>
#include <sys/prctl.h>

bool vc_seccomp_available(void)
{
	return false;
}

int vc_seccomp_apply_hypervisor_filter(vc_error **err)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return vc_error_set_errno(err, errno, "seccomp: cannot set no_new_privs");
	vc_warn("seccomp: built without libseccomp; the hypervisor runs without vcrun's filter");
	return 0;
}
