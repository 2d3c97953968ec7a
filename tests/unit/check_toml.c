/* The TOML decoder beyond what the toml-test corpus pins down: exact error positions, limits,
 * 64-bit edges, the tree it builds (positions, order, flags), CRLF, BOM and NUL in strings. */
#include <config.h>
#include "suites.h"
#include "config/toml.h"
#include "util/cleanup.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vc_doc_node *parse(const char *s)
{
	vc_error *err = NULL;
	vc_doc_node *d = vc_toml_parse(s, strlen(s), NULL, &err);
	if (!d) {
		char *m = vc_error_format(err);
		ck_abort_msg("unexpected error: %s", m);
		free(m);
	}
	ck_assert_ptr_null(err);
	return d;
}

/* The formatted error for a document that must be rejected. */
static char *parse_error(const char *s, size_t len, const char *file)
{
	vc_error *err = NULL;
	vc_doc_node *d = vc_toml_parse(s, len, file, &err);
	ck_assert_msg(d == NULL, "document accepted: %s", s);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, VC_ERR_PARSE);
	char *m = vc_error_format(err);
	vc_error_free(err);
	return m;
}

static void expect_error(const char *doc, const char *want)
{
	cleanup_free char *m = parse_error(doc, strlen(doc), NULL);
	ck_assert_msg(strcmp(m, want) == 0, "for %s\n  got:  %s\n  want: %s", doc, m, want);
}

START_TEST(test_error_positions)
{
	expect_error("x = 1\ny = 2\nz = 3\nlong_key_name  =   \n",
		     "4:20: expected a value after '='");
	expect_error("a = 1\na = 2\n", "2:1: duplicate key 'a'");
	expect_error("[t]\n  x.y = 1\n  x.y = 2\n", "3:5: duplicate key 'x.y'");
	expect_error("a = [1, 2,,]\n", "1:11: expected a value, found ','");
	expect_error("a = \"abc\n", "1:5: unterminated string (newline in a single-line string)");
	expect_error("s = \"x\\qy\"\n", "1:7: invalid escape sequence '\\' followed by 'q'");
	expect_error("[a]\nb = 1\n[a]\n", "3:1: table 'a' is already defined");
	expect_error("a = 1 2\n", "1:7: unexpected '2' after value, expected a newline");
	expect_error("a = 0x_1\n", "1:5: invalid number '0x_1'");
	expect_error("a = 2024-02-30\n", "1:5: invalid date 2024-02-30");
	expect_error("a = 1\n# bad \x01 comment\n", "2:7: control character 0x01 in comment");
	expect_error("k = \"\xc3\x28\"\n", "1:6: invalid UTF-8 byte 0xc3");
	expect_error("ok = 1\r\nbad = 1\rx = 2\n",
		     "2:8: carriage return not followed by a newline");
	expect_error("a = {b = 1,}\n", "1:12: trailing comma in inline table");
	expect_error("a = {b = 1}\na.c = 2\n",
		     "2:1: cannot add keys to 'a': inline tables are complete");
	expect_error("[[x]]\n[x]\n", "2:1: table 'x' is already defined");
	expect_error("x = [1]\n[[x]]\n",
		     "2:3: cannot define 'x' as an array of tables: it is a static array");
	/* Multi-line strings: the error line follows the newlines inside the string. */
	expect_error("s = \"\"\"\none\ntwo\"\"\" junk\n",
		     "3:8: unexpected 'j' after value, expected a newline");
	/* With a file name, "file:line:col: ...". */
	cleanup_free char *m = parse_error("a =\n", 4, "conf.toml");
	ck_assert_str_eq(m, "conf.toml:1:4: expected a value after '='");
}
END_TEST

