/* The YAML loader: libyaml's event stream → the vc_doc_node tree TOML also produces, so that
 * everything after parsing is shared. Configuration files are small; the rules here keep them
 * unambiguous: one document whose root is a mapping, duplicate keys rejected, anchors and
 * aliases resolved (with `<<` merge keys), nesting and alias expansion bounded, and plain
 * scalars resolved with YAML 1.2 core rules, where only true/false are booleans (YAML 1.1's
 * yes/no/on/off stay strings). Quoted scalars are always strings. */
#include <config.h> /* autoconf's, not config/config.h beside this file */
#include "config/yaml.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 64
/* Nodes that aliases may create in total: stops "billion laughs" documents. */
#define YAML_MAX_ALIAS_NODES 100000

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct {
	char *name;
	vc_doc_node *node; /* owned copy of the anchored node */
	size_t size;	   /* nodes in it */
} yaml_anchor;

typedef struct {
	yaml_parser_t parser;
	const char *filename;
	vc_error **err;
	yaml_anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t alias_nodes;
	const unsigned char *buf; /* the input, to turn libyaml's character columns into bytes */
	size_t len;
	size_t *line_starts; /* byte offset of each line, breaks counted as libyaml does */
	size_t n_lines;
} yaml_ctx;

/* Width of a line break at p (0 = none): \r\n, \r, \n, NEL, LS, PS, as libyaml counts them. */
static size_t break_width(const unsigned char *p, size_t left)
{
	if (p[0] == '\r')
		return left > 1 && p[1] == '\n' ? 2 : 1;
	if (p[0] == '\n')
		return 1;
	if (left > 1 && p[0] == 0xc2 && p[1] == 0x85)
		return 2;
	if (left > 2 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

static void index_lines(yaml_ctx *c)
{
	size_t cap = 64;
	c->line_starts = xmalloc(cap * sizeof(size_t));
	c->line_starts[c->n_lines++] = 0;
	for (size_t i = 0; i < c->len;) {
		size_t w = break_width(c->buf + i, c->len - i);
		if (!w) {
			i++;
			continue;
		}
		i += w;
		if (c->n_lines == cap) {
			cap *= 2;
			c->line_starts = xreallocarray(c->line_starts, cap, sizeof(size_t));
		}
		c->line_starts[c->n_lines++] = i;
	}
}

static int pos_line(const yaml_mark_t *m)
{
	return (int)m->line + 1;
}

/* libyaml counts columns in characters; positions in the document tree are in bytes. */
static int pos_col(const yaml_ctx *c, const yaml_mark_t *m)
{
	if (m->line >= c->n_lines)
		return (int)m->column + 1;
	size_t start = c->line_starts[m->line], i = start;
	if (m->line == 0 && c->len >= 3 && memcmp(c->buf, "\xef\xbb\xbf", 3) == 0)
		i += 3; /* a byte order mark is not a column */
	for (size_t chars = 0; chars < m->column && i < c->len; chars++) {
		unsigned char b = c->buf[i];
		size_t w = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		i += w;
	}
	if (i > c->len)
		i = c->len;
	return (int)(i - start) + 1;
}

static int fail_at(yaml_ctx *c, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(yaml_ctx *c, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vc_error_vset(c->err, VC_ERR_PARSE, 0, c->filename, pos_line(m), pos_col(c, m), fmt, ap);
	va_end(ap);
	return -1;
}

static int next_event(yaml_ctx *c, yaml_event_t *ev)
{
	if (yaml_parser_parse(&c->parser, ev))
		return 0;
	const char *problem = c->parser.problem ? c->parser.problem : "malformed YAML";
	if (c->parser.context)
		return fail_at(c, &c->parser.problem_mark, "%s %s", problem, c->parser.context);
	return fail_at(c, &c->parser.problem_mark, "%s", problem);
}

static size_t node_size(const vc_doc_node *n)
{
	size_t s = 1;
	if (n->type == VC_DOC_TABLE)
		for (size_t i = 0; i < vc_doc_table_len(n); i++)
			s += node_size(vc_doc_table_entries(n)[i].value);
	else if (n->type == VC_DOC_ARRAY)
		for (size_t i = 0; i < vc_doc_array_len(n); i++)
			s += node_size(vc_doc_array_items(n)[i]);
	return s;
}

static void remember_anchor(yaml_ctx *c, const yaml_char_t *anchor, const vc_doc_node *n)
{
	if (!anchor)
		return;
	/* A later anchor of the same name shadows the earlier one (YAML 1.2 §3.2.2.2). */
	for (size_t i = 0; i < c->n_anchors; i++) {
		if (strcmp(c->anchors[i].name, (const char *)anchor) == 0) {
			vc_doc_free(c->anchors[i].node);
			c->anchors[i].node = vc_doc_clone(n);
			c->anchors[i].size = node_size(n);
			return;
		}
	}
	if (c->n_anchors == c->cap_anchors) {
		c->cap_anchors = c->cap_anchors ? c->cap_anchors * 2 : 8;
		c->anchors = xreallocarray(c->anchors, c->cap_anchors, sizeof(yaml_anchor));
	}
	c->anchors[c->n_anchors].name = xstrdup((const char *)anchor);
	c->anchors[c->n_anchors].node = vc_doc_clone(n);
	c->anchors[c->n_anchors].size = node_size(n);
	c->n_anchors++;
}

static void set_positions(vc_doc_node *n, int line, int col)
{
	vc_doc_set_pos(n, line, col);
}

static vc_doc_node *resolve_alias(yaml_ctx *c, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	for (size_t i = c->n_anchors; i-- > 0;) {
		if (strcmp(c->anchors[i].name, name) != 0)
			continue;
		c->alias_nodes += c->anchors[i].size;
		if (c->alias_nodes > YAML_MAX_ALIAS_NODES) {
			fail_at(c, &ev->start_mark, "aliases expand to more than %d nodes",
				YAML_MAX_ALIAS_NODES);
			return NULL;
		}
		vc_doc_node *n = vc_doc_clone(c->anchors[i].node);
		/* The value is where the alias is written: errors about it point there. */
		set_positions(n, pos_line(&ev->start_mark), pos_col(c, &ev->start_mark));
		return n;
	}
	fail_at(c, &ev->start_mark, "unknown alias '*%s' (anchors must be defined before use)",
		name);
	return NULL;
}

/* YAML 1.2 core schema, restricted: decimal, 0o octal and 0x hex integers; floats with a dot
 * or exponent and .inf/.nan; only true/false as booleans. */
static bool all_digits(const char *s, const char *digits)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(digits, *s))
			return false;
	return true;
}

typedef enum { SCALAR_STRING, SCALAR_NULL, SCALAR_BOOL, SCALAR_INT, SCALAR_FLOAT } scalar_kind;

static scalar_kind classify_plain(const char *s)
{
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0)
		return SCALAR_NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0 ||
	    strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return SCALAR_BOOL;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (all_digits(p, "0123456789"))
		return SCALAR_INT;
	if (strncmp(s, "0o", 2) == 0 && all_digits(s + 2, "01234567"))
		return SCALAR_INT;
	if (strncmp(s, "0x", 2) == 0 && all_digits(s + 2, "0123456789abcdefABCDEF"))
		return SCALAR_INT;
	const char *specials[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (strcmp(p, specials[i]) == 0 && (i < 3 || p == s))
			return SCALAR_FLOAT;
	/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
	bool digits = false, dot = false;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		dot = true;
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return SCALAR_STRING;
	bool exp = false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return SCALAR_STRING;
		while (*p >= '0' && *p <= '9')
			p++;
		exp = true;
	}
	return (*p == '\0' && (dot || exp)) ? SCALAR_FLOAT : SCALAR_STRING;
}

