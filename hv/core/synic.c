/* SPDX-License-Identifier: MIT */
/*
 * The synthetic interrupt controller: MSRs, message delivery and event
 * flags.  Messages wait in a per-SINT queue in hypervisor memory and move
 * into the guest's message page one at a time, when its slot is free; the
 * guest frees the slot and writes EOM to get the next one.
 */
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/synic.h>

#define QUEUE_DEPTH    VNR_MESSAGE_QUEUE_DEPTH
#define SINTS_PER_PAGE (PAGE_SIZE / (QUEUE_DEPTH * sizeof(struct vnr_message)))

int synic_init(struct hv_vp *vp)
{
	struct hv_synic *s = &vp->synic;

	memset(s, 0, sizeof(*s));
	for (u32 i = 0; i < VNR_SINT_COUNT; i++)
		s->sint[i] = VNR_SINT_MASKED;
	for (u32 i = 0; i < HV_SYNIC_QUEUE_PAGES; i++) {
		s->queue_pages[i] = page_alloc_charged(&vp->partition->pool, 1);
		if (!s->queue_pages[i]) {
			synic_destroy(vp);
			return -1;
		}
	}
	return 0;
}

void synic_destroy(struct hv_vp *vp)
{
	struct hv_synic *s = &vp->synic;

	for (u32 i = 0; i < HV_SYNIC_QUEUE_PAGES; i++)
		if (s->queue_pages[i])
			page_free_charged(&vp->partition->pool,
					  s->queue_pages[i]);
	memset(s, 0, sizeof(*s));
}

static bool enabled(const struct hv_synic *s)
{
	return s->scontrol & VNR_SCONTROL_ENABLE;
}

/* Something happened for the VP: it wakes, and interrupts if it may. */
static void raise_sint(struct hv_vp *vp, u32 sint)
{
	u64 reg = vp->synic.sint[sint];

	sched_wake(vp);
	if (!enabled(&vp->synic) || (reg & VNR_SINT_MASKED))
		return;
	if (vp->partition->owns_machine)
		arch_raise_root_interrupt(); /* it owns the real APIC */
	else if (vp->partition->pc_platform)
		arch_raise_pc_interrupt(vp); /* its PCI function's MSI */
	else
		vintc_raise(&vp->intc, (u8)(reg & VNR_SINT_VECTOR_MASK),
			    reg & VNR_SINT_AUTO_EOI);
}

static struct vnr_message *queued(struct hv_synic *s, u32 sint, u32 i)
{
	struct vnr_message *page = s->queue_pages[sint / SINTS_PER_PAGE];

	return &page[(sint % SINTS_PER_PAGE) * QUEUE_DEPTH +
		     (s->queue_head[sint] + i) % QUEUE_DEPTH];
}

/* Moves the next queued message into the guest's slot if it is free. */
static void deliver(struct hv_vp *vp, u32 sint)
{
	struct hv_synic *s = &vp->synic;
	struct vnr_message *slot, *msg;

	if (!enabled(s) || !s->message_page || !s->queue_count[sint])
		return;
	slot = &s->message_page->sint[sint];
	if (__atomic_load_n(&slot->header.message_type, __ATOMIC_ACQUIRE)) {
		slot->header.flags |= VNR_MSG_FLAG_PENDING;
		return;
	}
	msg = queued(s, sint, 0);
	memcpy(slot->payload, msg->payload, sizeof(slot->payload));
	slot->header.payload_size = msg->header.payload_size;
	slot->header.flags =
		s->queue_count[sint] > 1 ? VNR_MSG_FLAG_PENDING : 0;
	slot->header.reserved = 0;
	slot->header.sender_partition = msg->header.sender_partition;
	slot->header.port_id = msg->header.port_id;
	/* The type goes last: it tells the guest the slot is complete. */
	__atomic_store_n(&slot->header.message_type, msg->header.message_type,
			 __ATOMIC_RELEASE);
	s->queue_head[sint] = (s->queue_head[sint] + 1) % QUEUE_DEPTH;
	s->queue_count[sint]--;
	raise_sint(vp, sint);
}

static void deliver_all(struct hv_vp *vp)
{
	for (u32 i = 0; i < VNR_SINT_COUNT; i++)
		deliver(vp, i);
}

static bool sender_has_queued(struct hv_synic *s, u32 sint, u32 sender)
{
	for (u32 i = 0; i < s->queue_count[sint]; i++)
		if (queued(s, sint, i)->header.sender_partition == sender)
			return true;
	return false;
}

/*
 * The hypervisor's own messages (sender 0) may fill the queue; a
 * partition's may take its last VNR_MESSAGE_QUEUE_RESERVE places only
 * while it has no other message there, so a flooding sender leaves room
 * for the others.
 */
static bool may_queue(struct hv_synic *s, u32 sint, u32 sender)
{
	u32 count = s->queue_count[sint];

	if (count >= QUEUE_DEPTH)
		return false;
	if (!sender || count < QUEUE_DEPTH - VNR_MESSAGE_QUEUE_RESERVE)
		return true;
	return !sender_has_queued(s, sint, sender);
}

