/* The document tree shared by the TOML decoder and the YAML loader. Every node carries the
 * position (1-based line and column, in bytes) where its value starts; table entries also keep
 * the position of their key. Tables keep their keys in insertion order. */
#ifndef VC_CONFIG_DOC_H
#define VC_CONFIG_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

typedef struct vc_doc_datetime {
	int year, month, day;
	int hour, minute, second;
	int nanosecond;
	int frac_digits;    /* digits of the fractional second as written (0 = none) */
	int offset_minutes; /* VC_DOC_DATETIME only; 0 for Z */
	bool offset_z;      /* written as Z rather than +00:00 */
} vc_doc_datetime;

struct vc_doc_node;

typedef struct vc_doc_entry {
	char *key; /* NUL-terminated; may contain NUL when key_len says so */
	size_t key_len;
	int line, col; /* where the key is written */
	struct vc_doc_node *value;
} vc_doc_entry;

typedef struct vc_doc_node {
	vc_doc_type type;
	int line, col;
	unsigned flags; /* owned by the producer (e.g. TOML's "defined explicitly") */
	union {
		struct {
			char *ptr; /* NUL-terminated; may contain NUL, see len */
			size_t len;
		} str;
		int64_t integer;
		double real;
		bool boolean;
		vc_doc_datetime dt;
		struct {
			vc_doc_entry *entries;
			size_t n, cap;
			void *index; /* optional hash index, owned by doc.c */
		} table;
		struct {
			struct vc_doc_node **items;
			size_t n, cap;
		} array;
	} u;
} vc_doc_node;

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
