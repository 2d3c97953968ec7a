# tests/security: vcrun's seccomp filter, sha512 asset checks, `vcrun check` and `vcrun env`.
check_PROGRAMS += tests/helpers/seccomp-probe
tests_helpers_seccomp_probe_SOURCES = tests/helpers/seccomp-probe.c
tests_helpers_seccomp_probe_LDADD = $(VC_LIBS)

TESTS += \
	tests/security/seccomp.sh \
	tests/security/seccomp-qemu.sh \
	tests/security/seccomp-strace.sh \
	tests/security/check.sh \
	tests/security/env.sh
EXTRA_DIST += $(filter tests/security/%.sh,$(TESTS))

if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_sha512.c tests/unit/check_hostcheck.c
endif

# Fixture host trees (tests/security/hosts/NAME/{proc,sys}) for `vcrun check` and `vcrun env`: /proc and /sys excerpts of an Intel host
# with KVM, an AMD host, a host without virtualisation and a nested VM.
EXTRA_DIST += \
	tests/security/hosts/amd/proc/cpuinfo \
	tests/security/hosts/amd/proc/meminfo \
	tests/security/hosts/amd/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/hosts/amd/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/hosts/amd/sys/module/kvm_amd/parameters/nested \
	tests/security/hosts/amd/sys/module/kvm_amd/parameters/npt \
	tests/security/hosts/amd/sys/module/vhost/parameters/max_mem_regions \
	tests/security/hosts/amd/sys/module/vhost_net/parameters/experimental_zcopytx \
	tests/security/hosts/intel/proc/cpuinfo \
	tests/security/hosts/intel/proc/meminfo \
	tests/security/hosts/intel/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages \
	tests/security/hosts/intel/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/hosts/intel/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/hosts/intel/sys/module/kvm_intel/parameters/ept \
	tests/security/hosts/intel/sys/module/kvm_intel/parameters/nested \
	tests/security/hosts/intel/sys/module/vhost/parameters/max_mem_regions \
	tests/security/hosts/intel/sys/module/vhost_net/parameters/experimental_zcopytx \
	tests/security/hosts/intel/sys/module/vhost_vsock/refcnt \
	tests/security/hosts/nested/proc/cpuinfo \
	tests/security/hosts/nested/proc/meminfo \
	tests/security/hosts/nested/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/hosts/nested/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/hosts/nested/sys/module/kvm_intel/parameters/nested \
	tests/security/hosts/novirt/proc/cpuinfo \
	tests/security/hosts/novirt/proc/meminfo \
	tests/security/hosts/novirt/sys/module/vhost/parameters/max_mem_regions

# The QEMU tests boot the test guest when it exists; tests/guest/boot.sh builds it, so run after it.
tests/security/seccomp-qemu.log: tests/guest/boot.log
tests/security/seccomp-strace.log: tests/guest/boot.log
