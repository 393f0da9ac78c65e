/* SPDX-License-Identifier: MIT */
/*
 * Root mode (docs/spec/root-mode.md).  The firmware that started hv.efi
 * goes on as the root partition's only VP (the arch layer adopts the
 * CPU's state), and what it starts, the root's operating system, runs in
 * that partition without knowing it.  The root owns the machine: its
 * address space is the identity map of the physical address space, with
 * the hypervisor's own memory mapped read-only to a page of zeros in its
 * place.  The hypervisor needs no timer and no device while the root
 * runs: every exit comes from something the root did.
 */
#include <hv/boot.h>
#include <hv/log.h>
#include <hv/root.h>
#include <hv/string.h>
#include <hv/summary.h>

static struct hv_partition *the_root; /* deposits: holes in its map */
static u64 hv_base, hv_end;	      /* the hypervisor's memory */
static u64 host_top;		      /* what the hypervisor's own tables map */
static const struct hv_boot_info *boot;
static u64 zero_page;
static u64 start_tsc;

/* Whether [gpa, end) lies in one range of the firmware's RAM. */
static bool in_ram(u64 gpa, u64 end)
{
	for (u32 i = 0; i < boot->root_ram_count; i++) {
		const struct hv_ram_range *r = &boot->root_ram[i];

		if (gpa >= r->base && end <= r->base + r->size)
			return true;
	}
	return false;
}

/*
 * Only RAM: a hypercall buffer or a page an MSR names at an MMIO address
 * (the local APIC's, say) would have the hypervisor write device
 * registers for the root.
 */
void *root_gpa_to_host(u64 gpa, u64 size)
{
	u64 end = gpa + size;

	if (end < gpa || end > host_top || (gpa < hv_end && end > hv_base) ||
	    !in_ram(gpa, end) || deposit_overlaps(the_root, gpa, size))
		return NULL;
	return (void *)(uintptr_t)gpa;
}

static bool overlaps_hypervisor(u64 base, u64 size)
{
	return base < hv_end && base + size > hv_base;
}

/* The largest aligned block around gpa that keeps clear of the hypervisor. */
static int map_block_around(struct hv_partition *root, u64 gpa)
{
	static const u64 sizes[] = {GiB(1), MiB(2), PAGE_SIZE};

	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 base = gpa & ~(sizes[i] - 1);

		if (overlaps_hypervisor(base, sizes[i]))
			continue;
		if (!arch_map_gpa(root, base, base, sizes[i], true))
			return 0;
	}
	return -1;
}

enum root_fault root_nested_fault(struct hv_partition *root, u64 gpa,
				  bool write)
{
	if (gpa >= hv_base && gpa < hv_end)
		return write ? ROOT_FAULT_HYPERVISOR : ROOT_FAULT_UNMAPPABLE;
	if (deposit_overlaps(the_root, gpa & ~(u64)(PAGE_SIZE - 1), PAGE_SIZE))
		return ROOT_FAULT_DEPOSITED;
	if (map_block_around(root, gpa)) {
		hv_log("root: cannot map GPA 0x%llx\n",
		       (unsigned long long)gpa);
		return ROOT_FAULT_UNMAPPABLE;
	}
	return ROOT_FAULT_MAPPED;
}

static enum vnr_status map_status(int arch_error)
{
	if (!arch_error)
		return VNR_STATUS_SUCCESS;
	return arch_error == HV_MAP_NO_MEMORY ? VNR_STATUS_INSUFFICIENT_MEMORY
					      : VNR_STATUS_INVALID_GPA;
}

/* deposit.c checked that the range is the root's RAM (root_gpa_to_host). */
enum vnr_status root_unmap_ram(struct hv_partition *p, u64 gpa, u64 size)
{
	return map_status(arch_unmap_gpa(p, gpa, size));
}

enum vnr_status root_map_ram(struct hv_partition *p, u64 gpa, u64 size)
{
	return map_status(arch_map_gpa(p, gpa, gpa, size, true));
}

/* [0, host_top) but the hypervisor's memory, which reads as zeros. */
static int build_address_space(struct hv_partition *root)
{
	void *zero = page_alloc();

	if (!zero)
		return -1;
	zero_page = (u64)(uintptr_t)zero;
	if (arch_map_gpa(root, 0, 0, hv_base, true) ||
	    arch_map_gpa(root, hv_end, hv_end, host_top - hv_end, true))
		return -1;
	for (u64 gpa = hv_base; gpa < hv_end; gpa += PAGE_SIZE)
		if (arch_map_gpa(root, gpa, zero_page, PAGE_SIZE, false))
			return -1;
	return 0;
}

static struct hv_vp *create_root(void)
{
	static const struct hv_vp_boot_state adopt = {.adopt_cpu = true};
	struct hv_partition *p = partition_create("root", hv_all_privileges);

	if (!p)
		return NULL;
	the_root = p;
	p->owns_machine = true;
	if (build_address_space(p)) {
		hv_log("root: no memory for its address space\n");
		return NULL;
	}
	if (!partition_create_vp(p, &adopt)) {
		hv_log("root: no memory for its VP\n");
		return NULL;
	}
	partition_start(p);
	return &p->vps[0];
}

void root_powering_off(struct hv_partition *root)
{
	/* For the report only: the root runs until the machine is off. */
	hv_strlcpy(root->stop_reason, "powering the machine off",
		   sizeof(root->stop_reason));
	root->vps[0].run_tsc = arch_read_tsc() - start_tsc;
	summary_print_partition(root);
	root->stop_reason[0] = '\0';
	hv_log("root: hypervisor pool in use %llu KiB\n",
	       (unsigned long long)(page_pool_used() >> 10));
}

void root_main(struct hv_boot_info *bi)
{
	struct hv_vp *vp;

	boot = bi;
	hv_base = bi->reserved_base;
	hv_end = bi->reserved_base + bi->reserved_size;
	host_top = ALIGN_UP(MAX(bi->phys_top, GiB(4)), GiB(1));
	vp = create_root();
	if (!vp)
		arch_reset();
	hv_log("root: the firmware goes on as partition 'root'; the "
	       "hypervisor keeps 0x%llx-0x%llx\n",
	       (unsigned long long)hv_base, (unsigned long long)hv_end - 1);
	hv_log("cpu: %u of %u CPUs withheld from the root, kept for child "
	       "partitions\n",
	       bi->cpus_withheld, bi->cpus);
	start_tsc = arch_read_tsc();
	while (vp->state == HV_VP_RUNNABLE)
		arch_vp_run(vp);
	hv_log("root: stopped (%s): resetting the machine\n",
	       vp->partition->stop_reason);
	arch_reset();
}
