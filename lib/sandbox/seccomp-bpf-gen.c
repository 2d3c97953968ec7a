/* seccomp-bpf-gen: a build tool. Compiles the hypervisor filter with libseccomp
 * (vc_seccomp_hypervisor_compile) and prints it as C source: the filter vcrun carries
 * (lib/sandbox/seccomp-program.c). The build and the run are the same architecture (vcrun is
 * not cross-compiled); a unit test compares the carried filter with a fresh compile. */
#include <config.h>
#include "sandbox/seccomp.h"

#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	vc_error *err = NULL;
	vc_seccomp_program p;
	if (vc_seccomp_hypervisor_compile(&p, &err) < 0) {
		char *msg = vc_error_format(err);
		fprintf(stderr, "seccomp-bpf-gen: %s\n", msg);
		free(msg);
		vc_error_free(err);
		return 1;
	}
	printf("/* Generated at build time by lib/sandbox/seccomp-bpf-gen: the hypervisor filter\n"
	       " * (lib/sandbox/seccomp.c) as libseccomp compiled it. Do not edit. */\n"
	       "#include <config.h>\n"
	       "#include \"sandbox/seccomp.h\"\n\n"
	       "#include <linux/filter.h>\n\n"
	       "const struct sock_filter vc_seccomp_built_filter[] = {\n");
	for (unsigned i = 0; i < p.len; i++)
		printf("    {0x%04x, %u, %u, 0x%08x},\n", (unsigned)p.insns[i].code,
		       (unsigned)p.insns[i].jt, (unsigned)p.insns[i].jf, (unsigned)p.insns[i].k);
	printf("};\nconst unsigned short vc_seccomp_built_filter_len = %u;\n", (unsigned)p.len);
	free(p.insns);
	return ferror(stdout) || fflush(stdout) != 0;
}