START_TEST(test_deep_nesting_is_an_error)
{
	size_t n = 100000;
	char *doc = malloc(n + 8);
	memcpy(doc, "a = ", 4);
	memset(doc + 4, '[', n);
	cleanup_free char *m = parse_error(doc, n + 4, NULL);
	ck_assert_msg(strstr(m, "nested deeper than") != NULL, "%s", m);
	/* The same with inline tables and with table headers. */
	for (size_t i = 0; i < n / 3; i++)
		memcpy(doc + 4 + i * 3, "{a=", 3);
	cleanup_free char *m2 = parse_error(doc, 4 + n / 3 * 3, NULL);
	ck_assert_msg(strstr(m2, "nested deeper than") != NULL, "%s", m2);
	memset(doc, '[', n);
	cleanup_free char *m3 = parse_error(doc, n, NULL);
	ck_assert_str_eq(m3, "1:3: expected a key, found '['");
	free(doc);

	/* Exactly at the limit is fine. */
	char ok[VC_TOML_MAX_DEPTH * 2 + 16];
	int len = snprintf(ok, sizeof(ok), "a = ");
	for (int i = 0; i < VC_TOML_MAX_DEPTH; i++)
		ok[len++] = '[';
	for (int i = 0; i < VC_TOML_MAX_DEPTH; i++)
		ok[len++] = ']';
	ok[len] = 0;
	cleanup_doc vc_doc_node *d = parse(ok);
	ck_assert_int_eq(vc_doc_table_get(d, "a")->type, VC_DOC_ARRAY);
}
END_TEST

START_TEST(test_long_dotted_key_is_an_error)
{
	size_t parts = 50000;
	char *doc = malloc(parts * 2 + 8);
	size_t len = 0;
	for (size_t i = 0; i < parts; i++) {
		doc[len++] = 'k';
		doc[len++] = '.';
	}
	memcpy(doc + len, "k = 1", 5);
	len += 5;
	cleanup_free char *m = parse_error(doc, len, NULL);
	ck_assert_msg(strstr(m, "dotted parts") != NULL, "%s", m);
	free(doc);
}
END_TEST

START_TEST(test_int64_edges)
{
	cleanup_doc vc_doc_node *d =
	    parse("max = 9_223_372_036_854_775_807\n"
		  "min = -9223372036854775808\n"
		  "hex = 0x7FFF_FFFF_FFFF_FFFF\n"
		  "oct = 0o777777777777777777777\n"
		  "bin = 0b111111111111111111111111111111111111111111111111111111111111111\n"
		  "zero = -0\n");
	ck_assert(vc_doc_table_get(d, "max")->u.integer == INT64_MAX);
	ck_assert(vc_doc_table_get(d, "min")->u.integer == INT64_MIN);
	ck_assert(vc_doc_table_get(d, "hex")->u.integer == INT64_MAX);
	ck_assert(vc_doc_table_get(d, "oct")->u.integer == INT64_MAX);
	ck_assert(vc_doc_table_get(d, "bin")->u.integer == INT64_MAX);
	ck_assert(vc_doc_table_get(d, "zero")->u.integer == 0);
	expect_error("a = 9223372036854775808\n",
		     "1:5: integer '9223372036854775808' does not fit in 64 bits");
	expect_error("a = -9223372036854775809\n",
		     "1:5: integer '-9223372036854775809' does not fit in 64 bits");
	expect_error("a = 0x8000000000000000\n",
		     "1:5: integer '0x8000000000000000' does not fit in 64 bits");
	expect_error("a = 0o1000000000000000000000\n",
		     "1:5: integer '0o1000000000000000000000' does not fit in 64 bits");
	expect_error("a = 99999999999999999999999\n",
		     "1:5: integer '99999999999999999999999' does not fit in 64 bits");
	expect_error("a = -0x1\n", "1:5: a sign is not allowed on '-0x1'");
	expect_error("a = 012\n", "1:5: leading zeros are not allowed in '012'");
}
END_TEST

