// SPDX-License-Identifier: MIT
/*
 * CPUID sweep: every leaf 0..0x20, 0x40000000..0x400000FF and
 * 0x80000000..0x80000030, subleaves 0..3.  No CPUID exit may stop the
 * guest; the Veneer leaves return what docs/spec/discovery.md says for any
 * subleaf; Veneer leaves above the maximum return zeros; the hypervisor-
 * present bit is set and VMX (1:ECX[5]) and SVM (80000001h:ECX[2]) are
 * hidden.  Leaf 0x8000000A describes SVM, which is hidden: the spec says
 * the hypervisor SHOULD return zeros there; that is reported, not failed.
 */
#include <vnr_test.h>

/* Every bit of features.def. */
#define VNR_FEATURE(name, bit) | (1u << (bit))
static const vnr_u32 all_features = 0
#include <veneer/features.def>
	;
#undef VNR_FEATURE

static unsigned int reported;

static void check(bool ok, vnr_u32 leaf, vnr_u32 sub, const char *what,
		  vnr_u64 got, vnr_u64 want)
{
	if (vnr_test_check_quiet(ok, __FILE_NAME__, __LINE__, what, got, want))
		return;
	if (reported++ < 32)
		vnr_test_note("leaf 0x%x.%u: %s", leaf, sub, what);
}

static void veneer_leaf(vnr_u32 leaf, vnr_u32 sub,
			const struct vnr_cpuid_regs *r, vnr_u32 max,
			const struct vnr_start_info *si)
{
	struct vnr_partition_info info;

	if (leaf > max) {
		check(!r->eax && !r->ebx && !r->ecx && !r->edx, leaf, sub,
		      "leaf above the maximum is zero",
		      r->eax | r->ebx | r->ecx | r->edx, 0);
		return;
	}
	switch (leaf) {
	case VNR_CPUID_LEAF_VENDOR:
		check(r->eax == 0x40000004 && r->ebx == VNR_CPUID_VENDOR_EBX &&
			      r->ecx == VNR_CPUID_VENDOR_ECX &&
			      r->edx == VNR_CPUID_VENDOR_EDX,
		      leaf, sub, "vendor leaf", r->eax, 0x40000004);
		break;
	case VNR_CPUID_LEAF_INTERFACE:
		check(r->eax == VNR_CPUID_INTERFACE_EAX &&
			      r->ebx == VNR_ABI_VERSION && !r->ecx && !r->edx,
		      leaf, sub, "interface leaf", r->ebx, VNR_ABI_VERSION);
		break;
	case VNR_CPUID_LEAF_FEATURES:
		vnr_get_partition_info(&info);
		check(r->eax == all_features &&
			      r->ebx == (vnr_u32)info.privileges && !r->ecx &&
			      !r->edx,
		      leaf, sub, "features leaf", r->eax, all_features);
		break;
	case VNR_CPUID_LEAF_LIMITS:
		check(r->eax == 1 && r->ebx == 8 && r->ecx == VNR_HC_REP_MAX &&
			      !r->edx,
		      leaf, sub, "limits leaf", r->ebx, 8);
		break;
	case VNR_CPUID_LEAF_VP_IDENTITY:
		check(r->eax == si->partition_id && r->ebx == 0 && !r->ecx &&
			      !r->edx,
		      leaf, sub, "VP identity leaf", r->eax, si->partition_id);
		break;
	}
}

int vnr_main(const struct vnr_start_info *si)
{
	static const struct {
		vnr_u32 first, last;
	} ranges[] = {
		{0x00000000, 0x00000020},
		{0x40000000, 0x400000FF},
		{0x80000000, 0x80000030},
	};
	struct vnr_cpuid_regs r;
	vnr_u32 max, leaf, sub, calls = 0;
	unsigned int i;

	vnr_test_begin("t_probe_cpuid");
	max = vnr_cpuid(VNR_CPUID_LEAF_VENDOR, 0).eax;
	VNR_EXPECT_EQ(max, 0x40000004);
	for (i = 0; i < 3; i++) {
		for (leaf = ranges[i].first; leaf <= ranges[i].last; leaf++) {
			for (sub = 0; sub < 4; sub++) {
				r = vnr_cpuid(leaf, sub);
				calls++;
				if ((leaf >> 28) == 4)
					veneer_leaf(leaf, sub, &r, max, si);
				if (leaf == 1) {
					check(r.ecx >> 31, leaf, sub,
					      "hypervisor present", r.ecx, 0);
					check(!(r.ecx & (1u << 5)), leaf, sub,
					      "VMX hidden", r.ecx, 0);
				}
				if (leaf == 0x80000001)
					check(!(r.ecx & (1u << 2)), leaf, sub,
					      "SVM hidden", r.ecx, 0);
				if (leaf == 0x8000000A && sub == 0 &&
				    (r.eax | r.ebx | r.ecx | r.edx))
					vnr_test_note("SHOULD: leaf 0x8000000a "
						      "(SVM) is not zero: "
						      "%x %x %x %x",
						      r.eax, r.ebx, r.ecx,
						      r.edx);
			}
		}
	}
	VNR_EXPECT_EQ(calls, 4 * (0x21 + 0x100 + 0x31));
	VNR_EXPECT_EQ(vnr_null_call(), VNR_STATUS_SUCCESS);
	vnr_test_note("%u CPUID calls, %u mismatches", calls, reported);
	return vnr_test_done();
}
