/* The QEMU argv builder: validated config + sandbox id + sandbox directory + drives → argv.
 *
 * Order follows govmm (REFERENCE.md §2): name, uuid, machine, cpu, qmp, memory, devices, rtc,
 * globals, vga, knobs, kernel, firmware, iothreads, pidfile, sandbox, smp, then
 * hypervisor_params last so an operator's extra options can override anything before them.
 * Everything per architecture comes from the arch table (qemu/arch.h). */
#include <config.h>
#include "qemu/builder.h"
#include "qemu/arch.h"
#include "qemu/placement.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

/* ---- paths ---------------------------------------------------------------------------- */

char *vc_qemu_path_unescape(const char *what, const char *path, vc_error **err)
{
	if (!path || !*path) {
		vc_error_set(err, VC_ERR_CONFIG, "%s: empty path", what);
		return NULL;
	}
	char *out = xmalloc(strlen(path) + 1);
	char *w = out;
	for (const char *r = path; *r; r++) {
		if (*r == ',') {
			if (r[1] != ',') {
				vc_error_set(
				    err, VC_ERR_CONFIG,
				    "%s '%s': a ',' would inject QEMU options; write it as ',,'",
				    what, path);
				free(out);
				return NULL;
			}
			r++;
		}
		*w++ = *r;
	}
	*w = '\0';
	return out;
}

char *vc_qemu_opt_escape(const char *s)
{
	size_t extra = 0;
	for (const char *r = s; *r; r++)
		extra += *r == ',';
	char *out = xmalloc(strlen(s) + extra + 1);
	char *w = out;
	for (const char *r = s; *r; r++) {
		*w++ = *r;
		if (*r == ',')
			*w++ = ',';
	}
	*w = '\0';
	return out;
}

static int socket_path(char **dst, const char *dir, const char *name, vc_error **err)
{
	char *p = xasprintf("%s/%s", dir, name);
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	if (strlen(p) > max) {
		vc_error_set(
		    err, VC_ERR_LIMIT,
		    "socket path '%s' is %zu bytes, a unix socket allows %zu: use a shorter --root",
		    p, strlen(p), max);
		free(p);
		return -1;
	}
	*dst = p;
	return 0;
}

int vc_qemu_paths_init(vc_qemu_paths *p, const char *sandbox_dir, vc_error **err)
{
	memset(p, 0, sizeof(*p));
	if (!sandbox_dir || !*sandbox_dir)
		return vc_error_set(err, VC_ERR_USAGE, "empty sandbox directory");
	if (socket_path(&p->qmp_socket, sandbox_dir, "qmp.sock", err) < 0 ||
	    socket_path(&p->console_socket, sandbox_dir, "console.sock", err) < 0) {
		vc_qemu_paths_clear(p);
		return -1;
	}
	p->console_log = xasprintf("%s/console.log", sandbox_dir);
	p->pidfile = xasprintf("%s/qemu.pid", sandbox_dir);
	return 0;
}

void vc_qemu_paths_clear(vc_qemu_paths *p)
{
	free(p->qmp_socket);
	free(p->console_socket);
	free(p->console_log);
	free(p->pidfile);
	memset(p, 0, sizeof(*p));
}

/* ---- drive specs ---------------------------------------------------------------------- */

static const char *const cache_modes[] = {"none",	"writeback", "writethrough",
					  "directsync", "unsafe",    NULL};

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

void vc_drive_spec_clear(vc_drive_spec *d)
{
	free(d->path);
	free(d->format);
	free(d->cache);
	memset(d, 0, sizeof(*d));
}

/* Splits at the first lone ',' (",," is an escaped comma); returns the length of the part
 * and sets *next to what follows the separator (NULL at the end). */
static size_t spec_part(const char *s, const char **next)
{
	const char *r = s;
	while (*r) {
		if (*r == ',') {
			if (r[1] == ',') {
				r += 2;
				continue;
			}
			*next = r + 1;
			return (size_t)(r - s);
		}
		r++;
	}
	*next = NULL;
	return (size_t)(r - s);
}

