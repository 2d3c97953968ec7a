/* The mock backend's virtual machine: a fake QEMU that serves, on the same socket layout, the
 * subset of QMP vcrun uses, so one code path (QMP) drives both backends. Run as the hidden
 * `vcrun __mock-vm` command by the mock backend's create:
 *
 *   vcrun __mock-vm --qmp SOCK [--qmp-fd N] (--console SOCK | --console-tty TTY)
 *                   --console-log FILE [--cpus N] [--maxcpus N] [--device ID]... [--fail OP]...
 *                   [--guest-exit]
 *
 * --qmp-fd N: the QMP socket is already bound at SOCK and listening on descriptor N (vcrun made
 * it, as for QEMU's -chardev socket,fd=N,server=on); else the mock binds SOCK itself.
 *
 * It behaves as QEMU does where vcrun can tell: prelaunch until the first `cont`, `stop`/`cont`,
 * `system_powerdown` honoured only while running (SHUTDOWN, then exit), `quit` exits, blockdev and
 * device hotplug with QEMU's errors, DEVICE_DELETED only once the vCPUs run, one QMP client at a
 * time. `--fail OP` (from VCRUN_MOCK_FAIL at create) and the `x-vcrun-mock-fail` command make an
 * operation fail with a QMP error, like a failing QEMU would. With --console-tty (terminal
 * mode) the console is that tty, opened as QEMU's serial chardev opens it (it becomes the
 * controlling terminal of this session leader, so a hangup ends the VM as it ends QEMU); the mock
 * guest prints there and echoes back what it reads, as a shell on a console would. */
#include <config.h>
#include "hv/hv.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_ITEMS 256
#define MAX_LINE (1 << 20)

typedef struct mock_dev {
	char *id;
	char *node; /* NULL for a vCPU */
	int cpu;    /* socket-id for a vCPU, else -1 */
	bool unplug_pending;
	bool auto_node; /* cold-plugged (-drive): its node goes away with the device */
} mock_dev;

typedef struct mock {
	const char *qmp_path, *console_path, *console_log, *tty_path;
	int qmp_listen, qmp_client, con_listen, con_client, log_fd, tty_fd;
	char *inbuf;
	size_t inlen;
	char *outbuf; /* replies and events not written yet: flushed once per wakeup */
	size_t outlen;
	bool negotiated;
	enum { M_PRELAUNCH, M_RUNNING, M_PAUSED } status;
	bool booted, guest_exit, exiting, quitting;
	unsigned cpus, maxcpus;
	bool cpu_plugged[MAX_ITEMS];
	char *nodes[MAX_ITEMS];
	size_t n_nodes;
	mock_dev devs[MAX_ITEMS];
	size_t n_devs;
	char *armed[16];
	size_t n_armed;
} mock;

/* Queues one message; flush_out writes everything queued in one go, so that a client that sent
 * several commands at once is woken once for all the answers. */
static void send_json(mock *m, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s || m->qmp_client < 0) {
		free(s);
		return;
	}
	size_t len = strlen(s);
	m->outbuf = xrealloc(m->outbuf, m->outlen + len + 2);
	memcpy(m->outbuf + m->outlen, s, len);
	memcpy(m->outbuf + m->outlen + len, "\r\n", 2); /* QEMU ends its lines with CRLF */
	m->outlen += len + 2;
	free(s);
}

