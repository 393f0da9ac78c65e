/* SPDX-License-Identifier: MIT */
/*
 * The PC platform's unit tests' common ground: a partition of the fixture
 * (fixture.h) with the PC platform on, and the accesses its guest makes
 * (MSRs, ports) as the exit handlers see them.
 */
#ifndef TESTS_PC_FIXTURE_H
#define TESTS_PC_FIXTURE_H

#include <hv/partition.h>

#include "../../hv/arch/x86/vendor.h"

#define PC_FX_RIP 0x2000ull /* VP 0's RIP after pc_fx_setup() */

/*
 * fx_reset(), then a partition "pc" with privileges and the PC platform:
 * VP 0's local APIC reset, RIP at PC_FX_RIP, no fake instruction and no
 * completion counted.  Returns VP 0; *p is the partition.
 */
struct hv_vp *pc_fx_setup(struct hv_partition **p, u64 privileges);
/* Turns the platform of a partition of pc_fx_setup() off again. */
void pc_fx_teardown(struct hv_partition *p);

/* RDMSR and WRMSR of the guest; the test fails if either faults. */
u64 pc_fx_rdmsr(struct hv_vp *vp, u32 msr);
void pc_fx_wrmsr(struct hv_vp *vp, u32 msr, u64 value);
/* The local APIC in x2APIC mode, software-enabled, spurious vector 0xFF. */
void pc_fx_x2apic_on(struct hv_vp *vp);

/* Whether vector is pending (IRR) or in service (ISR) on vp. */
bool pc_fx_pending(const struct hv_vp *vp, u8 vector);
bool pc_fx_in_service(const struct hv_vp *vp, u8 vector);
/* Whether no vector at all is pending on vp. */
bool pc_fx_nothing_pending(const struct hv_vp *vp);

/* The exit of an IN or OUT of size bytes at port, one byte long. */
struct x86_exit pc_fx_port_exit(u16 port, u8 size, bool write);
/*
 * IN of size bytes from port with RAX = rax before it, and OUT of value:
 * the platform must take both (the test fails otherwise).  IN returns RAX
 * after it.
 */
u64 pc_fx_in(struct hv_vp *vp, u16 port, u8 size, u64 rax);
void pc_fx_out(struct hv_vp *vp, u16 port, u8 size, u64 value);

#endif /* TESTS_PC_FIXTURE_H */
