/* SPDX-License-Identifier: MIT */
#ifndef X86_LAPIC_H
#define X86_LAPIC_H

#include <hv/types.h>

int lapic_init(void);
u64 lapic_timer_hz(void);

#endif /* X86_LAPIC_H */
