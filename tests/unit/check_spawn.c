/* Starting the hypervisor process (lib/hv/spawn): the gate, exec failures, what the child
 * keeps. The programs started are coreutils (no shell). */
#include <config.h>
#include "suites.h"
#include "hv/spawn.h"
#include "util/xalloc.h"

#include <check.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	char path[64];
	int null_fd, log_fd;
	vc_argv argv;
	vc_seccomp_program filter;
	vc_spawn_opts opts;
} fixture;

static void fixture_init(fixture *f, const char *const *words)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/vcrun-check-spawn.XXXXXX");
	f->log_fd = mkstemp(f->path);
	ck_assert_int_ge(f->log_fd, 0);
	f->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(f->null_fd, 0);
	vc_argv_init(&f->argv);
	for (size_t i = 0; words[i]; i++)
		vc_argv_append(&f->argv, words[i]);
	ck_assert_int_eq(vc_seccomp_hypervisor_program(&f->filter, NULL), 0);
	f->opts = (vc_spawn_opts){
	    .argv = &f->argv, .null_fd = f->null_fd, .log_fd = f->log_fd, .seccomp = &f->filter};
}

static void fixture_clear(fixture *f)
{
	vc_argv_free(&f->argv);
	vc_seccomp_program_clear(&f->filter);
	close(f->null_fd);
	close(f->log_fd);
	unlink(f->path);
}

static char *log_text(const fixture *f)
{
	FILE *in = fopen(f->path, "r");
	ck_assert_ptr_nonnull(in);
	char *buf = xmalloc(65536);
	size_t n = fread(buf, 1, 65535, in);
	buf[n] = '\0';
	fclose(in);
	return buf;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, line, n) == 0 && p[n] == '\n')
			return true;
	return false;
}

