/* Suite qemu, part 2: the argv the builder produces for a matrix of configs, asserted argument
 * by argument. The expected values are written from REFERENCE.md §2 and issue [4/8]. */
#include <config.h>
#include "suites.h"
#include "check_qemu.h"
#include "qemu/builder.h"
#include "../qemu/fixture.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIR "/run/vc/sb1"

typedef struct fx {
	vc_hypervisor_config *c;
	vc_qemu_request r;
	vc_drive_spec drives[8];
	vc_argv argv;
} fx;

static void fx_init(fx *f)
{
	memset(f, 0, sizeof(*f));
	f->c = vc_test_qemu_config();
	f->r.config = f->c;
	f->r.arch = "x86_64";
	f->r.id = "sb1";
	f->r.sandbox_dir = DIR;
	f->r.drives = f->drives;
}

static void fx_drives(fx *f, size_t n)
{
	vc_error *err = NULL;
	for (size_t i = 0; i < n; i++) {
		char spec[64];
		snprintf(spec, sizeof(spec), "/d/disk%zu.img", i);
		ck_assert_int_eq(vc_drive_spec_parse(spec, &f->drives[i], &err), 0);
	}
	f->r.n_drives = n;
}

static void fx_free(fx *f)
{
	for (size_t i = 0; i < 8; i++)
		vc_drive_spec_clear(&f->drives[i]);
	vc_argv_free(&f->argv);
	vc_config_free(f->c);
}

static void build_ok(fx *f)
{
	vc_error *err = NULL;
	vc_argv_free(&f->argv);
	int rc = vc_qemu_build_argv(&f->r, &f->argv, &err);
	if (rc < 0)
		ck_abort_msg("build failed: %s", err->msg);
	ck_assert_ptr_null(err);
}

/* Builds, expects failure and a message containing `needle`. */
static void build_fails(fx *f, const char *needle)
{
	vc_error *err = NULL;
	vc_argv_free(&f->argv);
	ck_assert_int_lt(vc_qemu_build_argv(&f->r, &f->argv, &err), 0);
	ck_assert_ptr_nonnull(err);
	if (!strstr(err->msg, needle))
		ck_abort_msg("error '%s' lacks '%s'", err->msg, needle);
	ck_assert_uint_eq(f->argv.n, 0);
	vc_error_free(err);
}

/* Every value following option `opt`, in order, must be exactly the NULL-terminated list. */
static void expect_opts(const fx *f, const char *opt, ...)
{
	va_list ap;
	va_start(ap, opt);
	size_t k = 0;
	for (size_t i = 0; i + 1 < f->argv.n; i++) {
		if (strcmp(f->argv.v[i], opt) != 0)
			continue;
		const char *want = va_arg(ap, const char *);
		if (!want)
			ck_abort_msg("extra %s %s", opt, f->argv.v[i + 1]);
		if (strcmp(want, f->argv.v[i + 1]) != 0)
			ck_abort_msg("%s #%zu: got '%s', want '%s'", opt, k, f->argv.v[i + 1],
				     want);
		k++;
		i++;
	}
	const char *missing = va_arg(ap, const char *);
	if (missing)
		ck_abort_msg("missing %s %s", opt, missing);
	va_end(ap);
}

static const char *opt_value(const fx *f, const char *opt)
{
	long i = vc_argv_find(&f->argv, opt);
	ck_assert_msg(i >= 0 && (size_t)i + 1 < f->argv.n, "no %s", opt);
	return f->argv.v[i + 1];
}

static bool has(const fx *f, const char *s)
{
	return vc_argv_find(&f->argv, s) >= 0;
}

#define X86_PARAMS                                                                                 \
	"tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1 "     \
	"i8042.nopnp=1 i8042.noaux=1 noreplace-smp reboot=k iommu=off cryptomgr.notests "          \
	"net.ifnames=0 pci=lastbus=0"

