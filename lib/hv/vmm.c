/* The process and QMP side shared by the QEMU and mock backends (see vmm.h). */
#include <config.h>
#include "hv/vmm.h"
#include "hv/spawn.h"
#include "host/probe.h"
#include "qemu/placement.h"
#include "qemu/qmp_many.h"
#include "sandbox/seccomp.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

VC_DEFINE_CLEANUP(jsonp, json_t, json_decref)
#define cleanup_json __attribute__((cleanup(vc_cleanup_jsonp)))

static const char *const status_names[] = {"prelaunch", "running", "paused", "shutdown", "gone"};

const char *vc_vm_status_name(vc_vm_status s)
{
	return status_names[s];
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Closes vm->qmp. The start session (vmm.h) is ended for good, not only closed, unless it is
 * left for start. */
static void drop_qmp(vc_hv_vm *vm)
{
	if (vm->qmp_is_start_session && !vm->start_session_pending)
		vc_qmp_end_session(vm->qmp);
	else if (vm->qmp)
		vc_qmp_close(vm->qmp);
	vm->qmp = NULL;
	vm->qmp_is_start_session = vm->start_session_pending = false;
}

void vc_hv_vm_release(vc_hv_vm *vm)
{
	drop_qmp(vm);
	for (size_t i = 0; i < vm->n_cold; i++)
		vc_hv_device_clear(&vm->cold[i]);
	free(vm->cold);
	vm->cold = NULL;
	vm->n_cold = 0;
}

void vc_hv_device_clear(vc_hv_device *d)
{
	if (d->kind == VC_HV_DEV_DRIVE)
		vc_drive_spec_clear(&d->drive);
	memset(d, 0, sizeof(*d));
}

static void drive_copy(vc_drive_spec *dst, const vc_drive_spec *src)
{
	dst->path = xstrdup(src->path);
	dst->format = src->format ? xstrdup(src->format) : NULL;
	dst->readonly = src->readonly;
	dst->cache = src->cache ? xstrdup(src->cache) : NULL;
}

int vc_vmm_add_device(vc_hv_vm *vm, const vc_hv_device *dev, vc_error **err)
{
	if (dev->kind != VC_HV_DEV_DRIVE)
		return vc_error_set(err, VC_ERR_USAGE, "only drives can be added before create");
	vm->cold = xreallocarray(vm->cold, vm->n_cold + 1, sizeof(*vm->cold));
	vc_hv_device *d = &vm->cold[vm->n_cold++];
	memset(d, 0, sizeof(*d));
	d->kind = VC_HV_DEV_DRIVE;
	drive_copy(&d->drive, &dev->drive);
	return 0;
}

/* ---- the process ---------------------------------------------------------------------- */

int vc_vmm_set_paths(vc_hv_vm *vm, vc_error **err)
{
	vc_qemu_paths p = {0};
	if (vc_qemu_paths_init(&p, vm->dir, err) < 0)
		return -1;
	free(vm->st->qmp_socket);
	free(vm->st->console_socket);
	free(vm->st->console_log);
	vm->st->qmp_socket = vc_steal_pointer(&p.qmp_socket);
	vm->st->console_socket = vc_steal_pointer(&p.console_socket);
	vm->st->console_log = vc_steal_pointer(&p.console_log);
	if (vm->console_tty) {
		/* terminal mode: the console is the pty, there is no console socket */
		free(vm->st->console_socket);
		vm->st->console_socket = NULL;
	}
	vc_qemu_paths_clear(&p);
	return 0;
}

/* Starts the child, records its pid (vm->spawned) and only then lets it exec. */
static int spawn_recorded(vc_hv_vm *vm, vc_spawn *sp, const vc_spawn_opts *opts, vc_error **err)
{
	if (vc_spawn_gated(sp, opts, err) < 0)
		return -1;
	vm->own_child = true;
	vm->st->pid = sp->pid;
	if (vc_proc_start_time(sp->pid, &vm->st->pid_start) != 1)
		vm->st->pid_start = 0;
	if (vm->spawned && vm->spawned(vm->spawned_ctx, err) < 0) {
		vc_spawn_cancel(sp);
		vm->own_child = false;
		return -1;
	}
	if (vc_spawn_open_gate(sp, err) < 0) {
		vm->own_child = false;
		return -1;
	}
	return 0;
}

int vc_vmm_spawn(vc_hv_vm *vm, const vc_argv *argv, vc_error **err)
{
	const int none[VC_SPAWN_MAX_PASS_FDS] = {0};
	return vc_vmm_spawn_fds(vm, argv, none, err);
}

int vc_vmm_spawn_fds(vc_hv_vm *vm, const vc_argv *argv, const int pass_fds[VC_SPAWN_MAX_PASS_FDS],
		     vc_error **err)
{
	if (vc_log_get_level() >= VC_LOG_DEBUG) {
		cleanup_free char *cmd = vc_argv_quote(argv);
		vc_debug("starting hypervisor: %s", cmd);
	}
	cleanup_close int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	cleanup_close int log_fd = open(
	    vm->st->hypervisor_log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (null_fd < 0 || log_fd < 0)
		return vc_error_set_errno(err, errno, "open '%s'",
					  null_fd < 0 ? "/dev/null" : vm->st->hypervisor_log);
	/* vcrun's own filter for the hypervisor (lib/sandbox/seccomp, issue [6/8]): a deny list
	 * plus no_new_privs, neither when the config says disable_seccomp. */
	bool use_filter = !(vm->config && vm->config->disable_seccomp);
	vc_seccomp_program filter = {0};
	if (use_filter && vc_seccomp_hypervisor_program(&filter, err) < 0)
		return -1;
	vc_spawn_opts opts = {.argv = argv,
			      .null_fd = null_fd,
			      .log_fd = log_fd,
			      .preserve_fds = vm->preserve_fds,
			      .seccomp = use_filter ? &filter : NULL};
	memcpy(opts.pass_fds, pass_fds, sizeof(opts.pass_fds));
	vc_spawn sp;
	int rc = spawn_recorded(vm, &sp, &opts, err);
	vc_seccomp_program_clear(&filter);
	if (rc < 0)
		return -1;
	vc_info("hypervisor started: pid %d", (int)vm->st->pid);
	vc_fault_point("create-spawned");
	return 0;
}

char *vc_vmm_log_tail(const vc_hv_vm *vm)
{
	if (!vm->st->hypervisor_log)
		return NULL;
	int fd = open(vm->st->hypervisor_log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char buf[4096];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t start = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, start);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	char *line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	return *line ? xstrdup(line) : NULL;
}

/* Whether the hypervisor still runs; reaps it when it is our child. */
static bool vm_alive(vc_hv_vm *vm)
{
	if (vm->st->pid <= 0)
		return false;
	if (vm->own_child) {
		int status;
		pid_t r = waitpid(vm->st->pid, &status, WNOHANG);
		if (r == vm->st->pid) {
			vm->exit_status = status;
			vm->own_child = false;
			return false;
		}
		if (r < 0 && errno == ECHILD)
			vm->own_child = false;
		else
			return true;
	}
	return vc_proc_alive(vm->st->pid, vm->st->pid_start);
}

static bool wait_gone(vc_hv_vm *vm, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	while (vm_alive(vm)) {
		if (timeout_ms >= 0 && now_ms() >= deadline)
			return false;
		sleep_ms(10);
	}
	return true;
}

static int exited_error(vc_hv_vm *vm, const char *when, vc_error **err)
{
	cleanup_free char *tail = vc_vmm_log_tail(vm);
	char how[64] = "";
	if (WIFEXITED(vm->exit_status))
		snprintf(how, sizeof(how), " with status %d", WEXITSTATUS(vm->exit_status));
	else if (WIFSIGNALED(vm->exit_status))
		snprintf(how, sizeof(how), " on signal %d", WTERMSIG(vm->exit_status));
	if (tail)
		return vc_error_set(err, VC_ERR_GENERIC, "hypervisor exited %s%s: %s", when, how,
				    tail);
	return vc_error_set(err, VC_ERR_GENERIC, "hypervisor exited %s%s (see '%s')", when, how,
			    vm->st->hypervisor_log);
}

void vc_vmm_destroy(vc_hv_vm *vm)
{
	vm->start_session_pending = false;
	drop_qmp(vm);
	if (vm->st->pid > 0 && vm_alive(vm)) {
		kill(vm->st->pid, SIGKILL);
		wait_gone(vm, 5000);
	}
}

/* Moves *fd (close-on-exec) clear of 0-2, which the child redirects, and of the
 * --preserve-fds range it passes on. */
static int above_preserved(vc_hv_vm *vm, int *fd, vc_error **err)
{
	int lowest = 3 + (vm->preserve_fds > 0 ? vm->preserve_fds : 0);
	if (*fd >= lowest)
		return 0;
	int high = fcntl(*fd, F_DUPFD_CLOEXEC, lowest);
	if (high < 0)
		return vc_error_set_errno(err, errno, "fcntl");
	close(*fd);
	*fd = high;
	return 0;
}

int vc_vmm_qmp_listen(vc_hv_vm *vm, vc_error **err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char *path = vm->st->qmp_socket;
	if (!path || strlen(path) >= sizeof(a.sun_path))
		return vc_error_set(err, VC_ERR_LIMIT, "QMP socket path unusable");
	strcpy(a.sun_path, path);
	cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "socket");
	if (unlink(path) < 0 && errno != ENOENT)
		return vc_error_set_errno(err, errno, "remove stale '%s'", path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0)
		return vc_error_set_errno(err, errno, "listen on '%s'", path);
	if (above_preserved(vm, &fd, err) < 0)
		return -1;
	return vc_steal_fd(&fd);
}

/* Whether a later `start` (another process, same user) will be able to take the start session:
 * pidfd_getfd needs ptrace access to the hypervisor, which root has. Others may well be refused
 * (Yama, for one), and a session nobody reads would collect QEMU's events. */
static bool start_session_takeable(void)
{
	return geteuid() == 0;
}

int vc_vmm_start_session_pair(vc_hv_vm *vm, int fds[2], vc_error **err)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return vc_error_set_errno(err, errno, "socketpair");
	if (above_preserved(vm, &fds[0], err) < 0 || above_preserved(vm, &fds[1], err) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (start_session_takeable())
		json_object_set_new(vm->st->vm, "qmp_start_fd", json_integer(fds[1]));
	return 0;
}

/* Why negotiation on our first connection failed: the process ended, or it is not QMP. */
static int ready_error(vc_hv_vm *vm, vc_error *qerr, int timeout_ms, vc_error **err)
{
	/* The connection breaks when the process closes its descriptors, a moment before it
	 * can be reaped. */
	if (qerr->code == VC_ERR_IO && wait_gone(vm, 1000)) {
		vc_error_free(qerr);
		return exited_error(vm, "during create", err);
	}
	if (!vm_alive(vm)) {
		vc_error_free(qerr);
		return exited_error(vm, "during create", err);
	}
	if (qerr->code == VC_ERR_TIMEOUT) {
		vc_error_free(qerr);
		return vc_error_set(err, VC_ERR_TIMEOUT,
				    "hypervisor did not answer QMP on '%s' within %d ms",
				    vm->st->qmp_socket, timeout_ms);
	}
	vc_error_append(err, &qerr);
	return vc_error_wrap(err, "the hypervisor does not speak QMP");
}

/* Negotiates on fd (taken) as the hypervisor's first client: vm->qmp, or the reason it failed. */
static int negotiate_ready(vc_hv_vm *vm, int fd, int timeout_ms, vc_error **err)
{
	vc_error *qerr = NULL;
	vm->qmp = vc_qmp_open_fd(fd, timeout_ms, &qerr);
	return vm->qmp ? 0 : ready_error(vm, qerr, timeout_ms, err);
}

int vc_vmm_wait_ready_fd(vc_hv_vm *vm, int listen_fd, int timeout_ms, vc_error **err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, vm->st->qmp_socket); /* checked by vc_vmm_qmp_listen */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		close(listen_fd);
		return vc_error_set_errno(err, e, "connect to '%s'", vm->st->qmp_socket);
	}
	/* From now on the hypervisor holds the only listening descriptor: if it dies, our
	 * queued connection is reset at once. */
	close(listen_fd);
	if (negotiate_ready(vm, fd, timeout_ms, err) < 0)
		return -1;
	vc_debug("QMP answers on '%s'", vm->st->qmp_socket);
	return 0;
}