static void flush_out(mock *m)
{
	for (size_t off = 0; off < m->outlen && m->qmp_client >= 0;) {
		ssize_t n = write(m->qmp_client, m->outbuf + off, m->outlen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	m->outlen = 0;
}

static void send_event(mock *m, const char *name, json_t *data)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	json_t *o =
	    json_pack("{s:s,s:{s:I,s:I}}", "event", name, "timestamp", "seconds",
		      (json_int_t)ts.tv_sec, "microseconds", (json_int_t)(ts.tv_nsec / 1000));
	if (data)
		json_object_set_new(o, "data", data);
	send_json(m, o);
}

static json_t *qerror(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *qerror(const char *cls, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *d = xvasprintf(fmt, ap);
	va_end(ap);
	json_t *o = json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", d);
	free(d);
	return o;
}

static void console_write_n(mock *m, const char *text, size_t len)
{
	if (m->log_fd >= 0 && write(m->log_fd, text, len) < 0) {
		/* the log is best effort, as QEMU's chardev logfile */
	}
	if (m->con_client >= 0 && write(m->con_client, text, len) < 0) {
		close(m->con_client);
		m->con_client = -1;
	}
	/* a full tty drops output (non-blocking, as a UART nobody reads) */
	if (m->tty_fd >= 0 && write(m->tty_fd, text, len) < 0 && errno != EAGAIN) {
		close(m->tty_fd);
		m->tty_fd = -1;
	}
}

static void console_write(mock *m, const char *text)
{
	console_write_n(m, text, strlen(text));
}

/* An armed failure is consumed when it fires, except `stop` which keeps the VM unstoppable by
 * QMP (vcrun then has to escalate to SIGKILL). */
static bool take_armed(mock *m, const char *op)
{
	for (size_t i = 0; i < m->n_armed; i++) {
		if (strcmp(m->armed[i], op) != 0)
			continue;
		if (strcmp(op, "stop") != 0) {
			free(m->armed[i]);
			m->armed[i] = m->armed[--m->n_armed];
		}
		return true;
	}
	return false;
}

static void arm(mock *m, const char *op)
{
	if (m->n_armed < sizeof(m->armed) / sizeof(m->armed[0]))
		m->armed[m->n_armed++] = xstrdup(op);
}

static mock_dev *find_dev(mock *m, const char *id)
{
	for (size_t i = 0; i < m->n_devs; i++)
		if (strcmp(m->devs[i].id, id) == 0)
			return &m->devs[i];
	return NULL;
}

static ssize_t find_node(mock *m, const char *node)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i], node) == 0)
			return (ssize_t)i;
	return -1;
}

static void remove_dev(mock *m, mock_dev *d)
{
	send_event(m, "DEVICE_DELETED",
		   json_pack("{s:s,s:s}", "device", d->id, "path", "/machine/peripheral/"));
	if (d->cpu >= 0 && d->cpu < MAX_ITEMS)
		m->cpu_plugged[d->cpu] = false;
	ssize_t n = d->auto_node ? find_node(m, d->node) : -1;
	if (n >= 0) {
		free(m->nodes[n]);
		m->nodes[n] = m->nodes[--m->n_nodes];
	}
	free(d->id);
	free(d->node);
	*d = m->devs[--m->n_devs];
}

static void guest_boot(mock *m)
{
	char line[4096] = "VCRUN-DISKS:";
	for (size_t i = 0; i < m->n_devs; i++) {
		if (!m->devs[i].node)
			continue;
		size_t l = strlen(line);
		snprintf(line + l, sizeof(line) - l, " %s", m->devs[i].id);
	}
	console_write(m, "mock guest: booting\nVCRUN-GUEST-READY\n");
	console_write(m, line);
	console_write(m, "\n");
	m->booted = true;
}

static void guest_poweroff(mock *m, bool by_guest, const char *reason)
{
	if (by_guest)
		console_write(m, "mock guest: power off\n");
	send_event(m, "SHUTDOWN", json_pack("{s:b,s:s}", "guest", by_guest, "reason", reason));
	m->exiting = true;
}

static json_t *status_reply(mock *m)
{
	const char *names[] = {"prelaunch", "running", "paused"};
	return json_pack("{s:{s:b,s:b,s:s}}", "return", "running", m->status == M_RUNNING,
			 "singlestep", 0, "status", names[m->status]);
}

static json_t *cmd_cont(mock *m)
{
	if (m->status == M_RUNNING)
		return json_pack("{s:{}}", "return");
	if (take_armed(m, m->status == M_PRELAUNCH ? "start" : "resume"))
		return qerror("GenericError", "mock: injected failure of 'cont'");
	m->status = M_RUNNING;
	send_event(m, "RESUME", NULL);
	/* The guest acknowledges unplug requests once its vCPUs run. */
	for (size_t i = 0; i < m->n_devs;) {
		if (m->devs[i].unplug_pending)
			remove_dev(m, &m->devs[i]);
		else
			i++;
	}
	if (!m->booted)
		guest_boot(m);
	if (m->guest_exit)
		guest_poweroff(m, true, "guest-shutdown");
	return json_pack("{s:{}}", "return");
}

