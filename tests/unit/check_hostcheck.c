/* vc_host_check against the fixture trees of tests/security/hosts, with the KVM device probe
 * replaced (a fixture tree cannot hold a character device) to reach the KVM verdicts. */
#include <config.h>
#include "suites.h"
#include "host/check.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fake_kvm_ok(const char *dev, char **why)
{
	(void)why;
	ck_assert_ptr_nonnull(strstr(dev, "/dev/kvm"));
	return 0;
}

static int fake_kvm_denied(const char *dev, char **why)
{
	*why = xasprintf("cannot open %s: Permission denied", dev);
	return -1;
}

static const vc_check_item *item(const vc_host_report *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].name, name) == 0)
			return &r->items[i];
	return NULL;
}

static bool have_qemu(void)
{
	return access(VC_DEFAULT_QEMU_PATH, X_OK) == 0;
}

static void run_fixture(const char *name, vc_kvm_probe_fn probe, vc_host_report *r)
{
	char *root = xasprintf("%s/tests/security/hosts/%s", vc_test_srcdir(), name);
	vc_host_check_opts o = {.root = root, .kvm_probe = probe};
	vc_error *err = NULL;
	ck_assert_int_eq(vc_host_check(&o, r, &err), 0);
	ck_assert_ptr_null(err);
	free(root);
}

START_TEST(test_intel_kvm)
{
	if (!have_qemu())
		return;
	vc_host_report r;
	run_fixture("intel", fake_kvm_ok, &r);
	ck_assert(r.kvm);
	ck_assert(r.can_run);
	ck_assert(!r.nested);
	ck_assert_str_eq(r.cpu_vendor, "GenuineIntel");
	ck_assert_str_eq(r.verdict, "this host can run vcrun VMs with KVM");
	ck_assert_int_eq(item(&r, "dev-kvm")->status, VC_CHECK_OK);
	ck_assert_int_eq(item(&r, "accelerator")->status, VC_CHECK_OK);
	ck_assert_str_eq(item(&r, "module-kvm_intel")->detail, "loaded (nested=Y, ept=Y)");
	/* everything ok but the vsock device node, which a fixture cannot hold */
	for (size_t i = 0; i < r.n; i++)
		ck_assert_msg(r.items[i].status == VC_CHECK_OK ||
				  strcmp(r.items[i].name, "dev-vhost-vsock") == 0,
			      "%s: %s", r.items[i].name, r.items[i].detail);
	vc_host_report_free(&r);
}
END_TEST

START_TEST(test_kvm_denied)
{
	vc_host_report r;
	run_fixture("intel", fake_kvm_denied, &r);
	ck_assert(!r.kvm);
	const vc_check_item *k = item(&r, "dev-kvm");
	ck_assert_int_eq(k->status, VC_CHECK_MISSING);
	ck_assert_ptr_nonnull(strstr(k->detail, "Permission denied"));
	if (have_qemu())
		ck_assert_ptr_nonnull(strstr(r.verdict, "TCG only (slow); KVM needs: dev-kvm"));
	vc_host_report_free(&r);
}
END_TEST

START_TEST(test_amd_and_nested)
{
	vc_host_report r;
	run_fixture("amd", fake_kvm_ok, &r);
	ck_assert_str_eq(r.cpu_vendor, "AuthenticAMD");
	ck_assert_ptr_null(item(&r, "module-kvm_intel"));
	ck_assert_str_eq(item(&r, "module-kvm_amd")->detail, "loaded (nested=1, npt=1)");
	ck_assert_ptr_nonnull(strstr(item(&r, "cpu-virtualisation")->detail, "svm"));
	ck_assert_int_eq(item(&r, "hugepages")->status, VC_CHECK_WARNING);
	ck_assert(r.kvm);
	vc_host_report_free(&r);

	run_fixture("nested", fake_kvm_ok, &r);
	ck_assert(r.nested);
	ck_assert_int_eq(item(&r, "nesting")->status, VC_CHECK_WARNING);
	ck_assert(r.kvm); /* vmx is exposed to the VM and the modules are loaded */
	vc_host_report_free(&r);
}
END_TEST

START_TEST(test_no_virt)
{
	vc_host_report r;
	run_fixture("novirt", fake_kvm_ok, &r);
	/* the device "works" but the CPU and modules do not: no KVM */
	ck_assert(!r.kvm);
	ck_assert_int_eq(item(&r, "cpu-virtualisation")->status, VC_CHECK_MISSING);
	ck_assert_int_eq(item(&r, "module-kvm")->status, VC_CHECK_MISSING);
	vc_host_report_free(&r);
}
END_TEST

START_TEST(test_no_qemu_and_bad_root)
{
	vc_host_report r;
	char *root = xasprintf("%s/tests/security/hosts/intel", vc_test_srcdir());
	vc_host_check_opts o = {.root = root, .qemu_path = "/bin/true", .kvm_probe = fake_kvm_ok};
	vc_error *err = NULL;
	ck_assert_int_eq(vc_host_check(&o, &r, &err), 0);
	ck_assert(!r.can_run);
	ck_assert_ptr_null(r.qemu_version);
	ck_assert_ptr_nonnull(strstr(item(&r, "qemu")->detail, "printed no version"));
	vc_host_report_free(&r);
	free(root);

	o.root = "/nonexistent-vcrun-root";
	ck_assert_int_eq(vc_host_check(&o, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "/nonexistent-vcrun-root/proc/cpuinfo"));
	vc_error_free(err);
}
END_TEST

START_TEST(test_qemu_version)
{
	if (!have_qemu())
		return;
	char *line = NULL;
	vc_error *err = NULL;
	char *v = vc_host_qemu_version(VC_DEFAULT_QEMU_PATH, &line, &err);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(strstr(line, v));
	ck_assert(v[0] >= '1' && v[0] <= '9');
	free(v);
	free(line);
}
END_TEST

Suite *hostcheck_suite(void)
{
	Suite *s = suite_create("hostcheck");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_intel_kvm);
	tcase_add_test(tc, test_kvm_denied);
	tcase_add_test(tc, test_amd_and_nested);
	tcase_add_test(tc, test_no_virt);
	tcase_add_test(tc, test_no_qemu_and_bad_root);
	tcase_add_test(tc, test_qemu_version);
	suite_add_tcase(s, tc);
	return s;
}
