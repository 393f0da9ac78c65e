// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The partition's SynIC (docs/spec/synic.md) and the interrupt that
 * carries it: the hypervisor raises the Veneer function's MSI for every
 * unmasked SINT.  The handler copies control messages out of their slot
 * and collects the channels' event flags; the bus's work queue acts on
 * both, since the calls they lead to need process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>

#include <veneer/msr.h>

#include "bus.h"
#include "veneer_synic.h"

/*
 * The hypervisor ignores an unmasked SINT's vector and auto-EOI bit and
 * raises the MSI instead; Linux's spurious vector is the one that would
 * do no harm if it ever arrived.
 */
#define VENEER_SINT_VALUE (SPURIOUS_APIC_VECTOR | VNR_SINT_AUTO_EOI)

/*
 * Messages copied out and not yet handled.  Twice what the slot and the
 * hypervisor's queue hold; when it is full the handler leaves the message
 * in its slot and the work takes it after it made room.
 */
#define VENEER_MSG_BACKLOG 16

struct workqueue_struct *veneer_bus_wq;

static struct vnr_message_page *veneer_simp;
static struct vnr_event_flags_page *veneer_siefp;

static DEFINE_SPINLOCK(veneer_msg_lock);
static struct vnr_message veneer_msgs[VENEER_MSG_BACKLOG];
static unsigned int veneer_msg_head, veneer_msg_count;
static atomic_long_t veneer_pending_flags = ATOMIC_LONG_INIT(0);

static void veneer_bus_work(struct work_struct *work);
static DECLARE_WORK(veneer_work, veneer_bus_work);

/*
 * Copies messages out of the control SINT's slot (synic.md's slot
 * protocol: copy, free the slot, EOM) while the backlog has room.  Only
 * the payload_size bytes the header names are kept, and never more than
 * the slot holds, whatever the header says.  With veneer_msg_lock held.
 */
static void veneer_take_messages(void)
{
	struct vnr_message *slot = &veneer_simp->sint[VENEER_BUS_MSG_SINT];

	while (veneer_msg_count < VENEER_MSG_BACKLOG &&
	       smp_load_acquire(&slot->header.message_type) != VNR_MSG_NONE) {
		unsigned int i = (veneer_msg_head + veneer_msg_count) %
				 VENEER_MSG_BACKLOG;
		struct vnr_message *copy = &veneer_msgs[i];
		u32 size;

		copy->header = slot->header;
		size = min_t(u32, copy->header.payload_size,
			     VNR_MESSAGE_PAYLOAD_MAX);
		copy->header.payload_size = size;
		memcpy(copy->payload, slot->payload, size);
		veneer_msg_count++;
		smp_store_release(&slot->header.message_type, VNR_MSG_NONE);
		/*
		 * Every message, not only a flagged one (synic.md allows
		 * both): one queued after the flag was read would wait.
		 */
		wrmsrl_safe(VNR_MSR_EOM, 0);
	}
}

/* Flags are cleared before anything acts on them, so a signal re-arms. */
static void veneer_take_flags(void)
{
	vnr_u64 *word = &veneer_siefp->sint[VENEER_BUS_EVENT_SINT][0];
	unsigned long flags;

	if (!READ_ONCE(*word))
		return;
	flags = xchg(word, 0);
	atomic_long_or(flags, &veneer_pending_flags);
}

static void veneer_take_all(void)
{
	unsigned long irqflags;

	spin_lock_irqsave(&veneer_msg_lock, irqflags);
	veneer_take_messages();
	spin_unlock_irqrestore(&veneer_msg_lock, irqflags);
	veneer_take_flags();
}

