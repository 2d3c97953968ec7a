#include <config.h>
#include "suites.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int fails_with_position(vc_error **err)
{
	return vc_error_set_pos(err, VC_ERR_PARSE, "conf.toml", 4, 18,
				"expected a value after '%c'", '=');
}

START_TEST(test_set_and_format)
{
	cleanup_error vc_error *err = NULL;
	ck_assert_int_eq(vc_error_set(&err, VC_ERR_CONFIG, "bad value '%s'", "x"), -1);
	ck_assert_int_eq(err->code, VC_ERR_CONFIG);
	char *s = vc_error_format(err);
	ck_assert_str_eq(s, "bad value 'x'");
	free(s);
}
END_TEST

START_TEST(test_position)
{
	cleanup_error vc_error *err = NULL;
	ck_assert_int_lt(fails_with_position(&err), 0);
	char *s = vc_error_format(err);
	ck_assert_str_eq(s, "conf.toml:4:18: expected a value after '='");
	free(s);
	vc_error *e2 = NULL;
	vc_error_set_pos(&e2, VC_ERR_PARSE, NULL, 2, 3, "oops");
	s = vc_error_format(e2);
	ck_assert_str_eq(s, "2:3: oops");
	free(s);
	vc_error_free(e2);
}
END_TEST

START_TEST(test_wrap_and_chain)
{
	cleanup_error vc_error *err = NULL;
	vc_error_set(&err, VC_ERR_CONFIG, "first");
	vc_error_set(&err, VC_ERR_CONFIG, "second");
	ck_assert_uint_eq(vc_error_count(err), 2);
	vc_error_wrap(&err, "load config");
	ck_assert_str_eq(err->msg, "load config: first");
	ck_assert_str_eq(err->next->msg, "load config: second");

	vc_error *other = NULL;
	vc_error_set(&other, VC_ERR_IO, "third");
	vc_error_append(&err, &other);
	ck_assert_ptr_null(other);
	ck_assert_uint_eq(vc_error_count(err), 3);
}
END_TEST

START_TEST(test_errno)
{
	cleanup_error vc_error *err = NULL;
	vc_error_set_errno(&err, ENOENT, "open '%s'", "/nope");
	ck_assert_int_eq(err->code, VC_ERR_IO);
	ck_assert_int_eq(err->sys_errno, ENOENT);
	ck_assert_str_eq(err->msg, "open '/nope': No such file or directory");
}
END_TEST

START_TEST(test_null_out_param)
{
	/* Callers that do not care about the message may pass NULL. */
	ck_assert_int_eq(vc_error_set(NULL, VC_ERR_GENERIC, "ignored"), -1);
	ck_assert_int_eq(vc_error_wrap(NULL, "ctx"), -1);
}
END_TEST

Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_set_and_format);
	tcase_add_test(tc, test_position);
	tcase_add_test(tc, test_wrap_and_chain);
	tcase_add_test(tc, test_errno);
	tcase_add_test(tc, test_null_out_param);
	suite_add_tcase(s, tc);
	return s;
}
