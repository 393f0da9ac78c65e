/* SPDX-License-Identifier: MIT */
/*
 * The paravirtual clock of a PC-platform partition: the pvclock ABI of
 * KVM (Linux's Documentation/virt/kvm/x86/msr.rst, MSR_KVM_WALL_CLOCK_NEW
 * and MSR_KVM_SYSTEM_TIME_NEW), which a stock Linux kernel reads to know
 * the TSC frequency and the time without calibrating against a PIT the
 * platform does not have.  docs/spec/pc-platform.md says what of it is
 * offered.
 */
#ifndef X86_PV_CLOCK_H
#define X86_PV_CLOCK_H

#include <hv/partition.h>

#define MSR_PV_WALL_CLOCK  0x4B564D00u
#define MSR_PV_SYSTEM_TIME 0x4B564D01u

bool pv_clock_owns_msr(u32 msr);
/* false: the access raises #GP. */
bool pv_clock_rdmsr(struct hv_vp *vp, u32 msr, u64 *value);
bool pv_clock_wrmsr(struct hv_vp *vp, u32 msr, u64 value);

#endif /* X86_PV_CLOCK_H */