START_TEST(test_tree_positions_order_flags)
{
	cleanup_doc vc_doc_node *d = parse("# config\n"
					   "zeta = 1\n"
					   "alpha = \"x\"\n"
					   "\n"
					   "[hypervisor.qemu]\n"
					   "  path = '/usr/bin/qemu'\n"
					   "  kernel_params = [\"a\", \"b\"]\n"
					   "  mem = { size = 2048, slots.n = 10 }\n"
					   "[[disk]]\n"
					   "id = 1\n"
					   "[[disk]]\n"
					   "id = 2\n");
	ck_assert_uint_eq(vc_doc_table_len(d), 4);
	ck_assert_str_eq(vc_doc_table_entries(d)[0].key, "zeta");
	ck_assert_str_eq(vc_doc_table_entries(d)[1].key, "alpha");
	ck_assert_str_eq(vc_doc_table_entries(d)[2].key, "hypervisor");
	ck_assert_str_eq(vc_doc_table_entries(d)[3].key, "disk");
	const vc_doc_entry *e = vc_doc_table_entry(d, "alpha", 5);
	ck_assert_int_eq(e->line, 3);
	ck_assert_int_eq(e->col, 1);
	ck_assert_int_eq(e->value->line, 3);
	ck_assert_int_eq(e->value->col, 9);

	vc_doc_node *hv = vc_doc_table_get(d, "hypervisor");
	ck_assert_int_eq(hv->type, VC_DOC_TABLE);
	ck_assert_uint_eq(hv->flags & (VC_TOML_DEFINED | VC_TOML_DOTTED), 0); /* implicit */
	vc_doc_node *q = vc_doc_table_get(hv, "qemu");
	ck_assert(q->flags & VC_TOML_DEFINED);
	ck_assert_int_eq(q->line, 5);
	ck_assert_int_eq(q->col, 1);
	const vc_doc_entry *pe = vc_doc_table_entry(q, "path", 4);
	ck_assert_int_eq(pe->line, 6);
	ck_assert_int_eq(pe->col, 3);
	ck_assert_str_eq(vc_doc_str(pe->value), "/usr/bin/qemu");
	vc_doc_node *kp = vc_doc_table_get(q, "kernel_params");
	ck_assert_int_eq(kp->type, VC_DOC_ARRAY);
	ck_assert(kp->flags & VC_TOML_INLINE);
	ck_assert_uint_eq(vc_doc_array_len(kp), 2);
	ck_assert_int_eq(vc_doc_array_items(kp)[1]->line, 7);
	ck_assert_int_eq(vc_doc_array_items(kp)[1]->col, 25);
	vc_doc_node *mem = vc_doc_table_get(q, "mem");
	ck_assert(mem->flags & VC_TOML_INLINE);
	ck_assert_int_eq(vc_doc_table_get(mem, "size")->u.integer, 2048);
	vc_doc_node *slots = vc_doc_table_get(mem, "slots");
	ck_assert(slots->flags & VC_TOML_DOTTED);
	ck_assert_int_eq(vc_doc_table_get(slots, "n")->u.integer, 10);
	ck_assert_int_eq(vc_doc_table_get(slots, "n")->col, 34);

	vc_doc_node *disk = vc_doc_table_get(d, "disk");
	ck_assert_int_eq(disk->type, VC_DOC_ARRAY);
	ck_assert(disk->flags & VC_TOML_AOT);
	ck_assert_uint_eq(vc_doc_array_len(disk), 2);
	ck_assert_int_eq(vc_doc_table_get(vc_doc_array_items(disk)[1], "id")->u.integer, 2);
	ck_assert_int_eq(vc_doc_array_items(disk)[1]->line, 11);
}
END_TEST

