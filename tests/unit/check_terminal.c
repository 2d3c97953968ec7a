/* Suite terminal: create --console-socket (terminal mode) and --preserve-fds. The QEMU argv of
 * terminal mode, the pty and its hand-over with SCM_RIGHTS, the console socket's errors and the
 * check of the descriptors to preserve. */
#include <config.h>
#include "suites.h"
#include "qemu/builder.h"
#include "sandbox/lifecycle.h"
#include "sandbox/terminal.h"
#include "../qemu/fixture.h"
#include "../helpers/recv-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DIR "/run/vc/sb1"

/* The values of every `opt` in argv, joined with '\n'. Caller frees. */
static char *values_of(const vc_argv *a, const char *opt)
{
	size_t len = 1;
	for (size_t i = 0; i + 1 < a->n; i++)
		if (strcmp(a->v[i], opt) == 0)
			len += strlen(a->v[i + 1]) + 1;
	char *s = calloc(1, len);
	for (size_t i = 0; i + 1 < a->n; i++) {
		if (strcmp(a->v[i], opt) != 0)
			continue;
		if (*s)
			strcat(s, "\n");
		strcat(s, a->v[++i]);
	}
	return s;
}

static void build(bool legacy, const char *tty, vc_argv *out)
{
	vc_hypervisor_config *c = vc_test_qemu_config();
	c->use_legacy_serial = legacy;
	vc_qemu_request r = {
	    .config = c, .arch = "x86_64", .id = "sb1", .sandbox_dir = DIR, .console_tty = tty};
	vc_error *err = NULL;
	int rc = vc_qemu_build_argv(&r, out, &err);
	if (rc < 0)
		ck_abort_msg("build failed: %s", err->msg);
	vc_config_free(c);
}

START_TEST(test_argv_terminal_mode)
{
	vc_argv a = VC_ARGV_INIT;
	build(false, "/dev/pts/7", &a);
	char *chardevs = values_of(&a, "-chardev");
	ck_assert_str_eq(chardevs, "serial,id=charconsole0,path=/dev/pts/7,logfile=" DIR
				   "/console.log,logappend=on\n"
				   "null,id=charserial0,logfile=" DIR "/console.log,logappend=on");
	free(chardevs);
	char *serial = values_of(&a, "-serial");
	ck_assert_str_eq(serial, "chardev:charserial0");
	free(serial);
	ck_assert_int_ge(vc_argv_find(&a, "virtconsole,chardev=charconsole0,id=console0"), 0);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_msg(!strstr(a.v[i], "console.sock"),
			      "console socket in terminal mode: %s", a.v[i]);
	vc_argv_free(&a);

	/* legacy serial: the serial port itself is the terminal */
	build(true, "/dev/pts/7", &a);
	chardevs = values_of(&a, "-chardev");
	ck_assert_str_eq(chardevs, "serial,id=charconsole0,path=/dev/pts/7,logfile=" DIR
				   "/console.log,logappend=on");
	free(chardevs);
	serial = values_of(&a, "-serial");
	ck_assert_str_eq(serial, "chardev:charconsole0");
	free(serial);
	vc_argv_free(&a);

	/* without a tty: the console socket, as before */
	build(false, NULL, &a);
	chardevs = values_of(&a, "-chardev");
	ck_assert_str_eq(chardevs,
			 "socket,id=charconsole0,path=" DIR "/console.sock,server=on,wait=off,"
			 "logfile=" DIR "/console.log,logappend=on\n"
			 "null,id=charserial0,logfile=" DIR "/console.log,logappend=on");
	free(chardevs);
	vc_argv_free(&a);
}
END_TEST

