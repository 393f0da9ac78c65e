/* SPDX-License-Identifier: MIT */
/* Checks of the boot protocol (boot-protocol.md): the entry state, the
 * start info, the memory map, the boot page tables and zeroed memory. */
#include "guest.h"

static u64 memory_size(void)
{
	return start_info->memory_size;
}

static u64 boot_region(void)
{
	return memory_size() - VNR_BOOT_REGION_SIZE;
}

static int in_boot_region(u64 gpa, u64 size)
{
	return gpa >= boot_region() && gpa + size <= memory_size() &&
	       gpa + size >= gpa;
}

enum result check_BOOT_001(void)
{
	u64 rsp = entry_state[ES_RSP];

	if (rsp != memory_size() || (rsp & 15))
		return fail("RSP %lx, memory_size %lx", rsp, memory_size());
	return PASS;
}

enum result check_BOOT_002(void)
{
	u64 rdi = entry_state[ES_RDI];

	if ((rdi & 7) || !in_boot_region(rdi, sizeof(struct vnr_start_info)))
		return fail("RDI %lx", rdi);
	return PASS;
}

enum result check_BOOT_003(void)
{
	static const int zero[] = {ES_RAX, ES_RBX, ES_RCX,
				   ES_RDX, ES_RSI, ES_RBP};
	unsigned i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (entry_state[zero[i]])
			return fail("slot %d is %lx", zero[i],
				    entry_state[zero[i]]);
	for (i = 0; i < 8; i++)
		if (entry_state[ES_R8 + i])
			return fail("R%u is %lx", i + 8,
				    entry_state[ES_R8 + i]);
	return PASS;
}

static enum result expect(const char *what, int slot, u64 want)
{
	if (entry_state[slot] != want)
		return fail("%s %lx, expected %lx", what, entry_state[slot],
			    want);
	return PASS;
}

enum result check_BOOT_004(void)
{
	return expect("RFLAGS", ES_RFLAGS, 0x2);
}

enum result check_BOOT_005(void)
{
	return expect("CR0", ES_CR0, 0x80010033);
}

enum result check_BOOT_006(void)
{
	return expect("CR4", ES_CR4, 0x20);
}

enum result check_BOOT_007(void)
{
	const struct boot_msr *m = boot_msr(0xC0000080);

	if (m->vector || m->value != 0xD00)
		return fail("EFER %lx (vector %d)", m->value, m->vector);
	return PASS;
}

enum result check_BOOT_008(void)
{
	u64 cr3 = entry_state[ES_CR3] & ~0xFFFull;

	if (entry_state[ES_CR2] || entry_state[ES_CR8])
		return fail("CR2 %lx, CR8 %lx", entry_state[ES_CR2],
			    entry_state[ES_CR8]);
	if (!in_boot_region(cr3, 4096))
		return fail("CR3 %lx outside the boot region",
			    entry_state[ES_CR3]);
	return PASS;
}

enum result check_BOOT_009(void)
{
	static const int data[] = {ES_DS, ES_ES, ES_SS, ES_FS, ES_GS};
	const struct boot_msr *fs = boot_msr(0xC0000100);
	const struct boot_msr *gs = boot_msr(0xC0000101);
	unsigned i;

	if (entry_state[ES_CS] != VNR_BOOT_SELECTOR_CODE64)
		return fail("CS %lx", entry_state[ES_CS]);
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		if (entry_state[data[i]] != VNR_BOOT_SELECTOR_DATA)
			return fail("data selector %u is %lx", i,
				    entry_state[data[i]]);
	if (fs->vector || gs->vector || fs->value || gs->value)
		return fail("FS_BASE %lx, GS_BASE %lx", fs->value, gs->value);
	return PASS;
}

/* SGDT and SIDT store a 2-byte limit and then an 8-byte base. */
static u16 table_limit(int slot)
{
	return (u16)entry_state[slot];
}

static u64 table_base(int slot)
{
	return (entry_state[slot] >> 16) | (entry_state[slot + 1] << 48);
}

enum result check_BOOT_010(void)
{
	u64 base = table_base(ES_GDTR);
	const u64 *gdt = (const u64 *)base;

	if (table_limit(ES_GDTR) != VNR_BOOT_GDT_LIMIT)
		return fail("GDT limit %u", table_limit(ES_GDTR));
	if (!in_boot_region(base, VNR_BOOT_GDT_LIMIT + 1))
		return fail("GDT base %lx outside the boot region", base);
	if (gdt[0] || gdt[1] != VNR_BOOT_GDT_CODE64 ||
	    gdt[2] != VNR_BOOT_GDT_DATA)
		return fail("GDT %lx %lx %lx", gdt[0], gdt[1], gdt[2]);
	return PASS;
}

