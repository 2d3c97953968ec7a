#include <config.h>
#include "config/doc.h"
#include "util/xalloc.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tables with many keys get an open-addressing hash index so that lookups stay O(1) on large
 * documents; small tables (the common case in configuration files) are scanned linearly. */
#define INDEX_THRESHOLD 24

/* Ownership bits in node->flags (VC_DOC_FLAGS_INTERNAL). */
#define F_ARENA 0x10u	   /* the node itself lies in an arena: never free()d alone */
#define F_ARENA_DATA 0x20u /* string bytes / table keys lie in the arena */
#define F_ROOT 0x40u	   /* the node is the head of its arena and releases it */
#define F_ARENA_VEC 0x80u  /* the entries/items storage (with its header) is in the arena */
/* The same bit in a string: its bytes lie right behind the node, u.str_len_ their length. */
#define F_STR_INLINE VC_DOC_STR_INLINE_

_Static_assert(F_STR_INLINE == F_ARENA_VEC, "one bit, by type");

_Static_assert((F_ARENA | F_ARENA_DATA | F_ROOT | F_ARENA_VEC) == VC_DOC_FLAGS_INTERNAL,
	       "doc.c's flags are the internal ones");
_Static_assert(sizeof(vc_doc_node) == 16, "a node is 16 bytes");
_Static_assert(sizeof(vc_doc_entry) == 24, "an entry is 24 bytes");

typedef struct {
	uint32_t *slots; /* entry index + 1; 0 = empty */
	size_t cap;	 /* power of two */
} doc_index;

/* The hidden headers in front of a table's entries and an array's items (one allocation each,
 * header and data). Both end with the vc_doc_vec_hdr_ that doc.h's accessors read. Tables and
 * arrays hold at most UINT32_MAX - 1 elements (the hash index stores 32-bit positions too).
 * A table has a hash index exactly while it has INDEX_THRESHOLD entries or more; the pointer
 * to it is in the header of blocks with room for that many (table_hdr), not in smaller ones
 * (just the vc_doc_vec_hdr_): most tables are small. */
typedef struct {
	doc_index *index;
	vc_doc_vec_hdr_ v;
} table_hdr;

typedef struct {
	vc_doc_vec_hdr_ v;
} array_hdr;

_Static_assert(sizeof(table_hdr) == 16 && sizeof(array_hdr) == 8, "vector headers");

/* The header size of a table block with room for cap entries. */
static inline size_t thdr_size(uint32_t cap)
{
	return cap >= INDEX_THRESHOLD ? sizeof(table_hdr) : sizeof(vc_doc_vec_hdr_);
}

static inline vc_doc_vec_hdr_ *thdr(const vc_doc_node *t)
{
	return t->u.entries ? (vc_doc_vec_hdr_ *)(void *)t->u.entries - 1 : NULL;
}

/* Where a table's index pointer is kept (NULL: a block too small to have one). */
static inline doc_index **tindex_slot(const vc_doc_node *t)
{
	vc_doc_vec_hdr_ *v = thdr(t);
	return v && v->cap >= INDEX_THRESHOLD ? &((table_hdr *)(void *)t->u.entries - 1)->index
					      : NULL;
}

static inline doc_index *tindex(const vc_doc_node *t)
{
	doc_index **slot = tindex_slot(t);
	return slot ? *slot : NULL;
}

/* The start of a table's block (what malloc returned, for a malloc'd one). */
static inline void *tblock(const vc_doc_node *t)
{
	return (char *)t->u.entries - thdr_size(thdr(t)->cap);
}

static inline array_hdr *ahdr(const vc_doc_node *a)
{
	return a->u.items ? (array_hdr *)(void *)a->u.items - 1 : NULL;
}

/* n and cap of a table or array (0 for an empty one). */
static inline uint32_t tlen(const vc_doc_node *t)
{
	return t->u.entries ? thdr(t)->n : 0;
}

static inline uint32_t alen(const vc_doc_node *a)
{
	return a->u.items ? ahdr(a)->v.n : 0;
}

/* ---- length-prefixed strings (string values and keys) -------------------------------------- */

/* Bytes in front of a string of len bytes: its length (see vc_doc_prefixed_len_). */
static inline size_t prefix_size(size_t len)
{
	return len < UINT32_MAX ? sizeof(uint32_t) : sizeof(uint32_t) + sizeof(uint64_t);
}

/* Writes the prefix, the len bytes of s and a NUL at mem (prefix_size(len) + len + 1 bytes);
 * returns the string's address (after the prefix). */
