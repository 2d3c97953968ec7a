/* QMP client: one connection, one command in flight at a time. Lines are read into a buffer
 * bounded by VC_QMP_MAX_LINE; events that arrive while a reply is awaited are queued for
 * vc_qmp_wait_event/vc_qmp_next_event. Every wait is a poll() against one deadline. */
#include <config.h>
#include "qemu/qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

struct vc_qmp {
	int fd;
	char *buf; /* bytes received and not yet consumed */
	size_t len;
	size_t cap;
	json_t *events; /* array, oldest first */
	json_int_t next_id;
	bool closed;	  /* the peer closed its end */
	bool warned_full; /* the event queue overflowed once already */
};

VC_DEFINE_CLEANUP(jsonp, json_t, json_decref)
#define cleanup_json __attribute__((cleanup(vc_cleanup_jsonp)))

/* ---- deadlines ---- */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t deadline_after(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

/* Milliseconds left until the deadline for poll(): -1 forever, 0 expired. */
static int remaining(int64_t deadline)
{
	if (deadline < 0)
		return -1;
	int64_t left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

/* ---- parsing ---- */

int vc_qmp_parse_message(const char *line, size_t len, json_t **out, vc_error **err)
{
	*out = NULL;
	if (len > VC_QMP_MAX_LINE)
		return vc_error_set(err, VC_ERR_LIMIT,
				    "message of %zu bytes exceeds the limit of %d", len,
				    VC_QMP_MAX_LINE);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	json_error_t jerr;
	cleanup_json json_t *msg = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!msg)
		return vc_error_set(err, VC_ERR_PROTOCOL, "malformed message: %s", jerr.text);
	if (!json_is_object(msg))
		return vc_error_set(err, VC_ERR_PROTOCOL, "message is not a JSON object");

	json_t *greeting = json_object_get(msg, "QMP");
	json_t *ret = json_object_get(msg, "return");
	json_t *error = json_object_get(msg, "error");
	json_t *event = json_object_get(msg, "event");
	int kinds = !!greeting + !!ret + !!error + !!event;
	if (kinds != 1)
		return vc_error_set(err, VC_ERR_PROTOCOL,
				    "message has %s of QMP/return/error/event",
				    kinds ? "more than one" : "none");

	int kind;
	if (greeting) {
		if (!json_is_object(greeting))
			return vc_error_set(err, VC_ERR_PROTOCOL,
					    "greeting 'QMP' is not an object");
		kind = VC_QMP_MSG_GREETING;
	} else if (ret) {
		kind = VC_QMP_MSG_RETURN;
	} else if (error) {
		if (!json_is_object(error) || !json_is_string(json_object_get(error, "class")) ||
		    !json_is_string(json_object_get(error, "desc")))
			return vc_error_set(err, VC_ERR_PROTOCOL,
					    "error reply without string 'class' and 'desc'");
		kind = VC_QMP_MSG_ERROR;
	} else {
		if (!json_is_string(event))
			return vc_error_set(err, VC_ERR_PROTOCOL, "event name is not a string");
		json_t *data = json_object_get(msg, "data");
		if (data && !json_is_object(data))
			return vc_error_set(err, VC_ERR_PROTOCOL, "event 'data' is not an object");
		kind = VC_QMP_MSG_EVENT;
	}
	*out = vc_steal_pointer(&msg);
	return kind;
}

/* ---- I/O ---- */

static int send_all(vc_qmp *q, const char *data, size_t len, int64_t deadline, const char *what,
		    vc_error **err)
{
	size_t off = 0;
	while (off < len) {
		/* Try first: a short request nearly always fits in the socket buffer. */
		ssize_t n = send(q->fd, data + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			q->closed = true;
		if (errno != EINTR && errno != EAGAIN)
			return vc_error_set_errno(err, errno, "qmp '%s': send", what);
		struct pollfd p = {.fd = q->fd, .events = POLLOUT};
		int r = poll(&p, 1, remaining(deadline));
		if (r < 0 && errno != EINTR)
			return vc_error_set_errno(err, errno, "qmp '%s': poll", what);
		if (r == 0)
			return vc_error_set(err, VC_ERR_TIMEOUT, "qmp '%s': timed out sending",
					    what);
	}
	return 0;
}

/* Waits for more bytes from the server and appends them to q->buf; at EOF sets q->closed and
 * keeps what is buffered. Never reads much past VC_QMP_MAX_LINE. */
static int fill_buffer(vc_qmp *q, int64_t deadline, const char *what, vc_error **err)
{
	for (;;) {
		struct pollfd p = {.fd = q->fd, .events = POLLIN};
		int r = poll(&p, 1, remaining(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vc_error_set_errno(err, errno, "qmp '%s': poll", what);
		if (r == 0)
			return vc_error_set(err, VC_ERR_TIMEOUT,
					    "qmp '%s': timed out waiting for the server", what);
		if (q->cap - q->len < 4096) {
			q->cap = q->cap ? q->cap * 2 : 8192;
			q->buf = xrealloc(q->buf, q->cap);
		}
		/* Never read much past the limit: one byte more is enough to detect it. */
		size_t room = q->cap - q->len;
		if (q->len + room > (size_t)VC_QMP_MAX_LINE + 2)
			room = (size_t)VC_QMP_MAX_LINE + 2 - q->len;
		ssize_t n = recv(q->fd, q->buf + q->len, room, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno != ECONNRESET)
			return vc_error_set_errno(err, errno, "qmp '%s': recv", what);
		if (n <= 0)
			q->closed = true;
		else
			q->len += (size_t)n;
		return 0;
	}
}

/* Reads one line (newline stripped, blank lines skipped) into a new string. Returns its length,
 * or -1: VC_ERR_TIMEOUT, VC_ERR_LIMIT, VC_ERR_IO; at EOF q->closed is set and the error is
 * VC_ERR_IO "connection closed". */
static ssize_t read_line(vc_qmp *q, char **line, int64_t deadline, const char *what, vc_error **err)
{
	*line = NULL;
	for (;;) {
		char *nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
		if (nl) {
			size_t n = (size_t)(nl - q->buf);
			size_t rest = q->len - n - 1;
			bool blank = true;
			for (size_t i = 0; i < n && blank; i++)
				blank = q->buf[i] == ' ' || q->buf[i] == '\t' || q->buf[i] == '\r';
			if (!blank)
				*line = xstrndup(q->buf, n);
			memmove(q->buf, nl + 1, rest);
			q->len = rest;
			if (n > VC_QMP_MAX_LINE) {
				free(*line);
				*line = NULL;
				return vc_error_set(
				    err, VC_ERR_LIMIT,
				    "qmp '%s': line from the server exceeds %d bytes", what,
				    VC_QMP_MAX_LINE);
			}
			if (*line)
				return (ssize_t)n;
			continue;
		}
		if (q->len > VC_QMP_MAX_LINE) {
			/* Drop what we have: the connection cannot be resynchronised cheaply. */
			q->len = 0;
			return vc_error_set(err, VC_ERR_LIMIT,
					    "qmp '%s': line from the server exceeds %d bytes", what,
					    VC_QMP_MAX_LINE);
		}
		if (q->closed) {
			if (q->len > 0)
				vc_debug("qmp: %zu bytes without a newline before EOF dropped",
					 q->len);
			q->len = 0;
			return vc_error_set(err, VC_ERR_IO,
					    "qmp '%s': connection closed by the server", what);
		}
		if (fill_buffer(q, deadline, what, err) < 0)
			return -1;
	}
}

/* Reads and parses the next message. */
static int read_message(vc_qmp *q, json_t **msg, int64_t deadline, const char *what, vc_error **err)
{
	cleanup_free char *line = NULL;
	ssize_t n = read_line(q, &line, deadline, what, err);
	if (n < 0)
		return -1;
	int kind = vc_qmp_parse_message(line, (size_t)n, msg, err);
	if (kind < 0)
		return vc_error_wrap(err, "qmp '%s'", what);
	return kind;
}

static void queue_event(vc_qmp *q, json_t *event)
{
	if (json_array_size(q->events) >= VC_QMP_MAX_QUEUED_EVENTS) {
		const char *name =
		    json_string_value(json_object_get(json_array_get(q->events, 0), "event"));
		if (!q->warned_full)
			vc_warn("qmp: %d events unread, dropping the oldest (%s)",
				VC_QMP_MAX_QUEUED_EVENTS, name);
		else
			vc_debug("qmp: event queue full, dropping %s", name);
		q->warned_full = true;
		json_array_remove(q->events, 0);
	}
	vc_debug("qmp: event %s queued", json_string_value(json_object_get(event, "event")));
	json_array_append_new(q->events, event);
}

/* The reply's error as "qmp 'cmd': Class: desc". */
static int reply_error(const char *command, json_t *msg, vc_error **err)
{
	json_t *e = json_object_get(msg, "error");
	return vc_error_set(err, VC_ERR_PROTOCOL, "qmp '%s': %s: %s", command,
			    json_string_value(json_object_get(e, "class")),
			    json_string_value(json_object_get(e, "desc")));
}

/* Encodes one command with the next id (stored in *id) as a line with its newline. args (may be
 * NULL) is stolen. */
static char *encode_command(vc_qmp *q, const char *command, json_t *args, json_int_t *id,
			    vc_error **err)
{
	cleanup_json json_t *owned_args = args;
	if (q->closed) {
		vc_error_set(err, VC_ERR_IO, "qmp '%s': connection closed by the server", command);
		return NULL;
	}
	*id = ++q->next_id;
	cleanup_json json_t *req = json_pack("{s:s, s:I}", "execute", command, "id", *id);
	if (!req) {
		vc_error_set(err, VC_ERR_GENERIC, "qmp '%s': cannot build request", command);
		return NULL;
	}
	if (owned_args) {
		if (!json_is_object(owned_args)) {
			vc_error_set(err, VC_ERR_USAGE, "qmp '%s': arguments must be an object",
				     command);
			return NULL;
		}
		json_object_set(req, "arguments", owned_args);
	}
	char *text = json_dumps(req, JSON_COMPACT);
	if (!text) {
		vc_error_set(err, VC_ERR_GENERIC, "qmp '%s': cannot encode request", command);
		return NULL;
	}
	size_t tlen = strlen(text);
	text = xrealloc(text, tlen + 2);
	text[tlen++] = '\n';
	text[tlen] = '\0';
	vc_debug("qmp: -> %.*s", (int)(tlen - 1), text);
	return text;
}

/* Encodes and sends one command with the next id, stored in *id. args (may be NULL) is stolen. */
static int send_command(vc_qmp *q, const char *command, json_t *args, int64_t deadline,
			json_int_t *id, vc_error **err)
{
	cleanup_free char *text = encode_command(q, command, args, id, err);
	if (!text)
		return -1;
	return send_all(q, text, strlen(text), deadline, command, err);
}

/* Waits for the reply carrying id, queueing events read meanwhile. Returns the reply kind
 * (VC_QMP_MSG_RETURN or VC_QMP_MSG_ERROR) with the whole reply in *reply, or -1. */
static int await_reply(vc_qmp *q, const char *command, json_int_t id, int64_t deadline,
		       json_t **reply, vc_error **err)
{
	*reply = NULL;
	for (;;) {
		json_t *msg = NULL;
		int kind = read_message(q, &msg, deadline, command, err);
		if (kind < 0)
			return -1;
		if (kind == VC_QMP_MSG_EVENT) {
			queue_event(q, msg);
			continue;
		}
		if (kind == VC_QMP_MSG_GREETING) {
			json_decref(msg);
			return vc_error_set(err, VC_ERR_PROTOCOL, "qmp '%s': unexpected greeting",
					    command);
		}
		json_t *rid = json_object_get(msg, "id");
		/* A reply for an earlier command that timed out: skip it. A reply without an id
		 * is the server rejecting our request before reading its id: it is ours. */
		if (rid && !(json_is_integer(rid) && json_integer_value(rid) == id)) {
			vc_debug("qmp '%s': skipping a reply to another request", command);
			json_decref(msg);
			continue;
		}
		*reply = msg;
		return kind;
	}
}

/* Sends a command and waits for its reply (see await_reply). */
static int transact(vc_qmp *q, const char *command, json_t *args, int64_t deadline, json_t **reply,
		    vc_error **err)
{
	json_int_t id;
	*reply = NULL;
	if (send_command(q, command, args, deadline, &id, err) < 0)
		return -1;
	return await_reply(q, command, id, deadline, reply, err);
}

/* The "return" member of a reply of the given kind (new reference), or NULL with its error. */
static json_t *reply_return(const char *command, int kind, json_t *reply, vc_error **err)
{
	if (kind < 0)
		return NULL;
	if (kind == VC_QMP_MSG_ERROR) {
		reply_error(command, reply, err);
		return NULL;
	}
	return json_incref(json_object_get(reply, "return"));
}

/* ---- the greeting ---- */

/* The first bytes of what the server sent, for an error message: at most GREETING_QUOTE of
 * them up to the first newline, printable ASCII as is, '"' and '\\' escaped, anything else as
 * \xNN, in double quotes, with "..." when cut. Caller frees. */
#define GREETING_QUOTE 48

static char *quote_bytes(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	if (nl)
		n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	bool cut = n > GREETING_QUOTE;
	if (cut)
		n = GREETING_QUOTE;
	char *out = xmalloc(n * 4 + 6), *o = out;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			*o++ = (char)c;
		} else {
			o += sprintf(o, "\\x%02x", c);
		}
	}
	*o++ = '"';
	if (cut)
		o = stpcpy(o, "...");
	*o = '\0';
	return out;
}

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether the buffered bytes can still become a greeting, {"QMP": ...} (QEMU sends exactly that;
 * whitespace is allowed where JSON allows it). When they cannot, *json_start says whether they
 * could at least start some other JSON text. */
static bool greeting_prefix_ok(const char *p, size_t n, bool *json_start)
{
	static const char key[] = "\"QMP\"";
	*json_start = true;
	if (n == 0)
		return true;
	if (p[0] != '{') {
		*json_start = p[0] != '\0' && strchr("[\"-0123456789tfn", p[0]) != NULL;
		return false;
	}
	size_t i = 1, k = 0;
	while (i < n && is_json_space(p[i]))
		i++;
	for (; i < n && k < sizeof(key) - 1; i++, k++)
		if (p[i] != key[k])
			return false;
	return true;
}

/* A parser's complaint may quote the offending bytes: keep it printable. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

/* Reads the greeting. Whatever else the server says first means the socket does not speak QMP,
 * and that is judged as soon as the bytes show it: garbage need not end with a newline, nor
 * ever close the connection. Errors: VC_ERR_PROTOCOL naming what was wrong and quoting the first
 * bytes; VC_ERR_TIMEOUT; VC_ERR_IO when the server closed without a word; VC_ERR_LIMIT. */
static int read_greeting(vc_qmp *q, int64_t deadline, vc_error **err)
{
	for (;;) {
		size_t lead = 0; /* blank lines and spaces before the greeting do not matter */
		while (lead < q->len && is_json_space(q->buf[lead]))
			lead++;
		if (lead) {
			memmove(q->buf, q->buf + lead, q->len - lead);
			q->len -= lead;
		}

		bool json_start;
		bool line = q->len && memchr(q->buf, '\n', q->len);
		if (!line && !greeting_prefix_ok(q->buf, q->len, &json_start)) {
			cleanup_free char *quoted = quote_bytes(q->buf, q->len);
			if (json_start)
				return vc_error_set(err, VC_ERR_PROTOCOL,
						    "expected a QMP greeting, got %s", quoted);
			return vc_error_set(err, VC_ERR_PROTOCOL, "QMP greeting is not JSON: %s",
					    quoted);
		}
		if (line) {
			cleanup_free char *quoted = quote_bytes(q->buf, q->len);
			cleanup_free char *text = NULL;
			ssize_t n = read_line(q, &text, deadline, "greeting", err);
			if (n < 0)
				return -1;
			json_t *msg = NULL;
			cleanup_error vc_error *perr = NULL;
			int kind = vc_qmp_parse_message(text, (size_t)n, &msg, &perr);
			json_decref(msg);
			if (kind == VC_QMP_MSG_GREETING)
				return 0;
			static const char malformed[] = "malformed message: ";
			if (kind < 0)
				sanitize(perr->msg);
			if (kind < 0 && strncmp(perr->msg, malformed, sizeof(malformed) - 1) == 0)
				return vc_error_set(err, VC_ERR_PROTOCOL,
						    "QMP greeting is not JSON (%s): %s",
						    perr->msg + sizeof(malformed) - 1, quoted);
			if (kind < 0)
				return vc_error_set(err, VC_ERR_PROTOCOL,
						    "expected a QMP greeting (%s), got %s",
						    perr->msg, quoted);
			static const char *const kinds[] = {[VC_QMP_MSG_RETURN] = "a reply",
							    [VC_QMP_MSG_ERROR] = "an error reply",
							    [VC_QMP_MSG_EVENT] = "an event"};
			return vc_error_set(err, VC_ERR_PROTOCOL,
					    "expected a QMP greeting, got %s: %s", kinds[kind],
					    quoted);
		}
		if (q->len > VC_QMP_MAX_LINE) {
			q->len = 0;
			return vc_error_set(err, VC_ERR_LIMIT, "QMP greeting exceeds %d bytes",
					    VC_QMP_MAX_LINE);
		}
		if (q->closed) {
			if (q->len == 0)
				return vc_error_set(
				    err, VC_ERR_IO,
				    "qmp 'greeting': connection closed by the server");
			cleanup_free char *quoted = quote_bytes(q->buf, q->len);
			q->len = 0;
			return vc_error_set(err, VC_ERR_PROTOCOL,
					    "QMP greeting cut short: the server closed the "
					    "connection after %s",
					    quoted);
		}
		if (fill_buffer(q, deadline, "greeting", err) < 0)
			return -1;
	}
}

/* ---- public API ---- */

/* Negotiates on a fresh connection. qmp_capabilities (and `command`, when not NULL) are sent at
 * once, before the greeting arrives: the server reads them in order once it has greeted us, so
 * the whole exchange costs one round trip. *ret receives the command's "return" member. */
static vc_qmp *open_pipelined(int fd, const char *command, int64_t deadline, json_t **ret,
			      vc_error **err)
{
	vc_qmp *q = xzalloc(sizeof(*q));
	q->fd = fd;
	q->events = json_array();
	cleanup_qmp vc_qmp *guard = q;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		vc_error_set_errno(err, errno, "qmp: fcntl");
		return NULL;
	}
	json_int_t caps_id, cmd_id = 0;
	cleanup_free char *caps_text = encode_command(q, "qmp_capabilities", NULL, &caps_id, err);
	cleanup_free char *cmd_text =
	    command ? encode_command(q, command, NULL, &cmd_id, err) : NULL;
	if (!caps_text || (command && !cmd_text))
		return NULL;
	/* One write: the server gets both requests with the same wakeup. */
	cleanup_free char *text = xasprintf("%s%s", caps_text, cmd_text ? cmd_text : "");
	vc_error *serr = NULL;
	if (send_all(q, text, strlen(text), deadline, "qmp_capabilities", &serr) < 0) {
		if (!q->closed) {
			vc_error_append(err, &serr);
			return NULL;
		}
		/* Hung up: what it said before tells more. The send's EPIPE says nothing of the
		 * bytes still buffered for us; reading them ends at EOF and marks the close. */
		vc_error_free(serr);
		q->closed = false;
	}

	if (read_greeting(q, deadline, err) < 0)
		return NULL;

	cleanup_json json_t *reply = NULL;
	int kind = await_reply(q, "qmp_capabilities", caps_id, deadline, &reply, err);
	json_t *caps = reply_return("qmp_capabilities", kind, reply, err);
	if (!caps)
		return NULL;
	json_decref(caps);
	if (command) {
		json_decref(reply);
		kind = await_reply(q, command, cmd_id, deadline, &reply, err);
		*ret = reply_return(command, kind, reply, err);
		if (!*ret)
			return NULL;
	}
	return vc_steal_pointer(&guard);
}

vc_qmp *vc_qmp_open_fd(int fd, int timeout_ms, vc_error **err)
{
	return open_pipelined(fd, NULL, deadline_after(timeout_ms), NULL, err);
}

vc_qmp *vc_qmp_adopt_fd(int fd)
{
	vc_qmp *q = xzalloc(sizeof(*q));
	q->fd = fd;
	q->events = json_array();
	/* Replies left unread by an earlier holder carry other ids: they are skipped. */
	q->next_id = (json_int_t)getpid() << 20;
	return q;
}

vc_qmp *vc_qmp_connect_query(const char *socket_path, const char *command, int timeout_ms,
			     json_t **ret, vc_error **err)
{
	if (ret)
		*ret = NULL;
	int64_t deadline = deadline_after(timeout_ms);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		vc_error_set(err, VC_ERR_LIMIT, "qmp: socket path '%s' is longer than %zu bytes",
			     socket_path, sizeof(addr.sun_path) - 1);
		return NULL;
	}
	memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);

	for (;;) {
		/* Non-blocking: a full accept backlog (QEMU serves one client at a time) gives
		 * EAGAIN instead of an unbounded wait in connect(). */
		cleanup_close int fd =
		    socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			vc_error_set_errno(err, errno, "qmp: socket");
			return NULL;
		}
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
			int owned = fd;
			fd = -1;
			vc_qmp *q = open_pipelined(owned, command, deadline, ret, err);
			if (!q)
				vc_error_wrap(err, "%s", socket_path);
			return q;
		}
		int e = errno;
		if (e != ENOENT && e != ECONNREFUSED && e != EINTR && e != EAGAIN) {
			vc_error_set_errno(err, e, "qmp: connect '%s'", socket_path);
			return NULL;
		}
		if (remaining(deadline) == 0) {
			vc_error_set(err, VC_ERR_TIMEOUT, "qmp: connect '%s': timed out (%s)",
				     socket_path, strerror(e));
			return NULL;
		}
		struct timespec pause = {.tv_nsec = 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

vc_qmp *vc_qmp_connect(const char *socket_path, int timeout_ms, vc_error **err)
{
	return vc_qmp_connect_query(socket_path, NULL, timeout_ms, NULL, err);
}

void vc_qmp_close(vc_qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	free(q->buf);
	json_decref(q->events);
	free(q);
}

void vc_qmp_end_session(vc_qmp *q)
{
	if (q && q->fd >= 0)
		shutdown(q->fd, SHUT_RDWR);
	vc_qmp_close(q);
}

json_t *vc_qmp_execute(vc_qmp *q, const char *command, json_t *args, int timeout_ms, vc_error **err)
{
	cleanup_json json_t *reply = NULL;
	int kind = transact(q, command, args, deadline_after(timeout_ms), &reply, err);
	return reply_return(command, kind, reply, err);
}

int vc_qmp_quit(vc_qmp *q, int timeout_ms, vc_error **err)
{
	if (q->closed)
		return 0;
	cleanup_json json_t *reply = NULL;
	cleanup_error vc_error *inner = NULL;
	int kind = transact(q, "quit", NULL, deadline_after(timeout_ms), &reply, &inner);
	if (kind < 0) {
		/* QEMU may close the socket before (or instead of) replying. */
		if (q->closed && inner->code == VC_ERR_IO)
			return 0;
		vc_error_append(err, &inner);
		return -1;
	}
	if (kind == VC_QMP_MSG_ERROR)
		return reply_error("quit", reply, err);
	return 0;
}

static bool event_matches(json_t *ev, const char *name, const char *key, const char *value)
{
	if (name && strcmp(json_string_value(json_object_get(ev, "event")), name) != 0)
		return false;
	if (!key)
		return true;
	const char *v = json_string_value(json_object_get(json_object_get(ev, "data"), key));
	return v && (!value || strcmp(v, value) == 0);
}

/* Takes the first queued event matching, else reads until one arrives. name NULL: any. */
static json_t *take_event(vc_qmp *q, const char *name, const char *key, const char *value,
			  int timeout_ms, vc_error **err)
{
	int64_t deadline = deadline_after(timeout_ms);
	size_t i;
	json_t *ev;
	json_array_foreach(q->events, i, ev)
	{
		if (event_matches(ev, name, key, value)) {
			json_incref(ev);
			json_array_remove(q->events, i);
			return ev;
		}
	}
	const char *what = name ? name : "event";
	for (;;) {
		json_t *msg = NULL;
		int kind = read_message(q, &msg, deadline, what, err);
		if (kind < 0)
			return NULL;
		if (kind == VC_QMP_MSG_EVENT) {
			if (event_matches(msg, name, key, value))
				return msg;
			queue_event(q, msg);
			continue;
		}
		/* A late reply to a command that timed out carries nothing for us now. */
		vc_debug("qmp: skipping a reply while waiting for %s", what);
		json_decref(msg);
	}
}

json_t *vc_qmp_wait_event(vc_qmp *q, const char *name, const char *key, const char *value,
			  int timeout_ms, vc_error **err)
{
	return take_event(q, name, key, value, timeout_ms, err);
}

json_t *vc_qmp_next_event(vc_qmp *q, int timeout_ms, vc_error **err)
{
	return take_event(q, NULL, NULL, NULL, timeout_ms, err);
}

size_t vc_qmp_queued_events(const vc_qmp *q)
{
	return json_array_size(q->events);
}

bool vc_qmp_closed(const vc_qmp *q)
{
	return q->closed;
}