static json_t *cmd_blockdev_add(mock *m, json_t *args)
{
	const char *node = NULL, *driver = NULL, *file = NULL;
	int ro = 0;
	if (json_unpack(args, "{s:s,s:s,s?b,s:{s:s}}", "node-name", &node, "driver", &driver,
			"read-only", &ro, "file", "filename", &file) < 0)
		return qerror("GenericError", "Parameter 'node-name' or 'file' is missing");
	if (find_node(m, node) >= 0)
		return qerror("GenericError", "Duplicate nodes with node-name='%s'", node);
	if (strcmp(driver, "raw") != 0 && strcmp(driver, "qcow2") != 0)
		return qerror("GenericError", "Unknown driver '%s'", driver);
	int fd = open(file, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return qerror("GenericError", "Could not open '%s': %s", file, strerror(errno));
	close(fd);
	if (m->n_nodes >= MAX_ITEMS)
		return qerror("GenericError", "too many nodes");
	m->nodes[m->n_nodes++] = xstrdup(node);
	return json_pack("{s:{}}", "return");
}

static json_t *cmd_device_add(mock *m, json_t *args)
{
	const char *driver = NULL, *id = NULL, *drive = NULL;
	json_int_t socket = -1;
	if (json_unpack(args, "{s:s,s?s,s?s,s?I}", "driver", &driver, "id", &id, "drive", &drive,
			"socket-id", &socket) < 0)
		return qerror("GenericError", "Parameter 'driver' is missing");
	if (take_armed(m, "hotplug"))
		return qerror("GenericError", "mock: injected failure of 'device_add'");
	if (!id)
		return qerror("GenericError", "mock: devices need an id");
	if (find_dev(m, id))
		return qerror("GenericError", "Duplicate device ID '%s'", id);
	if (m->n_devs >= MAX_ITEMS)
		return qerror("GenericError", "too many devices");
	size_t dl = strlen(driver);
	if (dl > 4 && strcmp(driver + dl - 4, "-cpu") == 0) {
		if (socket < 0 || socket >= (json_int_t)m->maxcpus)
			return qerror("GenericError", "Invalid CPU socket-id: %lld",
				      (long long)socket);
		if (m->cpu_plugged[socket])
			return qerror("GenericError", "CPU[%lld] with APIC ID %lld exists",
				      (long long)socket, (long long)socket);
		m->cpu_plugged[socket] = true;
		m->devs[m->n_devs++] = (mock_dev){xstrdup(id), NULL, (int)socket, false, false};
		return json_pack("{s:{}}", "return");
	}
	if (strcmp(driver, "scsi-hd") != 0 && strcmp(driver, "virtio-blk-pci") != 0)
		return qerror("GenericError", "'%s' is not a valid device model name", driver);
	if (!drive || find_node(m, drive) < 0)
		return qerror("GenericError", "Property '%s.drive' can't find value '%s'", driver,
			      drive ? drive : "");
	for (size_t i = 0; i < m->n_devs; i++)
		if (m->devs[i].node && strcmp(m->devs[i].node, drive) == 0)
			return qerror("GenericError",
				      "Drive '%s' is already in use by another device", drive);
	m->devs[m->n_devs++] = (mock_dev){xstrdup(id), xstrdup(drive), -1, false, false};
	return json_pack("{s:{}}", "return");
}

static json_t *cmd_device_del(mock *m, json_t *args)
{
	const char *id = NULL;
	if (json_unpack(args, "{s:s}", "id", &id) < 0)
		return qerror("GenericError", "Parameter 'id' is missing");
	mock_dev *d = find_dev(m, id);
	if (!d)
		return qerror("DeviceNotFound", "Device '%s' not found", id);
	if (take_armed(m, "unplug"))
		return qerror("GenericError", "mock: injected failure of 'device_del'");
	if (m->status == M_RUNNING)
		remove_dev(m, d);
	else
		d->unplug_pending = true; /* no DEVICE_DELETED while the vCPUs are stopped */
	return json_pack("{s:{}}", "return");
}

static json_t *cmd_blockdev_del(mock *m, json_t *args)
{
	const char *node = NULL;
	if (json_unpack(args, "{s:s}", "node-name", &node) < 0)
		return qerror("GenericError", "Parameter 'node-name' is missing");
	ssize_t i = find_node(m, node);
	if (i < 0)
		return qerror("GenericError", "Failed to find node with node-name='%s'", node);
	for (size_t k = 0; k < m->n_devs; k++)
		if (m->devs[k].node && strcmp(m->devs[k].node, node) == 0)
			return qerror("GenericError", "Node '%s' is busy: block device is in use",
				      node);
	free(m->nodes[i]);
	m->nodes[i] = m->nodes[--m->n_nodes];
	return json_pack("{s:{}}", "return");
}

static json_t *cmd_hotpluggable_cpus(mock *m)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < m->maxcpus && i < MAX_ITEMS; i++) {
		json_t *e =
		    json_pack("{s:s,s:i,s:{s:i,s:i,s:i}}", "type", "mock-x86_64-cpu", "vcpus-count",
			      1, "props", "socket-id", i, "core-id", 0, "thread-id", 0);
		if (m->cpu_plugged[i]) {
			char path[64];
			snprintf(path, sizeof(path), "/machine/unattached/device[%u]", i);
			json_object_set_new(e, "qom-path", json_string(path));
		}
		json_array_append_new(a, e);
	}
	return json_pack("{s:o}", "return", a);
}

