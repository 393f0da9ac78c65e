// SPDX-License-Identifier: MIT
/* SynIC pages, SINT routing, messages and events of the boot VP. */
#include <vnr_guest/guest.h>

#define PAGE_ALIGNED __attribute__((aligned(VNR_PAGE_SIZE)))

static struct vnr_message_page message_page PAGE_ALIGNED;
static struct vnr_event_flags_page event_page PAGE_ALIGNED;

struct sint_route {
	vnr_sint_handler fn;
	void *ctx;
	unsigned int sint;
	bool auto_eoi;
};

static struct sint_route routes[VNR_SINT_COUNT];

bool vnr_has_features(vnr_u32 mask)
{
	struct vnr_discovery d;

	return vnr_detect(&d) && (d.features & mask) == mask;
}

bool vnr_synic_init(void)
{
	if (!vnr_has_features(VNR_FEATURE_MASK(SYNIC)))
		return false;
	vnr_wrmsr(VNR_MSR_SIMP, vnr_gpa(&message_page) | VNR_PAGE_MSR_ENABLE);
	vnr_wrmsr(VNR_MSR_SIEFP, vnr_gpa(&event_page) | VNR_PAGE_MSR_ENABLE);
	vnr_wrmsr(VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE);
	return true;
}

struct vnr_message_page *vnr_synic_message_page(void)
{
	return &message_page;
}

struct vnr_event_flags_page *vnr_synic_event_page(void)
{
	return &event_page;
}

static void sint_irq(unsigned int vector, void *ctx)
{
	const struct sint_route *r = ctx;

	(void)vector;
	if (r->fn)
		r->fn(r->sint, r->ctx);
	if (!r->auto_eoi)
		vnr_wrmsr(VNR_MSR_EOI, 0);
}

bool vnr_sint_enable(unsigned int sint, unsigned int vector,
		     vnr_sint_handler fn, void *ctx, vnr_u64 flags)
{
	struct sint_route *r;

	if (sint >= VNR_SINT_COUNT || flags & ~VNR_SINT_AUTO_EOI)
		return false;
	r = &routes[sint];
	*r = (struct sint_route){fn, ctx, sint, flags & VNR_SINT_AUTO_EOI};
	if (!vnr_irq_register(vector, sint_irq, r))
		return false;
	vnr_wrmsr(VNR_MSR_SINT0 + sint, vector | flags);
	return true;
}

void vnr_sint_mask(unsigned int sint)
{
	vnr_u32 msr = VNR_MSR_SINT0 + sint;

	vnr_wrmsr(msr, vnr_rdmsr(msr) | VNR_SINT_MASKED);
}

bool vnr_message_take(unsigned int sint, struct vnr_message *out)
{
	volatile struct vnr_message *slot = &message_page.sint[sint];
	vnr_u32 size;

	if (slot->header.message_type == VNR_MSG_NONE)
		return false;
	out->header.message_type = slot->header.message_type;
	out->header.payload_size = slot->header.payload_size;
	out->header.flags = slot->header.flags;
	out->header.reserved = 0;
	out->header.sender_partition = slot->header.sender_partition;
	out->header.port_id = slot->header.port_id;
	size = out->header.payload_size;
	if (size > VNR_MESSAGE_PAYLOAD_MAX)
		size = out->header.payload_size = VNR_MESSAGE_PAYLOAD_MAX;
	memcpy(out->payload, (const void *)slot->payload, size);
	/* The copy is complete before the hypervisor may reuse the slot. */
	__atomic_store_n(&slot->header.message_type, VNR_MSG_NONE,
			 __ATOMIC_SEQ_CST);
	/*
	 * EOM after every message, not only one whose flags said PENDING: a
	 * message queued after the flags were read (this VP preempted
	 * between the copy and the free, its peer posting meanwhile) sets
	 * PENDING in a slot already copied, and would otherwise wait for
	 * the next message of the SINT, which may never come.
	 */
	vnr_wrmsr(VNR_MSR_EOM, 0);
	return true;
}

bool vnr_event_flag_take(unsigned int sint, unsigned int flag)
{
	vnr_u64 *word = &event_page.sint[sint][flag / 64];
	vnr_u64 bit = 1ull << (flag % 64);

	/* Cheap test first: the locked and-not only when the flag is set. */
	if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit))
		return false;
	return __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit;
}

enum vnr_status vnr_post_message(vnr_u32 connection_id, vnr_u32 type,
				 const void *payload, vnr_u32 size)
{
	struct vnr_post_message_input *in = vnr_hc_input_page();

	if (size > VNR_MESSAGE_PAYLOAD_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	in->connection_id = connection_id;
	in->message_type = type;
	in->payload_size = size;
	in->reserved = 0;
	memcpy(in->payload, payload, size);
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_POST_MESSAGE, in, NULL));
}

enum vnr_status vnr_signal_event(vnr_u32 connection_id, vnr_u32 flag)
{
	return vnr_hc_status(vnr_hypercall_fast(
		VNR_CALL_SIGNAL_EVENT, connection_id, flag, NULL, NULL));
}
