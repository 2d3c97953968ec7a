# Unit tests: one check runner (tests/unit/runner.c) with one Suite per area.
if HAVE_CHECK
check_PROGRAMS += tests/unit/unit
TESTS += tests/unit/unit
tests_unit_unit_SOURCES = \
	tests/unit/runner.c tests/unit/suites.h \
	tests/unit/check_argv.c \
	tests/unit/check_doc.c \
	tests/unit/check_error.c \
	tests/unit/check_log.c \
	tests/unit/check_params.c
tests_unit_unit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_unit_LDADD = $(VC_LIBS) $(CHECK_LIBS)
endif

# CLI tests: shell scripts run against the built binary; lib.sh holds their helpers.
TESTS += \
	tests/cli/basic.sh \
	tests/cli/logging.sh
EXTRA_DIST += tests/cli/lib.sh $(filter tests/cli/%.sh,$(TESTS))

check_PROGRAMS += tests/helpers/json-check
tests_helpers_json_check_SOURCES = tests/helpers/json-check.c
tests_helpers_json_check_LDADD = $(JANSSON_LIBS)

# The unit tests under valgrind, without check's fork so that every test runs in the process
# valgrind watches. Any error or definite leak fails.
VALGRIND_FLAGS = --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-fds=no --quiet
check-valgrind: $(check_PROGRAMS)
	CK_FORK=no CK_DEFAULT_TIMEOUT=600 top_srcdir='$(abs_top_srcdir)' \
		valgrind $(VALGRIND_FLAGS) $(top_builddir)/tests/unit/unit
.PHONY: check-valgrind
