/* The document tree shared by the TOML decoder and the YAML loader. Every node carries the
 * position (1-based line and column, in bytes) where its value starts; table entries also keep
 * the position of their key. Tables keep their keys in insertion order.
 *
 * Layout (sized for large documents: a 1 MiB TOML file is ~57,000 nodes and ~42,000 entries):
 * a node is 16 bytes (position, type, flags, one 8-byte payload) and an entry 24 (key, key
 * position, value). What does not fit in 8 bytes lives in front of or behind the data the
 * payload points to, all of it owned by doc.c: the length of a key or a malloc'd string in a
 * 32-bit prefix before its bytes (a 64-bit one beyond 4 GiB; an arena string's bytes follow
 * its node and the payload is their length), a table's or array's length and capacity (and a
 * large table's hash index) in a header before its entries/items, a date-time from the payload
 * on (its node is 24 bytes). Read them through the accessors (vc_doc_str, vc_doc_str_len,
 * vc_doc_table_len, vc_doc_table_entries, vc_doc_array_len, vc_doc_array_items,
 * vc_doc_entry_key_len, vc_doc_dt); strings, keys, vectors and date/time nodes are made only by
 * the functions below. */
#ifndef VC_CONFIG_DOC_H
#define VC_CONFIG_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum {
	VC_DOC_TABLE,
	VC_DOC_ARRAY,
	VC_DOC_STRING,
	VC_DOC_INTEGER,
	VC_DOC_FLOAT,
	VC_DOC_BOOL,
	VC_DOC_DATETIME,       /* offset date-time */
	VC_DOC_DATETIME_LOCAL, /* local date-time */
	VC_DOC_DATE_LOCAL,
	VC_DOC_TIME_LOCAL,
} vc_doc_type;

/* 16 bytes: a date/time node's value starts at its payload and runs 8 bytes past the node
 * (vc_doc_dt). */
typedef struct vc_doc_datetime {
	int32_t nanosecond;
	int16_t year;
	int16_t offset_minutes; /* VC_DOC_DATETIME only; 0 for Z */
	uint16_t frac_digits;	/* digits of the fractional second as written (0 = none;
				 * saturates at 65535) */
	int8_t month, day;
	int8_t hour, minute, second;
	bool offset_z; /* written as Z rather than +00:00 */
} vc_doc_datetime;

struct vc_doc_node;

/* 24 bytes. The key is NUL-terminated and may contain NUL: its length is stored in front of its
 * bytes (read it with vc_doc_entry_key_len), which is why keys are only ever made by doc.c. */
typedef struct vc_doc_entry {
	char *key;
	int line, col; /* where the key is written (full width) */
	struct vc_doc_node *value;
} vc_doc_entry;

/* Columns are kept in 20 bits: a node further right on its line than VC_DOC_COL_MAX reads as
 * column VC_DOC_COL_MAX ("at or beyond"). (The decoders' own error messages are made while
 * parsing and are exact; this only concerns positions read back from the tree.) Entries keep
 * full-width positions. */
#define VC_DOC_COL_MAX 0xfffff

/* 16 bytes: the position and type, and one 8-byte payload. Read strings, tables, arrays and
 * date-times through the accessors below (see the layout above); integer, real and boolean are
 * plain fields. */
typedef struct vc_doc_node {
	int line;
	unsigned col : 20;  /* saturates at VC_DOC_COL_MAX; set it with vc_doc_set_pos */
	unsigned type : 4;  /* a vc_doc_type */
	unsigned flags : 8; /* the low 4 bits are the producer's (e.g. TOML's "defined explicitly");
			     * VC_DOC_FLAGS_INTERNAL are doc.c's own: test bits with &, never
			     * compare flags with == or assign it whole */
	union {
		char *str;	 /* vc_doc_str, vc_doc_str_len */
		size_t str_len_; /* (internal: a string whose bytes lie right behind its node) */
		int64_t integer;
		double real;
		bool boolean;
		/* (The four date/time types: the first half of their vc_doc_datetime, see
		 * vc_doc_dt.) */
		/* NULL while empty; otherwise a vector owned by doc.c whose hidden header in front
		 * holds its length and capacity (and a table's hash index): vc_doc_table_len,
		 * vc_doc_table_entries, vc_doc_array_len, vc_doc_array_items. */
		vc_doc_entry *entries;
		struct vc_doc_node **items;
	} u;
} vc_doc_node;

/* The length stored in front of a string's or key's bytes: 32 bits, or UINT32_MAX followed
 * (downwards) by a 64-bit length for the rare longer ones. Internal to the accessors. */
static inline size_t vc_doc_prefixed_len_(const char *p)
{
	uint32_t l;
	memcpy(&l, p - sizeof(l), sizeof(l));
	if (l != UINT32_MAX)
		return l;
	uint64_t big;
	memcpy(&big, p - sizeof(l) - sizeof(big), sizeof(big));
	return (size_t)big;
}

/* The header just in front of a table's entries or an array's items. Internal. */
typedef struct vc_doc_vec_hdr_ {
	uint32_t n, cap;
} vc_doc_vec_hdr_;

