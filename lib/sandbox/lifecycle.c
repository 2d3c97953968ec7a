#include <config.h>
#include "sandbox/lifecycle.h"
#include "qemu/qmp_many.h"
#include "sandbox/terminal.h"
#include "util/sha512.h"
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
#include <strings.h>
#include <unistd.h>

#define OCI_VERSION "1.0.2"

static const char *const status_names[] = {"creating", "created", "running", "paused", "stopped"};

const char *vc_status_name(vc_status s)
{
	return status_names[s];
}

/* An open sandbox with its backend: what every command works on. */
typedef struct lc {
	vc_sandbox *sb;
	const vc_hv_ops *ops;
	vc_hv_vm vm;
} lc;

static void lc_close(lc *l)
{
	vc_hv_vm_release(&l->vm);
	vc_sandbox_close(l->sb);
	l->sb = NULL;
}
#define cleanup_lc __attribute__((cleanup(lc_close)))

static void lc_attach(lc *l)
{
	l->ops = vc_hv_find(l->sb->st.hypervisor);
	l->vm.id = l->sb->st.id;
	l->vm.dir = l->sb->dir;
	l->vm.st = &l->sb->st;
}

static int lc_open(lc *l, const char *root, const char *id, vc_lock_mode lock, vc_error **err)
{
	memset(l, 0, sizeof(*l));
	l->sb = vc_sandbox_open(root, id, lock, err);
	if (!l->sb)
		return -1;
	lc_attach(l);
	return 0;
}

/* Without the lock, for list (see vc_sandbox_peek). */
static int lc_peek(lc *l, int root_fd, const char *root_abs, const char *id, vc_error **err)
{
	memset(l, 0, sizeof(*l));
	l->sb = vc_sandbox_peek(root_fd, root_abs, id, err);
	if (!l->sb)
		return -1;
	lc_attach(l);
	return 0;
}

static int need_ops(lc *l, vc_error **err)
{
	if (l->ops)
		return 0;
	if (!l->sb->has_state)
		return vc_error_set(err, VC_ERR_STATE, "sandbox '%s' has no usable state file",
				    l->vm.id);
	return vc_error_set(err, VC_ERR_GENERIC,
			    "sandbox '%s' was created with backend '%s', which this build lacks",
			    l->vm.id, l->sb->st.hypervisor ? l->sb->st.hypervisor : "");
}

/* The status vcrun last recorded (st->status, see state.h); false when there is none usable. */
static bool recorded_status(const vc_sandbox_state *st, vc_status *out)
{
	static const vc_status recordable[] = {VC_STATUS_CREATED, VC_STATUS_RUNNING,
					       VC_STATUS_PAUSED};
	if (!st->status || !st->create_done)
		return false;
	for (size_t i = 0; i < sizeof(recordable) / sizeof(recordable[0]); i++) {
		if (strcmp(st->status, vc_status_name(recordable[i])) == 0) {
			*out = recordable[i];
			return true;
		}
	}
	return false;
}

/* The status as far as it can be told without asking the VM (the state and the process); false
 * when the VM has to be asked. The process is always looked at live (pid and start time). With
 * use_recorded (`list`), a live process of a finished create has the status vcrun recorded last
 * (as runc's list: the state file and the process, never the container itself); without a
 * recorded one, or without use_recorded (`state`, every operation), the VM is asked. */
static bool status_without_vm(lc *l, bool use_recorded, vc_status *out)
{
	vc_sandbox_state *st = &l->sb->st;
	vc_status rec = VC_STATUS_RUNNING; /* no backend to ask (not in this build) */
	bool have_rec = use_recorded && recorded_status(st, &rec);
	if (!l->sb->has_state)
		*out = VC_STATUS_STOPPED;
	else if (st->pid <= 0)
		*out = !st->create_done && l->sb->busy ? VC_STATUS_CREATING : VC_STATUS_STOPPED;
	else if (st->create_done && l->ops && !have_rec)
		return false; /* the backend's status looks at the process first, then asks */
	else if (!vc_proc_alive(st->pid, st->pid_start))
		*out = VC_STATUS_STOPPED;
	else if (!st->create_done)
		*out = VC_STATUS_CREATING; /* being created, or its create was interrupted */
	else
		*out = rec;
	return true;
}