int vc_drive_spec_parse(const char *spec, vc_drive_spec *out, vc_error **err)
{
	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return vc_error_set(err, VC_ERR_USAGE, "--drive: empty drive spec");
	const char *next;
	size_t n = spec_part(spec, &next);
	cleanup_free char *raw = xstrndup(spec, n);
	if (!*raw)
		return vc_error_set(err, VC_ERR_USAGE, "--drive '%s': empty path", spec);
	vc_drive_spec d = {0};
	d.path = vc_qemu_path_unescape("--drive", raw, err);
	if (!d.path)
		return -1;
	while (next) {
		const char *opt = next;
		n = spec_part(opt, &next);
		cleanup_free char *item = xstrndup(opt, n);
		char *eq = strchr(item, '=');
		const char *val = eq ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
		if (strcmp(item, "format") == 0 && val) {
			if (strcmp(val, "raw") != 0 && strcmp(val, "qcow2") != 0) {
				vc_error_set(err, VC_ERR_USAGE,
					     "--drive '%s': format '%s' is not raw or qcow2", spec,
					     val);
				goto fail;
			}
			free(d.format);
			d.format = xstrdup(val);
		} else if (strcmp(item, "readonly") == 0 &&
			   (!val || strcmp(val, "on") == 0 || strcmp(val, "off") == 0)) {
			d.readonly = !val || strcmp(val, "on") == 0;
		} else if (strcmp(item, "cache") == 0 && val) {
			if (!in_list(val, cache_modes)) {
				vc_error_set(
				    err, VC_ERR_USAGE,
				    "--drive '%s': cache '%s' is not one of none, writeback, "
				    "writethrough, directsync, unsafe",
				    spec, val);
				goto fail;
			}
			free(d.cache);
			d.cache = xstrdup(val);
		} else {
			vc_error_set(
			    err, VC_ERR_USAGE,
			    "--drive '%s': unknown option '%s%s%s' (options: format=raw|qcow2, "
			    "readonly, cache=MODE; a ',' in the path is written ',,')",
			    spec, item, val ? "=" : "", val ? val : "");
			goto fail;
		}
	}
	if (!d.format)
		d.format = xstrdup("raw");
	*out = d;
	return 0;
fail:
	vc_drive_spec_clear(&d);
	return -1;
}

/* ---- small helpers -------------------------------------------------------------------- */

uint32_t vc_qemu_scsi_controllers(const vc_hypervisor_config *c)
{
	if (c->disable_block_device_use || c->block_device_driver != VC_BLOCK_VIRTIO_SCSI)
		return 0;
	return c->scsi_controllers ? c->scsi_controllers : 1;
}

uint32_t vc_qemu_blk_iothreads(const vc_hypervisor_config *c)
{
	if (c->disable_block_device_use || c->block_device_driver != VC_BLOCK_VIRTIO_BLK ||
	    !c->enable_iothreads)
		return 0;
	return c->indep_iothreads ? c->indep_iothreads : 1;
}

/* FNV-1a, 64 bits, from a given offset basis: two different bases give 128 bits. */
static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void vc_qemu_uuid(const char *id, char out[37])
{
	unsigned char b[16];
	uint64_t h1 = fnv1a(id, 0xcbf29ce484222325ULL);
	uint64_t h2 = fnv1a(id, 0x84222325cbf29ce4ULL ^ h1);
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x80); /* version 8: custom */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

/* ---- the builder ---------------------------------------------------------------------- */

typedef struct build {
	const vc_qemu_request *req;
	const vc_hypervisor_config *c;
	const vc_arch *arch;
	vc_argv *out;
	vc_error **err;
	vc_qemu_paths paths;
	bool kvm;
	bool nesting;
	const char *machine; /* the machine type used */
	bool nvdimm;	     /* the image is an nvdimm */
	uint64_t image_size; /* bytes, nvdimm only */
	const char *modern;  /* ",disable-modern=true" when nesting, else "" */
} build;

