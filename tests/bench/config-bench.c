/* config-bench [BATCHES] [FILE]: the in-process cost of what `create` does with the configuration
 * before it starts anything: vc_config_load of FILE (default: the shipped
 * config/configuration-qemu.toml; read, parse, drop-ins, schema, defaults, clamps, validation of
 * the rules, without the host checks that stat assets) followed by vc_qemu_build_argv for one
 * sandbox. Each batch times ITER iterations with CLOCK_MONOTONIC; the median batch is reported
 * per iteration, next to the same measurement for reading + vc_toml_parse of FILE alone (the
 * share of the decoder). Output lines: "per-load-ns N", "per-parse-ns N", "argv-words N". */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "config/load.h"
#include "config/toml.h"
#include "qemu/builder.h"
#include "util/argv.h"
#include "util/error.h"
#include "util/log.h"

#define ITER 200

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int die(const char *what, vc_error *err)
{
	char *msg = vc_error_format(err);
	fprintf(stderr, "config-bench: %s: %s\n", what, msg);
	free(msg);
	vc_error_free(err);
	return 1;
}

/* One load + argv build; returns the number of argv words or -1. */
static long load_and_build(const char *file, vc_error **err)
{
	vc_config_request req = {.path = file, .hypervisor = "qemu", .check_host = false};
	vc_hypervisor_config *c = vc_config_load(&req, err);
	if (!c)
		return -1;
	vc_qemu_request qr = {
		.config = c, .arch = "x86_64", .id = "bench", .sandbox_dir = "/run/vcrun/bench"};
	vc_argv argv = {0};
	long n = -1;
	if (vc_qemu_build_argv(&qr, &argv, err) == 0)
		n = (long)argv.n;
	vc_argv_free(&argv);
	vc_config_free(c);
	return n;
}

static long parse_only(const char *file, vc_error **err)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		{
		vc_error_set_errno(err, errno, "open '%s'", file);
		return -1;
	}
	char buf[1 << 16];
	size_t len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	vc_doc_node *doc = vc_toml_parse(buf, len, file, err);
	if (!doc)
		return -1;
	vc_doc_free(doc);
	return 0;
}

static long long median_batch(long (*fn)(const char *, vc_error **), const char *file, int batches,
			      vc_error **err)
{
	long long *t = calloc((size_t)batches, sizeof(*t));
	if (!t)
		abort();
	for (int b = 0; b < batches; b++) {
		long long t0 = now_ns();
		for (int i = 0; i < ITER; i++)
			if (fn(file, err) < 0) {
				free(t);
				return -1;
			}
		t[b] = (now_ns() - t0) / ITER;
	}
	qsort(t, (size_t)batches, sizeof(*t), cmp_ll);
	long long m = t[batches / 2];
	free(t);
	return m;
}

int main(int argc, char **argv)
{
	int batches = argc > 1 ? atoi(argv[1]) : 9;
	if (batches < 1)
		batches = 1;
	char *file = argc > 2 ? strdup(argv[2]) : NULL;
	if (!file) {
		const char *top = getenv("top_srcdir");
		if (asprintf(&file, "%s/config/configuration-qemu.toml", top ? top : ".") < 0)
			return 1;
	}
	/* Warnings (no /dev/kvm, ...) would be written on every iteration: not what is measured. */
	vc_log_open(NULL, VC_LOG_TEXT, VC_LOG_ERROR, NULL);
	vc_error *err = NULL;
	long words = load_and_build(file, &err);
	if (words < 0)
		return die("load + build", err);
	long long load = median_batch(load_and_build, file, batches, &err);
	if (load < 0)
		return die("load + build", err);
	long long parse = median_batch(parse_only, file, batches, &err);
	if (parse < 0)
		return die("parse", err);
	printf("per-load-ns %lld\nper-parse-ns %lld\nargv-words %ld\n", load, parse, words);
	free(file);
	return 0;
}
