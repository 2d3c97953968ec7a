/* TOML 1.0.0 decoder: one pass over the buffer, building the vc_doc tree as it goes.
 *
 * Values nest (arrays, inline tables) through a recursion bounded by VC_TOML_MAX_DEPTH; dotted
 * keys and table headers are walked iteratively, so no input can exhaust the stack. The whole
 * buffer is checked to be UTF-8 before parsing, so the parser itself only deals with bytes.
 * Positions are 1-based lines and byte columns. */
#include <config.h>
#include "config/toml.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Input size from which the decoder reserves its arena up front (see vc_toml_parse). */
#define VC_TOML_RESERVE_FROM ((size_t)256 << 10)

typedef struct {
	char *d;
	size_t n, cap;
} sbuf;

typedef struct {
	char *key; /* interned (see intern) */
	size_t len;
	int line, col;
} key_part;

typedef struct {
	const char *buf, *p, *end;
	const char *line_start;
	int line;
	const char *filename;
	vc_error **err;
	vc_doc_node *root;
	sbuf keys;    /* decoded key parts of the key being parsed */
	sbuf scratch; /* decoded string value */
	key_part *parts;
	size_t nparts, capparts;
	/* Interned keys: every distinct key is stored once in the document's arena and shared by
	 * all the entries that use it (a big document repeats the same few keys). */
	struct intern_slot {
		char *key; /* NULL = empty slot */
		uint32_t len, hash;
	} * interned;
	size_t ninterned, capinterned; /* capinterned: a power of two */
	/* Tables other than the current one that got keys since the last header (parents of a
	 * new header table, tables made by dotted keys): compacted at the next header, since doc.c
	 * grows a table's storage by doubling. */
	vc_doc_node **touched;
	size_t ntouched, captouched;
	/* Tables made by dotted keys since the last header: compacted at the next header. */
	vc_doc_node **fresh;
	size_t nfresh, capfresh;
} parser;

static vc_doc_node *node_new(parser *P, vc_doc_type type, int line, int col)
{
	return vc_doc_arena_node(P->root, type, line, col);
}

static vc_doc_node *new_int(parser *P, int64_t v, int line, int col)
{
	vc_doc_node *n = node_new(P, VC_DOC_INTEGER, line, col);
	n->u.integer = v;
	return n;
}

static vc_doc_node *new_float(parser *P, double v, int line, int col)
{
	vc_doc_node *n = node_new(P, VC_DOC_FLOAT, line, col);
	n->u.real = v;
	return n;
}

static vc_doc_node *new_bool(parser *P, bool v, int line, int col)
{
	vc_doc_node *n = node_new(P, VC_DOC_BOOL, line, col);
	n->u.boolean = v;
	return n;
}

static uint32_t key_hash(const char *k, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

static inline bool same_bytes(const char *a, const char *b, size_t len)
{
	/* Keys are short: a loop beats a call to memcmp. */
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The arena copy of key k (len bytes, hash h = key_hash(k, len)), made on first use. */
static char *intern_hashed(parser *P, const char *k, size_t len, uint32_t h)
{
	if (P->ninterned * 2 >= P->capinterned) {
		size_t cap = P->capinterned ? P->capinterned * 2 : 256;
		struct intern_slot *t = xzalloc(cap * sizeof(*t));
		for (size_t i = 0; i < P->capinterned; i++) {
			struct intern_slot *o = &P->interned[i];
			if (!o->key)
				continue;
			size_t j = o->hash & (cap - 1);
			while (t[j].key)
				j = (j + 1) & (cap - 1);
			t[j] = *o;
		}
		free(P->interned);
		P->interned = t;
		P->capinterned = cap;
	}
	size_t mask = P->capinterned - 1;
	size_t i = h & mask;
	for (;; i = (i + 1) & mask) {
		struct intern_slot *sl = &P->interned[i];
		if (!sl->key)
			break;
		if (sl->hash == h && sl->len == len && same_bytes(sl->key, k, len))
			return sl->key;
	}
	/* Keys longer than 4 GiB are not interned (the slot stores a 32-bit length). */
	char *copy = vc_doc_arena_strndup(P->root, k, len);
	if (len <= UINT32_MAX) {
		P->interned[i] = (struct intern_slot){copy, (uint32_t)len, h};
		P->ninterned++;
	}
	return copy;
}

static char *intern(parser *P, const char *k, size_t len)
{
	return intern_hashed(P, k, len, key_hash(k, len));
}

static inline void sb_reserve(sbuf *b, size_t extra)
{
	if (b->n + extra <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + extra)
		cap *= 2;
	b->d = xrealloc(b->d, cap);
	b->cap = cap;
}

static inline void sb_putc(sbuf *b, char c)
{
	sb_reserve(b, 1);
	b->d[b->n++] = c;
}

static inline void sb_put(sbuf *b, const char *s, size_t n)
{
	if (!n)
		return;
	sb_reserve(b, n);
	memcpy(b->d + b->n, s, n);
	b->n += n;
}

static int col_of(const parser *P, const char *at)
{
	return (int)(at - P->line_start) + 1;
}

static int fail_at(parser *P, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(parser *P, int line, int col, const char *fmt, ...)
{
	if (*P->err)
		return -1; /* keep the first error only */
	va_list ap;
	va_start(ap, fmt);
	vc_error_vset(P->err, VC_ERR_PARSE, 0, P->filename, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at `at`, which lies on the current line. */
#define FAIL(P, at, ...) fail_at((P), (P)->line, col_of((P), (at)), __VA_ARGS__)

/* A printable description of the byte at p for messages. */
static const char *describe(const parser *P, const char *p, char tmp[8])
{
	if (p >= P->end)
		return "end of file";
	unsigned char c = (unsigned char)*p;
	if (c == '\n' || c == '\r')
		return "end of line";
	if (c < 0x20 || c == 0x7f) {
		snprintf(tmp, 8, "0x%02x", c);
		return tmp;
	}
	if (c >= 0x80)
		return "a non-ASCII character";
	tmp[0] = '\'';
	tmp[1] = (char)c;
	tmp[2] = '\'';
	tmp[3] = 0;
	return tmp;
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, const unsigned char *end)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - s) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	return n;
}

static int check_utf8(parser *P)
{
	const unsigned char *s = (const unsigned char *)P->buf;
	const unsigned char *end = (const unsigned char *)P->end;
	while (s < end) {
		/* Fast path: eight ASCII bytes at a time. */
		if (end - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (!(w & 0x8080808080808080ULL)) {
				s += 8;
				continue;
			}
		}
		size_t n = utf8_seq(s, end);
		if (!n) {
			int line = 1;
			const char *ls = P->buf;
			for (const char *q = P->buf; q < (const char *)s; q++)
				if (*q == '\n') {
					line++;
					ls = q + 1;
				}
			return fail_at(P, line, (int)((const char *)s - ls) + 1,
				       "invalid UTF-8 byte 0x%02x", *s);
		}
		s += n;
	}
	return 0;
}

static void put_utf8(sbuf *b, unsigned cp)
{
	sb_reserve(b, 4);
	char *o = b->d + b->n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		b->n += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		b->n += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		b->n += 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		b->n += 4;
	}
}

/* ---- whitespace, newlines, comments -------------------------------------------------- */

static inline void skip_ws(parser *P)
{
	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t'))
		P->p++;
}

static inline bool at_newline(const parser *P)
{
	return P->p < P->end &&
	       (*P->p == '\n' || (*P->p == '\r' && P->p + 1 < P->end && P->p[1] == '\n'));
}

/* Consumes the newline at P->p (caller checked at_newline). */
static inline void eat_newline(parser *P)
{
	P->p += (*P->p == '\r') ? 2 : 1;
	P->line++;
	P->line_start = P->p;
}

static inline bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* A comment from '#' to the end of the line (the newline is left in place). */
static int skip_comment(parser *P)
{
	const char *p = P->p + 1;
	while (p < P->end) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || (c == '\r' && p + 1 < P->end && p[1] == '\n'))
			break;
		if (is_control(c)) {
			P->p = p;
			return FAIL(P, p, "control character 0x%02x in comment", c);
		}
		p++;
	}
	P->p = p;
	return 0;
}

