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
	tests/fuzz/corpus/toml/strings.toml \
	tests/fuzz/corpus/toml/tables.toml

# fuzz-qmp: vc_qmp_parse_message over arbitrary bytes; seed corpus in tests/fuzz/corpus/qmp/.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-qmp
# qmp.c is compiled into the target so that libFuzzer instruments the parser itself.
tests_fuzz_fuzz_qmp_SOURCES = tests/fuzz/fuzz-qmp.c lib/qemu/qmp.c
tests_fuzz_fuzz_qmp_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_qmp_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_qmp_LDADD = $(VC_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-qmp.c tests/fuzz/corpus/qmp

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
