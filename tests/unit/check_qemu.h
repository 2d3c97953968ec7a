/* The qemu suite spans check_qemu.c and check_qemu_argv.c. */
#ifndef VC_TESTS_CHECK_QEMU_H
#define VC_TESTS_CHECK_QEMU_H

#include <check.h>

TCase *vc_qemu_argv_tcase(void);

#endif