enum vnr_status synic_post(struct hv_vp *vp, u32 sint,
			   const struct vnr_message *msg)
{
	struct hv_synic *s = &vp->synic;

	if (!may_queue(s, sint, msg->header.sender_partition))
		return VNR_STATUS_INSUFFICIENT_BUFFERS;
	*queued(s, sint, s->queue_count[sint]) = *msg;
	s->queue_count[sint]++;
	deliver(vp, sint);
	return VNR_STATUS_SUCCESS;
}

bool synic_can_queue(const struct hv_vp *vp, u32 sint)
{
	return vp->synic.queue_count[sint] < QUEUE_DEPTH;
}

enum vnr_status synic_signal(struct hv_vp *vp, u32 sint, u32 flag)
{
	struct hv_synic *s = &vp->synic;
	u64 bit = 1ull << (flag % 64), old;

	if (!enabled(s) || !s->flags_page)
		return VNR_STATUS_PORT_NOT_READY;
	old = __atomic_fetch_or(&s->flags_page->sint[sint][flag / 64], bit,
				__ATOMIC_SEQ_CST);
	if (!(old & bit))
		raise_sint(vp, sint);
	return VNR_STATUS_SUCCESS;
}

/* SIMP and SIEFP: a page of the partition's own RAM, or off. */
static bool set_page(struct hv_vp *vp, u64 value, u64 *reg, void **host)
{
	void *page = NULL;

	if (value & VNR_PAGE_MSR_RESERVED_MASK)
		return false;
	if (value & VNR_PAGE_MSR_ENABLE) {
		page = partition_gpa_to_host(vp->partition,
					     value & VNR_PAGE_MSR_GPA_MASK,
					     PAGE_SIZE);
		if (!page)
			return false;
	}
	*reg = value;
	*host = page;
	return true;
}

static bool set_sint(struct hv_vp *vp, u32 sint, u64 value)
{
	u64 vector = value & VNR_SINT_VECTOR_MASK;

	/* A masked SINT never interrupts, so its vector may be anything. */
	if ((value & VNR_SINT_RESERVED_MASK) ||
	    (!(value & VNR_SINT_MASKED) && vector < VNR_SINT_MIN_VECTOR))
		return false;
	vp->synic.sint[sint] = value;
	return true;
}

bool synic_owns_msr(u32 msr)
{
	return (msr >= VNR_MSR_SCONTROL && msr <= VNR_MSR_EOI) ||
	       (msr >= VNR_MSR_SINT0 && msr <= VNR_MSR_SINT15) ||
	       (msr >= VNR_MSR_STIMER0_CONFIG && msr <= VNR_MSR_STIMER3_COUNT);
}

bool synic_rdmsr(struct hv_vp *vp, u32 msr, u64 *value)
{
	struct hv_synic *s = &vp->synic;

	if (msr >= VNR_MSR_SINT0 && msr <= VNR_MSR_SINT15) {
		*value = s->sint[msr - VNR_MSR_SINT0];
		return true;
	}
	if (msr >= VNR_MSR_STIMER0_CONFIG) {
		struct hv_stimer *t =
			&s->timers[(msr - VNR_MSR_STIMER0_CONFIG) / 2];

		*value = (msr - VNR_MSR_STIMER0_CONFIG) % 2 ? t->count
							    : t->config;
		return true;
	}
	switch (msr) {
	case VNR_MSR_SCONTROL:
		*value = s->scontrol;
		return true;
	case VNR_MSR_SIMP:
		*value = s->simp;
		return true;
	case VNR_MSR_SIEFP:
		*value = s->siefp;
		return true;
	}
	return false; /* EOM and EOI are write-only */
}

static bool set_control(struct hv_vp *vp, u32 msr, u64 value)
{
	struct hv_synic *s = &vp->synic;

	switch (msr) {
	case VNR_MSR_SCONTROL:
		if (value & ~VNR_SCONTROL_ENABLE)
			return false;
		s->scontrol = value;
		return true;
	case VNR_MSR_SIMP:
		return set_page(vp, value, &s->simp, (void **)&s->message_page);
	case VNR_MSR_SIEFP:
		return set_page(vp, value, &s->siefp, (void **)&s->flags_page);
	case VNR_MSR_EOI:
		vintc_eoi(&vp->intc);
		return true;
	case VNR_MSR_EOM:
		return true; /* the delivery below is what EOM asks for */
	}
	return set_sint(vp, msr - VNR_MSR_SINT0, value);
}

bool synic_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	if (msr >= VNR_MSR_STIMER0_CONFIG)
		return stimer_wrmsr(vp, msr, value);
	if (!set_control(vp, msr, value))
		return false;
	/* Any change may let a queued message through. */
	deliver_all(vp);
	return true;
}
