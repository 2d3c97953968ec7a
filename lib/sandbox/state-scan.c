/* A fast reader for the state files vcrun writes (see vc_state_scan in state.h).
 *
 * jansson builds a hash table per object and allocates every key and value: for `list`, which
 * reads one state file per sandbox, that was the largest single cost. The files vcrun writes
 * have one shape (vc_state_to_json): one object of known keys whose strings are plain paths,
 * names and times. This reader takes exactly that shape and gives up on anything else (an
 * escape, a byte outside printable ASCII in a string, an unknown or repeated key, a value of
 * an unexpected type, a number that is not a small integer, bad syntax): the caller then parses
 * with jansson, which gives the same result or the error with its position. The nested values
 * (annotations, vm, devices) are handed to jansson unless they are empty. */
#include <config.h>
#include "sandbox/state.h"
#include "util/xalloc.h"

#include <stddef.h>
#include <string.h>

typedef struct scan {
	const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\t' || *s->p == '\r'))
		s->p++;
}

static bool take(scan *s, char c)
{
	skip_ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

/* A string of printable ASCII without escapes; *v and *len point into the buffer. */
static bool plain_string(scan *s, const char **v, size_t *len)
{
	if (!take(s, '"'))
		return false;
	const char *b = s->p;
	for (; s->p < s->end; s->p++) {
		unsigned char c = (unsigned char)*s->p;
		if (c == '"') {
			*v = b;
			*len = (size_t)(s->p - b);
			s->p++;
			return true;
		}
		if (c == '\\' || c < 0x20 || c >= 0x7f)
			return false;
	}
	return false;
}

/* An integer as jansson reads one (no fraction, no exponent, no leading zero), of at most 18
 * digits so that it cannot overflow. */
static bool small_integer(scan *s, long long *out)
{
	skip_ws(s);
	bool neg = s->p < s->end && *s->p == '-';
	if (neg)
		s->p++;
	const char *d = s->p;
	long long v = 0;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		if (s->p - d == 18)
			return false;
		v = v * 10 + (*s->p - '0');
		s->p++;
	}
	if (s->p == d || (*d == '0' && s->p - d > 1))
		return false;
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		return false;
	*out = neg ? -v : v;
	return true;
}

