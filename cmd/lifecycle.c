/* create start state list pause resume kill stop delete run console: parse, call
 * lib/sandbox/lifecycle, print. */
#include <config.h>
#include "asset_opts.h"
#include "cli.h"
#include "config/load.h"
#include "sandbox/lifecycle.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Exactly one positional argument, the sandbox id. */
static const char *one_id(const char *cmd, int argc, char **argv, int first)
{
	if (first >= argc) {
		vc_cli_usage_error(cmd, "missing sandbox id");
		return NULL;
	}
	if (first + 1 < argc) {
		vc_cli_usage_error(cmd, "unexpected argument '%s'", argv[first + 1]);
		return NULL;
	}
	return argv[first];
}

/* For commands whose only options are --help (handled by main) and "--". */
static int only_id(const char *cmd, int argc, char **argv, const char **id)
{
	int first = 1;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	else if (first < argc && argv[first][0] == '-' && argv[first][1])
		return vc_cli_usage_error(cmd, "unknown option '%s'", argv[first]);
	*id = one_id(cmd, argc, argv, first);
	return *id ? 0 : VC_EXIT_USAGE;
}

static int print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return VC_EXIT_FAILURE;
	puts(s);
	free(s);
	return VC_EXIT_OK;
}

/* ---- create and run ------------------------------------------------------------------- */

typedef struct create_args {
	vc_config_request req; /* the asset options and --bundle */
	const char *pid_file, *console_socket;
	int preserve_fds;
	vc_drive_spec *drives;
	size_t n_drives;
	bool keep;
	const char *id;
} create_args;

static void create_args_clear(create_args *a)
{
	for (size_t i = 0; i < a->n_drives; i++)
		vc_drive_spec_clear(&a->drives[i]);
	free(a->drives);
}

enum {
	OPT_PID_FILE = 256,
	OPT_CONSOLE_SOCKET,
	OPT_DRIVE,
	OPT_NO_PIVOT,
	OPT_NO_NEW_KEYRING,
	OPT_PRESERVE_FDS,
	OPT_KEEP,
};

