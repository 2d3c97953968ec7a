/* The QEMU command-line builder (issue [4/8]): config + sandbox id + sandbox directory + drives
 * → the exact argv that starts QEMU. Never a shell string. */
#ifndef VC_QEMU_BUILDER_H
#define VC_QEMU_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config/config.h"
#include "util/argv.h"
#include "util/error.h"

/* --drive PATH[,format=raw|qcow2][,readonly][,cache=none|writeback|writethrough|directsync|unsafe]
 * A ',' inside PATH is written ',,' (QEMU's own escape); `path` holds the real path. */
typedef struct vc_drive_spec {
	char *path;   /* the real file name (",," already turned into ",") */
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
	char *pidfile;	      /* <dir>/qemu.pid */
} vc_qemu_paths;

int vc_qemu_paths_init(vc_qemu_paths *p, const char *sandbox_dir, vc_error **err);
void vc_qemu_paths_clear(vc_qemu_paths *p);

typedef struct vc_qemu_request {
	const vc_hypervisor_config *config;
	const char *arch;	 /* "x86_64", "aarch64"; NULL = the host's */
	const char *id;		 /* sandbox id: -name, and the uuid is derived from it */
	const char *sandbox_dir; /* <root>/<id> */
	const vc_drive_spec *drives;
	size_t n_drives;
	bool host_is_vm; /* RunningOnVMM: with nesting checks on, disable-modern and pmu=off */
	/* argv[0] when the config names no hypervisor path; NULL = the arch's default binary */
	const char *default_binary;
	/* Terminal mode: the guest console is this tty (a pty slave, opened by QEMU as a serial
	 * chardev) instead of the console socket; console_log still records it. NULL = socket. */
	const char *console_tty;
} vc_qemu_request;

/* Appends the whole argv (argv[0] = the QEMU binary) to *out. On failure *out is left as it
 * was and *err says which setting or path is wrong. */
int vc_qemu_build_argv(const vc_qemu_request *req, vc_argv *out, vc_error **err);

/* Names the builder gives to what it creates; hotplug ([5/8]) addresses them by these:
 *   virtio-scsi controller c: device id "scsi<c>", its bus "scsi<c>.0", iothread "iothread-<c>"
 *   virtio-blk iothread pool: "iothread-<k>", k < vc_qemu_blk_iothreads(config)
 *   pci-bridge b: "pci-bridge-<b>" (chassis_nr b+1) on the arch's root bus
 *   cold-plugged drive i: backend "drive-<i>", device "disk-<i>"
 *   image: backend "image0" (virtio-blk) or memory backend "mem0" + nvdimm "nv0"
 *   console: chardev "charconsole0" (socket, vc_qemu_paths.console_socket; or with console_tty
 *   a serial chardev on that tty); serial port chardev "charserial0" (non-legacy) — both log
 *   to console_log */
#define VC_QEMU_SCSI_ID "scsi%u"
#define VC_QEMU_IOTHREAD_ID "iothread-%u"
#define VC_QEMU_BRIDGE_ID "pci-bridge-%u"

/* Number of virtio-scsi controllers the config asks for (0 when block devices are disabled or
 * the driver is virtio-blk). */
uint32_t vc_qemu_scsi_controllers(const vc_hypervisor_config *c);
/* Size of the virtio-blk iothread pool: max(1, indep_iothreads) with enable_iothreads and the
 * virtio-blk driver, else 0. */
uint32_t vc_qemu_blk_iothreads(const vc_hypervisor_config *c);

/* Paths in QEMU option strings ("file=P,..."): a ',' must be written ',,'. Checks `path`
 * (named `what` in the error) and returns the real path with ',,' turned into ','; a lone ','
 * is refused, it would inject options. */
char *vc_qemu_path_unescape(const char *what, const char *path, vc_error **err);
/* The reverse: a real path made safe for an option string (every ',' doubled). */
char *vc_qemu_opt_escape(const char *s);
/* The -uuid the builder derives from a sandbox id (deterministic, RFC 9562 version 8). */
void vc_qemu_uuid(const char *id, char out[37]);

#endif