START_TEST(test_base_x86_64_full)
{
	fx f;
	fx_init(&f);
	build_ok(&f);
	char uuid[37];
	vc_qemu_uuid("sb1", uuid);
	/* one option and its value per line */
	/* clang-format off */
	const char *want[] = {
		"/usr/bin/qemu-system-x86_64",
		"-name", "sandbox-sb1",
		"-uuid", uuid,
		"-machine", "q35,accel=tcg",
		"-cpu", "max",
		"-qmp", "unix:" DIR "/qmp.sock,server=on,wait=off",
		"-m", "2048M,slots=10,maxmem=4096M",
		"-device", "pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve=4k,mem-reserve=1m,pref64-reserve=1m",
		"-device", "virtio-scsi-pci,id=scsi0",
		"-chardev", "socket,id=charconsole0,path=" DIR "/console.sock,server=on,wait=off,"
			    "logfile=" DIR "/console.log,logappend=on",
		"-chardev", "null,id=charserial0,logfile=" DIR "/console.log,logappend=on",
		"-serial", "chardev:charserial0",
		"-device", "virtio-serial-pci,id=serial0",
		"-device", "virtconsole,chardev=charconsole0,id=console0",
		"-object", "rng-random,id=rng0,filename=/dev/urandom",
		"-device", "virtio-rng-pci,rng=rng0",
		"-rtc", "base=utc,driftfix=slew,clock=host",
		"-vga", "none",
		"-no-user-config", "-nodefaults", "-nographic", "--no-reboot", "-S",
		"-kernel", "/opt/vc/vmlinuz",
		"-initrd", "/opt/vc/initrd.img",
		"-append", X86_PARAMS " console=ttyS0 console=hvc0 quiet systemd.show_status=false panic=1",
		"-pidfile", DIR "/qemu.pid",
		"-smp", "1,cores=1,threads=1,sockets=4,maxcpus=4",
	};
	/* clang-format on */
	size_t n = sizeof(want) / sizeof(want[0]);
	for (size_t i = 0; i < n && i < f.argv.n; i++)
		ck_assert_str_eq(f.argv.v[i], want[i]);
	ck_assert_uint_eq(f.argv.n, n);
	ck_assert_ptr_null(f.argv.v[n]);
	ck_assert(!has(&f, "-daemonize"));
	fx_free(&f);
}
END_TEST

START_TEST(test_base_aarch64)
{
	fx f;
	fx_init(&f);
	f.r.arch = "aarch64";
	vc_test_set(&f.c->hypervisor_path, NULL);
	vc_test_set(&f.c->machine_type, "");
	build_ok(&f);
	ck_assert_str_eq(f.argv.v[0], "/usr/bin/qemu-system-aarch64");
	expect_opts(&f, "-machine", "virt,accel=tcg", NULL);
	expect_opts(&f, "-cpu", "max", NULL);
	expect_opts(&f, "-serial", "chardev:charserial0", NULL);
	expect_opts(
	    &f, "-append",
	    "iommu.passthrough=0 cryptomgr.notests net.ifnames=0 pci=lastbus=0 console=ttyAMA0 "
	    "console=hvc0 quiet systemd.show_status=false panic=1",
	    NULL);
	expect_opts(&f, "-device",
		    "pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve="
		    "4k,mem-reserve=1m,pref64-reserve=1m",
		    "virtio-scsi-pci,id=scsi0", "virtio-serial-pci,id=serial0",
		    "virtconsole,chardev=charconsole0,id=console0", "virtio-rng-pci,rng=rng0",
		    NULL);
	/* a config written for x86-64: its machine type is replaced by the arch's default */
	vc_test_set(&f.c->machine_type, "q35");
	build_ok(&f);
	expect_opts(&f, "-machine", "virt,accel=tcg", NULL);
	/* a machine type no table knows is passed through for QEMU to judge */
	vc_test_set(&f.c->machine_type, "sbsa-ref");
	build_ok(&f);
	expect_opts(&f, "-machine", "sbsa-ref,accel=tcg", NULL);
	vc_test_set(&f.c->machine_type, "virt-7.2");
	build_ok(&f);
	expect_opts(&f, "-machine", "virt-7.2,accel=tcg", NULL);
	vc_test_set(&f.c->machine_type, "");
	/* KVM on aarch64: host CPU, no kvm-pit */
	f.c->accelerator = VC_ACCEL_KVM;
	build_ok(&f);
	expect_opts(&f, "-machine", "virt,accel=kvm", NULL);
	expect_opts(&f, "-cpu", "host,pmu=off", NULL);
	ck_assert(!has(&f, "-global"));
	/* the default binary of the request wins over the arch's */
	f.r.default_binary = "/opt/qemu/bin/qemu-system-aarch64";
	build_ok(&f);
	ck_assert_str_eq(f.argv.v[0], "/opt/qemu/bin/qemu-system-aarch64");
	fx_free(&f);
}
END_TEST

