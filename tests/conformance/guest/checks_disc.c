/* SPDX-License-Identifier: MIT */
/* Checks of discovery through CPUID (discovery.md). */
#include "guest.h"

/* The highest leaf and the feature and privilege masks of the .def files. */
enum {
#define VNR_CPUID_LEAF(name, leaf) LEAF_ORDER_##name,
#include <veneer/cpuid.def>
#undef VNR_CPUID_LEAF
	LEAF_COUNT
};
#define HIGHEST_LEAF (VNR_CPUID_RANGE_FIRST + LEAF_COUNT - 1)

static const u32 all_features = 0
#define VNR_FEATURE(name, bit) | (1u << (bit))
#include <veneer/features.def>
#undef VNR_FEATURE
	;

static const u32 all_privileges = 0
#define VNR_PRIV(name, bit) | (1u << (bit))
#include <veneer/privileges.def>
#undef VNR_PRIV
	;

enum result check_DISC_001(void)
{
	u32 r[4];

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 31)))
		return fail("CPUID.1:ECX %x", r[2]);
	return PASS;
}

enum result check_DISC_002(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_VENDOR, 0, r);
	if (r[1] != VNR_CPUID_VENDOR_EBX || r[2] != VNR_CPUID_VENDOR_ECX ||
	    r[3] != VNR_CPUID_VENDOR_EDX)
		return fail("signature %x %x %x", r[1], r[2], r[3]);
	if (r[0] != HIGHEST_LEAF)
		return fail("highest leaf %x, expected %x", r[0], HIGHEST_LEAF);
	return PASS;
}

enum result check_DISC_003(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_INTERFACE, 0, r);
	if (r[0] != VNR_CPUID_INTERFACE_EAX || r[2] || r[3])
		return fail("EAX %x ECX %x EDX %x", r[0], r[2], r[3]);
	if (r[1] >> 16 != VNR_ABI_MAJOR || (r[1] & 0xFFFF) < VNR_ABI_MINOR)
		return fail("ABI version %x, the suite's %x", r[1],
			    VNR_ABI_VERSION);
	return PASS;
}

enum result check_DISC_004(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_FEATURES, 0, r);
	if (r[0] & ~all_features)
		return fail("reserved feature bits %x", r[0] & ~all_features);
	if (r[2] || r[3])
		return fail("ECX %x EDX %x", r[2], r[3]);
	return PASS;
}

enum result check_DISC_005(void)
{
	if ((features() & all_features) != all_features)
		return fail("features %x, this version's %x", features(),
			    all_features);
	return PASS;
}

enum result check_DISC_006(void)
{
	if (privileges() & ~all_privileges)
		return fail("reserved privilege bits %x",
			    privileges() & ~all_privileges);
	return PASS;
}

enum result check_DISC_007(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_LIMITS, 0, r);
	if (r[0] != 1 || r[1] != 8 || r[2] != VNR_HC_REP_MAX || r[3])
		return fail("%x %x %x %x", r[0], r[1], r[2], r[3]);
	return PASS;
}

enum result check_DISC_008(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_VP_IDENTITY, 0, r);
	if (!r[0] || r[1] || r[2] || r[3])
		return fail("%x %x %x %x", r[0], r[1], r[2], r[3]);
	return PASS;
}

enum result check_DISC_009(void)
{
	u32 leaf;

	for (leaf = VNR_CPUID_RANGE_FIRST; leaf <= HIGHEST_LEAF; leaf++) {
		u32 a[4], b[4], c[4];

		cpuid(leaf, 0, a);
		cpuid(leaf, 1, b);
		cpuid(leaf, 0xFFFFFFFF, c);
		if (memcmp(a, b, sizeof(a)) || memcmp(a, c, sizeof(a)))
			return fail("leaf %x depends on ECX", leaf);
	}
	return PASS;
}

enum result check_DISC_010(void)
{
	u32 leaf;

	for (leaf = HIGHEST_LEAF + 1; leaf <= VNR_CPUID_RANGE_LAST; leaf++) {
		u32 r[4];

		cpuid(leaf, 0, r);
		if (r[0] | r[1] | r[2] | r[3])
			return fail("leaf %x: %x %x %x %x", leaf, r[0], r[1],
				    r[2], r[3]);
	}
	return PASS;
}

enum result check_DISC_011(void)
{
	u32 r[4];

	cpuid(1, 0, r);
	if (r[2] & (1u << 5))
		return fail("VMX visible");
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		if (r[2] & (1u << 2))
			return fail("SVM visible");
	}
	return PASS;
}
