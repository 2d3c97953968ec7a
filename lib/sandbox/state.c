#include <config.h>
#include "sandbox/state.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define STATE_FILE "state.json"
#define LOCK_WAIT_MS 60000

int vc_id_validate(const char *id, vc_error **err)
{
	if (!id || !*id)
		return vc_error_set(err, VC_ERR_USAGE, "invalid sandbox id '': must not be empty");
	size_t n = strlen(id);
	if (n > VC_ID_MAX)
		return vc_error_set(err, VC_ERR_USAGE,
				    "invalid sandbox id '%.20s...': longer than %d bytes", id,
				    VC_ID_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (i == 0 && !alnum)
			return vc_error_set(
			    err, VC_ERR_USAGE,
			    "invalid sandbox id '%s': must start with a letter or digit", id);
		if (!alnum && c != '_' && c != '+' && c != '.' && c != '-')
			return vc_error_set(err, VC_ERR_USAGE,
					    "invalid sandbox id '%s': only letters, digits and "
					    "'_' '+' '.' '-' are allowed",
					    id);
	}
	return 0;
}

static int mkdir_parents(const char *path)
{
	cleanup_free char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

int vc_state_root_open(const char *root, vc_error **err)
{
	if (!root || !*root)
		return vc_error_set(err, VC_ERR_USAGE, "empty state root");
	if (mkdir(root, 0700) < 0 && errno != EEXIST) {
		if (errno != ENOENT || mkdir_parents(root) < 0 ||
		    (mkdir(root, 0700) < 0 && errno != EEXIST))
			return vc_error_set_errno(err, errno, "create state root '%s'", root);
	}
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "open state root '%s'", root);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return vc_error_set_errno(err, e, "stat state root '%s'", root);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return vc_error_set(err, VC_ERR_GENERIC,
				    "state root '%s' is owned by uid %u, not by us (uid %u)", root,
				    (unsigned)st.st_uid, (unsigned)geteuid());
	}
	if ((st.st_mode & 0077) != 0) {
		vc_debug("tightening mode of state root '%s' from %03o to 0700", root,
			 (unsigned)(st.st_mode & 0777));
		if (fchmod(fd, 0700) < 0) {
			int e = errno;
			close(fd);
			return vc_error_set_errno(err, e, "chmod state root '%s'", root);
		}
	}
	return fd;
}

static int open_root_existing(const char *root, vc_error **err)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		return vc_error_set_errno(err, errno, "open state root '%s'", root);
	return fd; /* -1 with errno ENOENT: no root, so no sandboxes */
}

/* /proc, opened once per process (close-on-exec) and kept: `list` looks at one process per
 * sandbox, and a path relative to it saves walking "/proc" each time. -1 when it cannot be
 * opened (the absolute path is used then). */