static char *put_prefixed(char *mem, const char *s, size_t len)
{
	uint32_t l = len < UINT32_MAX ? (uint32_t)len : UINT32_MAX;
	if (l == UINT32_MAX) {
		uint64_t big = len;
		memcpy(mem, &big, sizeof(big));
		mem += sizeof(big);
	}
	memcpy(mem, &l, sizeof(l));
	char *d = mem + sizeof(l);
	if (len)
		memcpy(d, s, len);
	d[len] = 0;
	return d;
}

static char *malloc_prefixed(const char *s, size_t len)
{
	if (len > SIZE_MAX - 16)
		abort();
	return put_prefixed(xmalloc(prefix_size(len) + len + 1), s, len);
}

static void free_prefixed(char *p)
{
	if (p)
		free(p - prefix_size(vc_doc_prefixed_len_(p)));
}

/* ---- arena --------------------------------------------------------------------------------- */

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
} arena_chunk;

/* Storage blocks of tables and arrays grown in the arena (vc_doc_arena_table_set,
 * vc_doc_arena_array_push) that were outgrown or compacted: reused by the next vector of that
 * kind and capacity class instead of being left dead in the arena. Class k holds blocks whose
 * capacity is at least 2^k (and less than 2^(k+1)); the block's first word links the list. */
#define FREE_CLASSES 40

typedef struct {
	vc_doc_node root; /* first: the root's address is the arena's */
	arena_chunk *chunks;
	char *cur, *end;
	/* Reserved memory of the current chunk beyond end, handed out once populated (see
	 * huge_chunk): end moves up to held in steps. NULL or end when there is none. */
	char *held;
	size_t next_size;
	size_t used; /* bytes handed out (vc_doc_arena_used) */
	/* Memory of an earlier allocation given back with vc_doc_arena_recycle (the part of the
	 * producer's input it has finished with): used before cur/end while it lasts. */
	char *rc_cur, *rc_end;
	void *free_tables[FREE_CLASSES], *free_arrays[FREE_CLASSES];
} doc_arena;

#define ARENA_FIRST 4096
#define ARENA_MAX 262144

static doc_arena *arena_of(vc_doc_node *root)
{
	return (doc_arena *)(void *)root;
}

#define HUGE_PAGE ((size_t)2 << 20)
/* How far ahead the 4 KiB pages of a huge chunk's second 2 MiB are faulted in. Measured with
 * make bench-toml on this nested VM: populating in batches decoded ~10% faster than letting
 * each page fault on its first write, and 64 KiB steps beat 256 and 512 KiB (whatever is
 * populated ahead and never used is resident for nothing). */
#define POPULATE_STEP ((size_t)64 << 10)

/* Hands out the next part of the current chunk's held memory (see huge_chunk): up to
 * POPULATE_STEP of its 4 KiB-page region, faulted in with one madvise instead of a trap per
 * page (without MADV_POPULATE_WRITE the pages fault as usual), or the rest of the chunk once
 * that region is passed (huge pages again). */
static void populate_more(doc_arena *a)
{
	arena_chunk *c = a->chunks;
	char *base = (char *)c, *small_end = base + 2 * HUGE_PAGE;
	if (a->end >= small_end) {
		a->end = a->held;
		return;
	}
	char *to = a->end + POPULATE_STEP < small_end ? a->end + POPULATE_STEP : small_end;
	if (to > a->held)
		to = a->held;
#ifdef MADV_POPULATE_WRITE
	(void)madvise(a->end, (size_t)(to - a->end), MADV_POPULATE_WRITE);
#endif
	a->end = to;
}

static void *arena_alloc(doc_arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	a->used += size;
	if ((size_t)(a->rc_end - a->rc_cur) >= size) {
		void *p = a->rc_cur;
		a->rc_cur += size;
		return p;
	}
	while ((size_t)(a->end - a->cur) < size && a->held > a->end)
		populate_more(a);
	if ((size_t)(a->end - a->cur) < size) {
		size_t want = a->next_size;
		if (a->next_size < ARENA_MAX)
			a->next_size *= 2;
		bool alone = size > want / 4;
		if (alone)
			want = size;
		arena_chunk *c = xmalloc(sizeof(*c) + want);
		c->size = want;
		char *mem = (char *)(c + 1);
		if (alone) {
			/* A big block of its own; the current chunk stays in use. */
			c->next = a->chunks ? a->chunks->next : NULL;
			if (a->chunks)
				a->chunks->next = c;
			else
				a->chunks = c;
			return mem;
		}
		c->next = a->chunks;
		a->chunks = c;
		a->cur = mem;
		a->end = mem + want;
		a->held = NULL;
	}
	void *p = a->cur;
	a->cur += size;
	return p;
}

