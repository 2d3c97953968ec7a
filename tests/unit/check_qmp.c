/* The QMP client against a scripted peer: a forked child on the other end of a socketpair (or a
 * unix socket) replays a script of sends, expected requests and replies, and exits non-zero
 * when the client did not send what the script expects. */
#include <config.h>
#include "suites.h"
#include "qemu/qmp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

#define GREETING                                                                                   \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, "         \
	"\"capabilities\": [\"oob\"]}}\r\n"
#define OK "{\"return\": {}}"

typedef enum {
	SEND,	/* write arg verbatim */
	EXPECT, /* read one request line; its "execute" must equal arg; remember its id */
	ARGS,	/* the last request's "arguments" must equal the JSON arg ("null": none) */
	ANSWER, /* send the JSON object arg with the remembered id added */
	PAUSE,	/* sleep arg milliseconds */
	CLOSE,	/* close the connection and exit 0 */
	HANG,	/* sleep until killed */
	FLOOD,	/* send arg-many bytes of 'x' without a newline */
	END,
} step_op;

typedef struct {
	step_op op;
	const char *arg;
} step;

/* Reads one line byte by byte (the peer has no buffering to get wrong). */
static char *peer_read_line(int fd)
{
	size_t cap = 256, len = 0;
	char *s = xmalloc(cap);
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n <= 0) {
			free(s);
			return NULL;
		}
		if (c == '\n')
			break;
		if (len + 2 > cap)
			s = xrealloc(s, cap *= 2);
		s[len++] = c;
	}
	s[len] = '\0';
	return s;
}

static void peer_write(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			_exit(3);
		s += w;
		n -= (size_t)w;
	}
}

static void run_script(int fd, const step *script)
{
	json_t *id = NULL;
	json_t *last = NULL;
	for (const step *st = script; st->op != END; st++) {
		switch (st->op) {
		case SEND:
			peer_write(fd, st->arg, strlen(st->arg));
			break;
		case EXPECT: {
			char *line = peer_read_line(fd);
			if (!line)
				_exit(10);
			json_t *req = json_loads(line, 0, NULL);
			free(line);
			const char *cmd = json_string_value(json_object_get(req, "execute"));
			if (!cmd || strcmp(cmd, st->arg) != 0)
				_exit(11);
			json_decref(id);
			id = json_incref(json_object_get(req, "id"));
			if (!id)
				_exit(12);
			json_decref(last);
			last = req;
			break;
		}
		case ARGS: {
			json_t *want = json_loads(st->arg, JSON_DECODE_ANY, NULL);
			json_t *got = json_object_get(last, "arguments");
			if (!(json_is_null(want) ? got == NULL : json_equal(want, got)))
				_exit(14);
			json_decref(want);
			break;
		}
		case ANSWER: {
			json_t *reply = json_loads(st->arg, 0, NULL);
			if (!reply)
				_exit(13);
			json_object_set(reply, "id", id);
			char *text = json_dumps(reply, JSON_COMPACT);
			json_decref(reply);
			peer_write(fd, text, strlen(text));
			peer_write(fd, "\r\n", 2);
			free(text);
			break;
		}
		case PAUSE:
			usleep((useconds_t)atoi(st->arg) * 1000);
			break;
		case CLOSE:
			close(fd);
			_exit(0);
		case HANG:
			for (;;)
				pause();
		case FLOOD: {
			size_t n = (size_t)atol(st->arg);
			char *x = xmalloc(n);
			memset(x, 'x', n);
			peer_write(fd, x, n);
			free(x);
			break;
		}
		case END:
			break;
		}
	}
	json_decref(id);
	json_decref(last);
	close(fd);
	_exit(0);
}

typedef struct {
	pid_t pid;
	int fd; /* the client's end */
} peer;

static peer start_peer(const step *script)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		close(sv[0]);
		run_script(sv[1], script);
	}
	close(sv[1]);
	return (peer){.pid = pid, .fd = sv[0]};
}

