// SPDX-License-Identifier: MIT
/* Handlers for vectors 32-255, called from the common ISR entry. */
#include <vnr_guest/guest.h>
#include "internal.h"

struct irq_slot {
	vnr_irq_handler fn;
	void *ctx;
};

static struct irq_slot slots[VNR_IRQ_VECTOR_COUNT];
static vnr_u64 unhandled;

bool vnr_irq_register(unsigned int vector, vnr_irq_handler fn, void *ctx)
{
	bool was_enabled = vnr_irq_enabled();

	if (vector < VNR_IRQ_FIRST_VECTOR || vector >= VNR_IRQ_VECTOR_COUNT)
		return false;
	/* The pair must never be seen half written by the handler. */
	vnr_irq_disable();
	slots[vector] = (struct irq_slot){fn, ctx};
	if (was_enabled)
		vnr_irq_enable();
	return true;
}

vnr_u64 vnr_irq_unhandled_count(void)
{
	return unhandled;
}

void vnr_irq_dispatch(unsigned int vector)
{
	const struct irq_slot *s = &slots[vector];

	if (s->fn)
		s->fn(vector, s->ctx);
	else
		unhandled++;
}
