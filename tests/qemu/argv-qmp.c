/* Integration test of the argv builder against the real QEMU: for each config of a list, build
 * the argv, start qemu-system-x86_64 with it (TCG, paused by -S), and check over QMP that QEMU
 * came up with what was asked: name and uuid, status prelaunch, vCPUs, iothreads, virtio-scsi
 * controllers and their iothread links, drives (file, read-only) and where they sit, the
 * console chardevs, image and memory backends, nesting flags; then quit. Any option QEMU
 * rejects makes it exit before its QMP socket answers, which fails the test with its stderr.
 *
 * QEMU loads the kernel at startup (a dummy file fails once an initrd is given), so a real
 * kernel is needed: $VCRUN_TEST_KERNEL, else the test guest's ($top_builddir/guest/vmlinuz,
 * `make guest`). Without one, or without QEMU, the test is skipped (exit 77). */
#include <config.h>
#include "fixture.h"
#include "qemu/builder.h"
#include "qemu/placement.h"
#include "qemu/qmp.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QMP_TIMEOUT 10000
#define START_TIMEOUT_MS 20000

static const char *qemu_bin;
static char *kernel, *initrd;
static char tmpdir[] = "/tmp/vc-argv-XXXXXX";
static int failures;

typedef struct expect {
	uint32_t iothreads;	   /* iothread-0..n-1 */
	uint32_t controllers;	   /* scsi0..n-1 */
	bool controller_iothreads; /* scsiK linked to iothread-K */
	uint32_t blk_pool;	   /* virtio-blk drives round-robin over this many iothreads */
	bool nvdimm;		   /* nv0 with the image's size */
	bool image_blk;		   /* image0 on virtio-blk */
	bool legacy_serial;
	bool modern_disabled;
	const char *memdev;	  /* id of a memory backend expected under /objects */
	const char *extra_device; /* a device id hypervisor_params added */
	bool noflush;		  /* drives without a cache= of their own have cache.no-flush */
	uint32_t bridges;	  /* pci-bridge-0..n-1 from slot 2 on (default_bridges) */
} expect;

typedef struct tcase {
	const char *name;
	vc_hypervisor_config *c;
	const char *drives[6];
	size_t n_drives;
	bool host_is_vm;
	expect want;
} tcase;

static void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL %s: ", name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void make_file(const char *name, off_t size)
{
	cleanup_free char *p = tmp_path(name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		perror(p);
		exit(99);
	}
	close(fd);
}

static void dump_file(const char *path)
{
	cleanup_file FILE *f = fopen(path, "r");
	char line[512];
	while (f && fgets(line, sizeof(line), f))
		fprintf(stderr, "  | %s", line);
}

static pid_t spawn(const vc_argv *argv, const char *log)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(99);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (null < 0 || out < 0)
			_exit(127);
		dup2(null, 0);
		dup2(out, 1);
		dup2(out, 2);
		execv(argv->v[0], argv->v);
		_exit(127);
	}
	return pid;
}

/* Waits up to ms for pid to exit; returns its status or -1. */
static int reap(pid_t pid, long ms)
{
	long end = now_ms() + ms;
	int st;
	do {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		usleep(20000);
	} while (now_ms() < end);
	return -1;
}

static void kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static json_t *qmp(vc_qmp *q, const char *name, const char *cmd, json_t *args)
{
	vc_error *err = NULL;
	json_t *r = vc_qmp_execute(q, cmd, args, QMP_TIMEOUT, &err);
	if (!r) {
		fail(name, "%s: %s", cmd, err ? err->msg : "?");
		vc_error_free(err);
	}
	return r;
}

static json_t *qom_get(vc_qmp *q, const char *name, const char *path, const char *prop)
{
	return qmp(q, name, "qom-get", json_pack("{s:s, s:s}", "path", path, "property", prop));
}

static void expect_qom_str(vc_qmp *q, const char *name, const char *path, const char *prop,
			   const char *want)
{
	json_t *r = qom_get(q, name, path, prop);
	if (!r)
		return;
	if (!json_is_string(r) || strcmp(json_string_value(r), want) != 0) {
		cleanup_free char *s = json_dumps(r, JSON_ENCODE_ANY);
		fail(name, "qom-get %s %s = %s, want \"%s\"", path, prop, s, want);
	}
	json_decref(r);
}

