/* The YAML loader: scalar resolution, positions, anchors and aliases, and the strict rules. */
#include <config.h>
#include "suites.h"
#include "config/yaml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static vc_doc_node *parse(const char *s, vc_error **err)
{
	return vc_yaml_parse(s, strlen(s), "t.yaml", err);
}

/* Parses "k: VALUE" and returns the value node (the root stays alive in *root). */
static const vc_doc_node *value_of(const char *text, vc_doc_node **root)
{
	vc_error *err = NULL;
	*root = parse(text, &err);
	if (!*root) {
		char *m = vc_error_format(err);
		ck_abort_msg("parse failed: %s", m);
	}
	const vc_doc_node *v = vc_doc_table_get(*root, "k");
	ck_assert_ptr_nonnull(v);
	return v;
}

static char *first_error(const char *text)
{
	vc_error *err = NULL;
	vc_doc_node *root = parse(text, &err);
	ck_assert_ptr_null(root);
	ck_assert_ptr_nonnull(err);
	char *s = vc_error_format(err);
	vc_error_free(err);
	return s;
}

START_TEST(test_scalars)
{
	static const struct {
		const char *text;
		vc_doc_type type;
		int64_t i;
		double f;
		const char *s;
	} cases[] = {
	    {"k: 42", VC_DOC_INTEGER, 42, 0, NULL},
	    {"k: -7", VC_DOC_INTEGER, -7, 0, NULL},
	    {"k: +7", VC_DOC_INTEGER, 7, 0, NULL},
	    {"k: 0x1F", VC_DOC_INTEGER, 31, 0, NULL},
	    {"k: 0o17", VC_DOC_INTEGER, 15, 0, NULL},
	    {"k: 9223372036854775807", VC_DOC_INTEGER, INT64_MAX, 0, NULL},
	    {"k: 1.5", VC_DOC_FLOAT, 0, 1.5, NULL},
	    {"k: -2e3", VC_DOC_FLOAT, 0, -2000, NULL},
	    {"k: .5", VC_DOC_FLOAT, 0, 0.5, NULL},
	    {"k: true", VC_DOC_BOOL, 1, 0, NULL},
	    {"k: False", VC_DOC_BOOL, 0, 0, NULL},
	    {"k: yes", VC_DOC_STRING, 0, 0, "yes"},
	    {"k: off", VC_DOC_STRING, 0, 0, "off"},
	    {"k: Y", VC_DOC_STRING, 0, 0, "Y"},
	    {"k: \"true\"", VC_DOC_STRING, 0, 0, "true"},
	    {"k: '42'", VC_DOC_STRING, 0, 0, "42"},
	    {"k: 1_000", VC_DOC_STRING, 0, 0, "1_000"},
	    {"k: 0b101", VC_DOC_STRING, 0, 0, "0b101"},
	    {"k: 1.2.3", VC_DOC_STRING, 0, 0, "1.2.3"},
	    {"k: 1e", VC_DOC_STRING, 0, 0, "1e"},
	    {"k: !!str 12", VC_DOC_STRING, 0, 0, "12"},
	    {"k: !!int 12", VC_DOC_INTEGER, 12, 0, NULL},
	    {"k: !!float 12", VC_DOC_FLOAT, 0, 12, NULL},
	    {"k: ! 12", VC_DOC_STRING, 0, 0, "12"},
	    {"k: /usr/bin/qemu", VC_DOC_STRING, 0, 0, "/usr/bin/qemu"},
	    {"k: a: b", VC_DOC_STRING, 0, 0, NULL}, /* an error in YAML: checked below */
	};
	for (size_t i = 0; i + 1 < sizeof(cases) / sizeof(cases[0]); i++) {
		vc_doc_node *root;
		const vc_doc_node *v = value_of(cases[i].text, &root);
		ck_assert_msg(v->type == cases[i].type, "%s: type %s", cases[i].text,
			      vc_doc_type_name(v->type));
		if (v->type == VC_DOC_INTEGER)
			ck_assert_int_eq(v->u.integer, cases[i].i);
		else if (v->type == VC_DOC_FLOAT)
			ck_assert_double_eq_tol(v->u.real, cases[i].f, 1e-9);
		else if (v->type == VC_DOC_BOOL)
			ck_assert_int_eq(v->u.boolean, cases[i].i);
		else
			ck_assert_str_eq(vc_doc_str(v), cases[i].s);
		vc_doc_free(root);
	}
	vc_doc_node *root;
	const vc_doc_node *v = value_of("k: .inf", &root);
	ck_assert(isinf(v->u.real) && v->u.real > 0);
	vc_doc_free(root);
	v = value_of("k: -.Inf", &root);
	ck_assert(isinf(v->u.real) && v->u.real < 0);
	vc_doc_free(root);
	v = value_of("k: .nan", &root);
	ck_assert(isnan(v->u.real));
	vc_doc_free(root);
}
END_TEST

