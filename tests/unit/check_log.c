#include <config.h>
#include "suites.h"
#include "util/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *temp_path(void)
{
	static char path[64];
	strcpy(path, "/tmp/vcrun-log-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return path;
}

START_TEST(test_parse_level_and_format)
{
	vc_log_level l;
	vc_log_format f;
	vc_error *err = NULL;
	ck_assert_int_eq(vc_log_parse_level("debug", &l, &err), 0);
	ck_assert_int_eq(l, VC_LOG_DEBUG);
	ck_assert_int_eq(vc_log_parse_level("warning", &l, &err), 0);
	ck_assert_int_eq(l, VC_LOG_WARNING);
	ck_assert_int_lt(vc_log_parse_level("loud", &l, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "'loud'"));
	vc_error_free(err);
	err = NULL;
	ck_assert_int_eq(vc_log_parse_format("json", &f, &err), 0);
	ck_assert_int_eq(f, VC_LOG_JSON);
	ck_assert_int_lt(vc_log_parse_format("xml", &f, &err), 0);
	vc_error_free(err);
}
END_TEST

START_TEST(test_json_line_shape)
{
	char *s = vc_log_format_json(VC_LOG_ERROR, "say \"hi\"\n", "2026-11-30T03:18:20Z");
	ck_assert_str_eq(s, "{\"level\":\"error\",\"msg\":\"say "
			    "\\\"hi\\\"\\n\",\"time\":\"2026-11-30T03:18:20Z\"}");
	free(s);
}
END_TEST

START_TEST(test_json_file_output)
{
	const char *path = temp_path();
	vc_error *err = NULL;
	ck_assert_int_eq(vc_log_open(path, VC_LOG_JSON, VC_LOG_INFO, &err), 0);
	vc_info("first %d", 1);
	vc_debug("filtered out");
	vc_error_log("boom '%s'", "x");
	vc_log_close();
	char *text = read_file(path);
	unlink(path);

	int lines = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		ck_assert_msg(o != NULL, "not JSON: %s", line);
		ck_assert_uint_eq(json_object_size(o), 3);
		const char *level = json_string_value(json_object_get(o, "level"));
		const char *msg = json_string_value(json_object_get(o, "msg"));
		const char *time = json_string_value(json_object_get(o, "time"));
		ck_assert_ptr_nonnull(level);
		ck_assert_ptr_nonnull(msg);
		ck_assert_ptr_nonnull(time);
		/* RFC 3339: 2026-11-30T03:18:20.123456789Z */
		ck_assert_uint_ge(strlen(time), 20);
		ck_assert_int_eq(time[4], '-');
		ck_assert_int_eq(time[10], 'T');
		ck_assert_int_eq(time[strlen(time) - 1], 'Z');
		if (lines == 0) {
			ck_assert_str_eq(level, "info");
			ck_assert_str_eq(msg, "first 1");
		} else {
			ck_assert_str_eq(level, "error");
			ck_assert_str_eq(msg, "boom 'x'");
		}
		json_decref(o);
		lines++;
	}
	ck_assert_int_eq(lines, 2);
}
END_TEST

START_TEST(test_text_output)
{
	const char *path = temp_path();
	vc_error *err = NULL;
	ck_assert_int_eq(vc_log_open(path, VC_LOG_TEXT, VC_LOG_WARNING, &err), 0);
	vc_warn("careful");
	vc_info("quiet");
	vc_log_close();
	char *text = read_file(path);
	unlink(path);
	ck_assert_str_eq(text, "vcrun: warning: careful\n");
}
END_TEST

START_TEST(test_error_chain_logged)
{
	const char *path = temp_path();
	vc_error *err = NULL;
	ck_assert_int_eq(vc_log_open(path, VC_LOG_TEXT, VC_LOG_ERROR, &err), 0);
	vc_error_set_pos(&err, VC_ERR_CONFIG, "a.toml", 3, 1, "one");
	vc_error_set(&err, VC_ERR_CONFIG, "two");
	vc_log_error_chain(err);
	vc_error_free(err);
	vc_log_close();
	char *text = read_file(path);
	unlink(path);
	ck_assert_str_eq(text, "vcrun: error: a.toml:3:1: one\nvcrun: error: two\n");
}
END_TEST

START_TEST(test_open_failure)
{
	vc_error *err = NULL;
	ck_assert_int_lt(vc_log_open("/nonexistent-dir/x.log", VC_LOG_TEXT, VC_LOG_INFO, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "/nonexistent-dir/x.log"));
	vc_error_free(err);
}
END_TEST

/* The time format against gmtime_r + strftime: day boundaries around the epoch and before it,
 * leap days (2000 is a leap year, 1900 and 2100 are not), the end of 9999, and a stride through
 * four centuries. */
static void check_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
	char want[64];
	strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
	strcat(want, ".000000123Z");
	char *got = vc_log_format_time(t, 123);
	ck_assert_msg(strcmp(got, want) == 0, "%lld: %s, expected %s", (long long)t, got, want);
	free(got);
}

START_TEST(test_time_format)
{
	static const int64_t fixed[] = {
	    0,	       -1,	  86399,      86400,	  -86400,      -86401,	    951782400,
	    951868799, 951868800, 4107542400, 4107456000, -2203891200, -2208988800, 253402300799};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_time(fixed[i]);
	for (int64_t t = -2208988800; t < 4133980800; t += 86400 * 7 + 3601)
		check_time(t);
	char *now = vc_log_time_now();
	ck_assert_int_eq(strlen(now), strlen("2026-11-30T03:18:20.123456789Z"));
	free(now);
}
END_TEST

Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_level_and_format);
	tcase_add_test(tc, test_json_line_shape);
	tcase_add_test(tc, test_json_file_output);
	tcase_add_test(tc, test_text_output);
	tcase_add_test(tc, test_error_chain_logged);
	tcase_add_test(tc, test_open_failure);
	tcase_add_test(tc, test_time_format);
	suite_add_tcase(s, tc);
	return s;
}
