/* One QMP query to many servers at once (what `list` needs: query-status of every sandbox).
 * Knows nothing of sandboxes.
 *
 * Every server gets a non-blocking connection and, in the same write right after connecting,
 * qmp_capabilities and the query: a QMP server greets a client first and then reads its commands
 * in order, so each server costs one round trip, and all the round trips overlap (one poll over
 * every connection). At most max_open connections are open at a time: the rest wait their turn. */
#ifndef VC_QEMU_QMP_MANY_H
#define VC_QEMU_QMP_MANY_H

#include <jansson.h>
#include <stddef.h>
#include "util/error.h"

typedef struct vc_qmp_many_item {
	const char *socket_path; /* in */
	json_t *ret;		 /* out: the command's "return" member, or NULL on failure */
	vc_error *err;		 /* out: why it failed (NULL on success); the caller frees */
} vc_qmp_many_item;

/* Runs `command` (no arguments) on every item's server within timeout_ms for the whole batch;
 * max_open 0 picks a bound from RLIMIT_NOFILE. Fills ret or err of every item and returns the
 * number of failures. Errors are per item: VC_ERR_IO (connect refused, no socket, connection
 * closed), VC_ERR_PROTOCOL (not QMP, or the command failed), VC_ERR_LIMIT, VC_ERR_TIMEOUT. */
size_t vc_qmp_query_many(vc_qmp_many_item *items, size_t n, const char *command, int timeout_ms,
			 size_t max_open);

/* The bound max_open 0 stands for: a quarter of the soft RLIMIT_NOFILE, at least 16, at most
 * 1024 (the caller keeps other descriptors open, one per sandbox in `list`). */
size_t vc_qmp_many_default_open(void);

#endif
