/* Host checks: CPU, kernel modules and their parameters, /dev/kvm, QEMU, hugepages, vsock. */
#include <config.h>
#include "host/check.h"
#include "host/probe.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *vc_check_status_name(vc_check_status s)
{
	switch (s) {
	case VC_CHECK_OK:
		return "ok";
	case VC_CHECK_WARNING:
		return "warning";
	case VC_CHECK_MISSING:
		return "missing";
	}
	return "unknown";
}

static char *rooted(const char *root, const char *path)
{
	if (!root || !*root || strcmp(root, "/") == 0)
		return xstrdup(path);
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, root, path);
}

static void add_item(vc_host_report *r, const char *name, vc_check_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_item(vc_host_report *r, const char *name, vc_check_status st, const char *fmt, ...)
{
	r->items = xreallocarray(r->items, r->n + 1, sizeof(*r->items));
	va_list ap;
	va_start(ap, fmt);
	r->items[r->n].detail = xvasprintf(fmt, ap);
	va_end(ap);
	r->items[r->n].name = xstrdup(name);
	r->items[r->n].status = st;
	vc_debug("check %s: %s: %s", name, vc_check_status_name(st), r->items[r->n].detail);
	r->n++;
}

/* Value of the first "key<blanks>: value" line of a /proc text file, trimmed. */
static char *proc_field(FILE *f, const char *key)
{
	rewind(f);
	cleanup_free char *line = NULL;
	size_t cap = 0;
	size_t klen = strlen(key);
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, key, klen) != 0)
			continue;
		const char *p = line + klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ':')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t n = strlen(p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		return xstrndup(p, n);
	}
	return NULL;
}

static bool path_exists(const char *root, const char *path)
{
	cleanup_free char *p = rooted(root, path);
	struct stat st;
	return stat(p, &st) == 0;
}

/* First line of a small sysfs file, trimmed; NULL if unreadable. */
static char *read_line(const char *root, const char *path)
{
	cleanup_free char *p = rooted(root, path);
	cleanup_file FILE *f = fopen(p, "re");
	if (!f)
		return NULL;
	char buf[256];
	if (!fgets(buf, sizeof(buf), f))
		return NULL;
	size_t n = strlen(buf);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return xstrdup(buf);
}

int vc_host_probe_kvm(const char *dev_kvm, char **why)
{
	struct stat st;
	if (stat(dev_kvm, &st) < 0) {
		*why = xasprintf("%s: %s", dev_kvm, strerror(errno));
		return -1;
	}
	if (!S_ISCHR(st.st_mode)) {
		*why = xasprintf("%s is not a character device", dev_kvm);
		return -1;
	}
	cleanup_close int fd = open(dev_kvm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("cannot open %s: %s", dev_kvm, strerror(errno));
		return -1;
	}
	int api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		*why = api < 0 ? xasprintf("%s: KVM_GET_API_VERSION: %s", dev_kvm, strerror(errno))
			       : xasprintf("%s: KVM API version %d, expected %d", dev_kvm, api,
					   KVM_API_VERSION);
		return -1;
	}
	cleanup_close int vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		*why = xasprintf("%s: KVM_CREATE_VM: %s", dev_kvm, strerror(errno));
		return -1;
	}
	return 0;
}

char *vc_host_qemu_version(const char *qemu_path, char **first_line, vc_error **err)
{
	if (access(qemu_path, X_OK) < 0)
		return vc_error_set_errno(err, errno, "'%s' is not executable", qemu_path), NULL;
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return vc_error_set_errno(err, errno, "pipe"), NULL;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return vc_error_set_errno(err, e, "fork"), NULL;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		if (dup2(pipefd[1], STDOUT_FILENO) < 0 || devnull < 0 ||
		    dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0)
			_exit(127);
		char *const args[] = {(char *)qemu_path, (char *)"--version", NULL};
		execv(qemu_path, args);
		_exit(127);
	}
	close(pipefd[1]);
	char buf[4096];
	size_t used = 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	bool timed_out = false;
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long elapsed =
		    (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= 5000) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
		int pr = poll(&pfd, 1, (int)(5000 - elapsed));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			timed_out = pr == 0;
			break;
		}
		ssize_t n = read(pipefd[0], buf + used, sizeof(buf) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof(buf) - 1)
			break;
	}
	close(pipefd[0]);
	buf[used] = '\0';
	if (timed_out)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		return vc_error_set(err, VC_ERR_TIMEOUT, "'%s --version' did not finish within 5 s",
				    qemu_path),
		       NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return vc_error_set(err, VC_ERR_GENERIC, "'%s --version' failed (%s %d)", qemu_path,
				    WIFEXITED(status) ? "exit status" : "signal",
				    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)),
		       NULL;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	const char *marker = "version ";
	const char *v = strstr(buf, marker);
	if (!v)
		return vc_error_set(err, VC_ERR_PROTOCOL, "'%s --version' printed no version: '%s'",
				    qemu_path, buf),
		       NULL;
	v += strlen(marker);
	size_t len = strspn(v, "0123456789.");
	if (len == 0)
		return vc_error_set(err, VC_ERR_PROTOCOL, "'%s --version' printed no version: '%s'",
				    qemu_path, buf),
		       NULL;
	if (first_line)
		*first_line = xstrdup(buf);
	return xstrndup(v, len);
}