static void add2(build *b, const char *opt, const char *val)
{
	vc_argv_append(b->out, opt);
	vc_argv_append(b->out, val);
}

static void add2f(build *b, const char *opt, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add2f(build *b, const char *opt, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vc_argv_append(b->out, opt);
	vc_argv_append_take(b->out, xvasprintf(fmt, ap));
	va_end(ap);
}

static bool set(const char *s)
{
	return s && *s;
}

/* A configured path for an option string: checked, then kept in its escaped form. */
static char *opt_path(build *b, const char *what, const char *path)
{
	cleanup_free char *real = vc_qemu_path_unescape(what, path, b->err);
	return real ? vc_qemu_opt_escape(real) : NULL;
}

/* The machine type: the config's, or the arch's default when it is empty or names a machine
 * of another arch (a config written for x86-64 used with `qemu-args --arch aarch64`). */
static int pick_machine(build *b)
{
	const char *type = b->c->machine_type;
	if (!set(type)) {
		b->machine = b->arch->default_machine;
		return 0;
	}
	if (strchr(type, ','))
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "machine_type '%s' contains a ',': put machine options in "
				    "machine_accelerators",
				    type);
	const vc_arch *owner = vc_arch_of_machine(type);
	if (owner && owner != b->arch) {
		vc_warn("machine_type '%s' belongs to %s: using %s for %s", type, owner->name,
			b->arch->default_machine, b->arch->name);
		b->machine = b->arch->default_machine;
		return 0;
	}
	b->machine = type;
	return 0;
}

static int add_machine(build *b)
{
	const vc_hypervisor_config *c = b->c;
	add2f(b, "-machine", "%s,accel=%s%s%s%s", b->machine,
	      b->kvm ? b->arch->accel_kvm : b->arch->accel_tcg, b->nvdimm ? ",nvdimm=on" : "",
	      set(c->machine_accelerators) ? "," : "",
	      set(c->machine_accelerators) ? c->machine_accelerators : "");
	return 0;
}

static void add_cpu(build *b)
{
	const char *features = b->c->cpu_features;
	if (b->kvm) {
		bool pmu = b->nesting && !(set(features) && strstr(features, "pmu="));
		add2f(b, "-cpu", "%s%s%s%s", b->arch->cpu_kvm, set(features) ? "," : "",
		      set(features) ? features : "", pmu ? ",pmu=off" : "");
	} else {
		add2f(b, "-cpu", "%s%s", b->arch->cpu_tcg, b->nesting ? ",pmu=off" : "");
	}
}

static int add_memory(build *b)
{
	const vc_hypervisor_config *c = b->c;
	if (c->default_memory == 0)
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "default_memory is 0: a VM needs memory");
	uint64_t maxmem = c->default_maxmemory + c->memory_offset;
	if (c->memory_slots == 0) {
		if (b->nvdimm)
			return vc_error_set(b->err, VC_ERR_CONFIG,
					    "the image as an nvdimm needs memory_slots > 0 (or set "
					    "disable_image_nvdimm = true)");
		add2f(b, "-m", "%uM", c->default_memory);
		return 0;
	}
	if (maxmem <= c->default_memory)
		return vc_error_set(
		    b->err, VC_ERR_CONFIG,
		    "default_maxmemory + memory_offset (%llu MiB) must be greater than "
		    "default_memory (%u MiB) when memory_slots is %u",
		    (unsigned long long)maxmem, c->default_memory, c->memory_slots);
	if (b->nvdimm) {
		uint64_t image_mib = (b->image_size + (1u << 20) - 1) >> 20;
		if (maxmem - c->default_memory < image_mib)
			return vc_error_set(b->err, VC_ERR_CONFIG,
					    "the nvdimm image (%llu MiB) does not fit between "
					    "default_memory (%u MiB) "
					    "and maxmem (%llu MiB): raise memory_offset",
					    (unsigned long long)image_mib, c->default_memory,
					    (unsigned long long)maxmem);
	}
	add2f(b, "-m", "%uM,slots=%u,maxmem=%lluM", c->default_memory, c->memory_slots,
	      (unsigned long long)maxmem);
	return 0;
}