static void expect_qom_int(vc_qmp *q, const char *name, const char *path, const char *prop,
			   json_int_t want)
{
	json_t *r = qom_get(q, name, path, prop);
	if (!r)
		return;
	if (!json_is_integer(r) || json_integer_value(r) != want) {
		cleanup_free char *s = json_dumps(r, JSON_ENCODE_ANY);
		fail(name, "qom-get %s %s = %s, want %lld", path, prop, s, (long long)want);
	}
	json_decref(r);
}

static void expect_qom_bool(vc_qmp *q, const char *name, const char *path, const char *prop,
			    bool want)
{
	json_t *r = qom_get(q, name, path, prop);
	if (!r)
		return;
	if (!json_is_boolean(r) || json_is_true(r) != want)
		fail(name, "qom-get %s %s is not %s", path, prop, want ? "true" : "false");
	json_decref(r);
}

static void check_iothreads(vc_qmp *q, const tcase *t)
{
	json_t *r = qmp(q, t->name, "query-iothreads", NULL);
	if (!r)
		return;
	uint32_t n = t->want.iothreads;
	if (json_array_size(r) != n)
		fail(t->name, "query-iothreads: %zu iothreads, want %u", json_array_size(r), n);
	for (uint32_t k = 0; k < n; k++) {
		char id[32];
		snprintf(id, sizeof(id), "iothread-%u", k);
		bool found = false;
		size_t i;
		json_t *it;
		json_array_foreach(r, i, it)
		{
			const char *got = json_string_value(json_object_get(it, "id"));
			found |= got && strcmp(got, id) == 0;
		}
		if (!found)
			fail(t->name, "query-iothreads: no %s", id);
	}
	json_decref(r);
}

static void check_controllers(vc_qmp *q, const tcase *t)
{
	for (uint32_t k = 0; k < t->want.controllers; k++) {
		char path[64], want[64];
		snprintf(path, sizeof(path), "/machine/peripheral/scsi%u", k);
		snprintf(want, sizeof(want), "/objects/iothread-%u", k);
		expect_qom_str(q, t->name, path, "iothread",
			       t->want.controller_iothreads ? want : "");
		expect_qom_str(q, t->name, path, "type", "virtio-scsi-pci");
		if (t->want.modern_disabled)
			expect_qom_bool(q, t->name, path, "disable-modern", true);
	}
	/* one more than asked must not exist */
	char path[64];
	snprintf(path, sizeof(path), "/machine/peripheral/scsi%u", t->want.controllers);
	vc_error *err = NULL;
	json_t *r =
	    vc_qmp_execute(q, "qom-get", json_pack("{s:s, s:s}", "path", path, "property", "type"),
			   QMP_TIMEOUT, &err);
	if (r)
		fail(t->name, "%s exists", path);
	json_decref(r);
	vc_error_free(err);
}

static json_t *find_block(json_t *blocks, const char *device)
{
	size_t i;
	json_t *b;
	json_array_foreach(blocks, i, b)
	{
		const char *d = json_string_value(json_object_get(b, "device"));
		if (d && strcmp(d, device) == 0)
			return b;
	}
	return NULL;
}