static bool literal(scan *s, const char *word)
{
	size_t n = strlen(word);
	skip_ws(s);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* An object or array (open is '{' or '['): empty, it is made here; else its text up to the
 * matching bracket goes to jansson, which checks it the way the whole file would be checked. */
static json_t *container(scan *s, char open)
{
	char close = open == '{' ? '}' : ']';
	if (!take(s, open))
		return NULL;
	const char *b = s->p - 1;
	if (take(s, close))
		return open == '{' ? json_object() : json_array();
	int depth = 1;
	bool in_string = false;
	for (; s->p < s->end && depth > 0; s->p++) {
		char c = *s->p;
		if (in_string) {
			if (c == '\\' && ++s->p == s->end)
				return NULL;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	if (depth != 0)
		return NULL;
	json_t *j = json_loadb(b, (size_t)(s->p - b), JSON_REJECT_DUPLICATES, NULL);
	if (j && (open == '{' ? !json_is_object(j) : !json_is_array(j))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Lean mode: a value checked for JSON syntax and skipped, without building it. Not checked
 * (jansson would be): UTF-8, escapes of NUL or lone surrogates, repeated keys. */
static bool skip_value(scan *s, int depth);

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool skip_string(scan *s)
{
	if (!take(s, '"'))
		return false;
	for (; s->p < s->end; s->p++) {
		unsigned char c = (unsigned char)*s->p;
		if (c == '"') {
			s->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++s->p == s->end)
			return false;
		if (*s->p == 'u') {
			for (int i = 0; i < 4; i++) {
				if (++s->p == s->end || !is_hex(*s->p))
					return false;
			}
		} else if (!strchr("\"\\/bfnrt", *s->p) || *s->p == '\0') {
			return false;
		}
	}
	return false;
}

static bool digits(scan *s)
{
	const char *b = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > b;
}

static bool skip_number(scan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	const char *b = s->p;
	if (!digits(s) || (*b == '0' && s->p - b > 1))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!digits(s))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!digits(s))
			return false;
	}
	return true;
}

static bool skip_value(scan *s, int depth)
{
	skip_ws(s);
	if (s->p == s->end || depth > 32)
		return false;
	char c = *s->p;
	if (c == '"')
		return skip_string(s);
	if (c == '-' || (c >= '0' && c <= '9'))
		return skip_number(s);
	if (c != '{' && c != '[')
		return literal(s, "true") || literal(s, "false") || literal(s, "null");
	char close = c == '{' ? '}' : ']';
	s->p++;
	if (take(s, close))
		return true;
	do {
		if (c == '{' && (!skip_string(s) || !take(s, ':')))
			return false;
		if (!skip_value(s, depth + 1))
			return false;
	} while (take(s, ','));
	return take(s, close);
}

enum kind { K_STRING, K_PID, K_PID_START, K_BOOL, K_OBJECT, K_ARRAY };

#define KEY(name, kind, field)                                                                     \
	{                                                                                          \
		name, sizeof(name) - 1, kind, offsetof(vc_sandbox_state, field)                    \
	}
static const struct {
	const char *name;
	size_t len;
	enum kind kind;
	size_t off;
} keys[] = {
    KEY("id", K_STRING, id),
    KEY("bundle", K_STRING, bundle),
    KEY("hypervisor", K_STRING, hypervisor),
    KEY("created", K_STRING, created),
    KEY("pid", K_PID, pid),
    KEY("pid_start", K_PID_START, pid_start),
    KEY("create_done", K_BOOL, create_done),
    KEY("status", K_STRING, status),
    KEY("qmp_socket", K_STRING, qmp_socket),
    KEY("console_socket", K_STRING, console_socket),
    KEY("console_log", K_STRING, console_log),
    KEY("hypervisor_log", K_STRING, hypervisor_log),
    KEY("oci_console_socket", K_STRING, oci_console_socket),
    KEY("console_tty", K_STRING, console_tty),
    KEY("annotations", K_OBJECT, annotations),
    KEY("vm", K_OBJECT, vm),
    KEY("devices", K_ARRAY, devices),
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* hint: where to look first (the keys come in the table's order in the files vcrun writes) */
static int key_index(const char *k, size_t len, size_t hint)
{
	for (size_t n = 0; n < N_KEYS; n++) {
		size_t i = (hint + n) % N_KEYS;
		if (keys[i].len == len && memcmp(keys[i].name, k, len) == 0)
			return (int)i;
	}
	return -1;
}

/* One member's value into its field; false when it is not of the shape vcrun writes. */
static bool member(scan *s, size_t k, bool lean, vc_sandbox_state *st)
{
	void *field = (char *)st + keys[k].off;
	const char *v;
	size_t len;
	long long n;
	switch (keys[k].kind) {
	case K_STRING:
		if (!plain_string(s, &v, &len))
			return false;
		*(char **)field = xstrndup(v, len);
		return true;
	case K_PID:
		if (!small_integer(s, &n))
			return false;
		*(pid_t *)field = (pid_t)n;
		return true;
	case K_PID_START:
		if (!small_integer(s, &n))
			return false;
		*(uint64_t *)field = (uint64_t)n;
		return true;
	case K_BOOL:
		if (literal(s, "true"))
			*(bool *)field = true;
		else if (!literal(s, "false"))
			return false;
		return true;
	case K_OBJECT:
	case K_ARRAY:
		if (lean && (field == &st->vm || field == &st->devices)) {
			skip_ws(s);
			return s->p < s->end && *s->p == (keys[k].kind == K_OBJECT ? '{' : '[') &&
			       skip_value(s, 0);
		}
		*(json_t **)field = container(s, keys[k].kind == K_OBJECT ? '{' : '[');
		return *(json_t **)field != NULL;
	}
	return false;
}

static bool scan_state(scan *s, bool lean, vc_sandbox_state *st)
{
	bool seen[N_KEYS] = {false};
	size_t next = 0;
	if (!take(s, '{'))
		return false;
	if (!take(s, '}')) {
		do {
			const char *k;
			size_t len;
			if (!plain_string(s, &k, &len) || !take(s, ':'))
				return false;
			int i = key_index(k, len, next);
			if (i < 0 || seen[i])
				return false;
			seen[i] = true;
			next = (size_t)i + 1;
			if (!member(s, (size_t)i, lean, st))
				return false;
		} while (take(s, ','));
		if (!take(s, '}'))
			return false;
	}
	skip_ws(s);
	/* jansson: the id and the pid are required (else an error it words); nothing may follow */
	if (s->p != s->end || !st->id || !seen[key_index("pid", 3, 0)])
		return false;
	if (!st->annotations)
		st->annotations = json_object();
	if (!st->vm)
		st->vm = json_object();
	if (!st->devices)
		st->devices = json_array();
	return true;
}

int vc_state_scan(const char *buf, size_t len, bool lean, vc_sandbox_state *st)
{
	memset(st, 0, sizeof(*st));
	scan s = {buf, buf + len};
	if (scan_state(&s, lean, st))
		return 0;
	vc_state_clear(st);
	return -1;
}
