/* toml-decoder: the toml-test interface to vc_toml_parse. Reads one TOML document on stdin and
 * prints it in toml-test's tagged JSON on stdout (exit 0), or prints the error on stderr (exit
 * 1).
 *
 * The JSON is written straight from the document tree through one output buffer (the decoder is
 * benchmarked, and a jansson tree would double the peak memory). `--jansson` builds the same
 * output as a jansson tree and dumps it instead; the conformance test runs both. `--stats`
 * also prints the size of the decoded tree on stderr (for the benchmark). */
#include <config.h>
#include "config/toml.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- input ----------------------------------------------------------------------------- */

/* A regular file on stdin is read into the document's arena (vc_toml_input_document), where
 * the decoder reuses the parts of the input it has parsed for the tree. Returns the document
 * with *input and *len set, or NULL when stdin is not a non-empty regular file (pipes) or
 * cannot be read; *failed tells the two apart. */
static vc_doc_node *read_into_document(int fd, char **input, size_t *len, bool *failed)
{
	struct stat st;
	*failed = false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return NULL;
	size_t size = (size_t)st.st_size, n = 0;
	vc_doc_node *doc = vc_toml_input_document(size, input);
	while (n < size) {
		ssize_t r = read(fd, *input + n, size - n);
		if (r < 0) {
			vc_doc_free(doc);
			*failed = true;
			return NULL;
		}
		if (r == 0)
			break; /* the file shrank: decode what there is */
		n += (size_t)r;
	}
	*len = n;
	return doc;
}

static char *read_all(int fd, size_t *len)
{
	struct stat st;
	size_t cap = 65536;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	char *buf = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

/* ---- direct JSON output ---------------------------------------------------------------- */

/* The output buffer. For a large document it comes from the document's arena
 * (vc_doc_arena_alloc): the decoder reserves a large document's arena in one block of huge
 * pages, with room to spare, so the buffer costs no page fault there, where a static buffer
 * costs one per 4 KiB page it fills. A small document's output goes through a static buffer, of
 * which it touches only the pages it fills. */
#define OUT_SIZE ((size_t)1 << 16)
#define OUT_ARENA_FROM ((size_t)256 << 10)
static char small_out[OUT_SIZE];

typedef struct {
	char *buf;
	size_t n;
} out_t;

static void out_flush(out_t *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, stdout) != o->n) {
		perror("toml-decoder: write");
		exit(1);
	}
	o->n = 0;
}

