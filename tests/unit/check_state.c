/* The state store: ids, the root, atomic writes, locking, symlink refusal, liveness. */
#include <config.h>
#include "suites.h"
#include "sandbox/state.h"
#include "util/xalloc.h"

#include <check.h>
#include <dirent.h>
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

/* <t>/elsewhere and <t>/root, made (0700) */
static void two_dirs(const char *t, char **elsewhere, char **root)
{
	*elsewhere = xasprintf("%s/elsewhere", t);
	*root = xasprintf("%s/root", t);
	ck_assert_int_eq(mkdir(*elsewhere, 0700), 0);
	ck_assert_int_eq(mkdir(*root, 0700), 0);
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

/* A rewrite swaps the new file in: a reader that opened the old one keeps reading it whole,
 * a new reader gets the new one, and nothing but state.json is left in the directory. */
START_TEST(test_rewrite_swaps_in_place)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("box1");
	vc_error *err = NULL;
	vc_sandbox *sb = vc_sandbox_new(t, "box1", &init, &err);
	ck_assert_ptr_nonnull(sb);
	char *path = xasprintf("%s/box1/state.json", t);
	int old_fd = open(path, O_RDONLY);
	ck_assert_int_ge(old_fd, 0);
	struct stat before, after;
	ck_assert_int_eq(fstat(old_fd, &before), 0);
	for (int i = 1; i <= 3; i++) {
		sb->st.pid = 1000 + i;
		ck_assert_int_eq(vc_state_write(sb, &err), 0);
	}
	vc_sandbox_close(sb);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert(after.st_ino != before.st_ino);
	ck_assert_int_eq(after.st_mode & 0777, 0600);
	char buf[4096];
	ssize_t n = pread(old_fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_eq(n, before.st_size);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "\"pid\": 0,")); /* the first version, complete */
	ck_assert_ptr_null(strstr(buf, "100"));
	close(old_fd);
	sb = vc_sandbox_open(t, "box1", VC_LOCK_SHARED, &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert_int_eq(sb->st.pid, 1003);
	vc_sandbox_close(sb);
	char *dir = xasprintf("%s/box1", t);
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			ck_assert_str_eq(e->d_name, "state.json");
			files++;
		}
	closedir(d);
	ck_assert_int_eq(files, 1);
	free(dir);
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
	char *t = tmpdir(), *elsewhere, *root;
	two_dirs(t, &elsewhere, &root);
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
			int won = sb != NULL;
			vc_sandbox_close(sb); /* (what valgrind would count as leaked) */
			free(t);
			_exit(won ? 0 : 1);
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

/* ---- peek (list's reader) and the fast state reader ------------------------------------- */

