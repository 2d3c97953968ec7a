/* x86-64 guests: q35 (PCIe root pcie.0) by default, pc (PCI root pci.0) still accepted. */
#include <config.h>
#include "qemu/arch.h"

#include <stddef.h>

/* The 2018 Kata defaults (REFERENCE.md §2) minus the console= items, which the builder derives
 * from the console devices it creates. */
static const char *const x86_64_kernel_params[] = {
    "tsc=reliable",
    "no_timer_check",
    "rcupdate.rcu_expedited=1",
    "i8042.direct=1",
    "i8042.dumbkbd=1",
    "i8042.nopnp=1",
    "i8042.noaux=1",
    "noreplace-smp",
    "reboot=k",
    "iommu=off",
    "cryptomgr.notests",
    "net.ifnames=0",
    "pci=lastbus=0",
    NULL,
};

static const vc_arch_bus x86_64_buses[] = {
    {"q35", "pcie.0"}, {"pc-q35", "pcie.0"}, {"pc-i440fx", "pci.0"}, {"pc", "pci.0"}, {NULL, NULL},
};

const vc_arch vc_arch_x86_64 = {
    .name = "x86_64",
    .qemu_binary = "qemu-system-x86_64",
    .default_machine = "q35",
    .accel_kvm = "kvm",
    .accel_tcg = "tcg",
    .cpu_kvm = "host",
    .cpu_tcg = "max",
    .kernel_params = x86_64_kernel_params,
    .max_vcpus = 240,
    .buses = x86_64_buses,
    .default_bus = "pcie.0",
    .serial_console = "ttyS0",
    .virtio_console = "hvc0",
    .has_kvm_pit = true,
    .first_bridge_slot = 2,
};