/* Whitespace, then an optional comment, then a newline or the end of the file. */
static int end_of_line(parser *P, const char *what)
{
	skip_ws(P);
	if (P->p < P->end && *P->p == '#' && skip_comment(P) < 0)
		return -1;
	if (P->p >= P->end)
		return 0;
	if (at_newline(P)) {
		eat_newline(P);
		return 0;
	}
	char tmp[8];
	if (*P->p == '\r')
		return FAIL(P, P->p, "carriage return not followed by a newline");
	return FAIL(P, P->p, "unexpected %s after %s, expected a newline", describe(P, P->p, tmp),
		    what);
}

/* Whitespace, newlines and comments (inside arrays). */
static int skip_ws_nl_comments(parser *P)
{
	for (;;) {
		skip_ws(P);
		if (P->p >= P->end)
			return 0;
		if (*P->p == '#') {
			if (skip_comment(P) < 0)
				return -1;
			continue;
		}
		if (at_newline(P)) {
			eat_newline(P);
			continue;
		}
		return 0;
	}
}

/* ---- strings --------------------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An escape sequence at P->p (the backslash); multi-line strings also accept the line-ending
 * backslash. */
static int parse_escape(parser *P, sbuf *out, bool multiline)
{
	const char *bs = P->p;
	if (P->p + 1 >= P->end)
		return FAIL(P, bs, "unterminated string");
	char c = P->p[1];
	switch (c) {
	case 'b':
		sb_putc(out, '\b');
		break;
	case 't':
		sb_putc(out, '\t');
		break;
	case 'n':
		sb_putc(out, '\n');
		break;
	case 'f':
		sb_putc(out, '\f');
		break;
	case 'r':
		sb_putc(out, '\r');
		break;
	case '"':
		sb_putc(out, '"');
		break;
	case '\\':
		sb_putc(out, '\\');
		break;
	case 'u':
	case 'U': {
		int nd = c == 'u' ? 4 : 8;
		if (P->end - (P->p + 2) < nd)
			return FAIL(P, bs, "truncated \\%c escape", c);
		unsigned cp = 0;
		for (int i = 0; i < nd; i++) {
			int h = hexval(P->p[2 + i]);
			if (h < 0)
				return FAIL(P, bs, "invalid \\%c escape: expected %d hex digits", c,
					    nd);
			cp = (cp << 4) | (unsigned)h;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return FAIL(P, bs, "escape \\%c%.*s is not a Unicode scalar value", c, nd,
				    P->p + 2);
		put_utf8(out, cp);
		P->p += 2 + nd;
		return 0;
	}
	default:
		if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
			/* Line-ending backslash: only whitespace may follow it on its line; then
			 * every whitespace and newline up to the next other character goes. */
			const char *q = P->p + 1;
			while (q < P->end && (*q == ' ' || *q == '\t'))
				q++;
			P->p = q;
			if (!at_newline(P))
				return FAIL(P, bs,
					    "backslash followed by whitespace must end the line");
			for (;;) {
				skip_ws(P);
				if (at_newline(P))
					eat_newline(P);
				else
					break;
			}
			return 0;
		}
		{
			char tmp[8];
			return FAIL(P, bs, "invalid escape sequence '\\' followed by %s",
				    describe(P, P->p + 1, tmp));
		}
	}
	P->p += 2;
	return 0;
}

