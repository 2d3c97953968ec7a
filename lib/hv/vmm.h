/* What both backends share: a hypervisor process started in its own session and driven over
 * QMP. The QEMU backend and the mock backend (a fake QEMU) differ only in the argv they start and
 * in how they validate their configuration. Internal to lib/hv. */
#ifndef VC_HV_VMM_H
#define VC_HV_VMM_H

#include "hv/hv.h"
#include "hv/spawn.h"
#include "util/argv.h"

#define VC_VMM_READY_TIMEOUT_MS 15000
#define VC_VMM_QMP_TIMEOUT_MS 5000
#define VC_VMM_UNPLUG_TIMEOUT_MS 10000

/* Starts argv (lib/hv/spawn.h): in a session of its own, stdin from /dev/null, stdout/stderr
 * appended to st->hypervisor_log, a minimal fixed environment, no inherited descriptors, vcrun's
 * seccomp filter; it execs only after its pid is in st and vm->spawned has run. */
int vc_vmm_spawn(vc_hv_vm *vm, const vc_argv *argv, vc_error **err);
/* vc_vmm_spawn, with pass_fds (each >= 3; entries below 3 are ignored) inherited by the
 * hypervisor under the same numbers. */
int vc_vmm_spawn_fds(vc_hv_vm *vm, const vc_argv *argv, const int pass_fds[VC_SPAWN_MAX_PASS_FDS],
		     vc_error **err);
/* The QMP socket, created by us before the hypervisor starts: bound at st->qmp_socket and
 * listening, close-on-exec, numbered above 0-2 and above the --preserve-fds range. The hypervisor
 * gets it with vc_vmm_spawn_fds (QEMU: -chardev socket,fd=N,server=on); then the mock backend
 * waits with vc_vmm_wait_ready_fd, QEMU's with vc_vmm_wait_ready_start_session.
 * No polling for a socket to appear, no race with a stale one. */
int vc_vmm_qmp_listen(vc_hv_vm *vm, vc_error **err);
/* The start session. `start` runs in a process of its own, after create's has ended: a new QMP
 * session costs it the connect, the hypervisor's accept, the greeting and the negotiation, one
 * wakeup of QEMU's main loop each. So create gives the hypervisor a second QMP monitor on one
 * end of a socketpair (QEMU: -chardev socket,fd=N,server=off), passes it the other end as well
 * (which the hypervisor never reads), and negotiates on that other end itself: that is how it
 * waits for the hypervisor to be ready. When create ends, the negotiated session stays open
 * in the hypervisor process, its number recorded as st->vm "qmp_start_fd". start takes it
 * with pidfd_getfd(2), sends `cont` on it (and query-status first only when create's record
 * cannot be used, see lib/sandbox/lifecycle.c), and ends it (shutdown: the hypervisor drops
 * that monitor) whatever the outcome; `run` ends it after its `cont`.
 * pidfd_getfd needs ptrace access to the hypervisor: only for root is the session left for
 * start (others end it when create is done). Where it cannot be taken, start connects to the
 * QMP socket. This makes the pair: fds[0] for the monitor, fds[1] for the session; both
 * close-on-exec and above the --preserve-fds range; records fds[1] when it is to be left. */
int vc_vmm_start_session_pair(vc_hv_vm *vm, int fds[2], vc_error **err);
/* Negotiates on fd, the start session's end (vc_vmm_start_session_pair): the greeting comes the
 * moment the hypervisor's monitor runs, the reply once its main loop does. A hypervisor that dies
 * meanwhile closes the other end: the error says how it exited. Keeps the session in vm->qmp. */
int vc_vmm_wait_ready_start_session(vc_hv_vm *vm, int fd, int timeout_ms, vc_error **err);
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
