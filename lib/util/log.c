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

char *vc_log_time_now(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", buf, (long)ts.tv_nsec);
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