/* The status from what the VM said (e: why it could not tell, consumed). */
static vc_status status_from_vm(lc *l, vc_vm_status s, vc_error *e)
{
	if (e) {
		vc_warn("status of '%s': %s (reporting it as running)", l->vm.id, e->msg);
		vc_error_free(e);
		return VC_STATUS_RUNNING;
	}
	switch (s) {
	case VC_VM_PRELAUNCH:
		return VC_STATUS_CREATED;
	case VC_VM_RUNNING:
		return VC_STATUS_RUNNING;
	case VC_VM_PAUSED:
		return VC_STATUS_PAUSED;
	default:
		return VC_STATUS_STOPPED;
	}
}

/* The status, derived live: never read from disk. */
static vc_status lc_status(lc *l)
{
	vc_status status;
	if (status_without_vm(l, false, &status))
		return status;
	vc_vm_status s = VC_VM_GONE;
	vc_error *e = NULL;
	if (l->ops->status(&l->vm, &s, &e) < 0 && !e)
		vc_error_set(&e, VC_ERR_GENERIC, "unknown error");
	return status_from_vm(l, s, e);
}

static int wrong_status(const char *op, const char *id, vc_status s, const char *rule,
			vc_error **err)
{
	return vc_error_set(err, VC_ERR_STATE, "cannot %s sandbox '%s': it is %s (%s)", op, id,
			    vc_status_name(s), rule);
}

/* ---- create --------------------------------------------------------------------------- */

static json_t *bundle_annotations(const char *bundle)
{
	cleanup_free char *path = xasprintf("%s/config.json", bundle);
	if (access(path, F_OK) < 0)
		return json_object();
	json_error_t je;
	json_t *spec = json_load_file(path, 0, &je);
	json_t *a = json_object_get(spec, "annotations");
	json_t *r = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(a, k, v)
	{
		if (json_is_string(v))
			json_object_set(r, k, v);
	}
	if (!spec)
		vc_warn("%s:%d:%d: %s (annotations ignored)", path, je.line, je.column, je.text);
	json_decref(spec);
	return r;
}

static int persist_spawned(void *ctx, vc_error **err)
{
	vc_sandbox *sb = ctx;
	return vc_state_write(sb, err);
}

static int write_pid_file(const char *path, pid_t pid, vc_error **err)
{
	cleanup_free char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "write pid file '%s'", path);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid); /* no newline: the shim wants none */
	if (write(fd, buf, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return vc_error_set_errno(err, e, "write pid file '%s'", path);
	}
	return 0;
}

static const char *const asset_names[VC_ASSET_COUNT] = {"kernel", "initrd", "image", "firmware",
							"hypervisor"};

/* Annotations io.katacontainers.config.hypervisor.<asset>_hash carry the SHA-512 the asset must
 * match; checked before anything is created or started. */
static int verify_asset_hashes(const vc_hypervisor_config *c, vc_error **err)
{
	for (int k = 0; k < VC_ASSET_COUNT; k++) {
		const char *want = c->asset_hashes[k];
		if (!want || !*want)
			continue;
		const char *path = vc_config_asset_path(c, (vc_asset_kind)k);
		if (!path || !*path)
			return vc_error_set(err, VC_ERR_CONFIG,
					    "a %s hash is given but no %s is configured",
					    asset_names[k], asset_names[k]);
		if (vc_asset_verify_sha512(path, want, err) < 0)
			return vc_error_wrap(err, "%s integrity", asset_names[k]);
	}
	return 0;
}

