/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * veneer_bus.ko's internal interfaces: the client side of the channel
 * protocol in a partition (docs/spec/channels.md).  Each section below is
 * one file of the module.
 */
#ifndef VENEER_BUS_INTERNAL_H
#define VENEER_BUS_INTERNAL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <veneer/channel.h>
#include <veneer/synic.h>

#include "veneer_bus.h"
#include "veneer_hc.h"
#include "vnr_ring.h"

/* The SDK's convention (channels.md): control port, event port. */
#define VENEER_BUS_MSG_SINT   2u
#define VENEER_BUS_EVENT_SINT 3u
/* The provider's message port and event port. */
#define VENEER_BUS_MSG_CONN   1u
#define VENEER_BUS_EVENT_CONN 2u
/* The most ring pages the SDK's provider maps. */
#define VENEER_CHANNEL_MAX_RING_PAGES 256u

/* ---- discovery.c: is this a partition of Veneer the bus can use? ---- */

/*
 * Checks CPUID: Veneer's signature, an ABI of this module's major version,
 * the hypercall page, fast calls, the SynIC and grants.  Returns 0 or
 * -ENODEV (with the reason logged).
 */
int veneer_bus_discover(void);

/* ---- calls.c: the channel calls, typed ---- */

/*
 * Each returns 0 or the negative errno of the call's status
 * (veneer_errno()); -ENOTCONN and -EBUSY mean the provider is gone.
 * veneer_post() and veneer_call_grant_create() use the calling CPU's call
 * pages: process context.  veneer_post() retries a full queue a bounded
 * number of times after VP_YIELD and may sleep.  veneer_signal() and
 * veneer_call_grant_revoke() are fast calls, usable in any context.
 */
int veneer_post(u32 type, const void *payload, u32 size);
/*
 * What the partition's channels cost it, for /sys/bus/veneer/: the
 * SIGNAL_EVENT calls made (each an exit) and the interrupts taken.
 */
extern atomic64_t veneer_signals, veneer_interrupts;
int veneer_signal(u32 flag);
/* Grants count pages (1 to VNR_GRANT_MAX_PAGES), in order, to peer. */
struct page;
int veneer_call_grant_create(u32 peer, struct page *const *pages, u32 count,
			     u64 *handle);
int veneer_call_grant_revoke(u64 handle);

/* ---- synic.c: the partition's SynIC and the function's MSI ---- */

/*
 * Enables the SynIC on VP 0 with the control and event SINTs unmasked and
 * takes the function's MSI; then looks once at what waited.  Messages are
 * copied out in the interrupt and handed to veneer_bus_message() on the
 * bus's work queue, flags to veneer_bus_events().  veneer_synic_exit()
 * undoes it; no work may run after it.  Returns 0 or a negative errno.
 */
struct pci_dev;
int veneer_synic_init(struct pci_dev *pdev);
void veneer_synic_exit(struct pci_dev *pdev);

/* The bus's ordered work queue, on which control messages are handled. */
extern struct workqueue_struct *veneer_bus_wq;

/*
 * Handles channel id's event on the work queue as if the provider had
 * signalled it: after a notification found more data, and to give a
 * newly opened channel its first round.  Any context.
 */
void veneer_bus_kick(u32 id);

/* ---- channel.c: the control plane ---- */

enum veneer_chstate {
	VENEER_CH_OFFERED,  /* not opened yet */
	VENEER_CH_OPENING,  /* OPEN sent, waiting for OPEN_RESULT */
	VENEER_CH_OPEN,
	VENEER_CH_CLOSING,  /* our CLOSE sent, waiting for the provider's */
	VENEER_CH_DRAINING, /* the provider closed: its last packets wait */
	VENEER_CH_CLOSED,   /* rings released; final */
};