/* Waits for the peer; returns its exit status (-1: killed because it was still running). */
static int finish_peer(peer p, bool kill_it)
{
	if (kill_it)
		kill(p.pid, SIGKILL);
	int st;
	ck_assert_int_eq(waitpid(p.pid, &st, 0), p.pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define HANDSHAKE                                                                                  \
	{SEND, GREETING}, {EXPECT, "qmp_capabilities"},                                            \
	{                                                                                          \
		ANSWER, OK                                                                         \
	}

START_TEST(test_handshake_and_execute)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {ANSWER, "{\"return\": {\"status\": \"running\", \"running\": true}}"},
	    {EXPECT, "stop"},
	    {ANSWER, OK},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_null(err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "query-status", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "running");
	ck_assert(json_is_true(json_object_get(r, "running")));
	json_decref(r);
	r = vc_qmp_execute(q, "stop", json_object(), 2000, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert(json_is_object(r));
	json_decref(r);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_arguments_are_sent)
{
	static const step script[] = {
	    HANDSHAKE,	  {ARGS, "null"}, {EXPECT, "device_del"}, {ARGS, "{\"id\": \"hd0\"}"},
	    {ANSWER, OK}, {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "device_del", json_pack("{s:s}", "id", "hd0"), 2000, &err);
	ck_assert_ptr_nonnull(r);
	json_decref(r);
	/* Arguments that are not an object are refused before anything is sent. */
	r = vc_qmp_execute(q, "device_del", json_string("hd0"), 2000, &err);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(err->code, VC_ERR_USAGE);
	vc_error_free(err);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_events_before_reply_are_queued)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "stop"},
	    {SEND,
	     "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n"},
	    {SEND, "{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"a\"}}\n"},
	    {SEND, "{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"b\"}}\n"},
	    {ANSWER, OK},
	    {PAUSE, "50"},
	    {SEND, "{\"event\": \"RESUME\"}\n"},
	    {HANG, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "stop", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	json_decref(r);
	ck_assert_uint_eq(vc_qmp_queued_events(q), 3);

	/* Matching on a data member skips the earlier event of the same name, which stays. */
	json_t *ev = vc_qmp_wait_event(q, "DEVICE_DELETED", "device", "b", 0, &err);
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "data"), "device")),
			 "b");
	json_decref(ev);
	ev = vc_qmp_wait_event(q, "STOP", NULL, NULL, 0, &err);
	ck_assert_ptr_nonnull(ev);
	json_decref(ev);
	ck_assert_uint_eq(vc_qmp_queued_events(q), 1);
	/* An event read from the socket later. */
	ev = vc_qmp_wait_event(q, "RESUME", NULL, NULL, 2000, &err);
	ck_assert_ptr_nonnull(ev);
	json_decref(ev);
	ev = vc_qmp_next_event(q, 0, &err);
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "event")), "DEVICE_DELETED");
	json_decref(ev);
	/* Nothing left: a zero timeout only looks. */
	ev = vc_qmp_next_event(q, 0, &err);
	ck_assert_ptr_null(ev);
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	vc_error_free(err);
	vc_qmp_close(q);
	finish_peer(p, true);
}
END_TEST