static void arena_release(doc_arena *a)
{
	arena_chunk *c = a->chunks;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

/* A chunk of at least size bytes, 2 MiB-aligned, advised for transparent huge pages: one page
 * fault then maps 2 MiB instead of 4 KiB, and fresh-page faults are the dearest part of
 * building a large tree (on this VM ~10 us each). Only touched huge pages are resident, but a
 * touched one is resident whole, so the chunk's second 2 MiB (where the tree of a document of
 * about 1 MiB ends: 2.4 MiB) stays in 4 KiB pages, faulted in ahead by populate_more: up to
 * 2 MiB less resident at the end of such a tree, for ~10 us per 4 KiB page used there. It
 * comes from malloc (which maps blocks this big on its own), not from mmap here, so that leak
 * checkers scan it for the pointers it holds. NULL when that fails (the caller falls back). */
static arena_chunk *huge_chunk(size_t size)
{
	size_t len = (sizeof(arena_chunk) + size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *m = NULL;
	if (posix_memalign(&m, HUGE_PAGE, len) != 0)
		return NULL;
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
	char *base = m;
	(void)madvise(base, HUGE_PAGE, MADV_HUGEPAGE);
	if (len > HUGE_PAGE)
		(void)madvise(base + HUGE_PAGE, HUGE_PAGE, MADV_NOHUGEPAGE);
	if (len > 2 * HUGE_PAGE)
		(void)madvise(base + 2 * HUGE_PAGE, len - 2 * HUGE_PAGE, MADV_HUGEPAGE);
#endif
	arena_chunk *c = m;
	c->size = len - sizeof(arena_chunk);
	return c;
}

void vc_doc_arena_reserve(vc_doc_node *root, size_t size)
{
	doc_arena *a = arena_of(root);
	char *limit = a->held > a->end ? a->held : a->end;
	if ((size_t)(limit - a->cur) >= size)
		return;
	arena_chunk *c = size >= HUGE_PAGE / 2 ? huge_chunk(size) : NULL;
	bool huge = c != NULL;
	if (!c) {
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
	}
	c->next = a->chunks;
	a->chunks = c;
	a->cur = (char *)(c + 1);
	a->end = a->cur + c->size;
	a->held = NULL;
	if (huge && a->end > (char *)c + HUGE_PAGE) {
		/* the rest is handed out by populate_more */
		a->held = a->end;
		a->end = (char *)c + HUGE_PAGE;
	}
}

size_t vc_doc_arena_used(const vc_doc_node *root)
{
	return ((const doc_arena *)(const void *)root)->used;
}

vc_doc_node *vc_doc_new_document(int line, int col)
{
	doc_arena *a = xzalloc(sizeof(*a));
	a->next_size = ARENA_FIRST;
	a->root.type = VC_DOC_TABLE;
	vc_doc_set_pos(&a->root, line, col);
	a->root.flags = F_ARENA | F_ARENA_DATA | F_ROOT;
	return &a->root;
}

char *vc_doc_arena_input(vc_doc_node *root, size_t len)
{
	doc_arena *a = arena_of(root);
	size_t used = a->used;
	char *p = arena_alloc(a, len ? len : 1);
	a->used = used; /* the input is not part of the tree */
	return p;
}

void vc_doc_arena_recycle(vc_doc_node *root, const char *from, const char *to)
{
	doc_arena *a = arena_of(root);
	/* The memory is the arena's (vc_doc_arena_input hands it out writable). */
	char *s = (char *)(uintptr_t)from, *e = (char *)(uintptr_t)to;
	if (e <= s)
		return;
	if (a->rc_end && s <= a->rc_end && a->rc_end < e) {
		/* Continues the current region (the usual case: the input, piece by piece). */
		a->rc_end = e;
		return;
	}
	char *aligned = (char *)(((uintptr_t)s + 7) & ~(uintptr_t)7);
	if (aligned >= e)
		return;
	a->rc_cur = aligned;
	a->rc_end = e;
}

void *vc_doc_arena_alloc(vc_doc_node *root, size_t size)
{
	void *p = arena_alloc(arena_of(root), size);
	memset(p, 0, size);
	return p;
}

/* A date/time node: the value from the payload on (vc_doc_dt). */
#define DT_NODE_SIZE (offsetof(vc_doc_node, u) + sizeof(vc_doc_datetime))
_Static_assert(DT_NODE_SIZE == 24 && offsetof(vc_doc_node, u) % _Alignof(vc_doc_datetime) == 0,
	       "a date/time node is 24 bytes");

static bool is_datetime(vc_doc_type type)
{
	return type == VC_DOC_DATETIME || type == VC_DOC_DATETIME_LOCAL ||
	       type == VC_DOC_DATE_LOCAL || type == VC_DOC_TIME_LOCAL;
}

vc_doc_node *vc_doc_arena_node(vc_doc_node *root, vc_doc_type type, int line, int col)
{
	vc_doc_node *n;
	if (is_datetime(type)) {
		/* The value right behind the node. */
		n = arena_alloc(arena_of(root), DT_NODE_SIZE);
		memset(vc_doc_dt_mut(n), 0, sizeof(vc_doc_datetime));
	} else {
		n = arena_alloc(arena_of(root), sizeof(*n));
		memset(&n->u, 0, sizeof(n->u));
	}
	n->type = type;
	vc_doc_set_pos(n, line, col);
	n->flags = F_ARENA | F_ARENA_DATA;
	return n;
}

char *vc_doc_arena_strndup(vc_doc_node *root, const char *s, size_t len)
{
	if (len > SIZE_MAX - 16)
		abort();
	return put_prefixed(arena_alloc(arena_of(root), prefix_size(len) + len + 1), s, len);
}

vc_doc_node *vc_doc_arena_string(vc_doc_node *root, const char *s, size_t len, int line, int col)
{
	if (len > SIZE_MAX - 32)
		abort();
	doc_arena *a = arena_of(root);
	/* The node, then the bytes (the length is the node's payload). */
	vc_doc_node *n = arena_alloc(a, sizeof(*n) + len + 1);
	n->type = VC_DOC_STRING;
	vc_doc_set_pos(n, line, col);
	n->flags = F_ARENA | F_ARENA_DATA | F_STR_INLINE;
	n->u.str_len_ = len;
	char *d = (char *)(n + 1);
	if (len)
		memcpy(d, s, len);
	d[len] = 0;
	return n;
}

/* ---- nodes --------------------------------------------------------------------------------- */

static uint64_t hash_key(const char *k, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

vc_doc_node *vc_doc_new(vc_doc_type type, int line, int col)
{
	vc_doc_node *n;
	if (is_datetime(type)) {
		n = xzalloc(DT_NODE_SIZE);
	} else {
		n = xzalloc(sizeof(*n));
	}
	n->type = type;
	vc_doc_set_pos(n, line, col);
	return n;
}

vc_doc_node *vc_doc_new_string(const char *s, size_t len, int line, int col)
{
	vc_doc_node *n = vc_doc_new(VC_DOC_STRING, line, col);
	n->u.str = malloc_prefixed(s, len);
	return n;
}

vc_doc_node *vc_doc_new_integer(int64_t v, int line, int col)
{
	vc_doc_node *n = vc_doc_new(VC_DOC_INTEGER, line, col);
	n->u.integer = v;
	return n;
}

vc_doc_node *vc_doc_new_float(double v, int line, int col)
{
	vc_doc_node *n = vc_doc_new(VC_DOC_FLOAT, line, col);
	n->u.real = v;
	return n;
}

vc_doc_node *vc_doc_new_bool(bool v, int line, int col)
{
	vc_doc_node *n = vc_doc_new(VC_DOC_BOOL, line, col);
	n->u.boolean = v;
	return n;
}

static void index_free(vc_doc_node *t)
{
	doc_index **slot = tindex_slot(t);
	if (slot && *slot) {
		free((*slot)->slots);
		free(*slot);
		*slot = NULL;
	}
}

void vc_doc_free(vc_doc_node *n)
{
	if (!n)
		return;
	switch (n->type) {
	case VC_DOC_STRING:
		if (!(n->flags & F_ARENA_DATA))
			free_prefixed(n->u.str);
		break;
	case VC_DOC_TABLE:
		for (size_t i = 0, len = tlen(n); i < len; i++) {
			if (!(n->flags & F_ARENA_DATA))
				free_prefixed(n->u.entries[i].key);
			vc_doc_free(n->u.entries[i].value);
		}
		if (n->u.entries) {
			index_free(n);
			if (!(n->flags & F_ARENA_VEC))
				free(tblock(n));
		}
		break;
	case VC_DOC_ARRAY:
		for (size_t i = 0, len = alen(n); i < len; i++)
			vc_doc_free(n->u.items[i]);
		if (n->u.items && !(n->flags & F_ARENA_VEC))
			free(ahdr(n));
		break;
	default:
		break;
	}
	if (n->flags & F_ROOT)
		arena_release(arena_of(n));
	else if (!(n->flags & F_ARENA))
		free(n);
	else if (n->type == VC_DOC_STRING || n->type == VC_DOC_TABLE || n->type == VC_DOC_ARRAY)
		/* An arena node freed on its own stays in the arena until the root goes: leave it
		 * empty so that nothing it held is freed twice. */
		memset(&n->u, 0, sizeof(n->u));
}

static void index_insert(doc_index *ix, const vc_doc_node *t, size_t entry)
{
	const vc_doc_entry *e = &t->u.entries[entry];
	size_t mask = ix->cap - 1;
	size_t i = (size_t)hash_key(e->key, vc_doc_entry_key_len(e)) & mask;
	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = (uint32_t)(entry + 1);
}

static void index_rebuild(vc_doc_node *t)
{
	index_free(t);
	size_t n = tlen(t);
	if (n < INDEX_THRESHOLD)
		return;
	doc_index *ix = xzalloc(sizeof(*ix));
	ix->cap = 32;
	while (ix->cap < n * 2)
		ix->cap *= 2;
	ix->slots = xzalloc(ix->cap * sizeof(*ix->slots));
	for (size_t i = 0; i < n; i++)
		index_insert(ix, t, i);
	*tindex_slot(t) = ix; /* (cap >= n >= INDEX_THRESHOLD) */
}

static long table_find(const vc_doc_node *t, const char *key, size_t len)
{
	if (!t || t->type != VC_DOC_TABLE || !t->u.entries)
		return -1;
	const doc_index *ix = tindex(t);
	if (ix) {
		size_t mask = ix->cap - 1;
		size_t i = (size_t)hash_key(key, len) & mask;
		while (ix->slots[i]) {
			const vc_doc_entry *e = &t->u.entries[ix->slots[i] - 1];
			if (vc_doc_entry_key_len(e) == len && memcmp(e->key, key, len) == 0)
				return (long)(ix->slots[i] - 1);
			i = (i + 1) & mask;
		}
		return -1;
	}
	for (size_t i = 0, n = thdr(t)->n; i < n; i++) {
		const vc_doc_entry *e = &t->u.entries[i];
		if (vc_doc_entry_key_len(e) == len &&
		    (e->key == key || memcmp(e->key, key, len) == 0))
			return (long)i;
	}
	return -1;
}

vc_doc_node *vc_doc_table_get_arena_key(const vc_doc_node *t, const char *key, size_t len)
{
	if (t && t->type == VC_DOC_TABLE && (t->flags & F_ARENA_DATA) && t->u.entries &&
	    !tindex(t)) {
		for (size_t i = 0, n = thdr(t)->n; i < n; i++)
			if (t->u.entries[i].key == key)
				return t->u.entries[i].value;
		return NULL;
	}
	return vc_doc_table_getn(t, key, len);
}

const vc_doc_entry *vc_doc_table_entry(const vc_doc_node *t, const char *key, size_t len)
{
	long i = table_find(t, key, len);
	return i < 0 ? NULL : &t->u.entries[i];
}

vc_doc_node *vc_doc_table_getn(const vc_doc_node *t, const char *key, size_t len)
{
	long i = table_find(t, key, len);
	return i < 0 ? NULL : t->u.entries[i].value;
}

vc_doc_node *vc_doc_table_get(const vc_doc_node *t, const char *key)
{
	return vc_doc_table_getn(t, key, strlen(key));
}

/* Gives a table whose keys lie in an arena keys of its own, so that keys of both kinds never
 * mix in one table (done once, on the first vc_doc_table_set into a decoded table). */
static void own_keys(vc_doc_node *t)
{
	if (!(t->flags & F_ARENA_DATA))
		return;
	for (size_t i = 0, n = tlen(t); i < n; i++) {
		vc_doc_entry *e = &t->u.entries[i];
		e->key = malloc_prefixed(e->key, vc_doc_entry_key_len(e));
	}
	t->flags &= ~F_ARENA_DATA;
}

/* Storage in the arena (vc_doc_compact, vc_doc_arena_table_set/array_push) goes back to malloc
 * before it grows through the functions above; the copy is full (cap = n). Returns the data
 * address of the copy. (Arrays; tables go through table_realloc.) */
static void *vec_to_malloc(vc_doc_node *n, const void *data, size_t hdr_size, size_t item_size)
{
	uint32_t len = ((const vc_doc_vec_hdr_ *)data)[-1].n;
	size_t size = hdr_size + len * item_size;
	char *m = xmalloc(size);
	memcpy(m, (const char *)data - hdr_size, size);
	char *d = m + hdr_size;
	((vc_doc_vec_hdr_ *)(void *)d)[-1].cap = len;
	n->flags &= ~F_ARENA_VEC;
	return d;
}

/* The size of a vector's block: header and cap items (aborts on overflow). */
static size_t vec_bytes(size_t hdr_size, size_t cap, size_t item_size)
{
	if (cap > (SIZE_MAX - hdr_size) / item_size)
		abort();
	return hdr_size + cap * item_size;
}

/* Moves a table's entries (n of them, n <= cap) into a malloc'd block with room for cap, with
 * its index; the old block is freed when it was malloc'd (an arena one stays where it is). */
static void table_realloc(vc_doc_node *t, uint32_t cap)
{
	vc_doc_vec_hdr_ *old = thdr(t);
	uint32_t n = old ? old->n : 0;
	doc_index *ix = tindex(t);
	char *m = xmalloc(vec_bytes(thdr_size(cap), cap, sizeof(vc_doc_entry)));
	vc_doc_entry *d = (vc_doc_entry *)(void *)(m + thdr_size(cap));
	if (n)
		memcpy(d, t->u.entries, n * sizeof(vc_doc_entry));
	if (old && !(t->flags & F_ARENA_VEC))
		free(tblock(t));
	t->u.entries = d;
	t->flags &= ~F_ARENA_VEC;
	thdr(t)->n = n;
	thdr(t)->cap = cap;
	if (cap >= INDEX_THRESHOLD)
		*tindex_slot(t) = ix;
}

/* Appends to a table whose storage has room for one more entry. */
static vc_doc_entry *table_push(vc_doc_node *t, char *key, int line, int col, vc_doc_node *value)
{
	vc_doc_vec_hdr_ *h = thdr(t);
	size_t idx = h->n++;
	vc_doc_entry *e = &t->u.entries[idx];
	e->key = key;
	e->line = line;
	e->col = col;
	e->value = value;
	doc_index *ix = tindex(t);
	if (ix && (size_t)h->n * 2 <= ix->cap)
		index_insert(ix, t, idx);
	else if (h->n >= INDEX_THRESHOLD)
		index_rebuild(t);
	return e;
}

/* The next capacity of a vector of cap elements growing by doubling (aborts past what the
 * 32-bit header can count). */
static uint32_t doubled(uint32_t cap)
{
	if (cap >= UINT32_MAX / 2)
		abort();
	return cap ? cap * 2 : 4;
}

static vc_doc_entry *table_append(vc_doc_node *t, char *key, int line, int col, vc_doc_node *value)
{
	if (t->flags & F_ARENA_VEC)
		table_realloc(t, thdr(t)->n);
	vc_doc_vec_hdr_ *h = thdr(t);
	if (!h || h->n == h->cap)
		table_realloc(t, doubled(h ? h->cap : 0));
	return table_push(t, key, line, col, value);
}

/* ---- vectors grown in the arena ----------------------------------------------------------- */

/* Free blocks are kept by their data address (what follows the header, whose cap stays valid);
 * the first word of the data links the list (blocks given back have room for 4 elements). */

/* floor(log2(cap)), at most FREE_CLASSES - 1; cap >= 1. */
static unsigned cap_class(size_t cap)
{
	unsigned k = 63 - (unsigned)__builtin_clzll((unsigned long long)cap);
	return k < FREE_CLASSES ? k : FREE_CLASSES - 1;
}

static inline uint32_t block_cap(const void *data)
{
	return ((const vc_doc_vec_hdr_ *)data)[-1].cap;
}

/* The data address of a block with room for at least cap items (cap a power of two) behind a
 * header of hdr_size bytes, its cap set (n is the caller's). */
static void *vec_take(doc_arena *a, void **lists, uint32_t cap, size_t hdr_size, size_t item_size)
{
	unsigned k = cap_class(cap);
	void *d = lists[k];
	if (d && block_cap(d) >= cap) { /* (only the last class holds blocks of mixed sizes) */
		memcpy(&lists[k], d, sizeof(void *));
		return d;
	}
	d = (char *)arena_alloc(a, vec_bytes(hdr_size, cap, item_size)) + hdr_size;
	((vc_doc_vec_hdr_ *)d)[-1].cap = cap;
	return d;
}

/* Gives a block back for reuse (blocks too small for any request are left where they are). */
static void vec_give(void **lists, void *data)
{
	uint32_t cap = block_cap(data);
	if (cap < 4)
		return;
	unsigned k = cap_class(cap);
	memcpy(data, &lists[k], sizeof(void *));
	lists[k] = data;
}

static uint32_t grown_cap(uint32_t n)
{
	uint32_t cap = 4;
	while (cap <= n) {
		if (cap >= UINT32_MAX / 2)
			abort();
		cap *= 2;
	}
	return cap;
}

vc_doc_entry *vc_doc_arena_table_set(vc_doc_node *root, vc_doc_node *t, char *key, size_t len,
				     int line, int col, vc_doc_node *value)
{
	bool arena_vec = (t->flags & F_ARENA_VEC) || !t->u.entries;
	if (!(t->flags & F_ARENA) || !(t->flags & F_ARENA_DATA) || !arena_vec)
		return vc_doc_table_set_arena_key(t, key, len, line, col, value);
	doc_arena *a = arena_of(root);
	vc_doc_vec_hdr_ *h = thdr(t);
	if (!h || h->n == h->cap) {
		uint32_t n = h ? h->n : 0, cap = grown_cap(n);
		doc_index *ix = tindex(t);
		/* (a block from the free list may be larger: its header goes by its own cap) */
		vc_doc_entry *d =
		    vec_take(a, a->free_tables, cap, thdr_size(cap), sizeof(vc_doc_entry));
		if (h) {
			memcpy(d, t->u.entries, n * sizeof(vc_doc_entry));
			vec_give(a->free_tables, t->u.entries);
		}
		t->u.entries = d;
		t->flags |= F_ARENA_VEC;
		thdr(t)->n = n;
		doc_index **slot = tindex_slot(t);
		if (slot)
			*slot = ix;
	}
	return table_push(t, key, line, col, value);
}

void vc_doc_arena_array_push(vc_doc_node *root, vc_doc_node *arr, vc_doc_node *item)
{
	if (!(arr->flags & F_ARENA) || (arr->u.items && !(arr->flags & F_ARENA_VEC))) {
		vc_doc_array_push(arr, item);
		return;
	}
	doc_arena *a = arena_of(root);
	array_hdr *h = ahdr(arr);
	if (!h || h->v.n == h->v.cap) {
		uint32_t n = h ? h->v.n : 0;
		vc_doc_node **d = vec_take(a, a->free_arrays, grown_cap(n), sizeof(array_hdr),
					   sizeof(vc_doc_node *));
		if (h) {
			memcpy(d, arr->u.items, n * sizeof(vc_doc_node *));
			vec_give(a->free_arrays, arr->u.items);
		}
		arr->u.items = d;
		h = ahdr(arr);
		h->v.n = n;
		arr->flags |= F_ARENA_VEC;
	}
	arr->u.items[h->v.n++] = item;
}

vc_doc_entry *vc_doc_table_set(vc_doc_node *t, const char *key, size_t len, int line, int col,
			       vc_doc_node *value)
{
	own_keys(t);
	return table_append(t, malloc_prefixed(key, len), line, col, value);
}

vc_doc_entry *vc_doc_table_set_arena_key(vc_doc_node *t, char *key, size_t len, int line, int col,
					 vc_doc_node *value)
{
	if (!(t->flags & F_ARENA_DATA))
		return vc_doc_table_set(t, key, len, line, col, value);
	return table_append(t, key, line, col, value);
}

void vc_doc_table_replace(vc_doc_node *t, const char *key, int line, int col, vc_doc_node *value)
{
	long i = table_find(t, key, strlen(key));
	if (i < 0) {
		vc_doc_table_set(t, key, strlen(key), line, col, value);
		return;
	}
	vc_doc_entry *e = &t->u.entries[i];
	vc_doc_free(e->value);
	e->value = value;
	e->line = line;
	e->col = col;
}

bool vc_doc_table_remove(vc_doc_node *t, const char *key)
{
	long i = table_find(t, key, strlen(key));
	if (i < 0)
		return false;
	vc_doc_vec_hdr_ *h = thdr(t);
	vc_doc_entry *e = &t->u.entries[i];
	if (!(t->flags & F_ARENA_DATA))
		free_prefixed(e->key);
	vc_doc_free(e->value);
	memmove(e, e + 1, (h->n - (size_t)i - 1) * sizeof(*e));
	h->n--;
	index_rebuild(t);
	return true;
}

void vc_doc_array_push(vc_doc_node *a, vc_doc_node *item)
{
	if (a->flags & F_ARENA_VEC)
		a->u.items = vec_to_malloc(a, a->u.items, sizeof(array_hdr), sizeof(vc_doc_node *));
	array_hdr *h = ahdr(a);
	uint32_t n = h ? h->v.n : 0, cap = h ? h->v.cap : 0;
	if (n == cap) {
		cap = doubled(cap);
		h = xrealloc(h, vec_bytes(sizeof(array_hdr), cap, sizeof(vc_doc_node *)));
		h->v.n = n;
		h->v.cap = cap;
		a->u.items = (vc_doc_node **)(void *)(h + 1);
	}
	a->u.items[h->v.n++] = item;
}

/* Moves a table's or array's vector into an exact-size block of the arena unless it is there
 * already at its exact size. */
static void compact_table(doc_arena *a, vc_doc_node *t)
{
	vc_doc_vec_hdr_ *v = thdr(t);
	bool in_arena = t->flags & F_ARENA_VEC;
	uint32_t n = v->n;
	if (!n || (in_arena && v->cap == n))
		return;
	doc_index *ix = tindex(t);
	size_t hs = thdr_size(n);
	vc_doc_entry *d =
	    (vc_doc_entry *)(void *)((char *)arena_alloc(a, vec_bytes(hs, n, sizeof(*d))) + hs);
	memcpy(d, t->u.entries, n * sizeof(*d));
	if (in_arena)
		vec_give(a->free_tables, t->u.entries);
	else
		free(tblock(t));
	t->u.entries = d;
	t->flags |= F_ARENA_VEC;
	thdr(t)->n = n;
	thdr(t)->cap = n;
	if (n >= INDEX_THRESHOLD)
		*tindex_slot(t) = ix;
}

static void compact_array(doc_arena *a, vc_doc_node *arr)
{
	array_hdr *h = ahdr(arr);
	bool in_arena = arr->flags & F_ARENA_VEC;
	uint32_t n = h->v.n;
	if (!n || (in_arena && h->v.cap == n))
		return;
	array_hdr *g = arena_alloc(a, vec_bytes(sizeof(*g), n, sizeof(vc_doc_node *)));
	memcpy(g + 1, arr->u.items, n * sizeof(vc_doc_node *));
	if (in_arena)
		vec_give(a->free_arrays, arr->u.items);
	else
		free(h);
	arr->u.items = (vc_doc_node **)(void *)(g + 1);
	arr->flags |= F_ARENA_VEC;
	g->v.n = n;
	g->v.cap = n;
}

void vc_doc_compact(vc_doc_node *root, vc_doc_node *n)
{
	if (!(n->flags & F_ARENA))
		return;
	if (n->type == VC_DOC_TABLE && n->u.entries)
		compact_table(arena_of(root), n);
	else if (n->type == VC_DOC_ARRAY && n->u.items)
		compact_array(arena_of(root), n);
}

void vc_doc_shrink(vc_doc_node *n)
{
	if (n->flags & F_ARENA_VEC)
		return;
	if (n->type == VC_DOC_TABLE && n->u.entries && thdr(n)->n < thdr(n)->cap && thdr(n)->n) {
		table_realloc(n, thdr(n)->n);
	} else if (n->type == VC_DOC_ARRAY && n->u.items && ahdr(n)->v.n < ahdr(n)->v.cap &&
		   ahdr(n)->v.n) {
		uint32_t len = ahdr(n)->v.n;
		array_hdr *h = xrealloc(ahdr(n), sizeof(array_hdr) + len * sizeof(vc_doc_node *));
		h->v.cap = len;
		n->u.items = (vc_doc_node **)(void *)(h + 1);
	}
}

vc_doc_node *vc_doc_clone(const vc_doc_node *n)
{
	if (!n)
		return NULL;
	vc_doc_node *c = vc_doc_new(n->type, n->line, n->col);
	c->flags = n->flags & ~VC_DOC_FLAGS_INTERNAL;
	switch (n->type) {
	case VC_DOC_STRING:
		c->u.str = malloc_prefixed(vc_doc_str(n), vc_doc_str_len(n));
		break;
	case VC_DOC_TABLE:
		for (size_t i = 0, len = tlen(n); i < len; i++) {
			const vc_doc_entry *e = &n->u.entries[i];
			vc_doc_table_set(c, e->key, vc_doc_entry_key_len(e), e->line, e->col,
					 vc_doc_clone(e->value));
		}
		break;
	case VC_DOC_ARRAY:
		for (size_t i = 0, len = alen(n); i < len; i++)
			vc_doc_array_push(c, vc_doc_clone(n->u.items[i]));
		break;
	case VC_DOC_DATETIME:
	case VC_DOC_DATETIME_LOCAL:
	case VC_DOC_DATE_LOCAL:
	case VC_DOC_TIME_LOCAL:
		*vc_doc_dt_mut(c) = *vc_doc_dt(n);
		break;
	default:
		c->u = n->u;
		break;
	}
	return c;
}

const char *vc_doc_type_name(vc_doc_type t)
{
	switch (t) {
	case VC_DOC_TABLE:
		return "table";
	case VC_DOC_ARRAY:
		return "array";
	case VC_DOC_STRING:
		return "string";
	case VC_DOC_INTEGER:
		return "integer";
	case VC_DOC_FLOAT:
		return "float";
	case VC_DOC_BOOL:
		return "boolean";
	case VC_DOC_DATETIME:
		return "datetime";
	case VC_DOC_DATETIME_LOCAL:
		return "local datetime";
	case VC_DOC_DATE_LOCAL:
		return "local date";
	case VC_DOC_TIME_LOCAL:
		return "local time";
	}
	return "unknown";
}
