#include <config.h>
#include "config/params.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void vc_params_init(vc_params *p)
{
	p->items = NULL;
	p->n = p->cap = 0;
}

void vc_params_free(vc_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	vc_params_init(p);
}

static void push(vc_params *p, const char *key, size_t klen, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->items = xreallocarray(p->items, p->cap, sizeof(vc_param));
	}
	p->items[p->n].key = xstrndup(key, klen);
	p->items[p->n].value = value ? xstrdup(value) : NULL;
	p->n++;
}

int vc_params_add(vc_params *p, const char *key, const char *value, vc_error **err)
{
	if (!key || !*key)
		return vc_error_set(err, VC_ERR_CONFIG, "kernel parameter with an empty key%s%s%s",
				    value ? " (value '" : "", value ? value : "",
				    value ? "')" : "");
	push(p, key, strlen(key), value);
	return 0;
}

void vc_params_append_all(vc_params *dst, const vc_params *src)
{
	for (size_t i = 0; i < src->n; i++)
		push(dst, src->items[i].key, strlen(src->items[i].key), src->items[i].value);
}

void vc_params_deserialize(vc_params *p, const char *s)
{
	while (s && *s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		const char *end = s;
		while (*end && *end != ' ' && *end != '\t' && *end != '\n')
			end++;
		const char *eq = memchr(s, '=', (size_t)(end - s));
		if (eq) {
			char *value = xstrndup(eq + 1, (size_t)(end - eq - 1));
			push(p, s, (size_t)(eq - s), value);
			free(value);
		} else {
			push(p, s, (size_t)(end - s), NULL);
		}
		s = end;
	}
}

void vc_params_serialize(const vc_params *p, const char *delim, vc_argv *out)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *k = p->items[i].key ? p->items[i].key : "";
		const char *v = p->items[i].value ? p->items[i].value : "";
		if (!*k && !*v)
			continue;
		if (!*v) {
			vc_argv_append(out, k);
		} else if (!*k) {
			vc_argv_append(out, v);
		} else if (!delim || !*delim) {
			vc_argv_append(out, k);
			vc_argv_append(out, v);
		} else {
			vc_argv_appendf(out, "%s%s%s", k, delim, v);
		}
	}
}

char *vc_params_join(const vc_params *p)
{
	vc_argv items = VC_ARGV_INIT;
	vc_params_serialize(p, "=", &items);
	size_t len = 1;
	for (size_t i = 0; i < items.n; i++)
		len += strlen(items.v[i]) + 1;
	char *out = xmalloc(len);
	out[0] = '\0';
	char *w = out;
	for (size_t i = 0; i < items.n; i++) {
		if (i)
			*w++ = ' ';
		size_t l = strlen(items.v[i]);
		memcpy(w, items.v[i], l);
		w += l;
		*w = '\0';
	}
	vc_argv_free(&items);
	return out;
}