int vc_vmm_wait_ready_start_session(vc_hv_vm *vm, int fd, int timeout_ms, vc_error **err)
{
	if (negotiate_ready(vm, fd, timeout_ms, err) < 0)
		return -1;
	vm->qmp_is_start_session = true;
	vm->start_session_pending = json_object_get(vm->st->vm, "qmp_start_fd") != NULL;
	vc_debug("QMP answers on the start session%s",
		 vm->start_session_pending ? "" : " (ended when create is done: not root)");
	return 0;
}

vc_qmp *vc_vmm_qmp(vc_hv_vm *vm, vc_error **err)
{
	if (vm->qmp && !vc_qmp_closed(vm->qmp))
		return vm->qmp;
	drop_qmp(vm);
	vm->qmp = vc_qmp_connect(vm->st->qmp_socket, VC_VMM_QMP_TIMEOUT_MS, err);
	if (!vm->qmp)
		vc_error_wrap(err, "sandbox '%s'", vm->id);
	return vm->qmp;
}

static json_t *qmp_exec(vc_hv_vm *vm, const char *cmd, json_t *args, vc_error **err)
{
	vc_qmp *q = vc_vmm_qmp(vm, err);
	if (!q) {
		json_decref(args);
		return NULL;
	}
	vc_debug("qmp: %s", cmd);
	return vc_qmp_execute(q, cmd, args, VC_VMM_QMP_TIMEOUT_MS, err);
}