START_TEST(test_pty_handover)
{
	vc_error *err = NULL;
	vc_pty p = VC_PTY_INIT;
	if (vc_pty_open(&p, &err) < 0) {
		/* no /dev/pts in this build environment */
		ck_assert_ptr_nonnull(err);
		vc_error_free(err);
		return;
	}
	ck_assert(isatty(p.master));
	ck_assert(isatty(p.slave));
	ck_assert_int_eq(strncmp(p.slave_path, "/dev/pts/", 9), 0);
	ck_assert(fcntl(p.master, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(p.slave, F_GETFD) & FD_CLOEXEC);
	struct termios t;
	ck_assert_int_eq(tcgetattr(p.slave, &t), 0);
	ck_assert(!(t.c_lflag & (ECHO | ICANON | ISIG)));
	ck_assert(!(t.c_oflag & OPOST));

	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(vc_send_fd(sv[0], p.master, p.slave_path, &err), 0);
	char name[256];
	int got = -1;
	ck_assert_int_eq(test_recv_fd(sv[1], name, sizeof(name), &got), 1);
	ck_assert_str_eq(name, p.slave_path);
	ck_assert(isatty(got));
	char slave[64];
	ck_assert_int_eq(ptsname_r(got, slave, sizeof(slave)), 0);
	ck_assert_str_eq(slave, p.slave_path);
	/* both ways, raw: what goes in one end comes out of the other unchanged */
	ck_assert_int_eq(write(got, "in\n", 3), 3);
	char buf[16] = {0};
	ck_assert_int_eq(read(p.slave, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "in\n");
	ck_assert_int_eq(write(p.slave, "out\n", 4), 4);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(read(got, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "out\n");
	close(got);
	close(sv[0]);
	close(sv[1]);
	vc_pty_close(&p);
	ck_assert_int_eq(p.master, -1);
	ck_assert_ptr_null(p.slave_path);
}
END_TEST

static void connect_fails(const char *path, const char *needle)
{
	vc_error *err = NULL;
	ck_assert_int_lt(vc_console_socket_connect(path, &err), 0);
	ck_assert_ptr_nonnull(err);
	if (!strstr(err->msg, needle))
		ck_abort_msg("error '%s' lacks '%s'", err->msg, needle);
	ck_assert_ptr_null(err->next);
	vc_error_free(err);
}

START_TEST(test_console_socket_errors)
{
	char dir[] = "/tmp/vc-term-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/missing.sock", dir);
	connect_fails(path, "No such file or directory");
	connect_fails(dir, "is not a socket");
	connect_fails("", "empty path");
	char longp[200];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	connect_fails(longp, "longer than a unix socket allows");

	/* bound, nobody listening: refused */
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(path, sizeof(path), "%s/stale.sock", dir);
	strcpy(a.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	connect_fails(path, "Connection refused");
	/* listening: connected */
	ck_assert_int_eq(listen(s, 1), 0);
	vc_error *err = NULL;
	int c = vc_console_socket_connect(path, &err);
	ck_assert_int_ge(c, 0);
	ck_assert(fcntl(c, F_GETFD) & FD_CLOEXEC);
	close(c);
	close(s);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* What vc_preserve_fds_check says, in a child whose descriptors from 3 on are exactly those
 * given: open[i] for fd 3+i is 0 (closed), 1 (inherited) or 2 (close-on-exec, vcrun's own).
 * Exit status: 0 accepted, 1 "is not open", 2 "vcrun's own", 3 another error. The child starts
 * from a known table: the runner's own descriptors (and, with CK_FORK=no, those earlier tests
 * left open in this process) would otherwise decide which fd is met first. */
static int preserve_fds_verdict(int n, const int *open, int count)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int p[2];
		if (pipe(p) < 0)
			_exit(4);
		int spare = fcntl(p[0], F_DUPFD_CLOEXEC, 3 + count + 8);
		if (spare < 0)
			_exit(4);
		for (int fd = 3; fd < spare; fd++)
			close(fd);
		for (int i = 0; i < count; i++)
			if (open[i] && (dup2(spare, 3 + i) < 0 ||
					fcntl(3 + i, F_SETFD, open[i] == 2 ? FD_CLOEXEC : 0) < 0))
				_exit(4);
		vc_error *err = NULL;
		if (vc_preserve_fds_check(n, &err) == 0)
			_exit(0);
		_exit(strstr(err->msg, "is not open")	? 1
		      : strstr(err->msg, "vcrun's own") ? 2
							: 3);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_preserve_fds_check)
{
	const int inherited[] = {1, 1}, gap[] = {1, 0, 1}, own[] = {1, 2};
	ck_assert_int_eq(preserve_fds_verdict(0, NULL, 0), 0);
	ck_assert_int_eq(preserve_fds_verdict(2, inherited, 2), 0);
	/* a count that reaches a closed fd is refused */
	ck_assert_int_eq(preserve_fds_verdict(3, inherited, 2), 1);
	ck_assert_int_eq(preserve_fds_verdict(3, gap, 3), 1);
	/* close-on-exec: vcrun's own, refused */
	ck_assert_int_eq(preserve_fds_verdict(2, own, 2), 2);
	ck_assert_int_eq(preserve_fds_verdict(1, own, 2), 0);
	vc_error *err = NULL;
	ck_assert_int_lt(vc_preserve_fds_check(-1, &err), 0);
	vc_error_free(err);
}
END_TEST

Suite *terminal_suite(void)
{
	Suite *s = suite_create("terminal");
	TCase *tc = tcase_create("terminal");
	tcase_add_test(tc, test_argv_terminal_mode);
	tcase_add_test(tc, test_pty_handover);
	tcase_add_test(tc, test_console_socket_errors);
	tcase_add_test(tc, test_preserve_fds_check);
	suite_add_tcase(s, tc);
	return s;
}