START_TEST(test_positions)
{
	vc_error *err = NULL;
	vc_doc_node *root =
	    parse("# c\nhv:\n  qemu:\n    kernel: /k\n    list: [a, \"b\"]\n", &err);
	ck_assert_ptr_nonnull(root);
	const vc_doc_entry *e = vc_doc_table_entry(root, "hv", 2);
	ck_assert_int_eq(e->line, 2);
	ck_assert_int_eq(e->col, 1);
	const vc_doc_node *q = vc_doc_table_get(e->value, "qemu");
	const vc_doc_entry *k = vc_doc_table_entry(q, "kernel", 6);
	ck_assert_int_eq(k->line, 4);
	ck_assert_int_eq(k->col, 5);
	ck_assert_int_eq(k->value->line, 4);
	ck_assert_int_eq(k->value->col, 13);
	const vc_doc_node *l = vc_doc_table_get(q, "list");
	ck_assert_int_eq(l->type, VC_DOC_ARRAY);
	ck_assert_uint_eq(vc_doc_array_len(l), 2);
	ck_assert_int_eq(vc_doc_array_items(l)[1]->line, 5);
	ck_assert_int_eq(vc_doc_array_items(l)[1]->col, 15);
	vc_doc_free(root);

	/* columns count bytes, as in TOML: "é" is two bytes; also after a CRLF break */
	root = parse("a: 1\r\nk: ['\xc3\xa9\xc3\xa9', x]\n", &err);
	ck_assert_ptr_nonnull(root);
	const vc_doc_node *arr = vc_doc_table_get(root, "k");
	ck_assert_int_eq(vc_doc_array_items(arr)[1]->line, 2);
	ck_assert_int_eq(vc_doc_array_items(arr)[1]->col, 13);
	vc_doc_free(root);
	char *msg = first_error("k: '\xc3\xa9'\nk: 2\n");
	ck_assert_str_eq(msg, "t.yaml:2:1: duplicate key 'k' (first set at line 1, column 1)");
	free(msg);
	msg = first_error("k: ['\xc3\xa9', *nope]\n");
	ck_assert_str_eq(msg,
			 "t.yaml:1:11: unknown alias '*nope' (anchors must be defined before use)");
	free(msg);
}
END_TEST