static int wait_status(pid_t pid)
{
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

/* The child runs the program only after the gate: until then it is still ours (not exec'd). */
START_TEST(test_exec_after_gate)
{
	fixture f;
	const char *words[] = {"/bin/echo", "hello from the child", NULL};
	fixture_init(&f, words);
	vc_spawn sp;
	ck_assert_int_eq(vc_spawn_gated(&sp, &f.opts, NULL), 0);
	ck_assert_int_gt(sp.pid, 0);
	usleep(20000);
	char *before = log_text(&f);
	ck_assert_str_eq(before, ""); /* nothing ran yet */
	free(before);
	ck_assert_int_eq(waitpid(sp.pid, NULL, WNOHANG), 0);
	pid_t pid = sp.pid;
	ck_assert_int_eq(vc_spawn_open_gate(&sp, NULL), 0);
	int status = wait_status(pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char *after = log_text(&f);
	ck_assert_str_eq(after, "hello from the child\n");
	free(after);
	fixture_clear(&f);
}
END_TEST

/* Cancelled at the gate: the child ends without running the program, and is reaped. */
START_TEST(test_cancel_at_gate)
{
	fixture f;
	const char *words[] = {"/bin/echo", "must not run", NULL};
	fixture_init(&f, words);
	vc_spawn sp;
	ck_assert_int_eq(vc_spawn_gated(&sp, &f.opts, NULL), 0);
	pid_t pid = sp.pid;
	vc_spawn_cancel(&sp);
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	char *text = log_text(&f);
	ck_assert_str_eq(text, "");
	free(text);
	fixture_clear(&f);
}
END_TEST

/* A program that cannot be run is an error naming it, with the reason; the child is reaped. */
START_TEST(test_exec_failure_reported)
{
	fixture f;
	const char *words[] = {"/nonexistent/qemu-system-x86_64", NULL};
	fixture_init(&f, words);
	vc_spawn sp;
	ck_assert_int_eq(vc_spawn_gated(&sp, &f.opts, NULL), 0);
	pid_t pid = sp.pid;
	vc_error *err = NULL;
	ck_assert_int_eq(vc_spawn_open_gate(&sp, &err), -1);
	ck_assert_ptr_nonnull(err);
	char *msg = vc_error_format(err);
	ck_assert_ptr_nonnull(strstr(msg, "start hypervisor '/nonexistent/qemu-system-x86_64'"));
	ck_assert_ptr_nonnull(strstr(msg, strerror(ENOENT)));
	free(msg);
	vc_error_free(err);
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
	fixture_clear(&f);
}
END_TEST

/* Runs f's program through the gate to its end (exit status 0); returns what it wrote. */
static char *run_to_exit(fixture *f)
{
	vc_spawn sp;
	ck_assert_int_eq(vc_spawn_gated(&sp, &f->opts, NULL), 0);
	pid_t pid = sp.pid;
	ck_assert_int_eq(vc_spawn_open_gate(&sp, NULL), 0);
	int status = wait_status(pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return log_text(f);
}

/* What the program gets: no descriptor of ours but pass_fds (listed by /bin/ls /proc/self/fd),
 * no_new_privs and the filter (/proc/self/status, read by /bin/grep), a session of its own
 * (/proc/self/stat, read by /bin/cat: its session id is its pid). */
START_TEST(test_child_environment)
{
	/* High numbers, so that they cannot be the one ls opens for itself. */
	int a = open("/dev/null", O_RDONLY | O_CLOEXEC), b = open("/dev/null", O_RDONLY);
	int keep = fcntl(a, F_DUPFD_CLOEXEC, 101);
	int leak = fcntl(b, F_DUPFD, 100); /* not close-on-exec: must not leak either */
	close(a);
	close(b);
	ck_assert_int_ge(keep, 101);
	ck_assert_int_ge(leak, 100);
	ck_assert_int_lt(leak, 101);
	char keep_name[16];
	snprintf(keep_name, sizeof(keep_name), "%d", keep);
	fixture f;
	const char *ls[] = {"/bin/ls", "/proc/self/fd", NULL};
	fixture_init(&f, ls);
	f.opts.pass_fds[0] = keep;
	char *text = run_to_exit(&f);
	/* 0, 1, 2, the one ls opened to read the directory, and the kept one */
	ck_assert_msg(has_line(text, "0") && has_line(text, "1") && has_line(text, "2") &&
			  has_line(text, keep_name) && !has_line(text, "100"),
		      "fds: %s", text);
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_msg(lines == 5, "fds: %s", text);
	free(text);
	fixture_clear(&f);

	const char *grep[] = {"/bin/grep", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status",
			      NULL};
	fixture_init(&f, grep);
	text = run_to_exit(&f);
	ck_assert_ptr_nonnull(strstr(text, "NoNewPrivs:\t1"));
	if (vc_seccomp_available())
		ck_assert_ptr_nonnull(strstr(text, "Seccomp:\t2"));
	free(text);
	fixture_clear(&f);

	const char *cat[] = {"/bin/cat", "/proc/self/stat", NULL};
	fixture_init(&f, cat);
	text = run_to_exit(&f);
	int pid = 0, session = -1;
	const char *rest = strrchr(text, ')');
	ck_assert_ptr_nonnull(rest);
	ck_assert_int_eq(sscanf(text, "%d", &pid), 1);
	ck_assert_int_eq(sscanf(rest + 1, " %*c %*d %*d %d", &session), 1);
	ck_assert_int_eq(session, pid);
	free(text);
	fixture_clear(&f);
	close(keep);
	close(leak);
}
END_TEST

/* The parent's signal mask and handlers are its own again after the spawn. */
static void on_usr1(int sig)
{
	(void)sig;
}

START_TEST(test_parent_signals_kept)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	sigset_t mask, now;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	ck_assert_int_eq(sigprocmask(SIG_SETMASK, &mask, NULL), 0);
	fixture f;
	const char *words[] = {"/bin/true", NULL};
	fixture_init(&f, words);
	free(run_to_exit(&f));
	ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	ck_assert(sigismember(&now, SIGUSR2));
	ck_assert(!sigismember(&now, SIGUSR1));
	struct sigaction cur;
	ck_assert_int_eq(sigaction(SIGUSR1, NULL, &cur), 0);
	ck_assert_ptr_eq(cur.sa_handler, on_usr1);
	fixture_clear(&f);
	sigemptyset(&mask);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	signal(SIGUSR1, SIG_DFL);
}
END_TEST

/* The filter vcrun carries (compiled by the build) is what libseccomp compiles here and now:
 * a stale lib/sandbox/seccomp-built.c, or a deny list changed without a rebuild, fails. */
START_TEST(test_built_filter_is_current)
{
#ifdef HAVE_SECCOMP
	vc_seccomp_program built, fresh;
	ck_assert_int_eq(vc_seccomp_hypervisor_program(&built, NULL), 0);
	ck_assert_int_eq(vc_seccomp_hypervisor_compile(&fresh, NULL), 0);
	ck_assert_int_gt(built.len, 2);
	ck_assert_int_eq(built.len, fresh.len);
	ck_assert(memcmp(built.insns, fresh.insns, built.len * sizeof(struct sock_filter)) == 0);
	vc_seccomp_program_clear(&built);
	vc_seccomp_program_clear(&fresh);
#endif
}
END_TEST

Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_exec_after_gate);
	tcase_add_test(tc, test_cancel_at_gate);
	tcase_add_test(tc, test_exec_failure_reported);
	tcase_add_test(tc, test_child_environment);
	tcase_add_test(tc, test_parent_signals_kept);
	tcase_add_test(tc, test_built_filter_is_current);
	suite_add_tcase(s, tc);
	return s;
}
