/* One query to many QMP servers, all connections in one poll loop (see qmp_many.h). */
#include <config.h>
#include "qemu/qmp_many.h"
#include "qemu/qmp.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

/* Where a connection is in the exchange. */
enum stage { WANT_GREETING, WANT_CAPS, WANT_REPLY, DONE };

typedef struct conn {
	vc_qmp_many_item *item;
	int fd;
	enum stage stage;
	size_t sent; /* bytes of the request written so far */
	char *buf;   /* bytes received, not yet a whole line */
	size_t len, cap;
} conn;

typedef struct request {
	char *text; /* qmp_capabilities (id 1) and the command (id 2), one line each */
	size_t len;
	const char *command;
} request;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t vc_qmp_many_default_open(void)
{
	struct rlimit rl;
	size_t n = 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = (size_t)rl.rlim_cur / 4;
	return n < 16 ? 16 : n > 1024 ? 1024 : n;
}

/* Ends a connection: fd closed, buffer freed; the item keeps ret or err. */
static void conn_finish(conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
	c->stage = DONE;
}

static void conn_fail(conn *c, int code, const char *what)
{
	if (!c->item->err)
		vc_error_set(&c->item->err, code, "qmp '%s': %s", c->item->socket_path, what);
	conn_finish(c);
}

static void conn_fail_errno(conn *c, int e, const char *what)
{
	if (!c->item->err)
		vc_error_set_errno(&c->item->err, e, "qmp: %s '%s'", what, c->item->socket_path);
	conn_finish(c);
}

/* Connects and writes what fits of the request. False when the connection already failed. */
static void conn_send(conn *c, const request *rq);

static bool conn_start(conn *c, vc_qmp_many_item *item, const request *rq)
{
	memset(c, 0, sizeof(*c));
	c->item = item;
	c->fd = -1;
	item->ret = NULL;
	item->err = NULL;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	size_t plen = strlen(item->socket_path);
	if (plen >= sizeof(addr.sun_path)) {
		conn_fail(c, VC_ERR_LIMIT, "socket path too long");
		return false;
	}
	memcpy(addr.sun_path, item->socket_path, plen + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		conn_fail_errno(c, errno, "socket for");
		return false;
	}
	int r;
	do
		r = connect(c->fd, (struct sockaddr *)&addr, sizeof(addr));
	while (r < 0 && errno == EINTR);
	/* EAGAIN: the server's backlog is full; the request waits for POLLOUT like a slow one. */
	if (r < 0 && errno != EAGAIN) {
		conn_fail_errno(c, errno, "connect");
		return false;
	}
	if (r == 0)
		conn_send(c, rq);
	return c->stage != DONE;
}

static void conn_send(conn *c, const request *rq)
{
	while (c->sent < rq->len) {
		ssize_t n =
		    send(c->fd, rq->text + c->sent, rq->len - c->sent, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			/* Hung up already: what it said before (a greeting, garbage) is still to
			 * be read, and tells more than "broken pipe". */
			c->sent = rq->len;
			return;
		}
		if (n < 0) {
			conn_fail_errno(c, errno, "send to");
			return;
		}
		c->sent += (size_t)n;
	}
}

/* One message of the exchange: greeting, then the qmp_capabilities reply, then ours. Events may
 * come in between and are ignored. */
static void conn_message(conn *c, const request *rq, json_t *msg, int kind)
{
	if (kind == VC_QMP_MSG_EVENT)
		return;
	if (c->stage == WANT_GREETING) {
		if (kind != VC_QMP_MSG_GREETING)
			return conn_fail(c, VC_ERR_PROTOCOL,
					 "expected a greeting, got another message");
		c->stage = WANT_CAPS;
		return;
	}
	if (kind == VC_QMP_MSG_GREETING)
		return conn_fail(c, VC_ERR_PROTOCOL, "unexpected greeting");
	json_t *id = json_object_get(msg, "id");
	json_int_t want = c->stage == WANT_CAPS ? 1 : 2;
	if (id && !(json_is_integer(id) && json_integer_value(id) == want))
		return; /* not ours (the server got no other request from us) */
	const char *what = c->stage == WANT_CAPS ? "qmp_capabilities" : rq->command;
	if (kind == VC_QMP_MSG_ERROR) {
		json_t *e = json_object_get(msg, "error");
		vc_error_set(&c->item->err, VC_ERR_PROTOCOL, "qmp '%s': %s: %s: %s",
			     c->item->socket_path, what,
			     json_string_value(json_object_get(e, "class")),
			     json_string_value(json_object_get(e, "desc")));
		return conn_finish(c);
	}
	if (c->stage == WANT_CAPS) {
		c->stage = WANT_REPLY;
		return;
	}
	c->item->ret = json_incref(json_object_get(msg, "return"));
	conn_finish(c);
}

