#include <config.h>
#include "suites.h"
#include "util/argv.h"

#include <stdlib.h>
#include <string.h>

START_TEST(test_append_grows_and_terminates)
{
	cleanup_argv vc_argv a = VC_ARGV_INIT;
	for (int i = 0; i < 100; i++)
		vc_argv_appendf(&a, "-arg%d", i);
	ck_assert_uint_eq(a.n, 100);
	ck_assert_str_eq(a.v[0], "-arg0");
	ck_assert_str_eq(a.v[99], "-arg99");
	ck_assert_ptr_null(a.v[100]);
	ck_assert_int_eq(vc_argv_find(&a, "-arg42"), 42);
	ck_assert_int_eq(vc_argv_find(&a, "-nope"), -1);
}
END_TEST

START_TEST(test_append_n_and_take)
{
	cleanup_argv vc_argv a = VC_ARGV_INIT;
	const char *items[] = {"qemu", "-S"};
	vc_argv_append_n(&a, items, 2);
	char *owned = strdup("-nographic");
	vc_argv_append_take(&a, owned);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_ptr_eq(a.v[2], owned);
}
END_TEST

START_TEST(test_quote)
{
	cleanup_argv vc_argv a = VC_ARGV_INIT;
	vc_argv_append(&a, "qemu-system-x86_64");
	vc_argv_append(&a, "-append");
	vc_argv_append(&a, "console=ttyS0 panic=1");
	vc_argv_append(&a, "it's");
	vc_argv_append(&a, "");
	char *s = vc_argv_quote(&a);
	ck_assert_str_eq(s, "qemu-system-x86_64 -append 'console=ttyS0 panic=1' 'it'\\''s' ''");
	free(s);
}
END_TEST

START_TEST(test_free_resets)
{
	vc_argv a = VC_ARGV_INIT;
	vc_argv_append(&a, "x");
	vc_argv_free(&a);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_ptr_null(a.v);
	vc_argv_free(&a); /* idempotent */
}
END_TEST

Suite *argv_suite(void)
{
	Suite *s = suite_create("argv");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_append_grows_and_terminates);
	tcase_add_test(tc, test_append_n_and_take);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_free_resets);
	suite_add_tcase(s, tc);
	return s;
}