int vc_preserve_fds_check(int n, vc_error **err)
{
	if (n < 0)
		return vc_error_set(err, VC_ERR_USAGE, "--preserve-fds %d: not a count", n);
	long max = sysconf(_SC_OPEN_MAX);
	if (max > 0 && n > max - 3)
		return vc_error_set(err, VC_ERR_USAGE,
				    "--preserve-fds %d: more than the %ld descriptors this process "
				    "may have open",
				    n, max);
	for (int fd = 3; fd < 3 + n; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0)
			return vc_error_set(err, VC_ERR_GENERIC,
					    "--preserve-fds %d: fd %d is not open", n, fd);
		if (fl & FD_CLOEXEC)
			return vc_error_set(
			    err, VC_ERR_GENERIC,
			    "--preserve-fds %d: fd %d is not inherited by vcrun (it "
			    "is vcrun's own)",
			    n, fd);
	}
	return 0;
}

/* Terminal mode, before anything exists: the console socket answers, the pty is made. */
static int terminal_prepare(const char *console_socket, int *sock, vc_pty *pty, vc_error **err)
{
	if (!console_socket)
		return 0;
	*sock = vc_console_socket_connect(console_socket, err);
	if (*sock < 0)
		return -1;
	if (vc_pty_open(pty, err) < 0) {
		close(*sock);
		*sock = -1;
		return -1;
	}
	vc_debug("terminal mode: the guest console is %s, its master goes to '%s'", pty->slave_path,
		 console_socket);
	return 0;
}

int vc_lc_create(const vc_create_opts *o, pid_t *vm_pid, vc_error **err)
{
	if (vc_id_validate(o->id, err) < 0)
		return -1;
	if (vc_preserve_fds_check(o->preserve_fds, err) < 0)
		return -1;
	const vc_hv_ops *ops = vc_hv_find(o->config->hypervisor_name);
	if (!ops)
		return vc_error_set(err, VC_ERR_CONFIG, "no hypervisor backend named '%s'",
				    o->config->hypervisor_name ? o->config->hypervisor_name : "");
	if (ops->init(o->config, err) < 0)
		return -1;
	if (verify_asset_hashes(o->config, err) < 0)
		return -1;
	char bundle[PATH_MAX];
	if (!realpath(o->bundle ? o->bundle : ".", bundle))
		return vc_error_set_errno(err, errno, "bundle '%s'", o->bundle ? o->bundle : ".");
	cleanup_close int con_sock = -1;
	vc_pty pty = VC_PTY_INIT;
	if (terminal_prepare(o->console_socket, &con_sock, &pty, err) < 0)
		return -1;

	vc_sandbox_state initial = {0};
	initial.id = (char *)o->id;
	initial.bundle = bundle;
	initial.hypervisor = (char *)ops->name;
	cleanup_free char *created = vc_log_time_now();
	initial.created = created;
	initial.oci_console_socket = (char *)o->console_socket;
	initial.console_tty = pty.slave_path;
	initial.annotations = bundle_annotations(bundle);
	initial.vm = json_object();
	initial.devices = json_array();
	vc_sandbox *sb = vc_sandbox_new(o->root, o->id, &initial, err);
	json_decref(initial.annotations);
	json_decref(initial.vm);
	json_decref(initial.devices);
	if (!sb) {
		vc_pty_close(&pty);
		return -1;
	}
	vc_fault_point("create-dir");
	free(sb->st.hypervisor_log);
	sb->st.hypervisor_log = vc_sandbox_path(sb, "hypervisor.log");

	vc_hv_vm vm = {.id = sb->st.id,
		       .dir = sb->dir,
		       .st = &sb->st,
		       .config = o->config,
		       .spawned = persist_spawned,
		       .spawned_ctx = sb,
		       .console_tty = pty.slave_path,
		       .preserve_fds = o->preserve_fds};
	for (size_t i = 0; i < o->n_drives; i++) {
		vc_hv_device d = {.kind = VC_HV_DEV_DRIVE, .drive = o->drives[i]};
		if (ops->add_device(&vm, &d, err) < 0)
			goto fail;
	}
	if (ops->create(&vm, err) < 0)
		goto fail;
	vc_fault_point("create-ready");
	sb->st.create_done = true;
	free(sb->st.status);
	sb->st.status = xstrdup(vc_status_name(VC_STATUS_CREATED));
	if (vc_state_write(sb, err) < 0)
		goto fail_vm;
	/* The hypervisor has the slave open now (it answered QMP after opening its chardevs):
	 * hand the master over, and keep no copy of either end. */
	if (con_sock >= 0 && vc_send_fd(con_sock, pty.master, pty.slave_path, err) < 0)
		goto fail_vm;
	vc_pty_close(&pty);
	if (o->pid_file && write_pid_file(o->pid_file, sb->st.pid, err) < 0)
		goto fail_vm;
	vc_info("created sandbox '%s' (%s, pid %d)", o->id, ops->name, (int)sb->st.pid);
	if (vm_pid)
		*vm_pid = sb->st.pid;
	/* Not reaped: the VM outlives us and is re-parented to our parent (the shim, a subreaper)
	 * or to init. */
	vm.own_child = false;
	vc_hv_vm_release(&vm);
	vc_sandbox_close(sb);
	return 0;
fail_vm:
	if (sb->st.pid > 0 && vc_proc_alive(sb->st.pid, sb->st.pid_start)) {
		kill(sb->st.pid, SIGKILL);
		ops->wait(&vm, 5000, NULL);
	}
fail:
	vc_hv_vm_release(&vm);
	vc_pty_close(&pty);
	vc_error_wrap(err, "create '%s'", o->id);
	vc_error *rerr = NULL;
	if (vc_sandbox_remove(sb, &rerr) < 0) {
		vc_warn("%s", rerr->msg);
		vc_error_free(rerr);
	}
	vc_sandbox_close(sb);
	return -1;
}

