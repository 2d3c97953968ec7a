/* fake-qemu: a broken QEMU for the fault tests, chosen by the name it is run under (the tests
 * make symlinks, since vcrun is only given a path):
 *   fake-qemu-exit     prints a QEMU-style error on stderr and exits 1 after 100 ms, as a QEMU
 *                      that dies during start (bad option, missing kernel) does
 *   fake-qemu-silent   listens on the QMP socket of its -qmp option and accepts clients but
 *                      never says a word (a hung QEMU); runs until killed
 *   fake-qemu-garbage  listens the same way and answers every client, and every line it
 *                      receives, with a line that is not JSON; runs until killed
 *   fake-qemu-binary   greets every client with binary bytes and no newline, then says nothing
 *                      more (a socket of some other protocol); runs until killed
 *   fake-qemu-hangup   greets every client with the start of a QMP greeting and hangs up
 *   fake-qemu-json     answers like garbage, with a JSON line that is not a QMP greeting
 * Any mode answers --version / -version like QEMU so version probes pass. The QMP socket is
 * either a -qmp "unix:PATH,server=on,wait=off" (',,' for a ',' in PATH) or, as vcrun starts
 * QEMU, a listening descriptor it inherited: -chardev "socket,id=...,fd=N,server=on,...". A
 * connected descriptor it inherited (-chardev "socket,...,fd=N,server=off": vcrun's start
 * session) is a client from the start, treated as an accepted one. A -pidfile is written. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* What a talking mode says: to each new client, and (answer) to each line a client sends. */
typedef struct {
	const char *name;
	const char *text;
	size_t len;
	bool answer;
	bool hangup;
} fake_mode;

#define TEXT(s) s, sizeof(s) - 1
static const fake_mode modes[] = {
    {"garbage", TEXT("this is not QMP \x01\x02\xff{\"QMP\": [1, 2\n"), true, false},
    {"binary", TEXT("\x00\x01\x02\xfe\xff no newline"), false, false},
    {"hangup", TEXT("{\"QMP\": {\"version\""), false, true},
    {"json", TEXT("{\"jsonrpc\": \"2.0\", \"method\": \"hello\"}\n"), true, false},
    {"silent", NULL, 0, false, false},
};

static char *qmp_path(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-qmp") != 0 || strncmp(argv[i + 1], "unix:", 5) != 0)
			continue;
		const char *s = argv[i + 1] + 5;
		char *out = malloc(strlen(s) + 1), *o = out;
		if (!out)
			abort();
		while (*s) {
			if (s[0] == ',' && s[1] == ',') {
				*o++ = ',';
				s += 2;
			} else if (s[0] == ',') {
				break;
			} else {
				*o++ = *s++;
			}
		}
		*o = '\0';
		return out;
	}
	return NULL;
}

/* The inherited descriptors of the -chardev socket,...,fd=N options: the first listening one
 * (or -1) is returned, connected ones (server=off) are added to clients[*n]. */
static int chardev_fds(int argc, char **argv, int *clients, int *n, int max)
{
	int listening = -1;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-chardev") != 0 || strncmp(argv[i + 1], "socket,", 7) != 0)
			continue;
		const char *fd = strstr(argv[i + 1], ",fd=");
		if (!fd)
			continue;
		if (strstr(argv[i + 1], ",server=off")) {
			if (*n < max)
				clients[(*n)++] = atoi(fd + 4);
		} else if (listening < 0) {
			listening = atoi(fd + 4);
		}
	}
	return listening;
}

static void write_pidfile(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-pidfile") != 0)
			continue;
		FILE *f = fopen(argv[i + 1], "w");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fake-qemu: socket path too long\n");
		exit(1);
	}
	strcpy(sa.sun_path, path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0) {
		fprintf(stderr, "fake-qemu: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

#define MAX_CLIENTS 16

/* Says the mode's text to a new client; false when the client is to be dropped. */
static bool welcome(int c, const fake_mode *m)
{
	if ((m->text && write(c, m->text, m->len) < 0) || m->hangup) {
		close(c);
		return false;
	}
	return true;
}

/* Serves the clients in `clients` and those accepted on lfd (if >= 0). */
static void serve(int lfd, const int *clients, int n_clients, const fake_mode *m)
{
	struct pollfd p[1 + MAX_CLIENTS];
	int n = 1;
	p[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
	for (int i = 0; i < n_clients; i++)
		if (welcome(clients[i], m))
			p[n++] = (struct pollfd){.fd = clients[i], .events = POLLIN};
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			exit(1);
		}
		if ((p[0].revents & POLLIN) && n < 1 + MAX_CLIENTS) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0 && welcome(c, m))
				p[n++] = (struct pollfd){.fd = c, .events = POLLIN};
		}
		for (int i = 1; i < n; i++) {
			if (!p[i].revents)
				continue;
			char buf[4096];
			ssize_t r = read(p[i].fd, buf, sizeof(buf));
			if (r <= 0) {
				close(p[i].fd);
				p[i--] = p[--n];
				continue;
			}
			if (m->answer && memchr(buf, '\n', (size_t)r) &&
			    write(p[i].fd, m->text, m->len) < 0) {
				close(p[i].fd);
				p[i--] = p[--n];
			}
		}
	}
}

/* vcrun runs its hypervisor under a seccomp filter that denies ptrace, which LeakSanitizer's
 * exit check needs: in sanitizer builds this fake would print LSan's complaint as its last log
 * line instead of its own message. It allocates nothing worth checking, so skip the check. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAKE_QEMU_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(FAKE_QEMU_ASAN)
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}
#endif

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	name = name ? name + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-version") == 0) {
			puts("QEMU emulator version 7.2.0 (fake-qemu for vcrun's fault tests)");
			return 0;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (strstr(name, "exit")) {
		usleep(100 * 1000);
		fprintf(stderr, "qemu-system-x86_64: fake-qemu: failing at start as asked\n");
		return 1;
	}
	const fake_mode *mode = NULL;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]) && !mode; i++)
		if (strstr(name, modes[i].name))
			mode = &modes[i];
	if (!mode) {
		fprintf(stderr, "fake-qemu: run me as "
				"fake-qemu-{exit,silent,garbage,binary,hangup,json}\n");
		return 2;
	}
	int clients[MAX_CLIENTS], n_clients = 0;
	int fd = chardev_fds(argc, argv, clients, &n_clients, MAX_CLIENTS);
	char *path = fd < 0 ? qmp_path(argc, argv) : NULL;
	if (fd < 0 && !path) {
		fprintf(stderr, "fake-qemu: no -qmp unix:PATH or -chardev socket,fd=N option\n");
		return 1;
	}
	write_pidfile(argc, argv);
	serve(fd >= 0 ? fd : listen_on(path), clients, n_clients, mode);
	return 0;
}
