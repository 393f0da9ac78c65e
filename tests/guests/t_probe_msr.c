// SPDX-License-Identifier: MIT
/*
 * MSR sweep: rdmsr and wrmsr of every index in 0..0x1FFF,
 * 0x40000000..0x400001FF, 0xC0000000..0xC0001FFF and 0xC0010000..0xC0011FFF.
 * Each access either works as docs/spec/discovery.md says or raises #GP,
 * which the guest catches; the guest must survive the whole sweep.
 *
 * What is written, so that no write can do harm:
 *   - an MSR the spec lists as readable and writable: the value just read
 *     (it must not change: the read after it returns the same value, except
 *     for the counters REFERENCE_TIME and TSC, which are read only anyway);
 *   - a read-only MSR (TSC 0x10, VP_INDEX, REFERENCE_TIME): 0, which must
 *     raise #GP;
 *   - a write-only MSR (EOM, EOI): 0, which the spec makes harmless (the
 *     value is ignored; no message is pending, no interrupt in service);
 *   - every other MSR: 0, which must raise #GP.  Such an MSR does not exist
 *     for the guest, so #GP is the only acceptable result; a write that
 *     succeeded went to real hardware state and is reported.
 */
#include <vnr_test.h>

#define MSR_INSN_LEN 2

enum access {
	NONE = 0, /* #GP on read and write */
	RW = 1,	  /* read works; writing the value read back works */
	RO = 2,	  /* read works; any write raises #GP */
	WO = 3,	  /* read raises #GP; writing 0 works */
};

struct range {
	vnr_u32 first, last;
};

static const struct range sweep[] = {
	{0x00000000, 0x00001FFF},
	{0x40000000, 0x400001FF},
	{0xC0000000, 0xC0001FFF},
	{0xC0010000, 0xC0011FFF},
};

static enum access spec_access(vnr_u32 msr)
{
	switch (msr) {
	case 0x10: /* IA32_TIME_STAMP_COUNTER */
		return RO;
	case 0x174 ... 0x176:		/* SYSENTER_CS/ESP/EIP */
	case 0x277:			/* IA32_PAT */
	case 0xC0000080:		/* EFER */
	case 0xC0000081 ... 0xC0000084: /* STAR, LSTAR, CSTAR, SFMASK */
	case 0xC0000100 ... 0xC0000102: /* FS/GS/KERNEL_GS_BASE */
		return RW;
#define VNR_MSR(name, index) case index:
#include <veneer/msrs.def>
#undef VNR_MSR
		break;
	default:
		return NONE;
	}
	switch (msr) {
	case VNR_MSR_VP_INDEX:
	case VNR_MSR_REFERENCE_TIME:
		return RO;
	case VNR_MSR_EOM:
	case VNR_MSR_EOI:
		return WO;
	default:
		return RW;
	}
}

static bool rd(vnr_u32 msr, vnr_u64 *v)
{
	vnr_u32 lo = 0, hi = 0;

	vnr_test_catch(VNR_EXC_GP, MSR_INSN_LEN);
	asm volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = (vnr_u64)hi << 32 | lo;
	return vnr_test_caught(NULL) != VNR_EXC_GP;
}

static bool wr(vnr_u32 msr, vnr_u64 v)
{
	vnr_test_catch(VNR_EXC_GP, MSR_INSN_LEN);
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((vnr_u32)v), "d"((vnr_u32)(v >> 32))
		     : "memory");
	return vnr_test_caught(NULL) != VNR_EXC_GP;
}

static unsigned int reported;

static void mismatch(vnr_u32 msr, const char *what, vnr_u64 got, vnr_u64 want)
{
	vnr_test_check_quiet(false, __FILE_NAME__, __LINE__, what, got, want);
	if (reported++ < 32)
		vnr_test_note("MSR 0x%x: %s", msr, what);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 counts[4] = {0, 0, 0, 0}, total = 0, v, again;
	unsigned int i;
	vnr_u32 msr;

	(void)si;
	vnr_test_begin("t_probe_msr");
	for (i = 0; i < sizeof(sweep) / sizeof(sweep[0]); i++) {
		for (msr = sweep[i].first;; msr++) {
			enum access a = spec_access(msr);
			bool r = rd(msr, &v);

			total++;
			counts[a]++;
			switch (a) {
			case NONE:
				if (r)
					mismatch(msr,
						 "read of unlisted MSR "
						 "worked",
						 v, 0);
				if (wr(msr, 0))
					mismatch(msr,
						 "write of unlisted "
						 "MSR worked",
						 0, 0);
				break;
			case RW:
				if (!r) {
					mismatch(msr, "read raised #GP", 0, 1);
					break;
				}
				if (!wr(msr, v))
					mismatch(msr, "write back raised #GP",
						 v, 0);
				if (!rd(msr, &again) || again != v)
					mismatch(msr, "value changed", again,
						 v);
				break;
			case RO:
				if (!r)
					mismatch(msr, "read raised #GP", 0, 1);
				if (wr(msr, 0))
					mismatch(msr,
						 "write of read-only MSR "
						 "worked",
						 0, 0);
				break;
			case WO:
				if (r)
					mismatch(msr,
						 "read of write-only MSR "
						 "worked",
						 v, 0);
				if (!wr(msr, 0))
					mismatch(msr, "write raised #GP", 0, 1);
				break;
			}
			if (msr == sweep[i].last)
				break;
		}
	}
	/* Still alive, and the hypercall interface still works. */
	VNR_EXPECT_EQ(vnr_null_call(), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(total, 0x2000 + 0x200 + 0x2000 + 0x2000);
	vnr_test_note("swept %lu MSRs: %lu #GP-only, %lu RW, %lu RO, %lu WO, "
		      "%u mismatches",
		      total, counts[NONE], counts[RW], counts[RO], counts[WO],
		      reported);
	return vnr_test_done();
}