/* ---- the simple transitions ----------------------------------------------------------- */

/* Records the status a transition sets, for `list`, before the VM is told: a state that cannot
 * be written fails the transition while the VM is still as it was. */
static int record_status(lc *l, vc_status s, vc_error **err)
{
	free(l->sb->st.status);
	l->sb->st.status = xstrdup(vc_status_name(s));
	return vc_state_write(l->sb, err);
}

/* The transition failed after record_status: the VM may or may not have changed, so the status
 * is no longer recorded (`list` asks this VM again until the next transition records one). */
static void forget_status(lc *l)
{
	free(l->sb->st.status);
	l->sb->st.status = NULL;
	vc_error *e = NULL;
	if (vc_state_write(l->sb, &e) < 0) {
		vc_warn("%s (list may show a stale status for '%s' until its next transition)",
			e->msg, l->vm.id);
		vc_error_free(e);
	}
}

/* One transition of a VM that exists: from status `from` to `to` through op. */
static int transition(const char *root, const char *id, const char *name, vc_status from,
		      vc_status to, const char *rule,
		      int (*op)(const vc_hv_ops *ops, vc_hv_vm *vm, vc_error **err), vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0 || need_ops(&l, err) < 0)
		return -1;
	/* start (created -> running) goes by what create recorded, as runc's start goes by its
	 * state file and the process: a live VM recorded as created is sent `cont` at once, and
	 * QEMU's reply is the check (it refuses a VM that has shut down; one that some other
	 * QMP client resumed already stays running). It may reach the VM through the session
	 * create left for it (lib/hv/hv.h). Anything else is asked of the VM. */
	bool start = from == VC_STATUS_CREATED && to == VC_STATUS_RUNNING;
	l.vm.take_start_session = start;
	vc_status s;
	if (!start || !status_without_vm(&l, true, &s) || s != from)
		s = lc_status(&l);
	if (s != from)
		return wrong_status(name, id, s, rule, err);
	if (record_status(&l, to, err) < 0)
		return vc_error_wrap(err, "%s '%s'", name, id);
	if (op(l.ops, &l.vm, err) < 0) {
		forget_status(&l);
		return vc_error_wrap(err, "%s '%s'", name, id);
	}
	return 0;
}

static int op_start(const vc_hv_ops *ops, vc_hv_vm *vm, vc_error **err)
{
	return ops->start(vm, err);
}

