# Benchmarks: run on demand (`make bench`, `make bench-toml`), never part of `make check`.
EXTRA_DIST += tests/bench/toml-bench.sh tests/bench/bench.sh

bench-toml: tests/toml-decoder tests/toml/toml-compare
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/tests/bench/toml-bench.sh

# Timing helpers the benchmark scripts run commands through (no shell in between).
check_PROGRAMS += tests/helpers/bench-time tests/helpers/bench-boot
tests_helpers_bench_time_SOURCES = tests/helpers/bench-time.c
tests_helpers_bench_boot_SOURCES = tests/helpers/bench-boot.c
tests_helpers_bench_boot_LDADD = $(VC_LIBS)

# config-bench links the config loader and the argv builder; built by `make bench` only, so that
# a tree without them still builds (the benchmark then reports "not measured").
EXTRA_PROGRAMS = tests/bench/config-bench
tests_bench_config_bench_SOURCES = tests/bench/config-bench.c
tests_bench_config_bench_LDADD = $(VC_LIBS)
CLEANFILES += tests/bench/config-bench

# `make bench`: every benchmark (P1..P5) side by side with its baseline, one table.
# BENCH_RUNS sets the number of runs per figure (the median is reported).
BENCH_RUNS = 9
bench: vcrun $(check_PROGRAMS) tests/toml-decoder
	-$(MAKE) $(AM_MAKEFLAGS) tests/bench/config-bench
	VCRUN='$(abs_top_builddir)/vcrun' top_srcdir='$(abs_top_srcdir)' \
		top_builddir='$(abs_top_builddir)' BENCH_RUNS='$(BENCH_RUNS)' \
		$(SHELL) $(srcdir)/tests/bench/bench.sh

.PHONY: bench bench-toml

# Unit tests of what the benchmarks drove: one query to many QMP servers at once (list).
if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_qmpmany.c
endif