/* Memory backends: hugepages, then a file backend, then plain preallocation. */
static int add_memory_backend(build *b)
{
	const vc_hypervisor_config *c = b->c;
	if (c->enable_hugepages) {
		add2f(b, "-object",
		      "memory-backend-file,id=dimm1,size=%uM,mem-path=/dev/hugepages,share=on,"
		      "prealloc=on",
		      c->default_memory);
	} else if (set(c->file_mem_backend)) {
		cleanup_free char *p = opt_path(b, "file_mem_backend", c->file_mem_backend);
		if (!p)
			return -1;
		add2f(b, "-object", "memory-backend-file,id=dimm1,size=%uM,mem-path=%s,share=on%s",
		      c->default_memory, p, c->enable_mem_prealloc ? ",prealloc=on" : "");
	} else if (c->enable_mem_prealloc) {
		add2f(b, "-object", "memory-backend-ram,id=dimm1,size=%uM,prealloc=on",
		      c->default_memory);
	} else {
		return 0;
	}
	add2(b, "-numa", "node,memdev=dimm1");
	return 0;
}

static int probe_image(build *b, const char *image)
{
	cleanup_free char *real = vc_qemu_path_unescape("image", image, b->err);
	if (!real)
		return -1;
	struct stat st;
	if (stat(real, &st) < 0)
		return vc_error_set_errno(b->err, errno, "image '%s'", real);
	if (!S_ISREG(st.st_mode) || st.st_size <= 0)
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "image '%s' must be a non-empty regular file to be an nvdimm",
				    real);
	b->image_size = (uint64_t)st.st_size;
	return 0;
}

static int add_image(build *b, const char *image)
{
	cleanup_free char *p = opt_path(b, "image", image);
	if (!p)
		return -1;
	if (b->nvdimm) {
		add2f(b, "-object", "memory-backend-file,id=mem0,mem-path=%s,size=%llu,readonly=on",
		      p, (unsigned long long)b->image_size);
		add2(b, "-device", "nvdimm,id=nv0,memdev=mem0,unarmed=on");
	} else {
		add2f(b, "-drive", "id=image0,file=%s,format=raw,if=none,readonly=on", p);
		add2f(b, "-device", "virtio-blk-pci,id=image-disk0,drive=image0%s", b->modern);
	}
	return 0;
}

/* Bridges exist for hotplug, which the guest sees through ACPI (acpiphp: built into the usual
 * distribution kernels, unlike SHPC, which Debian's cloud kernel lacks). SHPC stays off, and the
 * bridge tells the firmware the windows to reserve for it explicitly: SeaBIOS gives an empty
 * bridge without SHPC no I/O or memory window at all, so a device hot-plugged behind it cannot
 * map its BARs ("can't assign; no space") and the guest never sees it. The sizes are what the
 * firmware would give a hotplug-capable bridge (the same Kata Containers uses). */
#define BRIDGE_RESERVE "io-reserve=4k,mem-reserve=1m,pref64-reserve=1m"

static int add_bridges(build *b)
{
	uint32_t n = b->c->default_bridges;
	if (n > VC_MAX_BRIDGES)
		return vc_error_set(b->err, VC_ERR_CONFIG, "default_bridges %u is more than %d", n,
				    VC_MAX_BRIDGES);
	const char *bus = vc_arch_bridge_bus(b->arch, b->machine);
	for (uint32_t i = 0; i < n; i++)
		add2f(b, "-device",
		      "pci-bridge,bus=%s,id=" VC_QEMU_BRIDGE_ID
		      ",chassis_nr=%u,shpc=off,addr=%u," BRIDGE_RESERVE,
		      bus, i, i + 1, b->arch->first_bridge_slot + i);
	return 0;
}

/* The backend options a drive's cache and aio settings give: "cache=MODE" from the drive spec,
 * else the config's cache.direct/cache.no-flush, then aio=. */