static int op_pause(const vc_hv_ops *ops, vc_hv_vm *vm, vc_error **err)
{
	return ops->pause(vm, err);
}

static int op_resume(const vc_hv_ops *ops, vc_hv_vm *vm, vc_error **err)
{
	return ops->resume(vm, err);
}

int vc_lc_start(const char *root, const char *id, vc_error **err)
{
	if (transition(root, id, "start", VC_STATUS_CREATED, VC_STATUS_RUNNING,
		       "only a created sandbox can be started", op_start, err) < 0)
		return -1;
	vc_info("started sandbox '%s'", id);
	return 0;
}

int vc_lc_pause(const char *root, const char *id, vc_error **err)
{
	return transition(root, id, "pause", VC_STATUS_RUNNING, VC_STATUS_PAUSED,
			  "only a running sandbox can be paused", op_pause, err);
}

int vc_lc_resume(const char *root, const char *id, vc_error **err)
{
	return transition(root, id, "resume", VC_STATUS_PAUSED, VC_STATUS_RUNNING,
			  "only a paused sandbox can be resumed", op_resume, err);
}

int vc_lc_kill(const char *root, const char *id, int signo, bool all, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0)
		return -1;
	vc_status s = lc_status(&l);
	if (s == VC_STATUS_STOPPED) {
		if (all)
			return 0; /* runc: kill --all of a stopped container succeeds */
		return wrong_status("kill", id, s, "there is no process to signal", err);
	}
	if (s == VC_STATUS_CREATING || !l.ops) {
		/* No usable QMP yet: signals go to the process as they are. */
		if (kill(l.sb->st.pid, signo) < 0 && errno != ESRCH)
			return vc_error_set_errno(err, errno, "kill pid %d", (int)l.sb->st.pid);
		return 0;
	}
	if (l.ops->kill(&l.vm, signo, err) < 0)
		return vc_error_wrap(err, "kill '%s'", id);
	return 0;
}

int vc_lc_stop(const char *root, const char *id, int timeout_s, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0 || need_ops(&l, err) < 0)
		return -1;
	vc_status s = lc_status(&l);
	if (s == VC_STATUS_STOPPED) {
		vc_info("sandbox '%s' is already stopped", id);
		return 0;
	}
	if (l.ops->stop(&l.vm, timeout_s * 1000, err) < 0)
		return vc_error_wrap(err, "stop '%s'", id);
	vc_info("stopped sandbox '%s'", id);
	return 0;
}

int vc_lc_delete(const char *root, const char *id, bool force, vc_error **err)
{
	cleanup_lc lc l;
	vc_error *oerr = NULL;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, &oerr) < 0) {
		if (force && oerr->code == VC_ERR_NOT_FOUND) {
			vc_error_free(oerr); /* runc: delete --force of a missing id succeeds */
			return 0;
		}
		vc_error_append(err, &oerr);
		return -1;
	}
	vc_status s = lc_status(&l);
	if (s != VC_STATUS_STOPPED && !force)
		return wrong_status("delete", id, s, "stop it first or use --force", err);
	vc_sandbox_state *st = &l.sb->st;
	if (st->pid > 0 && vc_proc_alive(st->pid, st->pid_start)) {
		vc_info("delete: killing the hypervisor of '%s' (pid %d)", id, (int)st->pid);
		kill(st->pid, SIGKILL);
		for (int i = 0; i < 500 && vc_proc_alive(st->pid, st->pid_start); i++)
			usleep(10000);
		if (vc_proc_alive(st->pid, st->pid_start))
			return vc_error_set(err, VC_ERR_TIMEOUT, "pid %d survived SIGKILL",
					    (int)st->pid);
	}
	if (vc_sandbox_remove(l.sb, err) < 0)
		return -1;
	vc_info("deleted sandbox '%s'", id);
	return 0;
}

/* ---- state and list ------------------------------------------------------------------- */