/* Handles every whole line of data; returns the bytes used (the rest is a partial line). */
static size_t conn_lines(conn *c, const request *rq, const char *data, size_t len)
{
	size_t off = 0;
	while (c->stage != DONE) {
		const char *nl = memchr(data + off, '\n', len - off);
		if (!nl)
			break;
		size_t n = (size_t)(nl - (data + off));
		const char *line = data + off;
		off += n + 1;
		if (n == 0 || (n == 1 && line[0] == '\r'))
			continue;
		json_t *msg = NULL;
		vc_error *perr = NULL;
		int kind = vc_qmp_parse_message(line, n, &msg, &perr);
		if (kind < 0) {
			vc_error_append(&c->item->err, &perr);
			vc_error_wrap(&c->item->err, "qmp '%s'", c->item->socket_path);
			conn_finish(c);
			break;
		}
		conn_message(c, rq, msg, kind);
		json_decref(msg);
	}
	return off;
}

/* Keeps the partial line that follows what was handled. */
static void conn_keep(conn *c, const char *rest, size_t n)
{
	if (c->stage == DONE || n == 0) {
		c->len = 0;
		return;
	}
	if (n > VC_QMP_MAX_LINE)
		return conn_fail(c, VC_ERR_LIMIT, "line from the server exceeds the limit");
	if (c->cap < n) {
		c->cap = n < 4096 ? 4096 : n;
		char *b = xmalloc(c->cap);
		memcpy(b, rest, n);
		free(c->buf);
		c->buf = b;
	} else {
		memmove(c->buf, rest, n);
	}
	c->len = n;
}

/* Reads what arrived. The usual answer (greeting and both replies) comes in one piece and is
 * handled straight from the stack; only a partial line is kept on the heap. */
static void conn_read(conn *c, const request *rq)
{
	char scratch[8192];
	if (c->len > 0 && c->cap - c->len < 4096) {
		c->cap *= 2;
		c->buf = xrealloc(c->buf, c->cap);
	}
	char *dst = c->len ? c->buf + c->len : scratch;
	size_t room = c->len ? c->cap - c->len : sizeof(scratch);
	ssize_t n = recv(c->fd, dst, room, MSG_DONTWAIT);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0 && errno != ECONNRESET)
		return conn_fail_errno(c, errno, "recv from");
	if (n <= 0)
		return conn_fail(c, VC_ERR_IO, "connection closed by the server");
	const char *data = c->len ? c->buf : scratch;
	size_t len = c->len + (size_t)n;
	size_t used = conn_lines(c, rq, data, len);
	conn_keep(c, data + used, len - used);
}

static void conn_event(conn *c, const request *rq, short revents)
{
	if (revents & POLLOUT)
		conn_send(c, rq);
	if (c->stage != DONE && (revents & (POLLIN | POLLHUP | POLLERR)))
		conn_read(c, rq);
}

static bool request_init(request *rq, const char *command)
{
	json_t *cmd = json_pack("{s:s,s:i}", "execute", command, "id", 2);
	char *text = cmd ? json_dumps(cmd, JSON_COMPACT) : NULL;
	json_decref(cmd);
	if (!text)
		return false;
	rq->text = xasprintf("{\"execute\":\"qmp_capabilities\",\"id\":1}\n%s\n", text);
	rq->len = strlen(rq->text);
	rq->command = command;
	free(text);
	return true;
}