static char *drive_cache_opts(build *b, const vc_drive_spec *d)
{
	const vc_hypervisor_config *c = b->c;
	bool direct;
	char *cache;
	if (d->cache) {
		direct = strcmp(d->cache, "none") == 0 || strcmp(d->cache, "directsync") == 0;
		cache = xasprintf(",cache=%s", d->cache);
	} else if (c->block_device_cache_set) {
		direct = c->block_device_cache_direct;
		cache = xasprintf(",cache.direct=%s,cache.no-flush=%s", direct ? "on" : "off",
				  c->block_device_cache_noflush ? "on" : "off");
	} else {
		direct = false;
		cache = xstrdup("");
	}
	const char *aio = c->block_device_aio;
	if (set(aio) && strcmp(aio, "native") == 0 && !direct) {
		vc_error_set(b->err, VC_ERR_CONFIG,
			     "drive '%s': block_device_aio = \"native\" needs O_DIRECT: set "
			     "block_device_cache_set and block_device_cache_direct, or cache=none",
			     d->path);
		free(cache);
		return NULL;
	}
	char *all = xasprintf("%s%s%s", cache, set(aio) ? ",aio=" : "", set(aio) ? aio : "");
	free(cache);
	return all;
}

static int add_drive_backend(build *b, size_t i, const vc_drive_spec *d)
{
	if (!set(d->path))
		return vc_error_set(b->err, VC_ERR_USAGE, "drive %zu: empty path", i);
	const char *format = set(d->format) ? d->format : "raw";
	if (strcmp(format, "raw") != 0 && strcmp(format, "qcow2") != 0)
		return vc_error_set(b->err, VC_ERR_USAGE,
				    "drive '%s': format '%s' is not raw or qcow2", d->path, format);
	if (d->cache && !in_list(d->cache, cache_modes))
		return vc_error_set(b->err, VC_ERR_USAGE, "drive '%s': unknown cache mode '%s'",
				    d->path, d->cache);
	cleanup_free char *opts = drive_cache_opts(b, d);
	if (!opts)
		return -1;
	cleanup_free char *file = vc_qemu_opt_escape(d->path);
	add2f(b, "-drive", "if=none,id=drive-%zu,file=%s,format=%s%s%s", i, file, format,
	      d->readonly ? ",readonly=on" : "", opts);
	return 0;
}

static int add_storage(build *b)
{
	const vc_hypervisor_config *c = b->c;
	const vc_qemu_request *r = b->req;
	if (c->disable_block_device_use) {
		if (r->n_drives)
			return vc_error_set(b->err, VC_ERR_CONFIG,
					    "--drive refused: block devices are disabled "
					    "(disable_block_device_use = true)");
		return 0;
	}
	if (c->block_device_driver == VC_BLOCK_VIRTIO_SCSI) {
		uint32_t n = vc_qemu_scsi_controllers(c);
		if (n > VC_MAX_SCSI_CONTROLLERS)
			return vc_error_set(b->err, VC_ERR_CONFIG,
					    "scsi_controllers %u is more than %d", n,
					    VC_MAX_SCSI_CONTROLLERS);
		for (uint32_t k = 0; k < n; k++) {
			if (c->enable_iothreads)
				add2f(b, "-device",
				      "virtio-scsi-pci,id=" VC_QEMU_SCSI_ID
				      ",iothread=" VC_QEMU_IOTHREAD_ID "%s",
				      k, k, b->modern);
			else
				add2f(b, "-device", "virtio-scsi-pci,id=" VC_QEMU_SCSI_ID "%s", k,
				      b->modern);
		}
		for (size_t i = 0; i < r->n_drives; i++) {
			vc_scsi_address a;
			if (vc_scsi_place_coldplug(i, n, &a, b->err) < 0 ||
			    add_drive_backend(b, i, &r->drives[i]) < 0)
				return -1;
			add2f(b, "-device",
			      "scsi-hd,id=disk-%zu,bus=" VC_QEMU_SCSI_ID
			      ".0,drive=drive-%zu,scsi-id=%u,lun=%u",
			      i, a.controller, i, a.scsi_id, a.lun);
		}
	} else {
		uint32_t pool = vc_qemu_blk_iothreads(c);
		for (size_t i = 0; i < r->n_drives; i++) {
			if (add_drive_backend(b, i, &r->drives[i]) < 0)
				return -1;
			if (pool)
				add2f(b, "-device",
				      "virtio-blk-pci,id=disk-%zu,drive=drive-%zu,"
				      "iothread=" VC_QEMU_IOTHREAD_ID "%s",
				      i, i, (unsigned)(i % pool), b->modern);
			else
				add2f(b, "-device", "virtio-blk-pci,id=disk-%zu,drive=drive-%zu%s",
				      i, i, b->modern);
		}
	}
	return 0;
}

