/* SPDX-License-Identifier: MIT */
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

int fx_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
