/* bench-boot [OPTIONS] CMD [ARG...] [--then CMD [ARG...]]...
 * Times one "start a VM" sequence for the benchmarks and prints the elapsed milliseconds (from
 * just before the first spawn, microsecond resolution) as one line "MS". No shell anywhere:
 * each CMD is started with posix_spawnp (a vfork-style spawn, the way a containerd shim written
 * in Go starts the runtime; a fork() of even a small process costs ~1.5 ms more on these VMs),
 * in its own process group, stdin, stdout and stderr on /dev/null.
 *   Every CMD but the last is run to completion and must exit 0. The last one too, unless
 *   --bg: then it is left running (a QEMU, or `vcrun run`) while the conditions below are
 *   awaited.
 *   --cont SOCK      then connect to the QMP socket SOCK and send `cont` (what a hand-started
 *                    `qemu -S` needs): the clock stops when QMP has answered it (the VM runs
 *                    from then on); afterwards, untimed, query-status must say running
 *   --running SOCK   then connect to SOCK and wait until query-status says running (timed)
 *   --verify-running SOCK
 *                    after timing, connect to SOCK: query-status must say running at once
 *                    (for a sequence whose last CMD returns only once QMP has reported the VM
 *                    running, e.g. `vcrun start`)
 *   --marker STR --file PATH
 *                    then wait until PATH (a console log) contains STR
 *   --quit           after timing, send `quit` over the QMP connection (if any)
 *   --timeout MS     for the whole sequence (default 60000); on timeout exit 1
 *   --reap MS        after timing, wait up to MS for the --bg process to exit (then SIGKILL it)
 * Exit 0 with the figure, 1 on any failure (one line on stderr). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "qemu/qmp.h"
#include "util/error.h"

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long now_ms(void)
{
	return now_us() / 1000;
}

/* Waits (polling every 200 us) until path exists: a QEMU started by hand creates its QMP socket
 * some time after exec, and vc_qmp_connect retries only every 10 ms, which would add up to 10 ms
 * to the by-hand baseline. */
static void wait_exists(const char *path, long long deadline)
{
	struct stat st;
	while (stat(path, &st) < 0 && now_ms() < deadline)
		usleep(200);
}

static int fail_err(const char *what, vc_error *err)
{
	char *msg = vc_error_format(err);
	fprintf(stderr, "bench-boot: %s: %s\n", what, msg);
	free(msg);
	vc_error_free(err);
	return 1;
}

static pid_t spawn(char **argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	pid_t pid = -1;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	int rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDWR, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, STDIN_FILENO, STDOUT_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, STDIN_FILENO, STDERR_FILENO);
	if (rc == 0)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	if (rc == 0)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	if (rc == 0)
		rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return pid;
}

/* One query-status over a new QMP session: 0 when it says running. */
static int verify_running(const char *sock, long long deadline)
{
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_connect(sock, (int)(deadline - now_ms()), &err);
	if (!q)
		return fail_err("qmp connect (verify)", err);
	json_t *r = vc_qmp_execute(q, "query-status", NULL, (int)(deadline - now_ms()), &err);
	vc_qmp_close(q);
	if (!r)
		return fail_err("query-status (verify)", err);
	const char *st = json_string_value(json_object_get(r, "status"));
	int running = st && strcmp(st, "running") == 0;
	if (!running)
		fprintf(stderr, "bench-boot: the VM is not running after the sequence (status '%s')\n",
			st ? st : "?");
	json_decref(r);
	return running ? 0 : 1;
}

static int file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t nl = strlen(needle), have = 0;
	char *buf = NULL;
	size_t cap = 0;
	int c;
	int found = 0;
	while ((c = getc(f)) != EOF) {
		if (have + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		buf[have++] = (char)c;
		buf[have] = '\0';
		if (have >= nl && memcmp(buf + have - nl, needle, nl) == 0) {
			found = 1;
			break;
		}
	}
	free(buf);
	fclose(f);
	return found;
}

/* Polls query-status until "running"; the caller's deadline bounds it. */
static int wait_running(vc_qmp *q, long long deadline, vc_error **err)
{
	for (;;) {
		int left = (int)(deadline - now_ms());
		if (left <= 0)
			return vc_error_set(err, VC_ERR_TIMEOUT, "VM not running before the deadline"),
			       -1;
		json_t *r = vc_qmp_execute(q, "query-status", NULL, left, err);
		if (!r)
			return -1;
		const char *st = json_string_value(json_object_get(r, "status"));
		int running = st && strcmp(st, "running") == 0;
		json_decref(r);
		if (running)
			return 0;
		usleep(1000);
	}
}

