/* Every unit-test area: tests/unit/check_<area>.c defines Suite *<area>_suite(void).
 * Add one line per area; the runner adds them all. */
#ifndef VC_TESTS_SUITES_H
#define VC_TESTS_SUITES_H

#include <check.h>

#define VC_TEST_SUITES(X)                                                                          \
	X(error)                                                                                   \
	X(log)                                                                                     \
	X(argv)                                                                                    \
	X(doc)                                                                                     \
	X(params)                                                                                  \
	X(sha512)                                                                                  \
	X(hostcheck)                                                                               \
	X(toml)                                                                                    \
	X(qmp)                                                                                     \
	X(qmpmany)                                                                                 \
	X(yaml)                                                                                    \
	X(probe)                                                                                   \
	X(config)                                                                                  \
	X(qemu)                                                                                    \
	X(state)                                                                                   \
	X(mockvm)                                                                                  \
	X(spawn)                                                                                   \
	X(terminal)

#define VC_DECLARE_SUITE(name) Suite *name##_suite(void);
VC_TEST_SUITES(VC_DECLARE_SUITE)

/* Where tests/ lives in the source tree (for fixtures). */
const char *vc_test_srcdir(void);

#endif
