/* SPDX-License-Identifier: MIT */
/* The MP configuration table of <libvnr/mp_table.h>, as spec 1.4 lays it. */
#include <libvnr/mp_table.h>
#include <libvnr/string.h>

#define SPEC_REV	 4
#define LAPIC_ADDRESS	 0xFEE00000u
#define LAPIC_VERSION	 0x14
#define CPU_ENABLED	 0x01
#define CPU_BOOTSTRAP	 0x02
#define FEATURE_FPU_APIC 0x00000201u /* CPUID.1:EDX FPU and APIC */
#define FLOATING_SIZE	 16u
#define HEADER_SIZE	 44u
#define PROCESSOR_SIZE	 20u

static void put16(vnr_u8 *p, vnr_u16 v)
{
	p[0] = (vnr_u8)v;
	p[1] = (vnr_u8)(v >> 8);
}

static void put32(vnr_u8 *p, vnr_u32 v)
{
	put16(p, (vnr_u16)v);
	put16(p + 2, (vnr_u16)(v >> 16));
}

/* The byte that makes the sum of [p, p + len) zero. */
static vnr_u8 checksum(const vnr_u8 *p, vnr_u32 len)
{
	vnr_u8 sum = 0;

	for (vnr_u32 i = 0; i < len; i++)
		sum = (vnr_u8)(sum + p[i]);
	return (vnr_u8)-sum;
}

/* The CPU signature is 0: the processor is the one CPUID describes. */
static void write_processor(vnr_u8 *e, vnr_u32 index)
{
	e[0] = 0; /* entry type: processor */
	e[1] = (vnr_u8)index;
	e[2] = LAPIC_VERSION;
	e[3] = CPU_ENABLED | (index == 0 ? CPU_BOOTSTRAP : 0);
	put32(e + 8, FEATURE_FPU_APIC);
}

int vnr_mp_table_write(const struct vnr_gpa_writer *w, vnr_u32 vp_count)
{
	vnr_u8 buf[FLOATING_SIZE + HEADER_SIZE +
		   VNR_MP_TABLE_MAX_VPS * PROCESSOR_SIZE];
	vnr_u8 *mpf = buf, *mpc = buf + FLOATING_SIZE;
	vnr_u32 table_len = HEADER_SIZE + vp_count * PROCESSOR_SIZE;

	if (vp_count == 0 || vp_count > VNR_MP_TABLE_MAX_VPS)
		return -1;
	memset(buf, 0, sizeof(buf));
	memcpy(mpf, "_MP_", 4);
	put32(mpf + 4, VNR_MP_TABLE_GPA + FLOATING_SIZE);
	mpf[8] = 1; /* length in 16-byte units */
	mpf[9] = SPEC_REV;
	mpf[10] = checksum(mpf, FLOATING_SIZE);
	memcpy(mpc, "PCMP", 4);
	put16(mpc + 4, (vnr_u16)table_len);
	mpc[6] = SPEC_REV;
	memcpy(mpc + 8, "VENEER  ", 8);
	memcpy(mpc + 16, "PC PLATFORM ", 12);
	put16(mpc + 34, (vnr_u16)vp_count);
	put32(mpc + 36, LAPIC_ADDRESS);
	for (vnr_u32 i = 0; i < vp_count; i++)
		write_processor(mpc + HEADER_SIZE + i * PROCESSOR_SIZE, i);
	mpc[7] = checksum(mpc, table_len);
	return vnr_gpa_write_pages(w, VNR_MP_TABLE_GPA, buf,
				   FLOATING_SIZE + table_len);
}
