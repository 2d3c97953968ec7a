/* toml-compare EXPECTED.json ACTUAL.json: exit 0 when the two toml-test tagged JSON documents
 * hold the same values, 1 (with the path of the first difference on stderr) when they do not,
 * 2 on unreadable input. Values are compared, not text: integers and floats numerically (nan
 * equals nan), offset date-times by instant, local date/times field by field. */
#include <config.h>

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path[4096];

/* Reports the first difference: "PATH: WHAT: expected E, got A". */
static int differ(const char *what, const char *e, const char *a)
{
	fprintf(stderr, "%s: %s: expected %s, got %s\n", path[0] ? path : "(root)", what, e, a);
	return 0;
}

typedef struct {
	bool has_date, has_time, has_off;
	int y, mo, d, h, mi, s;
	long ns;
	int off; /* minutes */
} dt_t;

static bool num(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool parse_dt(const char *s, dt_t *t)
{
	memset(t, 0, sizeof(*t));
	const char *p = s;
	if (strlen(p) >= 10 && p[4] == '-') {
		if (!num(&p, 4, &t->y) || *p++ != '-' || !num(&p, 2, &t->mo) || *p++ != '-' ||
		    !num(&p, 2, &t->d))
			return false;
		t->has_date = true;
		if (*p == 'T' || *p == 't' || *p == ' ')
			p++;
		else
			return *p == 0;
	}
	if (!num(&p, 2, &t->h) || *p++ != ':' || !num(&p, 2, &t->mi) || *p++ != ':' ||
	    !num(&p, 2, &t->s))
		return false;
	t->has_time = true;
	if (*p == '.') {
		p++;
		long scale = 100000000;
		while (*p >= '0' && *p <= '9') {
			t->ns += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		t->has_off = true;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (!num(&p, 2, &oh) || *p++ != ':' || !num(&p, 2, &om))
			return false;
		t->has_off = true;
		t->off = sign * (oh * 60 + om);
	}
	return *p == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool scalar_equal(const char *type, const char *a, const char *b)
{
	if (strcmp(type, "string") == 0 || strcmp(type, "bool") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(type, "integer") == 0) {
		char *ea, *eb;
		long long x = strtoll(a, &ea, 10), y = strtoll(b, &eb, 10);
		return !*ea && !*eb && x == y;
	}
	if (strcmp(type, "float") == 0) {
		char *ea, *eb;
		double x = strtod(a, &ea), y = strtod(b, &eb);
		if (*ea || *eb)
			return false;
		if (isnan(x) || isnan(y))
			return isnan(x) && isnan(y);
		return x == y;
	}
	dt_t x, y;
	if (!parse_dt(a, &x) || !parse_dt(b, &y))
		return false;
	if (x.has_date != y.has_date || x.has_time != y.has_time || x.has_off != y.has_off)
		return false;
	if (strcmp(type, "datetime") == 0) {
		if (!x.has_off)
			return false;
		int64_t sx = (days_from_civil(x.y, x.mo, x.d) * 24 + x.h) * 3600 + x.mi * 60 + x.s -
			     x.off * 60;
		int64_t sy = (days_from_civil(y.y, y.mo, y.d) * 24 + y.h) * 3600 + y.mi * 60 + y.s -
			     y.off * 60;
		return sx == sy && x.ns == y.ns;
	}
	return x.y == y.y && x.mo == y.mo && x.d == y.d && x.h == y.h && x.mi == y.mi &&
	       x.s == y.s && x.ns == y.ns;
}

static bool is_scalar(json_t *o)
{
	return json_is_object(o) && json_object_size(o) == 2 &&
	       json_is_string(json_object_get(o, "type")) &&
	       json_is_string(json_object_get(o, "value"));
}

static bool equal(json_t *e, json_t *a)
{
	size_t plen = strlen(path);
	if (is_scalar(e)) {
		if (!is_scalar(a))
			return differ("kind", json_string_value(json_object_get(e, "type")),
				      "no scalar");
		const char *te = json_string_value(json_object_get(e, "type"));
		const char *ta = json_string_value(json_object_get(a, "type"));
		if (strcmp(te, ta) != 0)
			return differ("type", te, ta);
		const char *ve = json_string_value(json_object_get(e, "value"));
		const char *va = json_string_value(json_object_get(a, "value"));
		if (strcmp(te, "string") == 0) {
			/* Compare with length: strings may contain NUL. */
			json_t *je = json_object_get(e, "value"), *ja = json_object_get(a, "value");
			if (json_string_length(je) != json_string_length(ja) ||
			    memcmp(ve, va, json_string_length(je)) != 0)
				return differ("string", ve, va);
			return true;
		}
		if (!scalar_equal(te, ve, va))
			return differ("value", ve, va);
		return true;
	}
	if (json_is_object(e)) {
		if (!json_is_object(a) || is_scalar(a))
			return differ("kind", "table", "something else");
		if (json_object_size(e) != json_object_size(a))
			return differ("keys", "other keys", "these");
		const char *k;
		json_t *v;
		json_object_foreach(e, k, v)
		{
			json_t *av = json_object_get(a, k);
			snprintf(path + plen, sizeof(path) - plen, "%s%s", plen ? "." : "", k);
			if (!av)
				return differ("key", k, "nothing");
			if (!equal(v, av))
				return false;
			path[plen] = 0;
		}
		return true;
	}
	if (json_is_array(e)) {
		if (!json_is_array(a))
			return differ("kind", "array", "something else");
		if (json_array_size(e) != json_array_size(a))
			return differ("length", "another", "this");
		for (size_t i = 0; i < json_array_size(e); i++) {
			snprintf(path + plen, sizeof(path) - plen, "[%zu]", i);
			if (!equal(json_array_get(e, i), json_array_get(a, i)))
				return false;
			path[plen] = 0;
		}
		return true;
	}
	return differ("kind", "tagged JSON", "other JSON");
}

/* jansson cannot hold NUL in object keys, which toml-test uses ("\u0000" = 1): both files get
 * every \u0000 escape rewritten to U+10FFFF (a noncharacter no case uses) before loading, so
 * keys and strings still compare alike. */
static json_t *load(const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		perror(file);
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		return NULL;
	size_t outcap = n * 2 + 1, o = 0;
	char *out = malloc(outcap);
	for (size_t i = 0; out && i < n; i++) {
		if (buf[i] == '\\' && i + 5 < n && memcmp(buf + i + 1, "u0000", 5) == 0) {
			memcpy(out + o, "\\udbff\\udfff", 12);
			o += 12;
			i += 5;
		} else if (buf[i] == '\\' && i + 1 < n) {
			out[o++] = buf[i++];
			out[o++] = buf[i];
		} else {
			out[o++] = buf[i];
		}
	}
	free(buf);
	if (!out)
		return NULL;
	json_error_t je;
	json_t *j = json_loadb(out, o, 0, &je);
	if (!j)
		fprintf(stderr, "toml-compare: %s: %d:%d: %s\n", file, je.line, je.column, je.text);
	free(out);
	return j;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: toml-compare EXPECTED.json ACTUAL.json\n");
		return 2;
	}
	json_t *e = load(argv[1]);
	if (!e)
		return 2;
	json_t *a = load(argv[2]);
	if (!a) {
		json_decref(e);
		return 2;
	}
	int rc = equal(e, a) ? 0 : 1;
	json_decref(e);
	json_decref(a);
	return rc;
}
