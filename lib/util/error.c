#include <config.h>
#include "util/error.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vc_error_vset(vc_error **err, int code, int sys_errno, const char *file, int line, int col,
		  const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	vc_error *e = xzalloc(sizeof(*e));
	e->code = code;
	e->sys_errno = sys_errno;
	char *msg = xvasprintf(fmt, ap);
	if (sys_errno) {
		e->msg = xasprintf("%s: %s", msg, strerror(sys_errno));
		free(msg);
	} else {
		e->msg = msg;
	}
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	vc_error **tail = err;
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	return -1;
}

int vc_error_set(vc_error **err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vc_error_vset(err, code, 0, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int vc_error_set_errno(vc_error **err, int sys_errno, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vc_error_vset(err, VC_ERR_IO, sys_errno, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int vc_error_set_pos(vc_error **err, int code, const char *file, int line, int col, const char *fmt,
		     ...)
{
	va_list ap;
	va_start(ap, fmt);
	vc_error_vset(err, code, 0, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int vc_error_wrap(vc_error **err, const char *fmt, ...)
{
	if (!err || !*err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *ctx = xvasprintf(fmt, ap);
	va_end(ap);
	for (vc_error *e = *err; e; e = e->next) {
		char *m = xasprintf("%s: %s", ctx, e->msg);
		free(e->msg);
		e->msg = m;
	}
	free(ctx);
	return -1;
}

char *vc_error_format(const vc_error *err)
{
	if (!err)
		return xstrdup("unknown error");
	if (err->file && err->line > 0)
		return xasprintf("%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
	if (err->file)
		return xasprintf("%s: %s", err->file, err->msg);
	if (err->line > 0)
		return xasprintf("%d:%d: %s", err->line, err->col, err->msg);
	return xstrdup(err->msg);
}

size_t vc_error_count(const vc_error *err)
{
	size_t n = 0;
	for (; err; err = err->next)
		n++;
	return n;
}

void vc_error_free(vc_error *err)
{
	while (err) {
		vc_error *next = err->next;
		free(err->msg);
		free(err->file);
		free(err);
		err = next;
	}
}

void vc_error_append(vc_error **dst, vc_error **src)
{
	if (!src || !*src)
		return;
	vc_error **tail = dst;
	while (*tail)
		tail = &(*tail)->next;
	*tail = *src;
	*src = NULL;
}
