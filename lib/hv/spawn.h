/* Starting the hypervisor process. Internal to lib/hv.
 *
 * The child is made with clone(CLONE_VM) on a stack of its own, not with fork(): it shares our
 * memory until it execs, so no page tables are copied and nothing is copied on write afterwards.
 * On these VMs a fork() of even a small process costs ~1.5 ms more than that, and create pays
 * it while the caller waits. The child therefore only makes system calls (no allocation, no
 * stdio): its seccomp filter is compiled here beforehand. Where clone(CLONE_VM) fails, and
 * under valgrind (which ends the program at such a clone), it forks instead, with the same
 * child code.
 *
 * The child waits at a gate until vc_spawn_open_gate: the caller records its pid first, so
 * that the hypervisor never runs unrecorded (if we die before that, the child reads EOF and
 * exits without exec). Then it starts a session of its own, takes stdin from null_fd and
 * stdout/stderr from log_fd, keeps no other descriptor (but pass_fds and the preserve_fds
 * range), installs the filter and execs argv with a fixed minimal environment. */
#ifndef VC_HV_SPAWN_H
#define VC_HV_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox/seccomp.h"
#include "util/argv.h"
#include "util/error.h"

#define VC_SPAWN_MAX_PASS_FDS 3

typedef struct vc_spawn_opts {
	const vc_argv *argv; /* argv->v[0] is a path (no PATH search) */
	int null_fd;	     /* becomes stdin */
	int log_fd;	     /* becomes stdout and stderr */
	/* Inherited under their numbers; entries below 3 are ignored (zeroed: none). */
	int pass_fds[VC_SPAWN_MAX_PASS_FDS];
	int preserve_fds;		   /* fds 3 .. 3+N-1 inherited under their numbers */
	const vc_seccomp_program *seccomp; /* no_new_privs + its filter before exec; NULL: none */
} vc_spawn_opts;

typedef struct vc_spawn {
	pid_t pid;
	int gate_fd;   /* ours: one byte lets the child go on */
	int result_fd; /* ours: the child's failure report, or EOF once it has exec'd */
	void *stack;
	size_t stack_size;
	struct { /* what the child reads (set before it starts, then fixed) */
		const vc_spawn_opts *opts; /* must outlive vc_spawn_open_gate */
		int gate_rd, gate_wr, report_rd, report_wr;
	} child;
} vc_spawn;

/* Starts the child, which waits at the gate. 0 (sp->pid set) or -1 with *err. sp (which the
 * child reads) must stay where it is until vc_spawn_open_gate or vc_spawn_cancel. */
int vc_spawn_gated(vc_spawn *sp, const vc_spawn_opts *opts, vc_error **err);
/* Lets the child go and waits until it has exec'd: 0; or -1 with *err (it failed; reaped). */
int vc_spawn_open_gate(vc_spawn *sp, vc_error **err);
/* The child ends without exec; reaped. */
void vc_spawn_cancel(vc_spawn *sp);

#endif