START_TEST(test_anchors_aliases_merge)
{
	vc_error *err = NULL;
	vc_doc_node *root = parse("base: &b {x: 1, y: 2}\n"
				  "s: &s hello\n"
				  "c:\n"
				  "  <<: *b\n"
				  "  y: 3\n"
				  "d: *s\n"
				  "e:\n"
				  "  <<: [*b, {z: 4}]\n",
				  &err);
	ck_assert_ptr_nonnull(root);
	const vc_doc_node *c = vc_doc_table_get(root, "c");
	ck_assert_int_eq(vc_doc_table_get(c, "x")->u.integer, 1);
	ck_assert_int_eq(vc_doc_table_get(c, "y")->u.integer, 3); /* explicit key wins */
	ck_assert_ptr_null(vc_doc_table_get(c, "<<"));
	const vc_doc_node *d = vc_doc_table_get(root, "d");
	ck_assert_str_eq(vc_doc_str(d), "hello");
	ck_assert_int_eq(d->line, 6); /* an alias is positioned where it is written */
	ck_assert_int_eq(d->col, 4);
	const vc_doc_node *e = vc_doc_table_get(root, "e");
	ck_assert_int_eq(vc_doc_table_get(e, "z")->u.integer, 4);
	ck_assert_int_eq(vc_doc_table_get(e, "y")->u.integer, 2);
	vc_doc_free(root);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
	    {"a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a' (first set at line 1, column 1)"},
	    {"a: *x\n", "t.yaml:1:4: unknown alias '*x' (anchors must be defined before use)"},
	    {"a: &x [*x]\n", "t.yaml:1:8: unknown alias '*x' (anchors must be defined before use)"},
	    {"a: ~\n", "t.yaml:1:4: null values are not allowed (write \"\" for an empty string)"},
	    {"a:\n", "t.yaml:1:3: null values are not allowed (write \"\" for an empty string)"},
	    {"- 1\n- 2\n", "t.yaml:1:1: the top of a configuration must be a mapping"},
	    {"a: 1\n---\nb: 2\n", "t.yaml:2:1: more than one YAML document"},
	    {"a: 99999999999999999999\n",
	     "t.yaml:1:4: integer '99999999999999999999' does not fit in 64 bits"},
	    {"? [a]\n: 1\n", "t.yaml:1:3: mapping keys must be plain strings"},
	    {"a: !!int abc\n", "t.yaml:1:4: value 'abc' does not match its tag '!!int'"},
	    {"a: !foo x\n", "t.yaml:1:4: unsupported tag '!foo'"},
	    {"a: <<\nb: {<<: 1}\n", "t.yaml:2:5: '<<' merges mappings, not a integer"},
	    {"a: [1, 2\n",
	     "t.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = first_error(cases[i].text);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "%s: got '%s', want '%s'",
			      cases[i].text, got, cases[i].want);
		free(got);
	}
}
END_TEST

START_TEST(test_limits)
{
	/* nesting */
	char deep[200];
	strcpy(deep, "a: ");
	for (int i = 0; i < 80; i++)
		strcat(deep, "[");
	char *got = first_error(deep);
	ck_assert_str_eq(got, "t.yaml:1:67: nesting deeper than 64 levels");
	free(got);
	/* alias expansion ("billion laughs") */
	const char *bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
			   "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
			   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
			   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
			   "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
	got = first_error(bomb);
	ck_assert_msg(strstr(got, "aliases expand to more than 100000 nodes"), "%s", got);
	free(got);
}
END_TEST

START_TEST(test_empty_and_bytes)
{
	vc_error *err = NULL;
	vc_doc_node *root = parse("", &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(root->type, VC_DOC_TABLE);
	ck_assert_uint_eq(vc_doc_table_len(root), 0);
	vc_doc_free(root);
	root = parse("# only a comment\n", &err);
	ck_assert_ptr_nonnull(root);
	vc_doc_free(root);
	/* a quoted NUL stays in the string with its length */
	root = parse("k: \"a\\0b\"\n", &err);
	ck_assert_ptr_nonnull(root);
	const vc_doc_node *v = vc_doc_table_get(root, "k");
	ck_assert_uint_eq(vc_doc_str_len(v), 3);
	vc_doc_free(root);
	/* invalid UTF-8 is a parse error, not a crash */
	const char bad[] = "k: \xff\xfe\n";
	root = vc_yaml_parse(bad, sizeof(bad) - 1, NULL, &err);
	ck_assert_ptr_null(root);
	ck_assert_ptr_nonnull(err);
	vc_error_free(err);
}
END_TEST

Suite *yaml_suite(void)
{
	Suite *s = suite_create("yaml");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_scalars);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_anchors_aliases_merge);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_empty_and_bytes);
	suite_add_tcase(s, tc);
	return s;
}
