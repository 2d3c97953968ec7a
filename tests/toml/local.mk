# TOML decoder (issue [2/8]): the toml-test interface, the conformance run over the toml-test
# corpus and the helper that compares tagged JSON by value.
check_PROGRAMS += tests/toml-decoder tests/toml/toml-compare
tests_toml_decoder_SOURCES = tests/toml-decoder.c
# Only what the decoder needs (libvcrun.a contributes toml.o, doc.o and lib/util), so that it
# links statically where configure found that possible (STATIC_LDFLAGS = -static).
tests_toml_decoder_LDADD = libvcrun.a $(JANSSON_LIBS) -lm
tests_toml_decoder_LDFLAGS = $(STATIC_LDFLAGS)
tests_toml_toml_compare_SOURCES = tests/toml/toml-compare.c
tests_toml_toml_compare_LDADD = $(JANSSON_LIBS) -lm

TESTS += tests/toml/conformance.sh
EXTRA_DIST += tests/toml/conformance.sh

if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_toml.c
endif