static json_t *state_object(const vc_sandbox_state *st, vc_status s)
{
	json_t *o = json_object();
	json_object_set_new(o, "ociVersion", json_string(OCI_VERSION));
	json_object_set_new(o, "id", json_string(st->id));
	json_object_set_new(o, "status", json_string(vc_status_name(s)));
	json_object_set_new(o, "pid", json_integer(s == VC_STATUS_STOPPED ? 0 : st->pid));
	json_object_set_new(o, "bundle", json_string(st->bundle ? st->bundle : ""));
	json_object_set_new(o, "annotations",
			    st->annotations ? json_incref(st->annotations) : json_object());
	json_object_set_new(o, "created", json_string(st->created ? st->created : ""));
	json_object_set_new(o, "hypervisor", json_string(st->hypervisor ? st->hypervisor : ""));
	json_object_set_new(o, "qmp_socket", json_string(st->qmp_socket ? st->qmp_socket : ""));
	/* terminal mode: no console socket of ours; the one the terminal was handed to */
	const char *cs = st->console_tty ? st->oci_console_socket : st->console_socket;
	json_object_set_new(o, "console_socket", json_string(cs ? cs : ""));
	json_object_set_new(o, "console_tty", json_string(st->console_tty ? st->console_tty : ""));
	json_object_set_new(o, "console_log", json_string(st->console_log ? st->console_log : ""));
	return o;
}

static json_t *oci_state(lc *l, vc_status s)
{
	return state_object(&l->sb->st, s);
}

json_t *vc_lc_list_entry_json(const vc_lc_list_entry *e)
{
	return state_object(e->st, e->status);
}

json_t *vc_lc_state(const char *root, const char *id, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_SHARED_TRY, err) < 0)
		return NULL;
	return oci_state(&l, lc_status(&l));
}

/* Asks the VMs of one backend at once (or one after the other when it cannot). */
static void ask_vms(const vc_hv_ops *ops, lc **ls, size_t n, vc_status *out)
{
	if (!ops->status_many) {
		for (size_t i = 0; i < n; i++)
			out[i] = lc_status(ls[i]);
		return;
	}
	vc_hv_vm **vms = xzalloc(n * sizeof(*vms));
	vc_vm_status *s = xzalloc(n * sizeof(*s));
	vc_error **errs = xzalloc(n * sizeof(*errs));
	for (size_t i = 0; i < n; i++)
		vms[i] = &ls[i]->vm;
	ops->status_many(vms, n, s, errs);
	for (size_t i = 0; i < n; i++)
		out[i] = status_from_vm(ls[i], s[i], errs[i]);
	free(vms);
	free(s);
	free(errs);
}

/* The status of the sandboxes of a batch that need their VM asked (known[i] false): grouped by
 * backend, so that each backend asks all of its VMs at once. */
static void batch_status(lc *ls, size_t n, const bool *known, vc_status *out)
{
	bool *asked = xzalloc(n * sizeof(*asked));
	memcpy(asked, known, n * sizeof(*asked));
	lc **group = xzalloc(n * sizeof(*group));
	size_t *where = xzalloc(n * sizeof(*where));
	vc_status *gs = xzalloc(n * sizeof(*gs));
	for (size_t i = 0; i < n; i++) {
		if (asked[i])
			continue;
		size_t m = 0;
		for (size_t k = i; k < n; k++) {
			if (!asked[k] && ls[k].ops == ls[i].ops) {
				group[m] = &ls[k];
				where[m++] = k;
			}
		}
		ask_vms(ls[i].ops, group, m, gs);
		for (size_t k = 0; k < m; k++) {
			out[where[k]] = gs[k];
			asked[where[k]] = true;
		}
	}
	free(asked);
	free(group);
	free(where);
	free(gs);
}

/* `list`, in order of id. A sandbox whose status is known without its VM is handed to fn at once
 * (its memory then reused), unless sandboxes before it wait for their VMs: ls holds those and the
 * ones after them, until the batch is full or the list ends, and then their VMs are asked all at
 * once (known[i] false: to be asked). */
