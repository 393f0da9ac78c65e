/* SPDX-License-Identifier: MIT */
/*
 * SET_VP_REGISTERS refuses every value VMRUN would refuse on entry (AMD64
 * APM vol. 2, 15.5.1), judged against what the processor implements
 * (arch_cpu_limits(), steered through fake_cpu_limits): CR0.NW without CD,
 * CR4 bits the processor lacks or that do not exist on AMD (bit 19), CR3 at
 * or above the physical-address width, EFER bits without their feature.
 * A refused value leaves the register as it was.
 */
#include <check.h>
#include <string.h>

#include "fixture.h"

#define IN_GPA	  0x4000ull

#define BOOT_CR0  0x80010033ull /* PE MP ET NE WP PG */
#define BOOT_CR4  0x20ull	/* PAE */
#define BOOT_EFER 0xD00ull	/* LME LMA NXE */
#define CR0_NW	  (1ull << 29)
#define CR0_CD	  (1ull << 30)
#define CR4_KL	  (1ull << 19) /* Intel's Key Locker: reserved on AMD */
#define CR4_SMEP  (1ull << 20)
#define CR4_PKE	  (1ull << 22)
#define EFER_SCE  (1ull << 0)
#define EFER_NXE  (1ull << 11)

static struct hv_partition *root, *child;
static struct hv_vp *cvp;

static void setup(void)
{
	fx_reset();
	root = fx_partition("root", VNR_PRIV_MASK(CREATE_PARTITIONS));
	child = partition_create("child", 0);
	ck_assert_ptr_nonnull(child);
	child->parent = root->id;
	cvp = partition_create_vp(child, NULL);
	ck_assert_ptr_nonnull(cvp);
	arch_vp_set_reg(cvp, HV_REG_CR0, BOOT_CR0);
	arch_vp_set_reg(cvp, HV_REG_CR4, BOOT_CR4);
	arch_vp_set_reg(cvp, HV_REG_EFER, BOOT_EFER);
}

/* SET of n registers; *done gets the reps completed. */
static enum vnr_status set_regs(const struct vnr_register_value *r, u32 n,
				u32 *done)
{
	u8 *in = fx_ram(root) + IN_GPA;
	struct vnr_vp_registers_input h = {child->id, 0};
	u64 result;

	memcpy(in, &h, sizeof(h));
	memcpy(in + sizeof(h), r, n * sizeof(*r));
	ck_assert(fx_call(&root->vps[0], REP(VNR_CALL_SET_VP_REGISTERS, n, 0),
			  IN_GPA, 0));
	result = fx_reg(&root->vps[0], HV_REG_RAX);
	if (done)
		*done = (u32)((result & VNR_HC_REPS_DONE_MASK) >>
			      VNR_HC_REPS_DONE_SHIFT);
	return fx_status(&root->vps[0]);
}

static enum vnr_status set_reg(enum hv_reg name, u64 value)
{
	struct vnr_register_value r = {name, 0, value};

	return set_regs(&r, 1, NULL);
}

/* value is refused and the register keeps what it had. */
static void expect_refused(enum hv_reg name, u64 value)
{
	u64 before = arch_vp_get_reg(cvp, name);

	ck_assert_msg(set_reg(name, value) == VNR_STATUS_INVALID_PARAMETER,
		      "register %d value 0x%llx accepted", name,
		      (unsigned long long)value);
	ck_assert_uint_eq(arch_vp_get_reg(cvp, name), before);
}

static void expect_taken(enum hv_reg name, u64 value)
{
	ck_assert_msg(set_reg(name, value) == VNR_STATUS_SUCCESS,
		      "register %d value 0x%llx refused", name,
		      (unsigned long long)value);
	ck_assert_uint_eq(arch_vp_get_reg(cvp, name), value);
}

START_TEST(cr0_nw_needs_cd)
{
	expect_refused(HV_REG_CR0, BOOT_CR0 | CR0_NW);
	expect_taken(HV_REG_CR0, BOOT_CR0 | CR0_NW | CR0_CD);
	expect_taken(HV_REG_CR0, BOOT_CR0 | CR0_CD);
	expect_refused(HV_REG_CR0, BOOT_CR0 | 1ull << 32);
}
END_TEST

START_TEST(cr4_only_what_the_processor_has)
{
	expect_refused(HV_REG_CR4, BOOT_CR4 | CR4_KL);
	fake_cpu_limits.cr4 |= CR4_KL; /* an Intel processor: still not ours */
	expect_refused(HV_REG_CR4, BOOT_CR4 | CR4_KL);
	expect_refused(HV_REG_CR4, BOOT_CR4 | CR4_PKE); /* no PKU */
	fake_cpu_limits.cr4 |= CR4_PKE;
	expect_taken(HV_REG_CR4, BOOT_CR4 | CR4_PKE);
	expect_taken(HV_REG_CR4, BOOT_CR4 | CR4_SMEP);
	fake_cpu_limits.cr4 &= ~CR4_SMEP;
	expect_refused(HV_REG_CR4, BOOT_CR4 | CR4_SMEP);
}
END_TEST

START_TEST(cr3_below_the_physical_address_width)
{
	expect_taken(HV_REG_CR3, (1ull << 48) - PAGE_SIZE);
	expect_refused(HV_REG_CR3, 1ull << 48);
	expect_refused(HV_REG_CR3, 1ull << 51);
	fake_cpu_limits.phys_addr_bits = 40;
	expect_refused(HV_REG_CR3, 1ull << 40);
	expect_taken(HV_REG_CR3, (1ull << 40) - PAGE_SIZE);
}
END_TEST

START_TEST(efer_only_what_the_processor_has)
{
	expect_taken(HV_REG_EFER, BOOT_EFER | EFER_SCE);
	fake_cpu_limits.efer &= ~(EFER_NXE | EFER_SCE);
	expect_refused(HV_REG_EFER, BOOT_EFER);
	expect_taken(HV_REG_EFER, BOOT_EFER & ~EFER_NXE);
}
END_TEST

/* The combination is checked: the VP's other control registers count. */
START_TEST(whole_state_is_checked)
{
	struct vnr_register_value r[3] = {
		{VNR_REG_RAX, 0, 7},
		{VNR_REG_CR3, 0, 0x1000},
		{VNR_REG_CR0, 0, BOOT_CR0 | CR0_NW},
	};
	u32 done;

	ck_assert_int_eq(set_regs(r, 3, &done), VNR_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(done, 2);
	ck_assert_uint_eq(arch_vp_get_reg(cvp, HV_REG_CR3), 0x1000);
	ck_assert_uint_eq(arch_vp_get_reg(cvp, HV_REG_CR0), BOOT_CR0);
	/* A state made elsewhere (not by SET) that VMRUN would refuse. */
	arch_vp_set_reg(cvp, HV_REG_CR0, BOOT_CR0 | CR0_NW);
	expect_refused(HV_REG_CR3, 0x2000);
	expect_taken(HV_REG_RIP, 0x3000); /* RIP takes no part */
	expect_taken(HV_REG_CR0, BOOT_CR0);
	expect_taken(HV_REG_CR3, 0x2000);
}
END_TEST

static Suite *vp_state_suite(void)
{
	Suite *s = suite_create("vp_state");
	TCase *tc = tcase_create("set_vp_registers");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, cr0_nw_needs_cd);
	tcase_add_test(tc, cr4_only_what_the_processor_has);
	tcase_add_test(tc, cr3_below_the_physical_address_width);
	tcase_add_test(tc, efer_only_what_the_processor_has);
	tcase_add_test(tc, whole_state_is_checked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(vp_state_suite());
}