static int qmp_simple(vc_hv_vm *vm, const char *cmd, json_t *args, vc_error **err)
{
	json_t *r = qmp_exec(vm, cmd, args, err);
	if (!r)
		return -1;
	json_decref(r);
	return 0;
}

/* The run state of a query-status reply. */
static int status_from_reply(json_t *r, vc_vm_status *out, vc_error **err)
{
	const char *s = json_string_value(json_object_get(r, "status"));
	if (!s)
		return vc_error_set(err, VC_ERR_PROTOCOL, "query-status: no 'status' in the reply");
	if (strcmp(s, "prelaunch") == 0)
		*out = VC_VM_PRELAUNCH;
	else if (strcmp(s, "running") == 0)
		*out = VC_VM_RUNNING;
	else if (strcmp(s, "shutdown") == 0 || strcmp(s, "guest-panicked") == 0 ||
		 strcmp(s, "internal-error") == 0 || strcmp(s, "io-error") == 0)
		*out = VC_VM_SHUTDOWN;
	else
		*out = VC_VM_PAUSED; /* paused, suspended, debug, watchdog, migration states */
	return 0;
}

/* The start session's socket, taken from the hypervisor process (vmm.h); -1 when there is
 * none or it cannot be taken (the debug log says why). */
static int take_start_fd(vc_hv_vm *vm)
{
	json_t *n = vm->st->vm ? json_object_get(vm->st->vm, "qmp_start_fd") : NULL;
	json_int_t target = json_integer_value(n);
	if (!json_is_integer(n) || target < 3 || target > INT_MAX)
		return -1; /* made by a vcrun without it, or by another backend */
	int pidfd = (int)syscall(SYS_pidfd_open, vm->st->pid, 0);
	int fd = -1;
	/* The pidfd is the recorded process when that one still runs after it was opened. */
	if (pidfd >= 0 && vm_alive(vm))
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)target, 0);
	int e = errno;
	if (pidfd >= 0)
		close(pidfd);
	if (fd < 0) {
		vc_debug("start session: cannot take fd %d of pid %d: %s", (int)target,
			 (int)vm->st->pid, strerror(e));
		return -1;
	}
	int domain = 0, type = 0;
	socklen_t len = sizeof(domain), tlen = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_STREAM) {
		vc_debug("start session: fd %d of pid %d is not a unix stream socket", (int)target,
			 (int)vm->st->pid);
		close(fd);
		return -1;
	}
	return fd;
}

