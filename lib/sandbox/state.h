/* The sandbox state store: <root>/<id>/state.json plus the sockets and logs the hypervisor uses.
 *
 * - The root is created mode 0700; files are 0600 and opened O_NOFOLLOW|O_CLOEXEC; a symlink at
 *   <root>/<id> or at a state file is refused, never followed.
 * - Ids are validated ([A-Za-z0-9][A-Za-z0-9_+.-]*, at most 64 bytes) before they become paths.
 * - A new sandbox is prepared in a hidden directory, locked, then renamed to <root>/<id> with
 *   RENAME_NOREPLACE: exactly one of many concurrent creates of one id wins, and nobody ever sees
 *   a visible sandbox directory without a state file or without its creator's lock.
 * - Every operation holds an flock on the sandbox directory; the lock dies with its process.
 * - state.json is written to a temporary file and renamed: a crash of vcrun or a full disk
 *   leaves the previous version intact. It is not fsynced (as runc's is not): it describes
 *   processes that do not survive a power loss either.
 * The status vcrun itself last set (st->status) is recorded for `list`, which shows it while the
 * process lives without waking the VM; `state` and every operation derive the status live (see
 * lifecycle.c). */
#ifndef VC_SANDBOX_STATE_H
#define VC_SANDBOX_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "util/cleanup.h"
#include "util/error.h"

#define VC_ID_MAX 64

typedef struct vc_sandbox_state {
	char *id;
	char *bundle;	    /* absolute path or "" */
	char *hypervisor;   /* backend name */
	char *created;	    /* RFC 3339 */
	pid_t pid;	    /* the hypervisor process; 0 until it exists */
	uint64_t pid_start; /* its start time: field 22 of /proc/PID/stat */
	bool create_done;   /* false while create runs, and forever when create was interrupted */
	/* The status vcrun itself last set: "created" (create finished), "running" (start,
	 * resume) or "paused" (pause). NULL when not recorded: create unfinished, a state file
	 * older than the field, an operation that failed half-way. Not the truth (a guest can
	 * pause itself on an I/O error): only `list` uses it, and only while the process lives. */
	char *status;
	char *qmp_socket;
	char *console_socket;
	char *console_log;
	char *hypervisor_log;	  /* the hypervisor's stdout and stderr */
	char *oci_console_socket; /* runc's --console-socket, recorded */
	char *console_tty;	  /* terminal mode: the pty slave that is the guest console */
	json_t *annotations;	  /* object */
	json_t *vm;	 /* object: backend facts recorded at create (vcpus, controllers, ...) */
	json_t *devices; /* array of device records (see lib/hv/hv.h) */
} vc_sandbox_state;

typedef enum {
	VC_LOCK_NONE = 0,
	VC_LOCK_SHARED,
	VC_LOCK_EXCLUSIVE,
	VC_LOCK_SHARED_TRY, /* shared when free, else no lock (reports `busy`) */
} vc_lock_mode;

typedef struct vc_sandbox {
	char *root;
	char *dir; /* <root>/<id> */
	int root_fd;
	int dir_fd;	/* holds the flock */
	bool busy;	/* another process held the lock when we tried (VC_LOCK_SHARED_TRY) */
	bool has_state; /* state.json was read */
	vc_sandbox_state st;
} vc_sandbox;

/* 0 when id is a valid sandbox id, else VC_ERR_USAGE naming the rule that failed. */
int vc_id_validate(const char *id, vc_error **err);

/* Opens (creating it mode 0700 when missing) the state root; refuses a root that is a symlink or
 * accessible by others. Returns an O_DIRECTORY fd. */
int vc_state_root_open(const char *root, vc_error **err);

/* Creates a new sandbox directory, locked exclusively, with an initial state.json
 * (create_done false, pid 0). VC_ERR_EXISTS when the id is taken. */
vc_sandbox *vc_sandbox_new(const char *root, const char *id, const vc_sandbox_state *initial,
			   vc_error **err);

/* Opens an existing sandbox, takes the lock, reads state.json (a missing or unreadable state file
 * is not an error: has_state is false). VC_ERR_NOT_FOUND for an unknown id. */
vc_sandbox *vc_sandbox_open(const char *root, const char *id, vc_lock_mode lock, vc_error **err);

/* Reads a sandbox's state without taking its lock, for `list` (root_fd: the open state root,
 * root_abs: its absolute path, the caller resolves both once). dir_fd and root_fd of the result
 * are -1; st.vm and st.devices are left empty (list needs neither: see vc_state_scan's lean).
 * busy is only looked at when the state says create has not finished (the one case where the
 * status depends on the lock). VC_ERR_NOT_FOUND for an unknown id. */
vc_sandbox *vc_sandbox_peek(int root_fd, const char *root_abs, const char *id, vc_error **err);
/* vc_state_list over an open state root. */
int vc_state_list_fd(int root_fd, char ***ids, size_t *n, vc_error **err);

/* Writes sb->st to state.json atomically (temporary file, rename; see above). */
int vc_state_write(vc_sandbox *sb, vc_error **err);

/* Removes the sandbox directory and everything in it (the lock is released afterwards). */
int vc_sandbox_remove(vc_sandbox *sb, vc_error **err);

void vc_sandbox_close(vc_sandbox *sb);
void vc_state_clear(vc_sandbox_state *st);

/* Sandbox ids under root, sorted. A missing root is an empty list. */
int vc_state_list(const char *root, char ***ids, size_t *n, vc_error **err);
void vc_strings_free(char **v, size_t n);

/* state <-> JSON (the on-disk form). */
json_t *vc_state_to_json(const vc_sandbox_state *st);
int vc_state_from_json(json_t *j, vc_sandbox_state *st, vc_error **err);
/* state.json text -> state, fast, for the shape vc_state_to_json writes (see state-scan.c): 0
 * and *st filled as json_loadb + vc_state_from_json would fill it, or -1 and *st empty when the
 * text is anything else (the caller then parses it with jansson, which also words the error).
 * lean (for `list`): st->vm and st->devices are left empty, their text only checked for JSON
 * syntax. */
int vc_state_scan(const char *buf, size_t len, bool lean, vc_sandbox_state *st);

/* A path inside the sandbox directory (for sockets and logs). Caller frees. */
char *vc_sandbox_path(const vc_sandbox *sb, const char *name);

/* Process liveness with pid-reuse protection: fills *start with field 22 of /proc/PID/stat.
 * Returns 1 when pid exists and is not a zombie, 0 when not, -1 on error. */
int vc_proc_start_time(pid_t pid, uint64_t *start);
/* True when pid is alive and started at `start`. */
bool vc_proc_alive(pid_t pid, uint64_t start);

/* Fault injection for the crash tests: when VCRUN_TEST_KILL_AT is `point` or `point:N`, the
 * process SIGKILLs itself the first (N-th) time it gets there. Points: state-write (a state file
 * written, not yet renamed), create-dir (sandbox published, no VM), create-spawned (VM running,
 * pid recorded), create-ready (VM answers QMP, create not recorded as done). */
void vc_fault_point(const char *point);

VC_DEFINE_CLEANUP(sandboxp, vc_sandbox, vc_sandbox_close)
#define cleanup_sandbox __attribute__((cleanup(vc_cleanup_sandboxp)))

#endif