/* Fails every item not finished by the deadline. */
static void fail_rest(conn *c, size_t max_open, vc_qmp_many_item *items, size_t next, size_t n)
{
	for (size_t i = 0; i < max_open; i++)
		if (c[i].item && c[i].stage != DONE)
			conn_fail(&c[i], VC_ERR_TIMEOUT, "no answer before the deadline");
	for (; next < n; next++)
		vc_error_set(&items[next].err, VC_ERR_TIMEOUT,
			     "qmp '%s': no answer before the deadline", items[next].socket_path);
}

/* Milliseconds for epoll_wait until the deadline: -1 none, 0 passed. */
static int wait_ms(int64_t deadline)
{
	if (deadline == INT64_MAX)
		return -1;
	int64_t left = deadline - now_ms();
	return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Opens connections into free slots while there are items left. Returns how many slots are in
 * use afterwards. */
static size_t fill_slots(int ep, conn *c, size_t *free_slots, size_t *n_free, size_t max_open,
			 vc_qmp_many_item *items, size_t *next, size_t n, const request *rq)
{
	while (*n_free > 0 && *next < n) {
		size_t slot = free_slots[*n_free - 1];
		if (!conn_start(&c[slot], &items[(*next)++], rq))
			continue; /* failed at once: the slot stays free */
		struct epoll_event ev = {
		    .events = EPOLLIN | (c[slot].sent < rq->len ? EPOLLOUT : 0), .data.u64 = slot};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c[slot].fd, &ev) < 0) {
			conn_fail_errno(&c[slot], errno, "epoll for");
			continue;
		}
		(*n_free)--;
	}
	return max_open - *n_free;
}

size_t vc_qmp_query_many(vc_qmp_many_item *items, size_t n, const char *command, int timeout_ms,
			 size_t max_open)
{
	request rq;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || !request_init(&rq, command)) {
		int e = errno;
		for (size_t i = 0; i < n; i++)
			vc_error_set_errno(&items[i].err, ep < 0 ? e : EINVAL,
					   "qmp '%s': cannot start the queries", command);
		if (ep >= 0)
			close(ep);
		return n;
	}
	if (max_open == 0)
		max_open = vc_qmp_many_default_open();
	cleanup_free conn *c = xzalloc(max_open * sizeof(*c));
	cleanup_free size_t *free_slots = xzalloc(max_open * sizeof(*free_slots));
	cleanup_free struct epoll_event *evs = xzalloc(max_open * sizeof(*evs));
	size_t n_free = max_open;
	for (size_t i = 0; i < max_open; i++)
		free_slots[i] = max_open - 1 - i;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : now_ms() + timeout_ms;
	size_t next = 0;
	while (fill_slots(ep, c, free_slots, &n_free, max_open, items, &next, n, &rq) > 0) {
		int wait = wait_ms(deadline);
		int r = wait ? epoll_wait(ep, evs, (int)max_open, wait) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) { /* the deadline (or epoll failing): whoever is not done timed out */
			fail_rest(c, max_open, items, next, n);
			break;
		}
		for (int i = 0; i < r; i++) {
			size_t slot = (size_t)evs[i].data.u64;
			conn *k = &c[slot];
			bool unsent = k->sent < rq.len;
			conn_event(k, &rq,
				   (short)(((evs[i].events & EPOLLIN) ? POLLIN : 0) |
					   ((evs[i].events & EPOLLOUT) ? POLLOUT : 0) |
					   ((evs[i].events & EPOLLHUP) ? POLLHUP : 0) |
					   ((evs[i].events & EPOLLERR) ? POLLERR : 0)));
			if (k->stage == DONE) {
				k->item = NULL; /* closing the fd removed it from the epoll set */
				free_slots[n_free++] = slot;
			} else if (unsent && k->sent == rq.len) {
				struct epoll_event ev = {.events = EPOLLIN, .data.u64 = slot};
				epoll_ctl(ep, EPOLL_CTL_MOD, k->fd, &ev);
			}
		}
	}
	close(ep);
	free(rq.text);
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += items[i].ret == NULL;
	return failed;
}