/* Takes the start session (vmm.h) as vm->qmp when it can; otherwise the caller connects to the
 * QMP socket. */
static void take_start_session(vc_hv_vm *vm)
{
	vm->take_start_session = false; /* once */
	int fd = take_start_fd(vm);
	if (fd < 0)
		return;
	vm->qmp = vc_qmp_adopt_fd(fd);
	vm->qmp_is_start_session = true;
	vc_debug("start session: taken from the hypervisor");
}

/* Runs command (no arguments, idempotent) on vm->qmp; without one, on the start session when the
 * lifecycle allows it (vmm.h), else on a new connection, where it rides along with the
 * negotiation (one round trip). Returns the "return" member. */
static json_t *exec_simple(vc_hv_vm *vm, const char *command, vc_error **err)
{
	if (vm->qmp && !vc_qmp_closed(vm->qmp))
		return qmp_exec(vm, command, NULL, err);
	drop_qmp(vm);
	if (vm->take_start_session) {
		take_start_session(vm);
		if (vm->qmp) {
			vc_error *e = NULL;
			json_t *r = qmp_exec(vm, command, NULL, &e);
			if (r || e->code != VC_ERR_IO) {
				vc_error_append(err, &e);
				return r;
			}
			/* ended already (by a start that failed): command is idempotent */
			vc_debug("start session: %s (using the QMP socket)", e->msg);
			vc_error_free(e);
			drop_qmp(vm);
		}
	}
	json_t *r = NULL;
	vm->qmp = vc_qmp_connect_query(vm->st->qmp_socket, command, VC_VMM_QMP_TIMEOUT_MS, &r, err);
	if (!vm->qmp)
		vc_error_wrap(err, "sandbox '%s'", vm->id);
	return r;
}

int vc_vmm_status(vc_hv_vm *vm, vc_vm_status *out, vc_error **err)
{
	if (!vm_alive(vm)) {
		*out = VC_VM_GONE;
		return 0;
	}
	vc_error *qerr = NULL;
	cleanup_json json_t *r = exec_simple(vm, "query-status", &qerr);
	if (!r) {
		if (!vm_alive(vm)) { /* it died while we asked */
			vc_error_free(qerr);
			*out = VC_VM_GONE;
			return 0;
		}
		vc_error_append(err, &qerr);
		return -1;
	}
	return status_from_reply(r, out, err);
}

void vc_vmm_status_many(vc_hv_vm *const *vms, size_t n, vc_vm_status *out, vc_error **errs)
{
	vc_qmp_many_item *items = xzalloc((n ? n : 1) * sizeof(*items));
	size_t *vm_of = xzalloc((n ? n : 1) * sizeof(*vm_of));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		errs[i] = NULL;
		out[i] = VC_VM_GONE;
		if (!vm_alive(vms[i]))
			continue;
		if (!vms[i]->st->qmp_socket) {
			vc_error_set(&errs[i], VC_ERR_STATE, "sandbox '%s': no QMP socket recorded",
				     vms[i]->id);
			continue;
		}
		items[m].socket_path = vms[i]->st->qmp_socket;
		vm_of[m++] = i;
	}
	vc_qmp_query_many(items, m, "query-status", VC_VMM_QMP_TIMEOUT_MS, 0);
	for (size_t k = 0; k < m; k++) {
		size_t i = vm_of[k];
		if (items[k].ret) {
			status_from_reply(items[k].ret, &out[i], &errs[i]);
			json_decref(items[k].ret);
		} else if (!vm_alive(vms[i])) { /* it died while we asked */
			vc_error_free(items[k].err);
		} else {
			errs[i] = items[k].err;
			vc_error_wrap(&errs[i], "sandbox '%s'", vms[i]->id);
		}
	}
	free(items);
	free(vm_of);
}