START_TEST(test_kvm_x86_64)
{
	fx f;
	fx_init(&f);
	f.c->accelerator = VC_ACCEL_KVM;
	vc_test_set(&f.c->machine_accelerators, "kernel_irqchip=on,smm=off");
	build_ok(&f);
	expect_opts(&f, "-machine", "q35,accel=kvm,kernel_irqchip=on,smm=off", NULL);
	expect_opts(&f, "-cpu", "host,pmu=off", NULL);
	expect_opts(&f, "-global", "kvm-pit.lost_tick_policy=discard", NULL);
	vc_test_set(&f.c->cpu_features, "");
	build_ok(&f);
	expect_opts(&f, "-cpu", "host", NULL);
	/* TCG: no kvm-pit, max whatever the features */
	f.c->accelerator = VC_ACCEL_TCG;
	vc_test_set(&f.c->cpu_features, "pmu=off,+vmx");
	build_ok(&f);
	expect_opts(&f, "-cpu", "max", NULL);
	ck_assert(!has(&f, "-global"));
	f.c->accelerator = VC_ACCEL_AUTO;
	build_fails(&f, "accelerator");
	fx_free(&f);
}
END_TEST

START_TEST(test_pc_bridges)
{
	fx f;
	fx_init(&f);
	vc_test_set(&f.c->machine_type, "pc");
	f.c->default_bridges = 3;
	build_ok(&f);
	expect_opts(&f, "-machine", "pc,accel=tcg", NULL);
	expect_opts(&f, "-device",
		    "pci-bridge,bus=pci.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve="
		    "4k,mem-reserve=1m,pref64-reserve=1m",
		    "pci-bridge,bus=pci.0,id=pci-bridge-1,chassis_nr=2,shpc=off,addr=3,io-reserve="
		    "4k,mem-reserve=1m,pref64-reserve=1m",
		    "pci-bridge,bus=pci.0,id=pci-bridge-2,chassis_nr=3,shpc=off,addr=4,io-reserve="
		    "4k,mem-reserve=1m,pref64-reserve=1m",
		    "virtio-scsi-pci,id=scsi0", "virtio-serial-pci,id=serial0",
		    "virtconsole,chardev=charconsole0,id=console0", "virtio-rng-pci,rng=rng0",
		    NULL);
	f.c->default_bridges = 0;
	build_ok(&f);
	expect_opts(&f, "-device", "virtio-scsi-pci,id=scsi0", "virtio-serial-pci,id=serial0",
		    "virtconsole,chardev=charconsole0,id=console0", "virtio-rng-pci,rng=rng0",
		    NULL);
	f.c->default_bridges = 6;
	build_fails(&f, "default_bridges 6");
	fx_free(&f);
}
END_TEST

/* 1 and 3 controllers × 0, 1, 5 drives, with and without iothreads. */
START_TEST(test_scsi_matrix)
{
	static const char *const hd[5] = {
	    "scsi-hd,id=disk-0,bus=scsi0.0,drive=drive-0,scsi-id=0,lun=0",
	    "scsi-hd,id=disk-1,bus=scsi1.0,drive=drive-1,scsi-id=0,lun=0",
	    "scsi-hd,id=disk-2,bus=scsi2.0,drive=drive-2,scsi-id=0,lun=0",
	    "scsi-hd,id=disk-3,bus=scsi0.0,drive=drive-3,scsi-id=0,lun=1",
	    "scsi-hd,id=disk-4,bus=scsi1.0,drive=drive-4,scsi-id=0,lun=1",
	};
	static const char *const hd1[5] = {
	    "scsi-hd,id=disk-0,bus=scsi0.0,drive=drive-0,scsi-id=0,lun=0",
	    "scsi-hd,id=disk-1,bus=scsi0.0,drive=drive-1,scsi-id=0,lun=1",
	    "scsi-hd,id=disk-2,bus=scsi0.0,drive=drive-2,scsi-id=0,lun=2",
	    "scsi-hd,id=disk-3,bus=scsi0.0,drive=drive-3,scsi-id=0,lun=3",
	    "scsi-hd,id=disk-4,bus=scsi0.0,drive=drive-4,scsi-id=0,lun=4",
	};
	static const size_t n_drives[] = {0, 1, 5};
	for (int io = 0; io < 2; io++) {
		for (uint32_t ctrls = 1; ctrls <= 3; ctrls += 2) {
			for (size_t d = 0; d < 3; d++) {
				fx f;
				fx_init(&f);
				f.c->enable_iothreads = io;
				f.c->scsi_controllers = ctrls;
				fx_drives(&f, n_drives[d]);
				build_ok(&f);
				/* controllers and their iothreads */
				size_t nobj = 0, ndev = 0, ndrv = 0, nhd = 0;
				for (size_t i = 0; i + 1 < f.argv.n; i++) {
					const char *o = f.argv.v[i], *v = f.argv.v[i + 1];
					if (!strcmp(o, "-object") && !strncmp(v, "iothread,", 9)) {
						char want[64];
						snprintf(want, sizeof(want),
							 "iothread,id=iothread-%zu", nobj);
						ck_assert_str_eq(v, want);
						nobj++;
					} else if (!strcmp(o, "-device") &&
						   !strncmp(v, "virtio-scsi-pci", 15)) {
						char want[96];
						if (io)
							snprintf(want, sizeof(want),
								 "virtio-scsi-pci,id=scsi%zu,"
								 "iothread=iothread-%zu",
								 ndev, ndev);
						else
							snprintf(want, sizeof(want),
								 "virtio-scsi-pci,id=scsi%zu",
								 ndev);
						ck_assert_str_eq(v, want);
						ndev++;
					} else if (!strcmp(o, "-drive")) {
						char want[128];
						snprintf(want, sizeof(want),
							 "if=none,id=drive-%zu,file=/d/"
							 "disk%zu.img,format=raw,"
							 "aio=threads",
							 ndrv, ndrv);
						ck_assert_str_eq(v, want);
						ndrv++;
					} else if (!strcmp(o, "-device") &&
						   !strncmp(v, "scsi-hd", 7)) {
						ck_assert_str_eq(v,
								 ctrls == 3 ? hd[nhd] : hd1[nhd]);
						nhd++;
					}
				}
				ck_assert_uint_eq(nobj, io ? ctrls : 0);
				ck_assert_uint_eq(ndev, ctrls);
				ck_assert_uint_eq(ndrv, n_drives[d]);
				ck_assert_uint_eq(nhd, n_drives[d]);
				fx_free(&f);
			}
		}
	}
}
END_TEST

