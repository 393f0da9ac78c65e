/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

void fx_reset(void)
{
	fake_arch_reset();
	fake_console_reset();
	reftime_init(0, fake_tsc_hz);
	sched_init(FX_TIMESLICE_MS);
}

struct hv_partition *fx_partition(const char *name, u64 privileges)
{
	struct hv_partition *p = partition_create(name, privileges);
	u8 *ram;

	if (!p)
		abort();
	ram = aligned_alloc(PAGE_SIZE, FX_RAM_SIZE);
	if (!ram)
		abort();
	memset(ram, 0, FX_RAM_SIZE);
	if (partition_map_ram(p, 0, ram, FX_RAM_SIZE))
		abort();
	partition_add_memmap(p, 0, 2 * PAGE_SIZE, VNR_MEM_RAM);
	partition_add_memmap(p, 2 * PAGE_SIZE, 2 * PAGE_SIZE, VNR_MEM_IMAGE);
	partition_add_memmap(p, 4 * PAGE_SIZE, 10 * PAGE_SIZE, VNR_MEM_RAM);
	partition_add_memmap(p, 14 * PAGE_SIZE, 2 * PAGE_SIZE,
			     VNR_MEM_BOOT_TABLES);
	if (!partition_create_vp(p, &(struct hv_vp_boot_state){
					    .rip = 0x2000, .rsp = FX_RAM_SIZE}))
		abort();
	partition_start(p);
	return p;
}

u8 *fx_ram(struct hv_partition *p)
{
	return partition_gpa_to_host(p, 0, FX_RAM_SIZE);
}

void *fx_gpa(struct hv_partition *p, u64 gpa)
{
	return fx_ram(p) + gpa;
}

bool fx_call(struct hv_vp *vp, u64 control, u64 rdx, u64 r8)
{
	arch_vp_set_reg(vp, HV_REG_RCX, control);
	arch_vp_set_reg(vp, HV_REG_RDX, rdx);
	arch_vp_set_reg(vp, HV_REG_R8, r8);
	arch_vp_set_reg(vp, HV_REG_RAX, FX_RAX_SENTINEL);
	return hv_hypercall(vp);
}

u64 fx_reg(struct hv_vp *vp, enum hv_reg reg)
{
	return arch_vp_get_reg(vp, reg);
}

enum vnr_status fx_status(struct hv_vp *vp)
{
	return vnr_hc_status(arch_vp_get_reg(vp, HV_REG_RAX));
}

enum vnr_status fx_hypercall(struct hv_vp *vp, u64 control, u64 rdx, u64 r8)
{
	ck_assert(fx_call(vp, control, rdx, r8));
	return fx_status(vp);
}

struct vnr_message *fx_free_slot(struct hv_partition *t, u64 simp_gpa, u32 sint)
{
	struct vnr_message_page *page = fx_gpa(t, simp_gpa);

	memset(page, FX_FILL, PAGE_SIZE);
	page->sint[sint].header.message_type = 0; /* the guest freed it */
	return &page->sint[sint];
}

void fx_expect_other_slots_untouched(struct hv_partition *t, u64 simp_gpa,
				     u32 sint)
{
	const u8 *page = fx_gpa(t, simp_gpa);

	for (u32 i = 0; i < PAGE_SIZE; i++) {
		if (i / sizeof(struct vnr_message) == sint)
			continue;
		ck_assert_msg(page[i] == FX_FILL, "SIMP byte %u written", i);
	}
}

void fx_expect_payload_zero_from(const struct vnr_message *m, u32 from)
{
	for (u32 i = from; i < VNR_MESSAGE_PAYLOAD_MAX; i++)
		ck_assert_msg(m->payload[i] == 0,
			      "payload byte %u beyond payload_size is 0x%02x",
			      i, m->payload[i]);
}

int fx_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

enum vnr_status fx_grant_create(struct hv_partition *owner, u32 peer_id,
				u64 gpa, u64 *handle)
{
	struct vnr_grant_create_input *in = fx_gpa(owner, FX_IN_GPA);
	enum vnr_status st;

	memset(in, 0, PAGE_SIZE);
	in->peer_partition_id = peer_id;
	in->page_count = 1;
	in->gpa[0] = gpa;
	st = fx_hypercall(&owner->vps[0], MEM(VNR_CALL_GRANT_CREATE), FX_IN_GPA,
			  FX_OUT_GPA);
	if (st == VNR_STATUS_SUCCESS && handle)
		*handle = ((struct vnr_grant_create_output *)fx_gpa(owner,
								    FX_OUT_GPA))
				  ->handle;
	return st;
}

enum vnr_status fx_grant_map(struct hv_partition *peer, u32 owner_id,
			     u64 handle, u64 gpa)
{
	struct vnr_grant_map_input in = {owner_id, 0, handle, gpa};

	memcpy(fx_gpa(peer, FX_IN_GPA), &in, sizeof(in));
	return fx_hypercall(&peer->vps[0], MEM(VNR_CALL_GRANT_MAP), FX_IN_GPA,
			    0);
}

enum vnr_status fx_create_child(struct hv_partition *r, const char *name,
				u32 *id)
{
	struct vnr_partition_create_input *in = fx_gpa(r, FX_IN_GPA);
	enum vnr_status st;

	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", name);
	in->vp_count = 1;
	in->notify_sint = 1;
	st = fx_hypercall(&r->vps[0], MEM(VNR_CALL_PARTITION_CREATE), FX_IN_GPA,
			  FX_OUT_GPA);
	*id = ((struct vnr_partition_create_output *)fx_gpa(r, FX_OUT_GPA))
		      ->partition_id;
	return st;
}

enum vnr_status fx_write_child(struct hv_partition *r, u32 id, u64 gpa,
			       u32 length, u8 byte)
{
	struct vnr_write_memory_input *in = fx_gpa(r, FX_IN_GPA);

	memset(in, 0, PAGE_SIZE);
	in->partition_id = id;
	in->length = length;
	in->gpa = gpa;
	memset(in->data, byte, MIN(length, VNR_WRITE_MEMORY_MAX));
	return fx_hypercall(&r->vps[0], MEM(VNR_CALL_WRITE_PARTITION_MEMORY),
			    FX_IN_GPA, 0);
}