int vc_vmm_start(vc_hv_vm *vm, vc_error **err)
{
	vm->start_session_pending = false; /* used now (run), or never to be (start, later) */
	json_t *r = exec_simple(vm, "cont", err);
	json_decref(r);
	return r ? 0 : -1;
}

int vc_vmm_pause(vc_hv_vm *vm, vc_error **err)
{
	return qmp_simple(vm, "stop", NULL, err);
}

int vc_vmm_resume(vc_hv_vm *vm, vc_error **err)
{
	return qmp_simple(vm, "cont", NULL, err);
}

int vc_vmm_wait(vc_hv_vm *vm, int timeout_ms, vc_error **err)
{
	if (wait_gone(vm, timeout_ms))
		return 0;
	return vc_error_set(err, VC_ERR_TIMEOUT, "sandbox '%s' still runs after %d ms", vm->id,
			    timeout_ms);
}

int vc_vmm_stop(vc_hv_vm *vm, int timeout_ms, vc_error **err)
{
	if (!vm_alive(vm))
		return 0;
	vc_vm_status s = VC_VM_RUNNING;
	vc_error *e = NULL;
	if (vc_vmm_status(vm, &s, &e) < 0) {
		vc_warn("stop: %s", e->msg);
		vc_error_free(e);
		e = NULL;
		s = VC_VM_SHUTDOWN; /* QMP unusable: go for the signal */
	}
	if (s == VC_VM_RUNNING) {
		vc_info("stop: asking the guest of '%s' to power off (system_powerdown)", vm->id);
		if (qmp_simple(vm, "system_powerdown", NULL, &e) < 0) {
			vc_warn("stop: system_powerdown: %s", e->msg);
			vc_error_free(e);
			e = NULL;
		} else {
			json_t *ev =
			    vc_qmp_wait_event(vm->qmp, "SHUTDOWN", NULL, NULL, timeout_ms, &e);
			if (ev) {
				json_decref(ev);
				vc_info("stop: guest of '%s' shut down", vm->id);
				if (wait_gone(vm, 5000))
					return 0;
			} else {
				vc_info("stop: no SHUTDOWN from '%s' within %d ms", vm->id,
					timeout_ms);
				vc_error_free(e);
				e = NULL;
			}
		}
	}
	if (vm_alive(vm) && s != VC_VM_SHUTDOWN) {
		vc_info("stop: quitting the hypervisor of '%s' (quit)", vm->id);
		vc_qmp *q = vc_vmm_qmp(vm, &e);
		if (!q || vc_qmp_quit(q, 3000, &e) < 0) {
			vc_warn("stop: quit: %s", e->msg);
			vc_error_free(e);
			e = NULL;
		} else if (wait_gone(vm, 5000)) {
			return 0;
		}
	}
	if (vm_alive(vm)) {
		vc_info("stop: killing the hypervisor of '%s' (SIGKILL, pid %d)", vm->id,
			(int)vm->st->pid);
		kill(vm->st->pid, SIGKILL);
		if (!wait_gone(vm, 5000))
			return vc_error_set(err, VC_ERR_TIMEOUT,
					    "hypervisor pid %d survived SIGKILL for 5 s",
					    (int)vm->st->pid);
	}
	return 0;
}

int vc_vmm_kill(vc_hv_vm *vm, int signo, vc_error **err)
{
	if (!vm_alive(vm))
		return 0;
	if (signo == SIGTERM) {
		vc_vm_status s;
		if (vc_vmm_status(vm, &s, err) < 0)
			return -1;
		if (s == VC_VM_RUNNING) {
			vc_info("kill: asking the guest of '%s' to power off", vm->id);
			return qmp_simple(vm, "system_powerdown", NULL, err);
		}
		/* A guest that does not run cannot power off: end the hypervisor. */
		vc_info("kill: quitting the hypervisor of '%s' (its guest does not run)", vm->id);
		vc_qmp *q = vc_vmm_qmp(vm, err);
		if (!q || vc_qmp_quit(q, 3000, err) < 0)
			return -1;
		wait_gone(vm, 3000);
		return 0;
	}
	vc_info("kill: signal %d to the hypervisor of '%s' (pid %d)", signo, vm->id,
		(int)vm->st->pid);
	if (kill(vm->st->pid, signo) < 0 && errno != ESRCH)
		return vc_error_set_errno(err, errno, "kill pid %d", (int)vm->st->pid);
	if (signo == SIGKILL)
		wait_gone(vm, 3000);
	return 0;
}

