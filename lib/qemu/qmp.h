/* A QMP client (issue [5/8]): unix socket, greeting, qmp_capabilities, numbered requests, events
 * queued while waiting for a reply, bounded line length, a timeout on every wait, EOF after
 * `quit` treated as success. Knows nothing of sandboxes. */
#ifndef VC_QEMU_QMP_H
#define VC_QEMU_QMP_H

#include <jansson.h>
#include "util/error.h"

typedef struct vc_qmp vc_qmp;

/* Connects, reads the greeting and negotiates capabilities, all within timeout_ms. */
vc_qmp *vc_qmp_connect(const char *socket_path, int timeout_ms, vc_error **err);
/* Same over an already connected stream (tests use a socketpair). Takes ownership of fd. */
vc_qmp *vc_qmp_open_fd(int fd, int timeout_ms, vc_error **err);
void vc_qmp_close(vc_qmp *q);

/* Runs one command; args (may be NULL) is stolen. Returns the "return" member (new reference)
 * or NULL with VC_ERR_PROTOCOL ("qmp 'cmd': <class>: <desc>") or VC_ERR_TIMEOUT. */
json_t *vc_qmp_execute(vc_qmp *q, const char *command, json_t *args, int timeout_ms,
		       vc_error **err);
/* `quit`: a reply or EOF both count as success. */
int vc_qmp_quit(vc_qmp *q, int timeout_ms, vc_error **err);
/* Waits for an event named `name` (queued ones first), optionally whose data member `key`
 * equals the string `value`. Returns the whole event object (new reference). */
json_t *vc_qmp_wait_event(vc_qmp *q, const char *name, const char *key, const char *value,
			  int timeout_ms, vc_error **err);

static inline void vc_cleanup_qmpp(vc_qmp **q)
{
	if (*q)
		vc_qmp_close(*q);
}
#define cleanup_qmp __attribute__((cleanup(vc_cleanup_qmpp)))
#endif
