/* The state store: ids, the root, atomic writes, locking, symlink refusal, liveness. */
#include <config.h>
#include "suites.h"
#include "sandbox/state.h"
#include "util/xalloc.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir(void)
{
	char *t = xstrdup("/tmp/vcrun-check-state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t));
	return t;
}

static void rm_rf(const char *path)
{
	pid_t p = fork();
	if (p == 0) {
		execl("/bin/rm", "rm", "-rf", path, (char *)NULL);
		_exit(127);
	}
	waitpid(p, NULL, 0);
}

static vc_sandbox_state initial(const char *id)
{
	vc_sandbox_state st = {0};
	st.id = (char *)id;
	st.bundle = "/b";
	st.hypervisor = "mock";
	st.created = "2026-01-01T00:00:00Z";
	return st;
}

START_TEST(test_id_rules)
{
	const char *good[] = {"a", "A1", "0abc", "a_b+c.d-e", "x.."};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_int_eq(vc_id_validate(good[i], NULL), 0);
	const char *bad[] = {"", ".a", "-a", "_a", "a/b", "..", "a b", "a\n", "é"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vc_error *e = NULL;
		ck_assert_int_eq(vc_id_validate(bad[i], &e), -1);
		ck_assert_int_eq(e->code, VC_ERR_USAGE);
		vc_error_free(e);
	}
	char longid[66];
	memset(longid, 'a', 65);
	longid[65] = '\0';
	ck_assert_int_eq(vc_id_validate(longid, NULL), -1);
	longid[64] = '\0';
	ck_assert_int_eq(vc_id_validate(longid, NULL), 0);
}
END_TEST

START_TEST(test_root_created_0700)
{
	char *t = tmpdir();
	char *root = xasprintf("%s/a/b/root", t);
	int fd = vc_state_root_open(root, NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct stat st;
	ck_assert_int_eq(stat(root, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	/* An existing, too open root is tightened. */
	chmod(root, 0755);
	fd = vc_state_root_open(root, NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	stat(root, &st);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	rm_rf(t);
	free(root);
	free(t);
}
END_TEST

START_TEST(test_new_open_roundtrip)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("box1");
	init.annotations = json_pack("{s:s}", "k", "v");
	vc_error *err = NULL;
	vc_sandbox *sb = vc_sandbox_new(t, "box1", &init, &err);
	json_decref(init.annotations);
	ck_assert_ptr_nonnull(sb);
	sb->st.pid = 1234;
	sb->st.pid_start = 99;
	sb->st.create_done = true;
	json_array_append_new(sb->st.devices, json_pack("{s:s}", "id", "disk-0"));
	ck_assert_int_eq(vc_state_write(sb, &err), 0);
	vc_sandbox_close(sb);

	char *path = xasprintf("%s/box1/state.json", t);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	sb = vc_sandbox_open(t, "box1", VC_LOCK_SHARED, &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(sb->has_state);
	ck_assert_str_eq(sb->st.id, "box1");
	ck_assert_str_eq(sb->st.bundle, "/b");
	ck_assert_int_eq(sb->st.pid, 1234);
	ck_assert_uint_eq(sb->st.pid_start, 99);
	ck_assert(sb->st.create_done);
	ck_assert_str_eq(json_string_value(json_object_get(sb->st.annotations, "k")), "v");
	ck_assert_uint_eq(json_array_size(sb->st.devices), 1);
	vc_sandbox_close(sb);

	/* No temporary file is left behind. */
	char **ids;
	size_t n;
	ck_assert_int_eq(vc_state_list(t, &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(ids[0], "box1");
	vc_strings_free(ids, n);
	free(path);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_exists_and_not_found)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("dup");
	vc_error *err = NULL;
	vc_sandbox *a = vc_sandbox_new(t, "dup", &init, &err);
	ck_assert_ptr_nonnull(a);
	vc_sandbox *b = vc_sandbox_new(t, "dup", &init, &err);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(err->code, VC_ERR_EXISTS);
	vc_error_free(err);
	err = NULL;
	vc_sandbox_close(a);
	ck_assert_ptr_null(vc_sandbox_open(t, "nope", VC_LOCK_SHARED, &err));
	ck_assert_int_eq(err->code, VC_ERR_NOT_FOUND);
	ck_assert_str_eq(err->msg, "sandbox 'nope' does not exist");
	vc_error_free(err);
	err = NULL;
	/* A root that does not exist has no sandboxes. */
	char *missing = xasprintf("%s/missing", t);
	ck_assert_ptr_null(vc_sandbox_open(missing, "x", VC_LOCK_SHARED, &err));
	ck_assert_int_eq(err->code, VC_ERR_NOT_FOUND);
	vc_error_free(err);
	free(missing);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_symlinks_refused)
{
	char *t = tmpdir();
	char *elsewhere = xasprintf("%s/elsewhere", t);
	char *root = xasprintf("%s/root", t);
	mkdir(elsewhere, 0700);
	mkdir(root, 0700);
	char *link = xasprintf("%s/evil", root);
	ck_assert_int_eq(symlink(elsewhere, link), 0);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_sandbox_open(root, "evil", VC_LOCK_EXCLUSIVE, &err));
	ck_assert_ptr_nonnull(strstr(err->msg, "symbolic link"));
	vc_error_free(err);
	err = NULL;

	/* A symlink planted as state.json is not followed. */
	vc_sandbox_state init = initial("box");
	vc_sandbox *sb = vc_sandbox_new(root, "box", &init, &err);
	ck_assert_ptr_nonnull(sb);
	vc_sandbox_close(sb);
	char *state = xasprintf("%s/box/state.json", root);
	char *target = xasprintf("%s/secret", elsewhere);
	FILE *f = fopen(target, "w");
	fputs("{\"id\":\"box\",\"pid\":1}", f);
	fclose(f);
	unlink(state);
	ck_assert_int_eq(symlink(target, state), 0);
	sb = vc_sandbox_open(root, "box", VC_LOCK_EXCLUSIVE, &err);
	ck_assert_ptr_nonnull(sb); /* still deletable */
	ck_assert(!sb->has_state);
	ck_assert_int_eq(sb->st.pid, 0);
	/* Writing replaces the link, never writes through it. */
	ck_assert_int_eq(vc_state_write(sb, &err), 0);
	struct stat st;
	ck_assert_int_eq(lstat(state, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	f = fopen(target, "r");
	char buf[64] = "";
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "{\"id\":\"box\",\"pid\":1}");
	vc_sandbox_close(sb);
	free(state);
	free(target);
	free(link);
	free(root);
	free(elsewhere);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_remove)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("gone");
	vc_error *err = NULL;
	vc_sandbox *sb = vc_sandbox_new(t, "gone", &init, &err);
	ck_assert_ptr_nonnull(sb);
	char *extra = vc_sandbox_path(sb, "console.log");
	int fd = open(extra, O_WRONLY | O_CREAT, 0600);
	close(fd);
	ck_assert_int_eq(vc_sandbox_remove(sb, &err), 0);
	vc_sandbox_close(sb);
	char **ids;
	size_t n;
	ck_assert_int_eq(vc_state_list(t, &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	/* Nothing at all is left in the root. */
	char *cmd = xasprintf("%s/gone", t);
	ck_assert_int_eq(access(cmd, F_OK), -1);
	free(cmd);
	free(extra);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_concurrent_new_one_wins)
{
	char *t = tmpdir();
	enum { N = 16 };
	pid_t kids[N];
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			vc_sandbox_state init = initial("race");
			vc_sandbox *sb = vc_sandbox_new(t, "race", &init, NULL);
			_exit(sb ? 0 : 1);
		}
	}
	int winners = 0;
	for (int i = 0; i < N; i++) {
		int status;
		waitpid(kids[i], &status, 0);
		ck_assert(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			winners++;
	}
	ck_assert_int_eq(winners, 1);
	vc_sandbox *sb = vc_sandbox_open(t, "race", VC_LOCK_SHARED, NULL);
	ck_assert_ptr_nonnull(sb);
	ck_assert(sb->has_state);
	vc_sandbox_close(sb);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_lock_busy)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("lk");
	vc_sandbox *holder = vc_sandbox_new(t, "lk", &init, NULL);
	ck_assert_ptr_nonnull(holder);
	/* flock is per open file description: a second open in this process conflicts too. */
	vc_sandbox *probe = vc_sandbox_open(t, "lk", VC_LOCK_SHARED_TRY, NULL);
	ck_assert_ptr_nonnull(probe);
	ck_assert(probe->busy);
	vc_sandbox_close(probe);
	vc_sandbox_close(holder);
	probe = vc_sandbox_open(t, "lk", VC_LOCK_SHARED_TRY, NULL);
	ck_assert(!probe->busy);
	vc_sandbox_close(probe);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_proc_liveness)
{
	uint64_t start = 0;
	ck_assert_int_eq(vc_proc_start_time(getpid(), &start), 1);
	ck_assert_uint_gt(start, 0);
	ck_assert(vc_proc_alive(getpid(), start));
	ck_assert(!vc_proc_alive(getpid(), start + 1)); /* a reused pid */
	pid_t p = fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	uint64_t cs = 0;
	ck_assert_int_eq(vc_proc_start_time(p, &cs), 1);
	kill(p, SIGKILL);
	/* A zombie is dead. */
	for (int i = 0; i < 200 && vc_proc_start_time(p, NULL) == 1; i++)
		usleep(5000);
	ck_assert(!vc_proc_alive(p, cs));
	waitpid(p, NULL, 0);
	ck_assert_int_eq(vc_proc_start_time(p, NULL), 0);
}
END_TEST

Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, test_id_rules);
	tcase_add_test(tc, test_root_created_0700);
	tcase_add_test(tc, test_new_open_roundtrip);
	tcase_add_test(tc, test_exists_and_not_found);
	tcase_add_test(tc, test_symlinks_refused);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_concurrent_new_one_wins);
	tcase_add_test(tc, test_lock_busy);
	tcase_add_test(tc, test_proc_liveness);
	suite_add_tcase(s, tc);
	return s;
}