int vc_vmm_console(vc_hv_vm *vm, vc_error **err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char *path = vm->st->console_socket;
	if (!path || strlen(path) >= sizeof(a.sun_path))
		return vc_error_set(err, VC_ERR_LIMIT, "console socket path unusable");
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		close(fd);
		return vc_error_set_errno(err, e, "connect to console '%s'", path);
	}
	return fd;
}

/* ---- devices -------------------------------------------------------------------------- */

static uint32_t vm_u32(const vc_hv_vm *vm, const char *key)
{
	json_t *v = json_object_get(vm->st->vm, key);
	return json_is_integer(v) ? (uint32_t)json_integer_value(v) : 0;
}

static const char *vm_str(const vc_hv_vm *vm, const char *key)
{
	const char *s = json_string_value(json_object_get(vm->st->vm, key));
	return s ? s : "";
}

static json_t *find_device(const vc_hv_vm *vm, const char *id, size_t *index)
{
	size_t i;
	json_t *d;
	json_array_foreach(vm->st->devices, i, d)
	{
		const char *did = json_string_value(json_object_get(d, "id"));
		if (did && strcmp(did, id) == 0) {
			if (index)
				*index = i;
			return d;
		}
	}
	return NULL;
}

static json_int_t dev_int(json_t *d, const char *key)
{
	json_t *v = json_object_get(d, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

void vc_vmm_record_cold_drives(vc_hv_vm *vm, const vc_hypervisor_config *c)
{
	uint32_t n_ctrl = vc_qemu_scsi_controllers(c);
	uint32_t pool = vc_qemu_blk_iothreads(c);
	bool scsi = c->block_device_driver == VC_BLOCK_VIRTIO_SCSI;
	json_object_set_new(vm->st->vm, "block_driver",
			    json_string(scsi ? "virtio-scsi" : "virtio-blk"));
	json_object_set_new(vm->st->vm, "scsi_controllers", json_integer(n_ctrl));
	json_object_set_new(vm->st->vm, "blk_iothreads", json_integer(pool));
	json_object_set_new(vm->st->vm, "bridges", json_integer(c->default_bridges));
	json_object_set_new(vm->st->vm, "iothreads", json_boolean(c->enable_iothreads));
	json_object_set_new(vm->st->vm, "vcpus", json_integer(c->default_vcpus));
	json_object_set_new(vm->st->vm, "maxvcpus", json_integer(c->default_maxvcpus));
	json_object_set_new(vm->st->vm, "next_disk", json_integer((json_int_t)vm->n_cold));
	/* the builder's nesting rule (virtio devices legacy-only on a nested host), for hotplug */
	json_object_set_new(vm->st->vm, "disable_modern",
			    json_boolean(!c->disable_nesting_checks && vc_host_is_vm()));
	for (size_t i = 0; i < vm->n_cold; i++) {
		const vc_drive_spec *d = &vm->cold[i].drive;
		json_t *r = json_object();
		char buf[32];
		snprintf(buf, sizeof(buf), "disk-%zu", i);
		json_object_set_new(r, "id", json_string(buf));
		snprintf(buf, sizeof(buf), "drive-%zu", i);
		json_object_set_new(r, "backend", json_string(buf));
		json_object_set_new(r, "path", json_string(d->path));
		json_object_set_new(r, "readonly", json_boolean(d->readonly));
		json_object_set_new(r, "hotplugged", json_false());
		if (scsi) {
			vc_scsi_address a = {0};
			if (vc_scsi_place_coldplug(i, n_ctrl, &a, NULL) == 0) {
				json_object_set_new(r, "driver", json_string("scsi-hd"));
				json_object_set_new(r, "controller", json_integer(a.controller));
				json_object_set_new(r, "scsi_id", json_integer(a.scsi_id));
				json_object_set_new(r, "lun", json_integer(a.lun));
			}
		} else {
			json_object_set_new(r, "driver", json_string("virtio-blk-pci"));
			if (pool) {
				snprintf(buf, sizeof(buf), VC_QEMU_IOTHREAD_ID,
					 (unsigned)(i % pool));
				json_object_set_new(r, "iothread", json_string(buf));
			}
		}
		json_array_append_new(vm->st->devices, r);
	}
}

static int hotplug_drive(vc_hv_vm *vm, const vc_drive_spec *spec, char **device_id, vc_error **err)
{
	bool scsi = strcmp(vm_str(vm, "block_driver"), "virtio-scsi") == 0;
	uint32_t n_ctrl = vm_u32(vm, "scsi_controllers");
	uint32_t next = vm_u32(vm, "next_disk");
	char id[32], node[32], bus[48], iothread[32] = "";
	snprintf(id, sizeof(id), "disk-%u", next);
	snprintf(node, sizeof(node), "hotdrive-%u", next);
	cleanup_json json_t *dev = NULL;
	vc_scsi_address addr = {0};
	uint32_t bridge = 0, slot = 0;

	if (scsi) {
		if (n_ctrl == 0)
			return vc_error_set(err, VC_ERR_CONFIG, "the VM has no SCSI controller");
		vc_scsi_controller *ctrls = xzalloc(n_ctrl * sizeof(*ctrls));
		size_t i;
		json_t *d;
		json_array_foreach(vm->st->devices, i, d)
		{
			const char *drv = json_string_value(json_object_get(d, "driver"));
			if (!drv || strcmp(drv, "scsi-hd") != 0)
				continue;
			vc_scsi_address a = {(uint32_t)dev_int(d, "controller"),
					     (uint32_t)dev_int(d, "scsi_id"),
					     (uint32_t)dev_int(d, "lun")};
			vc_scsi_mark(ctrls, n_ctrl, &a, true);
		}
		int r = vc_scsi_place_hotplug(ctrls, n_ctrl, &addr, err);
		free(ctrls);
		if (r < 0)
			return -1;
		snprintf(bus, sizeof(bus), VC_QEMU_SCSI_ID ".0", addr.controller);
		dev =
		    json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "driver", "scsi-hd", "id", id, "drive",
			      node, "bus", bus, "scsi-id", (int)addr.scsi_id, "lun", (int)addr.lun);
	} else {
		vc_bridge_slots slots;
		vc_bridge_slots_init(&slots, vm_u32(vm, "bridges"));
		size_t i;
		json_t *d;
		json_array_foreach(vm->st->devices, i, d)
		{
			if (dev_int(d, "bridge") >= 0 && dev_int(d, "slot") >= 0)
				vc_bridge_slot_reserve(&slots, (uint32_t)dev_int(d, "bridge"),
						       (uint32_t)dev_int(d, "slot"));
		}
		if (vc_bridge_slot_alloc(&slots, &bridge, &slot, err) < 0)
			return vc_error_wrap(err, "hotplug '%s'", spec->path);
		snprintf(bus, sizeof(bus), VC_QEMU_BRIDGE_ID, bridge);
		char addr_s[16];
		snprintf(addr_s, sizeof(addr_s), "0x%x", slot);
		dev = json_pack("{s:s,s:s,s:s,s:s,s:s}", "driver", "virtio-blk-pci", "id", id,
				"drive", node, "bus", bus, "addr", addr_s);
		if (json_is_true(json_object_get(vm->st->vm, "disable_modern")))
			json_object_set_new(dev, "disable-modern", json_true());
		uint32_t pool = vm_u32(vm, "blk_iothreads");
		if (pool) {
			snprintf(iothread, sizeof(iothread), VC_QEMU_IOTHREAD_ID, next % pool);
			json_object_set_new(dev, "iothread", json_string(iothread));
		}
	}

	json_t *file = json_pack("{s:s,s:s}", "driver", "file", "filename", spec->path);
	json_t *bargs =
	    json_pack("{s:s,s:s,s:b,s:o}", "driver", spec->format ? spec->format : "raw",
		      "node-name", node, "read-only", spec->readonly, "file", file);
	if (spec->cache) {
		bool direct =
		    strcmp(spec->cache, "none") == 0 || strcmp(spec->cache, "directsync") == 0;
		bool noflush = strcmp(spec->cache, "unsafe") == 0;
		json_object_set_new(bargs, "cache",
				    json_pack("{s:b,s:b}", "direct", direct, "no-flush", noflush));
	}
	vc_info("hotplug: blockdev-add '%s' as node '%s'", spec->path, node);
	if (qmp_simple(vm, "blockdev-add", bargs, err) < 0)
		return vc_error_wrap(err, "hotplug '%s'", spec->path);
	vc_info("hotplug: device_add %s '%s' on '%s'", scsi ? "scsi-hd" : "virtio-blk-pci", id,
		bus);
	if (qmp_simple(vm, "device_add", json_incref(dev), err) < 0) {
		vc_error *rb = NULL;
		vc_info("hotplug: rolling back node '%s'", node);
		if (qmp_simple(vm, "blockdev-del", json_pack("{s:s}", "node-name", node), &rb) <
		    0) {
			vc_warn("hotplug rollback: %s", rb->msg);
			vc_error_free(rb);
		}
		return vc_error_wrap(err, "hotplug '%s'", spec->path);
	}
	json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "id", id, "node", node, "driver",
				scsi ? "scsi-hd" : "virtio-blk-pci", "path", spec->path, "readonly",
				spec->readonly, "hotplugged", 1);
	if (scsi) {
		json_object_set_new(rec, "controller", json_integer(addr.controller));
		json_object_set_new(rec, "scsi_id", json_integer(addr.scsi_id));
		json_object_set_new(rec, "lun", json_integer(addr.lun));
	} else {
		json_object_set_new(rec, "bridge", json_integer(bridge));
		json_object_set_new(rec, "slot", json_integer(slot));
		if (*iothread)
			json_object_set_new(rec, "iothread", json_string(iothread));
	}
	json_array_append_new(vm->st->devices, rec);
	json_object_set_new(vm->st->vm, "next_disk", json_integer(next + 1));
	*device_id = xstrdup(id);
	return 0;
}

