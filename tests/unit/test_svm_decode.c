/* SPDX-License-Identifier: MIT */
/*
 * The AMD-V backend's exit decoding (hv/arch/x86/svm/svm_exit.c) and the
 * length of an intercepted instruction read from guest memory
 * (hv/arch/x86/svm/svm_insn.c), built hosted: a VMCB in host memory, the
 * fixture partition's RAM holding the guest's page tables and code, and
 * partition_gpa_to_host wrapped to count the guest reads, which is how a
 * hit in the per-VP instruction cache shows.
 */
#include <check.h>
#include <string.h>

#include "../../hv/arch/x86/svm/svm_internal.h"
#include "fixture.h"

#define CR0_PE	  (1ull << 0)
#define CR0_PG	  (1ull << 31)
#define CR4_PAE	  (1ull << 5)
#define CR4_LA57  (1ull << 12)
#define EFER_LME  (1ull << 8)
#define EFER_LMA  (1ull << 10)
#define CS_ATTR_L (1u << 9)
#define RFLAGS_TF (1ull << 8)
#define DR6_BS	  (1ull << 14)
#define PTE_P_RW  0x3ull
#define PTE_LARGE 0x80ull

/*
 * The guest's tables: VA 0x40000000 (4 KiB pages) maps to CODE_GPA and the
 * next page to NEXT_GPA, not contiguous; VA 0x40200000 is a 2 MiB page and
 * VA 0x80000000 a 1 GiB page, both at GPA 0.
 */
#define PML4_GPA    0x8000ull
#define PDPT_GPA    0x9000ull
#define PD_GPA	    0xA000ull
#define PT_GPA	    0xB000ull
#define CODE_GPA    0x3000ull
#define NEXT_GPA    0x5000ull
#define SPARE_GPA   0x6000ull
#define CODE_VA	    0x40000000ull
#define LARGE_VA    0x40200000ull
#define HUGE_VA	    0x80000000ull
#define UNMAPPED_VA 0x40003000ull
#define OUTSIDE_GPA 0x100000ull /* beyond the fixture's RAM */

/* The backend's state that svm.c and svm_vp.c would provide. */
struct svm_state svm;
static u32 injected_vector, injections;

void vendor_inject_exception(struct hv_vp *vp, u8 vector, bool has_error,
			     u32 error_code)
{
	(void)vp, (void)has_error, (void)error_code;
	injected_vector = vector;
	injections++;
}

static u32 guest_reads;
void *__real_partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size);
void *__wrap_partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size);

void *__wrap_partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size)
{
	guest_reads++;
	return __real_partition_gpa_to_host(p, gpa, size);
}

static struct hv_partition *p;
static struct vmcb vmcb;
static struct svm_vp sv;
static struct hv_vp vp;

static u64 *pte(u64 table_gpa, u32 index)
{
	return (u64 *)(fx_ram(p) + table_gpa) + index;
}

static void setup(void)
{
	fx_reset();
	p = fx_partition("decode", 0);
	*pte(PML4_GPA, 0) = PDPT_GPA | PTE_P_RW;
	*pte(PDPT_GPA, 1) = PD_GPA | PTE_P_RW;
	*pte(PDPT_GPA, 2) = 0 | PTE_P_RW | PTE_LARGE;
	*pte(PD_GPA, 0) = PT_GPA | PTE_P_RW;
	*pte(PD_GPA, 1) = 0 | PTE_P_RW | PTE_LARGE;
	*pte(PT_GPA, 0) = CODE_GPA | PTE_P_RW;
	*pte(PT_GPA, 1) = NEXT_GPA | PTE_P_RW;
	*pte(PT_GPA, 2) = OUTSIDE_GPA | PTE_P_RW;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.cr0 = CR0_PE | CR0_PG;
	vmcb.save.cr3 = PML4_GPA;
	vmcb.save.cr4 = CR4_PAE;
	vmcb.save.efer = EFER_LME | EFER_LMA;
	vmcb.save.cs.attrib = CS_ATTR_L;
	vmcb.save.rip = CODE_VA;
	vmcb.control.exit_code = SVM_EXIT_CPUID;
	memset(&sv, 0, sizeof(sv));
	sv.vmcb = &vmcb;
	memset(&vp, 0, sizeof(vp));
	vp.partition = p;
	vp.arch = &sv;
	svm = (struct svm_state){0};
	injected_vector = 0;
	injections = 0;
	guest_reads = 0;
}