static int open_root(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

START_TEST(test_peek_reads_lean)
{
	char *t = tmpdir();
	vc_sandbox_state init = initial("box");
	init.status = "paused";
	vc_error *err = NULL;
	vc_sandbox *sb = vc_sandbox_new(t, "box", &init, &err);
	ck_assert_ptr_nonnull(sb);
	sb->st.pid = 77;
	sb->st.create_done = true;
	json_object_set_new(sb->st.vm, "vcpus", json_integer(2));
	json_array_append_new(sb->st.devices, json_pack("{s:s}", "id", "disk-0"));
	ck_assert_int_eq(vc_state_write(sb, &err), 0);
	vc_sandbox_close(sb);

	int root_fd = open_root(t);
	sb = vc_sandbox_peek(root_fd, t, "box", &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(sb->has_state);
	ck_assert_str_eq(sb->st.status, "paused");
	ck_assert_int_eq(sb->st.pid, 77);
	ck_assert(sb->st.create_done);
	ck_assert_int_eq(sb->dir_fd, -1);
	/* list needs neither: left empty */
	ck_assert_uint_eq(json_object_size(sb->st.vm), 0);
	ck_assert_uint_eq(json_array_size(sb->st.devices), 0);
	vc_sandbox_close(sb);
	/* open reads everything */
	sb = vc_sandbox_open(t, "box", VC_LOCK_SHARED, &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert_str_eq(sb->st.status, "paused");
	ck_assert_int_eq(json_integer_value(json_object_get(sb->st.vm, "vcpus")), 2);
	ck_assert_uint_eq(json_array_size(sb->st.devices), 1);
	vc_sandbox_close(sb);

	ck_assert_ptr_null(vc_sandbox_peek(root_fd, t, "nobox", &err));
	ck_assert_int_eq(err->code, VC_ERR_NOT_FOUND);
	vc_error_free(err);
	close(root_fd);
	rm_rf(t);
	free(t);
}
END_TEST

START_TEST(test_peek_refuses_symlinks_and_fifos)
{
	char *t = tmpdir(), *elsewhere, *root;
	two_dirs(t, &elsewhere, &root);
	vc_error *err = NULL;
	vc_sandbox_state init = initial("real");
	vc_sandbox *sb = vc_sandbox_new(elsewhere, "real", &init, &err);
	ck_assert_ptr_nonnull(sb);
	vc_sandbox_close(sb);
	/* <root>/<id> a symlink to a real sandbox directory */
	char *target = xasprintf("%s/real", elsewhere);
	char *link = xasprintf("%s/evil", root);
	ck_assert_int_eq(symlink(target, link), 0);
	int root_fd = open_root(root);
	ck_assert_ptr_null(vc_sandbox_peek(root_fd, root, "evil", &err));
	ck_assert_int_ne(err->code, VC_ERR_NOT_FOUND);
	vc_error_free(err);
	err = NULL;

	/* state.json a symlink to a valid state: not followed (no state), the sandbox listed */
	init = initial("box");
	sb = vc_sandbox_new(root, "box", &init, &err);
	ck_assert_ptr_nonnull(sb);
	vc_sandbox_close(sb);
	char *state = xasprintf("%s/box/state.json", root);
	char *real_state = xasprintf("%s/real/state.json", elsewhere);
	unlink(state);
	ck_assert_int_eq(symlink(real_state, state), 0);
	sb = vc_sandbox_peek(root_fd, root, "box", &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(!sb->has_state);
	ck_assert_str_eq(sb->st.id, "box");
	vc_sandbox_close(sb);

	/* a FIFO as state.json: refused at once, not waited on */
	unlink(state);
	ck_assert_int_eq(mkfifo(state, 0600), 0);
	alarm(10);
	sb = vc_sandbox_peek(root_fd, root, "box", &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(!sb->has_state);
	vc_sandbox_close(sb);
	sb = vc_sandbox_open(root, "box", VC_LOCK_SHARED, &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(!sb->has_state);
	vc_sandbox_close(sb);
	alarm(0);

	close(root_fd);
	free(state);
	free(real_state);
	free(target);
	free(link);
	free(root);
	free(elsewhere);
	rm_rf(t);
	free(t);
}
END_TEST

/* The state as JSON text, for comparisons. */
static char *state_text(const vc_sandbox_state *st)
{
	json_t *j = vc_state_to_json(st);
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	return s;
}

/* text parsed by jansson + vc_state_from_json, as text (NULL when that fails) */
static char *via_jansson(const char *text)
{
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		return NULL;
	vc_sandbox_state st = {0};
	int r = vc_state_from_json(j, &st, NULL);
	json_decref(j);
	char *s = r == 0 ? state_text(&st) : NULL;
	vc_state_clear(&st);
	return s;
}

/* Written by vcrun: the fast reader gives what jansson gives; lean leaves vm and devices empty. */
START_TEST(test_scan_matches_jansson)
{
	vc_sandbox_state st = initial("box-1.a");
	st.pid = 4242;
	st.pid_start = 123456789012345ULL;
	st.create_done = true;
	st.status = "running";
	st.qmp_socket = "/run/vcrun/box-1.a/qmp.sock";
	st.console_socket = "/run/vcrun/box-1.a/console.sock";
	st.console_log = "/run/vcrun/box-1.a/console.log";
	st.hypervisor_log = "";
	st.oci_console_socket = "/tmp/x y/sock";
	st.console_tty = "/dev/pts/3";
	st.annotations = json_pack("{s:s,s:s}", "a", "1", "io.k/x", "{[\"]}");
	st.vm = json_pack("{s:i,s:b,s:[i,i],s:{s:n}}", "vcpus", 2, "x", 1, "l", 1, 2, "o", "z");
	st.devices = json_pack("[{s:s,s:s}]", "id", "disk-0", "path", "/img \\ \"q\"");
	json_t *j = vc_state_to_json(&st);
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	char *want = state_text(&st);

	vc_sandbox_state got;
	ck_assert_int_eq(vc_state_scan(text, strlen(text), false, &got), 0);
	char *g = state_text(&got);
	ck_assert_str_eq(g, want);
	free(g);
	vc_state_clear(&got);

	ck_assert_int_eq(vc_state_scan(text, strlen(text), true, &got), 0);
	ck_assert_uint_eq(json_object_size(got.vm), 0);
	ck_assert_uint_eq(json_array_size(got.devices), 0);
	ck_assert_str_eq(got.oci_console_socket, "/tmp/x y/sock");
	ck_assert_str_eq(json_string_value(json_object_get(got.annotations, "io.k/x")), "{[\"]}");
	ck_assert_uint_eq(got.pid_start, 123456789012345ULL);
	vc_state_clear(&got);

	/* without the optional members (an older state file) */
	const char *old = "{\"id\": \"o\", \"pid\": 0}";
	ck_assert_int_eq(vc_state_scan(old, strlen(old), false, &got), 0);
	g = state_text(&got);
	char *w = via_jansson(old);
	ck_assert_str_eq(g, w);
	ck_assert_ptr_null(got.status);
	free(g);
	free(w);
	vc_state_clear(&got);

	free(want);
	free(text);
	json_decref(st.annotations);
	json_decref(st.vm);
	json_decref(st.devices);
}
END_TEST

/* Anything but the shape vcrun writes: the fast reader declines (and leaves nothing), so the
 * caller falls back to jansson, which reads it or says what is wrong. */
START_TEST(test_scan_declines)
{
	static const char *const texts[] = {
	    "",
	    "[]",
	    "{}",
	    "{\"pid\": 1}",			       /* no id */
	    "{\"id\": \"a\"}",			       /* no pid */
	    "{\"id\": \"a\", \"pid\": 1} x",	       /* trailing garbage */
	    "{\"id\": \"a\", \"pid\": 1,}",	       /* trailing comma */
	    "{\"id\": \"a\", \"pid\": 1",	       /* cut short */
	    "{\"id\": \"a\\u0062\", \"pid\": 1}",      /* an escape */
	    "{\"id\": \"\xc3\xa9\", \"pid\": 1}",      /* not ASCII */
	    "{\"id\": \"a\", \"pid\": 1, \"x\": 1}",   /* an unknown member */
	    "{\"id\": \"a\", \"pid\": 1, \"pid\": 2}", /* a repeated member */
	    "{\"id\": \"a\", \"pid\": 1.0}",
	    "{\"id\": \"a\", \"pid\": 01}",
	    "{\"id\": \"a\", \"pid\": 1e3}",
	    "{\"id\": \"a\", \"pid\": 1234567890123456789}",
	    "{\"id\": \"a\", \"pid\": -}",
	    "{\"id\": 5, \"pid\": 1}",
	    "{\"id\": \"a\", \"pid\": 1, \"status\": null}",
	    "{\"id\": \"a\", \"pid\": 1, \"create_done\": 1}",
	    "{\"id\": \"a\", \"pid\": 1, \"create_done\": truex}",
	    "{\"id\": \"a\", \"pid\": 1, \"annotations\": []}",
	    "{\"id\": \"a\", \"pid\": 1, \"annotations\": {\"k\": 1, \"k\": 2}}",
	    "{\"id\": \"a\", \"pid\": 1, \"vm\": {\"k\": }}",
	    "{\"id\": \"a\", \"pid\": 1, \"vm\": {\"k\": [1, 2}}",
	    "{\"id\": \"a\", \"pid\": 1, \"vm\": {\"k\": \"\\q\"}}",
	    "{\"id\": \"a\", \"pid\": 1, \"devices\": {}}",
	    "{\"id\": \"a\", \"pid\": 1, \"devices\": [\"\\",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (int lean = 0; lean < 2; lean++) {
			vc_sandbox_state st;
			memset(&st, 0xa5, sizeof(st));
			if (vc_state_scan(texts[i], strlen(texts[i]), lean, &st) == 0)
				ck_abort_msg("accepted (lean %d): %s", lean, texts[i]);
			ck_assert_ptr_null(st.id);
			ck_assert_ptr_null(st.annotations);
		}
	}
	/* Declined but valid: jansson reads it, and open/peek give its values. */
	char *t = tmpdir();
	vc_sandbox_state init = initial("box");
	init.bundle = "/b\xc3\xa9/\"quoted\"";
	vc_error *err = NULL;
	vc_sandbox *sb = vc_sandbox_new(t, "box", &init, &err);
	ck_assert_ptr_nonnull(sb);
	vc_sandbox_close(sb);
	int root_fd = open_root(t);
	sb = vc_sandbox_peek(root_fd, t, "box", &err);
	ck_assert_ptr_nonnull(sb);
	ck_assert(sb->has_state);
	ck_assert_str_eq(sb->st.bundle, "/b\xc3\xa9/\"quoted\"");
	vc_sandbox_close(sb);
	close(root_fd);
	rm_rf(t);
	free(t);
}
END_TEST

Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, test_id_rules);
	tcase_add_test(tc, test_root_created_0700);
	tcase_add_test(tc, test_new_open_roundtrip);
	tcase_add_test(tc, test_rewrite_swaps_in_place);
	tcase_add_test(tc, test_exists_and_not_found);
	tcase_add_test(tc, test_symlinks_refused);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_concurrent_new_one_wins);
	tcase_add_test(tc, test_lock_busy);
	tcase_add_test(tc, test_proc_liveness);
	tcase_add_test(tc, test_peek_reads_lean);
	tcase_add_test(tc, test_peek_refuses_symlinks_and_fifos);
	tcase_add_test(tc, test_scan_matches_jansson);
	tcase_add_test(tc, test_scan_declines);
	suite_add_tcase(s, tc);
	return s;
}