static int hotplug_vcpus(vc_hv_vm *vm, uint32_t want, vc_error **err)
{
	uint32_t max = vm_u32(vm, "maxvcpus");
	if (want == 0)
		return vc_error_set(err, VC_ERR_USAGE, "--vcpus must be at least 1");
	if (max && want > max)
		return vc_error_set(err, VC_ERR_LIMIT,
				    "--vcpus %u is more than default_maxvcpus (%u)", want, max);
	cleanup_json json_t *cpus = qmp_exec(vm, "query-hotpluggable-cpus", NULL, err);
	if (!cpus)
		return -1;
	uint32_t plugged = 0;
	size_t i;
	json_t *c;
	json_array_foreach(cpus, i, c)
	{
		if (json_object_get(c, "qom-path"))
			plugged++;
	}
	if (want < plugged)
		return vc_error_set(err, VC_ERR_USAGE,
				    "the VM has %u vCPUs; removing vCPUs is not supported",
				    plugged);
	json_array_foreach(cpus, i, c)
	{
		if (plugged >= want)
			break;
		if (json_object_get(c, "qom-path"))
			continue;
		const char *type = json_string_value(json_object_get(c, "type"));
		json_t *props = json_object_get(c, "props");
		if (!type || !json_is_object(props))
			return vc_error_set(err, VC_ERR_PROTOCOL,
					    "query-hotpluggable-cpus: entry without type or props");
		json_t *args = json_deep_copy(props);
		json_object_del(args, "node-id");
		char cid[64];
		snprintf(
		    cid, sizeof(cid), "cpu-%lld-%lld-%lld", (long long)dev_int(props, "socket-id"),
		    (long long)dev_int(props, "core-id"), (long long)dev_int(props, "thread-id"));
		json_object_set_new(args, "driver", json_string(type));
		json_object_set_new(args, "id", json_string(cid));
		vc_info("update: device_add %s '%s'", type, cid);
		if (qmp_simple(vm, "device_add", args, err) < 0)
			return vc_error_wrap(err, "add vCPU");
		plugged++;
	}
	if (plugged < want)
		return vc_error_set(err, VC_ERR_LIMIT, "only %u vCPU slots are available", plugged);
	json_object_set_new(vm->st->vm, "vcpus", json_integer(want));
	return 0;
}

