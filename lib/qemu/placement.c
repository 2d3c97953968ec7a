#include <config.h>
#include "qemu/placement.h"

#include <stdio.h>

void vc_scsi_unit_address(uint32_t unit, uint32_t *scsi_id, uint32_t *lun)
{
	*scsi_id = unit / VC_SCSI_LUNS;
	*lun = unit % VC_SCSI_LUNS;
}

uint32_t vc_scsi_address_unit(const vc_scsi_address *a)
{
	return a->scsi_id * VC_SCSI_LUNS + a->lun;
}

int vc_scsi_place_coldplug(size_t index, size_t n_controllers, vc_scsi_address *out, vc_error **err)
{
	if (n_controllers == 0)
		return vc_error_set(err, VC_ERR_LIMIT,
				    "no virtio-scsi controller to attach drive %zu to", index);
	size_t unit = index / n_controllers;
	if (unit >= VC_SCSI_UNITS)
		return vc_error_set(
		    err, VC_ERR_LIMIT,
		    "drive %zu does not fit: %zu controllers hold at most %d drives each", index,
		    n_controllers, VC_SCSI_UNITS);
	out->controller = (uint32_t)(index % n_controllers);
	vc_scsi_unit_address((uint32_t)unit, &out->scsi_id, &out->lun);
	return 0;
}

static bool unit_used(const vc_scsi_controller *c, uint32_t unit)
{
	return (c->used[unit / 64] >> (unit % 64)) & 1u;
}

int vc_scsi_place_hotplug(const vc_scsi_controller *ctrls, size_t n_controllers,
			  vc_scsi_address *out, vc_error **err)
{
	size_t best = n_controllers;
	for (size_t i = 0; i < n_controllers; i++) {
		if (ctrls[i].load >= VC_SCSI_UNITS)
			continue;
		if (best == n_controllers || ctrls[i].load < ctrls[best].load)
			best = i;
	}
	if (best == n_controllers)
		return vc_error_set(
		    err, VC_ERR_LIMIT,
		    "every virtio-scsi controller is full (%zu controllers, %d drives each)",
		    n_controllers, VC_SCSI_UNITS);
	for (uint32_t u = 0; u < VC_SCSI_UNITS; u++) {
		if (!unit_used(&ctrls[best], u)) {
			out->controller = (uint32_t)best;
			vc_scsi_unit_address(u, &out->scsi_id, &out->lun);
			return 0;
		}
	}
	/* load says there is room but the bitmap is full: inconsistent caller state */
	return vc_error_set(err, VC_ERR_LIMIT, "controller scsi%zu has no free unit", best);
}

int vc_scsi_mark(vc_scsi_controller *ctrls, size_t n_controllers, const vc_scsi_address *a,
		 bool used)
{
	if (a->controller >= n_controllers || a->lun >= VC_SCSI_LUNS)
		return -1;
	uint32_t unit = vc_scsi_address_unit(a);
	if (unit >= VC_SCSI_UNITS)
		return -1;
	vc_scsi_controller *c = &ctrls[a->controller];
	if (unit_used(c, unit) == used)
		return -1;
	uint64_t bit = (uint64_t)1 << (unit % 64);
	if (used) {
		c->used[unit / 64] |= bit;
		c->load++;
	} else {
		c->used[unit / 64] &= ~bit;
		c->load--;
	}
	return 0;
}

int vc_scsi_mark_coldplug(vc_scsi_controller *ctrls, size_t n_controllers, size_t n_drives,
			  vc_error **err)
{
	for (size_t i = 0; i < n_drives; i++) {
		vc_scsi_address a;
		if (vc_scsi_place_coldplug(i, n_controllers, &a, err) < 0)
			return -1;
		if (vc_scsi_mark(ctrls, n_controllers, &a, true) < 0)
			return vc_error_set(err, VC_ERR_STATE, "scsi%u unit %u/%u already in use",
					    a.controller, a.scsi_id, a.lun);
	}
	return 0;
}

void vc_bridge_slots_init(vc_bridge_slots *s, uint32_t n_bridges)
{
	uint32_t max = sizeof(s->used) / sizeof(s->used[0]);
	for (uint32_t i = 0; i < max; i++)
		s->used[i] = 0;
	s->n_bridges = n_bridges < max ? n_bridges : max;
}

static bool slot_valid(const vc_bridge_slots *s, uint32_t bridge, uint32_t slot)
{
	return bridge < s->n_bridges && slot >= VC_BRIDGE_FIRST_SLOT && slot <= VC_BRIDGE_LAST_SLOT;
}

int vc_bridge_slot_alloc(vc_bridge_slots *s, uint32_t *bridge, uint32_t *slot, vc_error **err)
{
	for (uint32_t b = 0; b < s->n_bridges; b++) {
		for (uint32_t sl = VC_BRIDGE_FIRST_SLOT; sl <= VC_BRIDGE_LAST_SLOT; sl++) {
			if (!((s->used[b] >> sl) & 1u)) {
				s->used[b] |= 1u << sl;
				*bridge = b;
				*slot = sl;
				return 0;
			}
		}
	}
	return vc_error_set(
	    err, VC_ERR_LIMIT, "no free PCI slot: %u bridge%s with slots %d..%d all used",
	    s->n_bridges, s->n_bridges == 1 ? "" : "s", VC_BRIDGE_FIRST_SLOT, VC_BRIDGE_LAST_SLOT);
}

int vc_bridge_slot_reserve(vc_bridge_slots *s, uint32_t bridge, uint32_t slot)
{
	if (!slot_valid(s, bridge, slot) || ((s->used[bridge] >> slot) & 1u))
		return -1;
	s->used[bridge] |= 1u << slot;
	return 0;
}

int vc_bridge_slot_release(vc_bridge_slots *s, uint32_t bridge, uint32_t slot)
{
	if (!slot_valid(s, bridge, slot) || !((s->used[bridge] >> slot) & 1u))
		return -1;
	s->used[bridge] &= ~(1u << slot);
	return 0;
}
