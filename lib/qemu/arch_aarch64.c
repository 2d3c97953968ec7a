/* aarch64 guests: the virt machine (PCIe root pcie.0), PL011 as the serial port. */
#include <config.h>
#include "qemu/arch.h"

#include <stddef.h>

static const char *const aarch64_kernel_params[] = {
    "iommu.passthrough=0", "cryptomgr.notests", "net.ifnames=0", "pci=lastbus=0", NULL,
};

static const vc_arch_bus aarch64_buses[] = {
    {"virt", "pcie.0"},
    {NULL, NULL},
};

const vc_arch vc_arch_aarch64 = {
    .name = "aarch64",
    .qemu_binary = "qemu-system-aarch64",
    .default_machine = "virt",
    .accel_kvm = "kvm",
    .accel_tcg = "tcg",
    .cpu_kvm = "host",
    .cpu_tcg = "max",
    .kernel_params = aarch64_kernel_params,
    .max_vcpus = 123, /* what a GICv3 virt machine with KVM accepted in Kata's arm64 table */
    .buses = aarch64_buses,
    .default_bus = "pcie.0",
    .serial_console = "ttyAMA0",
    .virtio_console = "hvc0",
    .has_kvm_pit = false,
    .first_bridge_slot = 2,
};