static void add_iothreads(build *b)
{
	uint32_t n = 0;
	if (b->c->enable_iothreads && !b->c->disable_block_device_use)
		n = b->c->block_device_driver == VC_BLOCK_VIRTIO_SCSI
			? vc_qemu_scsi_controllers(b->c)
			: vc_qemu_blk_iothreads(b->c);
	for (uint32_t k = 0; k < n; k++)
		add2f(b, "-object", "iothread,id=" VC_QEMU_IOTHREAD_ID, k);
}

/* The console socket (and, unless the legacy serial port is the console, a serial port that
 * only logs: the kernel and init print on ttyS0 before virtio_console is loaded). Both chardevs
 * append to console.log, so it holds everything the guest printed. */
static void add_console(build *b)
{
	cleanup_free char *log = vc_qemu_opt_escape(b->paths.console_log);
	if (b->req->console_tty) {
		/* terminal mode: QEMU opens the pty slave vcrun made (a "serial" chardev) */
		cleanup_free char *tty = vc_qemu_opt_escape(b->req->console_tty);
		add2f(b, "-chardev", "serial,id=charconsole0,path=%s,logfile=%s,logappend=on", tty,
		      log);
	} else {
		cleanup_free char *sock = vc_qemu_opt_escape(b->paths.console_socket);
		add2f(b, "-chardev",
		      "socket,id=charconsole0,path=%s,server=on,wait=off,logfile=%s,logappend=on",
		      sock, log);
	}
	if (b->c->use_legacy_serial) {
		add2(b, "-serial", "chardev:charconsole0");
		return;
	}
	add2f(b, "-chardev", "null,id=charserial0,logfile=%s,logappend=on", log);
	add2(b, "-serial", "chardev:charserial0");
	add2f(b, "-device", "virtio-serial-pci,id=serial0%s", b->modern);
	add2(b, "-device", "virtconsole,chardev=charconsole0,id=console0");
}

static int add_rng(build *b)
{
	const char *src = set(b->c->entropy_source) ? b->c->entropy_source : "/dev/urandom";
	cleanup_free char *p = opt_path(b, "entropy_source", src);
	if (!p)
		return -1;
	add2f(b, "-object", "rng-random,id=rng0,filename=%s", p);
	add2f(b, "-device", "virtio-rng-pci,rng=rng0%s", b->modern);
	return 0;
}

static void push_list(vc_params *p, const char *const *items)
{
	for (; items && *items; items++)
		vc_params_deserialize(p, *items);
}

/* -append: arch params (+ the consoles) → root params with an image → quiet or the debug set
 * → panic=1 → the user's params, last so they win. */