static int proc_dir(void)
{
	static int fd = -2;
	if (fd == -2)
		fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

int vc_proc_start_time(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024];
	if (pid <= 0)
		return 0;
	int dir = proc_dir();
	snprintf(path, sizeof(path), "%s%d/stat", dir >= 0 ? "" : "/proc/", (int)pid);
	int fd = openat(dir >= 0 ? dir : AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0; /* the process went away between open and read */
	buf[n] = '\0';
	/* comm (field 2) may contain spaces and parentheses: parse after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	char state = 0;
	uint64_t st = 0;
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (field == 3)
			state = *p;
		if (field == 22)
			st = strtoull(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	if (start)
		*start = st;
	return state == 'Z' || state == 'X' || state == 'x' ? 0 : 1;
}

bool vc_proc_alive(pid_t pid, uint64_t start)
{
	uint64_t now = 0;
	if (vc_proc_start_time(pid, &now) != 1)
		return false;
	return now == start;
}

void vc_fault_point(const char *point)
{
	static unsigned hits[8];
	static const char *names[8];
	const char *want = getenv("VCRUN_TEST_KILL_AT");
	if (!want)
		return;
	size_t n = strlen(point);
	if (strncmp(want, point, n) != 0 || (want[n] != '\0' && want[n] != ':'))
		return;
	unsigned nth = want[n] == ':' ? (unsigned)strtoul(want + n + 1, NULL, 10) : 1;
	size_t slot = 0;
	while (slot < 7 && names[slot] && strcmp(names[slot], point) != 0)
		slot++;
	names[slot] = point;
	if (++hits[slot] == nth) {
		vc_debug("fault point '%s' (%u): killing myself", point, nth);
		raise(SIGKILL);
	}
}

static char *json_str_dup(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v ? v : ""));
}

json_t *vc_state_to_json(const vc_sandbox_state *st)
{
	json_t *o = json_object();
	set_str(o, "id", st->id);
	set_str(o, "bundle", st->bundle);
	set_str(o, "hypervisor", st->hypervisor);
	set_str(o, "created", st->created);
	json_object_set_new(o, "pid", json_integer(st->pid));
	json_object_set_new(o, "pid_start", json_integer((json_int_t)st->pid_start));
	json_object_set_new(o, "create_done", json_boolean(st->create_done));
	if (st->status)
		set_str(o, "status", st->status);
	set_str(o, "qmp_socket", st->qmp_socket);
	set_str(o, "console_socket", st->console_socket);
	set_str(o, "console_log", st->console_log);
	set_str(o, "hypervisor_log", st->hypervisor_log);
	if (st->oci_console_socket)
		set_str(o, "oci_console_socket", st->oci_console_socket);
	if (st->console_tty)
		set_str(o, "console_tty", st->console_tty);
	json_object_set_new(o, "annotations",
			    st->annotations ? json_incref(st->annotations) : json_object());
	json_object_set_new(o, "vm", st->vm ? json_incref(st->vm) : json_object());
	json_object_set_new(o, "devices", st->devices ? json_incref(st->devices) : json_array());
	return o;
}

int vc_state_from_json(json_t *j, vc_sandbox_state *st, vc_error **err)
{
	if (!json_is_object(j))
		return vc_error_set(err, VC_ERR_PARSE, "state is not a JSON object");
	json_t *id = json_object_get(j, "id");
	json_t *pid = json_object_get(j, "pid");
	if (!json_is_string(id) || !json_is_integer(pid))
		return vc_error_set(err, VC_ERR_PARSE, "state lacks 'id' or 'pid'");
	st->id = xstrdup(json_string_value(id));
	st->pid = (pid_t)json_integer_value(pid);
	json_t *ps = json_object_get(j, "pid_start");
	st->pid_start = json_is_integer(ps) ? (uint64_t)json_integer_value(ps) : 0;
	st->create_done = json_is_true(json_object_get(j, "create_done"));
	st->status = json_str_dup(j, "status");
	st->bundle = json_str_dup(j, "bundle");
	st->hypervisor = json_str_dup(j, "hypervisor");
	st->created = json_str_dup(j, "created");
	st->qmp_socket = json_str_dup(j, "qmp_socket");
	st->console_socket = json_str_dup(j, "console_socket");
	st->console_log = json_str_dup(j, "console_log");
	st->hypervisor_log = json_str_dup(j, "hypervisor_log");
	st->oci_console_socket = json_str_dup(j, "oci_console_socket");
	st->console_tty = json_str_dup(j, "console_tty");
	json_t *a = json_object_get(j, "annotations");
	st->annotations = json_is_object(a) ? json_incref(a) : json_object();
	json_t *vm = json_object_get(j, "vm");
	st->vm = json_is_object(vm) ? json_incref(vm) : json_object();
	json_t *d = json_object_get(j, "devices");
	st->devices = json_is_array(d) ? json_incref(d) : json_array();
	return 0;
}

void vc_state_clear(vc_sandbox_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->hypervisor);
	free(st->created);
	free(st->status);
	free(st->qmp_socket);
	free(st->console_socket);
	free(st->console_log);
	free(st->hypervisor_log);
	free(st->oci_console_socket);
	free(st->console_tty);
	json_decref(st->annotations);
	json_decref(st->vm);
	json_decref(st->devices);
	memset(st, 0, sizeof(*st));
}

static void state_copy(vc_sandbox_state *dst, const vc_sandbox_state *src)
{
	json_t *j = vc_state_to_json(src);
	vc_state_from_json(j, dst, NULL);
	json_decref(j);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Puts the complete file tmp in place of state.json in dir_fd, atomically. An existing
 * state.json is swapped with tmp (RENAME_EXCHANGE), then the old version, now named tmp, is
 * removed: a plain rename over an existing file makes ext4 (auto_da_alloc) start writing the
 * new file's data back to disk first, which cost 0.4-2 ms per state write here, several per
 * create; the swap does not, and readers still see either the old or the new file. The first
 * write (no state.json yet) and filesystems without the swap use a plain rename. 0 or -1. */
static int publish_state(int dir_fd, const char *tmp)
{
	if (renameat2(dir_fd, tmp, dir_fd, STATE_FILE, RENAME_EXCHANGE) == 0) {
		/* tmp holds the previous state now; should the unlink fail, the leftover is
		 * harmless: nothing reads it, and delete removes it with the directory */
		(void)unlinkat(dir_fd, tmp, 0);
		return 0;
	}
	if (errno != ENOENT && errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	return renameat(dir_fd, tmp, dir_fd, STATE_FILE);
}

/* state.json in the directory dir_fd, atomically: a temporary file put in its place, so that a
 * reader sees the old or the new version, never a mix, and a crash of vcrun or a full disk
 * leaves the previous one. Not fsynced (runc does not sync its state either): it describes
 * processes that a power loss ends too, and what such a loss may leave (an old, empty or torn
 * file) is reported as a stopped or damaged sandbox that delete removes. */
static int write_state_at(int dir_fd, const char *dir, const vc_sandbox_state *st, vc_error **err)
{
	json_t *j = vc_state_to_json(st);
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return vc_error_set(err, VC_ERR_GENERIC, "cannot encode state of '%s'", st->id);
	cleanup_free char *body = xasprintf("%s\n", text);
	free(text);

	char tmp[64];
	snprintf(tmp, sizeof(tmp), ".%s.tmp-%d", STATE_FILE, (int)getpid());
	int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) {
		unlinkat(dir_fd, tmp, 0); /* left by a crashed writer that had our pid */
		fd =
		    openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (fd < 0)
		return vc_error_set_errno(err, errno, "write state in '%s'", dir);
	if (write_all(fd, body, strlen(body)) < 0) {
		int e = errno;
		close(fd);
		unlinkat(dir_fd, tmp, 0);
		return vc_error_set_errno(err, e, "write state in '%s'", dir);
	}
	if (close(fd) < 0) {
		int e = errno;
		unlinkat(dir_fd, tmp, 0);
		return vc_error_set_errno(err, e, "write state in '%s'", dir);
	}
	vc_fault_point("state-write");
	if (publish_state(dir_fd, tmp) < 0) {
		int e = errno;
		unlinkat(dir_fd, tmp, 0);
		return vc_error_set_errno(err, e, "replace state in '%s'", dir);
	}
	return 0;
}

int vc_state_write(vc_sandbox *sb, vc_error **err)
{
	return write_state_at(sb->dir_fd, sb->dir, &sb->st, err);
}

/* Reads and parses the open state file fd (closed here). 1 when read, -1 on error. lean: see
 * vc_state_scan. A state file as vcrun writes it takes one read and the fast reader; anything
 * else (larger, not a regular file, in another shape) gets the checks below and jansson. */
static int read_state_fd(int state_fd, const char *dir, bool lean, vc_sandbox_state *st,
			 vc_error **err)
{
	cleanup_close int fd = state_fd;
	char first[4096];
	ssize_t n;
	do
		n = read(fd, first, sizeof(first));
	while (n < 0 && errno == EINTR);
	/* A short read of a regular file is all of it. (Text in vcrun's shape read from something
	 * else, a FIFO somebody feeds, is taken as it is: only the owner of the root can put one
	 * there.) */
	if (n >= 0 && (size_t)n < sizeof(first) && vc_state_scan(first, (size_t)n, lean, st) == 0)
		return 1;
	struct stat s;
	if (fstat(fd, &s) < 0 || !S_ISREG(s.st_mode))
		return vc_error_set(err, VC_ERR_GENERIC, "'%s/%s' is not a regular file", dir,
				    STATE_FILE);
	if (s.st_size > (1 << 20))
		return vc_error_set(err, VC_ERR_LIMIT, "'%s/%s' is larger than 1 MiB", dir,
				    STATE_FILE);
	size_t got = n > 0 ? (size_t)n : 0;
	size_t size = (size_t)s.st_size > got ? (size_t)s.st_size : got;
	cleanup_free char *buf = xmalloc(size + 1);
	memcpy(buf, first, got);
	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	json_error_t je;
	json_t *j = json_loadb(buf, got, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return vc_error_set(err, VC_ERR_PARSE, "%s/%s:%d:%d: %s", dir, STATE_FILE, je.line,
				    je.column, je.text);
	int r = vc_state_from_json(j, st, err);
	json_decref(j);
	if (r < 0)
		return vc_error_wrap(err, "%s/%s", dir, STATE_FILE);
	return 1;
}

/* O_NONBLOCK: a FIFO in place of the state file must not hang us (it reads as empty, then fstat
 * refuses it). */
#define STATE_OPEN_FLAGS (O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)

/* 1 when read, 0 when there is no state file, -1 on error. */
static int read_state_at(int dir_fd, const char *dir, bool lean, vc_sandbox_state *st,
			 vc_error **err)
{
	int fd = openat(dir_fd, STATE_FILE, STATE_OPEN_FLAGS);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP)
			return vc_error_set(err, VC_ERR_GENERIC,
					    "refusing '%s/%s': it is a symbolic link", dir,
					    STATE_FILE);
		return vc_error_set_errno(err, errno, "open '%s/%s'", dir, STATE_FILE);
	}
	return read_state_fd(fd, dir, lean, st, err);
}

static void sandbox_free(vc_sandbox *sb)
{
	if (!sb)
		return;
	if (sb->dir_fd >= 0)
		close(sb->dir_fd); /* releases the flock */
	if (sb->root_fd >= 0)
		close(sb->root_fd);
	vc_state_clear(&sb->st);
	free(sb->root);
	free(sb->dir);
	free(sb);
}

void vc_sandbox_close(vc_sandbox *sb)
{
	sandbox_free(sb);
}

/* Paths recorded in the state (sockets QEMU was told about) must not depend on the cwd of the
 * command that created the sandbox. */
static char *absolute(const char *root)
{
	char *r = realpath(root, NULL);
	return r ? r : xstrdup(root);
}

static vc_sandbox *sandbox_alloc(const char *root, const char *id)
{
	vc_sandbox *sb = xzalloc(sizeof(*sb));
	sb->root = absolute(root);
	root = sb->root;
	sb->dir = xasprintf("%s/%s", root, id);
	sb->root_fd = -1;
	sb->dir_fd = -1;
	return sb;
}

char *vc_sandbox_path(const vc_sandbox *sb, const char *name)
{
	return xasprintf("%s/%s", sb->dir, name);
}

/* Removes every entry of a directory (one level of subdirectories), then the directory. */
static int remove_tree_at(int parent_fd, const char *name)
{
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return unlinkat(parent_fd, name, 0);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno == EISDIR)
			remove_tree_at(dirfd(d), e->d_name);
	}
	closedir(d);
	return unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* Hidden directories of creates and deletes that died half-way: removed once nobody holds
 * their lock. */
static void sweep_stale(int root_fd)
{
	int fd = dup(root_fd);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, ".new-", 5) != 0 && strncmp(e->d_name, ".dead-", 6) != 0)
			continue;
		/* Names end in .<pid>[.XXXXXX]: a creator that is alive may not have taken the
		 * lock of its fresh directory yet. */
		const char *dot = strrchr(e->d_name, '.');
		if (dot && e->d_name[0] == '.' && e->d_name[1] == 'n')
			dot = memrchr(e->d_name, '.', (size_t)(dot - e->d_name));
		long owner = dot ? strtol(dot + 1, NULL, 10) : 0;
		if (owner > 0 && owner != getpid() && vc_proc_start_time((pid_t)owner, NULL) == 1)
			continue;
		int dfd =
		    openat(root_fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		if (flock(dfd, LOCK_EX | LOCK_NB) == 0) {
			vc_debug("removing stale '%s'", e->d_name);
			remove_tree_at(root_fd, e->d_name);
		}
		close(dfd);
	}
	closedir(d);
}