static void check_drives(vc_qmp *q, const tcase *t)
{
	json_t *blocks = qmp(q, t->name, "query-block", NULL);
	if (!blocks)
		return;
	size_t want_blocks = t->n_drives + (t->want.image_blk ? 1 : 0);
	if (json_array_size(blocks) != want_blocks)
		fail(t->name, "query-block: %zu block devices, want %zu", json_array_size(blocks),
		     want_blocks);
	for (size_t i = 0; i < t->n_drives; i++) {
		vc_drive_spec d;
		vc_error *err = NULL;
		if (vc_drive_spec_parse(t->drives[i], &d, &err) < 0) {
			fail(t->name, "drive spec: %s", err->msg);
			vc_error_free(err);
			continue;
		}
		char id[32], dev[64];
		snprintf(id, sizeof(id), "drive-%zu", i);
		snprintf(dev, sizeof(dev), "/machine/peripheral/disk-%zu", i);
		json_t *b = find_block(blocks, id);
		json_t *ins = json_object_get(b, "inserted");
		const char *file = json_string_value(json_object_get(ins, "file"));
		if (!b || !file || strcmp(file, d.path) != 0)
			fail(t->name, "query-block: %s is not on %s", id, d.path);
		else if (json_is_true(json_object_get(ins, "ro")) != d.readonly)
			fail(t->name, "query-block: %s ro is not %d", id, d.readonly);
		json_t *cache = json_object_get(ins, "cache");
		if (b && !d.cache &&
		    json_is_true(json_object_get(cache, "no-flush")) != t->want.noflush)
			fail(t->name, "query-block: %s cache.no-flush is not %d", id,
			     t->want.noflush);
		if (b && d.cache && strcmp(d.cache, "none") == 0 &&
		    !json_is_true(json_object_get(cache, "direct")))
			fail(t->name, "query-block: %s with cache=none is not direct", id);
		if (t->want.controllers) {
			/* round-robin: drive i on controller i % N, unit i / N */
			uint32_t ctrl = (uint32_t)(i % t->want.controllers);
			uint32_t unit = (uint32_t)(i / t->want.controllers);
			char bus[96];
			snprintf(bus, sizeof(bus),
				 "/machine/peripheral/scsi%u/virtio-backend/scsi%u.0", ctrl, ctrl);
			expect_qom_str(q, t->name, dev, "parent_bus", bus);
			expect_qom_int(q, t->name, dev, "scsi-id", unit / VC_SCSI_LUNS);
			expect_qom_int(q, t->name, dev, "lun", unit % VC_SCSI_LUNS);
		} else {
			char backend[96], want[64];
			snprintf(backend, sizeof(backend), "%s/virtio-backend", dev);
			if (t->want.blk_pool)
				snprintf(want, sizeof(want), "/objects/iothread-%zu",
					 i % t->want.blk_pool);
			else
				want[0] = '\0';
			expect_qom_str(q, t->name, backend, "iothread", want);
			if (t->want.modern_disabled)
				expect_qom_bool(q, t->name, dev, "disable-modern", true);
		}
		vc_drive_spec_clear(&d);
	}
	if (t->want.image_blk) {
		json_t *b = find_block(blocks, "image0");
		if (!b || !json_is_true(json_object_get(json_object_get(b, "inserted"), "ro")))
			fail(t->name, "query-block: no read-only image0");
	}
	json_decref(blocks);
}

static void check_chardevs(vc_qmp *q, const tcase *t)
{
	json_t *r = qmp(q, t->name, "query-chardev", NULL);
	if (!r)
		return;
	bool console = false, serial = false;
	size_t i;
	json_t *c;
	json_array_foreach(r, i, c)
	{
		const char *label = json_string_value(json_object_get(c, "label"));
		console |= label && strcmp(label, "charconsole0") == 0;
		serial |= label && strcmp(label, "charserial0") == 0;
	}
	if (!console)
		fail(t->name, "no charconsole0 chardev");
	if (serial == t->want.legacy_serial)
		fail(t->name, "charserial0 %s", serial ? "present with legacy serial" : "missing");
	json_decref(r);
	if (!t->want.legacy_serial)
		expect_qom_str(q, t->name, "/machine/peripheral/console0", "chardev",
			       "charconsole0");
}

static void check_misc(vc_qmp *q, const tcase *t, const char *id)
{
	json_t *r = qmp(q, t->name, "query-status", NULL);
	const char *st = json_string_value(json_object_get(r, "status"));
	if (r && (!st || strcmp(st, "prelaunch") != 0))
		fail(t->name, "status %s, want prelaunch", st ? st : "?");
	json_decref(r);

	char want[128];
	snprintf(want, sizeof(want), "sandbox-%s", id);
	r = qmp(q, t->name, "query-name", NULL);
	st = json_string_value(json_object_get(r, "name"));
	if (r && (!st || strcmp(st, want) != 0))
		fail(t->name, "name %s, want %s", st ? st : "?", want);
	json_decref(r);

	char uuid[37];
	vc_qemu_uuid(id, uuid);
	r = qmp(q, t->name, "query-uuid", NULL);
	st = json_string_value(json_object_get(r, "UUID"));
	if (r && (!st || strcmp(st, uuid) != 0))
		fail(t->name, "uuid %s, want %s", st ? st : "?", uuid);
	json_decref(r);

	r = qmp(q, t->name, "query-cpus-fast", NULL);
	if (r && json_array_size(r) != t->c->default_vcpus)
		fail(t->name, "%zu vCPUs, want %u", json_array_size(r), t->c->default_vcpus);
	json_decref(r);

	if (t->want.nvdimm) {
		cleanup_free char *img = tmp_path("image.img");
		struct stat sb;
		stat(img, &sb);
		expect_qom_int(q, t->name, "/machine/peripheral/nv0", "size", sb.st_size);
		expect_qom_bool(q, t->name, "/objects/mem0", "readonly", true);
	}
	if (t->want.memdev) {
		char path[64];
		snprintf(path, sizeof(path), "/objects/%s", t->want.memdev);
		expect_qom_int(q, t->name, path, "size", (json_int_t)t->c->default_memory << 20);
		expect_qom_bool(q, t->name, path, "prealloc", t->c->enable_mem_prealloc);
	}
	if (t->want.extra_device) {
		char path[96];
		snprintf(path, sizeof(path), "/machine/peripheral/%s", t->want.extra_device);
		expect_qom_str(q, t->name, path, "type", "virtio-balloon-pci");
	}
	for (uint32_t i = 0; i < t->want.bridges; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/machine/peripheral/pci-bridge-%u", i);
		expect_qom_int(q, t->name, path, "chassis_nr", i + 1);
		expect_qom_int(q, t->name, path, "addr", (json_int_t)(2 + i) << 3); /* devfn */
		/* ACPI hotplug, with windows the firmware reserves even though SHPC is off */
		expect_qom_bool(q, t->name, path, "shpc", false);
		expect_qom_int(q, t->name, path, "io-reserve", 4096);
		expect_qom_int(q, t->name, path, "mem-reserve", 1 << 20);
		expect_qom_int(q, t->name, path, "pref64-reserve", 1 << 20);
	}
	if (t->want.modern_disabled && !t->want.legacy_serial)
		expect_qom_bool(q, t->name, "/machine/peripheral/serial0", "disable-modern", true);
}