static const struct option create_options[] = {
    VC_ASSET_LONG_OPTIONS,
    {"pid-file", required_argument, NULL, OPT_PID_FILE},
    {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
    {"drive", required_argument, NULL, OPT_DRIVE},
    {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
    {"no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING},
    {"preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS},
    {"keep", no_argument, NULL, OPT_KEEP},
    {NULL, 0, NULL, 0},
};

static int parse_create(const char *cmd, bool is_run, int argc, char **argv, create_args *a)
{
	cleanup_error vc_error *err = NULL;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":b:", create_options, NULL)) != -1) {
		if (vc_cli_asset_option(c, optarg, &a->req))
			continue;
		switch (c) {
		case OPT_PID_FILE:
			a->pid_file = optarg;
			break;
		case OPT_CONSOLE_SOCKET:
			a->console_socket = optarg;
			break;
		case OPT_DRIVE:
			a->drives = xreallocarray(a->drives, a->n_drives + 1, sizeof(*a->drives));
			memset(&a->drives[a->n_drives], 0, sizeof(*a->drives));
			if (vc_drive_spec_parse(optarg, &a->drives[a->n_drives], &err) < 0)
				return vc_cli_usage_error(cmd, "%s", err->msg);
			a->n_drives++;
			break;
		case OPT_NO_PIVOT:
		case OPT_NO_NEW_KEYRING:
			break; /* runc compatibility: a VM has no rootfs to pivot nor keyring */
		case OPT_PRESERVE_FDS: {
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || *end || errno || n > INT_MAX - 3)
				return vc_cli_usage_error(
				    cmd, "--preserve-fds '%s' is not a non-negative integer",
				    optarg);
			a->preserve_fds = (int)n;
			break;
		}
		case OPT_KEEP:
			if (!is_run)
				return vc_cli_usage_error(cmd, "unknown option '--keep'");
			a->keep = true;
			break;
		case ':':
			return vc_cli_usage_error(cmd, "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return vc_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	a->id = one_id(cmd, argc, argv, optind);
	return a->id ? 0 : VC_EXIT_USAGE;
}

static vc_hypervisor_config *load_config(vc_cli *cli, const create_args *a, vc_error **err)
{
	vc_config_request req = a->req;
	req.path = cli->config_path;
	req.hypervisor = cli->hypervisor;
	req.check_host = false; /* the backend's init checks what it will use */
	vc_hypervisor_config *c = vc_config_load(&req, err);
	if (!c)
		vc_error_wrap(err, "configuration");
	return c;
}

static void fill_opts(vc_cli *cli, const create_args *a, vc_hypervisor_config *c, vc_create_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->root = cli->root;
	o->id = a->id;
	o->bundle = a->req.bundle;
	o->pid_file = a->pid_file;
	o->console_socket = a->console_socket;
	o->preserve_fds = a->preserve_fds;
	o->config = c;
	o->drives = a->drives;
	o->n_drives = a->n_drives;
}

/* What create and run share: the command line parsed, the id checked, the configuration loaded
 * and the lifecycle options filled in. Returns 0, or the exit code (args cleared, error printed).
 */
static int prepare_create(vc_cli *cli, const char *cmd, bool is_run, int argc, char **argv,
			  create_args *a, vc_hypervisor_config **c, vc_create_opts *o)
{
	int r = parse_create(cmd, is_run, argc, argv, a);
	if (r != 0) {
		create_args_clear(a);
		return r;
	}
	vc_error *err = NULL;
	if (vc_id_validate(a->id, &err) < 0 || !(*c = load_config(cli, a, &err))) {
		create_args_clear(a);
		return vc_cli_fail(err);
	}
	fill_opts(cli, a, *c, o);
	return 0;
}

int vc_cmd_create(vc_cli *cli, int argc, char **argv)
{
	create_args a = {0};
	vc_hypervisor_config *c = NULL;
	vc_create_opts o;
	int r = prepare_create(cli, "create", false, argc, argv, &a, &c, &o);
	if (r != 0)
		return r;
	vc_error *err = NULL;
	r = vc_lc_create(&o, NULL, &err);
	vc_config_free(c);
	create_args_clear(&a);
	return r < 0 ? vc_cli_fail(err) : VC_EXIT_OK;
}

static volatile sig_atomic_t run_interrupted;

static void on_run_signal(int signo)
{
	run_interrupted = signo;
}

static int copy_new(int from, int to)
{
	char buf[8192];
	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf));
		if (n <= 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			off += w;
		}
	}
}

/* create + start, the guest console (the console log, which holds everything the guest printed)
 * on stdout until the VM exits; delete unless --keep. Exit 0 after a clean guest poweroff. */
int vc_cmd_run(vc_cli *cli, int argc, char **argv)
{
	create_args a = {0};
	vc_hypervisor_config *c = NULL;
	vc_create_opts o;
	int r = prepare_create(cli, "run", true, argc, argv, &a, &c, &o);
	if (r != 0)
		return r;
	vc_error *err = NULL;
	o.keep_child = true;
	pid_t pid = 0;
	r = vc_lc_create(&o, &pid, &err);
	vc_config_free(c);
	bool keep = a.keep;
	const char *id = a.id;
	if (r < 0) {
		create_args_clear(&a);
		return vc_cli_fail(err);
	}
	cleanup_free char *log_path = vc_lc_console_log(cli->root, id, &err);
	int log_fd = log_path && *log_path ? open(log_path, O_RDONLY | O_CLOEXEC) : -1;
	struct sigaction sa = {.sa_handler = on_run_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int status = 0;
	if (vc_lc_start(cli->root, id, &err) < 0) {
		vc_error *derr = NULL;
		vc_lc_delete(cli->root, id, true, &derr);
		vc_error_free(derr);
		if (log_fd >= 0)
			close(log_fd);
		create_args_clear(&a);
		return vc_cli_fail(err);
	}
	bool signalled = false;
	for (;;) {
		if (log_fd < 0 && log_path && *log_path)
			log_fd = open(log_path, O_RDONLY | O_CLOEXEC);
		if (log_fd >= 0)
			copy_new(log_fd, STDOUT_FILENO);
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno == ECHILD))
			break;
		if (run_interrupted && !signalled) {
			vc_info("run: signal %d: ending the VM", (int)run_interrupted);
			kill(pid, SIGTERM); /* QEMU ends cleanly on SIGTERM */
			signalled = true;
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (log_fd >= 0) {
		copy_new(log_fd, STDOUT_FILENO);
		close(log_fd);
	}
	int code = VC_EXIT_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		vc_log(VC_LOG_ERROR, "run: the hypervisor exited with status %d",
		       WEXITSTATUS(status));
		code = VC_EXIT_FAILURE;
	} else if (WIFSIGNALED(status)) {
		vc_log(VC_LOG_ERROR, "run: the hypervisor was killed by signal %d",
		       WTERMSIG(status));
		code = VC_EXIT_FAILURE;
	} else if (run_interrupted) {
		code = VC_EXIT_FAILURE;
	}
	if (!keep && vc_lc_delete(cli->root, id, true, &err) < 0) {
		create_args_clear(&a);
		return vc_cli_fail(err);
	}
	create_args_clear(&a);
	return code;
}