int vc_vmm_hotplug_add(vc_hv_vm *vm, const vc_hv_device *dev, char **device_id, vc_error **err)
{
	if (dev->kind == VC_HV_DEV_VCPUS)
		return hotplug_vcpus(vm, dev->vcpus, err);
	return hotplug_drive(vm, &dev->drive, device_id, err);
}

int vc_vmm_hotplug_remove(vc_hv_vm *vm, const char *device_id, vc_error **err)
{
	size_t index = 0;
	json_t *d = find_device(vm, device_id, &index);
	if (!d)
		return vc_error_set(err, VC_ERR_NOT_FOUND, "sandbox '%s' has no device '%s'",
				    vm->id, device_id);
	vc_info("unplug: device_del '%s'", device_id);
	vc_error *derr = NULL;
	if (qmp_simple(vm, "device_del", json_pack("{s:s}", "id", device_id), &derr) < 0) {
		/* Gone already (an earlier unplug whose record could not be saved): finish it. */
		if (!derr->msg || !strstr(derr->msg, "DeviceNotFound")) {
			vc_error_append(err, &derr);
			return vc_error_wrap(err, "unplug '%s'", device_id);
		}
		vc_info("unplug: '%s' is not in the VM any more", device_id);
		vc_error_free(derr);
	} else {
		json_t *ev = vc_qmp_wait_event(vm->qmp, "DEVICE_DELETED", "device", device_id,
					       VC_VMM_UNPLUG_TIMEOUT_MS, err);
		if (!ev)
			return vc_error_wrap(err, "unplug '%s': the guest did not release it",
					     device_id);
		json_decref(ev);
	}
	const char *node = json_string_value(json_object_get(d, "node"));
	if (node) { /* hotplugged: our blockdev; a cold -drive backend goes with its device */
		vc_info("unplug: blockdev-del '%s'", node);
		if (qmp_simple(vm, "blockdev-del", json_pack("{s:s}", "node-name", node), &derr) <
		    0) {
			/* The device is gone; a node left behind only holds the image open. */
			vc_warn("unplug '%s': %s", device_id, derr->msg);
			vc_error_free(derr);
		}
	}
	json_array_remove(vm->st->devices, index);
	return 0;
}
