/* Host probes on fixture files: MemTotal (malformed lines skipped) and RunningOnVMM. */
#include <config.h>
#include "suites.h"
#include "host/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *fixture(const char *content)
{
	char *path = strdup("/tmp/vcrun-probe-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static uint64_t memtotal(const char *content, int *ret)
{
	char *p = fixture(content);
	uint64_t kb = 0;
	vc_error *err = NULL;
	*ret = vc_host_memtotal_kb(p, &kb, &err);
	vc_error_free(err);
	unlink(p);
	free(p);
	return kb;
}

START_TEST(test_memtotal)
{
	int r;
	ck_assert_uint_eq(memtotal("MemTotal:       16333532 kB\nMemFree: 1 kB\n", &r), 16333532);
	ck_assert_int_eq(r, 0);
	/* malformed lines before the good one are skipped */
	ck_assert_uint_eq(memtotal("MemTotal:\nMemTotal: x kB\nMemTotal 5 kB\nMemTotal: 12 MB\n"
				   "junk\nMemTotal:\t2048 kB\n",
				   &r),
			  2048);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(memtotal("MemTotal: 99999999999999999999999 kB\nMemTotal: 7\n", &r), 7);
	memtotal("MemFree: 1 kB\n", &r);
	ck_assert_int_lt(r, 0);
	memtotal("", &r);
	ck_assert_int_lt(r, 0);

	uint64_t kb;
	vc_error *err = NULL;
	ck_assert_int_lt(vc_host_memtotal_kb("/nonexistent/meminfo", &kb, &err), 0);
	ck_assert_ptr_nonnull(err);
	vc_error_free(err);
	/* the fixture shipped for the shell tests */
	char *p = NULL;
	if (asprintf(&p, "%s/tests/config/fixtures/meminfo-malformed", vc_test_srcdir()) > 0) {
		err = NULL;
		ck_assert_int_eq(vc_host_memtotal_kb(p, &kb, &err), 0);
		ck_assert_uint_eq(kb, 1048576);
	}
	free(p);
}
END_TEST

static int on_vmm(const char *content, bool *v)
{
	char *p = fixture(content);
	vc_error *err = NULL;
	int r = vc_host_running_on_vmm(p, v, &err);
	vc_error_free(err);
	unlink(p);
	free(p);
	return r;
}

START_TEST(test_running_on_vmm)
{
	bool v = false;
	ck_assert_int_eq(on_vmm("processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n", &v), 0);
	ck_assert(v);
	ck_assert_int_eq(on_vmm("flags\t\t: fpu vme lahf_lm\n", &v), 0);
	ck_assert(!v);
	/* only the first flags line counts */
	ck_assert_int_eq(on_vmm("flags : fpu\nflags : hypervisor\n", &v), 0);
	ck_assert(!v);
	/* a flag that merely contains the word does not count */
	ck_assert_int_eq(on_vmm("flags : hypervisors xhypervisor\n", &v), 0);
	ck_assert(!v);
	/* "flagsfoo" is not a flags line */
	ck_assert_int_eq(on_vmm("flagsx : hypervisor\nflags: hypervisor\n", &v), 0);
	ck_assert(v);
	ck_assert_int_lt(on_vmm("processor : 0\n", &v), 0);
	vc_error *err = NULL;
	ck_assert_int_lt(vc_host_running_on_vmm("/nonexistent/cpuinfo", &v, &err), 0);
	vc_error_free(err);
}
END_TEST

START_TEST(test_host)
{
	ck_assert_uint_ge(vc_host_cpu_count(), 1);
	ck_assert(!vc_host_kvm_usable("/nonexistent/kvm"));
}
END_TEST

Suite *probe_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_memtotal);
	tcase_add_test(tc, test_running_on_vmm);
	tcase_add_test(tc, test_host);
	suite_add_tcase(s, tc);
	return s;
}