/* Starts QEMU with argv, checks it over QMP, quits it; every QEMU started is reaped here. */
static void run_qemu(const tcase *t, const char *id, const char *dir, const vc_argv *argv)
{
	vc_error *err = NULL;
	cleanup_free char *log = xasprintf("%s/qemu.log", dir);
	cleanup_free char *sock = xasprintf("%s/qmp.sock", dir);
	pid_t pid = spawn(argv, log);
	long t0 = now_ms();
	struct stat sb;
	while (stat(sock, &sb) < 0) {
		int st = reap(pid, 0);
		if (st != -1) {
			fail(t->name,
			     "QEMU exited (status %d) before its QMP socket appeared:", st);
			dump_file(log);
			cleanup_free char *line = vc_argv_quote(argv);
			fprintf(stderr, "  argv: %s\n", line);
			return;
		}
		if (now_ms() - t0 > START_TIMEOUT_MS) {
			fail(t->name, "no QMP socket after %d ms", START_TIMEOUT_MS);
			kill_reap(pid);
			return;
		}
		usleep(10000);
	}
	vc_qmp *q = vc_qmp_connect(sock, QMP_TIMEOUT, &err);
	if (!q) {
		fail(t->name, "connect: %s", err->msg);
		vc_error_free(err);
		kill_reap(pid);
		dump_file(log);
		return;
	}
	long up = now_ms() - t0;
	int before = failures;
	check_misc(q, t, id);
	check_iothreads(q, t);
	check_controllers(q, t);
	check_drives(q, t);
	check_chardevs(q, t);
	if (vc_qmp_quit(q, QMP_TIMEOUT, &err) < 0) {
		fail(t->name, "quit: %s", err->msg);
		vc_error_free(err);
	}
	vc_qmp_close(q);
	int st = reap(pid, 10000);
	if (st == -1) {
		fail(t->name, "QEMU still running 10 s after quit");
		kill_reap(pid);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fail(t->name, "QEMU exit status %d after quit", st);
		dump_file(log);
	}
	printf("%s %s: QMP up after %ld ms, %zu args\n", failures == before ? "ok  " : "FAIL",
	       t->name, up, argv->n);
}

static void run_case(const tcase *t, int index)
{
	char id[32];
	snprintf(id, sizeof(id), "argv%d", index);
	cleanup_free char *dir = tmp_path(id);
	if (mkdir(dir, 0700) < 0) {
		perror(dir);
		exit(99);
	}
	vc_drive_spec specs[6];
	memset(specs, 0, sizeof(specs));
	vc_error *err = NULL;
	vc_argv argv = VC_ARGV_INIT;
	for (size_t i = 0; i < t->n_drives && !err; i++)
		vc_drive_spec_parse(t->drives[i], &specs[i], &err);
	vc_qemu_request req = {
	    .config = t->c,
	    .arch = "x86_64",
	    .id = id,
	    .sandbox_dir = dir,
	    .drives = specs,
	    .n_drives = t->n_drives,
	    .host_is_vm = t->host_is_vm,
	};
	if (err || vc_qemu_build_argv(&req, &argv, &err) < 0) {
		fail(t->name, "build: %s", err->msg);
		vc_error_free(err);
	} else {
		run_qemu(t, id, dir, &argv);
	}
	for (size_t i = 0; i < t->n_drives; i++)
		vc_drive_spec_clear(&specs[i]);
	vc_argv_free(&argv);
}