START_TEST(test_virtio_blk_pool)
{
	fx f;
	fx_init(&f);
	f.c->block_device_driver = VC_BLOCK_VIRTIO_BLK;
	fx_drives(&f, 5);
	/* no iothreads */
	build_ok(&f);
	expect_opts(&f, "-object", "rng-random,id=rng0,filename=/dev/urandom", NULL);
	ck_assert(strstr(opt_value(&f, "-device"), "pci-bridge"));
	expect_opts(
	    &f, "-device",
	    "pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve=4k,mem-"
	    "reserve=1m,pref64-reserve=1m",
	    "virtio-blk-pci,id=disk-0,drive=drive-0", "virtio-blk-pci,id=disk-1,drive=drive-1",
	    "virtio-blk-pci,id=disk-2,drive=drive-2", "virtio-blk-pci,id=disk-3,drive=drive-3",
	    "virtio-blk-pci,id=disk-4,drive=drive-4", "virtio-serial-pci,id=serial0",
	    "virtconsole,chardev=charconsole0,id=console0", "virtio-rng-pci,rng=rng0", NULL);
	/* iothreads with indep_iothreads = 0: a pool of one */
	f.c->enable_iothreads = true;
	build_ok(&f);
	expect_opts(&f, "-object", "rng-random,id=rng0,filename=/dev/urandom",
		    "iothread,id=iothread-0", NULL);
	ck_assert(has(&f, "virtio-blk-pci,id=disk-4,drive=drive-4,iothread=iothread-0"));
	/* a pool of 3: round-robin */
	f.c->indep_iothreads = 3;
	build_ok(&f);
	expect_opts(&f, "-object", "rng-random,id=rng0,filename=/dev/urandom",
		    "iothread,id=iothread-0", "iothread,id=iothread-1", "iothread,id=iothread-2",
		    NULL);
	static const char *const dev[] = {
	    "virtio-blk-pci,id=disk-0,drive=drive-0,iothread=iothread-0",
	    "virtio-blk-pci,id=disk-1,drive=drive-1,iothread=iothread-1",
	    "virtio-blk-pci,id=disk-2,drive=drive-2,iothread=iothread-2",
	    "virtio-blk-pci,id=disk-3,drive=drive-3,iothread=iothread-0",
	    "virtio-blk-pci,id=disk-4,drive=drive-4,iothread=iothread-1",
	};
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(has(&f, dev[i]), "missing %s", dev[i]);
	ck_assert(!has(&f, "virtio-scsi-pci,id=scsi0"));
	/* zero drives: the pool is still there for hotplug */
	f.r.n_drives = 0;
	build_ok(&f);
	ck_assert(has(&f, "iothread,id=iothread-2"));
	fx_free(&f);
}
END_TEST

