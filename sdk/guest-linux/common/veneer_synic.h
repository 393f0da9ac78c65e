/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What veneer.ko and veneer_bus.ko share of discovery and the SynIC
 * (docs/spec/discovery.md, synic.md).  Each compiles its own copy of
 * detect.c and synic_msrs.c, as of hypercall.c.
 */
#ifndef VENEER_MODULE_SYNIC_H
#define VENEER_MODULE_SYNIC_H

#include <linux/types.h>

#include <veneer/synic.h>

/*
 * Whether the kernel runs as a partition of Veneer with an ABI of the
 * major version this module was built for, at least the leaves up to
 * min_leaf: 0 with *max_leaf and *abi_version filled, or -ENODEV (the
 * reason logged).
 */
int veneer_detect(u32 min_leaf, u32 *max_leaf, u32 *abi_version);

/*
 * Enables the SynIC of the partition's VP 0 (CPU 0, whichever CPU calls)
 * in synic.md's order: the message and event flags pages, each of the
 * count SINTs with sint_value, then SCONTROL.  0, or -EIO (the refused
 * MSR logged) with everything written undone.
 */
int veneer_synic_msrs_on(struct vnr_message_page *simp,
			 struct vnr_event_flags_page *siefp, const u32 *sints,
			 unsigned int count, u64 sint_value);

/* Masks the count SINTs and turns the SynIC and its pages off. */
void veneer_synic_msrs_off(const u32 *sints, unsigned int count);

#endif /* VENEER_MODULE_SYNIC_H */