static inline size_t vc_doc_vec_len_(const void *data)
{
	return data ? ((const vc_doc_vec_hdr_ *)data - 1)->n : 0;
}

/* In flags (one of VC_DOC_FLAGS_INTERNAL), for strings: the bytes lie right behind the node and
 * u.str_len_ holds their length (the strings of an arena document). Internal. */
#define VC_DOC_STR_INLINE_ 0x80u

/* A string node's bytes (NUL-terminated; may contain NUL, see vc_doc_str_len). */
static inline const char *vc_doc_str(const vc_doc_node *n)
{
	if (n->flags & VC_DOC_STR_INLINE_)
		return (const char *)(n + 1);
	return n->u.str ? n->u.str : "";
}

static inline size_t vc_doc_str_len(const vc_doc_node *n)
{
	if (n->flags & VC_DOC_STR_INLINE_)
		return n->u.str_len_;
	return n->u.str ? vc_doc_prefixed_len_(n->u.str) : 0;
}

static inline size_t vc_doc_entry_key_len(const vc_doc_entry *e)
{
	return vc_doc_prefixed_len_(e->key);
}

/* A table's entries in insertion order (NULL when it has none). Entries may be modified in
 * place only through the functions below; the pointer is invalidated by any change of the
 * table. */
static inline size_t vc_doc_table_len(const vc_doc_node *t)
{
	return vc_doc_vec_len_(t->u.entries);
}

static inline vc_doc_entry *vc_doc_table_entries(const vc_doc_node *t)
{
	return t->u.entries;
}

static inline size_t vc_doc_array_len(const vc_doc_node *a)
{
	return vc_doc_vec_len_(a->u.items);
}

static inline struct vc_doc_node **vc_doc_array_items(const vc_doc_node *a)
{
	return a->u.items;
}

/* The value of a node of one of the four date/time types. It starts where the payload does
 * and continues 8 bytes past the node: such nodes are 24 bytes, which is why they are made only
 * by vc_doc_new and vc_doc_arena_node with their type (value zeroed), and vc_doc_clone. */
static inline const vc_doc_datetime *vc_doc_dt(const vc_doc_node *n)
{
	return (const vc_doc_datetime *)(const void *)((const char *)n + offsetof(vc_doc_node, u));
}

static inline vc_doc_datetime *vc_doc_dt_mut(vc_doc_node *n)
{
	return (vc_doc_datetime *)(void *)((char *)n + offsetof(vc_doc_node, u));
}

/* Bits of flags reserved for doc.c (memory ownership); producers use the low 4 bits. */
#define VC_DOC_FLAGS_INTERNAL 0xf0u

/* Sets a node's position (the column saturating at VC_DOC_COL_MAX, negative ones read as 0). */
static inline void vc_doc_set_pos(vc_doc_node *n, int line, int col)
{
	n->line = line;
	n->col = col < 0 ? 0u : col > VC_DOC_COL_MAX ? (unsigned)VC_DOC_COL_MAX : (unsigned)col;
}

vc_doc_node *vc_doc_new(vc_doc_type type, int line, int col);
vc_doc_node *vc_doc_new_string(const char *s, size_t len, int line, int col);
vc_doc_node *vc_doc_new_integer(int64_t v, int line, int col);
vc_doc_node *vc_doc_new_float(double v, int line, int col);
vc_doc_node *vc_doc_new_bool(bool v, int line, int col);
void vc_doc_free(vc_doc_node *n);

/* Tables. _get returns NULL when absent. _set appends (the caller checks for duplicates with
 * _get first) and takes ownership of value. */
vc_doc_node *vc_doc_table_get(const vc_doc_node *table, const char *key);
vc_doc_node *vc_doc_table_getn(const vc_doc_node *table, const char *key, size_t len);
const vc_doc_entry *vc_doc_table_entry(const vc_doc_node *table, const char *key, size_t len);
vc_doc_entry *vc_doc_table_set(vc_doc_node *table, const char *key, size_t len, int line, int col,
			       vc_doc_node *value);
/* Replaces the value of an existing key (freeing the old one) or appends. */
void vc_doc_table_replace(vc_doc_node *table, const char *key, int line, int col,
			  vc_doc_node *value);
bool vc_doc_table_remove(vc_doc_node *table, const char *key);

/* Arrays: takes ownership of item. */
void vc_doc_array_push(vc_doc_node *array, vc_doc_node *item);