typedef struct lister {
	vc_lc_list_fn fn;
	void *ctx;
	lc *ls;
	bool *known;
	vc_status *st;
	size_t n, cap;
} lister;

static void lister_give(lister *L, lc *l, vc_status s)
{
	vc_lc_list_entry e = {
	    .st = &l->sb->st, .status = s, .pid = s == VC_STATUS_STOPPED ? 0 : l->sb->st.pid};
	L->fn(&e, L->ctx);
	lc_close(l);
}

static void lister_flush(lister *L)
{
	batch_status(L->ls, L->n, L->known, L->st);
	for (size_t i = 0; i < L->n; i++)
		lister_give(L, &L->ls[i], L->st[i]);
	L->n = 0;
}

int vc_lc_list_each(const char *root, bool live, vc_lc_list_fn fn, void *ctx, vc_error **err)
{
	char **ids = NULL;
	size_t n = 0;
	cleanup_close int root_fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root_fd < 0) {
		if (errno == ENOENT)
			return 0; /* no root, no sandboxes */
		return vc_error_set_errno(err, errno, "open state root '%s'", root);
	}
	cleanup_free char *root_abs = realpath(root, NULL);
	if (!root_abs)
		return vc_error_set_errno(err, errno, "state root '%s'", root);
	if (vc_state_list_fd(root_fd, &ids, &n, err) < 0)
		return -1;
	/* Each VM asked holds a connection: the batch size keeps them within the descriptor
	 * limit. */
	lister L = {.fn = fn, .ctx = ctx, .cap = vc_qmp_many_default_open()};
	L.ls = xzalloc(L.cap * sizeof(*L.ls));
	L.known = xzalloc(L.cap * sizeof(*L.known));
	L.st = xzalloc(L.cap * sizeof(*L.st));
	for (size_t i = 0; i < n; i++) {
		lc *l = &L.ls[L.n];
		vc_error *e = NULL;
		if (lc_peek(l, root_fd, root_abs, ids[i], &e) < 0) {
			if (e->code != VC_ERR_NOT_FOUND) /* deleted meanwhile: not listed */
				vc_warn("%s", e->msg);
			vc_error_free(e);
			continue;
		}
		vc_status s = VC_STATUS_STOPPED;
		bool known = status_without_vm(l, !live, &s);
		if (known && L.n == 0) {
			lister_give(&L, l, s);
			continue;
		}
		L.known[L.n] = known;
		L.st[L.n++] = s;
		if (L.n == L.cap)
			lister_flush(&L);
	}
	lister_flush(&L);
	free(L.ls);
	free(L.known);
	free(L.st);
	vc_strings_free(ids, n);
	return 0;
}

static void append_to(const vc_lc_list_entry *e, void *array)
{
	json_array_append_new(array, vc_lc_list_entry_json(e));
}