START_TEST(test_scalars_and_datetimes)
{
	cleanup_doc vc_doc_node *d = parse("f = 1e3\n"
					   "g = -inf\n"
					   "odt = 1979-05-27T00:32:00.999999-07:00\n"
					   "ldt = 1979-05-27 07:32:00\n"
					   "ld = 1979-05-27\n"
					   "lt = 00:32:00.5\n"
					   "b = false\n");
	ck_assert(vc_doc_table_get(d, "f")->u.real == 1000.0);
	ck_assert(vc_doc_table_get(d, "g")->u.real < -1e308);
	vc_doc_node *odt = vc_doc_table_get(d, "odt");
	ck_assert_int_eq(odt->type, VC_DOC_DATETIME);
	ck_assert_int_eq(vc_doc_dt(odt)->offset_minutes, -420);
	ck_assert_int_eq(vc_doc_dt(odt)->nanosecond, 999999000);
	ck_assert_int_eq(vc_doc_dt(odt)->frac_digits, 6);
	ck_assert_int_eq(vc_doc_table_get(d, "ldt")->type, VC_DOC_DATETIME_LOCAL);
	ck_assert_int_eq(vc_doc_table_get(d, "ld")->type, VC_DOC_DATE_LOCAL);
	vc_doc_node *lt = vc_doc_table_get(d, "lt");
	ck_assert_int_eq(lt->type, VC_DOC_TIME_LOCAL);
	ck_assert_int_eq(vc_doc_dt(lt)->nanosecond, 500000000);
	ck_assert(!vc_doc_table_get(d, "b")->u.boolean);
	expect_error("a = 1979-05-27T25:00:00Z\n", "1:5: invalid time 25:00:00: out of range");
	expect_error("a = 2023-02-29\n", "1:5: invalid date 2023-02-29");
}
END_TEST

/* The decoder's exact fast path for short decimals must agree with strtod bit for bit. */
START_TEST(test_float_fast_path_matches_strtod)
{
	unsigned seed = 12345;
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned long long m = ((unsigned long long)seed << 20) ^ (seed >> 3);
		m %= (i % 3 == 0) ? 100000000000000000ULL : 10000000ULL;
		int e = (int)(seed % 61) - 30;
		int point = (int)(seed >> 8) % 8;
		char num[64], doc[96];
		snprintf(num, sizeof(num), "%llu", m);
		size_t nl = strlen(num);
		char dec[80];
		if (point > 0 && (size_t)point < nl)
			snprintf(dec, sizeof(dec), "%s%.*s.%se%d", (i & 1) ? "-" : "",
				 (int)(nl - (size_t)point), num, num + nl - (size_t)point, e);
		else
			snprintf(dec, sizeof(dec), "%s%se%d", (i & 1) ? "-" : "", num, e);
		snprintf(doc, sizeof(doc), "x = %s\n", dec);
		cleanup_doc vc_doc_node *d = parse(doc);
		double want = strtod(dec, NULL);
		double got = vc_doc_table_get(d, "x")->u.real;
		ck_assert_msg(memcmp(&want, &got, sizeof(double)) == 0, "%s: %.17g != %.17g", dec,
			      got, want);
	}
}
END_TEST

START_TEST(test_crlf_and_bom)
{
	const char *doc = "\xef\xbb\xbf"
			  "a = \"x\"\r\n"
			  "s = \"\"\"\r\none\r\ntwo\\\r\n   three\"\"\"\r\n"
			  "[t]\r\n"
			  "b = 2 # c\r\n";
	cleanup_doc vc_doc_node *d = parse(doc);
	vc_doc_node *s = vc_doc_table_get(d, "s");
	ck_assert_str_eq(vc_doc_str(s), "one\ntwothree");
	const vc_doc_entry *e = vc_doc_table_entry(vc_doc_table_get(d, "t"), "b", 1);
	ck_assert_int_eq(e->line, 7);
	ck_assert_int_eq(e->col, 1);
	/* The BOM does not count as a column. */
	const vc_doc_entry *a = vc_doc_table_entry(d, "a", 1);
	ck_assert_int_eq(a->line, 1);
	ck_assert_int_eq(a->col, 1);
	/* A BOM anywhere else is just an invalid key character. */
	expect_error("a = 1\n\xef\xbb\xbf"
		     "b = 2\n",
		     "2:1: expected a key, found a non-ASCII character");
}
END_TEST