/* ---- the one-id commands -------------------------------------------------------------- */

#define SIMPLE_COMMAND(fn, name, call)                                                             \
	int fn(vc_cli *cli, int argc, char **argv)                                                 \
	{                                                                                          \
		const char *id;                                                                    \
		int r = only_id(name, argc, argv, &id);                                            \
		if (r != 0)                                                                        \
			return r;                                                                  \
		vc_error *err = NULL;                                                              \
		if (call(cli->root, id, &err) < 0)                                                 \
			return vc_cli_fail(err);                                                   \
		return VC_EXIT_OK;                                                                 \
	}

SIMPLE_COMMAND(vc_cmd_start, "start", vc_lc_start)
SIMPLE_COMMAND(vc_cmd_pause, "pause", vc_lc_pause)
SIMPLE_COMMAND(vc_cmd_resume, "resume", vc_lc_resume)

int vc_cmd_state(vc_cli *cli, int argc, char **argv)
{
	const char *id;
	int r = only_id("state", argc, argv, &id);
	if (r != 0)
		return r;
	vc_error *err = NULL;
	json_t *s = vc_lc_state(cli->root, id, &err);
	return s ? print_json(s) : vc_cli_fail(err);
}

typedef struct list_table {
	bool quiet, header_done;
} list_table;

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void list_row(const vc_lc_list_entry *e, void *ctx)
{
	list_table *t = ctx;
	if (!t->quiet && !t->header_done) {
		printf("%-24s %-8s %-9s %-10s %-32s %s\n", "ID", "PID", "STATUS", "HYPERVISOR",
		       "CREATED", "BUNDLE");
		t->header_done = true;
	}
	if (!e)
		return;
	if (t->quiet) {
		printf("%s\n", e->st->id);
		return;
	}
	printf("%-24s %-8lld %-9s %-10s %-32s %s\n", e->st->id, (long long)e->pid,
	       vc_status_name(e->status), or_empty(e->st->hypervisor), or_empty(e->st->created),
	       or_empty(e->st->bundle));
}

int vc_cmd_list(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"live", no_argument, NULL, 'l'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	bool quiet = false, live = false;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:q", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'q')
			quiet = true;
		else if (c == 'l')
			live = true;
		else if (c == ':')
			return vc_cli_usage_error("list", "option '%s' needs a value",
						  argv[optind - 1]);
		else
			return vc_cli_usage_error("list", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return vc_cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return vc_cli_usage_error("list", "invalid format '%s' (expected table or json)",
					  format);
	vc_error *err = NULL;
	if (strcmp(format, "json") == 0) {
		json_t *a = live ? vc_lc_list_live(cli->root, &err) : vc_lc_list(cli->root, &err);
		return a ? print_json(a) : vc_cli_fail(err);
	}
	/* The table is printed as the sandboxes come (a thousand of them need no array); its
	 * header once the root could be read. */
	list_table t = {.quiet = quiet};
	if (vc_lc_list_each(cli->root, live, list_row, &t, &err) < 0)
		return vc_cli_fail(err);
	list_row(NULL, &t); /* the header of an empty table */
	return VC_EXIT_OK;
}

/* runc's `ps`, which containerd's shim calls: the processes of the sandbox. For a VM that is the
 * hypervisor process (the guest's processes are not visible from the host). */
int vc_cmd_ps(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == ':')
			return vc_cli_usage_error("ps", "option '%s' needs a value",
						  argv[optind - 1]);
		else
			return vc_cli_usage_error("ps", "unknown option '%s'", argv[optind - 1]);
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return vc_cli_usage_error("ps", "invalid format '%s' (expected table or json)",
					  format);
	const char *id = one_id("ps", argc, argv, optind);
	if (!id)
		return VC_EXIT_USAGE;
	vc_error *err = NULL;
	json_t *s = vc_lc_state(cli->root, id, &err);
	if (!s)
		return vc_cli_fail(err);
	json_int_t pid = json_integer_value(json_object_get(s, "pid"));
	json_decref(s);
	if (strcmp(format, "json") == 0) {
		printf(pid > 0 ? "[%lld]\n" : "[]\n", (long long)pid);
	} else {
		printf("PID\n");
		if (pid > 0)
			printf("%lld\n", (long long)pid);
	}
	return VC_EXIT_OK;
}

