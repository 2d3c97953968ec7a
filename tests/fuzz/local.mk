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