START_TEST(test_nul_in_strings_and_keys)
{
	cleanup_doc vc_doc_node *d = parse("s = \"a\\u0000b\"\n\"k\\u0000\" = 1\n");
	vc_doc_node *s = vc_doc_table_get(d, "s");
	ck_assert_uint_eq(vc_doc_str_len(s), 3);
	ck_assert(memcmp(vc_doc_str(s), "a\0b", 4) == 0);
	vc_doc_node *k = vc_doc_table_getn(d, "k\0", 2);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->u.integer, 1);
	/* A raw NUL byte is a control character, not a string byte. */
	cleanup_free char *m = parse_error("s = \"a\0b\"\n", 10, NULL);
	ck_assert_str_eq(m, "1:7: control character 0x00 in string");
	/* The buffer need not be NUL-terminated: a document cut mid-token is an error. */
	cleanup_free char *m2 = parse_error("a = tru", 7, NULL);
	ck_assert_str_eq(m2, "1:5: invalid value starting with 't' (strings must be quoted)");
}
END_TEST

START_TEST(test_empty_and_null_err)
{
	/* Fuzzer finding: empty keys used a NULL key buffer (UBSan: NULL + 0, memcpy(NULL, 0)). */
	cleanup_doc vc_doc_node *ek = parse("\"\" = 1\na.''.b = 2\n[t.''.x]\n");
	ck_assert_int_eq(vc_doc_table_getn(ek, "", 0)->u.integer, 1);
	ck_assert_int_eq(
	    vc_doc_table_get(vc_doc_table_get(vc_doc_table_get(ek, "a"), ""), "b")->u.integer, 2);
	vc_doc_node *t = vc_doc_table_getn(vc_doc_table_get(ek, "t"), "", 0);
	ck_assert_ptr_nonnull(vc_doc_table_get(t, "x"));

	cleanup_doc vc_doc_node *d = vc_toml_parse("", 0, NULL, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->type, VC_DOC_TABLE);
	ck_assert_uint_eq(vc_doc_table_len(d), 0);
	/* err may be NULL: failure is then only the NULL result. */
	ck_assert_ptr_null(vc_toml_parse("a =", 3, NULL, NULL));
}
END_TEST

START_TEST(test_positions_beyond_the_column_limit)
{
	/* t = { a = "<2^20 x>", b = 1 } on one line: b's value node lies beyond the 20-bit
	 * column of a node and reads as VC_DOC_COL_MAX; its entry keeps the exact column; an
	 * error there is reported at the exact column. */
	size_t pad = (size_t)1 << 20;
	cleanup_free char *doc = malloc(pad + 64);
	ck_assert_ptr_nonnull(doc);
	size_t n = (size_t)sprintf(doc, "x = 1\nt = { a = \"");
	memset(doc + n, 'x', pad);
	n += pad;
	n += (size_t)sprintf(doc + n, "\", b = 1 }\n");
	int b_col = (int)(n - strlen("1 }\n")) - 6 + 1; /* column of '1' on line 2 */
	cleanup_doc vc_doc_node *d = parse(doc);
	vc_doc_node *t = vc_doc_table_get(d, "t");
	ck_assert_int_eq(t->col, 5);
	const vc_doc_entry *e = vc_doc_table_entry(t, "b", 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->line, 2);
	ck_assert_int_eq(e->col, b_col - 4); /* "b = 1": the key 4 bytes before the value */
	ck_assert_int_eq(e->value->line, 2);
	ck_assert_int_eq(e->value->col, VC_DOC_COL_MAX);
	ck_assert_int_eq(e->value->u.integer, 1);
	/* The same line with the value missing: the error names the exact column. */
	strcpy(doc + n - strlen("1 }\n"), "}\n");
	cleanup_free char *m = parse_error(doc, strlen(doc), NULL);
	char want[64];
	snprintf(want, sizeof(want), "2:%d: expected a value, found '}'", b_col);
	ck_assert_str_eq(m, want);
}
END_TEST

/* Two trees hold the same values at the same positions, keys in the same order and the same
 * producer flags. */