START_TEST(test_reply_matched_by_id)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {SEND, "{\"return\": {\"stale\": true}, \"id\": 999}\n"},
	    {SEND, "{\"return\": {\"stale\": true}, \"id\": \"other\"}\n"},
	    {ANSWER, "{\"return\": {\"status\": \"paused\"}}"},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "query-status", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(json_object_get(r, "stale"));
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "paused");
	json_decref(r);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_error_reply)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "device_add"},
	    {ANSWER,
	     "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Duplicate device ID 'hd0'\"}}"},
	    {EXPECT, "query-status"},
	    {ANSWER, OK},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "device_add", json_pack("{s:s}", "id", "hd0"), 2000, &err);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_str_eq(err->msg, "qmp 'device_add': GenericError: Duplicate device ID 'hd0'");
	vc_error_free(err);
	err = NULL;
	/* The connection stays usable after an error reply. */
	r = vc_qmp_execute(q, "query-status", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	json_decref(r);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_capabilities_refused)
{
	static const step script[] = {
	    {SEND, GREETING},
	    {EXPECT, "qmp_capabilities"},
	    {ANSWER, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"nope\"}}"},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(p.fd, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_str_eq(err->msg, "qmp 'qmp_capabilities': CommandNotFound: nope");
	vc_error_free(err);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_no_greeting)
{
	static const step script[] = {
	    {SEND, "{\"return\": {}}\n"},
	    {HANG, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(p.fd, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(err->msg, "greeting"));
	vc_error_free(err);
	finish_peer(p, true);
}
END_TEST

/* Garbage instead of a greeting fails at once (well before the 2 s timeout), names what was
 * wrong and quotes the first bytes with escapes, whether or not a newline or EOF ever comes. */
static void expect_greeting_error(const step *script, const char *want)
{
	peer p = start_peer(script);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(p.fd, 2000, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_str_eq(err->msg, want);
	vc_error_free(err);
	finish_peer(p, true);
}

START_TEST(test_greeting_binary_without_newline)
{
	static const step script[] = {{SEND, "\x01\x02 \xff\"\\ abc\t"}, {HANG, NULL}};
	expect_greeting_error(script,
			      "QMP greeting is not JSON: \"\\x01\\x02 \\xff\\\"\\\\ abc\\x09\"");
}
END_TEST

START_TEST(test_greeting_not_json_line)
{
	static const step script[] = {
	    {SEND, "\n  this is not QMP, and it is longer than what the error message quotes\r\n"},
	    {HANG, NULL}};
	expect_greeting_error(script,
			      "QMP greeting is not JSON ('[' or '{' expected near 'this'): \"this "
			      "is not QMP, and it is longer than what the \"...");
}
END_TEST

START_TEST(test_greeting_other_json_object)
{
	/* No newline: the bytes cannot become {"QMP": any more. */
	static const step script[] = {{SEND, "{ \"return\""}, {HANG, NULL}};
	expect_greeting_error(script, "expected a QMP greeting, got \"{ \\\"return\\\"\"");
}
END_TEST

START_TEST(test_greeting_event)
{
	static const step script[] = {
	    {SEND, "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1}}\n"}, {HANG, NULL}};
	expect_greeting_error(script, "expected a QMP greeting, got an event: \"{\\\"event\\\": "
				      "\\\"STOP\\\", \\\"timestamp\\\": {\\\"seconds\\\": 1}}\"");
}
END_TEST

/* A server that wrote part of a greeting and hung up before vcrun's pipelined request: the send
 * fails with EPIPE, and the bytes already sent are still what the error names. Deterministic
 * version of test_greeting_cut_short (which races the peer's close against the send). */
START_TEST(test_greeting_cut_short_before_send)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	static const char cut[] = "{\"QMP\": {\"version\"";
	ck_assert_int_eq(write(sv[1], cut, sizeof(cut) - 1), (ssize_t)(sizeof(cut) - 1));
	close(sv[1]);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(sv[0], 2000, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(err->msg, "cut short"));
	vc_error_free(err);
}
END_TEST

START_TEST(test_greeting_cut_short)
{
	static const step script[] = {{SEND, "{\"QMP\": {\"vers"}, {CLOSE, NULL}};
	expect_greeting_error(script, "QMP greeting cut short: the server closed the connection "
				      "after \"{\\\"QMP\\\": {\\\"vers\"");
}
END_TEST

START_TEST(test_greeting_in_pieces_after_blank_lines)
{
	/* A greeting may come in several writes, after blank lines: only its bytes decide. */
	static const step script[] = {
	    {SEND, "\r\n\n {"}, {PAUSE, "50"},	      {SEND, " \"QM"},
	    {PAUSE, "50"},	{SEND, &GREETING[4]}, {EXPECT, "qmp_capabilities"},
	    {ANSWER, OK},	{END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_greeting_closed_without_a_word)
{
	/* Retried by callers that wait for a hypervisor to start: not a protocol error. */
	static const step script[] = {{CLOSE, NULL}};
	peer p = start_peer(script);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(p.fd, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_IO);
	vc_error_free(err);
	finish_peer(p, false);
}
END_TEST

START_TEST(test_garbage)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {SEND, "this is not json\n"},
	    {HANG, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_null(vc_qmp_execute(q, "query-status", NULL, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(err->msg, "qmp 'query-status': malformed message"));
	vc_error_free(err);
	vc_qmp_close(q);
	finish_peer(p, true);
}
END_TEST

START_TEST(test_overlong_line)
{
	static const step script[] = {
	    HANDSHAKE,		{EXPECT, "query-status"}, {SEND, "{\"return\": \""},
	    {FLOOD, "1049000"}, {SEND, "\"}\n"},	  {HANG, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_null(vc_qmp_execute(q, "query-status", NULL, 5000, &err));
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(err->msg, "exceeds 1048576 bytes"));
	vc_error_free(err);
	vc_qmp_close(q);
	finish_peer(p, true);
}
END_TEST

START_TEST(test_line_at_limit_is_accepted)
{
	/* A reply just under the limit (a long string) still parses: the bound is not too tight. */
	static const step script[] = {
	    HANDSHAKE,		{EXPECT, "query-status"}, {SEND, "{\"return\": \""},
	    {FLOOD, "1048000"}, {SEND, "\"}\n"},	  {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	/* The peer answers without an id: that is taken as the reply to the pending request. */
	json_t *r = vc_qmp_execute(q, "query-status", NULL, 5000, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(json_string_length(r), 1048000);
	json_decref(r);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_timeout_silent_peer)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {HANG, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_null(vc_qmp_execute(q, "query-status", NULL, 100, &err));
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	ck_assert_str_eq(err->msg, "qmp 'query-status': timed out waiting for the server");
	vc_error_free(err);
	err = NULL;
	ck_assert_ptr_null(vc_qmp_wait_event(q, "SHUTDOWN", NULL, NULL, 50, &err));
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	vc_error_free(err);
	vc_qmp_close(q);
	finish_peer(p, true);
}
END_TEST

START_TEST(test_late_reply_after_timeout_is_skipped)
{
	static const step script[] = {
	    HANDSHAKE,	      {EXPECT, "query-status"},
	    {PAUSE, "300"},   {ANSWER, "{\"return\": {\"late\": true}}"},
	    {EXPECT, "cont"}, {ANSWER, "{\"return\": {\"mine\": true}}"},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_null(vc_qmp_execute(q, "query-status", NULL, 50, &err));
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	vc_error_free(err);
	err = NULL;
	json_t *r = vc_qmp_execute(q, "cont", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(json_object_get(r, "late"));
	ck_assert(json_is_true(json_object_get(r, "mine")));
	json_decref(r);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

/* An event line numbered n, for the queue bound test. */
static char event_burst[VC_QMP_MAX_QUEUED_EVENTS + 8][64];
static step burst_script[VC_QMP_MAX_QUEUED_EVENTS + 16];

START_TEST(test_event_queue_is_bounded)
{
	size_t k = 0;
	burst_script[k++] = (step){SEND, GREETING};
	burst_script[k++] = (step){EXPECT, "qmp_capabilities"};
	burst_script[k++] = (step){ANSWER, OK};
	burst_script[k++] = (step){EXPECT, "cont"};
	for (int i = 0; i < VC_QMP_MAX_QUEUED_EVENTS + 8; i++) {
		snprintf(event_burst[i], sizeof(event_burst[i]),
			 "{\"event\": \"TICK\", \"data\": {\"n\": \"%d\"}}\n", i);
		burst_script[k++] = (step){SEND, event_burst[i]};
	}
	burst_script[k++] = (step){ANSWER, OK};
	burst_script[k++] = (step){END, NULL};
	peer p = start_peer(burst_script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "cont", NULL, 5000, &err);
	ck_assert_ptr_nonnull(r);
	json_decref(r);
	ck_assert_uint_eq(vc_qmp_queued_events(q), VC_QMP_MAX_QUEUED_EVENTS);
	/* The oldest were dropped: the first left is number 8. */
	json_t *ev = vc_qmp_next_event(q, 0, &err);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "data"), "n")), "8");
	json_decref(ev);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_timeout_no_greeting)
{
	static const step script[] = {{HANG, NULL}};
	peer p = start_peer(script);
	vc_error *err = NULL;
	ck_assert_ptr_null(vc_qmp_open_fd(p.fd, 100, &err));
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	vc_error_free(err);
	finish_peer(p, true);
}
END_TEST

START_TEST(test_eof_after_quit)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "quit"},
	    {CLOSE, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(vc_qmp_quit(q, 2000, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert(vc_qmp_closed(q));
	/* A second quit on a closed connection has nothing left to do. */
	ck_assert_int_eq(vc_qmp_quit(q, 2000, &err), 0);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_quit_with_reply)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "quit"},
	    {SEND, "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": "
		   "\"host-qmp-quit\"}}\n"},
	    {ANSWER, OK},
	    {CLOSE, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(vc_qmp_quit(q, 2000, &err), 0);
	json_t *ev = vc_qmp_wait_event(q, "SHUTDOWN", "reason", "host-qmp-quit", 0, &err);
	ck_assert_ptr_nonnull(ev);
	json_decref(ev);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_eof_mid_command)
{
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {SEND, "{\"return\": {\"status\""},
	    {CLOSE, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_null(vc_qmp_execute(q, "query-status", NULL, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_IO);
	ck_assert_str_eq(err->msg, "qmp 'query-status': connection closed by the server");
	vc_error_free(err);
	err = NULL;
	ck_assert(vc_qmp_closed(q));
	/* Later commands fail at once, and so does waiting for an event. */
	ck_assert_ptr_null(vc_qmp_execute(q, "cont", NULL, 2000, &err));
	ck_assert_int_eq(err->code, VC_ERR_IO);
	vc_error_free(err);
	err = NULL;
	ck_assert_ptr_null(vc_qmp_wait_event(q, "SHUTDOWN", NULL, NULL, -1, &err));
	ck_assert_int_eq(err->code, VC_ERR_IO);
	vc_error_free(err);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

START_TEST(test_connect_unix_socket)
{
	char dir[] = "/tmp/vc-qmp-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path = xasprintf("%s/qmp.sock", dir);
	vc_error *err = NULL;

	/* Nobody listens: retried until the timeout, then a timeout error naming the cause. */
	ck_assert_ptr_null(vc_qmp_connect(path, 50, &err));
	ck_assert_int_eq(err->code, VC_ERR_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(err->msg, "No such file or directory"));
	vc_error_free(err);
	err = NULL;

	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	strcpy(addr.sun_path, path);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	static const step script[] = {
	    HANDSHAKE,
	    {EXPECT, "query-status"},
	    {ANSWER, "{\"return\": {\"status\": \"prelaunch\", \"running\": false}}"},
	    {END, NULL},
	};
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			_exit(20);
		run_script(c, script);
	}
	close(ls);
	vc_qmp *q = vc_qmp_connect(path, 2000, &err);
	ck_assert_ptr_nonnull(q);
	json_t *r = vc_qmp_execute(q, "query-status", NULL, 2000, &err);
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "prelaunch");
	json_decref(r);
	vc_qmp_close(q);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(path);
	rmdir(dir);
	free(path);

	/* A path that does not fit sun_path. */
	char longpath[200];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_ptr_null(vc_qmp_connect(longpath, 50, &err));
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	vc_error_free(err);
}
END_TEST

/* The client must not wait for the greeting: this peer reads the requests first. */
START_TEST(test_requests_before_greeting)
{
	static const step script[] = {
	    {EXPECT, "qmp_capabilities"},
	    {SEND, GREETING},
	    {ANSWER, OK},
	    {END, NULL},
	};
	peer p = start_peer(script);
	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_open_fd(p.fd, 2000, &err);
	ck_assert_ptr_null(err);
	ck_assert_ptr_nonnull(q);
	vc_qmp_close(q);
	ck_assert_int_eq(finish_peer(p, false), 0);
}
END_TEST

/* vc_qmp_connect_query: capabilities and the query in one write, the query's return handed
 * back, and the connection usable afterwards. */
START_TEST(test_connect_query)
{
	char dir[] = "/tmp/vc-qmp-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path = xasprintf("%s/qmp.sock", dir);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	strcpy(addr.sun_path, path);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	static const step script[] = {
	    {EXPECT, "qmp_capabilities"},
	    {EXPECT, "query-status"}, /* both before the greeting */
	    {SEND, GREETING},
	    {SEND, "{\"return\": {}, \"id\": 1}\r\n"},
	    {ANSWER, "{\"return\": {\"status\": \"paused\", \"running\": false}}"},
	    {EXPECT, "cont"},
	    {ANSWER, OK},
	    {END, NULL},
	};
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			_exit(20);
		run_script(c, script);
	}
	close(ls);
	vc_error *err = NULL;
	json_t *ret = NULL;
	vc_qmp *q = vc_qmp_connect_query(path, "query-status", 2000, &ret, &err);
	ck_assert_ptr_null(err);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(json_string_value(json_object_get(ret, "status")), "paused");
	json_decref(ret);
	json_t *r = vc_qmp_execute(q, "cont", NULL, 2000, &err);
	ck_assert_ptr_nonnull(r);
	json_decref(r);
	vc_qmp_close(q);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

static int parse_kind(const char *s, vc_error **err)
{
	json_t *msg = NULL;
	int kind = vc_qmp_parse_message(s, strlen(s), &msg, err);
	ck_assert((kind < 0) == (msg == NULL));
	json_decref(msg);
	return kind;
}

START_TEST(test_parse_message)
{
	vc_error *err = NULL;
	ck_assert_int_eq(parse_kind(GREETING, &err), VC_QMP_MSG_GREETING);
	ck_assert_int_eq(parse_kind("{\"return\": 3}\r", &err), VC_QMP_MSG_RETURN);
	ck_assert_int_eq(
	    parse_kind("{\"error\": {\"class\": \"A\", \"desc\": \"b\"}, \"id\": 1}", &err),
	    VC_QMP_MSG_ERROR);
	ck_assert_int_eq(parse_kind("{\"event\": \"STOP\"}", &err), VC_QMP_MSG_EVENT);
	ck_assert_ptr_null(err);

	static const char *bad[] = {
	    "",
	    "[]",
	    "\"return\"",
	    "{}",
	    "{\"return\": {}, \"event\": \"X\"}",
	    "{\"QMP\": 1}",
	    "{\"error\": \"oops\"}",
	    "{\"error\": {\"class\": \"A\"}}",
	    "{\"event\": 5}",
	    "{\"event\": \"X\", \"data\": []}",
	    "{\"return\": 1, \"return\": 2}",
	    "{\"return\": 1} trailing",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(parse_kind(bad[i], &err), -1);
		ck_assert_int_eq(err->code, VC_ERR_PROTOCOL);
		vc_error_free(err);
		err = NULL;
	}
	json_t *msg = NULL;
	ck_assert_int_eq(vc_qmp_parse_message("{}", (size_t)VC_QMP_MAX_LINE + 1, &msg, &err), -1);
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	vc_error_free(err);
}
END_TEST

Suite *qmp_suite(void)
{
	Suite *s = suite_create("qmp");
	TCase *tc = tcase_create("peer");
	tcase_add_test(tc, test_handshake_and_execute);
	tcase_add_test(tc, test_arguments_are_sent);
	tcase_add_test(tc, test_events_before_reply_are_queued);
	tcase_add_test(tc, test_reply_matched_by_id);
	tcase_add_test(tc, test_error_reply);
	tcase_add_test(tc, test_capabilities_refused);
	tcase_add_test(tc, test_no_greeting);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_greeting_binary_without_newline);
	tcase_add_test(tc, test_greeting_not_json_line);
	tcase_add_test(tc, test_greeting_other_json_object);
	tcase_add_test(tc, test_greeting_event);
	tcase_add_test(tc, test_greeting_cut_short);
	tcase_add_test(tc, test_greeting_cut_short_before_send);
	tcase_add_test(tc, test_greeting_in_pieces_after_blank_lines);
	tcase_add_test(tc, test_greeting_closed_without_a_word);
	tcase_add_test(tc, test_overlong_line);
	tcase_add_test(tc, test_line_at_limit_is_accepted);
	tcase_add_test(tc, test_timeout_silent_peer);
	tcase_add_test(tc, test_timeout_no_greeting);
	tcase_add_test(tc, test_late_reply_after_timeout_is_skipped);
	tcase_add_test(tc, test_event_queue_is_bounded);
	tcase_add_test(tc, test_eof_after_quit);
	tcase_add_test(tc, test_quit_with_reply);
	tcase_add_test(tc, test_eof_mid_command);
	tcase_add_test(tc, test_connect_unix_socket);
	tcase_add_test(tc, test_requests_before_greeting);
	tcase_add_test(tc, test_connect_query);
	suite_add_tcase(s, tc);
	TCase *tp = tcase_create("parse");
	tcase_add_test(tp, test_parse_message);
	suite_add_tcase(s, tp);
	return s;
}
