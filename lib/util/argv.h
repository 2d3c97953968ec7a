/* A growable, NULL-terminated argument vector: what the QEMU builder produces and what
 * execv() takes. Never joined into a shell string except for display (vc_argv_quote). */
#ifndef VC_UTIL_ARGV_H
#define VC_UTIL_ARGV_H

#include <stddef.h>

typedef struct vc_argv {
	char **v; /* always NULL-terminated once anything was appended */
	size_t n;
	size_t cap;
} vc_argv;

#define VC_ARGV_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void vc_argv_init(vc_argv *a);
void vc_argv_append(vc_argv *a, const char *s);
void vc_argv_append_n(vc_argv *a, const char *const *items, size_t n);
void vc_argv_appendf(vc_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes ownership of s. */
void vc_argv_append_take(vc_argv *a, char *s);
void vc_argv_free(vc_argv *a);
/* Shell-quoted single line, for display only. Caller frees. */
char *vc_argv_quote(const vc_argv *a);
/* Index of the first element equal to s, or -1. */
long vc_argv_find(const vc_argv *a, const char *s);

static inline void vc_cleanup_argvp(vc_argv *a)
{
	vc_argv_free(a);
}
#define cleanup_argv __attribute__((cleanup(vc_cleanup_argvp)))

#endif