/* A device with its channel; the device's memory holds both. */
struct veneer_channel {
	struct veneer_device vdev;
	u32 peer; /* the provider's partition id */
	/*
	 * lock: state and both ring views.  Taken with interrupts disabled
	 * (send runs under hvc's lock); nothing logs while holding it, since
	 * the console may be a channel.
	 */
	spinlock_t lock;
	enum veneer_chstate state;
	struct vnr_ring tx, rx;
	void *rings;	    /* vmalloc()ed, ring_pages pages, or NULL */
	u32 ring_pages, send_pages;
	u64 grant;
	u32 open_status;    /* VNR_CHANNEL_OPEN_*, from OPEN_RESULT */
	bool failed;	    /* a ring was corrupted: close_work runs */
	/* rx's indices when the notification's round began (data.c). */
	u32 round_read, round_write;
	struct completion answered; /* OPEN_RESULT or the provider's CLOSE */
	struct mutex op_lock;	    /* open and close, one at a time */
	/* notify_lock: notify and closed_told, and each call of notify. */
	struct mutex notify_lock;
	veneer_channel_notify_t notify;
	bool closed_told; /* notify was called for the close */
	struct work_struct close_work; /* closes after a corrupted ring */
};

static inline struct veneer_channel *to_channel(struct veneer_device *vdev)
{
	return container_of(vdev, struct veneer_channel, vdev);
}

/*
 * One control message, copied out of the slot: type, sender, payload.
 * On the bus's work queue.
 */
void veneer_bus_message(const struct vnr_message *msg);

/*
 * Revokes ch's grant and frees its rings once; the state becomes CLOSED.
 * A revoke that fails leaks the pages (logged) rather than freeing pages
 * the provider may still reach.  Process context.
 */
void veneer_channel_release(struct veneer_channel *ch);

/* ---- data.c: packets, signals and notifications ---- */

/*
 * The event flags of a run of interrupts (bit n: channel n), on the bus's
 * work queue: masks each signalled channel's receive ring, calls its
 * notification, unmasks it, and completes a drained close.
 */
void veneer_bus_events(unsigned long flags);

/*
 * Completes a close the provider started once its packets are read
 * (state DRAINING, receive ring empty), and tells the driver once that
 * the channel closed.  Process context.
 */
void veneer_channel_settle(struct veneer_channel *ch);

/*
 * Closes ch with the closing rules (reason CORRUPTED if a ring was
 * corrupted): CLOSE sent, the provider's answer awaited up to 1 s, the
 * rings released.  With ch->op_lock held; process context.
 */
void veneer_channel_close_locked(struct veneer_channel *ch);

/* Queues ch's close_work (on the add work queue).  Any context. */
void veneer_channel_queue_close(struct veneer_channel *ch);

/* ---- device.c: the bus, its devices and drivers ---- */

/*
 * Registers and unregisters the bus_type "veneer" and the work queue that
 * adds devices and closes corrupted channels (both wait for the bus's
 * work queue, so neither runs on it).  Returns 0 or a negative errno.
 */
int veneer_bus_register(void);
void veneer_bus_unregister(void);

/* The PCI function, parent of every device; set before the SynIC. */
extern struct device *veneer_bus_parent;

/*
 * The channel with this id, or NULL; a reference is not taken (devices
 * live until veneer_devices_remove()).  On the bus's work queue only.
 */
struct veneer_channel *veneer_channel_find(u32 id);

/*
 * Creates the device for an offer from partition sender, unless one with
 * its channel id exists; adds it to the bus from a separate work item, so
 * that a probe that waits for OPEN_RESULT does not block the messages.
 * On the bus's work queue.
 */
void veneer_device_offer(const struct vnr_channel_offer *offer, u32 sender);

/*
 * Refuses further offers, then removes every device: drivers' remove(),
 * each channel closed and its grant revoked.  Offers stay refused until
 * veneer_devices_open(), which the PCI probe calls before the SynIC
 * delivers any.  Process context.
 */
void veneer_devices_remove(void);
void veneer_devices_open(void);

#endif /* VENEER_BUS_INTERNAL_H */
