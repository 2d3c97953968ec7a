/* The one error type of lib/: a code, a lowercase message and an optional source position.
 * Fallible functions take `vc_error **err`, return a negative number (or NULL) on failure and
 * fill *err; callers add context with vc_error_wrap(). Errors can be chained (`next`) when a
 * check reports every problem it finds rather than the first. */
#ifndef VC_UTIL_ERROR_H
#define VC_UTIL_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum vc_error_code {
	VC_ERR_GENERIC = 1,
	VC_ERR_USAGE,	  /* bad command line */
	VC_ERR_PARSE,	  /* malformed document */
	VC_ERR_CONFIG,	  /* well-formed document, invalid configuration */
	VC_ERR_NOT_FOUND, /* no such sandbox, file, device */
	VC_ERR_EXISTS,	  /* already exists */
	VC_ERR_STATE,	  /* operation not allowed in the current state */
	VC_ERR_IO,	  /* I/O or system call failure, errno in sys_errno */
	VC_ERR_TIMEOUT,
	VC_ERR_PROTOCOL, /* peer (QMP) misbehaved or replied with an error */
	VC_ERR_LIMIT,	 /* a bound was exceeded (nesting, length, count) */
};

typedef struct vc_error {
	int code;
	int sys_errno; /* 0 unless the failure came from a system call */
	char *msg;
	char *file; /* optional source position: file may be NULL with line > 0 */
	int line;
	int col;
	struct vc_error *next;
} vc_error;

/* Each returns -1 so that `return vc_error_set(err, ...);` reads naturally. When *err is
 * already set the new error is appended to the chain. */
int vc_error_set(vc_error **err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vc_error_set_errno(vc_error **err, int sys_errno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vc_error_set_pos(vc_error **err, int code, const char *file, int line, int col, const char *fmt,
		     ...) __attribute__((format(printf, 6, 7)));
int vc_error_vset(vc_error **err, int code, int sys_errno, const char *file, int line, int col,
		  const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* Prefixes every message of the chain with "<context>: ". Returns -1. */
int vc_error_wrap(vc_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "file:line:col: msg", "line:col: msg" or "msg". Caller frees. */
char *vc_error_format(const vc_error *err);
size_t vc_error_count(const vc_error *err);
void vc_error_free(vc_error *err);
/* Moves the chain of *src to the end of *dst. */
void vc_error_append(vc_error **dst, vc_error **src);

static inline void vc_cleanup_errorp(vc_error **e)
{
	if (*e)
		vc_error_free(*e);
}
#define cleanup_error __attribute__((cleanup(vc_cleanup_errorp)))

#endif