static inline void out_put(out_t *o, const char *s, size_t n)
{
	if (o->n + n > OUT_SIZE) {
		out_flush(o);
		if (n > OUT_SIZE) {
			if (fwrite(s, 1, n, stdout) != n) {
				perror("toml-decoder: write");
				exit(1);
			}
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

#define OUT_LIT(o, s) out_put((o), (s), sizeof(s) - 1)

static void out_string(out_t *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	out_put(o, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		/* Skip eight plain bytes at a time: none below 0x20, none '"' or '\\'. */
		while (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
			uint64_t ctl = (w - ones * 0x20) & ~w;
			uint64_t quo = w ^ (ones * '"'), bsl = w ^ (ones * '\\');
			uint64_t hit = ctl | ((quo - ones) & ~quo) | ((bsl - ones) & ~bsl);
			if (hit & high)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		out_put(o, s + run, i - run);
		run = i + 1;
		char e[6] = {'\\', 0};
		switch (c) {
		case '"':
		case '\\':
			e[1] = (char)c;
			out_put(o, e, 2);
			break;
		case '\n':
			out_put(o, "\\n", 2);
			break;
		case '\t':
			out_put(o, "\\t", 2);
			break;
		case '\r':
			out_put(o, "\\r", 2);
			break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			out_put(o, e, 6);
			break;
		}
	}
	out_put(o, s + run, len - run);
	out_put(o, "\"", 1);
}

/* The JSON of table keys ("key":), cached by the key's address: the decoder stores each
 * distinct key once and a large document repeats the same few keys, so most keys are printed
 * by one copy. (The tree is not changed while it is printed, so an address stands for the same
 * bytes throughout.) */
#define KEY_CACHE 256
#define KEY_CACHE_MAX 48
static struct {
	const char *key;
	size_t key_len;
	unsigned char n;
	char json[KEY_CACHE_MAX];
} key_cache[KEY_CACHE];

static void out_key(out_t *o, const char *key, size_t len)
{
	size_t slot = ((uintptr_t)key >> 3) % KEY_CACHE;
	if (key_cache[slot].key == key && key_cache[slot].key_len == len) {
		out_put(o, key_cache[slot].json, key_cache[slot].n);
		return;
	}
	size_t before = o->n;
	out_string(o, key, len);
	out_put(o, ":", 1);
	/* Cached when short and still whole in the buffer (no flush in between). */
	if (o->n > before && o->n - before <= KEY_CACHE_MAX) {
		key_cache[slot].key = key;
		key_cache[slot].key_len = len;
		key_cache[slot].n = (unsigned char)(o->n - before);
		memcpy(key_cache[slot].json, o->buf + before, o->n - before);
	}
}

/* Writes v as exactly `width` decimal digits (zero-padded; v fits). */
static char *put_digits(char *o, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

/* Formats the scalar's toml-test "value" string into buf; returns its length. */
static size_t format_scalar(const vc_doc_node *n, char *buf, size_t cap)
{
	switch (n->type) {
	case VC_DOC_INTEGER: {
		/* Hand-rolled: snprintf dominates otherwise. */
		char tmp[24];
		size_t i = sizeof(tmp);
		uint64_t v = n->u.integer < 0 ? 0 - (uint64_t)n->u.integer : (uint64_t)n->u.integer;
		do {
			tmp[--i] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		if (n->u.integer < 0)
			tmp[--i] = '-';
		memcpy(buf, tmp + i, sizeof(tmp) - i);
		return sizeof(tmp) - i;
	}
	case VC_DOC_FLOAT: {
		double d = n->u.real;
		if (isnan(d))
			return (size_t)snprintf(buf, cap, "nan");
		if (isinf(d))
			return (size_t)snprintf(buf, cap, "%sinf", d < 0 ? "-" : "");
		/* Fast path: a short decimal m / 10^k that reads back exactly (the division is
		 * correctly rounded, as strtod is) is printed as such. */
		if (fabs(d) < 1e15) {
			static const double pow10[] = {1,   1e1, 1e2, 1e3, 1e4,
						       1e5, 1e6, 1e7, 1e8, 1e9};
			for (int k = 0; k <= 9; k++) {
				double scaled = d * pow10[k];
				if (fabs(scaled) >= 9007199254740992.0)
					break;
				int64_t m = (int64_t)llround(scaled);
				if ((double)m / pow10[k] != d)
					continue;
				uint64_t u = m < 0 ? 0 - (uint64_t)m : (uint64_t)m;
				char tmp[32];
				size_t i = sizeof(tmp);
				if (k == 0)
					tmp[--i] = '0'; /* at least one decimal: "1000.0" */
				for (int j = 0; j < k; j++) {
					tmp[--i] = (char)('0' + u % 10);
					u /= 10;
				}
				tmp[--i] = '.';
				do {
					tmp[--i] = (char)('0' + u % 10);
					u /= 10;
				} while (u);
				if (signbit(d))
					tmp[--i] = '-';
				memcpy(buf, tmp + i, sizeof(tmp) - i);
				return sizeof(tmp) - i;
			}
		}
		/* Otherwise the shortest of %.15g/%.17g that reads back exactly. */
		int len = snprintf(buf, cap, "%.15g", d);
		if (strtod(buf, NULL) != d)
			len = snprintf(buf, cap, "%.17g", d);
		return (size_t)len;
	}
	case VC_DOC_BOOL:
		if (n->u.boolean) {
			memcpy(buf, "true", 5);
			return 4;
		}
		memcpy(buf, "false", 6);
		return 5;
	default: {
		/* Date-times by hand: these are frequent and printf is slow. */
		const vc_doc_datetime *t = vc_doc_dt(n);
		char *o = buf;
		if (n->type != VC_DOC_TIME_LOCAL) {
			o = put_digits(o, t->year, 4);
			*o++ = '-';
			o = put_digits(o, t->month, 2);
			*o++ = '-';
			o = put_digits(o, t->day, 2);
			if (n->type == VC_DOC_DATE_LOCAL)
				return (size_t)(o - buf);
			*o++ = 'T';
		}
		o = put_digits(o, t->hour, 2);
		*o++ = ':';
		o = put_digits(o, t->minute, 2);
		*o++ = ':';
		o = put_digits(o, t->second, 2);
		if (t->frac_digits) {
			char frac[9];
			put_digits(frac, t->nanosecond, 9);
			int digits = t->frac_digits > 9 ? 9 : t->frac_digits;
			*o++ = '.';
			memcpy(o, frac, (size_t)digits);
			o += digits;
		}
		if (n->type == VC_DOC_DATETIME) {
			int off = t->offset_minutes;
			if (off == 0) {
				*o++ = 'Z';
			} else {
				*o++ = off < 0 ? '-' : '+';
				off = abs(off);
				o = put_digits(o, off / 60, 2);
				*o++ = ':';
				o = put_digits(o, off % 60, 2);
			}
		}
		(void)cap;
		return (size_t)(o - buf);
	}
	}
}

static const char *tag_of(vc_doc_type t)
{
	switch (t) {
	case VC_DOC_STRING:
		return "string";
	case VC_DOC_INTEGER:
		return "integer";
	case VC_DOC_FLOAT:
		return "float";
	case VC_DOC_BOOL:
		return "bool";
	case VC_DOC_DATETIME:
		return "datetime";
	case VC_DOC_DATETIME_LOCAL:
		return "datetime-local";
	case VC_DOC_DATE_LOCAL:
		return "date-local";
	case VC_DOC_TIME_LOCAL:
		return "time-local";
	default:
		return "?";
	}
}

/* The JSON in front of a scalar's value, by type: {"type":"TAG","value":" (copied whole, used
 * up to n). */
struct prefix {
	char s[40];
	unsigned char n;
};
#define PREFIX(tag) {"{\"type\":\"" tag "\",\"value\":\"", sizeof("{\"type\":\"" tag "\",\"value\":\"") - 1}
static const struct prefix prefixes[] = {
    [VC_DOC_STRING] = PREFIX("string"),
    [VC_DOC_INTEGER] = PREFIX("integer"),
    [VC_DOC_FLOAT] = PREFIX("float"),
    [VC_DOC_BOOL] = PREFIX("bool"),
    [VC_DOC_DATETIME] = PREFIX("datetime"),
    [VC_DOC_DATETIME_LOCAL] = PREFIX("datetime-local"),
    [VC_DOC_DATE_LOCAL] = PREFIX("date-local"),
    [VC_DOC_TIME_LOCAL] = PREFIX("time-local"),
};

/* Recursion depth is bounded by the decoder's limits on nesting and dotted keys. */
static void out_node(out_t *o, const vc_doc_node *n)
{
	switch (n->type) {
	case VC_DOC_TABLE:
		out_put(o, "{", 1);
		for (size_t i = 0, len = vc_doc_table_len(n); i < len; i++) {
			const vc_doc_entry *e = &vc_doc_table_entries(n)[i];
			if (i)
				out_put(o, ",", 1);
			out_key(o, e->key, vc_doc_entry_key_len(e));
			out_node(o, e->value);
		}
		out_put(o, "}", 1);
		return;
	case VC_DOC_ARRAY:
		out_put(o, "[", 1);
		for (size_t i = 0, len = vc_doc_array_len(n); i < len; i++) {
			if (i)
				out_put(o, ",", 1);
			out_node(o, vc_doc_array_items(n)[i]);
		}
		out_put(o, "]", 1);
		return;
	case VC_DOC_STRING:
		OUT_LIT(o, "{\"type\":\"string\",\"value\":");
		out_string(o, vc_doc_str(n), vc_doc_str_len(n));
		out_put(o, "}", 1);
		return;
	default: {
		/* Formatted in place: the prefix, the value (at most 96 bytes), the suffix. */
		if (OUT_SIZE - o->n < 160)
			out_flush(o);
		char *w = o->buf + o->n;
		const struct prefix *pre = &prefixes[n->type];
		memcpy(w, pre->s, sizeof(pre->s));
		w += pre->n;
		w += format_scalar(n, w, 96);
		memcpy(w, "\"}", 2);
		o->n = (size_t)(w + 2 - o->buf);
		return;
	}
	}
}

/* ---- jansson output -------------------------------------------------------------------- */

static json_t *to_json(const vc_doc_node *n)
{
	switch (n->type) {
	case VC_DOC_TABLE: {
		json_t *o = json_object();
		for (size_t i = 0; i < vc_doc_table_len(n); i++) {
			const vc_doc_entry *e = &vc_doc_table_entries(n)[i];
			json_object_setn_new_nocheck(o, e->key, vc_doc_entry_key_len(e), to_json(e->value));
		}
		return o;
	}
	case VC_DOC_ARRAY: {
		json_t *a = json_array();
		for (size_t i = 0; i < vc_doc_array_len(n); i++)
			json_array_append_new(a, to_json(vc_doc_array_items(n)[i]));
		return a;
	}
	case VC_DOC_STRING:
		return json_pack("{s:s,s:s%}", "type", "string", "value", vc_doc_str(n),
				 vc_doc_str_len(n));
	default: {
		char v[96];
		size_t len = format_scalar(n, v, sizeof(v));
		return json_pack("{s:s,s:s#}", "type", tag_of(n->type), "value", v, (int)len);
	}
	}
}

/* The tree lives until exit: freeing it just before the process ends is wasted work. A global
 * (not a local the compiler may drop) keeps it reachable, so leak checkers do not report it as
 * definitely lost (valgrind calls the tables' and arrays' storage "possibly lost": doc.c keeps a
 * header in front of it, so the tree points inside those blocks). */
vc_doc_node *decoded_doc;

int main(int argc, char **argv)
{
	bool use_jansson = false, stats = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--jansson") == 0) {
			use_jansson = true;
		} else if (strcmp(argv[i], "--stats") == 0) {
			stats = true;
		} else {
			fprintf(stderr, "usage: toml-decoder [--jansson] [--stats] < FILE.toml\n");
			return 2;
		}
	}
	size_t len = 0;
	char *input = NULL;
	bool failed;
	vc_doc_node *in_doc = read_into_document(0, &input, &len, &failed);
	cleanup_free char *buf = in_doc || failed ? NULL : read_all(0, &len);
	if (!in_doc && !buf) {
		perror("toml-decoder: read");
		return 1;
	}
	cleanup_error vc_error *err = NULL;
	vc_doc_node *doc = in_doc ? vc_toml_parse_input(in_doc, input, len, NULL, &err)
				  : vc_toml_parse(buf, len, NULL, &err);
	decoded_doc = doc;
	if (!doc) {
		cleanup_free char *msg = vc_error_format(err);
		fprintf(stderr, "toml-decoder: %s\n", msg);
		return 1;
	}
	if (stats)
		/* For the benchmark: the size of the tree, which is most of the decoder's memory. */
		fprintf(stderr, "toml-decoder: input %zu bytes, tree %zu bytes in the arena\n", len,
			vc_doc_arena_used(doc));
	if (use_jansson) {
		json_t *j = to_json(doc);
		int rc = json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		putchar('\n');
		return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
	}
	out_t out = {.buf = len >= OUT_ARENA_FROM ? vc_doc_arena_alloc(doc, OUT_SIZE) : small_out};
	out_node(&out, doc);
	out_put(&out, "\n", 1);
	out_flush(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}
