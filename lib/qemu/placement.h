/* Where a drive goes: pure functions shared by the cold-plug argv builder and hotplug.
 *
 * A virtio-scsi controller offers `units`; unit u is addressed as scsi-id u / 256, lun u % 256
 * (what Kata's hotplug used). Cold plug spreads drive i round-robin: controller i % N, unit
 * i / N. Hotplug picks the least-loaded controller (lowest index on a tie) and its first free
 * unit, so a unit freed by an unplug is reused.
 *
 * pci-bridges offer slots 1..31 each (slot 0 is left alone); a hotplugged PCI device takes the
 * first free slot of the first bridge that has one. */
#ifndef VC_QEMU_PLACEMENT_H
#define VC_QEMU_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define VC_SCSI_LUNS 256
/* Units vcrun hands out per controller: scsi-id 0..3, lun 0..255. */
#define VC_SCSI_UNITS 1024

typedef struct vc_scsi_address {
	uint32_t controller; /* index: the device is on bus "scsi<controller>.0" */
	uint32_t scsi_id;
	uint32_t lun;
} vc_scsi_address;

/* Occupancy of one controller. Zero-initialised = empty. */
typedef struct vc_scsi_controller {
	uint64_t used[VC_SCSI_UNITS / 64];
	uint32_t load; /* number of units in use */
} vc_scsi_controller;

void vc_scsi_unit_address(uint32_t unit, uint32_t *scsi_id, uint32_t *lun);
uint32_t vc_scsi_address_unit(const vc_scsi_address *a);

/* Cold plug: drive `index` of a boot over `n_controllers` controllers. */
int vc_scsi_place_coldplug(size_t index, size_t n_controllers, vc_scsi_address *out,
			   vc_error **err);
/* Hotplug: least-loaded controller, first free unit; fails (VC_ERR_LIMIT) when all are full.
 * Does not mark the unit: call vc_scsi_mark() once the device is really attached. */
int vc_scsi_place_hotplug(const vc_scsi_controller *ctrls, size_t n_controllers,
			  vc_scsi_address *out, vc_error **err);
/* Records (used = true) or releases an address; returns -1 if it was already in that state
 * or is out of range. */
int vc_scsi_mark(vc_scsi_controller *ctrls, size_t n_controllers, const vc_scsi_address *a,
		 bool used);

/* Marks the units cold plug gave drives 0..n_drives-1 (the state hotplug starts from). */
int vc_scsi_mark_coldplug(vc_scsi_controller *ctrls, size_t n_controllers, size_t n_drives,
			  vc_error **err);

#define VC_BRIDGE_FIRST_SLOT 1
#define VC_BRIDGE_LAST_SLOT 31

/* Slots in use on each bridge: bit s of used[b] = slot s of bridge b. Zero-initialised plus
 * n_bridges = empty. */
typedef struct vc_bridge_slots {
	uint32_t used[8];
	uint32_t n_bridges;
} vc_bridge_slots;

void vc_bridge_slots_init(vc_bridge_slots *s, uint32_t n_bridges);
/* First free slot of 1..31 of the first bridge that has one; marks it used. VC_ERR_LIMIT when
 * every bridge is full (or there is none). */
int vc_bridge_slot_alloc(vc_bridge_slots *s, uint32_t *bridge, uint32_t *slot, vc_error **err);
/* Marks a slot used (for devices already present); -1 if out of range or already used. */
int vc_bridge_slot_reserve(vc_bridge_slots *s, uint32_t bridge, uint32_t slot);
/* -1 if out of range or not in use. */
int vc_bridge_slot_release(vc_bridge_slots *s, uint32_t bridge, uint32_t slot);

#endif