START_TEST(test_disable_block_device_use)
{
	fx f;
	fx_init(&f);
	f.c->disable_block_device_use = true;
	f.c->enable_iothreads = true;
	build_ok(&f);
	ck_assert(!has(&f, "virtio-scsi-pci,id=scsi0,iothread=iothread-0"));
	ck_assert(!has(&f, "iothread,id=iothread-0"));
	ck_assert(!has(&f, "-drive"));
	fx_drives(&f, 1);
	build_fails(&f, "disable_block_device_use");
	fx_free(&f);
}
END_TEST

START_TEST(test_drive_cache_and_aio)
{
	fx f;
	fx_init(&f);
	vc_error *err = NULL;
	ck_assert_int_eq(
	    vc_drive_spec_parse("/d/a,,b.qcow2,format=qcow2,readonly", &f.drives[0], &err), 0);
	ck_assert_int_eq(vc_drive_spec_parse("/d/c.img,cache=none", &f.drives[1], &err), 0);
	f.r.n_drives = 2;
	build_ok(&f);
	expect_opts(&f, "-drive",
		    "if=none,id=drive-0,file=/d/a,,b.qcow2,format=qcow2,readonly=on,aio=threads",
		    "if=none,id=drive-1,file=/d/c.img,format=raw,cache=none,aio=threads", NULL);
	/* the config's cache keys shape the backend unless the drive names a mode */
	f.c->block_device_cache_set = true;
	f.c->block_device_cache_direct = true;
	vc_test_set(&f.c->block_device_aio, "native");
	build_ok(&f);
	expect_opts(
	    &f, "-drive",
	    "if=none,id=drive-0,file=/d/a,,b.qcow2,format=qcow2,readonly=on,cache.direct=on,"
	    "cache.no-flush=off,aio=native",
	    "if=none,id=drive-1,file=/d/c.img,format=raw,cache=none,aio=native", NULL);
	f.c->block_device_cache_direct = false;
	f.c->block_device_cache_noflush = true;
	build_fails(&f, "native");
	vc_test_set(&f.c->block_device_aio, "io_uring");
	build_ok(&f);
	expect_opts(
	    &f, "-drive",
	    "if=none,id=drive-0,file=/d/a,,b.qcow2,format=qcow2,readonly=on,cache.direct=off,"
	    "cache.no-flush=on,aio=io_uring",
	    "if=none,id=drive-1,file=/d/c.img,format=raw,cache=none,aio=io_uring", NULL);
	vc_test_set(&f.c->block_device_aio, "");
	f.c->block_device_cache_set = false;
	build_ok(&f);
	expect_opts(&f, "-drive", "if=none,id=drive-0,file=/d/a,,b.qcow2,format=qcow2,readonly=on",
		    "if=none,id=drive-1,file=/d/c.img,format=raw,cache=none", NULL);
	fx_free(&f);
}
END_TEST