/* Arena documents. A document made by vc_doc_new_document owns an arena from which its
 * producer (the TOML decoder) allocates nodes, keys and strings with the vc_doc_arena_*
 * functions: a 1 MiB document is then a few dozen allocations instead of ~150,000.
 * Everything above keeps working on such a document and on any node inside it:
 *  - vc_doc_free(root) releases the arena and every malloc'd node added to the document;
 *  - vc_doc_free(node inside) frees what that subtree malloc'd (nodes made by vc_doc_new and
 *    added later); its arena memory is reclaimed with the root, not before;
 *  - table_set/replace/remove and array_push work inside an arena document and may be given
 *    either kind of node (vc_doc_new/clone nodes stay malloc'd; they are freed as usual);
 *  - vc_doc_clone of an arena node is an ordinary malloc'd tree, independent of the arena.
 * What does NOT work: moving an arena node out of its document so that it outlives the root
 * (e.g. taking entry->value and storing it in another tree). Clone it instead. As before, keys
 * and string bytes belong to the tree: never free() them or swap in buffers by hand (keys of a
 * decoded document are shared between entries and live in the arena). */
vc_doc_node *vc_doc_new_document(int line, int col);
/* Makes room for about size bytes more in root's arena, so that a producer that can estimate
 * the tree's size (the TOML decoder: from the input's length) gets it in one block. From 1 MiB
 * up the block is 2 MiB-aligned and its first 2 MiB are advised for transparent huge pages (one
 * page fault instead of 512); its second 2 MiB stay in 4 KiB pages, faulted in 256 KiB ahead
 * of use, so that a tree ending a little past 2 MiB does not keep a second huge page resident;
 * anything beyond 4 MiB is advised for huge pages again. Untouched space costs nothing. */
void vc_doc_arena_reserve(vc_doc_node *root, size_t size);
/* Bytes allocated from root's arena so far (nodes, strings, keys, vectors, including blocks
 * kept for reuse): the size of a decoded tree, for measurements. */
size_t vc_doc_arena_used(const vc_doc_node *root);
/* len bytes (8-aligned, not zeroed, not counted by vc_doc_arena_used) from root's arena for a
 * producer's input, which then lives as long as the document unless recycled. */
char *vc_doc_arena_input(vc_doc_node *root, size_t len);
/* Gives the bytes [from, to) of root's arena (part of a vc_doc_arena_input buffer that the
 * producer has finished reading) back to the arena: the next allocations of root's document
 * are placed there while it lasts. The producer must never read those bytes again. Recycling
 * a range that continues the previous one extends it. */
void vc_doc_arena_recycle(vc_doc_node *root, const char *from, const char *to);
/* Size bytes (8-aligned) from the arena of root (a vc_doc_new_document), zeroed. */
void *vc_doc_arena_alloc(vc_doc_node *root, size_t size);
/* A node of the arena of root (zeroed payload). Its tables/arrays grow in malloc'd storage. */
vc_doc_node *vc_doc_arena_node(vc_doc_node *root, vc_doc_type type, int line, int col);
/* A string node whose bytes (len bytes, NUL added) are copied into the arena. */
vc_doc_node *vc_doc_arena_string(vc_doc_node *root, const char *s, size_t len, int line, int col);
/* Copies len bytes (NUL added) into the arena, their length stored in front of them as for
 * every key: the result can be given as a key to the functions below. */
char *vc_doc_arena_strndup(vc_doc_node *root, const char *s, size_t len);
/* Like vc_doc_table_set, but key is not copied: it must be a vc_doc_arena_strndup of the
 * document that table belongs to (len its length), and table an arena node of that document.
 * Keys may be shared between entries. */
vc_doc_entry *vc_doc_table_set_arena_key(vc_doc_node *table, char *key, size_t len, int line,
					 int col, vc_doc_node *value);
/* vc_doc_table_set_arena_key and vc_doc_array_push for a producer building root's document:
 * the table's or array's storage grows in root's arena (blocks it outgrows are reused by the
 * next vector that needs that size), so that building a large tree does not go through malloc
 * at all. Storage that is in malloc already keeps growing there. */
vc_doc_entry *vc_doc_arena_table_set(vc_doc_node *root, vc_doc_node *table, char *key, size_t len,
				     int line, int col, vc_doc_node *value);
void vc_doc_arena_array_push(vc_doc_node *root, vc_doc_node *array, vc_doc_node *item);
/* vc_doc_table_getn for a producer that gives every distinct key one arena copy (interning):
 * key is that copy, and while table's keys are all such copies they are compared by address. */
vc_doc_node *vc_doc_table_get_arena_key(const vc_doc_node *table, const char *key, size_t len);
/* Releases unused capacity of a table's or array's storage (after building it). */
void vc_doc_shrink(vc_doc_node *n);
/* Moves the storage of n (an arena node of root's document, a finished table or array) into
 * the arena at its exact size (a block it had in the arena is reused by later vectors); it
 * goes back to malloc if the node grows again through vc_doc_table_set/vc_doc_array_push. */
void vc_doc_compact(vc_doc_node *root, vc_doc_node *n);

/* Deep copy. */
vc_doc_node *vc_doc_clone(const vc_doc_node *n);

/* "table", "array", "string", "integer", "float", "boolean", "datetime", ... */
const char *vc_doc_type_name(vc_doc_type t);

static inline void vc_cleanup_docp(vc_doc_node **n)
{
	if (*n)
		vc_doc_free(*n);
}
#define cleanup_doc __attribute__((cleanup(vc_cleanup_docp)))

#endif
