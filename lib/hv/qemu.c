/* The QEMU backend: the argv of lib/qemu/builder.c started in its own session, paused (-S),
 * never -daemonize, then driven over QMP (vmm.c). */
#include <config.h>
#include "host/probe.h"
#include "hv/vmm.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_file(const char *what, const char *path, bool exec, vc_error **err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return vc_error_set_errno(err, errno, "%s '%s'", what, path);
	if (!S_ISREG(st.st_mode))
		return vc_error_set(err, VC_ERR_CONFIG, "%s '%s' is not a regular file", what,
				    path);
	if (exec && access(path, X_OK) < 0)
		return vc_error_set_errno(err, errno, "%s '%s'", what, path);
	return 0;
}

static const char *qemu_binary(const vc_hypervisor_config *c)
{
	const char *p = vc_config_asset_path(c, VC_ASSET_HYPERVISOR);
	return p && *p ? p : VC_DEFAULT_QEMU_PATH;
}

/* What the loader cannot know without touching the host: the files QEMU will open. */
static int qemu_init(vc_hypervisor_config *c, vc_error **err)
{
	int bad = 0;
	bad |= check_file("hypervisor", qemu_binary(c), true, err);
	const char *k = vc_config_asset_path(c, VC_ASSET_KERNEL);
	if (!k || !*k)
		bad |= vc_error_set(err, VC_ERR_CONFIG, "no guest kernel configured");
	else
		bad |= check_file("kernel", k, false, err);
	static const struct {
		vc_asset_kind kind;
		const char *what;
	} optional[] = {{VC_ASSET_INITRD, "initrd"},
			{VC_ASSET_IMAGE, "image"},
			{VC_ASSET_FIRMWARE, "firmware"}};
	for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		const char *p = vc_config_asset_path(c, optional[i].kind);
		if (p && *p)
			bad |= check_file(optional[i].what, p, false, err);
	}
	return bad ? -1 : 0;
}

/* The builder's `-qmp unix:PATH,server=on,wait=off` (what `qemu-args` shows, what a user would
 * type) becomes the same monitor on the socket we made and listen on already (fd). */
static void use_qmp_fd(vc_argv *argv, int fd)
{
	long i = vc_argv_find(argv, "-qmp");
	if (i >= 0 && (size_t)i + 1 < argv->n) {
		free(argv->v[i]);
		free(argv->v[i + 1]);
		argv->v[i] = xstrdup("-chardev");
		argv->v[i + 1] = xasprintf("socket,id=vcrun-qmp,fd=%d,server=on,wait=off", fd);
	} else {
		vc_argv_append(argv, "-chardev");
		vc_argv_appendf(argv, "socket,id=vcrun-qmp,fd=%d,server=on,wait=off", fd);
	}
	vc_argv_append(argv, "-mon");
	vc_argv_append(argv, "chardev=vcrun-qmp,mode=control");
}

/* The start session's monitor (vmm.h): QEMU takes fd as an already connected socket. */
static void add_start_monitor(vc_argv *argv, int fd)
{
	vc_argv_append(argv, "-chardev");
	vc_argv_appendf(argv, "socket,id=vcrun-start,fd=%d,server=off", fd);
	vc_argv_append(argv, "-mon");
	vc_argv_append(argv, "chardev=vcrun-start,mode=control");
}

/* Starts QEMU with the QMP socket and the start session (vmm.h), then waits until it answers
 * on the latter. */
static int spawn_and_wait(vc_hv_vm *vm, vc_argv *argv, vc_error **err)
{
	cleanup_close int qmp_fd = vc_vmm_qmp_listen(vm, err);
	if (qmp_fd < 0)
		return -1;
	int pair[2];
	if (vc_vmm_start_session_pair(vm, pair, err) < 0)
		return -1;
	cleanup_close int monitor_fd = pair[0];
	cleanup_close int session_fd = pair[1];
	use_qmp_fd(argv, qmp_fd);
	add_start_monitor(argv, monitor_fd);
	const int pass[VC_SPAWN_MAX_PASS_FDS] = {qmp_fd, monitor_fd, session_fd};
	if (vc_vmm_spawn_fds(vm, argv, pass, err) < 0)
		return -1;
	/* From now on the hypervisor holds the only copies of the QMP socket and of the
	 * monitor's end: if it dies, the session sees EOF at once. */
	close(vc_steal_fd(&qmp_fd));
	close(vc_steal_fd(&monitor_fd));
	if (vc_vmm_wait_ready_start_session(vm, vc_steal_fd(&session_fd), VC_VMM_READY_TIMEOUT_MS,
					    err) < 0) {
		vc_vmm_destroy(vm);
		return -1;
	}
	return 0;
}

static int qemu_create(vc_hv_vm *vm, vc_error **err)
{
	if (vc_vmm_set_paths(vm, err) < 0)
		return -1;
	vc_drive_spec *drives = xzalloc((vm->n_cold + 1) * sizeof(*drives));
	for (size_t i = 0; i < vm->n_cold; i++)
		drives[i] = vm->cold[i].drive; /* shallow: owned by vm->cold */
	vc_qemu_request req = {
	    .config = vm->config,
	    .id = vm->id,
	    .sandbox_dir = vm->dir,
	    .drives = drives,
	    .n_drives = vm->n_cold,
	    .default_binary = VC_DEFAULT_QEMU_PATH,
	    .console_tty = vm->console_tty,
	    .host_is_vm = vc_host_is_vm(),
	};
	cleanup_argv vc_argv argv = VC_ARGV_INIT;
	int r = vc_qemu_build_argv(&req, &argv, err);
	free(drives);
	if (r < 0)
		return -1;
	/* QEMU must stay our child and paused: no -daemonize (it also breaks -sandbox spawn=deny),
	 * and -S so that start is a `cont`. */
	long d = vc_argv_find(&argv, "-daemonize");
	if (d >= 0) {
		free(argv.v[d]);
		memmove(&argv.v[d], &argv.v[d + 1], (argv.n - (size_t)d) * sizeof(char *));
		argv.n--;
	}
	if (vc_argv_find(&argv, "-S") < 0)
		vc_argv_append(&argv, "-S");
	if (spawn_and_wait(vm, &argv, err) < 0)
		return -1;
	vc_vmm_record_cold_drives(vm, vm->config);
	return 0;
}

static unsigned qemu_capabilities(void)
{
	return VC_HV_CAP_BLOCK_HOTPLUG | VC_HV_CAP_CPU_HOTPLUG | VC_HV_CAP_PAUSE |
	       VC_HV_CAP_CONSOLE;
}

const vc_hv_ops vc_hv_qemu_ops = {
    .name = "qemu",
    .init = qemu_init,
    .add_device = vc_vmm_add_device,
    .create = qemu_create,
    .start = vc_vmm_start,
    .wait = vc_vmm_wait,
    .stop = vc_vmm_stop,
    .pause = vc_vmm_pause,
    .resume = vc_vmm_resume,
    .hotplug_add = vc_vmm_hotplug_add,
    .hotplug_remove = vc_vmm_hotplug_remove,
    .console = vc_vmm_console,
    .capabilities = qemu_capabilities,
    .status = vc_vmm_status,
    .kill = vc_vmm_kill,
    .status_many = vc_vmm_status_many,
};
