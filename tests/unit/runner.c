/* The one check runner: adds every suite of suites.h. Runs in fork mode with a timeout per test
 * (CK_FORK=no for valgrind or gdb). `unit SUITE...` runs only the named suites. */
#include <config.h>
#include "suites.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *vc_test_srcdir(void)
{
	const char *s = getenv("top_srcdir");
	return s && *s ? s : ".";
}

static bool selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	SRunner *sr = NULL;
#define VC_ADD_SUITE(name)                                                                         \
	if (selected(#name, argc, argv)) {                                                         \
		if (!sr)                                                                           \
			sr = srunner_create(name##_suite());                                       \
		else                                                                               \
			srunner_add_suite(sr, name##_suite());                                     \
	}
	VC_TEST_SUITES(VC_ADD_SUITE)
	if (!sr)
		return 77;
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
