/* The receiving end of `vcrun create --console-socket`, as containerd's shim is: listens on an
 * AF_UNIX stream socket, accepts one connection, reads one message that must carry exactly one
 * descriptor (SCM_RIGHTS), checks that it is a terminal master whose slave the message names,
 * then talks to it:
 *
 *   console-recv [--timeout S] SOCKET [expect:TEXT | send:TEXT]...
 *   console-recv --stale SOCKET        leave a socket file nobody accepts on
 *
 * expect:TEXT waits (up to the timeout) for TEXT in the output read from the master after the
 * previous match; send:TEXT writes TEXT and a newline to it. Prints "name: <payload>" and, at
 * the end, everything read; exits 0 when every step passed, 1 otherwise. */
#include <config.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "recv-fd.h"

static char *transcript;
static size_t tlen, tcap;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "console-recv: WHAT 'ARG': strerror(errno)", the transcript so far; returns 1. */
static int die(const char *what, const char *arg)
{
	int e = errno;
	if (arg)
		fprintf(stderr, "console-recv: %s '%s': %s\n", what, arg, strerror(e));
	else
		fprintf(stderr, "console-recv: %s: %s\n", what, strerror(e));
	if (tlen)
		printf("--- read from the terminal ---\n%.*s\n", (int)tlen, transcript);
	return 1;
}

static int bind_at(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a->sun_path, path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0)
		return -1;
	return fd;
}

/* Reads what the master has within ms milliseconds into the transcript. 0 at EOF/EIO. */
static int pump(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	int r = poll(&p, 1, ms);
	if (r <= 0)
		return r < 0 && errno != EINTR ? -1 : 1;
	if (tcap - tlen < 4096) {
		tcap = tcap * 2 + 8192;
		transcript = realloc(transcript, tcap);
		if (!transcript)
			abort();
	}
	ssize_t n = read(fd, transcript + tlen, tcap - tlen - 1);
	if (n <= 0)
		return 0; /* EIO: the slave side hung up */
	tlen += (size_t)n;
	transcript[tlen] = '\0';
	return 1;
}

int main(int argc, char **argv)
{
	int timeout_s = 10;
	int i = 1;
	struct sockaddr_un a;
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && strcmp(argv[1], "--stale") == 0) {
		int fd = bind_at(argv[2], &a);
		return fd < 0 ? die("bind", argv[2]) : 0; /* bound, never listened on */
	}
	if (i + 1 < argc && strcmp(argv[i], "--timeout") == 0) {
		timeout_s = atoi(argv[i + 1]);
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: console-recv [--timeout S] SOCKET [expect:TEXT|send:TEXT]...\n");
		return 2;
	}
	const char *path = argv[i++];
	long long deadline = now_ms() + (long long)timeout_s * 1000;

	/* Listen under a temporary name, then rename: the socket answers as soon as it exists. */
	char tmp[sizeof(a.sun_path)];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return die("socket path", path);
	}
	int lfd = bind_at(tmp, &a);
	if (lfd < 0 || listen(lfd, 4) < 0 || rename(tmp, path) < 0)
		return die("listen on", path);

	struct pollfd p = {lfd, POLLIN, 0};
	int r = poll(&p, 1, timeout_s * 1000);
	if (r <= 0) {
		errno = r == 0 ? ETIMEDOUT : errno;
		return die("nobody connected to", path);
	}
	int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return die("accept on", path);
	close(lfd);
	unlink(path);

	char name[4096];
	int fd = -1;
	int nfds = test_recv_fd(c, name, sizeof(name), &fd);
	if (nfds < 0)
		return die("recvmsg from", path);
	printf("name: %s\n", name);
	if (nfds != 1) {
		errno = EPROTO;
		return die("expected exactly one descriptor", NULL);
	}
	close(c);
	if (!isatty(fd))
		return die("the descriptor is not a terminal", NULL);
	char slave[128];
	if (ptsname_r(fd, slave, sizeof(slave)) != 0)
		return die("the descriptor is not a terminal master", NULL);
	if (strcmp(slave, name) != 0) {
		fprintf(stderr, "console-recv: the message names '%s', the master's slave is '%s'\n",
			name, slave);
		return 1;
	}
	printf("tty: %s\n", slave);
	fflush(stdout);

	size_t from = 0;
	for (; i < argc; i++) {
		const char *step = argv[i];
		if (strncmp(step, "send:", 5) == 0) {
			char line[4096];
			int len = snprintf(line, sizeof(line), "%s\n", step + 5);
			if (write(fd, line, (size_t)len) != len)
				return die("write to the terminal", NULL);
			continue;
		}
		if (strncmp(step, "expect:", 7) != 0) {
			fprintf(stderr, "console-recv: unknown step '%s'\n", step);
			return 2;
		}
		const char *want = step + 7;
		for (;;) {
			char *hit = tlen > from ? strstr(transcript + from, want) : NULL;
			if (hit) {
				from = (size_t)(hit - transcript) + strlen(want);
				break;
			}
			long long left = deadline - now_ms();
			if (left <= 0) {
				errno = ETIMEDOUT;
				return die("no output matched", want);
			}
			int pr = pump(fd, (int)(left > 200 ? 200 : left));
			if (pr < 0)
				return die("read the terminal", NULL);
			if (pr == 0) {
				errno = EIO;
				return die("the terminal hung up before", want);
			}
		}
		printf("got: %s\n", want);
		fflush(stdout);
	}
	printf("--- read from the terminal ---\n%.*s\n", (int)tlen, transcript ? transcript : "");
	free(transcript);
	close(fd);
	return 0;
}
