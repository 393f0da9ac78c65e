// SPDX-License-Identifier: MIT
/*
 * A short-lived probe built by t_probe_gpa: it touches one guest-physical
 * address and reports what happened through its exit status.
 *
 * Command line: gpa=N (hex with 0x) write=0|1.
 *
 *   PROBE_IN_RAM    the address is in its RAM and the access worked (a
 *                   write stores the byte it read, so nothing changes)
 *   PROBE_RSVD_PF   the address is above CPUID 0x80000008 EAX[7:0]
 *                   (MAXPHYADDR): the guest's own page walk raised #PF
 *                   with the reserved-bit error code, as the architecture
 *                   says; the hypervisor never sees the access
 *   PROBE_RAN_ON    the access outside RAM returned: the hypervisor let
 *                   the partition touch memory that is not its own
 *   PROBE_NO_MAP    the probe could not map the address
 *
 * An access outside RAM below MAXPHYADDR must never return: the hypervisor
 * stops the probe with "<read|write> access to unmapped GPA 0x<gpa>".
 */
#include <vnr_test.h>

#define PROBE_IN_RAM  0x40
#define PROBE_RAN_ON  0x41
#define PROBE_NO_MAP  0x42
#define PROBE_RSVD_PF 0x50

#define PTE_PRESENT   0x1ull
#define PTE_WRITE     0x2ull
#define PTE_LARGE     0x80ull
#define PTE_ADDR      0x000FFFFFFFFFF000ull
#define LARGE_PAGE    (2ull << 20)
#define PF_RSVD	      0x8ull

static vnr_u64 spare[4][512] __attribute__((aligned(VNR_PAGE_SIZE)));
static unsigned int spare_used;

static vnr_u64 *table_of(vnr_u64 entry)
{
	return (vnr_u64 *)(uintptr_t)(entry & PTE_ADDR);
}

static unsigned int index_of(vnr_u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

/*
 * Identity-maps the page of gpa (a 4 KiB page, or a 2 MiB page where no
 * table exists yet).  Addresses of 2^47 and more are not canonical as
 * virtual addresses, so those are mapped at a low alias: va is returned.
 */
static bool map_probe(vnr_u64 gpa, vnr_u64 *va)
{
	vnr_u64 v = gpa;
	vnr_u64 *table = table_of(vnr_read_cr3());
	int level;

	if (gpa >= (1ull << 47))
		v = (0x7F8000000000ull) | (gpa & (LARGE_PAGE - 1));
	*va = v;
	for (level = 4; level > 1; level--) {
		vnr_u64 *e = &table[index_of(v, level)];

		if (*e & PTE_PRESENT && (level == 4 || !(*e & PTE_LARGE))) {
			table = table_of(*e);
			continue;
		}
		if (*e & PTE_PRESENT) {
			/* A 2 MiB page maps it already (RAM only). */
			if (v != gpa)
				return false;
			vnr_invlpg(v);
			return true;
		}
		if (level == 2) {
			*e = (gpa & ~(LARGE_PAGE - 1) & PTE_ADDR) |
			     PTE_PRESENT | PTE_WRITE | PTE_LARGE;
			vnr_invlpg(v);
			return true;
		}
		if (spare_used == 4)
			return false;
		*e = vnr_gpa(spare[spare_used++]) | PTE_PRESENT | PTE_WRITE;
		table = table_of(*e);
	}
	if (!(table[index_of(v, 1)] & PTE_PRESENT))
		table[index_of(v, 1)] =
			(gpa & PTE_ADDR) | PTE_PRESENT | PTE_WRITE;
	vnr_invlpg(v);
	return true;
}

/* One byte access with a 2-byte instruction, so a #PF can be skipped. */
static vnr_u8 probe_read(vnr_u64 va)
{
	vnr_u8 v = 0;

	asm volatile("movb (%%rax), %%cl" : "+c"(v) : "a"(va) : "memory");
	return v;
}

static void probe_write(vnr_u64 va, vnr_u8 v)
{
	asm volatile("movb %%cl, (%%rax)" : : "a"(va), "c"(v) : "memory");
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 gpa = vnr_cmdline_u64("gpa", 0);
	bool write = vnr_cmdline_u64("write", 0);
	unsigned int maxphys = vnr_cpuid(0x80000008, 0).eax & 0xFF;
	vnr_u64 va, err = 0;
	vnr_u8 v = 0x5A;

	if (!map_probe(gpa, &va))
		return PROBE_NO_MAP;
	if (gpa < si->memory_size) {
		v = probe_read(va);
		if (write)
			probe_write(va, v);
		return PROBE_IN_RAM;
	}
	vnr_test_catch(VNR_EXC_PF, 2);
	if (write)
		probe_write(va, v);
	else
		(void)probe_read(va);
	if (vnr_test_caught(&err) == VNR_EXC_PF && gpa >> maxphys &&
	    (err & PF_RSVD))
		return PROBE_RSVD_PF;
	return PROBE_RAN_ON;
}