static json_t *handle(mock *m, json_t *req)
{
	const char *cmd = NULL;
	json_t *args = json_object_get(req, "arguments");
	if (json_unpack(req, "{s:s}", "execute", &cmd) < 0)
		return qerror("GenericError", "QMP input must be a JSON object with 'execute'");
	if (!m->negotiated) {
		if (strcmp(cmd, "qmp_capabilities") == 0) {
			m->negotiated = true;
			return json_pack("{s:{}}", "return");
		}
		return qerror("CommandNotFound",
			      "Expecting capabilities negotiation with 'qmp_capabilities'");
	}
	if (strcmp(cmd, "qmp_capabilities") == 0)
		return qerror("CommandNotFound", "Capabilities negotiation is already complete, "
						 "command ignored");
	if (strcmp(cmd, "query-status") == 0)
		return status_reply(m);
	if (strcmp(cmd, "cont") == 0)
		return cmd_cont(m);
	if (strcmp(cmd, "stop") == 0) {
		if (take_armed(m, "pause"))
			return qerror("GenericError", "mock: injected failure of 'stop'");
		if (m->status == M_RUNNING) {
			m->status = M_PAUSED;
			send_event(m, "STOP", NULL);
		}
		return json_pack("{s:{}}", "return");
	}
	if (strcmp(cmd, "system_powerdown") == 0) {
		if (take_armed(m, "stop"))
			return qerror("GenericError",
				      "mock: injected failure of 'system_powerdown'");
		if (m->status == M_RUNNING) {
			send_event(m, "POWERDOWN", NULL);
			guest_poweroff(m, true, "guest-shutdown");
		}
		return json_pack("{s:{}}", "return");
	}
	if (strcmp(cmd, "quit") == 0) {
		if (take_armed(m, "stop"))
			return qerror("GenericError", "mock: injected failure of 'quit'");
		m->quitting = true;
		m->exiting = true;
		return json_pack("{s:{}}", "return");
	}
	if (strcmp(cmd, "blockdev-add") == 0)
		return cmd_blockdev_add(m, args);
	if (strcmp(cmd, "blockdev-del") == 0)
		return cmd_blockdev_del(m, args);
	if (strcmp(cmd, "device_add") == 0)
		return cmd_device_add(m, args);
	if (strcmp(cmd, "device_del") == 0)
		return cmd_device_del(m, args);
	if (strcmp(cmd, "query-hotpluggable-cpus") == 0)
		return cmd_hotpluggable_cpus(m);
	if (strcmp(cmd, "x-vcrun-mock-fail") == 0) {
		const char *op = NULL;
		if (json_unpack(args, "{s:s}", "op", &op) < 0)
			return qerror("GenericError", "Parameter 'op' is missing");
		arm(m, op);
		return json_pack("{s:{}}", "return");
	}
	return qerror("CommandNotFound", "The command %s has not been found", cmd);
}

static void drop_client(mock *m)
{
	if (m->qmp_client >= 0)
		close(m->qmp_client);
	m->qmp_client = -1;
	m->inlen = 0;
	m->outlen = 0;
	m->negotiated = false;
}

