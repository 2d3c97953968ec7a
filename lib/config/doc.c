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

_Static_assert((F_ARENA | F_ARENA_DATA | F_ROOT | F_ARENA_VEC) == VC_DOC_FLAGS_INTERNAL,
	       "doc.c's flags are the internal ones");
_Static_assert(sizeof(vc_doc_node) == 24, "a node is 24 bytes");

typedef struct {
	uint32_t *slots; /* entry index + 1; 0 = empty */
	size_t cap;	 /* power of two */
} doc_index;

/* The hidden headers in front of a table's entries and an array's items (one malloc each). */
typedef struct {
	size_t cap;
	doc_index *index;
} table_hdr;

typedef struct {
	size_t cap;
	size_t pad; /* keeps items 16-byte aligned like any malloc result */
} array_hdr;

static inline table_hdr *thdr(const vc_doc_node *t)
{
	return t->u.table.entries ? (table_hdr *)(void *)t->u.table.entries - 1 : NULL;
}

static inline array_hdr *ahdr(const vc_doc_node *a)
{
	return a->u.array.items ? (array_hdr *)(void *)a->u.array.items - 1 : NULL;
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

static void *arena_alloc(doc_arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	a->used += size;
	if ((size_t)(a->rc_end - a->rc_cur) >= size) {
		void *p = a->rc_cur;
		a->rc_cur += size;
		return p;
	}
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

#define HUGE_PAGE ((size_t)2 << 20)

/* A chunk of at least size bytes, 2 MiB-aligned and advised for transparent huge pages: one
 * page fault then maps 2 MiB instead of 4 KiB, and fresh-page faults are the dearest part of
 * building a large tree (on a VM, ~10-20 us each). Only touched huge pages are resident. It
 * comes from malloc (which maps blocks this big on its own), not from mmap here, so that leak
 * checkers scan it for the pointers it holds. NULL when that fails (the caller falls back). */
static arena_chunk *huge_chunk(size_t size)
{
	size_t len = (sizeof(arena_chunk) + size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *m = NULL;
	if (posix_memalign(&m, HUGE_PAGE, len) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(m, len, MADV_HUGEPAGE);
#endif
	arena_chunk *c = m;
	c->size = len - sizeof(arena_chunk);
	return c;
}

void vc_doc_arena_reserve(vc_doc_node *root, size_t size)
{
	doc_arena *a = arena_of(root);
	if ((size_t)(a->end - a->cur) >= size)
		return;
	arena_chunk *c = size >= HUGE_PAGE / 2 ? huge_chunk(size) : NULL;
	if (!c) {
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
	}
	c->next = a->chunks;
	a->chunks = c;
	a->cur = (char *)(c + 1);
	a->end = a->cur + c->size;
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

vc_doc_node *vc_doc_arena_node(vc_doc_node *root, vc_doc_type type, int line, int col)
{
	vc_doc_node *n = arena_alloc(arena_of(root), sizeof(*n));
	memset(&n->u, 0, sizeof(n->u));
	n->type = type;
	vc_doc_set_pos(n, line, col);
	n->flags = F_ARENA | F_ARENA_DATA;
	return n;
}

char *vc_doc_arena_strndup(vc_doc_node *root, const char *s, size_t len)
{
	char *d = arena_alloc(arena_of(root), len + 1);
	if (len)
		memcpy(d, s, len);
	d[len] = 0;
	return d;
}

vc_doc_node *vc_doc_arena_string(vc_doc_node *root, const char *s, size_t len, int line, int col)
{
	doc_arena *a = arena_of(root);
	vc_doc_node *n = arena_alloc(a, sizeof(*n) + len + 1);
	char *d = (char *)(n + 1);
	if (len)
		memcpy(d, s, len);
	d[len] = 0;
	n->type = VC_DOC_STRING;
	vc_doc_set_pos(n, line, col);
	n->flags = F_ARENA | F_ARENA_DATA;
	n->u.str.ptr = d;
	n->u.str.len = len;
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
	vc_doc_node *n = xzalloc(sizeof(*n));
	n->type = type;
	vc_doc_set_pos(n, line, col);
	return n;
}

vc_doc_node *vc_doc_new_string(const char *s, size_t len, int line, int col)
{
	vc_doc_node *n = vc_doc_new(VC_DOC_STRING, line, col);
	n->u.str.ptr = xstrndup(s, len);
	n->u.str.len = len;
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
	table_hdr *h = thdr(t);
	if (h && h->index) {
		free(h->index->slots);
		free(h->index);
		h->index = NULL;
	}
}

void vc_doc_free(vc_doc_node *n)
{
	if (!n)
		return;
	switch (n->type) {
	case VC_DOC_STRING:
		if (!(n->flags & F_ARENA_DATA))
			free(n->u.str.ptr);
		break;
	case VC_DOC_TABLE:
		for (size_t i = 0; i < n->u.table.n; i++) {
			if (!(n->flags & F_ARENA_DATA))
				free(n->u.table.entries[i].key);
			vc_doc_free(n->u.table.entries[i].value);
		}
		if (n->u.table.entries) {
			index_free(n);
			if (!(n->flags & F_ARENA_VEC))
				free(thdr(n));
		}
		break;
	case VC_DOC_ARRAY:
		for (size_t i = 0; i < n->u.array.n; i++)
			vc_doc_free(n->u.array.items[i]);
		if (n->u.array.items && !(n->flags & F_ARENA_VEC))
			free(ahdr(n));
		break;
	default:
		break;
	}
	if (n->flags & F_ROOT)
		arena_release(arena_of(n));
	else if (!(n->flags & F_ARENA))
		free(n);
	else
		/* An arena node freed on its own stays in the arena until the root goes: leave it
		 * empty so that nothing it held is freed twice. */
		memset(&n->u, 0, sizeof(n->u));
}

static void index_insert(doc_index *ix, const vc_doc_node *t, size_t entry)
{
	const vc_doc_entry *e = &t->u.table.entries[entry];
	size_t mask = ix->cap - 1;
	size_t i = (size_t)hash_key(e->key, e->key_len) & mask;
	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = (uint32_t)(entry + 1);
}

static void index_rebuild(vc_doc_node *t)
{
	index_free(t);
	if (t->u.table.n < INDEX_THRESHOLD)
		return;
	doc_index *ix = xzalloc(sizeof(*ix));
	ix->cap = 32;
	while (ix->cap < t->u.table.n * 2)
		ix->cap *= 2;
	ix->slots = xzalloc(ix->cap * sizeof(*ix->slots));
	for (size_t i = 0; i < t->u.table.n; i++)
		index_insert(ix, t, i);
	thdr(t)->index = ix;
}

static long table_find(const vc_doc_node *t, const char *key, size_t len)
{
	if (!t || t->type != VC_DOC_TABLE || !t->u.table.n)
		return -1;
	const doc_index *ix = thdr(t)->index;
	if (ix) {
		size_t mask = ix->cap - 1;
		size_t i = (size_t)hash_key(key, len) & mask;
		while (ix->slots[i]) {
			const vc_doc_entry *e = &t->u.table.entries[ix->slots[i] - 1];
			if (e->key_len == len && memcmp(e->key, key, len) == 0)
				return (long)(ix->slots[i] - 1);
			i = (i + 1) & mask;
		}
		return -1;
	}
	for (size_t i = 0; i < t->u.table.n; i++) {
		const vc_doc_entry *e = &t->u.table.entries[i];
		if (e->key_len == len && (e->key == key || memcmp(e->key, key, len) == 0))
			return (long)i;
	}
	return -1;
}

vc_doc_node *vc_doc_table_get_arena_key(const vc_doc_node *t, const char *key, size_t len)
{
	if (t && t->type == VC_DOC_TABLE && (t->flags & F_ARENA_DATA) && t->u.table.n &&
	    !thdr(t)->index) {
		for (size_t i = 0; i < t->u.table.n; i++)
			if (t->u.table.entries[i].key == key)
				return t->u.table.entries[i].value;
		return NULL;
	}
	return vc_doc_table_getn(t, key, len);
}

const vc_doc_entry *vc_doc_table_entry(const vc_doc_node *t, const char *key, size_t len)
{
	long i = table_find(t, key, len);
	return i < 0 ? NULL : &t->u.table.entries[i];
}

vc_doc_node *vc_doc_table_getn(const vc_doc_node *t, const char *key, size_t len)
{
	long i = table_find(t, key, len);
	return i < 0 ? NULL : t->u.table.entries[i].value;
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
	for (size_t i = 0; i < t->u.table.n; i++) {
		vc_doc_entry *e = &t->u.table.entries[i];
		e->key = xstrndup(e->key, e->key_len);
	}
	t->flags &= ~F_ARENA_DATA;
}

/* Storage in the arena (vc_doc_compact, vc_doc_arena_table_set/array_push) goes back to malloc
 * before it grows through the functions above; the copy is full (cap = n). Both headers start
 * with the capacity. */
static void *vec_to_malloc(vc_doc_node *n, void *hdr, size_t hdr_size, size_t n_items,
			   size_t item_size)
{
	void *m = xmalloc(hdr_size + n_items * item_size);
	memcpy(m, hdr, hdr_size + n_items * item_size);
	*(size_t *)m = n_items;
	n->flags &= ~F_ARENA_VEC;
	return m;
}

/* Appends to a table whose storage has room for one more entry. */
static vc_doc_entry *table_push(vc_doc_node *t, char *key, size_t len, int line, int col,
				vc_doc_node *value)
{
	size_t idx = t->u.table.n++;
	vc_doc_entry *e = &t->u.table.entries[idx];
	e->key = key;
	e->key_len = len;
	e->line = line;
	e->col = col;
	e->value = value;
	doc_index *ix = thdr(t)->index;
	if (ix && t->u.table.n * 2 <= ix->cap)
		index_insert(ix, t, idx);
	else if (t->u.table.n >= INDEX_THRESHOLD)
		index_rebuild(t);
	return e;
}

static vc_doc_entry *table_append(vc_doc_node *t, char *key, size_t len, int line, int col,
				  vc_doc_node *value)
{
	if (t->flags & F_ARENA_VEC) {
		table_hdr *m = vec_to_malloc(t, thdr(t), sizeof(table_hdr), t->u.table.n,
					     sizeof(vc_doc_entry));
		t->u.table.entries = (vc_doc_entry *)(void *)(m + 1);
	}
	table_hdr *h = thdr(t);
	size_t cap = h ? h->cap : 0;
	if (t->u.table.n == cap) {
		cap = cap ? cap * 2 : 4;
		if (cap > (SIZE_MAX - sizeof(table_hdr)) / sizeof(vc_doc_entry))
			abort();
		h = xrealloc(h, sizeof(table_hdr) + cap * sizeof(vc_doc_entry));
		if (!t->u.table.entries)
			h->index = NULL;
		h->cap = cap;
		t->u.table.entries = (vc_doc_entry *)(void *)(h + 1);
	}
	return table_push(t, key, len, line, col, value);
}

/* ---- vectors grown in the arena ----------------------------------------------------------- */

/* The header of a free block: the capacity stays where table_hdr/array_hdr keep it. */
typedef struct free_block {
	size_t cap;
	struct free_block *next;
} free_block;

_Static_assert(sizeof(table_hdr) == sizeof(free_block) && sizeof(array_hdr) == sizeof(free_block),
	       "vector headers double as free-list links");

/* floor(log2(cap)), at most FREE_CLASSES - 1; cap >= 1. */
static unsigned cap_class(size_t cap)
{
	unsigned k = 63 - (unsigned)__builtin_clzll((unsigned long long)cap);
	return k < FREE_CLASSES ? k : FREE_CLASSES - 1;
}

/* A block with room for at least cap items (cap a power of two), its header's cap set. */
static void *vec_take(doc_arena *a, void **lists, size_t cap, size_t item_size)
{
	unsigned k = cap_class(cap);
	free_block *b = lists[k];
	if (b && b->cap >= cap) { /* (only the last class holds blocks of mixed sizes) */
		lists[k] = b->next;
		return b;
	}
	if (cap > (SIZE_MAX - sizeof(free_block)) / item_size)
		abort();
	b = arena_alloc(a, sizeof(free_block) + cap * item_size);
	b->cap = cap;
	return b;
}

/* Gives a block back for reuse (blocks too small for any request are left where they are). */
static void vec_give(void **lists, void *hdr)
{
	free_block *b = hdr;
	if (b->cap < 4)
		return;
	unsigned k = cap_class(b->cap);
	b->next = lists[k];
	lists[k] = b;
}

static size_t grown_cap(size_t n)
{
	size_t cap = 4;
	while (cap <= n)
		cap *= 2;
	return cap;
}

vc_doc_entry *vc_doc_arena_table_set(vc_doc_node *root, vc_doc_node *t, char *key, size_t len,
				     int line, int col, vc_doc_node *value)
{
	bool arena_vec = (t->flags & F_ARENA_VEC) || !t->u.table.entries;
	if (!(t->flags & F_ARENA) || !(t->flags & F_ARENA_DATA) || !arena_vec)
		return vc_doc_table_set_arena_key(t, key, len, line, col, value);
	doc_arena *a = arena_of(root);
	table_hdr *h = thdr(t);
	if (!h || t->u.table.n == h->cap) {
		table_hdr *g =
		    vec_take(a, a->free_tables, grown_cap(t->u.table.n), sizeof(vc_doc_entry));
		g->index = h ? h->index : NULL;
		if (h) {
			memcpy(g + 1, h + 1, t->u.table.n * sizeof(vc_doc_entry));
			vec_give(a->free_tables, h);
		}
		t->u.table.entries = (vc_doc_entry *)(void *)(g + 1);
		t->flags |= F_ARENA_VEC;
	}
	return table_push(t, key, len, line, col, value);
}

void vc_doc_arena_array_push(vc_doc_node *root, vc_doc_node *arr, vc_doc_node *item)
{
	if (!(arr->flags & F_ARENA) || (arr->u.array.items && !(arr->flags & F_ARENA_VEC))) {
		vc_doc_array_push(arr, item);
		return;
	}
	doc_arena *a = arena_of(root);
	array_hdr *h = ahdr(arr);
	if (!h || arr->u.array.n == h->cap) {
		array_hdr *g =
		    vec_take(a, a->free_arrays, grown_cap(arr->u.array.n), sizeof(vc_doc_node *));
		if (h) {
			memcpy(g + 1, h + 1, arr->u.array.n * sizeof(vc_doc_node *));
			vec_give(a->free_arrays, h);
		}
		arr->u.array.items = (vc_doc_node **)(void *)(g + 1);
		arr->flags |= F_ARENA_VEC;
	}
	arr->u.array.items[arr->u.array.n++] = item;
}

vc_doc_entry *vc_doc_table_set(vc_doc_node *t, const char *key, size_t len, int line, int col,
			       vc_doc_node *value)
{
	own_keys(t);
	return table_append(t, xstrndup(key, len), len, line, col, value);
}

vc_doc_entry *vc_doc_table_set_arena_key(vc_doc_node *t, char *key, size_t len, int line, int col,
					 vc_doc_node *value)
{
	if (!(t->flags & F_ARENA_DATA))
		return vc_doc_table_set(t, key, len, line, col, value);
	return table_append(t, key, len, line, col, value);
}

void vc_doc_table_replace(vc_doc_node *t, const char *key, int line, int col, vc_doc_node *value)
{
	long i = table_find(t, key, strlen(key));
	if (i < 0) {
		vc_doc_table_set(t, key, strlen(key), line, col, value);
		return;
	}
	vc_doc_entry *e = &t->u.table.entries[i];
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
	vc_doc_entry *e = &t->u.table.entries[i];
	if (!(t->flags & F_ARENA_DATA))
		free(e->key);
	vc_doc_free(e->value);
	memmove(e, e + 1, (t->u.table.n - (size_t)i - 1) * sizeof(*e));
	t->u.table.n--;
	index_rebuild(t);
	return true;
}

void vc_doc_array_push(vc_doc_node *a, vc_doc_node *item)
{
	if (a->flags & F_ARENA_VEC) {
		array_hdr *m = vec_to_malloc(a, ahdr(a), sizeof(array_hdr), a->u.array.n,
					     sizeof(vc_doc_node *));
		a->u.array.items = (vc_doc_node **)(void *)(m + 1);
	}
	array_hdr *h = ahdr(a);
	size_t cap = h ? h->cap : 0;
	if (a->u.array.n == cap) {
		cap = cap ? cap * 2 : 4;
		if (cap > (SIZE_MAX - sizeof(array_hdr)) / sizeof(vc_doc_node *))
			abort();
		h = xrealloc(h, sizeof(array_hdr) + cap * sizeof(vc_doc_node *));
		h->cap = cap;
		a->u.array.items = (vc_doc_node **)(void *)(h + 1);
	}
	a->u.array.items[a->u.array.n++] = item;
}

void vc_doc_compact(vc_doc_node *root, vc_doc_node *n)
{
	if (!(n->flags & F_ARENA))
		return;
	doc_arena *a = arena_of(root);
	bool in_arena = n->flags & F_ARENA_VEC;
	if (n->type == VC_DOC_TABLE && n->u.table.n && thdr(n)->cap > n->u.table.n) {
		size_t size = sizeof(table_hdr) + n->u.table.n * sizeof(vc_doc_entry);
		table_hdr *h = arena_alloc(a, size);
		memcpy(h, thdr(n), size);
		h->cap = n->u.table.n;
		if (in_arena)
			vec_give(a->free_tables, thdr(n));
		else
			free(thdr(n));
		n->u.table.entries = (vc_doc_entry *)(void *)(h + 1);
		n->flags |= F_ARENA_VEC;
	} else if (n->type == VC_DOC_ARRAY && n->u.array.n && ahdr(n)->cap > n->u.array.n) {
		size_t size = sizeof(array_hdr) + n->u.array.n * sizeof(vc_doc_node *);
		array_hdr *h = arena_alloc(a, size);
		memcpy(h, ahdr(n), size);
		h->cap = n->u.array.n;
		if (in_arena)
			vec_give(a->free_arrays, ahdr(n));
		else
			free(ahdr(n));
		n->u.array.items = (vc_doc_node **)(void *)(h + 1);
		n->flags |= F_ARENA_VEC;
	} else if (!in_arena) {
		/* Full malloc'd storage: moved as it is. */
		size_t size = 0;
		void *old = NULL;
		if (n->type == VC_DOC_TABLE && n->u.table.n) {
			old = thdr(n);
			size = sizeof(table_hdr) + n->u.table.n * sizeof(vc_doc_entry);
		} else if (n->type == VC_DOC_ARRAY && n->u.array.n) {
			old = ahdr(n);
			size = sizeof(array_hdr) + n->u.array.n * sizeof(vc_doc_node *);
		}
		if (!old)
			return;
		void *h = arena_alloc(a, size);
		memcpy(h, old, size);
		free(old);
		if (n->type == VC_DOC_TABLE)
			n->u.table.entries = (vc_doc_entry *)(void *)((table_hdr *)h + 1);
		else
			n->u.array.items = (vc_doc_node **)(void *)((array_hdr *)h + 1);
		n->flags |= F_ARENA_VEC;
	}
}

void vc_doc_shrink(vc_doc_node *n)
{
	if (n->flags & F_ARENA_VEC)
		return;
	if (n->type == VC_DOC_TABLE && n->u.table.n && n->u.table.n < thdr(n)->cap) {
		table_hdr *h =
		    xrealloc(thdr(n), sizeof(table_hdr) + n->u.table.n * sizeof(vc_doc_entry));
		h->cap = n->u.table.n;
		n->u.table.entries = (vc_doc_entry *)(void *)(h + 1);
	} else if (n->type == VC_DOC_ARRAY && n->u.array.n && n->u.array.n < ahdr(n)->cap) {
		array_hdr *h =
		    xrealloc(ahdr(n), sizeof(array_hdr) + n->u.array.n * sizeof(vc_doc_node *));
		h->cap = n->u.array.n;
		n->u.array.items = (vc_doc_node **)(void *)(h + 1);
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
		c->u.str.ptr = xstrndup(n->u.str.ptr, n->u.str.len);
		c->u.str.len = n->u.str.len;
		break;
	case VC_DOC_TABLE:
		for (size_t i = 0; i < n->u.table.n; i++) {
			const vc_doc_entry *e = &n->u.table.entries[i];
			vc_doc_table_set(c, e->key, e->key_len, e->line, e->col,
					 vc_doc_clone(e->value));
		}
		break;
	case VC_DOC_ARRAY:
		for (size_t i = 0; i < n->u.array.n; i++)
			vc_doc_array_push(c, vc_doc_clone(n->u.array.items[i]));
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
