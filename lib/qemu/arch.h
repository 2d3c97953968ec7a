/* Per-architecture facts the QEMU argv builder asks for instead of #ifdef-ing on the host: one
 * table per guest architecture (arch_<name>.c). Every arch builds argv on any host, so
 * `qemu-args --arch aarch64` works on x86-64. */
#ifndef VC_QEMU_ARCH_H
#define VC_QEMU_ARCH_H

#include <stdbool.h>
#include <stdint.h>

typedef struct vc_arch_bus {
	const char *machine; /* machine type */
	const char *bus;     /* its root PCI bus, where pci-bridges go */
} vc_arch_bus;

typedef struct vc_arch {
	const char *name;	     /* "x86_64", "aarch64" */
	const char *qemu_binary;     /* default QEMU binary name for this guest arch */
	const char *default_machine; /* used when machine_type is empty */
	const char *accel_kvm;	     /* accel= spelling with KVM */
	const char *accel_tcg;	     /* accel= spelling without */
	const char *cpu_kvm;	     /* CPU model with KVM: gets ",<cpu_features>" */
	const char *cpu_tcg;	     /* CPU model with TCG */
	/* Default kernel params ("key" or "key=value"), NULL-terminated; console= is not among
	 * them: the builder adds the console params that match the devices it creates. */
	const char *const *kernel_params;
	uint32_t max_vcpus;
	/* Root PCI bus per machine type, NULL-terminated by a {NULL, NULL} entry. */
	const vc_arch_bus *buses;
	const char *default_bus;    /* for machine types not in `buses` */
	const char *serial_console; /* the kernel's name of the first -serial port */
	const char *virtio_console; /* the kernel's name of the first virtconsole */
	bool has_kvm_pit;	    /* -global kvm-pit.lost_tick_policy=discard with KVM */
	/* The first slot of the root bus free for pci-bridges with -nodefaults. */
	uint32_t first_bridge_slot;
} vc_arch;

extern const vc_arch vc_arch_x86_64;
extern const vc_arch vc_arch_aarch64;

/* NULL when the name is unknown ("amd64" and "arm64" are accepted as aliases). */
const vc_arch *vc_arch_lookup(const char *name);
/* The arch vcrun was built for; x86_64 on hosts without a table of their own. */
const vc_arch *vc_arch_host(void);
/* The root PCI bus of `machine` on this arch. */
const char *vc_arch_bridge_bus(const vc_arch *a, const char *machine);
/* Whether `machine` is one of the machine types this table knows (versioned names included). */
bool vc_arch_has_machine(const vc_arch *a, const char *machine);
/* The arch whose table knows `machine`, or NULL. */
const vc_arch *vc_arch_of_machine(const char *machine);
/* Comma-separated names of every known arch, for error messages. */
const char *vc_arch_names(void);

#endif
