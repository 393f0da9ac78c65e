/* SPDX-License-Identifier: MIT */
/* Partition and VP lifecycle. */
#include <hv/format.h>
#include <hv/log.h>
#include <hv/partition.h>
#include <hv/string.h>

static struct hv_partition partitions[HV_MAX_PARTITIONS];
static u32 next_partition_id = 1;

struct hv_partition *partition_at(u32 slot)
{
	return slot < HV_MAX_PARTITIONS ? &partitions[slot] : NULL;
}

struct hv_partition *partition_by_id(u32 id)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		if (partitions[i].state != HV_PARTITION_FREE &&
		    partitions[i].id == id)
			return &partitions[i];
	return NULL;
}

struct hv_partition *partition_create(const char *name, u64 privileges)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		struct hv_partition *p = &partitions[i];

		if (p->state != HV_PARTITION_FREE)
			continue;
		memset(p, 0, sizeof(*p));
		p->id = next_partition_id++;
		hv_strlcpy(p->name, name, sizeof(p->name));
		p->privileges = privileges;
		if (arch_partition_init(p)) {
			hv_log("partition '%s': no memory for its address space\n",
			       name);
			return NULL;
		}
		p->state = HV_PARTITION_CREATED;
		return p;
	}
	hv_log("partition '%s': no free partition slot\n", name);
	return NULL;
}

int partition_add_memmap(struct hv_partition *p, u64 base, u64 length,
			 enum vnr_mem_type type)
{
	struct vnr_memmap_entry *e;

	if (p->memmap_count == HV_MAX_MEMMAP)
		return -1;
	e = &p->memmap[p->memmap_count++];
	e->base = base;
	e->length = length;
	e->type = type;
	e->reserved = 0;
	return 0;
}

/* Guest RAM starts at GPA 0 and is one host-contiguous range. */
int partition_give_memory(struct hv_partition *p, void *host, u64 size)
{
	if (p->ram || !IS_ALIGNED(size, PAGE_SIZE) || size == 0)
		return -1;
	if (arch_map_gpa(p, 0, (u64)(uintptr_t)host, size, true))
		return -1;
	p->ram = host;
	p->ram_size = size;
	return 0;
}

struct hv_vp *partition_create_vp(struct hv_partition *p,
				  const struct hv_vp_boot_state *boot)
{
	struct hv_vp *vp;

	if (p->vp_count == HV_MAX_VPS)
		return NULL;
	vp = &p->vps[p->vp_count];
	memset(vp, 0, sizeof(*vp));
	vp->partition = p;
	vp->index = p->vp_count;
	if (synic_init(vp) || arch_vp_init(vp, boot))
		return NULL;
	p->vp_count++;
	return vp;
}

void partition_start(struct hv_partition *p)
{
	p->state = HV_PARTITION_RUNNING;
	for (u32 i = 0; i < p->vp_count; i++)
		p->vps[i].state = HV_VP_RUNNABLE;
}

static void stop_vps(struct hv_partition *p)
{
	p->state = HV_PARTITION_STOPPED;
	for (u32 i = 0; i < p->vp_count; i++)
		p->vps[i].state = HV_VP_STOPPED;
}

void partition_stop(struct hv_partition *p, bool clean, u64 status,
		    const char *fmt, ...)
{
	va_list ap;

	if (p->state == HV_PARTITION_STOPPED)
		return;
	va_start(ap, fmt);
	hv_vsnprintf(p->stop_reason, sizeof(p->stop_reason), fmt, ap);
	va_end(ap);
	p->clean_exit = clean;
	p->exit_status = status;
	stop_vps(p);
	partition_flush_debug(p);
	hv_log("partition %u '%s' stopped: %s\n", p->id, p->name,
	       p->stop_reason);
}

static void dump_registers(struct hv_vp *vp)
{
	static const char *const names[] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
		"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
		"rip", "rfl", "cr0", "cr2", "cr3", "cr4", "efer",
	};

	for (u32 r = 0; r < HV_REG_COUNT; r += 4) {
		char line[128];
		int n = 0;

		for (u32 i = r; i < r + 4 && i < HV_REG_COUNT; i++)
			n += hv_snprintf(line + n, sizeof(line) - n,
					 " %4s=%016llx", names[i],
					 (unsigned long long)arch_vp_get_reg(
						 vp, (enum hv_reg)i));
		hv_log("  %s\n", line);
	}
}

void partition_fault(struct hv_vp *vp, const char *fmt, ...)
{
	struct hv_partition *p = vp->partition;
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	partition_stop(p, false, 0, "%s at RIP 0x%llx (VP %u)", what,
		       (unsigned long long)arch_vp_get_reg(vp, HV_REG_RIP),
		       vp->index);
	dump_registers(vp);
}

void *partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size)
{
	if (gpa >= p->ram_size || size > p->ram_size - gpa)
		return NULL;
	return p->ram + gpa;
}

u64 partition_gpa_attributes(struct hv_partition *p, u64 gpa)
{
	u32 type = 0;

	if (gpa >= p->ram_size)
		return grant_attributes_at(p, gpa);
	/* Later entries are more specific (image, boot region over RAM). */
	for (u32 i = 0; i < p->memmap_count; i++) {
		const struct vnr_memmap_entry *e = &p->memmap[i];

		if (gpa >= e->base && gpa - e->base < e->length)
			type = e->type;
	}
	return VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ | VNR_GPA_ATTR_WRITE |
	       VNR_GPA_ATTR_EXECUTE | ((u64)type << VNR_GPA_ATTR_TYPE_SHIFT);
}