static int lock_dir(int fd, vc_lock_mode mode, bool *busy, const char *what, vc_error **err)
{
	*busy = false;
	if (mode == VC_LOCK_NONE)
		return 0;
	if (mode == VC_LOCK_SHARED_TRY) {
		if (flock(fd, LOCK_SH | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return vc_error_set_errno(err, errno, "lock '%s'", what);
		*busy = true;
		return 0;
	}
	int op = mode == VC_LOCK_SHARED ? LOCK_SH : LOCK_EX;
	if (flock(fd, op | LOCK_NB) == 0)
		return 0;
	vc_debug("'%s' is locked by another vcrun; waiting", what);
	for (int waited = 0; waited < LOCK_WAIT_MS; waited += 10) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return vc_error_set_errno(err, errno, "lock '%s'", what);
	}
	return vc_error_set(err, VC_ERR_TIMEOUT, "sandbox '%s' stayed locked for %d s", what,
			    LOCK_WAIT_MS / 1000);
}

vc_sandbox *vc_sandbox_new(const char *root, const char *id, const vc_sandbox_state *initial,
			   vc_error **err)
{
	if (vc_id_validate(id, err) < 0)
		return NULL;
	cleanup_close int root_fd = vc_state_root_open(root, err);
	if (root_fd < 0)
		return NULL;
	sweep_stale(root_fd);

	cleanup_free char *tmpl = xasprintf("%s/.new-%s.%d.XXXXXX", root, id, (int)getpid());
	if (!mkdtemp(tmpl)) {
		vc_error_set_errno(err, errno, "create sandbox directory in '%s'", root);
		return NULL;
	}
	const char *tmpname = tmpl + strlen(root) + 1;
	int dir_fd = openat(root_fd, tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir_fd < 0 || flock(dir_fd, LOCK_EX | LOCK_NB) < 0) {
		vc_error_set_errno(err, errno, "lock new sandbox directory '%s'", tmpl);
		if (dir_fd >= 0)
			close(dir_fd);
		rmdir(tmpl);
		return NULL;
	}
	vc_sandbox *sb = sandbox_alloc(root, id);
	sb->dir_fd = dir_fd;
	state_copy(&sb->st, initial);
	sb->has_state = true;
	if (write_state_at(dir_fd, tmpl, &sb->st, err) < 0)
		goto fail;
	/* The rename publishes the sandbox: complete state file, lock held. */
	if (renameat2(root_fd, tmpname, root_fd, id, RENAME_NOREPLACE) < 0) {
		if (errno == EEXIST || errno == ENOTEMPTY) {
			vc_error_set(err, VC_ERR_EXISTS, "sandbox '%s' already exists", id);
			goto fail;
		}
		if (errno != EINVAL && errno != ENOSYS) {
			vc_error_set_errno(err, errno, "create sandbox '%s'", id);
			goto fail;
		}
		/* A file system without RENAME_NOREPLACE: reserve the name with mkdir, then
		 * replace the empty directory. */
		if (mkdirat(root_fd, id, 0700) < 0) {
			if (errno == EEXIST)
				vc_error_set(err, VC_ERR_EXISTS, "sandbox '%s' already exists", id);
			else
				vc_error_set_errno(err, errno, "create sandbox '%s'", id);
			goto fail;
		}
		if (renameat(root_fd, tmpname, root_fd, id) < 0) {
			vc_error_set_errno(err, errno, "create sandbox '%s'", id);
			unlinkat(root_fd, id, AT_REMOVEDIR);
			goto fail;
		}
	}
	sb->root_fd = vc_steal_fd(&root_fd);
	return sb;
fail:
	remove_tree_at(root_fd, tmpname);
	sandbox_free(sb);
	return NULL;
}

/* r, rerr: what reading the sandbox's state.json into sb->st gave. Without one (or with a
 * damaged one, which is warned about: such a sandbox must still be deletable) sb->st becomes an
 * empty state for `id`. */
static void state_or_empty(vc_sandbox *sb, int r, vc_error *rerr, const char *id)
{
	if (r < 0) {
		vc_warn("%s", rerr->msg);
		vc_error_free(rerr);
	}
	sb->has_state = r == 1;
	if (!sb->has_state) {
		vc_state_clear(&sb->st);
		sb->st.id = xstrdup(id);
		sb->st.annotations = json_object();
		sb->st.vm = json_object();
		sb->st.devices = json_array();
	}
}

static void load_state_or_empty(vc_sandbox *sb, int dir_fd, bool lean, const char *id)
{
	vc_error *rerr = NULL;
	int r = read_state_at(dir_fd, sb->dir, lean, &sb->st, &rerr);
	state_or_empty(sb, r, rerr, id);
}

/* <id>/state.json under root_fd in one system call, refusing a symbolic link anywhere on the way;
 * -1 when that fails for any reason (no such file, a symbolic link, a kernel without openat2):
 * the caller then takes the long way, which tells these apart. */
static int open_state_beneath(int root_fd, const char *id)
{
	char rel[VC_ID_MAX + sizeof("/" STATE_FILE)];
	snprintf(rel, sizeof(rel), "%s/%s", id, STATE_FILE);
	struct open_how how = {.flags = STATE_OPEN_FLAGS,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH};
	return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
}

vc_sandbox *vc_sandbox_open(const char *root, const char *id, vc_lock_mode lock, vc_error **err)
{
	if (vc_id_validate(id, err) < 0)
		return NULL;
	int root_fd = open_root_existing(root, err);
	if (root_fd < 0) {
		if (errno == ENOENT)
			vc_error_set(err, VC_ERR_NOT_FOUND, "sandbox '%s' does not exist", id);
		return NULL;
	}
	vc_sandbox *sb = sandbox_alloc(root, id);
	sb->root_fd = root_fd;
	sb->dir_fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sb->dir_fd < 0) {
		if (errno == ENOENT)
			vc_error_set(err, VC_ERR_NOT_FOUND, "sandbox '%s' does not exist", id);
		else if (errno == ELOOP || errno == ENOTDIR)
			vc_error_set(err, VC_ERR_GENERIC,
				     "refusing '%s': not a directory (a symbolic link?)", sb->dir);
		else
			vc_error_set_errno(err, errno, "open '%s'", sb->dir);
		goto fail;
	}
	if (lock_dir(sb->dir_fd, lock, &sb->busy, id, err) < 0)
		goto fail;
	/* A delete may have removed the directory while we waited for its lock. */
	struct stat a, b;
	if (fstat(sb->dir_fd, &a) < 0 || fstatat(root_fd, id, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		vc_error_set(err, VC_ERR_NOT_FOUND, "sandbox '%s' does not exist", id);
		goto fail;
	}
	load_state_or_empty(sb, sb->dir_fd, false, id);
	return sb;
fail:
	sandbox_free(sb);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

vc_sandbox *vc_sandbox_peek(int root_fd, const char *root_abs, const char *id, vc_error **err)
{
	if (vc_id_validate(id, err) < 0)
		return NULL;
	cleanup_close int dir_fd = -1;
	int state_fd = open_state_beneath(root_fd, id);
	if (state_fd < 0) {
		dir_fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir_fd < 0) {
			if (errno == ENOENT)
				vc_error_set(err, VC_ERR_NOT_FOUND, "sandbox '%s' does not exist",
					     id);
			else
				vc_error_set_errno(err, errno, "open '%s/%s'", root_abs, id);
			return NULL;
		}
	}
	vc_sandbox *sb = xzalloc(sizeof(*sb));
	sb->root = xstrdup(root_abs);
	sb->dir = xasprintf("%s/%s", root_abs, id);
	sb->root_fd = -1;
	sb->dir_fd = -1;
	if (state_fd >= 0) {
		vc_error *rerr = NULL;
		int r = read_state_fd(state_fd, sb->dir, true, &sb->st, &rerr);
		state_or_empty(sb, r, rerr, id);
	} else {
		load_state_or_empty(sb, dir_fd, true, id);
	}
	if (sb->has_state && sb->st.pid <= 0 && !sb->st.create_done) {
		if (dir_fd < 0)
			dir_fd =
			    openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* The only case where the status depends on the lock: creating or abandoned. */
		if (flock(dir_fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
			sb->busy = true;
	}
	return sb;
}

int vc_state_list_fd(int root_fd, char ***ids, size_t *n, vc_error **err)
{
	*ids = NULL;
	*n = 0;
	int fd = dup(root_fd);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "read state root");
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return vc_error_set_errno(err, errno, "read state root");
	}
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || vc_id_validate(e->d_name, NULL) < 0)
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xreallocarray(*ids, cap, sizeof(char *));
		}
		(*ids)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*ids, *n, sizeof(char *), cmp_str);
	return 0;
}