/* A basic or literal string starting at P->p (on the quote), decoded into out. */
static int parse_string(parser *P, sbuf *out, bool allow_multiline)
{
	const char *start = P->p;
	int start_line = P->line;
	int start_col = col_of(P, start);
	char q = *P->p;
	bool literal = q == '\'';
	bool multi = P->end - P->p >= 3 && P->p[1] == q && P->p[2] == q;
	if (multi && !allow_multiline)
		return FAIL(P, start, "a multi-line string cannot be a key");
	if (multi) {
		P->p += 3;
		/* A newline right after the opening delimiter is trimmed. */
		if (at_newline(P))
			eat_newline(P);
	} else {
		P->p++;
	}
	for (;;) {
		/* Copy the run of plain bytes in one go. */
		const char *run = P->p;
		while (P->p < P->end) {
			unsigned char c = (unsigned char)*P->p;
			if (c == (unsigned char)q || (c == '\\' && !literal) || c < 0x20 ||
			    c == 0x7f)
				break;
			P->p++;
		}
		if (P->p > run)
			sb_put(out, run, (size_t)(P->p - run));
		if (P->p >= P->end)
			return fail_at(P, start_line, start_col, "unterminated string");
		unsigned char c = (unsigned char)*P->p;
		if (c == (unsigned char)q) {
			if (!multi) {
				P->p++;
				return 0;
			}
			size_t nq = 0;
			while (P->p + nq < P->end && P->p[nq] == q)
				nq++;
			if (nq < 3) {
				sb_put(out, P->p, nq);
				P->p += nq;
				continue;
			}
			if (nq > 5)
				return FAIL(P, P->p + 5,
					    "too many quotes at the end of a multi-line string");
			sb_put(out, P->p, nq - 3);
			P->p += nq;
			return 0;
		}
		if (c == '\\') {
			if (parse_escape(P, out, multi) < 0)
				return -1;
			continue;
		}
		if (c == '\t') {
			sb_putc(out, '\t');
			P->p++;
			continue;
		}
		if (multi && at_newline(P)) {
			sb_putc(out, '\n');
			if (*P->p == '\r')
				out->d[out->n - 1] = '\n';
			eat_newline(P);
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (c == '\r' && !(P->p + 1 < P->end && P->p[1] == '\n'))
				return FAIL(P, P->p, "carriage return not followed by a newline");
			return fail_at(P, start_line, start_col,
				       "unterminated string (newline in a single-line string)");
		}
		return FAIL(P, P->p, "control character 0x%02x in string", c);
	}
}

/* ---- keys ------------------------------------------------------------------------------ */

