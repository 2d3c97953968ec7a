/* bench-time [-o FILE] [-i FILE] CMD [ARG...]
 * Runs CMD once (fork + execvp, no shell) with stdout and stderr on /dev/null (stdin from FILE
 * with -i, else /dev/null) and appends one line "WALL_NS CPU_NS MAXRSS_KIB STATUS" to FILE
 * (stdout without -o): wall time from just before fork to the end of wait4, the child's user +
 * system CPU time and its peak resident set size from the rusage wait4 returns (the child
 * alone, not its own children). Exits with the command's exit status (128+N for signal N).
 * The benchmark scripts call it in alternating loops and take medians. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000000LL + (long long)tv.tv_usec * 1000LL;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *in_path = "/dev/null";
	int opt;
	while ((opt = getopt(argc, argv, "+o:i:")) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 'i')
			in_path = optarg;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: bench-time [-o FILE] [-i FILE] CMD [ARG...]\n");
		return 2;
	}
	int in = open(in_path, O_RDONLY | O_CLOEXEC);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (in < 0 || null < 0) {
		fprintf(stderr, "bench-time: open: %s\n", strerror(errno));
		return 1;
	}
	long long t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench-time: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		dup2(in, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench-time: wait4: %s\n", strerror(errno));
			return 1;
		}
	}
	long long wall = now_ns() - t0;
	long long cpu = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *out = stdout;
	if (out_path && !(out = fopen(out_path, "a"))) {
		fprintf(stderr, "bench-time: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	fprintf(out, "%lld %lld %ld %d\n", wall, cpu, ru.ru_maxrss, code);
	if (out != stdout)
		fclose(out);
	return code;
}
