/* What both backends share: a hypervisor process started in its own session and driven over
 * QMP. The QEMU backend and the mock backend (a fake QEMU) differ only in the argv they start and
 * in how they validate their configuration. Internal to lib/hv. */
#ifndef VC_HV_VMM_H
#define VC_HV_VMM_H

#include "hv/hv.h"
#include "util/argv.h"

#define VC_VMM_READY_TIMEOUT_MS 15000
#define VC_VMM_QMP_TIMEOUT_MS 5000
#define VC_VMM_UNPLUG_TIMEOUT_MS 10000

/* Starts argv (lib/hv/spawn.h): in a session of its own, stdin from /dev/null, stdout/stderr
 * appended to st->hypervisor_log, a minimal fixed environment, no inherited descriptors, vcrun's
 * seccomp filter; it execs only after its pid is in st and vm->spawned has run. */
int vc_vmm_spawn(vc_hv_vm *vm, const vc_argv *argv, vc_error **err);
/* vc_vmm_spawn, with pass_fd (>= 3, or -1) inherited by the hypervisor under the same number. */
int vc_vmm_spawn_fd(vc_hv_vm *vm, const vc_argv *argv, int pass_fd, vc_error **err);
/* The QMP socket, created by us before the hypervisor starts: bound at st->qmp_socket and
 * listening, close-on-exec, numbered above 0-2 and above the --preserve-fds range. The hypervisor
 * gets it with vc_vmm_spawn_fd (QEMU: -chardev socket,fd=N,server=on); then vc_vmm_wait_ready_fd.
 * No polling for a socket to appear, no race with a stale one. */
int vc_vmm_qmp_listen(vc_hv_vm *vm, vc_error **err);
/* Connects to the socket made by vc_vmm_qmp_listen at once, closes listen_fd (our copy), and
 * negotiates: the greeting comes the moment the hypervisor's monitor runs. A hypervisor that dies
 * meanwhile breaks the connection: the error says how it exited. Keeps the connection in
 * vm->qmp. */
int vc_vmm_wait_ready_fd(vc_hv_vm *vm, int listen_fd, int timeout_ms, vc_error **err);
/* Paths of the sockets and the console log in the sandbox directory (QEMU's layout). */
int vc_vmm_set_paths(vc_hv_vm *vm, vc_error **err);
/* SIGKILL and reap/wait: the cleanup of a create that failed. */
void vc_vmm_destroy(vc_hv_vm *vm);
vc_qmp *vc_vmm_qmp(vc_hv_vm *vm, vc_error **err);

int vc_vmm_status(vc_hv_vm *vm, vc_vm_status *out, vc_error **err);
/* The status of many VMs, their query-status round trips overlapping (lib/qemu/qmp_many.h). */
void vc_vmm_status_many(vc_hv_vm *const *vms, size_t n, vc_vm_status *out, vc_error **errs);
int vc_vmm_start(vc_hv_vm *vm, vc_error **err);
int vc_vmm_wait(vc_hv_vm *vm, int timeout_ms, vc_error **err);
int vc_vmm_stop(vc_hv_vm *vm, int timeout_ms, vc_error **err);
int vc_vmm_pause(vc_hv_vm *vm, vc_error **err);
int vc_vmm_resume(vc_hv_vm *vm, vc_error **err);
int vc_vmm_add_device(vc_hv_vm *vm, const vc_hv_device *dev, vc_error **err);
int vc_vmm_hotplug_add(vc_hv_vm *vm, const vc_hv_device *dev, char **device_id, vc_error **err);
int vc_vmm_hotplug_remove(vc_hv_vm *vm, const char *device_id, vc_error **err);
int vc_vmm_console(vc_hv_vm *vm, vc_error **err);
int vc_vmm_kill(vc_hv_vm *vm, int signo, vc_error **err);

/* The tail of the hypervisor log (its last non-empty line), for error messages. */
char *vc_vmm_log_tail(const vc_hv_vm *vm);

/* Device records (st->devices) of cold-plugged drives, as the builder placed them. */
void vc_vmm_record_cold_drives(vc_hv_vm *vm, const vc_hypervisor_config *c);

#endif