int vc_sandbox_remove(vc_sandbox *sb, vc_error **err)
{
	/* Move it out of the way first: the id is free at once and nobody sees a half-removed
	 * sandbox. */
	const char *id = strrchr(sb->dir, '/') + 1;
	char dead[VC_ID_MAX + 32];
	snprintf(dead, sizeof(dead), ".dead-%s.%d", id, (int)getpid());
	if (renameat2(sb->root_fd, id, sb->root_fd, dead, RENAME_NOREPLACE) < 0) {
		if (errno != EINVAL && errno != ENOSYS)
			return vc_error_set_errno(err, errno, "remove '%s'", sb->dir);
		if (renameat(sb->root_fd, id, sb->root_fd, dead) < 0)
			return vc_error_set_errno(err, errno, "remove '%s'", sb->dir);
	}
	if (remove_tree_at(sb->root_fd, dead) < 0)
		vc_warn("could not remove everything of '%s' (left as '%s'): %s", sb->dir, dead,
			strerror(errno));
	return 0;
}

int vc_state_list(const char *root, char ***ids, size_t *n, vc_error **err)
{
	*ids = NULL;
	*n = 0;
	cleanup_close int fd = open_root_existing(root, err);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (vc_state_list_fd(fd, ids, n, err) < 0)
		return vc_error_wrap(err, "'%s'", root);
	return 0;
}

void vc_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
