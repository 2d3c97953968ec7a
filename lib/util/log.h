/* The one logger. Text lines ("vcrun: level: msg") or JSON lines exactly
 * {"level":...,"msg":...,"time":RFC3339} — the form containerd's runc shim parses. */
#ifndef VC_UTIL_LOG_H
#define VC_UTIL_LOG_H

#include <stdint.h>
#include "util/error.h"

typedef enum {
	VC_LOG_ERROR = 0,
	VC_LOG_WARNING = 1,
	VC_LOG_INFO = 2,
	VC_LOG_DEBUG = 3,
} vc_log_level;

typedef enum {
	VC_LOG_TEXT = 0,
	VC_LOG_JSON = 1,
} vc_log_format;

int vc_log_parse_level(const char *s, vc_log_level *out, vc_error **err);
int vc_log_parse_format(const char *s, vc_log_format *out, vc_error **err);

/* path NULL or "" or "-" means stderr. The file is opened for append. */
int vc_log_open(const char *path, vc_log_format format, vc_log_level level, vc_error **err);
void vc_log_close(void);
vc_log_level vc_log_get_level(void);

void vc_log(vc_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logs every error of the chain at error level, formatted with positions. */
void vc_log_error_chain(const vc_error *err);

#define vc_error_log(...) vc_log(VC_LOG_ERROR, __VA_ARGS__)
#define vc_warn(...) vc_log(VC_LOG_WARNING, __VA_ARGS__)
#define vc_info(...) vc_log(VC_LOG_INFO, __VA_ARGS__)
#define vc_debug(...) vc_log(VC_LOG_DEBUG, __VA_ARGS__)

/* Formats a JSON log line (without newline) into a new string; exposed for tests. */
char *vc_log_format_json(vc_log_level level, const char *msg, const char *rfc3339_time);
/* Current time as RFC 3339 with nanoseconds and offset, e.g. 2026-11-30T03:18:20.123456789Z. */
char *vc_log_time_now(void);
/* The same for secs.nsec since the epoch (UTC), computed without glibc's time zone code, which
 * reads /etc/localtime on first use. */
char *vc_log_format_time(int64_t secs, long nsec);

#endif