static char *make_image(size_t size)
{
	char *path = strdup("/tmp/vc-check-qemu-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	close(fd);
	return path;
}

START_TEST(test_image_nvdimm_and_virtio_blk)
{
	fx f;
	fx_init(&f);
	char *img = make_image(3 << 20);
	vc_test_set(&f.c->initrd_path, NULL);
	vc_test_set(&f.c->image_path, img);
	build_ok(&f);
	expect_opts(&f, "-machine", "q35,accel=tcg,nvdimm=on", NULL);
	char want[256];
	snprintf(want, sizeof(want),
		 "memory-backend-file,id=mem0,mem-path=%s,size=3145728,readonly=on", img);
	expect_opts(&f, "-object", want, "rng-random,id=rng0,filename=/dev/urandom", NULL);
	ck_assert(has(&f, "nvdimm,id=nv0,memdev=mem0,unarmed=on"));
	ck_assert(!has(&f, "-initrd"));
	expect_opts(&f, "-append",
		    X86_PARAMS
		    " console=ttyS0 console=hvc0 root=/dev/pmem0p1 "
		    "rootflags=dax,data=ordered,errors=remount-ro ro rootfstype=ext4 quiet "
		    "systemd.show_status=false panic=1",
		    NULL);
	/* nvdimm needs room between memory and maxmem */
	f.c->default_maxmemory = 2050;
	build_fails(&f, "memory_offset");
	f.c->memory_offset = 1;
	build_ok(&f);
	expect_opts(&f, "-m", "2048M,slots=10,maxmem=2051M", NULL);
	f.c->memory_slots = 0;
	build_fails(&f, "memory_slots");

	/* disable_image_nvdimm: read-only virtio-blk and root=/dev/vda1 */
	f.c->disable_image_nvdimm = true;
	build_ok(&f);
	expect_opts(&f, "-machine", "q35,accel=tcg", NULL);
	expect_opts(&f, "-m", "2048M", NULL);
	snprintf(want, sizeof(want), "id=image0,file=%s,format=raw,if=none,readonly=on", img);
	expect_opts(&f, "-drive", want, NULL);
	ck_assert(has(&f, "virtio-blk-pci,id=image-disk0,drive=image0"));
	ck_assert(!has(&f, "nvdimm,id=nv0,memdev=mem0,unarmed=on"));
	expect_opts(&f, "-append",
		    X86_PARAMS " console=ttyS0 console=hvc0 root=/dev/vda1 "
			       "rootflags=data=ordered,errors=remount-ro ro rootfstype=ext4 quiet "
			       "systemd.show_status=false panic=1",
		    NULL);

	/* errors: image and initrd, neither, a missing nvdimm image */
	vc_test_set(&f.c->initrd_path, "/opt/vc/initrd.img");
	build_fails(&f, "cannot be both set");
	vc_test_set(&f.c->initrd_path, NULL);
	vc_test_set(&f.c->image_path, NULL);
	build_fails(&f, "missing image and initrd path");
	f.c->disable_image_nvdimm = false;
	f.c->memory_slots = 10;
	vc_test_set(&f.c->image_path, "/nonexistent/vc.img");
	build_fails(&f, "/nonexistent/vc.img");
	unlink(img);
	free(img);
	fx_free(&f);
}
END_TEST

START_TEST(test_nesting)
{
	fx f;
	fx_init(&f);
	f.r.host_is_vm = true;
	fx_drives(&f, 1);
	build_ok(&f);
	expect_opts(&f, "-cpu", "max,pmu=off", NULL);
	expect_opts(&f, "-device",
		    "pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve="
		    "4k,mem-reserve=1m,pref64-reserve=1m",
		    "virtio-scsi-pci,id=scsi0,disable-modern=true",
		    "scsi-hd,id=disk-0,bus=scsi0.0,drive=drive-0,scsi-id=0,lun=0",
		    "virtio-serial-pci,id=serial0,disable-modern=true",
		    "virtconsole,chardev=charconsole0,id=console0",
		    "virtio-rng-pci,rng=rng0,disable-modern=true", NULL);
	/* KVM: pmu=off is not repeated when cpu_features has it, added when it does not */
	f.c->accelerator = VC_ACCEL_KVM;
	build_ok(&f);
	expect_opts(&f, "-cpu", "host,pmu=off", NULL);
	vc_test_set(&f.c->cpu_features, "+vmx");
	build_ok(&f);
	expect_opts(&f, "-cpu", "host,+vmx,pmu=off", NULL);
	/* virtio-blk and its image get disable-modern too */
	f.c->block_device_driver = VC_BLOCK_VIRTIO_BLK;
	build_ok(&f);
	ck_assert(has(&f, "virtio-blk-pci,id=disk-0,drive=drive-0,disable-modern=true"));
	/* checks off: nothing */
	f.c->disable_nesting_checks = true;
	build_ok(&f);
	expect_opts(&f, "-cpu", "host,+vmx", NULL);
	ck_assert(has(&f, "virtio-blk-pci,id=disk-0,drive=drive-0"));
	ck_assert(has(&f, "virtio-rng-pci,rng=rng0"));
	fx_free(&f);
}
END_TEST

START_TEST(test_memory_backends)
{
	fx f;
	fx_init(&f);
	build_ok(&f);
	ck_assert(!has(&f, "-numa"));
	ck_assert(!has(&f, "-overcommit"));
	f.c->enable_mem_prealloc = true;
	build_ok(&f);
	expect_opts(&f, "-object", "memory-backend-ram,id=dimm1,size=2048M,prealloc=on",
		    "rng-random,id=rng0,filename=/dev/urandom", NULL);
	expect_opts(&f, "-numa", "node,memdev=dimm1", NULL);
	vc_test_set(&f.c->file_mem_backend, "/dev/shm/vc,,mem");
	build_ok(&f);
	expect_opts(&f, "-object",
		    "memory-backend-file,id=dimm1,size=2048M,mem-path=/dev/shm/"
		    "vc,,mem,share=on,prealloc=on",
		    "rng-random,id=rng0,filename=/dev/urandom", NULL);
	f.c->enable_mem_prealloc = false;
	build_ok(&f);
	expect_opts(&f, "-object",
		    "memory-backend-file,id=dimm1,size=2048M,mem-path=/dev/shm/vc,,mem,share=on",
		    "rng-random,id=rng0,filename=/dev/urandom", NULL);
	vc_test_set(&f.c->file_mem_backend, "/dev/shm/vc,mem");
	build_fails(&f, "file_mem_backend");
	f.c->enable_hugepages = true;
	build_ok(&f);
	expect_opts(
	    &f, "-object",
	    "memory-backend-file,id=dimm1,size=2048M,mem-path=/dev/hugepages,share=on,prealloc=on",
	    "rng-random,id=rng0,filename=/dev/urandom", NULL);
	expect_opts(&f, "-numa", "node,memdev=dimm1", NULL);
	/* mlock: realtime without swap */
	f.c->realtime = true;
	build_ok(&f);
	expect_opts(&f, "-overcommit", "mem-lock=on", NULL);
	f.c->enable_swap = true;
	build_ok(&f);
	ck_assert(!has(&f, "-overcommit"));
	/* -m forms and errors */
	f.c->memory_slots = 0;
	build_ok(&f);
	expect_opts(&f, "-m", "2048M", NULL);
	f.c->memory_slots = 4;
	f.c->default_maxmemory = 2000;
	f.c->memory_offset = 48;
	build_fails(&f, "must be greater than default_memory");
	f.c->memory_offset = 49;
	build_ok(&f);
	expect_opts(&f, "-m", "2048M,slots=4,maxmem=2049M", NULL);
	f.c->default_memory = 0;
	build_fails(&f, "default_memory");
	fx_free(&f);
}
END_TEST

START_TEST(test_smp)
{
	fx f;
	fx_init(&f);
	f.c->default_vcpus = 2;
	f.c->default_maxvcpus = 8;
	build_ok(&f);
	expect_opts(&f, "-smp", "2,cores=1,threads=1,sockets=8,maxcpus=8", NULL);
	f.c->default_maxvcpus = 1;
	build_fails(&f, "default_maxvcpus (1) is less than default_vcpus (2)");
	f.c->default_maxvcpus = 241;
	build_fails(&f, "x86_64 allows (240)");
	f.r.arch = "aarch64";
	f.c->default_maxvcpus = 124;
	build_fails(&f, "aarch64 allows (123)");
	f.c->default_vcpus = 0;
	f.c->default_maxvcpus = 1;
	build_fails(&f, "default_vcpus");
	fx_free(&f);
}
END_TEST

START_TEST(test_kernel_params_order)
{
	fx f;
	fx_init(&f);
	vc_params_deserialize(&f.c->kernel_params, "quiet=0 panic=5 init=/bin/sh");
	f.c->enable_debug = true;
	build_ok(&f);
	expect_opts(&f, "-append",
		    X86_PARAMS " console=ttyS0 console=hvc0 debug systemd.show_status=true "
			       "systemd.log_level=debug panic=1 quiet=0 panic=5 init=/bin/sh",
		    NULL);
	/* legacy serial: the serial port is the console socket, console=ttyS0 only */
	f.c->use_legacy_serial = true;
	f.c->enable_debug = false;
	build_ok(&f);
	expect_opts(&f, "-append",
		    X86_PARAMS
		    " console=ttyS0 quiet systemd.show_status=false panic=1 quiet=0 panic=5 "
		    "init=/bin/sh",
		    NULL);
	expect_opts(&f, "-serial", "chardev:charconsole0", NULL);
	expect_opts(&f, "-chardev",
		    "socket,id=charconsole0,path=" DIR
		    "/console.sock,server=on,wait=off,logfile=" DIR "/console.log,logappend=on",
		    NULL);
	ck_assert(!has(&f, "virtio-serial-pci,id=serial0"));
	fx_free(&f);
}
END_TEST

START_TEST(test_firmware_sandbox_hypervisor_params)
{
	fx f;
	fx_init(&f);
	vc_test_set(&f.c->firmware_path, "/fw/OVMF,,x.fd");
	vc_test_strv_add(&f.c->pflashes, "/fw/code,,1.fd");
	vc_test_strv_add(&f.c->pflashes, "/fw/vars.fd");
	vc_test_set(&f.c->seccompsandbox, "on,obsolete=deny,elevateprivileges=deny,spawn=deny");
	vc_params_deserialize(&f.c->hypervisor_params, "-device=virtio-balloon-pci,id=b0 -no-hpet");
	vc_test_set(&f.c->entropy_source, "/dev/random");
	build_ok(&f);
	expect_opts(&f, "-bios", "/fw/OVMF,x.fd", NULL); /* -bios is no option string */
	expect_opts(&f, "-pflash", "/fw/code,,1.fd", "/fw/vars.fd", NULL);
	expect_opts(&f, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny", NULL);
	expect_opts(&f, "-object", "rng-random,id=rng0,filename=/dev/random", NULL);
	/* hypervisor_params last: key and value as two items */
	ck_assert_str_eq(f.argv.v[f.argv.n - 3], "-device");
	ck_assert_str_eq(f.argv.v[f.argv.n - 2], "virtio-balloon-pci,id=b0");
	ck_assert_str_eq(f.argv.v[f.argv.n - 1], "-no-hpet");
	vc_test_set(&f.c->firmware_path, "/fw/a,b");
	build_fails(&f, "firmware '/fw/a,b'");
	fx_free(&f);
}
END_TEST

START_TEST(test_paths_and_commas)
{
	fx f;
	fx_init(&f);
	/* ",," in the kernel path is a literal comma: -kernel gets the real name */
	vc_test_set(&f.c->kernel_path, "/k/vm,,linuz");
	vc_test_set(&f.c->custom_assets[VC_ASSET_INITRD], "/k/custom.img");
	build_ok(&f);
	expect_opts(&f, "-kernel", "/k/vm,linuz", NULL);
	expect_opts(&f, "-initrd", "/k/custom.img", NULL);
	vc_test_set(&f.c->kernel_path, "/k/vm,linuz");
	build_fails(&f, "kernel '/k/vm,linuz'");
	vc_test_set(&f.c->kernel_path, "");
	build_fails(&f, "missing kernel path");
	vc_test_set(&f.c->kernel_path, "/k/vmlinuz");
	vc_test_set(&f.c->entropy_source, "/dev/urandom,id=x");
	build_fails(&f, "entropy_source");
	vc_test_set(&f.c->entropy_source, "/dev/urandom");
	vc_test_set(&f.c->machine_type, "q35,smm=on");
	build_fails(&f, "machine_type");
	vc_test_set(&f.c->machine_type, "q35");
	/* a sandbox dir with a comma: vcrun's own paths are escaped, not refused */
	f.r.sandbox_dir = "/run/a,b/sb1";
	build_ok(&f);
	expect_opts(&f, "-qmp", "unix:/run/a,,b/sb1/qmp.sock,server=on,wait=off", NULL);
	expect_opts(&f, "-pidfile", "/run/a,b/sb1/qemu.pid", NULL);
	/* a socket path that would not fit sun_path */
	char dir[160];
	memset(dir, 'x', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	f.r.sandbox_dir = dir;
	build_fails(&f, "unix socket allows 107");
	f.r.sandbox_dir = DIR;
	f.r.id = "bad,id";
	build_fails(&f, "invalid sandbox id");
	f.r.id = "sb1";
	f.r.arch = "riscv64";
	build_fails(&f, "unknown architecture 'riscv64'");
	fx_free(&f);
}
END_TEST

/* The argv is appended to what *out holds; a failure leaves *out as it was. */
START_TEST(test_append_and_untouched_on_failure)
{
	fx f;
	fx_init(&f);
	vc_error *err = NULL;
	vc_argv a = VC_ARGV_INIT;
	vc_argv_append(&a, "prefix");
	ck_assert_int_eq(vc_qemu_build_argv(&f.r, &a, &err), 0);
	ck_assert_str_eq(a.v[0], "prefix");
	ck_assert_str_eq(a.v[1], "/usr/bin/qemu-system-x86_64");
	size_t n = a.n;
	f.c->default_maxvcpus = 0; /* fails late, in -smp */
	ck_assert_int_lt(vc_qemu_build_argv(&f.r, &a, &err), 0);
	ck_assert_uint_eq(a.n, n);
	ck_assert_ptr_null(a.v[n]);
	vc_error_free(err);
	vc_argv_free(&a);
	fx_free(&f);
}
END_TEST

TCase *vc_qemu_argv_tcase(void)
{
	TCase *tc = tcase_create("argv");
	tcase_add_test(tc, test_base_x86_64_full);
	tcase_add_test(tc, test_base_aarch64);
	tcase_add_test(tc, test_kvm_x86_64);
	tcase_add_test(tc, test_pc_bridges);
	tcase_add_test(tc, test_scsi_matrix);
	tcase_add_test(tc, test_virtio_blk_pool);
	tcase_add_test(tc, test_disable_block_device_use);
	tcase_add_test(tc, test_drive_cache_and_aio);
	tcase_add_test(tc, test_image_nvdimm_and_virtio_blk);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_memory_backends);
	tcase_add_test(tc, test_smp);
	tcase_add_test(tc, test_kernel_params_order);
	tcase_add_test(tc, test_firmware_sandbox_hypervisor_params);
	tcase_add_test(tc, test_paths_and_commas);
	tcase_add_test(tc, test_append_and_untouched_on_failure);
	return tc;
}
