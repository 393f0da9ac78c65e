/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Veneer bus (veneer_bus.ko) for class drivers: a device per channel
 * a provider offers (docs/spec/channels.md), matched to the driver of its
 * device class, and the client's side of that channel.
 *
 * A device is named vnr-<channel id>; its uevent carries
 * MODALIAS=veneer:<the 32 hex digits of the class GUID, byte by byte>, so
 * a class driver that declares MODULE_ALIAS("veneer:<digits>") is loaded
 * when its device appears.
 */
#ifndef VENEER_BUS_H
#define VENEER_BUS_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/types.h>

#include <veneer/channel.h>

/* Channel ids are 1 to 63: their flags are the first word of the SINT. */
#define VENEER_CHANNEL_MAX_ID 63u

/* One offered channel: what the provider said about it. */
struct veneer_device {
	struct device dev;
	u32 channel_id;		     /* 1 to 63, the provider's */
	struct vnr_guid class_id;    /* what kind of device */
	struct vnr_guid instance_id; /* which one of its kind */
};

static inline struct veneer_device *to_veneer_device(struct device *dev)
{
	return container_of(dev, struct veneer_device, dev);
}

/*
 * A class driver: probe() is called for each device of class class_id
 * (process context, may sleep; 0 or a negative errno), remove() when the
 * device goes away or the driver is unregistered.  After remove() the bus
 * closes the channel if the driver left it open.
 */
struct veneer_driver {
	struct device_driver driver;
	struct vnr_guid class_id;
	int (*probe)(struct veneer_device *vdev);
	void (*remove)(struct veneer_device *vdev);
};

/*
 * Registers drv (its driver.name and class_id set) and probes the devices
 * of its class already there.  Returns 0 or a negative errno.
 * veneer_driver_unregister() removes drv from every device it drives.
 * Process context.
 */
int __veneer_driver_register(struct veneer_driver *drv, struct module *owner);
#define veneer_driver_register(drv) __veneer_driver_register(drv, THIS_MODULE)
void veneer_driver_unregister(struct veneer_driver *drv);

/*
 * The channel's notification: called in process context (the bus's work
 * queue) when the provider signalled the channel, with the receive ring
 * masked, and once more after the channel closed for any reason but
 * veneer_channel_close().  It reads what it wants and returns; the bus
 * unmasks the ring and calls it again if a packet came meanwhile.  It must
 * not call veneer_channel_open() or veneer_channel_close().
 */
typedef void (*veneer_channel_notify_t)(struct veneer_device *vdev);

/*
 * Opens vdev's channel with send_pages pages for the ring to the provider
 * and recv_pages for the ring from it (each at least 2, together at most
 * 256): allocates and formats the rings, grants them to the provider,
 * sends OPEN and waits for the answer.  Process context, sleeps up to a
 * few seconds.  Returns 0 (open), -EBUSY (already opened once: a channel
 * is opened at most once per offer), -EINVAL (bad sizes), -ENOMEM,
 * -ECONNREFUSED (the provider refused), -ETIMEDOUT (no answer; the
 * channel is closed) or the errno of a failed call.
 */
int veneer_channel_open(struct veneer_device *vdev, u32 send_pages,
			u32 recv_pages, veneer_channel_notify_t notify);

/*
 * Closes the channel (docs/spec/channels.md, closing rules): tells the
 * provider, waits up to 1 s for its answer, revokes the grant and frees
 * the rings.  Does nothing if the channel is not open.  Process context;
 * the notification is not called during or after it.
 */
void veneer_channel_close(struct veneer_device *vdev);

/*
 * Appends one packet of type with len payload bytes and signals the
 * provider if the ring rule says so.  Never sleeps: usable with a spinlock
 * held and interrupts disabled, and from interrupt context.  Returns 0,
 * -EAGAIN (the ring is full for now; the provider's signal calls the
 * notification once there is room), -EMSGSIZE (can never fit) or -EPIPE
 * (the channel is not open; a ring the provider corrupted closes it).
 */
int veneer_channel_send(struct veneer_device *vdev, u16 type,
			const void *data, u32 len);

/*
 * Takes the next packet from the provider: its type, and its payload
 * copied into buf (at most buflen bytes) with *len its length.  Never
 * sleeps.  Returns 0, -EAGAIN (no packet), -EMSGSIZE (the packet was
 * larger than buflen and is dropped) or -EPIPE (the channel is closed, or
 * closing and every packet read).
 */
int veneer_channel_recv(struct veneer_device *vdev, u16 *type, void *buf,
			u32 buflen, u32 *len);

/* Whether packets can be sent: the channel is open and not closing. */
bool veneer_channel_is_open(struct veneer_device *vdev);

/*
 * The driver found that the provider broke the device's protocol (an
 * answer to nothing it asked, say): sending and receiving stop at once,
 * and the bus's work closes the channel with reason CORRUPTED, then calls
 * the notification as for any close.  Does nothing unless the channel is
 * open or draining.  Never sleeps; any context.
 */
void veneer_channel_fail(struct veneer_device *vdev);

/*
 * Memory a device protocol shares beyond the rings (a data area, say):
 * grants count pages (1 to VNR_GRANT_MAX_PAGES) of the driver's, in
 * order, read-write, to vdev's provider; *handle names the grant in the
 * driver's packets.  Process context.  Returns 0, -EINVAL or the errno of
 * the failed call.
 */
struct page;
int veneer_grant_create(struct veneer_device *vdev, struct page *const *pages,
			u32 count, u64 *handle);

/*
 * Ends a grant of veneer_grant_create() once the channel is closed (the
 * closing rules: the provider has unmapped it, or was given its time).
 * A revoke that fails leaves the pages reachable by the provider: the
 * driver must never free or reuse them, but leak them, as the bus does
 * with rings it cannot revoke.  Any context.  Returns 0 or a negative
 * errno.
 */
int veneer_grant_revoke(struct veneer_device *vdev, u64 handle);

#endif /* VENEER_BUS_H */
