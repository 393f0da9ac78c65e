/* SPDX-License-Identifier: MIT */
/*
 * A partition built on the fake arch layer, for the unit tests: guest RAM
 * in a page-aligned host buffer, a boot-like memory map, one VP at CPL 0,
 * reference time and scheduler initialised.
 */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <hv/hypercall.h>
#include <hv/partition.h>
#include <hv/reftime.h>
#include <hv/sched.h>

#include <check.h>

#include "fake_arch.h"

/* 16 pages: [0,2) RAM, [2,4) IMAGE, [4,14) RAM, [14,16) BOOT_TABLES. */
#define FX_RAM_PAGES	16u
#define FX_RAM_SIZE	((u64)FX_RAM_PAGES * PAGE_SIZE)
#define FX_TIMESLICE_MS 10u

/* Resets the fakes and initialises reftime and the scheduler. */
void fx_reset(void);
/* A started partition with one VP (its RAM is zeroed). */
struct hv_partition *fx_partition(const char *name, u64 privileges);
/* The host buffer of a partition's guest RAM. */
u8 *fx_ram(struct hv_partition *p);
/* The host address of gpa in a partition built by fx_partition(). */
void *fx_gpa(struct hv_partition *p, u64 gpa);

/* Control words: a fast call, a memory call, a rep call of n from start. */
#define FAST(code) ((u64)(code) | VNR_HC_FAST)
#define MEM(code)  ((u64)(code))
#define REP(code, n, start)                                 \
	((u64)(code) | (u64)(n) << VNR_HC_REP_COUNT_SHIFT | \
	 (u64)(start) << VNR_HC_REP_START_SHIFT)

/* Makes a hypercall on vp: RCX, RDX, R8 as given, RAX set to a sentinel. */
bool fx_call(struct hv_vp *vp, u64 control, u64 rdx, u64 r8);
#define FX_RAX_SENTINEL 0x5A5A5A5A5A5A5A5Aull
u64 fx_reg(struct hv_vp *vp, enum hv_reg reg);
/* The status of the last call's result word. */
enum vnr_status fx_status(struct hv_vp *vp);
/* Makes a hypercall that must complete on vp; its status. */
enum vnr_status fx_hypercall(struct hv_vp *vp, u64 control, u64 rdx, u64 r8);

/*
 * Message slots written byte-exact: the bytes a test expects the
 * hypervisor to leave alone hold FX_FILL.
 */
#define FX_FILL 0xAA
/* The free slot of sint in the message page at simp_gpa, the rest FX_FILL. */
struct vnr_message *fx_free_slot(struct hv_partition *t, u64 simp_gpa,
				 u32 sint);
/* Fails unless every byte of the page but sint's slot still holds FX_FILL. */
void fx_expect_other_slots_untouched(struct hv_partition *t, u64 simp_gpa,
				     u32 sint);
/* Fails unless the payload of m is zero from byte from on. */
void fx_expect_payload_zero_from(const struct vnr_message *m, u32 from);

/*
 * Calls as a partition makes them, with their input at FX_IN_GPA and their
 * output at FX_OUT_GPA of the caller's RAM; each returns the status.
 */
#define FX_IN_GPA  0x4000ull
#define FX_OUT_GPA 0x6000ull
/* GRANT_CREATE of the one page at gpa to peer_id; *handle if not NULL. */
enum vnr_status fx_grant_create(struct hv_partition *owner, u32 peer_id,
				u64 gpa, u64 *handle);
/* GRANT_MAP of owner_id's grant handle at gpa of peer. */
enum vnr_status fx_grant_map(struct hv_partition *peer, u32 owner_id,
			     u64 handle, u64 gpa);
/* PARTITION_CREATE of a one-VP child of r (notify SINT 1); its id in *id. */
enum vnr_status fx_create_child(struct hv_partition *r, const char *name,
				u32 *id);
/* WRITE_PARTITION_MEMORY of length bytes of byte at gpa of child id. */
enum vnr_status fx_write_child(struct hv_partition *r, u32 id, u64 gpa,
			       u32 length, u8 byte);

/* Runs every test of s; the exit status for main(): 0 when all passed. */
int fx_run_suite(Suite *s);

#endif /* TESTS_FIXTURE_H */