static char *kernel_cmdline(build *b, bool image)
{
	const vc_hypervisor_config *c = b->c;
	vc_params p;
	vc_params_init(&p);
	push_list(&p, b->arch->kernel_params);
	/* the serial port first: it is there from the first kernel line on; the virtio console
	 * last, so it becomes /dev/console once its module is loaded */
	vc_params_add(&p, "console", b->arch->serial_console, NULL);
	if (!c->use_legacy_serial)
		vc_params_add(&p, "console", b->arch->virtio_console, NULL);
	if (image) {
		if (b->nvdimm)
			vc_params_deserialize(&p, "root=/dev/pmem0p1 rootflags=dax,data=ordered,"
						  "errors=remount-ro ro rootfstype=ext4");
		else
			vc_params_deserialize(&p, "root=/dev/vda1 rootflags=data=ordered,"
						  "errors=remount-ro ro rootfstype=ext4");
	}
	if (c->enable_debug)
		vc_params_deserialize(&p, "debug systemd.show_status=true systemd.log_level=debug");
	else
		vc_params_deserialize(&p, "quiet systemd.show_status=false");
	vc_params_deserialize(&p, "panic=1");
	vc_params_append_all(&p, &c->kernel_params);
	char *s = vc_params_join(&p);
	vc_params_free(&p);
	return s;
}

static int add_boot(build *b, const char *kernel, const char *initrd, const char *image)
{
	cleanup_free char *k = vc_qemu_path_unescape("kernel", kernel, b->err);
	if (!k)
		return -1;
	add2(b, "-kernel", k);
	if (set(initrd)) {
		cleanup_free char *i = vc_qemu_path_unescape("initrd", initrd, b->err);
		if (!i)
			return -1;
		add2(b, "-initrd", i);
	}
	vc_argv_append(b->out, "-append");
	vc_argv_append_take(b->out, kernel_cmdline(b, set(image)));
	const char *fw = vc_config_asset_path(b->c, VC_ASSET_FIRMWARE);
	if (set(fw)) {
		cleanup_free char *f = vc_qemu_path_unescape("firmware", fw, b->err);
		if (!f)
			return -1;
		add2(b, "-bios", f);
	}
	for (size_t i = 0; i < b->c->pflashes.n; i++) {
		cleanup_free char *f = opt_path(b, "pflash", b->c->pflashes.v[i]);
		if (!f)
			return -1;
		add2(b, "-pflash", f);
	}
	return 0;
}

static int add_smp(build *b)
{
	const vc_hypervisor_config *c = b->c;
	if (c->default_vcpus == 0)
		return vc_error_set(b->err, VC_ERR_CONFIG, "default_vcpus is 0: a VM needs a vCPU");
	if (c->default_maxvcpus < c->default_vcpus)
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "default_maxvcpus (%u) is less than default_vcpus (%u)",
				    c->default_maxvcpus, c->default_vcpus);
	if (c->default_maxvcpus > b->arch->max_vcpus)
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "default_maxvcpus (%u) is more than %s allows (%u)",
				    c->default_maxvcpus, b->arch->name, b->arch->max_vcpus);
	add2f(b, "-smp", "%u,cores=1,threads=1,sockets=%u,maxcpus=%u", c->default_vcpus,
	      c->default_maxvcpus, c->default_maxvcpus);
	return 0;
}

