/* A QMP client (issue [5/8]): unix socket, greeting, qmp_capabilities, numbered requests, events
 * queued while waiting for a reply, bounded line length, a timeout on every wait, EOF after
 * `quit` treated as success. Knows nothing of sandboxes. */
#ifndef VC_QEMU_QMP_H
#define VC_QEMU_QMP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"

typedef struct vc_qmp vc_qmp;

/* Timeouts are in milliseconds; a negative timeout waits forever. Every wait polls, so no call
 * blocks longer than its timeout. */

/* Connects (retrying while the socket does not exist yet or refuses, as when QEMU is still
 * starting), reads the greeting and negotiates capabilities, all within timeout_ms. The
 * qmp_capabilities request is sent without waiting for the greeting (one round trip). */
vc_qmp *vc_qmp_connect(const char *socket_path, int timeout_ms, vc_error **err);
/* vc_qmp_connect, with `command` (no arguments) sent in the same write as qmp_capabilities, before
 * the greeting arrives (the server reads both in order once it has greeted): connecting and one
 * query cost one round trip. *ret receives the command's "return" member (new reference). */
vc_qmp *vc_qmp_connect_query(const char *socket_path, const char *command, int timeout_ms,
			     json_t **ret, vc_error **err);
/* Same over an already connected stream (tests use a socketpair). Takes ownership of fd. */
vc_qmp *vc_qmp_open_fd(int fd, int timeout_ms, vc_error **err);
/* A session another process negotiated, over a socket we now hold too: no greeting is read, no
 * negotiation sent. Request ids start from a base of this process's own, so that replies left
 * unread by an earlier holder are skipped. Takes ownership of fd (close-on-exec). */
vc_qmp *vc_qmp_adopt_fd(int fd);
void vc_qmp_close(vc_qmp *q);
/* Shuts the socket down, then closes: the session ends for every process that holds the same
 * socket (a dup, an inherited copy), not only for us. The server sees the client hang up. */
void vc_qmp_end_session(vc_qmp *q);

/* Runs one command; args (may be NULL) is stolen. Returns the "return" member (new reference)
 * or NULL with VC_ERR_PROTOCOL ("qmp 'cmd': <class>: <desc>", or a malformed message),
 * VC_ERR_TIMEOUT, VC_ERR_IO ("qmp 'cmd': connection closed by the server" once the peer is
 * gone) or VC_ERR_LIMIT (over-long line; close the connection then). Events read meanwhile are
 * queued; a late reply to an earlier, timed-out request is recognised by its id and skipped. */
json_t *vc_qmp_execute(vc_qmp *q, const char *command, json_t *args, int timeout_ms,
		       vc_error **err);
/* `quit`: a reply or EOF both count as success. */
int vc_qmp_quit(vc_qmp *q, int timeout_ms, vc_error **err);
/* Waits for an event named `name` (queued ones first), optionally whose data member `key`
 * equals the string `value` (value NULL: the member only has to be a string). Returns the
 * whole event object (new reference); other events read meanwhile stay queued. Example:
 * DEVICE_DELETED comes twice per device_del, first for ".../virtio-backend" without "device",
 * so wait with key "device" and the device id. */
json_t *vc_qmp_wait_event(vc_qmp *q, const char *name, const char *key, const char *value,
			  int timeout_ms, vc_error **err);

/* The longest line accepted from the peer, newline excluded; longer is a VC_ERR_LIMIT error. */
#define VC_QMP_MAX_LINE (1024 * 1024)
/* Events kept while nobody asks for them; beyond that the oldest is dropped (with a warning). */
#define VC_QMP_MAX_QUEUED_EVENTS 1024

/* What one line from the server is. */
typedef enum {
	VC_QMP_MSG_GREETING = 1, /* {"QMP": {...}} */
	VC_QMP_MSG_RETURN,	 /* {"return": ..., "id"?} */
	VC_QMP_MSG_ERROR,	 /* {"error": {"class": S, "desc": S}, "id"?} */
	VC_QMP_MSG_EVENT,	 /* {"event": S, "data"?, "timestamp"?} */
} vc_qmp_msg_kind;

/* Parses and checks one message (a line without its newline; a trailing "\r" is allowed).
 * Returns its kind and stores the object (new reference) in *out, or -1 with VC_ERR_PROTOCOL
 * (messages have no "qmp" prefix: callers wrap them)
 * (not JSON, not an object, not one of the four kinds, malformed error or event) or
 * VC_ERR_LIMIT (longer than VC_QMP_MAX_LINE). Pure: the fuzz target drives it directly. */
int vc_qmp_parse_message(const char *line, size_t len, json_t **out, vc_error **err);

/* The next event, queued ones first, whatever its name (new reference); NULL with
 * VC_ERR_TIMEOUT when none arrives within timeout_ms (0: only what is already readable). */
json_t *vc_qmp_next_event(vc_qmp *q, int timeout_ms, vc_error **err);
/* Number of events received and not yet taken. */
size_t vc_qmp_queued_events(const vc_qmp *q);
/* True once the peer closed the connection. */
bool vc_qmp_closed(const vc_qmp *q);

static inline void vc_cleanup_qmpp(vc_qmp **q)
{
	if (*q)
		vc_qmp_close(*q);
}
#define cleanup_qmp __attribute__((cleanup(vc_cleanup_qmpp)))
#endif