static void expect_same_tree(const vc_doc_node *a, const vc_doc_node *b)
{
	ck_assert_int_eq(a->type, b->type);
	ck_assert_int_eq(a->line, b->line);
	ck_assert_int_eq(a->col, b->col);
	ck_assert_uint_eq(a->flags & ~VC_DOC_FLAGS_INTERNAL, b->flags & ~VC_DOC_FLAGS_INTERNAL);
	switch (a->type) {
	case VC_DOC_TABLE:
		ck_assert_uint_eq(vc_doc_table_len(a), vc_doc_table_len(b));
		for (size_t i = 0; i < vc_doc_table_len(a); i++) {
			const vc_doc_entry *x = &vc_doc_table_entries(a)[i],
					   *y = &vc_doc_table_entries(b)[i];
			ck_assert_uint_eq(vc_doc_entry_key_len(x), vc_doc_entry_key_len(y));
			ck_assert(memcmp(x->key, y->key, vc_doc_entry_key_len(x) + 1) == 0);
			ck_assert_int_eq(x->line, y->line);
			ck_assert_int_eq(x->col, y->col);
			expect_same_tree(x->value, y->value);
		}
		break;
	case VC_DOC_ARRAY:
		ck_assert_uint_eq(vc_doc_array_len(a), vc_doc_array_len(b));
		for (size_t i = 0; i < vc_doc_array_len(a); i++)
			expect_same_tree(vc_doc_array_items(a)[i], vc_doc_array_items(b)[i]);
		break;
	case VC_DOC_STRING:
		ck_assert_uint_eq(vc_doc_str_len(a), vc_doc_str_len(b));
		ck_assert(memcmp(vc_doc_str(a), vc_doc_str(b), vc_doc_str_len(a) + 1) == 0);
		break;
	case VC_DOC_INTEGER:
		ck_assert(a->u.integer == b->u.integer);
		break;
	case VC_DOC_FLOAT:
		ck_assert(memcmp(&a->u.real, &b->u.real, sizeof(double)) == 0);
		break;
	case VC_DOC_BOOL:
		ck_assert(a->u.boolean == b->u.boolean);
		break;
	default:
		ck_assert(memcmp(vc_doc_dt(a), vc_doc_dt(b), sizeof(vc_doc_datetime)) == 0);
		break;
	}
}

/* Does any node of the tree lie in [lo, hi)? */
static bool tree_in_range(const vc_doc_node *n, const char *lo, const char *hi)
{
	if ((const char *)n >= lo && (const char *)n < hi)
		return true;
	if (n->type == VC_DOC_TABLE)
		for (size_t i = 0; i < vc_doc_table_len(n); i++)
			if (tree_in_range(vc_doc_table_entries(n)[i].value, lo, hi))
				return true;
	if (n->type == VC_DOC_ARRAY)
		for (size_t i = 0; i < vc_doc_array_len(n); i++)
			if (tree_in_range(vc_doc_array_items(n)[i], lo, hi))
				return true;
	return false;
}

/* A document of about `kib` KiB exercising every kind of statement, in a malloc'd string. */
static char *big_document(size_t kib)
{
	size_t cap = kib * 1024 + 4096, n = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	n += (size_t)snprintf(s + n, cap - n,
			      "\xef\xbb\xbftitle = \"big\"\r\n[owner]\nname = 'x'\n");
	for (int i = 0; n + 1024 < kib * 1024; i++)
		n += (size_t)snprintf(
		    s + n, cap - n,
		    "[[servers]]\nname = \"srv-%d\" # comment\nports = [ %d, %d,\n  %d ]\n"
		    "w = %d.5e-3\nup = %s\nat = 2026-11-%02dT%02d:30:00.%03d+02:00\nday = "
		    "2026-01-%02d\n"
		    "t = 07:%02d:00\nowner = { name = \"o%d\", groups = [\"wheel\"] }\n"
		    "notes = \"\"\"\nline %d \\\n   more\"\"\"\nlit = '''x%d'''\n"
		    "[servers.limits]\ncpu = %d\nio.read = 0x%x\n'quoted key' = \"\\u00e9\"\n\n",
		    i, i, i + 1, i + 2, i, i % 2 ? "true" : "false", 1 + i % 28, i % 24, i % 1000,
		    1 + i % 28, i % 60, i, i, i, i % 64, i);
	s[n] = 0;
	return s;
}

