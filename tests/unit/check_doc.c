#include <config.h>
#include "suites.h"
#include "config/doc.h"

#include <stdio.h>
#include <string.h>

START_TEST(test_table_order_and_lookup)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_table_set(t, "b", 1, 1, 1, vc_doc_new_integer(2, 1, 5));
	vc_doc_table_set(t, "a", 1, 2, 1, vc_doc_new_bool(true, 2, 5));
	ck_assert_str_eq(t->u.table.entries[0].key, "b");
	ck_assert_str_eq(t->u.table.entries[1].key, "a");
	ck_assert_int_eq(vc_doc_table_get(t, "b")->u.integer, 2);
	ck_assert_ptr_null(vc_doc_table_get(t, "c"));
	const vc_doc_entry *e = vc_doc_table_entry(t, "a", 1);
	ck_assert_int_eq(e->line, 2);
	ck_assert_int_eq(e->value->col, 5);
}
END_TEST

START_TEST(test_large_table_indexed)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_ptr_null(vc_doc_table_get(t, key));
		vc_doc_table_set(t, key, strlen(key), i + 1, 1, vc_doc_new_integer(i, i + 1, 5));
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(vc_doc_table_get(t, key)->u.integer, i);
	}
	ck_assert(vc_doc_table_remove(t, "k10"));
	ck_assert_ptr_null(vc_doc_table_get(t, "k10"));
	ck_assert_int_eq(vc_doc_table_get(t, "k11")->u.integer, 11);
	ck_assert_uint_eq(t->u.table.n, 4999);
}
END_TEST

START_TEST(test_keys_with_nul)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_table_set(t, "a\0b", 3, 1, 1, vc_doc_new_integer(1, 1, 1));
	ck_assert_ptr_null(vc_doc_table_get(t, "a"));
	ck_assert_ptr_nonnull(vc_doc_table_getn(t, "a\0b", 3));
}
END_TEST

START_TEST(test_clone_and_replace)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_node *arr = vc_doc_new(VC_DOC_ARRAY, 1, 5);
	vc_doc_array_push(arr, vc_doc_new_string("x", 1, 1, 6));
	vc_doc_table_set(t, "list", 4, 1, 1, arr);
	cleanup_doc vc_doc_node *c = vc_doc_clone(t);
	vc_doc_table_replace(t, "list", 9, 1, vc_doc_new_float(1.5, 9, 8));
	ck_assert_int_eq(vc_doc_table_get(t, "list")->type, VC_DOC_FLOAT);
	vc_doc_node *cl = vc_doc_table_get(c, "list");
	ck_assert_int_eq(cl->type, VC_DOC_ARRAY);
	ck_assert_str_eq(cl->u.array.items[0]->u.str.ptr, "x");
	ck_assert_str_eq(vc_doc_type_name(VC_DOC_BOOL), "boolean");
}
END_TEST

Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table_order_and_lookup);
	tcase_add_test(tc, test_large_table_indexed);
	tcase_add_test(tc, test_keys_with_nul);
	tcase_add_test(tc, test_clone_and_replace);
	suite_add_tcase(s, tc);
	return s;
}