static void put_code(u64 gpa, const char *bytes, size_t n)
{
	memcpy(fx_ram(p) + gpa, bytes, n);
}

static u32 length(void)
{
	return svm_instruction_length(&vp, &vmcb);
}

/* The length again, and how many guest reads it took (0: a cache hit). */
static u32 length_again(u32 *reads)
{
	u32 len;

	guest_reads = 0;
	len = length();
	*reads = guest_reads;
	return len;
}

START_TEST(each_intercepted_instruction_has_its_length)
{
	static const struct {
		u64 exit_code, info1;
		const char *bytes;
		u32 len;
	} cases[] = {
		{SVM_EXIT_CPUID, 0, "\x0F\xA2", 2},
		{SVM_EXIT_VMMCALL, 0, "\x0F\x01\xD9", 3},
		{SVM_EXIT_MSR, 0, "\x0F\x32", 2},
		{SVM_EXIT_MSR, 1, "\x0F\x30", 2},
		{SVM_EXIT_HLT, 0, "\xF4", 1},
		{SVM_EXIT_XSETBV, 0, "\x0F\x01\xD1", 3},
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		put_code(CODE_GPA, cases[i].bytes, cases[i].len);
		vmcb.control.exit_code = cases[i].exit_code;
		vmcb.control.exit_info1 = cases[i].info1;
		ck_assert_uint_eq(length(), cases[i].len);
	}
}
END_TEST