enum result check_BOOT_011(void)
{
	if (table_base(ES_IDTR) || table_limit(ES_IDTR))
		return fail("IDTR base %lx limit %u", table_base(ES_IDTR),
			    table_limit(ES_IDTR));
	if (entry_state[ES_LDTR] || entry_state[ES_TR])
		return fail("LDTR %lx, TR %lx", entry_state[ES_LDTR],
			    entry_state[ES_TR]);
	return PASS;
}

enum result check_BOOT_012(void)
{
	const u8 *env = (const u8 *)&entry_state[ES_FPU_ENV];
	u16 fcw = (u16)(env[0] | env[1] << 8);
	u16 fsw = (u16)(env[4] | env[5] << 8);
	u16 ftw = (u16)(env[8] | env[9] << 8);

	if (fcw != 0x037F || fsw || ftw != 0xFFFF)
		return fail("FCW %x, FSW %x, FTW %x", fcw, fsw, ftw);
	return PASS;
}

enum result check_BOOT_013(void)
{
	if (!boot_mxcsr_valid)
		return unsupported("no SSE");
	if (boot_mxcsr != 0x1F80)
		return fail("MXCSR %x", boot_mxcsr);
	return PASS;
}

enum result check_BOOT_014(void)
{
	if (!boot_xcr0_valid)
		return unsupported("no XSAVE");
	if (boot_xcr0 != 1)
		return fail("XCR0 %lx", boot_xcr0);
	return PASS;
}

enum result check_BOOT_015(void)
{
	int i;

	for (i = 0; i < 4; i++)
		if (entry_state[ES_DR0 + i])
			return fail("DR%d %lx", i, entry_state[ES_DR0 + i]);
	if (entry_state[ES_DR6] != 0xFFFF0FF0 || entry_state[ES_DR7] != 0x400)
		return fail("DR6 %lx, DR7 %lx", entry_state[ES_DR6],
			    entry_state[ES_DR7]);
	return PASS;
}

enum result check_BOOT_016(void)
{
	const struct boot_msr *m = boot_msr(0x277);

	if (m->vector || m->value != 0x0007040600070406ull)
		return fail("PAT %lx (vector %d)", m->value, m->vector);
	return PASS;
}

enum result check_BOOT_017(void)
{
	static const u32 zero[] = {0xC0000081, 0xC0000082, 0xC0000083,
				   0xC0000084, 0xC0000102, 0x174,
				   0x175,      0x176};
	unsigned i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		const struct boot_msr *m = boot_msr(zero[i]);

		if (m->vector || m->value)
			return fail("MSR %x is %lx (vector %d)", zero[i],
				    m->value, m->vector);
	}
	return PASS;
}

enum result check_BOOT_018(void)
{
	int i;

	for (i = 0; i < boot_msr_count; i++) {
		const struct boot_msr *m = &boot_msrs[i];
		u64 want;

		if (m->index < VNR_MSR_RANGE_FIRST ||
		    m->index > VNR_MSR_RANGE_LAST)
			continue;
		want = m->index >= VNR_MSR_SINT0 && m->index <= VNR_MSR_SINT15
			       ? VNR_SINT_MASKED
			       : 0;
		if (m->vector || m->value != want)
			return fail("MSR %x is %lx (vector %d)", m->index,
				    m->value, m->vector);
	}
	return PASS;
}

enum result check_BOOT_019(void)
{
	const struct vnr_start_info *s = start_info;
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_VP_IDENTITY, 0, r);
	if (s->magic != VNR_START_INFO_MAGIC ||
	    s->abi_version != VNR_ABI_VERSION)
		return fail("magic %x, abi_version %x", s->magic,
			    s->abi_version);
	if (s->partition_id != r[0] || s->vp_index || s->reserved)
		return fail("partition_id %u (CPUID %u), vp_index %u, "
			    "reserved %u",
			    s->partition_id, r[0], s->vp_index, s->reserved);
	if (s->memory_size != entry_state[ES_RSP])
		return fail("memory_size %lx, RSP %lx", s->memory_size,
			    entry_state[ES_RSP]);
	return PASS;
}

/* Is field (size bytes) NUL-terminated with only zeros after the NUL? */
static int terminated_clean(const char *field, int size)
{
	int i = 0;

	while (i < size && field[i])
		i++;
	if (i == size)
		return 0;
	for (; i < size; i++)
		if (field[i])
			return 0;
	return 1;
}

enum result check_BOOT_020(void)
{
	if (!terminated_clean(start_info->name, VNR_NAME_MAX))
		return fail("name");
	if (!terminated_clean(start_info->cmdline, VNR_CMDLINE_MAX))
		return fail("cmdline");
	if (!start_info->name[0])
		return fail("empty name");
	return PASS;
}