int vc_cmd_kill(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	bool all = false;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else
			return vc_cli_usage_error("kill", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return vc_cli_usage_error("kill", "missing sandbox id");
	const char *id = argv[optind];
	const char *sig = optind + 1 < argc ? argv[optind + 1] : "TERM";
	if (optind + 2 < argc)
		return vc_cli_usage_error("kill", "unexpected argument '%s'", argv[optind + 2]);
	int signo = vc_signal_parse(sig);
	if (signo < 0)
		return vc_cli_usage_error("kill", "unknown signal '%s'", sig);
	vc_error *err = NULL;
	if (vc_lc_kill(cli->root, id, signo, all, &err) < 0)
		return vc_cli_fail(err);
	return VC_EXIT_OK;
}

int vc_cmd_stop(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"timeout", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	long timeout = 10;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":t:", opts, NULL)) != -1) {
		if (c == 't') {
			char *end;
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 0 || timeout > 3600)
				return vc_cli_usage_error("stop",
							  "--timeout '%s' is not a number of "
							  "seconds from 0 to 3600",
							  optarg);
		} else if (c == ':') {
			return vc_cli_usage_error("stop", "option '%s' needs a value",
						  argv[optind - 1]);
		} else {
			return vc_cli_usage_error("stop", "unknown option '%s'", argv[optind - 1]);
		}
	}
	const char *id = one_id("stop", argc, argv, optind);
	if (!id)
		return VC_EXIT_USAGE;
	vc_error *err = NULL;
	if (vc_lc_stop(cli->root, id, (int)timeout, &err) < 0)
		return vc_cli_fail(err);
	return VC_EXIT_OK;
}

int vc_cmd_delete(vc_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	bool force = false;
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c == 'f')
			force = true;
		else
			return vc_cli_usage_error("delete", "unknown option '%s'",
						  argv[optind - 1]);
	}
	const char *id = one_id("delete", argc, argv, optind);
	if (!id)
		return VC_EXIT_USAGE;
	vc_error *err = NULL;
	if (vc_lc_delete(cli->root, id, force, &err) < 0)
		return vc_cli_fail(err);
	return VC_EXIT_OK;
}

/* ---- console -------------------------------------------------------------------------- */

#define DETACH_KEY 0x1d /* Ctrl-] */

int vc_cmd_console(vc_cli *cli, int argc, char **argv)
{
	const char *id;
	int r = only_id("console", argc, argv, &id);
	if (r != 0)
		return r;
	vc_error *err = NULL;
	cleanup_close int fd = vc_lc_console(cli->root, id, &err);
	if (fd < 0)
		return vc_cli_fail(err);
	struct termios saved, raw;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		fprintf(stderr, "vcrun: attached to the console of '%s'; Ctrl-] detaches\r\n", id);
	}
	bool in_open = true;
	for (;;) {
		struct pollfd p[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, in_open ? POLLIN : 0, 0}};
		if (poll(p, in_open ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		char buf[4096];
		if (p[0].revents) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n <= 0 || write(STDOUT_FILENO, buf, (size_t)n) != n)
				break;
		}
		if (in_open && p[1].revents) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0) {
				in_open = false; /* keep showing output until the VM closes */
				continue;
			}
			char *k = tty ? memchr(buf, DETACH_KEY, (size_t)n) : NULL;
			ssize_t len = k ? k - buf : n;
			if (len > 0 && write(fd, buf, (size_t)len) != len)
				break;
			if (k)
				break;
		}
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fprintf(stderr, "\nvcrun: detached from '%s'\n", id);
	}
	return VC_EXIT_OK;
}
