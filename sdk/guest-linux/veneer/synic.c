// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The root's SynIC (docs/spec/synic.md) and the interrupt that carries it:
 * in root mode the hypervisor raises the Veneer PCI function's MSI for an
 * unmasked SINT of the root.  The handler clears the event flags of
 * VENEER_SINT (a halted child VP became runnable), consumes its messages
 * (a child stopped by itself) and wakes the VP threads; then it hands the
 * channel ports' messages and flags to channels.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>

#include <veneer/msr.h>
#include <veneer/synic.h>

#include "veneer.h"
#include "veneer_synic.h"


/*
 * A SINT is unmasked only with a vector of 16 to 255.  For the root the
 * hypervisor ignores it and raises the MSI instead; Linux's spurious
 * interrupt vector is the one that would do no harm if it ever arrived.
 * Auto-EOI: nothing of the root's SynIC stays in service.
 */
#define VENEER_SINT_VALUE (SPURIOUS_APIC_VECTOR | VNR_SINT_AUTO_EOI)

/* More than a slot and its queue can hold: the handler never spins. */
#define VENEER_MESSAGES_PER_IRQ 16

static struct vnr_message_page *veneer_simp;
static struct vnr_event_flags_page *veneer_siefp;

static atomic_t veneer_wake_counter = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(veneer_wake_queue);

unsigned int veneer_wake_seq(void)
{
	return atomic_read(&veneer_wake_counter);
}

void veneer_wake_all(void)
{
	/* Ordered before the sleepers' check by the wait queue's lock. */
	atomic_inc(&veneer_wake_counter);
	wake_up_interruptible_all(&veneer_wake_queue);
}

int veneer_wait_for_wake(unsigned int seen, ktime_t deadline)
{
	ktime_t *expires = deadline == KTIME_MAX ? NULL : &deadline;
	DEFINE_WAIT(wait);
	int ret = 0;

	for (;;) {
		prepare_to_wait(&veneer_wake_queue, &wait, TASK_INTERRUPTIBLE);
		if (veneer_wake_seq() != seen)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		/* 0: the deadline passed; no deadline sleeps until woken. */
		if (!schedule_hrtimeout(expires, HRTIMER_MODE_ABS)) {
			ret = -ETIME;
			break;
		}
	}
	finish_wait(&veneer_wake_queue, &wait);
	return ret;
}

/*
 * Flags are cleared before anything acts on them, so a child that becomes
 * runnable again sets its flag again and raises a new interrupt.
 */
static void veneer_clear_event_flags(void)
{
	vnr_u64 *words = veneer_siefp->sint[VENEER_SINT];
	unsigned int i;

	for (i = 0; i < VNR_EVENT_FLAGS_PER_SINT / 64; i++)
		if (READ_ONCE(words[i]))
			xchg(&words[i], 0);
}

/*
 * Frees the slot of sint for each message in it, after handing it to
 * handle (if any).  The threads of the partition a message of VENEER_SINT
 * names learn what happened from VP_RUN itself: that message only has to
 * wake them; channels.c takes the channel port's.
 *
 * EOM follows every message, not only one flagged VNR_MSG_FLAG_PENDING
 * (synic.md allows both): the flag is read before the slot is freed, and a
 * message queued by another processor in between would otherwise wait for
 * the next one.  The MSI reaches the root's only processor, whose SynIC
 * this is; the hypervisor moves the next message in during the write.
 */
static void veneer_take_messages(u32 sint,
				 void (*handle)(const struct vnr_message *msg))
{
	struct vnr_message *slot = &veneer_simp->sint[sint];
	unsigned int n;

	for (n = 0; n < VENEER_MESSAGES_PER_IRQ; n++) {
		if (smp_load_acquire(&slot->header.message_type) ==
		    VNR_MSG_NONE)
			break;
		if (handle)
			handle(slot);
		smp_store_release(&slot->header.message_type, VNR_MSG_NONE);
		wrmsrl_safe(VNR_MSR_EOM, 0);
	}
}

/* The channel event port has 64 flags: the first word of its SINT. */
static void veneer_channel_events(void)
{
	vnr_u64 *word = &veneer_siefp->sint[VENEER_CHANNEL_EVENT_SINT][0];

	if (READ_ONCE(*word))
		veneer_channels_events(xchg(word, 0));
}

/*
 * Every interrupt wakes every sleeping VP thread: each goes back to
 * VP_RUN, and one whose VP is still halted sleeps again.  An interrupt
 * that finds nothing (an earlier one took it all) is still handled.
 */
static irqreturn_t veneer_interrupt(int irq, void *data)
{
	veneer_clear_event_flags();
	veneer_take_messages(VENEER_SINT, NULL);
	veneer_wake_all();
	veneer_take_messages(VENEER_CHANNEL_MSG_SINT, veneer_channels_message);
	veneer_channel_events();
	return IRQ_HANDLED;
}

/* The children's notifications, and the root's channel ports. */
static const u32 veneer_sints[] = { VENEER_SINT, VENEER_CHANNEL_MSG_SINT,
				    VENEER_CHANNEL_EVENT_SINT };

static void veneer_synic_free_pages(void)
{
	free_page((unsigned long)veneer_simp);
	free_page((unsigned long)veneer_siefp);
	veneer_simp = NULL;
	veneer_siefp = NULL;
}

int veneer_synic_init(struct pci_dev *pdev)
{
	int err;

	/* The hypervisor does not clear them: a stale slot would count. */
	veneer_simp = (void *)get_zeroed_page(GFP_KERNEL);
	veneer_siefp = (void *)get_zeroed_page(GFP_KERNEL);
	if (!veneer_simp || !veneer_siefp) {
		err = -ENOMEM;
		goto release_pages;
	}
	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (err < 0) {
		pci_err(pdev, "no MSI vector: %d\n", err);
		goto release_pages;
	}
	err = request_irq(pci_irq_vector(pdev, 0), veneer_interrupt, 0,
			  KBUILD_MODNAME, pdev);
	if (err)
		goto release_vectors;
	err = veneer_synic_msrs_on(veneer_simp, veneer_siefp, veneer_sints,
				   ARRAY_SIZE(veneer_sints), VENEER_SINT_VALUE);
	if (err)
		goto release_irq;
	return 0;

release_irq:
	free_irq(pci_irq_vector(pdev, 0), pdev);
release_vectors:
	pci_free_irq_vectors(pdev);
release_pages:
	veneer_synic_free_pages();
	return err;
}

void veneer_synic_exit(struct pci_dev *pdev)
{
	veneer_synic_msrs_off(veneer_sints, ARRAY_SIZE(veneer_sints));
	free_irq(pci_irq_vector(pdev, 0), pdev);
	pci_free_irq_vectors(pdev);
	veneer_synic_free_pages();
}