static json_t *list_array(const char *root, bool live, vc_error **err)
{
	json_t *a = json_array();
	if (vc_lc_list_each(root, live, append_to, a, err) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *vc_lc_list(const char *root, vc_error **err)
{
	return list_array(root, false, err);
}

json_t *vc_lc_list_live(const char *root, vc_error **err)
{
	return list_array(root, true, err);
}

/* ---- devices -------------------------------------------------------------------------- */

static int need_vm(lc *l, const char *op, bool running_only, vc_error **err)
{
	if (need_ops(l, err) < 0)
		return -1;
	vc_status s = lc_status(l);
	if (running_only && s != VC_STATUS_RUNNING)
		return wrong_status(op, l->vm.id, s, "the guest must run to release a device", err);
	if (s != VC_STATUS_CREATED && s != VC_STATUS_RUNNING && s != VC_STATUS_PAUSED)
		return wrong_status(op, l->vm.id, s, "the VM must exist", err);
	return 0;
}

int vc_lc_device_add(const char *root, const char *id, const vc_drive_spec *drive, char **device_id,
		     vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0 ||
	    need_vm(&l, "add a device to", false, err) < 0)
		return -1;
	if (!(l.ops->capabilities() & VC_HV_CAP_BLOCK_HOTPLUG))
		return vc_error_set(err, VC_ERR_GENERIC, "backend '%s' cannot hotplug drives",
				    l.ops->name);
	vc_hv_device d = {.kind = VC_HV_DEV_DRIVE, .drive = *drive};
	if (l.ops->hotplug_add(&l.vm, &d, device_id, err) < 0)
		return vc_error_wrap(err, "device add '%s'", id);
	if (vc_state_write(l.sb, err) < 0) {
		/* Unrecorded, the device would be unknown to every later command: take it out
		 * again (the guest may keep it when it cannot release it now). */
		vc_error *rb = NULL;
		if (l.ops->hotplug_remove(&l.vm, *device_id, &rb) < 0) {
			vc_warn("device add rollback: %s", rb->msg);
			vc_error_free(rb);
		}
		free(*device_id);
		*device_id = NULL;
		return vc_error_wrap(err, "device add '%s'", id);
	}
	return 0;
}

int vc_lc_device_remove(const char *root, const char *id, const char *device_id, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0 ||
	    need_vm(&l, "remove a device from", true, err) < 0)
		return -1;
	if (l.ops->hotplug_remove(&l.vm, device_id, err) < 0)
		return vc_error_wrap(err, "device remove '%s'", id);
	return vc_state_write(l.sb, err);
}

json_t *vc_lc_device_list(const char *root, const char *id, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_SHARED, err) < 0)
		return NULL;
	return json_deep_copy(l.sb->st.devices);
}

int vc_lc_update_vcpus(const char *root, const char *id, uint32_t vcpus, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_EXCLUSIVE, err) < 0 ||
	    need_vm(&l, "update", false, err) < 0)
		return -1;
	if (!(l.ops->capabilities() & VC_HV_CAP_CPU_HOTPLUG))
		return vc_error_set(err, VC_ERR_GENERIC, "backend '%s' cannot hotplug vCPUs",
				    l.ops->name);
	vc_hv_device d = {.kind = VC_HV_DEV_VCPUS, .vcpus = vcpus};
	if (l.ops->hotplug_add(&l.vm, &d, NULL, err) < 0)
		return vc_error_wrap(err, "update '%s'", id);
	return vc_state_write(l.sb, err);
}

int vc_lc_console(const char *root, const char *id, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_SHARED, err) < 0 || need_ops(&l, err) < 0)
		return -1;
	vc_status s = lc_status(&l);
	if (l.sb->st.console_tty)
		return vc_error_set(
		    err, VC_ERR_STATE,
		    "sandbox '%s' runs in terminal mode: its console belongs to the "
		    "terminal handed to the console socket '%s'",
		    id, l.sb->st.oci_console_socket ? l.sb->st.oci_console_socket : "");
	if (s == VC_STATUS_STOPPED || s == VC_STATUS_CREATING)
		return wrong_status("attach to", id, s, "the VM must exist", err);
	return l.ops->console(&l.vm, err);
}

char *vc_lc_console_log(const char *root, const char *id, vc_error **err)
{
	cleanup_lc lc l;
	if (lc_open(&l, root, id, VC_LOCK_NONE, err) < 0)
		return NULL;
	return xstrdup(l.sb->st.console_log ? l.sb->st.console_log : "");
}

/* ---- signals -------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int num;
} signals[] = {
    {"HUP", SIGHUP},	   {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
    {"TRAP", SIGTRAP},	   {"ABRT", SIGABRT}, {"BUS", SIGBUS},	   {"FPE", SIGFPE},
    {"KILL", SIGKILL},	   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},	   {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
    {"CONT", SIGCONT},	   {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},	   {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"PWR", SIGPWR},	   {"SYS", SIGSYS},
};

int vc_signal_parse(const char *s)
{
	if (!s || !*s)
		return -1;
	if (s[0] >= '0' && s[0] <= '9') {
		char *end;
		long n = strtol(s, &end, 10);
		return *end || n <= 0 || n >= NSIG ? -1 : (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].num;
	return -1;
}
