# tests/fuzz: libFuzzer targets (configure --enable-fuzzing CC=clang
# CFLAGS="-fsanitize=fuzzer-no-link,address"). Each replays files given as arguments.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-config tests/fuzz/fuzz-yaml
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c
tests_fuzz_fuzz_config_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_config_LDADD = $(VC_LIBS)
tests_fuzz_fuzz_yaml_SOURCES = tests/fuzz/fuzz-yaml.c
tests_fuzz_fuzz_yaml_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_yaml_LDADD = $(VC_LIBS)
endif
