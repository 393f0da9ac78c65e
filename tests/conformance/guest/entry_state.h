/* SPDX-License-Identifier: MIT */
/*
 * Slots of the entry state start.S saves before any other instruction
 * changes it (one 64-bit slot each), shared by start.S and the checks.
 */
#ifndef CONFORMANCE_ENTRY_STATE_H
#define CONFORMANCE_ENTRY_STATE_H

#define ES_RAX	   0
#define ES_RBX	   1
#define ES_RCX	   2
#define ES_RDX	   3
#define ES_RSI	   4
#define ES_RDI	   5
#define ES_RBP	   6
#define ES_RSP	   7
#define ES_R8	   8 /* R8-R15 follow in order */
#define ES_RFLAGS  16
#define ES_CR0	   17
#define ES_CR2	   18
#define ES_CR3	   19
#define ES_CR4	   20
#define ES_CR8	   21
#define ES_DR0	   22 /* DR0-DR3 follow in order */
#define ES_DR6	   26
#define ES_DR7	   27
#define ES_CS	   28
#define ES_DS	   29
#define ES_ES	   30
#define ES_SS	   31
#define ES_FS	   32
#define ES_GS	   33
#define ES_LDTR	   34
#define ES_TR	   35
#define ES_GDTR	   36 /* SGDT: limit in bytes 0-1, base in bytes 2-9 */
#define ES_IDTR	   38 /* SIDT, the same layout */
#define ES_FPU_ENV 40 /* FNSTENV: 28 bytes, FCW at 0, FSW at 4, FTW at 8 */
#define ES_COUNT   44

#endif /* CONFORMANCE_ENTRY_STATE_H */
