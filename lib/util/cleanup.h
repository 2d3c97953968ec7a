/* Scope-bound ownership: variables marked with these attributes release what they hold when
 * they go out of scope; vc_steal_pointer() hands ownership out explicitly. */
#ifndef VC_UTIL_CLEANUP_H
#define VC_UTIL_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <dirent.h>

static inline void vc_cleanup_freep(void *p)
{
	void **pp = (void **)p;
	free(*pp);
}

static inline void vc_cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void vc_cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void vc_cleanup_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define cleanup_free __attribute__((cleanup(vc_cleanup_freep)))
#define cleanup_close __attribute__((cleanup(vc_cleanup_closep)))
#define cleanup_file __attribute__((cleanup(vc_cleanup_fclosep)))
#define cleanup_dir __attribute__((cleanup(vc_cleanup_closedirp)))

/* Declares cleanup_<name> for a type with a free function taking a pointer. */
#define VC_DEFINE_CLEANUP(name, type, freefn)                                                      \
	static inline void vc_cleanup_##name(type **p)                                             \
	{                                                                                          \
		if (*p)                                                                            \
			freefn(*p);                                                                \
	}

static inline void *vc_steal_ptr(void *pp)
{
	void **p = (void **)pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define vc_steal_pointer(pp) vc_steal_ptr((void *)(pp))

static inline int vc_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#endif
