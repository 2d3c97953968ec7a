# tests/security: vcrun's seccomp filter, sha512 asset checks, `vcrun check` and `vcrun env`.
check_PROGRAMS += tests/helpers/seccomp-probe
tests_helpers_seccomp_probe_SOURCES = tests/helpers/seccomp-probe.c
tests_helpers_seccomp_probe_LDADD = $(VC_LIBS)

TESTS += \
	tests/security/seccomp.sh \
	tests/security/seccomp-qemu.sh
EXTRA_DIST += $(filter tests/security/%.sh,$(TESTS))

if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_sha512.c
endif
