/* The mock backend's fake QEMU, driven by the real QMP client: it must answer as QEMU does
 * where vcrun can tell (prelaunch, stop/cont, hotplug errors, DEVICE_DELETED only while the
 * vCPUs run, injected failures, quit). */
#include <config.h>
#include "suites.h"
#include "hv/hv.h"
#include "qemu/qmp.h"
#include "util/xalloc.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct fixture {
	char *dir, *qmp, *console, *log, *disk;
	pid_t pid;
	vc_qmp *q;
} fixture;

static void start_mock(fixture *f, const char *extra)
{
	f->dir = xstrdup("/tmp/vcrun-check-mockvm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	f->qmp = xasprintf("%s/qmp.sock", f->dir);
	f->console = xasprintf("%s/console.sock", f->dir);
	f->log = xasprintf("%s/console.log", f->dir);
	f->disk = xasprintf("%s/disk.img", f->dir);
	FILE *d = fopen(f->disk, "w");
	fclose(d);
	f->pid = fork();
	if (f->pid == 0) {
		char *argv[] = {
		    "__mock-vm", "--qmp",  f->qmp, "--console", f->console, "--console-log",
		    f->log,	 "--cpus", "1",	   "--maxcpus", "3",	    (char *)extra,
		    NULL,	 NULL};
		if (extra && strcmp(extra, "--fail") == 0)
			argv[12] = "start";
		int argc = 0;
		while (argv[argc])
			argc++;
		_exit(vc_mock_vm_main(argc, argv));
	}
	for (int i = 0; i < 500 && !f->q; i++) {
		f->q = vc_qmp_connect(f->qmp, 1000, NULL);
		if (!f->q)
			usleep(10000);
	}
	ck_assert_ptr_nonnull(f->q);
}

static int stop_mock(fixture *f, bool exits)
{
	if (f->q)
		vc_qmp_close(f->q);
	if (!exits)
		kill(f->pid, SIGKILL);
	int status = 0;
	pid_t w = 0;
	/* A mock that is shutting down gets 2 s to exit on its own. */
	for (int i = 0; i < 200 && (w = waitpid(f->pid, &status, WNOHANG)) == 0; i++)
		usleep(10000);
	if (w == 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, &status, 0);
	}
	char *cmd[] = {"rm", "-rf", f->dir, NULL};
	pid_t p = fork();
	if (p == 0) {
		execv("/bin/rm", cmd);
		_exit(127);
	}
	waitpid(p, NULL, 0);
	free(f->dir);
	free(f->qmp);
	free(f->console);
	free(f->log);
	free(f->disk);
	return status;
}

static const char *status_of(fixture *f)
{
	static char buf[32];
	json_t *r = vc_qmp_execute(f->q, "query-status", NULL, 2000, NULL);
	ck_assert_ptr_nonnull(r);
	snprintf(buf, sizeof(buf), "%s", json_string_value(json_object_get(r, "status")));
	json_decref(r);
	return buf;
}

static void ok(fixture *f, const char *cmd, json_t *args)
{
	vc_error *e = NULL;
	json_t *r = vc_qmp_execute(f->q, cmd, args, 2000, &e);
	ck_assert_msg(r != NULL, "%s: %s", cmd, e ? e->msg : "?");
	json_decref(r);
}

static char *failing(fixture *f, const char *cmd, json_t *args)
{
	vc_error *e = NULL;
	json_t *r = vc_qmp_execute(f->q, cmd, args, 2000, &e);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(e->code, VC_ERR_PROTOCOL);
	char *msg = xstrdup(e->msg);
	vc_error_free(e);
	return msg;
}

