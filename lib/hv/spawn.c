/* Starting the hypervisor process (see spawn.h). */
#include <config.h>
#include "hv/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_STACK_SIZE ((size_t)256 << 10)

/* What the child reports when it cannot exec: at which step, and the errno value. */
enum { STEP_SETUP = 1, STEP_SECCOMP, STEP_EXEC };
typedef struct {
	int step;
	int err;
} child_report;

static void close_range_from(unsigned first, unsigned last)
{
	if (first > last)
		return;
	if (close_range(first, last, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX); /* kernel without close_range */
	if (max < 0 || max > 65536)
		max = 65536;
	for (unsigned fd = first; fd <= last && fd < (unsigned)max; fd++)
		close((int)fd);
}

/* Closes every fd from `first` on except those in keep[0..n-1] (entries below first are ignored).
 */
static void close_all_but(unsigned first, int *keep, int n)
{
	for (int i = 1; i < n; i++) /* sort them (in place: the child may not allocate) */
		for (int j = i; j > 0 && keep[j] < keep[j - 1]; j--) {
			int t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	unsigned next = first;
	for (int i = 0; i < n; i++) {
		if (keep[i] < (int)next)
			continue;
		close_range_from(next, (unsigned)keep[i] - 1);
		next = (unsigned)keep[i] + 1;
	}
	close_range_from(next, ~0U);
}

static int child_setup(const vc_spawn_opts *o, int report_wr, int gate_rd)
{
	sigset_t none;
	sigemptyset(&none);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0 || dup2(o->null_fd, 0) < 0 || dup2(o->log_fd, 1) < 0 ||
	    dup2(o->log_fd, 2) < 0)
		return -1;
	/* Nothing else of ours may leak into the VM process (the shim waits for EOF on the pipes it
	 * gave us; our locks must die with us). report_wr is close-on-exec already. */
	int keep[2 + VC_SPAWN_MAX_PASS_FDS] = {report_wr, gate_rd};
	for (int i = 0; i < VC_SPAWN_MAX_PASS_FDS; i++)
		keep[2 + i] = o->pass_fds[i];
	close_all_but(3u + (unsigned)o->preserve_fds, keep, 2 + VC_SPAWN_MAX_PASS_FDS);
	close(gate_rd);
	for (int i = 0; i < VC_SPAWN_MAX_PASS_FDS; i++) /* e.g. the QMP sockets */
		if (o->pass_fds[i] >= 3 && fcntl(o->pass_fds[i], F_SETFD, 0) < 0)
			return -1;
	/* --preserve-fds: fds 3 .. 3+N-1 go on to the hypervisor at the same numbers */
	for (int fd = 3; fd < 3 + o->preserve_fds; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0 || fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
			return -1;
	}
	return 0;
}

/* The child. Only system calls from here on: it may share the parent's memory. */
static int child_main(void *arg)
{
	static char *const env[] = {
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	const vc_spawn *sp = arg;
	const vc_spawn_opts *o = sp->child.opts;
	int report_wr = sp->child.report_wr, gate_rd = sp->child.gate_rd;
	close(sp->child.report_rd); /* (the child's copies of our ends) */
	close(sp->child.gate_wr);
	/* Exec only once the parent has recorded our pid: if it dies before that, nobody could
	 * find us, so we end here instead of running unrecorded. */
	char go = 0;
	ssize_t n;
	do
		n = read(gate_rd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(126);
	child_report r = {STEP_SETUP, 0};
	if (child_setup(o, report_wr, gate_rd) < 0) {
		r.err = errno;
	} else if (o->seccomp && (r.err = vc_seccomp_program_install(o->seccomp)) != 0) {
		r.step = STEP_SECCOMP;
	} else {
		execve(o->argv->v[0], o->argv->v, env);
		r.step = STEP_EXEC;
		r.err = errno;
	}
	if (write(report_wr, &r, sizeof(r)) < 0) {
		/* nothing left to report to */
	}
	_exit(127);
}

/* valgrind stops the whole program at a clone(CLONE_VM) that is not a thread or a vfork: under
 * it (its preload library is in LD_PRELOAD), fork. */
static bool under_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");
	return pre && strstr(pre, "vgpreload_");
}

/* clone(CLONE_VM) on a stack of our own, all signals blocked meanwhile (no handler of ours may
 * run in the child); fork() where that is refused or cannot be used. */
static pid_t start_child(vc_spawn *sp)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = -1;
	errno = EINVAL;
	sp->stack = under_valgrind() ? MAP_FAILED
				     : mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (sp->stack != MAP_FAILED) {
		sp->stack_size = CHILD_STACK_SIZE;
		pid =
		    clone(child_main, (char *)sp->stack + CHILD_STACK_SIZE, CLONE_VM | SIGCHLD, sp);
		if (pid < 0) {
			munmap(sp->stack, CHILD_STACK_SIZE);
			sp->stack = NULL;
		}
	} else {
		sp->stack = NULL;
	}
	if (pid < 0 && errno != EAGAIN && errno != ENOMEM) {
		pid = fork();
		if (pid == 0)
			child_main(sp);
	}
	int e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return pid;
}

static void close_pair(int p[2])
{
	close(p[0]);
	close(p[1]);
}

int vc_spawn_gated(vc_spawn *sp, const vc_spawn_opts *opts, vc_error **err)
{
	memset(sp, 0, sizeof(*sp));
	sp->pid = -1;
	sp->gate_fd = sp->result_fd = -1;
	int report[2], gate[2];
	if (pipe2(report, O_CLOEXEC) < 0)
		return vc_error_set_errno(err, errno, "pipe");
	if (pipe2(gate, O_CLOEXEC) < 0) {
		int e = errno;
		close_pair(report);
		return vc_error_set_errno(err, e, "pipe");
	}
	sp->child.opts = opts;
	sp->child.gate_rd = gate[0];
	sp->child.gate_wr = gate[1];
	sp->child.report_rd = report[0];
	sp->child.report_wr = report[1];
	pid_t pid = start_child(sp);
	if (pid < 0) {
		int e = errno;
		close_pair(report);
		close_pair(gate);
		return vc_error_set_errno(err, e, "start the hypervisor process");
	}
	close(report[1]);
	close(gate[0]);
	sp->pid = pid;
	sp->gate_fd = gate[1];
	sp->result_fd = report[0];
	return 0;
}

static void release(vc_spawn *sp)
{
	if (sp->gate_fd >= 0)
		close(sp->gate_fd);
	if (sp->result_fd >= 0)
		close(sp->result_fd);
	sp->gate_fd = sp->result_fd = -1;
	if (sp->stack)
		munmap(sp->stack, sp->stack_size);
	sp->stack = NULL;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void vc_spawn_cancel(vc_spawn *sp)
{
	close(sp->gate_fd); /* the child reads EOF and ends */
	sp->gate_fd = -1;
	reap(sp->pid);
	release(sp);
}

int vc_spawn_open_gate(vc_spawn *sp, vc_error **err)
{
	/* A child killed meanwhile must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	ssize_t n;
	do
		n = write(sp->gate_fd, "g", 1);
	while (n < 0 && errno == EINTR);
	close(sp->gate_fd);
	sp->gate_fd = -1;
	child_report r = {0, 0};
	do
		n = read(sp->result_fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r)) {
		/* EOF: exec'd (the report pipe is close-on-exec), or died before it could tell */
		release(sp);
		return 0;
	}
	reap(sp->pid);
	release(sp);
	const char *prog = sp->child.opts->argv->v[0];
	switch (r.step) {
	case STEP_SECCOMP:
		return vc_error_set_errno(err, r.err,
					  "start hypervisor '%s': seccomp: cannot load the "
					  "hypervisor filter",
					  prog);
	case STEP_SETUP:
		return vc_error_set_errno(err, r.err, "start hypervisor '%s': set up the process",
					  prog);
	default:
		return vc_error_set_errno(err, r.err, "start hypervisor '%s'", prog);
	}
}