/* Bytes of bare keys: A-Z a-z 0-9 _ - (a table: this is the innermost loop of key parsing). */
static const unsigned char bare_table[256] = {
    ['-'] = 1, ['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline bool is_bare(unsigned char c)
{
	return bare_table[c];
}

/* A possibly dotted key into P->parts. */
static int parse_key(parser *P)
{
	P->nparts = 0;
	P->keys.n = 0;
	for (;;) {
		skip_ws(P);
		if (P->nparts == P->capparts) {
			P->capparts = P->capparts ? P->capparts * 2 : 8;
			P->parts = xreallocarray(P->parts, P->capparts, sizeof(*P->parts));
		}
		key_part *k = &P->parts[P->nparts];
		k->line = P->line;
		k->col = col_of(P, P->p);
		if (P->p < P->end && (*P->p == '"' || *P->p == '\'')) {
			P->keys.n = 0;
			if (parse_string(P, &P->keys, false) < 0)
				return -1;
			k->len = P->keys.n;
			k->key = intern(P, P->keys.d, k->len);
		} else {
			/* The key's hash (key_hash) is computed as it is scanned. */
			const char *s = P->p;
			uint32_t h = 2166136261u;
			while (P->p < P->end && is_bare((unsigned char)*P->p)) {
				h = (h ^ (unsigned char)*P->p) * 16777619u;
				P->p++;
			}
			if (P->p == s) {
				char tmp[8];
				return FAIL(P, s, "expected a key, found %s", describe(P, s, tmp));
			}
			k->len = (size_t)(P->p - s);
			k->key = intern_hashed(P, s, k->len, h);
		}
		if (++P->nparts > VC_TOML_MAX_DEPTH)
			return fail_at(P, k->line, k->col, "key has more than %d dotted parts",
				       VC_TOML_MAX_DEPTH);
		skip_ws(P);
		if (P->p < P->end && *P->p == '.') {
			P->p++;
			continue;
		}
		return 0;
	}
}

static inline const char *part_str(const parser *P, size_t i)
{
	return P->parts[i].key;
}

/* The dotted key P->parts[0..upto] for messages (caller frees). */
static char *key_path(const parser *P, size_t upto)
{
	sbuf b = {0};
	for (size_t i = 0; i <= upto && i < P->nparts; i++) {
		if (i)
			sb_putc(&b, '.');
		const char *s = part_str(P, i);
		size_t n = P->parts[i].len;
		bool bare = n > 0;
		for (size_t j = 0; j < n; j++)
			bare = bare && is_bare((unsigned char)s[j]);
		if (bare) {
			sb_put(&b, s, n);
		} else {
			sb_putc(&b, '"');
			for (size_t j = 0; j < n; j++) {
				unsigned char c = (unsigned char)s[j];
				if (c < 0x20 || c == '"' || c == '\\') {
					char t[8];
					snprintf(t, sizeof(t), "\\u%04x", c);
					sb_put(&b, t, 6);
				} else {
					sb_putc(&b, (char)c);
				}
			}
			sb_putc(&b, '"');
		}
	}
	sb_putc(&b, 0);
	return b.d;
}

/* ---- numbers and dates ----------------------------------------------------------------- */

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits with single underscores between them; returns the end or NULL. */
static const char *scan_digits(const char *s, const char *end, int (*digit)(char))
{
	if (s >= end || digit(*s) < 0)
		return NULL;
	s++;
	while (s < end) {
		if (*s == '_') {
			if (s + 1 >= end || digit(s[1]) < 0)
				return NULL;
			s += 2;
		} else if (digit(*s) >= 0) {
			s++;
		} else {
			break;
		}
	}
	return s;
}

static int dec_digit(char c)
{
	return is_digit(c) ? c - '0' : -1;
}
static int hex_digit(char c)
{
	return hexval(c);
}
static int oct_digit(char c)
{
	return (c >= '0' && c <= '7') ? c - '0' : -1;
}
static int bin_digit(char c)
{
	return (c == '0' || c == '1') ? c - '0' : -1;
}

static vc_doc_node *parse_float_tok(parser *P, const char *tok, const char *end, int line, int col)
{
	const char *s = tok;
	if (*s == '+' || *s == '-')
		s++;
	size_t rest = (size_t)(end - s);
	if (rest == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0)) {
		double v = s[0] == 'i' ? INFINITY : NAN;
		if (*tok == '-')
			v = -v;
		return new_float(P, v, line, col);
	}
	const char *q = scan_digits(s, end, dec_digit);
	if (!q)
		goto bad;
	if (*s == '0' && q - s > 1) {
		fail_at(P, line, col, "leading zeros are not allowed in '%.*s'", (int)(end - tok),
			tok);
		return NULL;
	}
	bool frac = false, exp = false;
	if (q < end && *q == '.') {
		q = scan_digits(q + 1, end, dec_digit);
		if (!q)
			goto bad;
		frac = true;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			q++;
		q = scan_digits(q, end, dec_digit);
		if (!q)
			goto bad;
		exp = true;
	}
	if (q != end || !(frac || exp))
		goto bad;
	/* Fast path (Clinger): a mantissa of at most 2^53 times a power of ten of at most 22 is one
	 * correctly rounded IEEE operation on exact operands, i.e. what strtod returns. */
	{
		static const double pow10[] = {1e0,  1e1,  1e2,	 1e3,  1e4,  1e5,  1e6,	 1e7,
					       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
		uint64_t m = 0;
		int e10 = 0, ndig = 0;
		bool in_frac = false, ok = true;
		const char *c = s;
		for (; c < end && *c != 'e' && *c != 'E'; c++) {
			if (*c == '_')
				continue;
			if (*c == '.') {
				in_frac = true;
				continue;
			}
			if (m == 0 && *c == '0') {
				if (in_frac)
					e10--;
				continue;
			}
			if (++ndig > 16) {
				ok = false;
				break;
			}
			m = m * 10 + (uint64_t)(*c - '0');
			if (in_frac)
				e10--;
		}
		if (ok && c < end) {
			c++;
			bool eneg = *c == '-';
			if (*c == '+' || *c == '-')
				c++;
			int ev = 0;
			for (; c < end && ok; c++) {
				if (*c == '_')
					continue;
				ev = ev * 10 + (*c - '0');
				if (ev > 1000)
					ok = false;
			}
			e10 += eneg ? -ev : ev;
		}
		if (ok && m <= (1ULL << 53) && e10 >= -22 && e10 <= 22) {
			double v = (double)m;
			v = e10 < 0 ? v / pow10[-e10] : v * pow10[e10];
			if (m == 0)
				v = 0.0;
			return new_float(P, *tok == '-' ? -v : v, line, col);
		}
	}
	char small[64];
	size_t len = (size_t)(end - tok);
	char *buf = len < sizeof(small) ? small : xmalloc(len + 1);
	size_t n = 0;
	for (const char *c = tok; c < end; c++)
		if (*c != '_')
			buf[n++] = *c;
	buf[n] = 0;
	double v = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return new_float(P, v, line, col);
bad:
	fail_at(P, line, col, "invalid number '%.*s'", (int)(end - tok), tok);
	return NULL;
}

static vc_doc_node *parse_number(parser *P)
{
	const char *tok = P->p;
	int line = P->line, col = col_of(P, tok);
	const char *e = tok;
	while (e < P->end && (is_bare((unsigned char)*e) || *e == '.' || *e == '+'))
		e++;
	/* An exponent sign ('1e-5') is in the token; '-' already is, as a bare-key byte. */
	P->p = e;
	if (e == tok) {
		char tmp[8];
		fail_at(P, line, col, "expected a value, found %s", describe(P, tok, tmp));
		return NULL;
	}
	const char *s = tok;
	bool neg = false;
	if (*s == '+' || *s == '-') {
		neg = *s == '-';
		s++;
	}
	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		if (s != tok) {
			fail_at(P, line, col, "a sign is not allowed on '%.*s'", (int)(e - tok),
				tok);
			return NULL;
		}
		int (*dig)(char) = s[1] == 'x' ? hex_digit : s[1] == 'o' ? oct_digit : bin_digit;
		unsigned shift = s[1] == 'x' ? 4 : s[1] == 'o' ? 3 : 1;
		const char *q = scan_digits(s + 2, e, dig);
		if (!q || q != e) {
			fail_at(P, line, col, "invalid number '%.*s'", (int)(e - tok), tok);
			return NULL;
		}
		uint64_t v = 0;
		for (const char *c = s + 2; c < e; c++) {
			if (*c == '_')
				continue;
			if (v > ((uint64_t)INT64_MAX >> shift)) {
				fail_at(P, line, col, "integer '%.*s' does not fit in 64 bits",
					(int)(e - tok), tok);
				return NULL;
			}
			v = (v << shift) | (uint64_t)dig(*c);
		}
		return new_int(P, (int64_t)v, line, col);
	}
	/* A decimal integer unless it has a fraction, an exponent or is inf/nan: one pass checks
	 * the digits and underscores (each '_' between two digits) and accumulates the value. */
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t v = 0;
	bool valid = s < e, overflow = false, after_digit = false;
	for (const char *c = s; c < e; c++) {
		char ch = *c;
		if (is_digit(ch)) {
			unsigned d = (unsigned)(ch - '0');
			if (v > (limit - d) / 10)
				overflow = true;
			else if (!overflow)
				v = v * 10 + d;
			after_digit = true;
		} else if (ch == '.' || ch == 'e' || ch == 'E' || ch == 'i' || ch == 'n') {
			return parse_float_tok(P, tok, e, line, col);
		} else {
			if (ch != '_' || !after_digit || c + 1 >= e || !is_digit(c[1]))
				valid = false;
			after_digit = false;
		}
	}
	if (!valid) {
		fail_at(P, line, col, "invalid number '%.*s'", (int)(e - tok), tok);
		return NULL;
	}
	if (s[0] == '0' && e - s > 1) {
		fail_at(P, line, col, "leading zeros are not allowed in '%.*s'", (int)(e - tok),
			tok);
		return NULL;
	}
	if (overflow) {
		fail_at(P, line, col, "integer '%.*s' does not fit in 64 bits", (int)(e - tok),
			tok);
		return NULL;
	}
	int64_t iv = neg ? (int64_t)(0 - v) : (int64_t)v;
	return new_int(P, iv, line, col);
}

static bool digits_at(const char *p, const char *end, int n)
{
	if (end - p < n)
		return false;
	for (int i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return false;
	return true;
}

static int num2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* HH:MM:SS[.frac] at p; returns the end or NULL. */
static const char *scan_time(parser *P, const char *p, vc_doc_datetime *dt, int line, int col)
{
	if (!digits_at(p, P->end, 2) || P->end - p < 8 || p[2] != ':' ||
	    !digits_at(p + 3, P->end, 2) || p[5] != ':' || !digits_at(p + 6, P->end, 2)) {
		fail_at(P, line, col, "invalid time: expected HH:MM:SS");
		return NULL;
	}
	dt->hour = num2(p);
	dt->minute = num2(p + 3);
	dt->second = num2(p + 6);
	if (dt->hour > 23 || dt->minute > 59 || dt->second > 60) {
		fail_at(P, line, col, "invalid time %.8s: out of range", p);
		return NULL;
	}
	p += 8;
	if (p < P->end && *p == '.') {
		p++;
		if (p >= P->end || !is_digit(*p)) {
			fail_at(P, line, col, "invalid time: expected digits after '.'");
			return NULL;
		}
		int n = 0, ns = 0;
		while (p < P->end && is_digit(*p)) {
			if (n < 9)
				ns = ns * 10 + (*p - '0');
			n++;
			p++;
		}
		for (int i = n; i < 9; i++)
			ns *= 10;
		dt->nanosecond = ns;
		dt->frac_digits = (uint16_t)(n > 65535 ? 65535 : n);
	}
	return p;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static vc_doc_node *parse_datetime(parser *P)
{
	const char *p = P->p;
	int line = P->line, col = col_of(P, p);
	vc_doc_datetime dt = {0};
	vc_doc_type type;
	if (digits_at(p, P->end, 2) && P->end - p > 2 && p[2] == ':') {
		p = scan_time(P, p, &dt, line, col);
		if (!p)
			return NULL;
		type = VC_DOC_TIME_LOCAL;
	} else {
		if (!(digits_at(p, P->end, 4) && P->end - p >= 10 && p[4] == '-' &&
		      digits_at(p + 5, P->end, 2) && p[7] == '-' && digits_at(p + 8, P->end, 2))) {
			fail_at(P, line, col, "invalid date: expected YYYY-MM-DD");
			return NULL;
		}
		dt.year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + num2(p + 2);
		dt.month = num2(p + 5);
		dt.day = num2(p + 8);
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		if (dt.month < 1 || dt.month > 12 || dt.day < 1 ||
		    dt.day > mdays[dt.month - 1] + (dt.month == 2 && leap(dt.year))) {
			fail_at(P, line, col, "invalid date %.10s", p);
			return NULL;
		}
		p += 10;
		type = VC_DOC_DATE_LOCAL;
		bool has_time = false;
		if (p < P->end && (*p == 'T' || *p == 't')) {
			has_time = true;
		} else if (p < P->end && *p == ' ' && digits_at(p + 1, P->end, 2) &&
			   P->end - p > 3 && p[3] == ':') {
			has_time = true;
		}
		if (has_time) {
			p = scan_time(P, p + 1, &dt, line, col);
			if (!p)
				return NULL;
			type = VC_DOC_DATETIME_LOCAL;
			if (p < P->end && (*p == 'Z' || *p == 'z')) {
				dt.offset_z = true;
				type = VC_DOC_DATETIME;
				p++;
			} else if (p < P->end && (*p == '+' || *p == '-')) {
				if (!(digits_at(p + 1, P->end, 2) && P->end - p >= 6 &&
				      p[3] == ':' && digits_at(p + 4, P->end, 2))) {
					fail_at(P, line, col,
						"invalid time offset: expected +HH:MM");
					return NULL;
				}
				int oh = num2(p + 1), om = num2(p + 4);
				if (oh > 23 || om > 59) {
					fail_at(P, line, col, "invalid time offset %.6s", p);
					return NULL;
				}
				dt.offset_minutes = (oh * 60 + om) * (*p == '-' ? -1 : 1);
				type = VC_DOC_DATETIME;
				p += 6;
			}
		}
	}
	/* The value must end here: '1979-05-27T07:32:00Zjunk' or '07:32:00x' are errors. */
	if (p < P->end && (is_bare((unsigned char)*p) || *p == '.' || *p == ':' || *p == '+')) {
		fail_at(P, line, col, "invalid date or time");
		return NULL;
	}
	P->p = p;
	vc_doc_node *n = node_new(P, type, line, col);
	*vc_doc_dt_mut(n) = dt;
	return n;
}

/* ---- values ---------------------------------------------------------------------------- */

/* Small tables only: compacting a big table that keeps being reopened would copy it each
 * time. */
#define SHRINK_TOUCHED_MAX 64

static void node_list_add(vc_doc_node ***v, size_t *n, size_t *cap, vc_doc_node *t)
{
	if (*n && (*v)[*n - 1] == t)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = t;
}

static void touch(parser *P, vc_doc_node *t)
{
	if (vc_doc_table_len(t) <= SHRINK_TOUCHED_MAX)
		node_list_add(&P->touched, &P->ntouched, &P->captouched, t);
}

/* The end of a [table] section (a header follows, or the end of the document). The tables that
 * got keys in it are finished for now: their storage moves to an exact-size block of the arena
 * (vc_doc_compact) and the block they grew in is reused by the next tables. A table reopened
 * later grows again, from that exact size. */
static void end_section(parser *P, vc_doc_node *cur)
{
	vc_doc_compact(P->root, cur);
	for (size_t i = 0; i < P->ntouched; i++)
		vc_doc_compact(P->root, P->touched[i]);
	P->ntouched = 0;
	for (size_t i = 0; i < P->nfresh; i++)
		vc_doc_compact(P->root, P->fresh[i]);
	P->nfresh = 0;
}

static vc_doc_node *parse_value(parser *P, int depth);
static int parse_keyval(parser *P, vc_doc_node *table, int depth);

static vc_doc_node *parse_array(parser *P, int depth)
{
	int line = P->line, col = col_of(P, P->p);
	P->p++;
	cleanup_doc vc_doc_node *a = node_new(P, VC_DOC_ARRAY, line, col);
	for (;;) {
		if (skip_ws_nl_comments(P) < 0)
			return NULL;
		if (P->p >= P->end) {
			fail_at(P, line, col, "unterminated array");
			return NULL;
		}
		if (*P->p == ']') {
			P->p++;
			vc_doc_compact(P->root, a);
			return vc_steal_pointer(&a);
		}
		vc_doc_node *v = parse_value(P, depth + 1);
		if (!v)
			return NULL;
		vc_doc_arena_array_push(P->root, a, v);
		if (skip_ws_nl_comments(P) < 0)
			return NULL;
		if (P->p < P->end && *P->p == ',') {
			P->p++;
			continue;
		}
		if (P->p < P->end && *P->p == ']') {
			P->p++;
			vc_doc_compact(P->root, a);
			return vc_steal_pointer(&a);
		}
		if (P->p >= P->end) {
			fail_at(P, line, col, "unterminated array");
			return NULL;
		}
		char tmp[8];
		FAIL(P, P->p, "expected ',' or ']' in array, found %s", describe(P, P->p, tmp));
		return NULL;
	}
}

static vc_doc_node *parse_inline_table(parser *P, int depth)
{
	int line = P->line, col = col_of(P, P->p);
	P->p++;
	cleanup_doc vc_doc_node *t = node_new(P, VC_DOC_TABLE, line, col);
	skip_ws(P);
	if (P->p < P->end && *P->p == '}') {
		P->p++;
		t->flags |= VC_TOML_INLINE;
		return vc_steal_pointer(&t);
	}
	for (;;) {
		if (parse_keyval(P, t, depth + 1) < 0)
			return NULL;
		skip_ws(P);
		char tmp[8];
		if (P->p >= P->end) {
			fail_at(P, line, col, "unterminated inline table");
			return NULL;
		}
		if (*P->p == ',') {
			P->p++;
			skip_ws(P);
			if (P->p < P->end && *P->p == '}') {
				FAIL(P, P->p, "trailing comma in inline table");
				return NULL;
			}
			continue;
		}
		if (*P->p == '}') {
			P->p++;
			vc_doc_compact(P->root, t);
			t->flags |= VC_TOML_INLINE;
			return vc_steal_pointer(&t);
		}
		FAIL(P, P->p, "expected ',' or '}' in inline table, found %s",
		     describe(P, P->p, tmp));
		return NULL;
	}
}

static bool match_word(const parser *P, const char *w, size_t n)
{
	if ((size_t)(P->end - P->p) < n || memcmp(P->p, w, n) != 0)
		return false;
	const char *e = P->p + n;
	return e >= P->end || !(is_bare((unsigned char)*e) || *e == '.');
}

static vc_doc_node *parse_value(parser *P, int depth)
{
	if (depth > VC_TOML_MAX_DEPTH) {
		FAIL(P, P->p, "values nested deeper than %d levels", VC_TOML_MAX_DEPTH);
		return NULL;
	}
	int line = P->line, col = col_of(P, P->p);
	if (P->p >= P->end) {
		fail_at(P, line, col, "expected a value, found end of file");
		return NULL;
	}
	char c = *P->p;
	switch (c) {
	case '"':
	case '\'': {
		P->scratch.n = 0;
		if (parse_string(P, &P->scratch, true) < 0)
			return NULL;
		return vc_doc_arena_string(P->root, P->scratch.d, P->scratch.n, line, col);
	}
	case '[':
		return parse_array(P, depth);
	case '{':
		return parse_inline_table(P, depth);
	case 't':
		if (match_word(P, "true", 4)) {
			P->p += 4;
			return new_bool(P, true, line, col);
		}
		break;
	case 'f':
		if (match_word(P, "false", 5)) {
			P->p += 5;
			return new_bool(P, false, line, col);
		}
		break;
	default:
		if (is_digit(c)) {
			const char *p = P->p;
			if ((digits_at(p, P->end, 4) && P->end - p > 4 && p[4] == '-') ||
			    (digits_at(p, P->end, 2) && P->end - p > 2 && p[2] == ':'))
				return parse_datetime(P);
		}
		if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n')
			return parse_number(P);
		break;
	}
	char tmp[8];
	if (c == '\n' || c == '\r' || c == '#')
		fail_at(P, line, col, "expected a value, found %s",
			c == '#' ? "a comment" : "end of line");
	else if (is_bare((unsigned char)c))
		fail_at(P, line, col, "invalid value starting with %s (strings must be quoted)",
			describe(P, P->p, tmp));
	else
		fail_at(P, line, col, "expected a value, found %s", describe(P, P->p, tmp));
	return NULL;
}

/* ---- key/value pairs and tables -------------------------------------------------------- */

/* `key = value` into table; dotted keys create (or extend) tables made by dotted keys. */
static int parse_keyval(parser *P, vc_doc_node *table, int depth)
{
	if (parse_key(P) < 0)
		return -1;
	skip_ws(P);
	if (P->p >= P->end || *P->p != '=') {
		char tmp[8];
		return FAIL(P, P->p, "expected '=' after key, found %s", describe(P, P->p, tmp));
	}
	const char *eq = P->p;
	P->p++;
	skip_ws(P);
	if (P->p >= P->end || at_newline(P) || *P->p == '#' || *P->p == '\r')
		return FAIL(P, P->p, "expected a value after '='");
	(void)eq;
	/* Walk the dotted key before parsing the value: nested inline tables reuse P->parts. */
	vc_doc_node *t = table;
	size_t last = P->nparts - 1;
	for (size_t i = 0; i < last; i++) {
		key_part *k = &P->parts[i];
		vc_doc_node *sub = vc_doc_table_get_arena_key(t, k->key, k->len);
		if (!sub) {
			sub = node_new(P, VC_DOC_TABLE, k->line, k->col);
			sub->flags |= VC_TOML_DOTTED;
			vc_doc_arena_table_set(P->root, t, k->key, k->len, k->line, k->col, sub);
			if (t != table)
				touch(P, t);
			node_list_add(&P->fresh, &P->nfresh, &P->capfresh, sub);
		} else if (sub->type != VC_DOC_TABLE || (sub->flags & VC_TOML_INLINE) ||
			   (sub->flags & VC_TOML_DEFINED)) {
			char *path = key_path(P, i);
			fail_at(P, k->line, k->col, "cannot add keys to '%s': %s", path,
				sub->type != VC_DOC_TABLE ? "it is not a table"
				: (sub->flags & VC_TOML_INLINE)
				    ? "inline tables are complete"
				    : "it is defined by a [table] header");
			free(path);
			return -1;
		}
		sub->flags |= VC_TOML_DOTTED;
		t = sub;
	}
	key_part kl = P->parts[last];
	if (vc_doc_table_get_arena_key(t, kl.key, kl.len)) {
		char *path = key_path(P, last);
		fail_at(P, kl.line, kl.col, "duplicate key '%s'", path);
		free(path);
		return -1;
	}
	/* The key must survive parsing the value (which may parse keys of its own). */
	char *key = kl.key;
	vc_doc_node *v = parse_value(P, depth);
	if (!v)
		return -1;
	if (v->type == VC_DOC_TABLE || v->type == VC_DOC_ARRAY)
		v->flags |= VC_TOML_INLINE;
	vc_doc_arena_table_set(P->root, t, key, kl.len, kl.line, kl.col, v);
	if (t != table)
		touch(P, t);
	return 0;
}

/* `[a.b]` or `[[a.b]]`; returns the table that following key/values go into. */
static vc_doc_node *parse_header(parser *P)
{
	const char *open = P->p;
	int line = P->line, col = col_of(P, open);
	bool aot = P->end - P->p >= 2 && P->p[1] == '[';
	P->p += aot ? 2 : 1;
	if (parse_key(P) < 0)
		return NULL;
	if (P->p >= P->end || *P->p != ']' || (aot && (P->end - P->p < 2 || P->p[1] != ']'))) {
		char tmp[8];
		FAIL(P, P->p, "expected '%s' to close the table header, found %s", aot ? "]]" : "]",
		     describe(P, P->p, tmp));
		return NULL;
	}
	P->p += aot ? 2 : 1;
	vc_doc_node *t = P->root;
	size_t last = P->nparts - 1;
	for (size_t i = 0; i <= last; i++) {
		key_part *k = &P->parts[i];
		char *ks = k->key;
		vc_doc_node *sub = vc_doc_table_get_arena_key(t, ks, k->len);
		if (i == last && aot) {
			if (!sub) {
				sub = node_new(P, VC_DOC_ARRAY, line, col);
				sub->flags |= VC_TOML_AOT;
				vc_doc_arena_table_set(P->root, t, ks, k->len, k->line, k->col,
						       sub);
				touch(P, t);
			} else if (sub->type != VC_DOC_ARRAY || !(sub->flags & VC_TOML_AOT)) {
				char *path = key_path(P, i);
				fail_at(P, k->line, k->col,
					"cannot define '%s' as an array of tables: %s", path,
					sub->type == VC_DOC_ARRAY ? "it is a static array"
								  : "it is already defined");
				free(path);
				return NULL;
			}
			if (vc_doc_array_len(sub))
				vc_doc_compact(P->root,
					       vc_doc_array_items(sub)[vc_doc_array_len(sub) - 1]);
			vc_doc_node *elem = node_new(P, VC_DOC_TABLE, line, col);
			elem->flags |= VC_TOML_DEFINED;
			vc_doc_arena_array_push(P->root, sub, elem);
			return elem;
		}
		if (i == last) {
			if (!sub) {
				sub = node_new(P, VC_DOC_TABLE, line, col);
				sub->flags |= VC_TOML_DEFINED;
				vc_doc_arena_table_set(P->root, t, ks, k->len, k->line, k->col,
						       sub);
				touch(P, t);
				return sub;
			}
			if (sub->type == VC_DOC_TABLE &&
			    !(sub->flags & (VC_TOML_INLINE | VC_TOML_DEFINED | VC_TOML_DOTTED))) {
				sub->flags |= VC_TOML_DEFINED;
				vc_doc_set_pos(sub, line, col);
				return sub;
			}
			char *path = key_path(P, i);
			fail_at(P, line, col, "table '%s' is already defined", path);
			free(path);
			return NULL;
		}
		if (!sub) {
			sub = node_new(P, VC_DOC_TABLE, k->line, k->col);
			vc_doc_arena_table_set(P->root, t, ks, k->len, k->line, k->col, sub);
			touch(P, t);
		} else if (sub->type == VC_DOC_ARRAY && (sub->flags & VC_TOML_AOT) &&
			   vc_doc_array_len(sub)) {
			sub = vc_doc_array_items(sub)[vc_doc_array_len(sub) - 1];
		} else if (sub->type != VC_DOC_TABLE || (sub->flags & VC_TOML_INLINE)) {
			char *path = key_path(P, i);
			fail_at(P, k->line, k->col, "cannot add a table under '%s': %s", path,
				sub->type == VC_DOC_TABLE ? "inline tables are complete"
							  : "it is not a table");
			free(path);
			return NULL;
		}
		t = sub;
	}
	return t; /* not reached */
}

/* The parser hands the input back to the arena (vc_toml_parse_input) in steps of at least
 * this many bytes. */
#define RECYCLE_STEP 512

/* Parses buf into root (a fresh vc_doc_new_document, freed on error); when recycle is set, buf
 * is root's vc_doc_arena_input and the statements already parsed are given back to the arena. */
static vc_doc_node *parse_document(vc_doc_node *root_in, const char *buf, size_t len, bool recycle,
				   const char *filename, vc_error **err)
{
	cleanup_doc vc_doc_node *root = root_in;
	parser P = {
	    .buf = buf,
	    .p = buf,
	    .end = buf + len,
	    .line_start = buf,
	    .line = 1,
	    .filename = filename,
	    .err = err,
	};
	/* Scratch buffers are never NULL, so that empty keys ('' = 1) point somewhere. */
	sb_reserve(&P.keys, 256);
	sb_reserve(&P.scratch, 256);
	vc_error *local = NULL;
	if (!err)
		P.err = &local;
	root->flags |= VC_TOML_DEFINED;
	P.root = root;
	/* A big document's tree takes about 2.6x its size in the arena here (a 16-byte node and
	 * a 24-byte entry per key/value, strings, arrays); reserving it in one go lets doc.c back
	 * it with huge pages (see vc_doc_arena_reserve). The reservation errs on the large side:
	 * space never touched is never resident, while a tree that outgrows it continues in small
	 * chunks of 4 KiB pages, whose page faults cost more than the rest. Small documents grow
	 * the arena in small chunks.
	 * (vc_toml_input_document made this reservation already, behind the input.) */
	if (len >= VC_TOML_RESERVE_FROM && len <= SIZE_MAX / 8)
		vc_doc_arena_reserve(root, len / 2 * 9);
	int rc = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		P.p += 3;
		P.line_start = P.p; /* columns count from after the BOM */
	}
	if (check_utf8(&P) < 0) {
		rc = -1;
		goto out;
	}
	/* Everything before the line of the statement about to be parsed is finished with: no
	 * pointer into it survives a statement (keys are interned, values copied, positions are
	 * numbers) and nothing reads it again. */
	const char *recycled = buf;
	vc_doc_node *cur = root;
	while (rc == 0) {
		if (recycle && P.line_start - recycled >= RECYCLE_STEP) {
			vc_doc_arena_recycle(root, recycled, P.line_start);
			recycled = P.line_start;
		}
		skip_ws(&P);
		if (P.p >= P.end)
			break;
		char c = *P.p;
		if (c == '#') {
			rc = end_of_line(&P, "comment");
		} else if (at_newline(&P)) {
			eat_newline(&P);
		} else if (c == '[') {
			end_section(&P, cur);
			cur = parse_header(&P);
			rc = cur ? end_of_line(&P, "table header") : -1;
		} else if (c == '\r') {
			rc = FAIL(&P, P.p, "carriage return not followed by a newline");
		} else {
			rc = parse_keyval(&P, cur, 0);
			if (rc == 0)
				rc = end_of_line(&P, "value");
		}
	}
	if (rc == 0)
		end_section(&P, cur);
out:
	free(P.keys.d);
	free(P.touched);
	free(P.fresh);
	free(P.scratch.d);
	free(P.parts);
	free(P.interned);
	if (local)
		vc_error_free(local);
	if (rc < 0)
		return NULL;
	return vc_steal_pointer(&root);
}

vc_doc_node *vc_toml_parse(const char *buf, size_t len, const char *filename, vc_error **err)
{
	return parse_document(vc_doc_new_document(1, 1), buf, len, false, filename, err);
}

vc_doc_node *vc_toml_input_document(size_t len, char **input)
{
	vc_doc_node *root = vc_doc_new_document(1, 1);
	/* The input, then the tree's reservation (see parse_document) right behind it: recycled
	 * input and tree share the same huge pages. */
	if (len >= VC_TOML_RESERVE_FROM && len <= SIZE_MAX / 8)
		vc_doc_arena_reserve(root, len + len / 2 * 9);
	*input = vc_doc_arena_input(root, len);
	return root;
}

vc_doc_node *vc_toml_parse_input(vc_doc_node *root, const char *buf, size_t len,
				 const char *filename, vc_error **err)
{
	return parse_document(root, buf, len, true, filename, err);
}