static int build_all(build *b)
{
	const vc_qemu_request *r = b->req;
	const vc_hypervisor_config *c = b->c;
	const char *kernel = vc_config_asset_path(c, VC_ASSET_KERNEL);
	const char *initrd = vc_config_asset_path(c, VC_ASSET_INITRD);
	const char *image = vc_config_asset_path(c, VC_ASSET_IMAGE);
	const char *bin = vc_config_asset_path(c, VC_ASSET_HYPERVISOR);

	if (!set(kernel))
		return vc_error_set(b->err, VC_ERR_CONFIG, "missing kernel path");
	if (!set(image) && !set(initrd))
		return vc_error_set(b->err, VC_ERR_CONFIG, "missing image and initrd path");
	if (set(image) && set(initrd))
		return vc_error_set(b->err, VC_ERR_CONFIG,
				    "image and initrd path cannot be both set");
	b->nvdimm = set(image) && !c->disable_image_nvdimm;
	if (b->nvdimm && probe_image(b, image) < 0)
		return -1;

	if (set(bin)) {
		cleanup_free char *p = vc_qemu_path_unescape("hypervisor path", bin, b->err);
		if (!p)
			return -1;
		vc_argv_append(b->out, p);
	} else if (set(r->default_binary)) {
		vc_argv_append(b->out, r->default_binary);
	} else {
		vc_argv_appendf(b->out, "/usr/bin/%s", b->arch->qemu_binary);
	}

	char uuid[37];
	vc_qemu_uuid(r->id, uuid);
	add2f(b, "-name", "sandbox-%s", r->id);
	add2(b, "-uuid", uuid);
	if (pick_machine(b) < 0 || add_machine(b) < 0)
		return -1;
	add_cpu(b);
	cleanup_free char *qmp = vc_qemu_opt_escape(b->paths.qmp_socket);
	add2f(b, "-qmp", "unix:%s,server=on,wait=off", qmp);
	if (add_memory(b) < 0 || add_memory_backend(b) < 0)
		return -1;
	/* devices: bridges first, they take fixed slots from the first free one on */
	if (add_bridges(b) < 0 || (set(image) && add_image(b, image) < 0) || add_storage(b) < 0)
		return -1;
	add_console(b);
	if (add_rng(b) < 0)
		return -1;
	add2(b, "-rtc", "base=utc,driftfix=slew,clock=host");
	if (b->kvm && b->arch->has_kvm_pit)
		add2(b, "-global", "kvm-pit.lost_tick_policy=discard");
	add2(b, "-vga", "none");
	static const char *const knobs[] = {"-no-user-config", "-nodefaults", "-nographic",
					    "--no-reboot", "-S"};
	vc_argv_append_n(b->out, knobs, sizeof(knobs) / sizeof(knobs[0]));
	if (add_boot(b, kernel, initrd, image) < 0)
		return -1;
	add_iothreads(b);
	add2(b, "-pidfile", b->paths.pidfile);
	if (set(c->seccompsandbox))
		add2(b, "-sandbox", c->seccompsandbox);
	if (add_smp(b) < 0)
		return -1;
	if (c->mlock || (c->realtime && !c->enable_swap))
		add2(b, "-overcommit", "mem-lock=on");
	vc_params_serialize(&c->hypervisor_params, "", b->out);
	return 0;
}

static bool valid_id(const char *id)
{
	if (!set(id))
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_+.-", *p)))
			return false;
	return id[0] != '.';
}

int vc_qemu_build_argv(const vc_qemu_request *req, vc_argv *out, vc_error **err)
{
	if (!req || !req->config)
		return vc_error_set(err, VC_ERR_GENERIC,
				    "no configuration to build a QEMU argv from");
	if (!valid_id(req->id))
		return vc_error_set(err, VC_ERR_USAGE,
				    "invalid sandbox id '%s': use [A-Za-z0-9_+.-], no leading dot",
				    req->id ? req->id : "");
	const vc_arch *arch = req->arch ? vc_arch_lookup(req->arch) : vc_arch_host();
	if (!arch)
		return vc_error_set(err, VC_ERR_USAGE, "unknown architecture '%s' (known: %s)",
				    req->arch, vc_arch_names());
	const vc_hypervisor_config *c = req->config;
	if (c->accelerator == VC_ACCEL_AUTO)
		return vc_error_set(err, VC_ERR_GENERIC,
				    "accelerator not resolved: the loader picks kvm or tcg");

	build b = {
	    .req = req,
	    .c = c,
	    .arch = arch,
	    .err = err,
	    .kvm = c->accelerator == VC_ACCEL_KVM,
	    .nesting = req->host_is_vm && !c->disable_nesting_checks,
	};
	b.modern = b.nesting ? ",disable-modern=true" : "";
	if (vc_qemu_paths_init(&b.paths, req->sandbox_dir, err) < 0)
		return -1;
	vc_argv tmp = VC_ARGV_INIT;
	b.out = &tmp;
	int rc = build_all(&b);
	vc_qemu_paths_clear(&b.paths);
	if (rc < 0) {
		vc_argv_free(&tmp);
		return -1;
	}
	for (size_t i = 0; i < tmp.n; i++)
		vc_argv_append_take(out, vc_steal_pointer(&tmp.v[i]));
	vc_argv_free(&tmp);
	return 0;
}