static bool veneer_next_message(struct vnr_message *msg)
{
	unsigned long irqflags;
	bool any;

	spin_lock_irqsave(&veneer_msg_lock, irqflags);
	/* Room was made: what waited in the slot comes next, in order. */
	veneer_take_messages();
	any = veneer_msg_count != 0;
	if (any) {
		*msg = veneer_msgs[veneer_msg_head];
		veneer_msg_head = (veneer_msg_head + 1) % VENEER_MSG_BACKLOG;
		veneer_msg_count--;
	}
	spin_unlock_irqrestore(&veneer_msg_lock, irqflags);
	return any;
}

static void veneer_bus_work(struct work_struct *work)
{
	struct vnr_message msg;
	unsigned long flags;

	while (veneer_next_message(&msg))
		veneer_bus_message(&msg);
	veneer_take_flags();
	flags = atomic_long_xchg(&veneer_pending_flags, 0);
	if (flags)
		veneer_bus_events(flags);
}

void veneer_bus_kick(u32 id)
{
	atomic_long_or(BIT(id), &veneer_pending_flags);
	queue_work(veneer_bus_wq, &veneer_work);
}

/* An interrupt that finds nothing (the work took it all) is still ours. */
atomic64_t veneer_interrupts = ATOMIC64_INIT(0);

static irqreturn_t veneer_bus_interrupt(int irq, void *data)
{
	atomic64_inc(&veneer_interrupts);
	veneer_take_all();
	queue_work(veneer_bus_wq, &veneer_work);
	return IRQ_HANDLED;
}

/* Control messages and the channels' events. */
static const u32 veneer_sints[] = { VENEER_BUS_MSG_SINT, VENEER_BUS_EVENT_SINT };

static void veneer_synic_free(void)
{
	free_page((unsigned long)veneer_simp);
	free_page((unsigned long)veneer_siefp);
	veneer_simp = NULL;
	veneer_siefp = NULL;
	if (veneer_bus_wq)
		destroy_workqueue(veneer_bus_wq);
	veneer_bus_wq = NULL;
}

static int veneer_synic_alloc(void)
{
	/* The hypervisor does not clear them: a stale slot would count. */
	veneer_simp = (void *)get_zeroed_page(GFP_KERNEL);
	veneer_siefp = (void *)get_zeroed_page(GFP_KERNEL);
	/* Ordered: messages are handled in the order they came. */
	veneer_bus_wq = alloc_ordered_workqueue(KBUILD_MODNAME, 0);
	if (!veneer_simp || !veneer_siefp || !veneer_bus_wq) {
		veneer_synic_free();
		return -ENOMEM;
	}
	veneer_msg_head = 0;
	veneer_msg_count = 0;
	atomic_long_set(&veneer_pending_flags, 0);
	return 0;
}

int veneer_synic_init(struct pci_dev *pdev)
{
	int err = veneer_synic_alloc();

	if (err)
		return err;
	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (err < 0) {
		pci_err(pdev, "no MSI vector: %d\n", err);
		goto free;
	}
	err = request_irq(pci_irq_vector(pdev, 0), veneer_bus_interrupt, 0,
			  KBUILD_MODNAME, pdev);
	if (err)
		goto release_vectors;
	err = veneer_synic_msrs_on(veneer_simp, veneer_siefp, veneer_sints,
				   ARRAY_SIZE(veneer_sints), VENEER_SINT_VALUE);
	if (err)
		goto release_irq;
	/* Messages and flags that came before the MSI was enabled. */
	queue_work(veneer_bus_wq, &veneer_work);
	return 0;

release_irq:
	free_irq(pci_irq_vector(pdev, 0), pdev);
release_vectors:
	pci_free_irq_vectors(pdev);
free:
	veneer_synic_free();
	return err;
}

void veneer_synic_exit(struct pci_dev *pdev)
{
	veneer_synic_msrs_off(veneer_sints, ARRAY_SIZE(veneer_sints));
	free_irq(pci_irq_vector(pdev, 0), pdev);
	pci_free_irq_vectors(pdev);
	cancel_work_sync(&veneer_work);
	veneer_synic_free();
}
