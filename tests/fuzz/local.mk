# libFuzzer targets (configure --enable-fuzzing CC=clang). Each can also replay files given on
# its command line, as libFuzzer binaries do. Seed corpora live in tests/fuzz/corpus/<target>/.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-toml
# The code under test is compiled into the target so that it gets coverage instrumentation
# even when libvcrun.a is built without it.
tests_fuzz_fuzz_toml_SOURCES = tests/fuzz/fuzz-toml.c lib/config/toml.c lib/config/doc.c
tests_fuzz_fuzz_toml_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_toml_LDFLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_toml_LDADD = $(VC_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-toml.c \
	tests/fuzz/corpus/toml/crlf.toml \
	tests/fuzz/corpus/toml/example.toml \
	tests/fuzz/corpus/toml/kata.toml \
	tests/fuzz/corpus/toml/numbers.toml \
	tests/fuzz/corpus/toml/recycle.toml \
	tests/fuzz/corpus/toml/strings.toml \
	tests/fuzz/corpus/toml/tables.toml

# fuzz-qmp: vc_qmp_parse_message over arbitrary bytes; seed corpus in tests/fuzz/corpus/qmp/.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-qmp
# qmp.c is compiled into the target so that libFuzzer instruments the parser itself.
tests_fuzz_fuzz_qmp_SOURCES = tests/fuzz/fuzz-qmp.c lib/qemu/qmp.c
tests_fuzz_fuzz_qmp_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_qmp_LDFLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_qmp_LDADD = $(VC_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-qmp.c tests/fuzz/corpus/qmp

# fuzz-args: vcrun's command line (global options, dispatch, the read-only commands' options)
# through the same functions as main (cmd/cli.c). cmd/cli.c is compiled into the target; the
# other command files come from vcrun's own objects, so new command files need no change here.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-args
tests_fuzz_fuzz_args_SOURCES = tests/fuzz/fuzz-args.c cmd/cli.c
tests_fuzz_fuzz_args_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_args_LDFLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_ARGS_CMD_OBJECTS = $(filter-out cmd/vcrun.$(OBJEXT) cmd/cli.$(OBJEXT),$(vcrun_OBJECTS))
tests_fuzz_fuzz_args_LDADD = $(FUZZ_ARGS_CMD_OBJECTS) $(VC_LIBS)
tests_fuzz_fuzz_args_DEPENDENCIES = $(FUZZ_ARGS_CMD_OBJECTS) libvcrun.a
endif
EXTRA_DIST += tests/fuzz/fuzz-args.c tests/fuzz/corpus/args

# `make fuzz` builds every libFuzzer target (tests/fuzz/fuzz-*); `make fuzz-run` runs each over
# its seed corpus for FUZZ_SECONDS (default 60) with a scratch corpus directory, one at a time.
FUZZ_TARGETS = $(filter tests/fuzz/fuzz-%,$(noinst_PROGRAMS))
FUZZ_SECONDS = 60
if ENABLE_FUZZING
fuzz: $(FUZZ_TARGETS)
fuzz-run: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		name=$${t#tests/fuzz/fuzz-}; \
		work=$(abs_top_builddir)/tests/fuzz/work/$$name; mkdir -p "$$work"; \
		echo "fuzz-run: $$t for $(FUZZ_SECONDS)s"; \
		./$$t -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -print_final_stats=1 \
			-artifact_prefix="$$work/" "$$work" $(abs_top_srcdir)/tests/fuzz/corpus/$$name; \
	done
else
fuzz fuzz-run:
	@echo "fuzz: configure with CC=clang --enable-fuzzing to build the libFuzzer targets" >&2; exit 1
endif
.PHONY: fuzz fuzz-run

# The same harnesses without libFuzzer, replaying the seed corpora in `make check`.
check_PROGRAMS += tests/fuzz/replay-toml tests/fuzz/replay-qmp tests/fuzz/replay-args \
	tests/fuzz/replay-config tests/fuzz/replay-yaml
tests_fuzz_replay_config_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-config.c
tests_fuzz_replay_config_LDADD = $(VC_LIBS)
tests_fuzz_replay_yaml_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-yaml.c
tests_fuzz_replay_yaml_LDADD = $(VC_LIBS)
tests_fuzz_replay_toml_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-toml.c
tests_fuzz_replay_toml_LDADD = $(VC_LIBS)
tests_fuzz_replay_qmp_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-qmp.c
tests_fuzz_replay_qmp_LDADD = $(VC_LIBS)
REPLAY_ARGS_CMD_OBJECTS = $(filter-out cmd/vcrun.$(OBJEXT),$(vcrun_OBJECTS))
tests_fuzz_replay_args_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-args.c
tests_fuzz_replay_args_LDADD = $(REPLAY_ARGS_CMD_OBJECTS) $(VC_LIBS)
tests_fuzz_replay_args_DEPENDENCIES = $(REPLAY_ARGS_CMD_OBJECTS) libvcrun.a
TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/replay-main.c tests/fuzz/replay.sh
# The configuration loader (both formats) and the YAML parser. The code under test is compiled
# into each target so that it is instrumented even when libvcrun.a is not. Seed corpora:
# tests/fuzz/corpus/{config,yaml}/ (a config input's first byte: even = YAML, odd = TOML).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-config tests/fuzz/fuzz-yaml
VC_FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c lib/config/load.c lib/config/schema.c \
	lib/config/yaml.c lib/config/toml.c lib/config/doc.c lib/config/params.c lib/config/config.c \
	lib/host/probe.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(VC_FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(VC_FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDADD = $(VC_LIBS)
tests_fuzz_fuzz_yaml_SOURCES = tests/fuzz/fuzz-yaml.c lib/config/yaml.c lib/config/doc.c
tests_fuzz_fuzz_yaml_CFLAGS = $(AM_CFLAGS) $(VC_FUZZ_FLAGS)
tests_fuzz_fuzz_yaml_LDFLAGS = $(VC_FUZZ_FLAGS)
tests_fuzz_fuzz_yaml_LDADD = $(VC_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-config.c tests/fuzz/fuzz-yaml.c \
	tests/fuzz/corpus/yaml/shipped.yaml \
	tests/fuzz/corpus/yaml/anchors.yaml \
	tests/fuzz/corpus/yaml/mixed.yaml \
	tests/fuzz/corpus/config/shipped-yaml \
	tests/fuzz/corpus/config/shipped-toml \
	tests/fuzz/corpus/config/errors-yaml