static vc_doc_node *make_number(yaml_ctx *c, const yaml_event_t *ev, const char *s,
				scalar_kind kind, int line, int col)
{
	if (kind == SCALAR_INT) {
		int base = 10;
		const char *digits = s;
		if (strncmp(s, "0o", 2) == 0) {
			base = 8;
			digits = s + 2;
		} else if (strncmp(s, "0x", 2) == 0) {
			base = 16;
			digits = s + 2;
		}
		errno = 0;
		char *end;
		long long v = strtoll(digits, &end, base);
		if (errno == ERANGE || *end) {
			fail_at(c, &ev->start_mark, "integer '%s' does not fit in 64 bits", s);
			return NULL;
		}
		return vc_doc_new_integer((int64_t)v, line, col);
	}
	const char *p = s;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if (p[0] == '.' && (p[1] == 'i' || p[1] == 'I'))
		return vc_doc_new_float(neg ? -INFINITY : INFINITY, line, col);
	if (p[0] == '.' && (p[1] == 'n' || p[1] == 'N'))
		return vc_doc_new_float(NAN, line, col);
	return vc_doc_new_float(strtod(s, NULL), line, col);
}

static vc_doc_node *make_scalar(yaml_ctx *c, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int line = pos_line(&ev->start_mark), col = pos_col(c, &ev->start_mark);
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (tag && strcmp(tag, "!") != 0) {
		if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0) {
			fail_at(c, &ev->start_mark, "unsupported tag '%s'", tag);
			return NULL;
		}
		const char *t = tag + strlen(TAG_PREFIX);
		if (strcmp(t, "str") == 0)
			return vc_doc_new_string(s, len, line, col);
		scalar_kind want = strcmp(t, "int") == 0     ? SCALAR_INT
				   : strcmp(t, "float") == 0 ? SCALAR_FLOAT
				   : strcmp(t, "bool") == 0  ? SCALAR_BOOL
							     : SCALAR_STRING;
		scalar_kind got = strlen(s) == len ? classify_plain(s) : SCALAR_STRING;
		if (want == SCALAR_FLOAT && got == SCALAR_INT)
			got = SCALAR_FLOAT;
		if (want == SCALAR_STRING || got != want) {
			fail_at(c, &ev->start_mark, "value '%s' does not match its tag '!!%s'", s,
				t);
			return NULL;
		}
		if (want == SCALAR_BOOL)
			return vc_doc_new_bool(s[0] == 't' || s[0] == 'T', line, col);
		return make_number(c, ev, s, want, line, col);
	} else if (tag) {
		plain = false; /* the non-specific tag "!" forces a string */
	}
	if (!plain)
		return vc_doc_new_string(s, len, line, col);
	if (strlen(s) != len) /* a plain scalar cannot hold NUL; keep it as text */
		return vc_doc_new_string(s, len, line, col);
	scalar_kind kind = classify_plain(s);
	switch (kind) {
	case SCALAR_NULL:
		fail_at(c, &ev->start_mark,
			"null values are not allowed (write \"\" for an empty string)");
		return NULL;
	case SCALAR_BOOL:
		return vc_doc_new_bool(s[0] == 't' || s[0] == 'T', line, col);
	case SCALAR_INT:
	case SCALAR_FLOAT: {
		char *tmp = xstrdup(s);
		/* strtoll/strtod accept a leading '+' but not in 0o/0x forms: those never have one
		 */
		vc_doc_node *n = make_number(c, ev, tmp, kind, line, col);
		free(tmp);
		return n;
	}
	case SCALAR_STRING:
		break;
	}
	return vc_doc_new_string(s, len, line, col);
}