/* CPU: vendor, hardware virtualisation, long mode, SSE4.1, nesting. Returns whether the CPU
 * part allows KVM. */
static bool check_cpu(const char *root, vc_host_report *r, bool *cpuinfo_read)
{
	cleanup_free char *path = rooted(root, "/proc/cpuinfo");
	cleanup_file FILE *f = fopen(path, "re");
	if (!f) {
		*cpuinfo_read = false;
		add_item(r, "cpu", VC_CHECK_MISSING, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	*cpuinfo_read = true;
	r->cpu_vendor = proc_field(f, "vendor_id");
	r->cpu_model = proc_field(f, "model name");
	bool intel = r->cpu_vendor && strcmp(r->cpu_vendor, "GenuineIntel") == 0;
	bool amd = r->cpu_vendor && strcmp(r->cpu_vendor, "AuthenticAMD") == 0;
	if (intel || amd)
		add_item(r, "cpu-vendor", VC_CHECK_OK, "%s (%s)", r->cpu_vendor,
			 r->cpu_model ? r->cpu_model : "unknown model");
	else
		add_item(r, "cpu-vendor", VC_CHECK_WARNING,
			 "%s: neither Intel nor AMD, KVM support unknown",
			 r->cpu_vendor ? r->cpu_vendor : "no vendor_id in cpuinfo");
	/* Flags and nesting through lib/host/probe, which reads the first "flags" line as the
	 * seed's RunningOnVMM did. */
	bool vmx = false, svm = false, lm = false, sse41 = false;
	vc_error *err = NULL;
	if (vc_host_cpu_has_flag(path, "vmx", &vmx, &err) < 0 ||
	    vc_host_cpu_has_flag(path, "svm", &svm, &err) < 0 ||
	    vc_host_cpu_has_flag(path, "lm", &lm, &err) < 0 ||
	    vc_host_cpu_has_flag(path, "sse4_1", &sse41, &err) < 0 ||
	    vc_host_running_on_vmm(path, &r->nested, &err) < 0) {
		add_item(r, "cpu-flags", VC_CHECK_MISSING, "%s", err->msg);
		vc_error_free(err);
		return false;
	}
	bool ok = true;
	const char *virt = vmx ? "vmx" : svm ? "svm" : NULL;
	if (virt) {
		add_item(r, "cpu-virtualisation", VC_CHECK_OK, "%s (%s)", virt,
			 strcmp(virt, "vmx") == 0 ? "Intel VT-x" : "AMD-V");
	} else {
		add_item(r, "cpu-virtualisation", VC_CHECK_MISSING,
			 "neither vmx nor svm in the CPU flags: no hardware virtualisation");
		ok = false;
	}
	if (lm) {
		add_item(r, "cpu-lm", VC_CHECK_OK, "64-bit long mode");
	} else {
		add_item(r, "cpu-lm", VC_CHECK_MISSING,
			 "no lm flag: the CPU cannot run 64-bit guests");
		ok = false;
	}
	if (sse41)
		add_item(r, "cpu-sse4_1", VC_CHECK_OK, "SSE4.1");
	else
		add_item(r, "cpu-sse4_1", VC_CHECK_MISSING,
			 "no sse4_1 flag: guest kernels built for x86-64-v2 will not boot with "
			 "-cpu host");
	if (r->nested)
		add_item(
		    r, "nesting", VC_CHECK_WARNING,
		    "the host is itself a VM (cpuinfo 'hypervisor' flag): nested virtualisation, "
		    "virtio devices get disable-modern and the CPU pmu=off unless "
		    "disable_nesting_checks is set");
	else
		add_item(r, "nesting", VC_CHECK_OK, "running on bare metal");
	return ok;
}

/* A module (/sys/module/M) and the parameters worth showing. Returns whether it is loaded. */
static bool check_module(const char *root, vc_host_report *r, const char *mod, const char *params,
			 vc_check_status if_missing, const char *missing_why)
{
	cleanup_free char *dir = xasprintf("/sys/module/%s", mod);
	cleanup_free char *item = xasprintf("module-%s", mod);
	if (!path_exists(root, dir)) {
		add_item(r, item, if_missing, "%s not loaded (no %s): %s", mod, dir, missing_why);
		return false;
	}
	/* params: space-separated names; those the module exposes are shown as name=value */
	char shown[256] = "";
	cleanup_free char *names = xstrdup(params ? params : "");
	char *save = NULL;
	for (char *p = strtok_r(names, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		cleanup_free char *pp = xasprintf("%s/parameters/%s", dir, p);
		cleanup_free char *v = read_line(root, pp);
		if (!v)
			continue;
		size_t l = strlen(shown);
		snprintf(shown + l, sizeof(shown) - l, "%s%s=%s", l ? ", " : "", p, v);
	}
	if (*shown)
		add_item(r, item, VC_CHECK_OK, "loaded (%s)", shown);
	else
		add_item(r, item, VC_CHECK_OK, "loaded");
	return true;
}

static void check_hugepages(const char *root, vc_host_report *r)
{
	cleanup_free char *path = rooted(root, "/proc/meminfo");
	cleanup_file FILE *f = fopen(path, "re");
	cleanup_free char *total = f ? proc_field(f, "HugePages_Total") : NULL;
	cleanup_free char *size = f ? proc_field(f, "Hugepagesize") : NULL;
	/* Sizes the kernel offers, from /sys/kernel/mm/hugepages/hugepages-<N>kB. */
	cleanup_free char *pattern = rooted(root, "/sys/kernel/mm/hugepages/hugepages-*");
	glob_t g;
	char sizes[256] = "";
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *b = strrchr(g.gl_pathv[i], '/');
			b = b ? b + 1 + strlen("hugepages-") : g.gl_pathv[i];
			size_t l = strlen(sizes);
			snprintf(sizes + l, sizeof(sizes) - l, "%s%s", l ? " " : "", b);
		}
		globfree(&g);
	}
	if (!total) {
		add_item(r, "hugepages", VC_CHECK_WARNING,
			 "no HugePages_Total in %s: enable_hugepages "
			 "will not work",
			 path);
		return;
	}
	long n = strtol(total, NULL, 10);
	if (n > 0)
		add_item(r, "hugepages", VC_CHECK_OK, "%ld reserved of %s (sizes: %s)", n,
			 size ? size : "unknown size", *sizes ? sizes : "none listed");
	else
		add_item(r, "hugepages", VC_CHECK_WARNING,
			 "none reserved (HugePages_Total 0; sizes: %s): enable_hugepages needs "
			 "vm.nr_hugepages > 0",
			 *sizes ? sizes : "none listed");
}

int vc_host_check(const vc_host_check_opts *opts, vc_host_report *out, vc_error **err)
{
	vc_host_check_opts defaults = {0};
	if (!opts)
		opts = &defaults;
	const char *root = opts->root;
	memset(out, 0, sizeof(*out));

	bool cpuinfo_read;
	bool cpu_ok = check_cpu(root, out, &cpuinfo_read);
	if (!cpuinfo_read) {
		cleanup_free char *p = rooted(root, "/proc/cpuinfo");
		vc_error_set(err, VC_ERR_NOT_FOUND, "cannot read '%s': is '%s' a host root?", p,
			     root && *root ? root : "/");
		vc_host_report_free(out);
		return -1;
	}
	bool intel = out->cpu_vendor && strcmp(out->cpu_vendor, "GenuineIntel") == 0;
	bool amd = out->cpu_vendor && strcmp(out->cpu_vendor, "AuthenticAMD") == 0;

	bool mods_ok = check_module(root, out, "kvm", NULL, VC_CHECK_MISSING,
				    "KVM is unavailable (modprobe kvm)");
	if (intel || !amd)
		mods_ok &= check_module(root, out, "kvm_intel", "nested ept unrestricted_guest",
					VC_CHECK_MISSING,
					"Intel VT-x is unavailable (modprobe kvm_intel)");
	if (amd)
		mods_ok &= check_module(root, out, "kvm_amd", "nested npt", VC_CHECK_MISSING,
					"AMD-V is unavailable (modprobe kvm_amd)");
	check_module(root, out, "vhost", NULL, VC_CHECK_WARNING,
		     "vhost devices (in-kernel virtio back-ends) cannot be used");
	check_module(root, out, "vhost_net", NULL, VC_CHECK_WARNING,
		     "networking falls back to QEMU's slower user-space virtio-net");
	check_module(root, out, "vhost_vsock", NULL, VC_CHECK_WARNING,
		     "optional: no vsock channel to the guest agent");

	vc_kvm_probe_fn probe = opts->kvm_probe ? opts->kvm_probe : vc_host_probe_kvm;
	cleanup_free char *dev_kvm = rooted(root, "/dev/kvm");
	cleanup_free char *why = NULL;
	bool kvm_dev = probe(dev_kvm, &why) == 0;
	if (kvm_dev)
		add_item(out, "dev-kvm", VC_CHECK_OK, "%s usable (KVM_CREATE_VM succeeded)",
			 dev_kvm);
	else
		add_item(out, "dev-kvm", VC_CHECK_MISSING, "%s", why ? why : "unusable");

	cleanup_free char *vsock = rooted(root, "/dev/vhost-vsock");
	struct stat st;
	if (stat(vsock, &st) == 0 && S_ISCHR(st.st_mode))
		add_item(out, "dev-vhost-vsock", VC_CHECK_OK, "%s present", vsock);
	else
		add_item(out, "dev-vhost-vsock", VC_CHECK_WARNING,
			 "%s absent: vhost-vsock-pci devices cannot be used (optional)", vsock);

	check_hugepages(root, out);

	const char *qemu =
	    opts->qemu_path && *opts->qemu_path ? opts->qemu_path : VC_DEFAULT_QEMU_PATH;
	vc_error *qerr = NULL;
	cleanup_free char *line = NULL;
	out->qemu_version = vc_host_qemu_version(qemu, &line, &qerr);
	if (out->qemu_version) {
		add_item(out, "qemu", VC_CHECK_OK, "%s: %s", qemu, line);
	} else {
		add_item(out, "qemu", VC_CHECK_MISSING, "%s", qerr ? qerr->msg : "does not run");
		vc_error_free(qerr);
	}

	out->can_run = out->qemu_version != NULL;
	out->kvm = cpu_ok && mods_ok && kvm_dev;
	if (out->can_run && !out->kvm)
		add_item(out, "accelerator", VC_CHECK_WARNING,
			 "KVM unusable: VMs run under TCG (software emulation), many times slower");
	else if (out->can_run)
		add_item(out, "accelerator", VC_CHECK_OK, "KVM");
	else
		add_item(out, "accelerator", VC_CHECK_MISSING, "no usable QEMU");

	if (out->kvm && out->can_run) {
		out->verdict = xstrdup("this host can run vcrun VMs with KVM");
	} else if (out->can_run) {
		/* Name every failed check that KVM needed. */
		char reasons[512] = "";
		for (size_t i = 0; i < out->n; i++) {
			if (out->items[i].status != VC_CHECK_MISSING)
				continue;
			size_t l = strlen(reasons);
			snprintf(reasons + l, sizeof(reasons) - l, "%s%s", l ? ", " : "",
				 out->items[i].name);
		}
		out->verdict = xasprintf("this host can run vcrun VMs with TCG only (slow); KVM "
					 "needs: %s",
					 *reasons ? reasons : "a working /dev/kvm");
	} else {
		out->verdict =
		    xasprintf("this host cannot run vcrun VMs: QEMU '%s' does not run", qemu);
	}
	return 0;
}

void vc_host_report_free(vc_host_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].name);
		free(r->items[i].detail);
	}
	free(r->items);
	free(r->cpu_vendor);
	free(r->cpu_model);
	free(r->qemu_version);
	free(r->verdict);
	memset(r, 0, sizeof(*r));
}
