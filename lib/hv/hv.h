/* The hypervisor interface (the seed's `hypervisor` interface as an ops table) and the registry of
 * backends by name. The lifecycle (lib/sandbox/lifecycle.c) only ever calls through this table:
 * it never names a backend.
 *
 * A backend operates on a vc_hv_vm: the sandbox's id and directory, its recorded state (pid and
 * start time, socket paths, backend facts in st->vm, device records in st->devices), and at
 * create time the validated configuration. Operations update st in memory; the caller persists
 * it (vc_state_write) only when the operation succeeded, so a failed operation leaves the stored
 * sandbox as it was. */
#ifndef VC_HV_HV_H
#define VC_HV_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config/config.h"
#include "qemu/builder.h"
#include "qemu/qmp.h"
#include "sandbox/state.h"
#include "util/error.h"

/* The run state QMP `query-status` reports, reduced to what the lifecycle distinguishes. */
typedef enum {
	VC_VM_PRELAUNCH = 0, /* created with -S, never started: OCI "created" */
	VC_VM_RUNNING,
	VC_VM_PAUSED,
	VC_VM_SHUTDOWN, /* guest shut down, process still there */
	VC_VM_GONE,	/* no process (or a different process with the recorded pid) */
} vc_vm_status;

const char *vc_vm_status_name(vc_vm_status s);

typedef enum {
	VC_HV_DEV_DRIVE = 0,
	VC_HV_DEV_VCPUS, /* hotplug_add: bring the vCPU count up to `vcpus` */
} vc_hv_device_kind;

typedef struct vc_hv_device {
	vc_hv_device_kind kind;
	vc_drive_spec drive;
	uint32_t vcpus;
} vc_hv_device;

enum {
	VC_HV_CAP_BLOCK_HOTPLUG = 1u << 0,
	VC_HV_CAP_CPU_HOTPLUG = 1u << 1,
	VC_HV_CAP_PAUSE = 1u << 2,
	VC_HV_CAP_CONSOLE = 1u << 3,
};

typedef struct vc_hv_vm {
	const char *id;
	const char *dir; /* <root>/<id> */
	vc_sandbox_state *st;
	const vc_hypervisor_config *config; /* create only; NULL afterwards */
	vc_hv_device *cold;		    /* devices added with add_device before create */
	size_t n_cold;
	bool own_child;	 /* the hypervisor is our child (create, run): reap it */
	int exit_status; /* wait status after wait() when own_child */
	vc_qmp *qmp;	 /* opened lazily, closed by vc_hv_vm_release */
	/* Set by the lifecycle for start (created -> running): the status check may take the QMP
	 * session that create left in the hypervisor for start (QEMU backend, lib/hv/vmm.h)
	 * instead of connecting to the QMP socket. */
	bool take_start_session;
	bool qmp_is_start_session;  /* vm->qmp is that session: ended, not only closed, */
	bool start_session_pending; /* unless create leaves it for start */
	/* Called by create as soon as st->pid and st->pid_start are known, so the caller can
	 * persist them before anything else can fail (a crash then leaves a findable process). */
	int (*spawned)(void *ctx, vc_error **err);
	void *spawned_ctx;
	/* create only. Terminal mode (--console-socket): the guest console is this tty (a pty
	 * slave the hypervisor opens by path) instead of the console socket; NULL otherwise. */
	const char *console_tty;
	/* create only: fds 3 .. 3+preserve_fds-1 of vcrun are passed on to the hypervisor process
	 * at the same numbers (runc's --preserve-fds); the caller has checked they are open. */
	int preserve_fds;
} vc_hv_vm;

typedef struct vc_hv_ops {
	const char *name;
	/* Validates the configuration for this backend (host facts included: binary, assets). */
	int (*init)(vc_hypervisor_config *config, vc_error **err);
	/* Cold-plugs a device: it becomes part of the VM that create starts. */
	int (*add_device)(vc_hv_vm *vm, const vc_hv_device *dev, vc_error **err);
	/* Starts the VM process paused, in its own session, and waits until it answers; fills
	 * st->pid, st->pid_start, the socket paths, st->vm and st->devices. On failure nothing
	 * keeps running. The process is a child of the caller. */
	int (*create)(vc_hv_vm *vm, vc_error **err);
	int (*start)(vc_hv_vm *vm, vc_error **err);
	/* Waits up to timeout_ms (<0: forever) for the VM process to end. VC_ERR_TIMEOUT else. */
	int (*wait)(vc_hv_vm *vm, int timeout_ms, vc_error **err);
	/* Power off, then quit, then SIGKILL, each step after the previous one's timeout. */
	int (*stop)(vc_hv_vm *vm, int timeout_ms, vc_error **err);
	int (*pause)(vc_hv_vm *vm, vc_error **err);
	int (*resume)(vc_hv_vm *vm, vc_error **err);
	/* Adds a device to a created VM; *device_id receives the new device's id (drives). */
	int (*hotplug_add)(vc_hv_vm *vm, const vc_hv_device *dev, char **device_id, vc_error **err);
	int (*hotplug_remove)(vc_hv_vm *vm, const char *device_id, vc_error **err);
	/* A connected stream to the guest console. */
	int (*console)(vc_hv_vm *vm, vc_error **err);
	unsigned (*capabilities)(void);
	/* Live status (process with the recorded start time, then query-status). */
	int (*status)(vc_hv_vm *vm, vc_vm_status *out, vc_error **err);
	/* A signal for the VM: KILL kills the process, TERM asks the guest to power off (or
	 * quits a VM that never ran), others are delivered to the process. */
	int (*kill)(vc_hv_vm *vm, int signo, vc_error **err);
	/* Live status of many VMs at once (list): out[i] and errs[i] (NULL when it could be
	 * told) for each, as status would give them. Optional: without it the lifecycle calls
	 * status for one VM after the other. */
	void (*status_many)(vc_hv_vm *const *vms, size_t n, vc_vm_status *out, vc_error **errs);
} vc_hv_ops;

/* The backend registered under name, or NULL. */
const vc_hv_ops *vc_hv_find(const char *name);
/* The registered names, NULL-terminated. */
const char *const *vc_hv_names(void);

void vc_hv_vm_release(vc_hv_vm *vm);
void vc_hv_device_clear(vc_hv_device *d);

/* The hidden `vcrun __mock-vm` entry point: the mock backend's fake QEMU. */
int vc_mock_vm_main(int argc, char **argv);

#endif
