/* The mock backend: the same QMP-driven code as QEMU (vmm.c), with `vcrun __mock-vm` (mock_vm.c)
 * as the hypervisor. VCRUN_MOCK_FAIL=op[,op...] in a vcrun invocation's environment makes that
 * operation fail inside the fake QEMU: `create` (the process exits at once, as QEMU does on a bad
 * option), `start`, `pause`, `resume`, `stop` (powerdown and quit refused: vcrun must escalate to
 * SIGKILL), `hotplug` (device_add refused: the blockdev must be rolled back), `unplug`.
 * VCRUN_MOCK_GUEST_EXIT=1 at create makes the mock guest power off right after it boots. */
#include <config.h>
#include "hv/vmm.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool mock_fails(const char *op)
{
	const char *env = getenv("VCRUN_MOCK_FAIL");
	if (!env)
		return false;
	size_t n = strlen(op);
	for (const char *p = env; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, op, n) == 0)
			return true;
		p += len + (end ? 1 : 0);
	}
	return false;
}

/* Arms the failure inside the fake QEMU, so it answers the next matching command with a QMP
 * error exactly as a failing QEMU would. */
static int arm(vc_hv_vm *vm, const char *op, vc_error **err)
{
	if (!mock_fails(op))
		return 0;
	vc_debug("mock: arming a failure of '%s'", op);
	vc_qmp *q = vc_vmm_qmp(vm, err);
	if (!q)
		return -1;
	json_t *r = vc_qmp_execute(q, "x-vcrun-mock-fail", json_pack("{s:s}", "op", op),
				   VC_VMM_QMP_TIMEOUT_MS, err);
	if (!r)
		return -1;
	json_decref(r);
	return 0;
}

static int mock_init(vc_hypervisor_config *c, vc_error **err)
{
	if (c->default_maxvcpus && c->default_vcpus > c->default_maxvcpus)
		return vc_error_set(err, VC_ERR_CONFIG,
				    "default_vcpus %u is more than default_maxvcpus %u",
				    c->default_vcpus, c->default_maxvcpus);
	return 0;
}

static int mock_create(vc_hv_vm *vm, vc_error **err)
{
	if (vc_vmm_set_paths(vm, err) < 0)
		return -1;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return vc_error_set_errno(err, errno, "readlink /proc/self/exe");
	self[n] = '\0';
	const vc_hypervisor_config *c = vm->config;
	cleanup_argv vc_argv argv = VC_ARGV_INIT;
	vc_argv_append(&argv, self);
	vc_argv_append(&argv, "__mock-vm");
	int qmp_fd = vc_vmm_qmp_listen(vm, err);
	if (qmp_fd < 0)
		return -1;
	cleanup_close int owned_qmp_fd = qmp_fd; /* until vc_vmm_wait_ready_fd takes it */
	vc_argv_append(&argv, "--qmp");
	vc_argv_append(&argv, vm->st->qmp_socket);
	vc_argv_append(&argv, "--qmp-fd");
	vc_argv_appendf(&argv, "%d", qmp_fd);
	if (vm->console_tty) {
		vc_argv_append(&argv, "--console-tty");
		vc_argv_append(&argv, vm->console_tty);
	} else {
		vc_argv_append(&argv, "--console");
		vc_argv_append(&argv, vm->st->console_socket);
	}
	vc_argv_append(&argv, "--console-log");
	vc_argv_append(&argv, vm->st->console_log);
	vc_argv_append(&argv, "--cpus");
	vc_argv_appendf(&argv, "%u", c->default_vcpus ? c->default_vcpus : 1);
	vc_argv_append(&argv, "--maxcpus");
	vc_argv_appendf(&argv, "%u", c->default_maxvcpus ? c->default_maxvcpus : 1);
	for (size_t i = 0; i < vm->n_cold; i++) {
		if (access(vm->cold[i].drive.path, R_OK) < 0)
			return vc_error_set_errno(err, errno, "drive '%s'", vm->cold[i].drive.path);
		vc_argv_append(&argv, "--device");
		vc_argv_appendf(&argv, "disk-%zu", i);
	}
	if (mock_fails("create")) {
		vc_argv_append(&argv, "--fail");
		vc_argv_append(&argv, "create");
	}
	const char *exit_env = getenv("VCRUN_MOCK_GUEST_EXIT");
	if (exit_env && strcmp(exit_env, "1") == 0)
		vc_argv_append(&argv, "--guest-exit");
	const int pass[VC_SPAWN_MAX_PASS_FDS] = {qmp_fd};
	if (vc_vmm_spawn_fds(vm, &argv, pass, err) < 0)
		return -1;
	if (vc_vmm_wait_ready_fd(vm, vc_steal_fd(&owned_qmp_fd), VC_VMM_READY_TIMEOUT_MS, err) <
	    0) {
		vc_vmm_destroy(vm);
		return -1;
	}
	vc_vmm_record_cold_drives(vm, c);
	return 0;
}

static int mock_start(vc_hv_vm *vm, vc_error **err)
{
	return arm(vm, "start", err) < 0 ? -1 : vc_vmm_start(vm, err);
}

static int mock_pause(vc_hv_vm *vm, vc_error **err)
{
	return arm(vm, "pause", err) < 0 ? -1 : vc_vmm_pause(vm, err);
}

static int mock_resume(vc_hv_vm *vm, vc_error **err)
{
	return arm(vm, "resume", err) < 0 ? -1 : vc_vmm_resume(vm, err);
}

static int mock_stop(vc_hv_vm *vm, int timeout_ms, vc_error **err)
{
	return arm(vm, "stop", err) < 0 ? -1 : vc_vmm_stop(vm, timeout_ms, err);
}

static int mock_hotplug_add(vc_hv_vm *vm, const vc_hv_device *dev, char **id, vc_error **err)
{
	return arm(vm, "hotplug", err) < 0 ? -1 : vc_vmm_hotplug_add(vm, dev, id, err);
}

static int mock_hotplug_remove(vc_hv_vm *vm, const char *id, vc_error **err)
{
	return arm(vm, "unplug", err) < 0 ? -1 : vc_vmm_hotplug_remove(vm, id, err);
}

static unsigned mock_capabilities(void)
{
	return VC_HV_CAP_BLOCK_HOTPLUG | VC_HV_CAP_CPU_HOTPLUG | VC_HV_CAP_PAUSE |
	       VC_HV_CAP_CONSOLE;
}

const vc_hv_ops vc_hv_mock_ops = {
    .name = "mock",
    .init = mock_init,
    .add_device = vc_vmm_add_device,
    .create = mock_create,
    .start = mock_start,
    .wait = vc_vmm_wait,
    .stop = mock_stop,
    .pause = mock_pause,
    .resume = mock_resume,
    .hotplug_add = mock_hotplug_add,
    .hotplug_remove = mock_hotplug_remove,
    .console = vc_vmm_console,
    .capabilities = mock_capabilities,
    .status = vc_vmm_status,
    .kill = vc_vmm_kill,
    .status_many = vc_vmm_status_many,
};