/* vc_toml_parse_input (the input in the document's arena, recycled for the tree as the parse
 * goes) gives what vc_toml_parse gives: the same tree, or the same error. reused: whether the
 * tree must have nodes where the input was. */
static void expect_same_as_parse_input(const char *doc, size_t len, bool reused)
{
	vc_error *e1 = NULL, *e2 = NULL;
	cleanup_doc vc_doc_node *d1 = vc_toml_parse(doc, len, "f.toml", &e1);
	char *input = NULL;
	vc_doc_node *root = vc_toml_input_document(len, &input);
	ck_assert_ptr_nonnull(input);
	memcpy(input, doc, len);
	cleanup_doc vc_doc_node *d2 = vc_toml_parse_input(root, input, len, "f.toml", &e2);
	if (!d1) {
		ck_assert_ptr_null(d2);
		cleanup_free char *m1 = vc_error_format(e1);
		cleanup_free char *m2 = vc_error_format(e2);
		ck_assert_str_eq(m1, m2);
		vc_error_free(e1);
		vc_error_free(e2);
		return;
	}
	ck_assert_ptr_nonnull(d2);
	ck_assert_ptr_null(e2);
	expect_same_tree(d1, d2);
	ck_assert_uint_eq(vc_doc_arena_used(d1), vc_doc_arena_used(d2));
	ck_assert_msg(tree_in_range(d2, input, input + len) == reused, "len %zu reused %d", len,
		      reused);
}

START_TEST(test_parse_input_recycles_the_input)
{
	/* Small (the arena grows in small chunks) and large (one reservation, huge pages). */
	const size_t sizes[] = {2, 40, 400};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		cleanup_free char *doc = big_document(sizes[k]);
		size_t len = strlen(doc);
		expect_same_as_parse_input(doc, len, true);
		/* Errors found late, naming keys and tables defined long before, read the same. */
		const char *tails[] = {
		    "[owner]\n",		   /* table defined before */
		    "[servers.limits]\ncpu = 1\n", /* duplicate key in the last element */
		    "cpu.x = 1\n",		   /* not a table (in the last [servers.limits]) */
		    "x = [1, 2\n",		   /* unterminated array, reported where it opens */
		    "s = \"\"\"\nnever closed\n",  /* unterminated multi-line string */
		    "bad = \xff\n",		   /* invalid UTF-8, found before parsing */
		};
		for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
			cleanup_free char *bad = malloc(len + 64);
			ck_assert_ptr_nonnull(bad);
			memcpy(bad, doc, len);
			strcpy(bad + len, tails[t]);
			expect_same_as_parse_input(bad, strlen(bad), false);
		}
	}

	/* Documents shorter than one recycling step reuse nothing. */
	expect_same_as_parse_input("a = 1\n[t]\nb = [1, 2]\n", 20, false);
	expect_same_as_parse_input("x", 1, false);
}
END_TEST

Suite *toml_suite(void)
{
	Suite *s = suite_create("toml");
	TCase *tc = tcase_create("decoder");
	tcase_add_test(tc, test_error_positions);
	tcase_add_test(tc, test_deep_nesting_is_an_error);
	tcase_add_test(tc, test_long_dotted_key_is_an_error);
	tcase_add_test(tc, test_int64_edges);
	tcase_add_test(tc, test_tree_positions_order_flags);
	tcase_add_test(tc, test_scalars_and_datetimes);
	tcase_add_test(tc, test_float_fast_path_matches_strtod);
	tcase_add_test(tc, test_crlf_and_bom);
	tcase_add_test(tc, test_nul_in_strings_and_keys);
	tcase_add_test(tc, test_empty_and_null_err);
	tcase_add_test(tc, test_parse_input_recycles_the_input);
	tcase_add_test(tc, test_positions_beyond_the_column_limit);
	suite_add_tcase(s, tc);
	return s;
}
