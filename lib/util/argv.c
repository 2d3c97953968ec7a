#include <config.h>
#include "util/argv.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void vc_argv_init(vc_argv *a)
{
	a->v = NULL;
	a->n = 0;
	a->cap = 0;
}

void vc_argv_append_take(vc_argv *a, char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		a->v = xreallocarray(a->v, cap, sizeof(char *));
		a->cap = cap;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void vc_argv_append(vc_argv *a, const char *s)
{
	vc_argv_append_take(a, xstrdup(s));
}

void vc_argv_append_n(vc_argv *a, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vc_argv_append(a, items[i]);
}

void vc_argv_appendf(vc_argv *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	vc_argv_append_take(a, s);
}

void vc_argv_free(vc_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	vc_argv_init(a);
}

long vc_argv_find(const vc_argv *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], s) == 0)
			return (long)i;
	return -1;
}

static bool needs_quoting(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_./=,:+@%", c)))
			return true;
	}
	return false;
}

char *vc_argv_quote(const vc_argv *a)
{
	size_t cap = 64, len = 0;
	char *out = xmalloc(cap);
	out[0] = '\0';
	for (size_t i = 0; i < a->n; i++) {
		const char *s = a->v[i];
		/* worst case: every char becomes '\'' (4 chars) plus quotes and a space */
		size_t need = len + strlen(s) * 4 + 4;
		if (need > cap) {
			while (cap < need)
				cap *= 2;
			out = xrealloc(out, cap);
		}
		if (i)
			out[len++] = ' ';
		if (!needs_quoting(s)) {
			size_t l = strlen(s);
			memcpy(out + len, s, l);
			len += l;
		} else {
			out[len++] = '\'';
			for (; *s; s++) {
				if (*s == '\'') {
					memcpy(out + len, "'\\''", 4);
					len += 4;
				} else {
					out[len++] = *s;
				}
			}
			out[len++] = '\'';
		}
		out[len] = '\0';
	}
	return out;
}