START_TEST(test_run_states)
{
	fixture f = {0};
	start_mock(&f, NULL);
	ck_assert_str_eq(status_of(&f), "prelaunch");
	ok(&f, "cont", NULL);
	ck_assert_str_eq(status_of(&f), "running");
	json_t *ev = vc_qmp_wait_event(f.q, "RESUME", NULL, NULL, 2000, NULL);
	ck_assert_ptr_nonnull(ev);
	json_decref(ev);
	ok(&f, "stop", NULL);
	ck_assert_str_eq(status_of(&f), "paused");
	/* A paused guest does not react to the power button. */
	ok(&f, "system_powerdown", NULL);
	ck_assert_ptr_null(vc_qmp_wait_event(f.q, "SHUTDOWN", NULL, NULL, 200, NULL));
	ok(&f, "cont", NULL);
	ok(&f, "system_powerdown", NULL);
	ev = vc_qmp_wait_event(f.q, "SHUTDOWN", NULL, NULL, 2000, NULL);
	ck_assert_ptr_nonnull(ev);
	ck_assert(json_is_true(json_object_get(json_object_get(ev, "data"), "guest")));
	json_decref(ev);
	int status = stop_mock(&f, true);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_unknown_and_quit)
{
	fixture f = {0};
	start_mock(&f, NULL);
	char *m = failing(&f, "frobnicate", NULL);
	ck_assert_ptr_nonnull(strstr(m, "CommandNotFound"));
	free(m);
	ck_assert_int_eq(vc_qmp_quit(f.q, 2000, NULL), 0);
	int status = stop_mock(&f, true);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_block_hotplug)
{
	fixture f = {0};
	start_mock(&f, NULL);
	char *m = failing(&f, "blockdev-add",
			  json_pack("{s:s,s:s,s:{s:s,s:s}}", "driver", "raw", "node-name", "n1",
				    "file", "driver", "file", "filename", "/nonexistent/x.img"));
	ck_assert_ptr_nonnull(strstr(m, "Could not open"));
	free(m);
	ok(&f, "blockdev-add",
	   json_pack("{s:s,s:s,s:{s:s,s:s}}", "driver", "raw", "node-name", "n1", "file", "driver",
		     "file", "filename", f.disk));
	m = failing(&f, "blockdev-add",
		    json_pack("{s:s,s:s,s:{s:s,s:s}}", "driver", "raw", "node-name", "n1", "file",
			      "driver", "file", "filename", f.disk));
	ck_assert_ptr_nonnull(strstr(m, "Duplicate"));
	free(m);
	ok(&f, "device_add",
	   json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "driver", "scsi-hd", "id", "d1", "drive", "n1",
		     "bus", "scsi0.0", "scsi-id", 0, "lun", 0));
	m = failing(&f, "blockdev-del", json_pack("{s:s}", "node-name", "n1"));
	ck_assert_ptr_nonnull(strstr(m, "busy"));
	free(m);
	/* Not running: device_del is accepted but the guest does not release the device. */
	ok(&f, "device_del", json_pack("{s:s}", "id", "d1"));
	ck_assert_ptr_null(vc_qmp_wait_event(f.q, "DEVICE_DELETED", "device", "d1", 200, NULL));
	ok(&f, "cont", NULL);
	json_t *ev = vc_qmp_wait_event(f.q, "DEVICE_DELETED", "device", "d1", 2000, NULL);
	ck_assert_ptr_nonnull(ev);
	json_decref(ev);
	ok(&f, "blockdev-del", json_pack("{s:s}", "node-name", "n1"));
	m = failing(&f, "device_del", json_pack("{s:s}", "id", "d1"));
	ck_assert_ptr_nonnull(strstr(m, "DeviceNotFound"));
	free(m);
	stop_mock(&f, false);
}
END_TEST

START_TEST(test_cpus)
{
	fixture f = {0};
	start_mock(&f, NULL);
	json_t *r = vc_qmp_execute(f.q, "query-hotpluggable-cpus", NULL, 2000, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(json_array_size(r), 3);
	size_t plugged = 0, i;
	json_t *c;
	json_array_foreach(r, i, c) plugged += json_object_get(c, "qom-path") != NULL;
	ck_assert_uint_eq(plugged, 1);
	json_decref(r);
	ok(&f, "device_add",
	   json_pack("{s:s,s:s,s:i,s:i,s:i}", "driver", "mock-x86_64-cpu", "id", "cpu1",
		     "socket-id", 1, "core-id", 0, "thread-id", 0));
	char *m = failing(
	    &f, "device_add",
	    json_pack("{s:s,s:s,s:i}", "driver", "mock-x86_64-cpu", "id", "cpu1b", "socket-id", 1));
	free(m);
	stop_mock(&f, false);
}
END_TEST

START_TEST(test_injected_failures)
{
	fixture f = {0};
	start_mock(&f, "--fail");
	char *m = failing(&f, "cont", NULL);
	ck_assert_ptr_nonnull(strstr(m, "injected failure"));
	free(m);
	ck_assert_str_eq(status_of(&f), "prelaunch");
	ok(&f, "cont", NULL); /* consumed: the next one works */
	ok(&f, "x-vcrun-mock-fail", json_pack("{s:s}", "op", "pause"));
	m = failing(&f, "stop", NULL);
	free(m);
	ck_assert_str_eq(status_of(&f), "running");
	stop_mock(&f, false);
}
END_TEST

Suite *mockvm_suite(void)
{
	Suite *s = suite_create("mockvm");
	TCase *tc = tcase_create("qmp");
	tcase_add_test(tc, test_run_states);
	tcase_add_test(tc, test_unknown_and_quit);
	tcase_add_test(tc, test_block_hotplug);
	tcase_add_test(tc, test_cpus);
	tcase_add_test(tc, test_injected_failures);
	suite_add_tcase(s, tc);
	return s;
}
