#include <config.h>
#include "config/doc.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Tables with many keys get an open-addressing hash index so that lookups stay O(1) on large
 * documents; small tables (the common case in configuration files) are scanned linearly. */
#define INDEX_THRESHOLD 16

typedef struct {
	size_t *slots; /* entry index + 1; 0 = empty */
	size_t cap;    /* power of two */
} doc_index;

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
	n->line = line;
	n->col = col;
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
	doc_index *ix = t->u.table.index;
	if (ix) {
		free(ix->slots);
		free(ix);
		t->u.table.index = NULL;
	}
}

void vc_doc_free(vc_doc_node *n)
{
	if (!n)
		return;
	switch (n->type) {
	case VC_DOC_STRING:
		free(n->u.str.ptr);
		break;
	case VC_DOC_TABLE:
		for (size_t i = 0; i < n->u.table.n; i++) {
			free(n->u.table.entries[i].key);
			vc_doc_free(n->u.table.entries[i].value);
		}
		free(n->u.table.entries);
		index_free(n);
		break;
	case VC_DOC_ARRAY:
		for (size_t i = 0; i < n->u.array.n; i++)
			vc_doc_free(n->u.array.items[i]);
		free(n->u.array.items);
		break;
	default:
		break;
	}
	free(n);
}

static void index_insert(doc_index *ix, const vc_doc_node *t, size_t entry)
{
	const vc_doc_entry *e = &t->u.table.entries[entry];
	size_t mask = ix->cap - 1;
	size_t i = (size_t)hash_key(e->key, e->key_len) & mask;
	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = entry + 1;
}

static void index_rebuild(vc_doc_node *t)
{
	index_free(t);
	if (t->u.table.n < INDEX_THRESHOLD)
		return;
	doc_index *ix = xzalloc(sizeof(*ix));
	ix->cap = 64;
	while (ix->cap < t->u.table.n * 2)
		ix->cap *= 2;
	ix->slots = xzalloc(ix->cap * sizeof(size_t));
	for (size_t i = 0; i < t->u.table.n; i++)
		index_insert(ix, t, i);
	t->u.table.index = ix;
}

static long table_find(const vc_doc_node *t, const char *key, size_t len)
{
	if (!t || t->type != VC_DOC_TABLE)
		return -1;
	const doc_index *ix = t->u.table.index;
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
		if (e->key_len == len && memcmp(e->key, key, len) == 0)
			return (long)i;
	}
	return -1;
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

vc_doc_entry *vc_doc_table_set(vc_doc_node *t, const char *key, size_t len, int line, int col,
			       vc_doc_node *value)
{
	if (t->u.table.n == t->u.table.cap) {
		size_t cap = t->u.table.cap ? t->u.table.cap * 2 : 8;
		t->u.table.entries = xreallocarray(t->u.table.entries, cap, sizeof(vc_doc_entry));
		t->u.table.cap = cap;
	}
	size_t idx = t->u.table.n++;
	vc_doc_entry *e = &t->u.table.entries[idx];
	e->key = xstrndup(key, len);
	e->key_len = len;
	e->line = line;
	e->col = col;
	e->value = value;
	doc_index *ix = t->u.table.index;
	if (ix && t->u.table.n * 2 <= ix->cap)
		index_insert(ix, t, idx);
	else if (t->u.table.n >= INDEX_THRESHOLD)
		index_rebuild(t);
	return e;
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
	free(e->key);
	vc_doc_free(e->value);
	memmove(e, e + 1, (t->u.table.n - (size_t)i - 1) * sizeof(*e));
	t->u.table.n--;
	index_rebuild(t);
	return true;
}

void vc_doc_array_push(vc_doc_node *a, vc_doc_node *item)
{
	if (a->u.array.n == a->u.array.cap) {
		size_t cap = a->u.array.cap ? a->u.array.cap * 2 : 8;
		a->u.array.items = xreallocarray(a->u.array.items, cap, sizeof(vc_doc_node *));
		a->u.array.cap = cap;
	}
	a->u.array.items[a->u.array.n++] = item;
}

vc_doc_node *vc_doc_clone(const vc_doc_node *n)
{
	if (!n)
		return NULL;
	vc_doc_node *c = vc_doc_new(n->type, n->line, n->col);
	c->flags = n->flags;
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