int main(int argc, char **argv)
{
	const char *cont_sock = NULL, *running_sock = NULL, *verify_sock = NULL, *marker = NULL,
		   *file = NULL;
	int bg = 0, quit = 0;
	long long timeout = 60000, reap = -1;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(o, "--bg") == 0)
			bg = 1;
		else if (strcmp(o, "--quit") == 0)
			quit = 1;
		else if (v && strcmp(o, "--cont") == 0)
			cont_sock = v, i++;
		else if (v && strcmp(o, "--running") == 0)
			running_sock = v, i++;
		else if (v && strcmp(o, "--verify-running") == 0)
			verify_sock = v, i++;
		else if (v && strcmp(o, "--marker") == 0)
			marker = v, i++;
		else if (v && strcmp(o, "--file") == 0)
			file = v, i++;
		else if (v && strcmp(o, "--timeout") == 0)
			timeout = atoll(v), i++;
		else if (v && strcmp(o, "--reap") == 0)
			reap = atoll(v), i++;
		else {
			fprintf(stderr, "bench-boot: bad option '%s'\n", o);
			return 2;
		}
	}
	if (i >= argc || (marker && !file) || (cont_sock && running_sock) ||
	    (verify_sock && (cont_sock || running_sock))) {
		fprintf(stderr, "bench-boot: usage: see the comment at the top of bench-boot.c\n");
		return 2;
	}

	long long t0_us = now_us(), deadline = t0_us / 1000 + timeout;
	pid_t last = -1;
	while (i < argc) {
		int end = i;
		while (end < argc && strcmp(argv[end], "--then") != 0)
			end++;
		int is_last = end >= argc;
		argv[end < argc ? end : argc] = NULL;
		pid_t pid = spawn(argv + i);
		if (pid < 0) {
			fprintf(stderr, "bench-boot: spawn '%s': %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (is_last && bg) {
			last = pid;
		} else {
			int status;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "bench-boot: '%s' failed (status %d)\n", argv[i],
					status);
				return 1;
			}
		}
		i = end + 1;
	}

	vc_error *err = NULL;
	vc_qmp *q = NULL;
	const char *sock = cont_sock ? cont_sock : running_sock;
	int rc = 0;
	if (sock) {
		wait_exists(sock, deadline);
		q = vc_qmp_connect(sock, (int)(deadline - now_ms()), &err);
		if (!q) {
			rc = fail_err("qmp connect", err);
			goto out;
		}
		if (cont_sock) {
			json_t *r = vc_qmp_execute(q, "cont", NULL, (int)(deadline - now_ms()), &err);
			if (!r) {
				rc = fail_err("cont", err);
				goto out;
			}
			json_decref(r);
		} else if (wait_running(q, deadline, &err) < 0) {
			rc = fail_err("query-status", err);
			goto out;
		}
	}
	if (marker) {
		while (!file_contains(file, marker)) {
			if (now_ms() > deadline) {
				fprintf(stderr, "bench-boot: no '%s' in %s before the deadline\n",
					marker, file);
				rc = 1;
				goto out;
			}
			usleep(2000);
		}
	}
	long long elapsed_us = now_us() - t0_us;
	/* Untimed checks that the VM really runs. */
	if (cont_sock && wait_running(q, deadline, &err) < 0) {
		rc = fail_err("query-status", err);
		goto out;
	}
	if (verify_sock && (rc = verify_running(verify_sock, deadline)) != 0)
		goto out;
	printf("%.3f\n", (double)elapsed_us / 1000.0);
out:
	if (q && quit)
		vc_qmp_quit(q, 2000, NULL);
	vc_qmp_close(q);
	if (last > 0) {
		long long until = now_ms() + (reap >= 0 ? reap : 0);
		int status;
		while (waitpid(last, &status, WNOHANG) == 0) {
			if (now_ms() >= until) {
				kill(-last, SIGKILL);
				kill(last, SIGKILL);
				waitpid(last, &status, 0);
				break;
			}
			usleep(5000);
		}
	}
	return rc;
}