enum result check_BOOT_021(void)
{
	const struct vnr_start_info *s = start_info;
	u64 next = 0;
	u32 i;

	if (s->memmap_count > 4)
		return fail("memmap_count %u", s->memmap_count);
	for (i = 0; i < s->memmap_count; i++) {
		const struct vnr_memmap_entry *e = &s->memmap[i];

		if (e->base != next || !e->length ||
		    ((e->base | e->length) & 0xFFF))
			return fail("entry %u: base %lx length %lx, "
				    "expected base %lx",
				    i, e->base, e->length, next);
		if (e->reserved || e->type < VNR_MEM_RAM ||
		    e->type > VNR_MEM_BOOT_TABLES)
			return fail("entry %u: type %u reserved %u", i, e->type,
				    e->reserved);
		next = e->base + e->length;
	}
	if (next != s->memory_size)
		return fail("the map ends at %lx", next);
	for (; i < VNR_START_INFO_MEMMAP_MAX; i++) {
		const struct vnr_memmap_entry *e = &s->memmap[i];

		if (e->base || e->length || e->type || e->reserved)
			return fail("entry %u past memmap_count", i);
	}
	return PASS;
}

/* The type the memory map gives the page at gpa, 0 if none. */
static u32 map_type(u64 gpa)
{
	u32 i;

	for (i = 0; i < start_info->memmap_count; i++) {
		const struct vnr_memmap_entry *e = &start_info->memmap[i];

		if (gpa >= e->base && gpa - e->base < e->length)
			return e->type;
	}
	return 0;
}

enum result check_BOOT_022(void)
{
	u64 first = (u64)__image_start & ~0xFFFull;
	u64 end = ((u64)__image_end + 0xFFF) & ~0xFFFull;
	u64 gpa;

	for (gpa = 0; gpa < memory_size(); gpa += 4096) {
		u32 want = VNR_MEM_RAM;

		if (gpa >= first && gpa < end)
			want = VNR_MEM_IMAGE;
		else if (gpa >= boot_region())
			want = VNR_MEM_BOOT_TABLES;
		if (map_type(gpa) != want)
			return fail("page %lx has type %u, expected %u", gpa,
				    map_type(gpa), want);
	}
	return PASS;
}

#define PTE_ADDR  0x000FFFFFFFFFF000ull
#define PTE_FLAGS (0x1Full | 0x80ull | 0x1000ull | (1ull << 63))

enum result check_BOOT_023(void)
{
	const u64 *pml4 = (const u64 *)(entry_state[ES_CR3] & PTE_ADDR);
	const u64 *pdpt;
	u64 gpa;
	int i;

	for (i = 1; i < 512; i++)
		if (pml4[i])
			return fail("PML4 entry %d is %lx", i, pml4[i]);
	if ((pml4[0] & 0x7) != 0x3)
		return fail("PML4 entry 0 is %lx", pml4[0]);
	pdpt = (const u64 *)(pml4[0] & PTE_ADDR);
	for (i = 0; i < 512; i++) {
		u64 gib = (u64)i << 30;

		if (gib >= memory_size() && pdpt[i])
			return fail("PDPT entry %d past RAM is %lx", i,
				    pdpt[i]);
	}
	for (gpa = 0;
	     gpa < ((memory_size() + (1ull << 30) - 1) & ~((1ull << 30) - 1));
	     gpa += 2ull << 20) {
		u64 pdpte = pdpt[gpa >> 30];
		const u64 *pd = (const u64 *)(pdpte & PTE_ADDR);
		u64 pde = pd[(gpa >> 21) & 511];

		if ((pdpte & 0x87) != 0x3)
			return fail("PDPT entry for %lx is %lx", gpa, pdpte);
		if (gpa >= memory_size()) {
			if (pde)
				return fail("PD entry for %lx past RAM is "
					    "%lx",
					    gpa, pde);
			continue;
		}
		/* Present, writable, large; user, PWT, PCD, PAT and NX
		 * clear: supervisor, write-back with the boot PAT. */
		if ((pde & PTE_FLAGS) != 0x83 || (pde & PTE_ADDR) != gpa)
			return fail("PD entry for %lx is %lx", gpa, pde);
	}
	return PASS;
}

enum result check_BOOT_024(void)
{
	if (boot_bss_nonzero)
		return fail("BSS byte %d is not 0", boot_bss_nonzero - 1);
	return PASS;
}

enum result check_BOOT_025(void)
{
	if (boot_ram_nonzero)
		return fail("RAM at %lx is not 0", boot_ram_nonzero - 1);
	return PASS;
}
