/* SPDX-License-Identifier: MIT */
/*
 * External interrupts (vectors 32-255), such as the synthetic interrupts
 * of the SynIC.
 *
 * A handler runs on the interrupted stack with interrupts disabled; it
 * should only record that work is due (a flag the main loop looks at), so
 * that nothing it touches is also in use by the code it interrupted.  An
 * interrupt on a vector without a handler is counted and otherwise
 * ignored.
 *
 * The idle pattern without a lost wake-up:
 *
 *	vnr_irq_disable();
 *	while (!work_due)
 *		vnr_wait_for_interrupt();
 *	vnr_irq_enable();
 */
#ifndef VNR_GUEST_IRQ_H
#define VNR_GUEST_IRQ_H

#include <stdbool.h>
#include <veneer/types.h>

#define VNR_IRQ_FIRST_VECTOR 32u
#define VNR_IRQ_VECTOR_COUNT 256u

typedef void (*vnr_irq_handler)(unsigned int vector, void *ctx);

/*
 * Installs fn (NULL removes it) with its argument for vector; returns false
 * for a vector below 32 or above 255.
 */
bool vnr_irq_register(unsigned int vector, vnr_irq_handler fn, void *ctx);

/* Interrupts that arrived on vectors without a handler. */
vnr_u64 vnr_irq_unhandled_count(void);

static inline void vnr_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void vnr_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline bool vnr_irq_enabled(void)
{
	vnr_u64 rflags;

	asm volatile("pushfq; popq %0" : "=r"(rflags));
	return rflags & (1u << 9);
}

/*
 * Called with interrupts disabled: enables them and halts in one step (STI
 * holds interrupts off until after the HLT), so an interrupt that became
 * pending after the caller's last check still ends the halt.  Returns with
 * interrupts disabled again, after the handlers of whatever woke the VP.
 */
static inline void vnr_wait_for_interrupt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

#endif /* VNR_GUEST_IRQ_H */