static void serve_input(mock *m)
{
	size_t off = 0;
	while (off < m->inlen) {
		while (off < m->inlen && strchr(" \t\r\n", m->inbuf[off]))
			off++;
		if (off == m->inlen)
			break;
		json_error_t e;
		json_t *req =
		    json_loadb(m->inbuf + off, m->inlen - off, JSON_DISABLE_EOF_CHECK, &e);
		if (!req) {
			if (m->inlen - off < MAX_LINE && strstr(e.text, "end of file"))
				break; /* incomplete: wait for more */
			send_json(m, qerror("GenericError", "JSON parse error, %s", e.text));
			off = m->inlen;
			break;
		}
		off += e.position;
		json_t *id = json_incref(json_object_get(req, "id"));
		json_t *reply = handle(m, req);
		json_decref(req);
		if (reply) {
			if (id)
				json_object_set(reply, "id", id);
			send_json(m, reply);
		}
		json_decref(id);
		if (m->quitting)
			send_event(m, "SHUTDOWN",
				   json_pack("{s:b,s:s}", "guest", 0, "reason", "host-qmp-quit"));
		if (m->exiting)
			break;
	}
	memmove(m->inbuf, m->inbuf + off, m->inlen - off);
	m->inlen -= off;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "mock-vm: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "mock-vm: cannot listen on %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Reads what the client sent and answers it; false when the client is gone. */
static bool read_client(mock *m, bool dontwait)
{
	if (m->inlen + 65536 > MAX_LINE * 2) {
		drop_client(m);
		return false;
	}
	m->inbuf = xrealloc(m->inbuf, m->inlen + 65536);
	ssize_t r = recv(m->qmp_client, m->inbuf + m->inlen, 65536, dontwait ? MSG_DONTWAIT : 0);
	if (r < 0 && dontwait && errno == EAGAIN)
		return true;
	if (r <= 0) {
		drop_client(m);
		return false;
	}
	m->inlen += (size_t)r;
	serve_input(m);
	return true;
}

static void accept_client(mock *m)
{
	m->qmp_client = accept4(m->qmp_listen, NULL, NULL, SOCK_CLOEXEC);
	if (m->qmp_client < 0)
		return;
	send_json(m,
		  json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[]}}", "QMP", "version", "qemu", "micro",
			    0, "minor", 2, "major", 7, "package", "vcrun-mock", "capabilities"));
	/* A client that sent its commands right after connecting gets all its answers with the
	 * greeting, in one write. */
	read_client(m, true);
}

/* As QEMU's serial chardev: no O_NOCTTY, non-blocking, raw. */
static int open_tty(mock *m)
{
	m->tty_fd = open(m->tty_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct termios t;
	if (m->tty_fd < 0 || tcgetattr(m->tty_fd, &t) < 0) {
		fprintf(stderr, "mock-vm: cannot open the console tty %s: %s\n", m->tty_path,
			strerror(errno));
		return -1;
	}
	cfmakeraw(&t);
	tcsetattr(m->tty_fd, TCSANOW, &t);
	return 0;
}

static void mock_loop(mock *m)
{
	for (;;) {
		flush_out(m);
		if (m->exiting)
			return;
		struct pollfd p[4];
		int n = 0;
		/* One QMP client at a time, as QEMU: later ones wait in the backlog. */
		p[n++] =
		    (struct pollfd){m->qmp_client >= 0 ? m->qmp_client : m->qmp_listen, POLLIN, 0};
		/* fd -1 (terminal mode: no console socket) is skipped by poll */
		p[n++] = (struct pollfd){m->con_listen, POLLIN, 0};
		p[n++] = (struct pollfd){m->con_client, POLLIN, 0};
		p[n++] = (struct pollfd){m->tty_fd, POLLIN, 0};
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents) {
			if (m->qmp_client < 0)
				accept_client(m);
			else if (!read_client(m, false))
				continue;
		}
		if (p[1].revents) {
			int c = accept4(m->con_listen, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				if (m->con_client >= 0)
					close(m->con_client);
				m->con_client = c;
				/* Tells a test that the console is attached (QEMU prints nothing).
				 */
				const char hello[] = "[mock console attached]\r\n";
				if (write(c, hello, sizeof(hello) - 1) < 0) {
					close(c);
					m->con_client = -1;
				}
			}
		}
		if (m->con_client >= 0 && p[2].revents) {
			char buf[512];
			ssize_t r = read(m->con_client, buf, sizeof(buf));
			if (r <= 0) {
				close(m->con_client);
				m->con_client = -1;
			} /* input to the mock guest is ignored */
		}
		if (m->tty_fd >= 0 && p[3].revents) {
			char buf[512];
			ssize_t r = read(m->tty_fd, buf, sizeof(buf));
			if (r > 0)
				console_write_n(m, buf,
						(size_t)r); /* the echo of the guest's shell */
			else if (r == 0 || errno != EAGAIN) {
				close(m->tty_fd); /* hung up */
				m->tty_fd = -1;
			}
		}
	}
}

