/* SPDX-License-Identifier: MIT */
/* Library-internal entry points, called once at start-up. */
#ifndef VNR_GUEST_INTERNAL_H
#define VNR_GUEST_INTERNAL_H

#include <veneer/boot.h>

struct vnr_exception_frame;

void vnr_hypercall_init(void);
void vnr_exceptions_init(void);
__attribute__((noreturn)) void vnr_guest_main(const struct vnr_start_info *si);
void vnr_exception_dispatch(struct vnr_exception_frame *frame);
void vnr_irq_dispatch(unsigned int vector);

/* Every vector has a gate: exceptions 0-31, interrupts 32-255. */
#define VNR_IDT_VECTORS 256

#endif /* VNR_GUEST_INTERNAL_H */
