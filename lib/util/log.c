#include <config.h>
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {"error", "warning", "info", "debug"};

static struct {
	int fd;
	bool own_fd;
	vc_log_format format;
	vc_log_level level;
} logger = {.fd = STDERR_FILENO, .own_fd = false, .format = VC_LOG_TEXT, .level = VC_LOG_WARNING};

int vc_log_parse_level(const char *s, vc_log_level *out, vc_error **err)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (vc_log_level)i;
			return 0;
		}
	}
	if (strcmp(s, "warn") == 0) {
		*out = VC_LOG_WARNING;
		return 0;
	}
	return vc_error_set(err, VC_ERR_USAGE,
			    "invalid log level '%s' (expected error, warning, info or debug)", s);
}

int vc_log_parse_format(const char *s, vc_log_format *out, vc_error **err)
{
	if (strcmp(s, "text") == 0)
		*out = VC_LOG_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = VC_LOG_JSON;
	else
		return vc_error_set(err, VC_ERR_USAGE,
				    "invalid log format '%s' (expected text or json)", s);
	return 0;
}

int vc_log_open(const char *path, vc_log_format format, vc_log_level level, vc_error **err)
{
	int fd = STDERR_FILENO;
	bool own = false;
	if (path && *path && strcmp(path, "-") != 0) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return vc_error_set_errno(err, errno, "open log file '%s'", path);
		own = true;
	}
	vc_log_close();
	logger.fd = fd;
	logger.own_fd = own;
	logger.format = format;
	logger.level = level;
	return 0;
}

void vc_log_close(void)
{
	if (logger.own_fd && logger.fd >= 0)
		close(logger.fd);
	logger.fd = STDERR_FILENO;
	logger.own_fd = false;
}

vc_log_level vc_log_get_level(void)
{
	return logger.level;
}

/* The proleptic Gregorian date of a day count since 1970-01-01 (eras of 400 years). */
static void date_of_days(int64_t days, int64_t *year, int *month, int *day)
{
	days += 719468; /* from 0000-03-01: leap days come last in such a year */
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;				     /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		     /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;				     /* March = 0 */
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

char *vc_log_format_time(int64_t secs, long nsec)
{
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t in_day = secs - days * 86400, year;
	int month, day;
	date_of_days(days, &year, &month, &day);
	return xasprintf("%04lld-%02d-%02dT%02d:%02d:%02d.%09ldZ", (long long)year, month, day,
			 (int)(in_day / 3600), (int)(in_day / 60 % 60), (int)(in_day % 60), nsec);
}

char *vc_log_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return vc_log_format_time(ts.tv_sec, ts.tv_nsec);
}

char *vc_log_format_json(vc_log_level level, const char *msg, const char *time)
{
	/* Keys in the fixed order level, msg, time: JSON_PRESERVE_ORDER keeps insertion order. */
	json_t *o = json_object();
	json_object_set_new(o, "level", json_string(level_names[level]));
	json_object_set_new(o, "msg", json_string(msg));
	json_object_set_new(o, "time", json_string(time));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!s)
		return xstrdup(
		    "{\"level\":\"error\",\"msg\":\"log line not encodable\",\"time\":\"\"}");
	char *r = xstrdup(s);
	free(s);
	return r;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

void vc_log(vc_log_level level, const char *fmt, ...)
{
	if (level > logger.level)
		return;
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *line;
	if (logger.format == VC_LOG_JSON) {
		char *t = vc_log_time_now();
		char *j = vc_log_format_json(level, msg, t);
		line = xasprintf("%s\n", j);
		free(j);
		free(t);
	} else {
		line = xasprintf("vcrun: %s: %s\n", level_names[level], msg);
	}
	/* One write per line so concurrent writers to one log file do not interleave. */
	write_all(logger.fd, line, strlen(line));
	free(line);
	free(msg);
	errno = saved;
}

void vc_log_error_chain(const vc_error *err)
{
	for (; err; err = err->next) {
		char *s = vc_error_format(err);
		vc_log(VC_LOG_ERROR, "%s", s);
		free(s);
	}
}
