# tests/fuzz: owned by its issue; see Makefile.am

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
