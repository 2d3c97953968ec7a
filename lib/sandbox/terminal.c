/* Terminal mode: the pseudo-terminal and the console socket (see terminal.h). */
#include <config.h>
#include "sandbox/terminal.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int vc_console_socket_connect(const char *path, vc_error **err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (!path || !*path)
		return vc_error_set(err, VC_ERR_USAGE, "--console-socket: empty path");
	if (strlen(path) >= sizeof(a.sun_path))
		return vc_error_set(err, VC_ERR_LIMIT,
				    "console socket '%s': the path is longer than a unix socket "
				    "allows (%zu bytes)",
				    path, sizeof(a.sun_path) - 1);
	struct stat st;
	if (stat(path, &st) < 0)
		return vc_error_set_errno(err, errno, "console socket '%s'", path);
	if (!S_ISSOCK(st.st_mode))
		return vc_error_set(err, VC_ERR_GENERIC, "console socket '%s' is not a socket",
				    path);
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "socket");
	int r;
	do
		r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;
		close(fd);
		return vc_error_set_errno(err, e, "connect to console socket '%s'", path);
	}
	return fd;
}

void vc_pty_close(vc_pty *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	free(p->slave_path);
	p->master = p->slave = -1;
	p->slave_path = NULL;
}

int vc_pty_open(vc_pty *p, vc_error **err)
{
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0)
		return vc_error_set_errno(err, errno, "open a pseudo-terminal (posix_openpt)");
	char name[128];
	if (grantpt(p->master) < 0 || unlockpt(p->master) < 0 ||
	    ptsname_r(p->master, name, sizeof(name)) != 0) {
		int e = errno;
		vc_pty_close(p);
		return vc_error_set_errno(err, e, "set up the pseudo-terminal");
	}
	/* O_NOCTTY: the slave must not become vcrun's controlling terminal; the hypervisor, a
	 * session leader, takes it as its own when it opens it (as a container's init does
	 * under runc). */
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0) {
		int e = errno;
		vc_pty_close(p);
		return vc_error_set_errno(err, e, "open '%s'", name);
	}
	/* Raw: the guest's console driver does its own line discipline; the host side must pass
	 * every byte (no echo, no signals, no CR/LF translation). */
	struct termios t;
	if (tcgetattr(p->slave, &t) < 0) {
		int e = errno;
		vc_pty_close(p);
		return vc_error_set_errno(err, e, "tcgetattr '%s'", name);
	}
	cfmakeraw(&t);
	if (tcsetattr(p->slave, TCSANOW, &t) < 0) {
		int e = errno;
		vc_pty_close(p);
		return vc_error_set_errno(err, e, "tcsetattr '%s'", name);
	}
	p->slave_path = xstrdup(name);
	return 0;
}

int vc_send_fd(int sock, int fd, const char *name, vc_error **err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return vc_error_set_errno(err, errno, "send the terminal to the console socket");
	if ((size_t)n != iov.iov_len)
		return vc_error_set(err, VC_ERR_GENERIC,
				    "send the terminal to the console socket: short write");
	return 0;
}
