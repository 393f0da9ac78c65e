/* SPDX-License-Identifier: MIT */
/* The fake vendor pieces of the PC platform's hosted builds. */
#ifndef TESTS_FAKE_PC_VENDOR_H
#define TESTS_FAKE_PC_VENDOR_H

#include <hv/types.h>

#define FAKE_INSN_MAX 15 /* the architecture's longest instruction */

extern u8 fake_insn[FAKE_INSN_MAX]; /* what vendor_read_instruction reads */
extern u32 fake_insn_len;	    /* how many of them it can */
extern u32 fake_completions;	    /* vendor_skip_instruction calls */

#endif /* TESTS_FAKE_PC_VENDOR_H */
