/* The OCI-style lifecycle over the state store and the backend registry: what each command does
 * to a sandbox, and the rules (start only from created, delete only when stopped unless forced,
 * a failed operation leaves the sandbox as it was). cmd/ parses and prints; this decides. The
 * backend is the one recorded at create: the lifecycle never names one. */
#ifndef VC_SANDBOX_LIFECYCLE_H
#define VC_SANDBOX_LIFECYCLE_H

#include <jansson.h>
#include <stdbool.h>
#include "config/config.h"
#include "hv/hv.h"
#include "sandbox/state.h"
#include "util/error.h"

typedef enum {
	VC_STATUS_CREATING = 0,
	VC_STATUS_CREATED,
	VC_STATUS_RUNNING,
	VC_STATUS_PAUSED,
	VC_STATUS_STOPPED,
} vc_status;

const char *vc_status_name(vc_status s);

typedef struct vc_create_opts {
	const char *root;
	const char *id;
	const char *bundle;   /* NULL = the current directory */
	const char *pid_file; /* NULL = none */
	/* runc's --console-socket: terminal mode. vcrun makes a pty whose slave is the guest
	 * console and sends its master to this AF_UNIX socket (see sandbox/terminal.h). */
	const char *console_socket;
	vc_hypervisor_config *config; /* loaded by the caller; the backend's init validates it */
	const vc_drive_spec *drives;
	size_t n_drives;
	bool keep_child; /* run: the VM stays our child, *vm_pid receives it */
	/* runc's --preserve-fds: fds 3 .. 3+N-1 of this process go on to the hypervisor process;
	 * each must be open and inherited (not close-on-exec), checked before anything exists */
	int preserve_fds;
} vc_create_opts;

/* Creates the sandbox: its directory and state, the VM process paused. On failure nothing is
 * left behind. With console_socket, the pty master is sent once the VM is ready. */
int vc_lc_create(const vc_create_opts *o, pid_t *vm_pid, vc_error **err);
int vc_lc_start(const char *root, const char *id, vc_error **err);
int vc_lc_pause(const char *root, const char *id, vc_error **err);
int vc_lc_resume(const char *root, const char *id, vc_error **err);
int vc_lc_kill(const char *root, const char *id, int signo, bool all, vc_error **err);
int vc_lc_stop(const char *root, const char *id, int timeout_s, vc_error **err);
int vc_lc_delete(const char *root, const char *id, bool force, vc_error **err);

/* The OCI state object (+ hypervisor, qmp_socket, console_socket, console_log). */
json_t *vc_lc_state(const char *root, const char *id, vc_error **err);
/* An array of state objects, one per sandbox, sorted by id. The status is derived without
 * waking the VMs (as runc's list): stopped when the process is gone (or its pid was reused),
 * else the status vcrun recorded at its last transition (create, start, pause, resume); only a
 * sandbox without one (a state file from an older vcrun) has its VM asked. */
json_t *vc_lc_list(const char *root, vc_error **err);
/* The same with every status asked live, as vc_lc_state does (query-status of every VM, all at
 * once): it also sees what the VM did by itself, e.g. a guest paused on an I/O error. */
json_t *vc_lc_list_live(const char *root, vc_error **err);
/* One sandbox of vc_lc_list_each. */
typedef struct vc_lc_list_entry {
	const vc_sandbox_state *st; /* as recorded; lent for the call */
	vc_status status;
	pid_t pid; /* the state object's pid: st->pid, 0 when stopped */
} vc_lc_list_entry;
typedef void (*vc_lc_list_fn)(const vc_lc_list_entry *e, void *ctx);
/* The same one sandbox at a time, in order of id, without building objects or an array that grows
 * with their number (a thousand sandboxes: `list`'s table). live: as vc_lc_list_live. An error
 * only before the first call (the state root cannot be read). */
int vc_lc_list_each(const char *root, bool live, vc_lc_list_fn fn, void *ctx, vc_error **err);
/* The state object of an entry, as vc_lc_list has it. */
json_t *vc_lc_list_entry_json(const vc_lc_list_entry *e);

int vc_lc_device_add(const char *root, const char *id, const vc_drive_spec *drive, char **device_id,
		     vc_error **err);
int vc_lc_device_remove(const char *root, const char *id, const char *device_id, vc_error **err);
json_t *vc_lc_device_list(const char *root, const char *id, vc_error **err);
int vc_lc_update_vcpus(const char *root, const char *id, uint32_t vcpus, vc_error **err);

/* A stream connected to the guest console. In terminal mode the console is the terminal sent to
 * the console socket: an error (VC_ERR_STATE) says so. */
int vc_lc_console(const char *root, const char *id, vc_error **err);
/* The console log path (for run). Caller frees. */
char *vc_lc_console_log(const char *root, const char *id, vc_error **err);

/* --preserve-fds N: 0 when fds 3 .. 3+n-1 are all open and inherited by this process (not
 * close-on-exec: vcrun opens all its own fds close-on-exec), else an error naming the first
 * that is not. */
int vc_preserve_fds_check(int n, vc_error **err);

/* Signal names (KILL, SIGKILL) and numbers. -1 when unknown. */
int vc_signal_parse(const char *s);

#endif
