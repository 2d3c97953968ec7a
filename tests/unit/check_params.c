#include <config.h>
#include "suites.h"
#include "config/params.h"

#include <stdlib.h>

START_TEST(test_add_rejects_empty_key)
{
	vc_params p;
	vc_params_init(&p);
	vc_error *err = NULL;
	ck_assert_int_eq(vc_params_add(&p, "console", "hvc0", &err), 0);
	ck_assert_int_lt(vc_params_add(&p, "", "x", &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(p.n, 1);
	vc_error_free(err);
	vc_params_free(&p);
}
END_TEST

START_TEST(test_deserialize_first_equals)
{
	vc_params p;
	vc_params_init(&p);
	vc_params_deserialize(&p, "  quiet a=b=c  systemd.unit=x.target ");
	ck_assert_uint_eq(p.n, 3);
	ck_assert_str_eq(p.items[0].key, "quiet");
	ck_assert_ptr_null(p.items[0].value);
	ck_assert_str_eq(p.items[1].key, "a");
	ck_assert_str_eq(p.items[1].value, "b=c");
	ck_assert_str_eq(p.items[2].key, "systemd.unit");
	vc_params_free(&p);
}
END_TEST

START_TEST(test_serialize_cases)
{
	vc_params p;
	vc_params_init(&p);
	vc_error *err = NULL;
	vc_params_add(&p, "k", "v", &err);
	vc_params_add(&p, "keyonly", NULL, &err);
	/* value-only and empty/empty pairs can only come from direct construction */
	p.items = realloc(p.items, 8 * sizeof(vc_param));
	p.cap = 8;
	p.items[p.n++] = (vc_param){strdup(""), strdup("valueonly")};
	p.items[p.n++] = (vc_param){strdup(""), strdup("")};

	vc_argv out = VC_ARGV_INIT;
	vc_params_serialize(&p, "=", &out);
	ck_assert_uint_eq(out.n, 3);
	ck_assert_str_eq(out.v[0], "k=v");
	ck_assert_str_eq(out.v[1], "keyonly");
	ck_assert_str_eq(out.v[2], "valueonly");
	vc_argv_free(&out);

	vc_params_serialize(&p, "", &out);
	ck_assert_uint_eq(out.n, 4);
	ck_assert_str_eq(out.v[0], "k");
	ck_assert_str_eq(out.v[1], "v");
	vc_argv_free(&out);

	char *joined = vc_params_join(&p);
	ck_assert_str_eq(joined, "k=v keyonly valueonly");
	free(joined);
	vc_params_free(&p);
}
END_TEST

Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_add_rejects_empty_key);
	tcase_add_test(tc, test_deserialize_first_equals);
	tcase_add_test(tc, test_serialize_cases);
	suite_add_tcase(s, tc);
	return s;
}
