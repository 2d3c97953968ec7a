/* The QEMU command-line builder (issue [4/8]): config + sandbox id + sandbox directory + drives
 * → the exact argv that starts QEMU. Never a shell string. */
#ifndef VC_QEMU_BUILDER_H
#define VC_QEMU_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include "config/config.h"
#include "util/argv.h"
#include "util/error.h"

/* --drive PATH[,format=raw|qcow2][,readonly][,cache=none|writeback|writethrough|directsync|unsafe] */
typedef struct vc_drive_spec {
	char *path;
	char *format; /* "raw" unless given */
	bool readonly;
	char *cache; /* NULL = from the config's block_device_cache_* keys */
} vc_drive_spec;

int vc_drive_spec_parse(const char *spec, vc_drive_spec *out, vc_error **err);
void vc_drive_spec_clear(vc_drive_spec *d);

/* Files QEMU creates or uses inside the sandbox directory. Fails (VC_ERR_LIMIT) when a socket
 * path would not fit sun_path. */
typedef struct vc_qemu_paths {
	char *qmp_socket;     /* <dir>/qmp.sock */
	char *console_socket; /* <dir>/console.sock */
	char *console_log;    /* <dir>/console.log */
	char *pidfile;        /* <dir>/qemu.pid */
} vc_qemu_paths;

int vc_qemu_paths_init(vc_qemu_paths *p, const char *sandbox_dir, vc_error **err);
void vc_qemu_paths_clear(vc_qemu_paths *p);

typedef struct vc_qemu_request {
	const vc_hypervisor_config *config;
	const char *arch;        /* "x86_64", "aarch64"; NULL = the host's */
	const char *id;          /* sandbox id: -name, and the uuid is derived from it */
	const char *sandbox_dir; /* <root>/<id> */
	const vc_drive_spec *drives;
	size_t n_drives;
	bool host_is_vm; /* RunningOnVMM: with nesting checks on, disable-modern and pmu=off */
} vc_qemu_request;

int vc_qemu_build_argv(const vc_qemu_request *req, vc_argv *out, vc_error **err);

#endif
