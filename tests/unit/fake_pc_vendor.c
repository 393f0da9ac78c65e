/* SPDX-License-Identifier: MIT */
/*
 * The rest of the vendor layer the PC platform's files need when built
 * hosted (test_pc_platform, fuzz_pc_platform): the bytes of the
 * instruction at RIP come from fake_insn, and completing an instruction
 * moves RIP past it and counts it.
 */
#include <string.h>

#include "../../hv/arch/x86/vendor.h"
#include "fake_pc_vendor.h"

u8 fake_insn[FAKE_INSN_MAX];
u32 fake_insn_len;
u32 fake_completions;

u64 vendor_get_pat(struct hv_vp *vp)
{
	(void)vp;
	return 0x0007040600070406ull;
}

void vendor_set_pat(struct hv_vp *vp, u64 pat)
{
	(void)vp;
	(void)pat;
}

void vendor_hypercall_code(u8 *page)
{
	page[0] = 0xCC;
}

u32 vendor_read_instruction(struct hv_vp *vp, u8 *buf, u32 max)
{
	u32 n = MIN(max, fake_insn_len);

	(void)vp;
	memcpy(buf, fake_insn, n);
	return n;
}

void vendor_skip_instruction(struct hv_vp *vp, const struct x86_exit *exit)
{
	fake_completions++;
	arch_vp_set_reg(vp, HV_REG_RIP,
			arch_vp_get_reg(vp, HV_REG_RIP) + exit->insn_len);
}