START_TEST(bytes_of_another_instruction_are_refused)
{
	put_code(CODE_GPA, "\x0F\x30", 2); /* WRMSR, but the exit is RDMSR */
	vmcb.control.exit_code = SVM_EXIT_MSR;
	ck_assert_uint_eq(length(), 0);
	put_code(CODE_GPA, "\x90\x0F\xA2", 3); /* NOP is no prefix */
	vmcb.control.exit_code = SVM_EXIT_CPUID;
	ck_assert_uint_eq(length(), 0);
	put_code(CODE_GPA, "\x0F\xA2", 2);
	vmcb.control.exit_code = SVM_EXIT_IOIO; /* its length is in EXITINFO2 */
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(prefixes_count_in_the_length)
{
	put_code(CODE_GPA,
		 "\x26\x2E\x36\x3E\x64\x65\x66\x67\xF0\xF2\xF3\x0F\xA2", 13);
	ck_assert_uint_eq(length(), 13);
}
END_TEST

/* In 64-bit mode 0x40-0x4F are REX; elsewhere they are INC and DEC. */
START_TEST(rex_is_a_prefix_only_in_64_bit_mode)
{
	put_code(CODE_GPA, "\x48\x0F\xA2", 3);
	ck_assert_uint_eq(length(), 3);
	vmcb.save.cs.attrib = 0;
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(fifteen_bytes_at_most)
{
	char code[16];

	memset(code, 0x66, sizeof(code));
	memcpy(code + 13, "\x0F\xA2", 2);
	put_code(CODE_GPA, code, 15);
	ck_assert_uint_eq(length(), 15);
	memset(code, 0x66, sizeof(code));
	memcpy(code + 14, "\x0F\xA2", 2);
	put_code(CODE_GPA, code, 16);
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(large_and_huge_pages_are_walked)
{
	put_code(SPARE_GPA, "\xF3\x0F\xA2", 3);
	vmcb.save.rip = LARGE_VA + SPARE_GPA;
	ck_assert_uint_eq(length(), 3);
	vmcb.save.rip = HUGE_VA + SPARE_GPA;
	ck_assert_uint_eq(length(), 3);
}
END_TEST

/* The bytes of one instruction in two pages that are apart in the GPA. */
START_TEST(an_instruction_may_cross_a_page)
{
	put_code(CODE_GPA + PAGE_SIZE - 2, "\x66\x0F", 2);
	put_code(NEXT_GPA, "\xA2", 1);
	vmcb.save.rip = CODE_VA + PAGE_SIZE - 2;
	ck_assert_uint_eq(length(), 3);
}
END_TEST

START_TEST(without_paging_the_linear_address_is_the_gpa)
{
	put_code(SPARE_GPA, "\x0F\xA2", 2);
	vmcb.save.cr0 = CR0_PE;
	vmcb.save.efer = 0;
	vmcb.save.cs.attrib = 0;
	vmcb.save.rip = SPARE_GPA;
	ck_assert_uint_eq(length(), 2);
}
END_TEST

/* Outside 64-bit mode the instruction is at CS.base + EIP, 32 bits wide. */
START_TEST(compatibility_mode_adds_the_cs_base)
{
	put_code(SPARE_GPA, "\x0F\xA2", 2);
	vmcb.save.cr0 = CR0_PE;
	vmcb.save.efer = 0;
	vmcb.save.cs.attrib = 0;
	vmcb.save.cs.base = 0x100000000ull + SPARE_GPA - 0x10;
	vmcb.save.rip = 0x10;
	ck_assert_uint_eq(length(), 2);
}
END_TEST

/* An instruction ending at the last byte of RAM needs no byte beyond. */
START_TEST(the_last_bytes_of_ram_are_enough)
{
	vmcb.save.cr0 = CR0_PE;
	put_code(FX_RAM_SIZE - 2, "\x0F\xA2", 2);
	vmcb.save.rip = FX_RAM_SIZE - 2;
	ck_assert_uint_eq(length(), 2);
	put_code(FX_RAM_SIZE - 2, "\x66\x0F", 2);
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(unreadable_bytes_are_refused)
{
	vmcb.save.rip = UNMAPPED_VA; /* PTE not present */
	ck_assert_uint_eq(length(), 0);
	vmcb.save.rip = CODE_VA + 2 * PAGE_SIZE; /* PTE beyond RAM */
	ck_assert_uint_eq(length(), 0);
	vmcb.save.rip = CODE_VA;
	vmcb.save.cr3 = OUTSIDE_GPA; /* tables beyond RAM */
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(a_page_boundary_into_nothing_is_refused)
{
	put_code(CODE_GPA + PAGE_SIZE - 1, "\x0F", 1);
	*pte(PT_GPA, 1) = 0;
	vmcb.save.rip = CODE_VA + PAGE_SIZE - 1;
	ck_assert_uint_eq(length(), 0);
}
END_TEST

/* Legacy (32-bit) paging and 5-level paging are not decoded. */
START_TEST(other_paging_modes_are_refused)
{
	put_code(CODE_GPA, "\x0F\xA2", 2);
	vmcb.save.cr4 = CR4_PAE | CR4_LA57;
	ck_assert_uint_eq(length(), 0);
	vmcb.save.cr4 = CR4_PAE;
	vmcb.save.efer = 0;
	vmcb.save.cs.attrib = 0;
	vmcb.save.rip = (u32)CODE_VA;
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(the_same_instruction_again_is_not_read_again)
{
	u32 reads;

	put_code(CODE_GPA, "\xF3\x0F\xA2", 3);
	ck_assert_uint_eq(length(), 3);
	ck_assert_uint_gt(guest_reads, 0);
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_eq(reads, 0);
}
END_TEST

/* Only the instruction's own bytes matter, not those after it. */
START_TEST(bytes_after_the_instruction_keep_the_cache)
{
	u32 reads;

	put_code(CODE_GPA, "\xF3\x0F\xA2\x90", 4);
	ck_assert_uint_eq(length(), 3);
	put_code(CODE_GPA + 3, "\xCC\xCC\xCC\xCC\xCC", 5);
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_eq(reads, 0);
}
END_TEST

START_TEST(changed_bytes_invalidate_the_cache)
{
	put_code(CODE_GPA, "\xF3\x0F\xA2", 3);
	ck_assert_uint_eq(length(), 3);
	put_code(CODE_GPA, "\x90", 1);
	ck_assert_uint_eq(length(), 0);
}
END_TEST

/* Past eight bytes the cached copy is compared byte for byte. */
START_TEST(changed_bytes_of_a_long_instruction_invalidate_the_cache)
{
	put_code(CODE_GPA, "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x0F\xA2",
		 12);
	ck_assert_uint_eq(length(), 12);
	put_code(CODE_GPA + 9, "\x90", 1);
	ck_assert_uint_eq(length(), 0);
}
END_TEST

START_TEST(a_changed_page_table_entry_invalidates_the_cache)
{
	put_code(CODE_GPA, "\xF3\x0F\xA2", 3);
	put_code(SPARE_GPA, "\x0F\xA2", 2);
	ck_assert_uint_eq(length(), 3);
	*pte(PT_GPA, 0) = SPARE_GPA | PTE_P_RW;
	ck_assert_uint_eq(length(), 2);
	*pte(PD_GPA, 0) = 0;
	ck_assert_uint_eq(length(), 0);
}
END_TEST

/* Each input of the translation and the decoding is part of the key. */
START_TEST(changed_translation_state_misses_the_cache)
{
	u32 reads;

	put_code(CODE_GPA, "\xF3\x0F\xA2", 3);
	put_code(CODE_GPA + 3, "\xF3\x0F\xA2", 3);
	ck_assert_uint_eq(length(), 3);
	vmcb.save.cr3 |= 0x8; /* PWT: the same tables */
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	vmcb.save.cr4 |= 1ull << 7; /* PGE */
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	vmcb.save.cr0 |= 1ull << 16; /* WP */
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	vmcb.save.efer |= 1ull << 11; /* NXE */
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	vmcb.save.cs.attrib |= 1u << 1; /* accessed */
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	p->mem.ram_generation++;
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
	vmcb.save.rip += 3;
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
}
END_TEST

START_TEST(another_exit_misses_the_cache)
{
	put_code(CODE_GPA, "\x0F\xA2", 2);
	ck_assert_uint_eq(length(), 2);
	vmcb.control.exit_code = SVM_EXIT_HLT;
	ck_assert_uint_eq(length(), 0);
}
END_TEST

/* Across a page boundary the bytes have no one host address to watch. */
START_TEST(a_crossing_instruction_is_not_cached)
{
	u32 reads;

	put_code(CODE_GPA + PAGE_SIZE - 2, "\x66\x0F", 2);
	put_code(NEXT_GPA, "\xA2", 1);
	vmcb.save.rip = CODE_VA + PAGE_SIZE - 2;
	ck_assert_uint_eq(length(), 3);
	ck_assert_uint_eq(length_again(&reads), 3);
	ck_assert_uint_gt(reads, 0);
}
END_TEST

START_TEST(next_rip_gives_the_length_when_the_cpu_saves_it)
{
	struct x86_exit e = {.reason = HV_EXIT_CPUID};

	svm.nrips = true;
	vmcb.control.next_rip = CODE_VA + 7;
	ck_assert(vendor_decode_length(&vp, &e));
	ck_assert_uint_eq(e.insn_len, 7);
	vendor_skip_instruction(&vp, &e);
	ck_assert_uint_eq(vmcb.save.rip, CODE_VA + 7);
	ck_assert_uint_eq(guest_reads, 0);
}
END_TEST

START_TEST(a_known_length_is_not_decoded)
{
	struct x86_exit e = {.reason = HV_EXIT_IO, .insn_len = 2};

	ck_assert(vendor_decode_length(&vp, &e));
	ck_assert_uint_eq(e.insn_len, 2);
	vendor_skip_instruction(&vp, &e);
	ck_assert_uint_eq(vmcb.save.rip, CODE_VA + 2);
	ck_assert_uint_eq(guest_reads, 0);
}
END_TEST

START_TEST(skipping_decodes_and_moves_rip)
{
	struct x86_exit e = {.reason = HV_EXIT_CPUID};

	put_code(CODE_GPA, "\x66\x0F\xA2", 3);
	ck_assert(vendor_decode_length(&vp, &e));
	ck_assert_uint_eq(e.insn_len, 3);
	e.insn_len = 0;
	vendor_skip_instruction(&vp, &e);
	ck_assert_uint_eq(vmcb.save.rip, CODE_VA + 3);
	ck_assert_uint_eq(injections, 0);
}
END_TEST

START_TEST(an_undecodable_instruction_raises_ud_in_place)
{
	struct x86_exit e = {.reason = HV_EXIT_CPUID};

	put_code(CODE_GPA, "\x90\x90", 2);
	ck_assert(!vendor_decode_length(&vp, &e));
	vendor_skip_instruction(&vp, &e);
	ck_assert_uint_eq(vmcb.save.rip, CODE_VA);
	ck_assert_uint_eq(injections, 1);
	ck_assert_uint_eq(injected_vector, X86_VECTOR_UD);
}
END_TEST

START_TEST(single_stepping_traps_after_the_instruction)
{
	struct x86_exit e = {.reason = HV_EXIT_HLT, .insn_len = 1};

	vmcb.save.rflags = RFLAGS_TF | 0x2;
	vendor_skip_instruction(&vp, &e);
	ck_assert_uint_eq(vmcb.save.rip, CODE_VA + 1);
	ck_assert_uint_eq(injections, 1);
	ck_assert_uint_eq(injected_vector, X86_VECTOR_DB);
	ck_assert(vmcb.save.dr6 & DR6_BS);
}
END_TEST

static struct x86_exit decode(u64 code, u64 info1, u64 info2)
{
	struct x86_exit e;

	memset(&e, 0xA5, sizeof(e));
	vmcb.control.exit_code = code;
	vmcb.control.exit_info1 = info1;
	vmcb.control.exit_info2 = info2;
	svm_decode_exit(&vmcb, &e);
	return e;
}

START_TEST(exits_decode_to_their_reasons)
{
	struct x86_exit e;

	vmcb.save.cpl = 3;
	e = decode(SVM_EXIT_VMMCALL, 0, 0);
	ck_assert_int_eq(e.reason, HV_EXIT_HYPERCALL);
	ck_assert_uint_eq(e.insn_len, 0);
	ck_assert_uint_eq(e.cpl, 3);
	e = decode(SVM_EXIT_MSR, 1, 0);
	ck_assert_int_eq(e.reason, HV_EXIT_MSR_WRITE);
	ck_assert(e.write);
	ck_assert_uint_eq(e.cpl, 3);
	e = decode(SVM_EXIT_MSR, 0, 0);
	ck_assert_int_eq(e.reason, HV_EXIT_MSR_READ);
	ck_assert(!e.write);
	ck_assert_int_eq(decode(SVM_EXIT_CPUID, 0, 0).reason, HV_EXIT_CPUID);
	ck_assert_int_eq(decode(SVM_EXIT_HLT, 0, 0).reason, HV_EXIT_HLT);
	ck_assert_int_eq(decode(SVM_EXIT_XSETBV, 0, 0).reason, HV_EXIT_XSETBV);
	ck_assert_int_eq(decode(SVM_EXIT_VINTR, 0, 0).reason,
			 HV_EXIT_INTERRUPT_WINDOW);
	ck_assert_int_eq(decode(SVM_EXIT_INTR, 0, 0).reason, HV_EXIT_INTERRUPT);
	ck_assert_int_eq(decode(SVM_EXIT_SHUTDOWN, 0, 0).reason,
			 HV_EXIT_TRIPLE_FAULT);
	ck_assert_int_eq(decode(SVM_EXIT_STGI, 0, 0).reason,
			 HV_EXIT_VIRT_INSTRUCTION);
	ck_assert_int_eq(decode(SVM_EXIT_INVD, 0, 0).reason, HV_EXIT_INVD);
	ck_assert_int_eq(decode(SVM_EXIT_INIT, 0, 0).reason, HV_EXIT_INIT);
	ck_assert_int_eq(decode(SVM_EXIT_TASK_SWITCH, 0, 0).reason,
			 HV_EXIT_OTHER);
}
END_TEST

START_TEST(io_exits_carry_port_direction_and_length)
{
	struct x86_exit e;

	e = decode(SVM_EXIT_IOIO, (0x3F8ull << 16) | SVM_IOIO_SIZE8,
		   CODE_VA + 1);
	ck_assert_int_eq(e.reason, HV_EXIT_IO);
	ck_assert_uint_eq(e.qualification, 0x3F8);
	ck_assert(e.write);
	ck_assert(e.io_byte);
	ck_assert_uint_eq(e.insn_len, 1);
	e = decode(SVM_EXIT_IOIO,
		   (0x3F8ull << 16) | SVM_IOIO_IN | SVM_IOIO_STRING |
			   SVM_IOIO_SIZE8,
		   CODE_VA + 2);
	ck_assert(!e.write);
	ck_assert(!e.io_byte);
	ck_assert_uint_eq(e.insn_len, 2);
}
END_TEST

START_TEST(faults_and_exceptions_carry_their_details)
{
	struct x86_exit e;

	e = decode(SVM_EXIT_NPF, 0x7, 0x123000);
	ck_assert_int_eq(e.reason, HV_EXIT_NESTED_PAGE_FAULT);
	ck_assert_uint_eq(e.qualification, 0x123000);
	ck_assert_uint_eq(e.error_code, 0x7);
	ck_assert(e.write);
	e = decode(SVM_EXIT_EXCEPTION_BASE + X86_VECTOR_AC, 0, 0);
	ck_assert_int_eq(e.reason, HV_EXIT_EXCEPTION);
	ck_assert_uint_eq(e.qualification, X86_VECTOR_AC);
	ck_assert(!e.entry_failed);
}
END_TEST

/* QEMU reports the refusal 32 bits wide. */
START_TEST(a_refused_entry_is_reported_and_undone)
{
	vmcb.save.rip = 0x1234;
	vmcb.save.cr3 = 0x5000;
	vmcb.save.cpl = 3;
	svm_keep_entry_state(&sv);
	vmcb.save.rip = 0xDEAD;
	vmcb.save.cr3 = 0xBEEF000;
	vmcb.save.cpl = 0;
	vmcb.control.exit_code = (u32)SVM_EXIT_INVALID;
	svm_recover_refused_entry(&sv);
	ck_assert_uint_eq(vmcb.save.rip, 0x1234);
	ck_assert_uint_eq(vmcb.save.cr3, 0x5000);
	ck_assert_uint_eq(vmcb.save.cpl, 3);
	ck_assert(decode((u32)SVM_EXIT_INVALID, 0, 0).entry_failed);
	ck_assert(decode(SVM_EXIT_INVALID, 0, 0).entry_failed);
}
END_TEST

START_TEST(an_accepted_entry_is_left_alone)
{
	svm_keep_entry_state(&sv);
	vmcb.save.rip = 0x4321;
	svm_recover_refused_entry(&sv);
	ck_assert_uint_eq(vmcb.save.rip, 0x4321);
}
END_TEST

static Suite *svm_decode_suite(void)
{
	Suite *s = suite_create("svm_decode");
	TCase *len = tcase_create("length");
	TCase *cache = tcase_create("cache");
	TCase *skip = tcase_create("skip");
	TCase *exits = tcase_create("exits");

	tcase_add_checked_fixture(len, setup, NULL);
	tcase_add_test(len, each_intercepted_instruction_has_its_length);
	tcase_add_test(len, bytes_of_another_instruction_are_refused);
	tcase_add_test(len, prefixes_count_in_the_length);
	tcase_add_test(len, rex_is_a_prefix_only_in_64_bit_mode);
	tcase_add_test(len, fifteen_bytes_at_most);
	tcase_add_test(len, large_and_huge_pages_are_walked);
	tcase_add_test(len, an_instruction_may_cross_a_page);
	tcase_add_test(len, without_paging_the_linear_address_is_the_gpa);
	tcase_add_test(len, compatibility_mode_adds_the_cs_base);
	tcase_add_test(len, the_last_bytes_of_ram_are_enough);
	tcase_add_test(len, unreadable_bytes_are_refused);
	tcase_add_test(len, a_page_boundary_into_nothing_is_refused);
	tcase_add_test(len, other_paging_modes_are_refused);
	suite_add_tcase(s, len);

	tcase_add_checked_fixture(cache, setup, NULL);
	tcase_add_test(cache, the_same_instruction_again_is_not_read_again);
	tcase_add_test(cache, bytes_after_the_instruction_keep_the_cache);
	tcase_add_test(cache, changed_bytes_invalidate_the_cache);
	tcase_add_test(
		cache,
		changed_bytes_of_a_long_instruction_invalidate_the_cache);
	tcase_add_test(cache, a_changed_page_table_entry_invalidates_the_cache);
	tcase_add_test(cache, changed_translation_state_misses_the_cache);
	tcase_add_test(cache, another_exit_misses_the_cache);
	tcase_add_test(cache, a_crossing_instruction_is_not_cached);
	suite_add_tcase(s, cache);

	tcase_add_checked_fixture(skip, setup, NULL);
	tcase_add_test(skip, next_rip_gives_the_length_when_the_cpu_saves_it);
	tcase_add_test(skip, a_known_length_is_not_decoded);
	tcase_add_test(skip, skipping_decodes_and_moves_rip);
	tcase_add_test(skip, an_undecodable_instruction_raises_ud_in_place);
	tcase_add_test(skip, single_stepping_traps_after_the_instruction);
	suite_add_tcase(s, skip);

	tcase_add_checked_fixture(exits, setup, NULL);
	tcase_add_test(exits, exits_decode_to_their_reasons);
	tcase_add_test(exits, io_exits_carry_port_direction_and_length);
	tcase_add_test(exits, faults_and_exceptions_carry_their_details);
	tcase_add_test(exits, a_refused_entry_is_reported_and_undone);
	tcase_add_test(exits, an_accepted_entry_is_left_alone);
	suite_add_tcase(s, exits);
	return s;
}

int main(void)
{
	return fx_run_suite(svm_decode_suite());
}