/* Sanitizer builds: LeakSanitizer checks at exit with ptrace, which vcrun's seccomp filter for
 * the hypervisor denies; the fake hypervisor then skips the leak check (vcrun itself keeps it). */
static bool in_mock_vm;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(VC_ASAN)
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return in_mock_vm;
}
#endif

static void mock_free(mock *m)
{
	for (size_t i = 0; i < m->n_devs; i++) {
		free(m->devs[i].id);
		free(m->devs[i].node);
	}
	for (size_t i = 0; i < m->n_nodes; i++)
		free(m->nodes[i]);
	for (size_t i = 0; i < m->n_armed; i++)
		free(m->armed[i]);
	free(m->inbuf);
	free(m->outbuf);
	if (m->qmp_client >= 0)
		close(m->qmp_client);
	if (m->con_client >= 0)
		close(m->con_client);
	if (m->log_fd >= 0)
		close(m->log_fd);
	if (m->tty_fd >= 0)
		close(m->tty_fd);
}

int vc_mock_vm_main(int argc, char **argv)
{
	mock m = {.qmp_listen = -1,
		  .qmp_client = -1,
		  .con_listen = -1,
		  .con_client = -1,
		  .log_fd = -1,
		  .tty_fd = -1,
		  .cpus = 1,
		  .maxcpus = 1};
	int qmp_fd = -1;
	const char *devices[MAX_ITEMS];
	size_t n_devices = 0;
	in_mock_vm = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--guest-exit") == 0) {
			m.guest_exit = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "mock-vm: option '%s' needs a value\n", a);
			return 1;
		}
		i++;
		if (strcmp(a, "--qmp") == 0)
			m.qmp_path = v;
		else if (strcmp(a, "--qmp-fd") == 0)
			qmp_fd = atoi(v);
		else if (strcmp(a, "--console") == 0)
			m.console_path = v;
		else if (strcmp(a, "--console-tty") == 0)
			m.tty_path = v;
		else if (strcmp(a, "--console-log") == 0)
			m.console_log = v;
		else if (strcmp(a, "--cpus") == 0)
			m.cpus = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--maxcpus") == 0)
			m.maxcpus = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--device") == 0 && n_devices < MAX_ITEMS)
			devices[n_devices++] = v;
		else if (strcmp(a, "--fail") == 0)
			arm(&m, v);
		else {
			fprintf(stderr, "mock-vm: unknown option '%s'\n", a);
			return 1;
		}
	}
	if (!m.qmp_path || !m.console_path == !m.tty_path) {
		fprintf(stderr,
			"mock-vm: --qmp and one of --console, --console-tty are required\n");
		return 1;
	}
	if (take_armed(&m, "create")) {
		fprintf(stderr, "mock-vm: injected failure of 'create'\n");
		mock_free(&m);
		return 1;
	}
	if (m.maxcpus < m.cpus)
		m.maxcpus = m.cpus;
	if (m.maxcpus > MAX_ITEMS)
		m.maxcpus = MAX_ITEMS;
	for (unsigned i = 0; i < m.cpus; i++)
		m.cpu_plugged[i] = true;
	for (size_t i = 0; i < n_devices; i++) {
		m.nodes[m.n_nodes++] = xasprintf("%s-node", devices[i]);
		m.devs[m.n_devs++] =
		    (mock_dev){xstrdup(devices[i]), xstrdup(m.nodes[i]), -1, false, true};
	}
	signal(SIGPIPE, SIG_IGN);
	if (m.console_log)
		m.log_fd = open(m.console_log,
				O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (m.tty_path && open_tty(&m) < 0) {
		mock_free(&m);
		return 1;
	}
	if (m.console_path)
		m.con_listen = listen_unix(m.console_path);
	if (qmp_fd >= 0)
		fcntl(qmp_fd, F_SETFD, FD_CLOEXEC);
	m.qmp_listen = qmp_fd >= 0 ? qmp_fd : listen_unix(m.qmp_path);
	if ((m.console_path && m.con_listen < 0) || m.qmp_listen < 0) {
		mock_free(&m);
		return 1;
	}
	mock_loop(&m);
	unlink(m.qmp_path);
	if (m.console_path)
		unlink(m.console_path);
	mock_free(&m);
	return 0;
}