static vc_doc_node *parse_node(yaml_ctx *c, yaml_event_t *ev, int depth);

/* Applies a `<<` merge: keys of the merged mapping(s) that the mapping does not set. Explicit
 * keys always win, whichever comes first, so merged keys are recorded and filled at the end. */
static int collect_merge(yaml_ctx *c, vc_doc_node *merged, vc_doc_node *src,
			 const yaml_mark_t *mark)
{
	if (src->type == VC_DOC_TABLE) {
		for (size_t i = 0; i < vc_doc_table_len(src); i++) {
			vc_doc_entry *e = &vc_doc_table_entries(src)[i];
			if (!vc_doc_table_getn(merged, e->key, vc_doc_entry_key_len(e)))
				vc_doc_table_set(merged, e->key, vc_doc_entry_key_len(e), e->line,
						 e->col, vc_doc_clone(e->value));
		}
		return 0;
	}
	if (src->type == VC_DOC_ARRAY) {
		for (size_t i = 0; i < vc_doc_array_len(src); i++) {
			if (vc_doc_array_items(src)[i]->type != VC_DOC_TABLE)
				return fail_at(c, mark, "'<<' merges mappings, not a %s",
					       vc_doc_type_name(vc_doc_array_items(src)[i]->type));
			if (collect_merge(c, merged, vc_doc_array_items(src)[i], mark) < 0)
				return -1;
		}
		return 0;
	}
	return fail_at(c, mark, "'<<' merges mappings, not a %s", vc_doc_type_name(src->type));
}

static vc_doc_node *parse_mapping(yaml_ctx *c, const yaml_event_t *start, int depth)
{
	cleanup_doc vc_doc_node *map =
	    vc_doc_new(VC_DOC_TABLE, pos_line(&start->start_mark), pos_col(c, &start->start_mark));
	cleanup_doc vc_doc_node *merged = NULL;
	for (;;) {
		yaml_event_t kev;
		if (next_event(c, &kev) < 0)
			return NULL;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			fail_at(c, &kev.start_mark, "mapping keys must be plain strings");
			yaml_event_delete(&kev);
			return NULL;
		}
		yaml_mark_t kmark = kev.start_mark;
		bool is_merge = kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
				strcmp((const char *)kev.data.scalar.value, "<<") == 0;
		size_t klen = kev.data.scalar.length;
		cleanup_free char *key = xstrndup((const char *)kev.data.scalar.value, klen);
		yaml_event_delete(&kev);

		yaml_event_t vev;
		if (next_event(c, &vev) < 0)
			return NULL;
		vc_doc_node *value = parse_node(c, &vev, depth + 1);
		yaml_event_delete(&vev);
		if (!value)
			return NULL;
		if (is_merge) {
			if (!merged)
				merged = vc_doc_new(VC_DOC_TABLE, 0, 0);
			int r = collect_merge(c, merged, value, &kmark);
			vc_doc_free(value);
			if (r < 0)
				return NULL;
			continue;
		}
		const vc_doc_entry *prev = vc_doc_table_entry(map, key, klen);
		if (prev) {
			fail_at(c, &kmark, "duplicate key '%s' (first set at line %d, column %d)",
				key, prev->line, prev->col);
			vc_doc_free(value);
			return NULL;
		}
		vc_doc_table_set(map, key, klen, pos_line(&kmark), pos_col(c, &kmark), value);
	}
	if (merged) {
		for (size_t i = 0; i < vc_doc_table_len(merged); i++) {
			vc_doc_entry *e = &vc_doc_table_entries(merged)[i];
			if (!vc_doc_table_getn(map, e->key, vc_doc_entry_key_len(e))) {
				vc_doc_table_set(map, e->key, vc_doc_entry_key_len(e), e->line,
						 e->col, e->value);
				e->value = NULL;
			}
		}
	}
	return vc_steal_pointer(&map);
}

