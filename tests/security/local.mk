# tests/security: vcrun's seccomp filter, sha512 asset checks, `vcrun check` and `vcrun env`.
check_PROGRAMS += tests/helpers/seccomp-probe
tests_helpers_seccomp_probe_SOURCES = tests/helpers/seccomp-probe.c
tests_helpers_seccomp_probe_LDADD = $(VC_LIBS)

TESTS += \
	tests/security/seccomp.sh \
	tests/security/seccomp-qemu.sh \
	tests/security/check.sh \
	tests/security/env.sh
EXTRA_DIST += $(filter tests/security/%.sh,$(TESTS))

if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_sha512.c tests/unit/check_hostcheck.c
endif

# Fixture host trees for `vcrun check` and `vcrun env`: /proc and /sys excerpts of an Intel host
# with KVM, an AMD host, a host without virtualisation and a nested VM.
EXTRA_DIST += \
	tests/security/fixtures/amd-kvm/proc/cpuinfo \
	tests/security/fixtures/amd-kvm/proc/meminfo \
	tests/security/fixtures/amd-kvm/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/fixtures/amd-kvm/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/fixtures/amd-kvm/sys/module/kvm_amd/parameters/nested \
	tests/security/fixtures/amd-kvm/sys/module/kvm_amd/parameters/npt \
	tests/security/fixtures/amd-kvm/sys/module/vhost/parameters/max_mem_regions \
	tests/security/fixtures/amd-kvm/sys/module/vhost_net/parameters/experimental_zcopytx \
	tests/security/fixtures/intel-kvm/proc/cpuinfo \
	tests/security/fixtures/intel-kvm/proc/meminfo \
	tests/security/fixtures/intel-kvm/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages \
	tests/security/fixtures/intel-kvm/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/fixtures/intel-kvm/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/fixtures/intel-kvm/sys/module/kvm_intel/parameters/ept \
	tests/security/fixtures/intel-kvm/sys/module/kvm_intel/parameters/nested \
	tests/security/fixtures/intel-kvm/sys/module/vhost/parameters/max_mem_regions \
	tests/security/fixtures/intel-kvm/sys/module/vhost_net/parameters/experimental_zcopytx \
	tests/security/fixtures/intel-kvm/sys/module/vhost_vsock/refcnt \
	tests/security/fixtures/nested/proc/cpuinfo \
	tests/security/fixtures/nested/proc/meminfo \
	tests/security/fixtures/nested/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages \
	tests/security/fixtures/nested/sys/module/kvm/parameters/halt_poll_ns \
	tests/security/fixtures/nested/sys/module/kvm_intel/parameters/nested \
	tests/security/fixtures/no-virt/proc/cpuinfo \
	tests/security/fixtures/no-virt/proc/meminfo \
	tests/security/fixtures/no-virt/sys/module/vhost/parameters/max_mem_regions
