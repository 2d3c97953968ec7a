/* vc_qmp_query_many against scripted QMP servers, one forked child per unix socket: the answers
 * reach the right items, every failure is per item, and the requests are pipelined (a server
 * that reads both requests before it greets only works with a client that does not wait). */
#include <config.h>
#include "suites.h"
#include "qemu/qmp_many.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/xalloc.h"

#define GREETING "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n"

typedef enum {
	SRV_STATUS, /* reads both requests first, then greets and answers with a status */
	SRV_GARBAGE,
	SRV_CLOSE,  /* greets, then hangs up */
	SRV_SILENT, /* accepts and says nothing */
	SRV_ERROR,  /* answers the query with a QMP error */
} srv_mode;

static char *read_line(int fd)
{
	char *s = xmalloc(512);
	size_t n = 0;
	while (n < 511) {
		ssize_t r = read(fd, s + n, 1);
		if (r <= 0)
			break;
		if (s[n] == '\n')
			break;
		n++;
	}
	s[n] = '\0';
	return s;
}

static void put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(3);
}

/* The child's side of one connection; exits 2 when the client's requests were not right. */
static void serve_one(int c, srv_mode mode, const char *status)
{
	if (mode == SRV_SILENT) {
		pause();
		_exit(0);
	}
	if (mode == SRV_GARBAGE) {
		free(read_line(c));
		put(c, "this is not QMP\n");
		_exit(0);
	}
	if (mode == SRV_CLOSE) {
		put(c, GREETING);
		_exit(0);
	}
	char *caps = read_line(c), *query = read_line(c);
	if (!strstr(caps, "\"qmp_capabilities\"") || !strstr(caps, "\"id\":1") ||
	    !strstr(query, "\"query-status\"") || !strstr(query, "\"id\":2"))
		_exit(2);
	put(c, GREETING);
	put(c, "{\"return\": {}, \"id\": 1}\r\n");
	put(c, "{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n");
	if (mode == SRV_ERROR) {
		put(c, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"nope\"}, \"id\": "
		       "2}\r\n");
	} else {
		char buf[160];
		snprintf(buf, sizeof(buf), "{\"return\": {\"status\": \"%s\"}, \"id\": 2}\r\n",
			 status);
		put(c, buf);
	}
	free(caps);
	free(query);
	free(read_line(c)); /* until the client hangs up */
	_exit(0);
}

static pid_t start_server(const char *path, srv_mode mode, const char *status)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			_exit(4);
		serve_one(c, mode, status);
	}
	close(fd);
	return pid;
}

/* The server's exit status once it ends by itself (after the client hung up). */
static int wait_server(pid_t pid)
{
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void stop_server(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

typedef struct fixture {
	char dir[64];
	char path[8][128];
	pid_t pid[8];
	vc_qmp_many_item item[8];
	size_t n;
} fixture;

static void add(fixture *f, srv_mode mode, const char *status)
{
	size_t i = f->n++;
	char dir[sizeof(f->dir)];
	memcpy(dir, f->dir, sizeof(dir));
	snprintf(f->path[i], sizeof(f->path[i]), "%s/s%zu.sock", dir, i);
	f->pid[i] = start_server(f->path[i], mode, status);
	f->item[i].socket_path = f->path[i];
}

static void fixture_init(fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/vc-qmpmany-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
}

static void fixture_end(fixture *f)
{
	for (size_t i = 0; i < f->n; i++) {
		json_decref(f->item[i].ret);
		vc_error_free(f->item[i].err);
		if (f->pid[i] > 0)
			stop_server(f->pid[i]);
		unlink(f->path[i]);
	}
	rmdir(f->dir);
}

static const char *status_of(const fixture *f, size_t i)
{
	return json_string_value(json_object_get(f->item[i].ret, "status"));
}

START_TEST(test_statuses_reach_their_items)
{
	fixture f;
	fixture_init(&f);
	static const char *const st[] = {"running", "paused", "prelaunch", "running", "shutdown"};
	for (size_t i = 0; i < 5; i++)
		add(&f, SRV_STATUS, st[i]);
	/* max_open 2: the rest wait for a free slot */
	ck_assert_uint_eq(vc_qmp_query_many(f.item, f.n, "query-status", 5000, 2), 0);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_ptr_null(f.item[i].err);
		ck_assert_str_eq(status_of(&f, i), st[i]);
	}
	for (size_t i = 0; i < f.n; i++) {
		ck_assert_int_eq(wait_server(f.pid[i]), 0); /* 2: requests not as expected */
		f.pid[i] = 0;
	}
	fixture_end(&f);
}
END_TEST

START_TEST(test_failures_are_per_item)
{
	fixture f;
	fixture_init(&f);
	add(&f, SRV_STATUS, "paused");
	add(&f, SRV_GARBAGE, NULL);
	add(&f, SRV_CLOSE, NULL);
	add(&f, SRV_ERROR, NULL);
	add(&f, SRV_STATUS, "running");
	/* a socket nobody listens on */
	char dir[sizeof(f.dir)];
	memcpy(dir, f.dir, sizeof(dir));
	snprintf(f.path[f.n], sizeof(f.path[f.n]), "%s/none.sock", dir);
	f.item[f.n].socket_path = f.path[f.n];
	f.n++;
	ck_assert_uint_eq(vc_qmp_query_many(f.item, f.n, "query-status", 5000, 0), 4);
	ck_assert_str_eq(status_of(&f, 0), "paused");
	ck_assert_int_eq(f.item[1].err->code, VC_ERR_PROTOCOL);
	ck_assert_int_eq(f.item[2].err->code, VC_ERR_IO);
	ck_assert_ptr_nonnull(strstr(f.item[2].err->msg, "connection closed"));
	ck_assert_int_eq(f.item[3].err->code, VC_ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(f.item[3].err->msg, "GenericError: nope"));
	ck_assert_str_eq(status_of(&f, 4), "running");
	ck_assert_ptr_nonnull(f.item[5].err);
	ck_assert_ptr_nonnull(strstr(f.item[5].err->msg, "none.sock"));
	fixture_end(&f);
}
END_TEST

START_TEST(test_silent_server_times_out_alone)
{
	fixture f;
	fixture_init(&f);
	add(&f, SRV_SILENT, NULL);
	add(&f, SRV_STATUS, "running");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_uint_eq(vc_qmp_query_many(f.item, f.n, "query-status", 300, 0), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(f.item[0].err->code, VC_ERR_TIMEOUT);
	ck_assert_str_eq(status_of(&f, 1), "running");
	/* bounded by the timeout (generous margin for a loaded machine) */
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	fixture_end(&f);
}
END_TEST

START_TEST(test_no_items)
{
	ck_assert_uint_eq(vc_qmp_query_many(NULL, 0, "query-status", 100, 0), 0);
	ck_assert_uint_ge(vc_qmp_many_default_open(), 16);
}
END_TEST

Suite *qmpmany_suite(void)
{
	Suite *s = suite_create("qmpmany");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_statuses_reach_their_items);
	tcase_add_test(tc, test_failures_are_per_item);
	tcase_add_test(tc, test_silent_server_times_out_alone);
	tcase_add_test(tc, test_no_items);
	suite_add_tcase(s, tc);
	return s;
}