static vc_doc_node *parse_sequence(yaml_ctx *c, const yaml_event_t *start, int depth)
{
	cleanup_doc vc_doc_node *seq =
	    vc_doc_new(VC_DOC_ARRAY, pos_line(&start->start_mark), pos_col(c, &start->start_mark));
	for (;;) {
		yaml_event_t ev;
		if (next_event(c, &ev) < 0)
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		vc_doc_node *item = parse_node(c, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			return NULL;
		vc_doc_array_push(seq, item);
	}
	return vc_steal_pointer(&seq);
}

/* Builds the node that starts with *ev (which the caller deletes). */
static vc_doc_node *parse_node(yaml_ctx *c, yaml_event_t *ev, int depth)
{
	if (depth > YAML_MAX_DEPTH) {
		fail_at(c, &ev->start_mark, "nesting deeper than %d levels", YAML_MAX_DEPTH);
		return NULL;
	}
	vc_doc_node *n = NULL;
	const yaml_char_t *anchor = NULL;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return resolve_alias(c, ev);
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		n = make_scalar(c, ev);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		n = parse_mapping(c, ev, depth);
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		n = parse_sequence(c, ev, depth);
		break;
	default:
		fail_at(c, &ev->start_mark, "unexpected YAML event");
		return NULL;
	}
	if (n)
		remember_anchor(c, anchor, n);
	return n;
}

static vc_doc_node *parse_stream(yaml_ctx *c)
{
	yaml_event_t ev;
	if (next_event(c, &ev) < 0)
		return NULL;
	if (ev.type != YAML_STREAM_START_EVENT) {
		yaml_event_delete(&ev);
		fail_at(c, &c->parser.mark, "malformed YAML stream");
		return NULL;
	}
	yaml_event_delete(&ev);

	cleanup_doc vc_doc_node *root = NULL;
	int documents = 0;
	for (;;) {
		if (next_event(c, &ev) < 0)
			return NULL;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_DOCUMENT_START_EVENT) {
			fail_at(c, &ev.start_mark, "malformed YAML stream");
			yaml_event_delete(&ev);
			return NULL;
		}
		if (++documents > 1) {
			fail_at(c, &ev.start_mark, "more than one YAML document");
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_delete(&ev);

		if (next_event(c, &ev) < 0)
			return NULL;
		if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
		    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev.data.scalar.tag) {
			/* an empty document: an empty configuration */
			root = vc_doc_new(VC_DOC_TABLE, 1, 1);
		} else if (ev.type != YAML_MAPPING_START_EVENT) {
			fail_at(c, &ev.start_mark, "the top of a configuration must be a mapping");
			yaml_event_delete(&ev);
			return NULL;
		} else {
			root = parse_node(c, &ev, 1);
		}
		yaml_event_delete(&ev);
		if (!root)
			return NULL;

		if (next_event(c, &ev) < 0)
			return NULL;
		yaml_event_delete(&ev); /* DOCUMENT-END */
	}
	if (!root)
		root = vc_doc_new(VC_DOC_TABLE, 1, 1);
	return vc_steal_pointer(&root);
}

vc_doc_node *vc_yaml_parse(const char *buf, size_t len, const char *filename, vc_error **err)
{
	yaml_ctx c = {
	    .filename = filename, .err = err, .buf = (const unsigned char *)buf, .len = len};
	index_lines(&c);
	if (!yaml_parser_initialize(&c.parser)) {
		vc_error_set(err, VC_ERR_GENERIC, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);
	vc_doc_node *root = parse_stream(&c);
	yaml_parser_delete(&c.parser);
	for (size_t i = 0; i < c.n_anchors; i++) {
		free(c.anchors[i].name);
		vc_doc_free(c.anchors[i].node);
	}
	free(c.anchors);
	free(c.line_starts);
	return root;
}