static vc_hypervisor_config *base(void)
{
	vc_hypervisor_config *c = vc_test_qemu_config();
	vc_test_set(&c->hypervisor_path, qemu_bin);
	vc_test_set(&c->kernel_path, kernel);
	vc_test_set(&c->initrd_path, initrd);
	c->default_memory = 256;
	c->default_maxmemory = 1024;
	return c;
}

static char *find_kernel(void)
{
	const char *env = getenv("VCRUN_TEST_KERNEL");
	if (env && *env)
		return access(env, R_OK) == 0 ? xstrdup(env) : NULL;
	const char *top = getenv("top_builddir");
	char *p = xasprintf("%s/guest/vmlinuz", top && *top ? top : ".");
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static char *path_in_tmp(const char *name)
{
	return tmp_path(name);
}

int main(void)
{
	qemu_bin = getenv("QEMU");
	if (!qemu_bin || !*qemu_bin)
		qemu_bin = VC_DEFAULT_QEMU_PATH;
	if (access(qemu_bin, X_OK) != 0) {
		printf(
		    "SKIP: %s not installed (scripts/install-deps.sh installs qemu-system-x86)\n",
		    qemu_bin);
		return 77;
	}
	kernel = find_kernel();
	if (!kernel) {
		printf("SKIP: no guest kernel: QEMU loads -kernel at startup, so this test needs a "
		       "real "
		       "one; run `make guest` or set VCRUN_TEST_KERNEL\n");
		return 77;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	/* any file is a valid initrd for a VM that never runs */
	make_file("initrd.img", 64 << 10);
	initrd = path_in_tmp("initrd.img");
	static const char *const disks[] = {"d0.img", "d1.img", "d2.img",
					    "d3.img", "d4.img", "d,5.img"};
	for (size_t i = 0; i < 6; i++)
		make_file(disks[i], 1 << 20);
	make_file("image.img", 4 << 20);
	cleanup_free char *image = path_in_tmp("image.img");
	char *d[6];
	for (size_t i = 0; i < 6; i++)
		d[i] = path_in_tmp(disks[i]);
	cleanup_free char *ro = xasprintf("%s,readonly", d[1]);
	cleanup_free char *none = xasprintf("%s,cache=none", d[2]);
	cleanup_free char *comma = xasprintf("%s/d,,5.img,cache=writeback", tmpdir);
	cleanup_free char *memfile = path_in_tmp("guest-mem");

	tcase cases[10];
	memset(cases, 0, sizeof(cases));
	size_t n = 0;
	tcase *t;

	/* 1: the defaults: q35, one controller without iothread, no drive */
	t = &cases[n++];
	t->name = "q35-defaults";
	t->c = base();
	t->want = (expect){.controllers = 1};

	/* 2: one controller on an iothread, one drive */
	t = &cases[n++];
	t->name = "scsi-1ctrl-iothread-1drive";
	t->c = base();
	t->c->enable_iothreads = true;
	t->drives[0] = d[0];
	t->n_drives = 1;
	t->want = (expect){.iothreads = 1, .controllers = 1, .controller_iothreads = true};

	/* 3: three controllers with iothreads, five drives round-robin (one read-only, one
	 * cache=none, one whose name has a comma) */
	t = &cases[n++];
	t->name = "scsi-3ctrl-iothreads-5drives";
	t->c = base();
	t->c->enable_iothreads = true;
	t->c->scsi_controllers = 3;
	t->drives[0] = d[0];
	t->drives[1] = ro;
	t->drives[2] = none;
	t->drives[3] = d[3];
	t->drives[4] = comma;
	t->n_drives = 5;
	t->want = (expect){.iothreads = 3, .controllers = 3, .controller_iothreads = true};

	/* 4: pc machine, three bridges, three controllers without iothreads, two vCPUs */
	t = &cases[n++];
	t->name = "pc-3bridges-3ctrl";
	t->c = base();
	vc_test_set(&t->c->machine_type, "pc");
	t->c->default_bridges = 3;
	t->c->scsi_controllers = 3;
	t->c->default_vcpus = 2;
	t->drives[0] = d[0];
	t->drives[1] = d[1];
	t->n_drives = 2;
	t->want = (expect){.controllers = 3};

	/* 5: virtio-blk with a pool of 3 iothreads, 5 drives; the config's cache keys */
	t = &cases[n++];
	t->name = "virtio-blk-pool3-5drives";
	t->c = base();
	t->c->block_device_driver = VC_BLOCK_VIRTIO_BLK;
	t->c->enable_iothreads = true;
	t->c->indep_iothreads = 3;
	t->c->block_device_cache_set = true;
	t->c->block_device_cache_noflush = true;
	for (size_t i = 0; i < 5; i++)
		t->drives[i] = d[i];
	t->n_drives = 5;
	t->want = (expect){.iothreads = 3, .blk_pool = 3, .noflush = true};

	/* 6: virtio-blk without iothreads, image as an nvdimm, preallocated RAM */
	t = &cases[n++];
	t->name = "nvdimm-image-prealloc";
	t->c = base();
	vc_test_set(&t->c->initrd_path, NULL);
	vc_test_set(&t->c->image_path, image);
	t->c->block_device_driver = VC_BLOCK_VIRTIO_BLK;
	t->c->enable_mem_prealloc = true;
	t->drives[0] = d[0];
	t->n_drives = 1;
	t->want = (expect){.nvdimm = true, .memdev = "dimm1"};

	/* 7: image on virtio-blk, legacy serial, debug, nested host (disable-modern, pmu=off) */
	t = &cases[n++];
	t->name = "virtio-blk-image-legacy-serial-nesting";
	t->c = base();
	vc_test_set(&t->c->initrd_path, NULL);
	vc_test_set(&t->c->image_path, image);
	t->c->disable_image_nvdimm = true;
	t->c->use_legacy_serial = true;
	t->c->enable_debug = true;
	t->c->enable_iothreads = true;
	t->c->scsi_controllers = 2;
	t->host_is_vm = true;
	t->drives[0] = d[0];
	t->drives[1] = d[1];
	t->drives[2] = d[2];
	t->n_drives = 3;
	t->want = (expect){.iothreads = 2,
			   .controllers = 2,
			   .controller_iothreads = true,
			   .image_blk = true,
			   .legacy_serial = true,
			   .modern_disabled = true};

	/* 8: file memory backend, QEMU's own seccomp sandbox, hypervisor_params, block devices
	 * disabled, no bridges */
	t = &cases[n++];
	t->name = "file-mem-sandbox-params-noblock";
	t->c = base();
	vc_test_set(&t->c->file_mem_backend, memfile);
	vc_test_set(&t->c->seccompsandbox,
		    "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
	vc_params_deserialize(&t->c->hypervisor_params, "-device=virtio-balloon-pci,id=balloon0");
	t->c->disable_block_device_use = true;
	t->c->enable_iothreads = true;
	t->c->default_bridges = 0;
	t->want = (expect){.memdev = "dimm1", .extra_device = "balloon0"};

	/* 9: nesting on virtio-blk with iothreads: disable-modern on the drives too */
	t = &cases[n++];
	t->name = "virtio-blk-nesting-pool1";
	t->c = base();
	t->c->block_device_driver = VC_BLOCK_VIRTIO_BLK;
	t->c->enable_iothreads = true;
	t->host_is_vm = true;
	t->c->default_vcpus = 2;
	t->c->default_maxvcpus = 8;
	t->drives[0] = d[0];
	t->drives[1] = d[3];
	t->n_drives = 2;
	t->want = (expect){.iothreads = 1, .blk_pool = 1, .modern_disabled = true};

	for (size_t i = 0; i < n; i++) {
		cases[i].want.bridges = cases[i].c->default_bridges;
		run_case(&cases[i], (int)i);
		vc_config_free(cases[i].c);
	}
	/* nothing of ours may be left running: every QEMU was reaped above */
	char *argv_rm[] = {"rm", "-rf", tmpdir, NULL};
	pid_t rm = fork();
	if (rm == 0) {
		execv("/bin/rm", argv_rm);
		_exit(127);
	}
	waitpid(rm, NULL, 0);
	for (size_t i = 0; i < 6; i++)
		free(d[i]);
	free(kernel);
	free(initrd);
	printf("%zu configs, %d failure%s\n", n, failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
