// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The bus_type "veneer": one device per offered channel, named
 * vnr-<channel id>, matched to the class driver of its class GUID, whose
 * module udev loads by MODALIAS=veneer:<32 hex digits>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "bus.h"

/*
 * Devices by channel id.  Changed on the bus's work queue (offers) and at
 * removal, after the work queue has been flushed; read on the work queue.
 */
static struct veneer_channel *veneer_channels[VENEER_CHANNEL_MAX_ID + 1];
static DEFINE_MUTEX(veneer_channels_lock);
static bool veneer_offers_closed;
/* Adds devices and closes corrupted channels: both wait for the bus. */
static struct workqueue_struct *veneer_add_wq;
/* The provider: the partition that sent the first offer. */
static u32 veneer_provider;

struct device *veneer_bus_parent;

static struct veneer_driver *to_veneer_driver(struct device_driver *drv)
{
	return container_of(drv, struct veneer_driver, driver);
}

static ssize_t channel_id_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_veneer_device(dev)->channel_id);
}
static DEVICE_ATTR_RO(channel_id);

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%pUb\n", to_veneer_device(dev)->class_id.bytes);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t instance_id_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%pUb\n",
			  to_veneer_device(dev)->instance_id.bytes);
}
static DEVICE_ATTR_RO(instance_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "veneer:%16phN\n",
			  to_veneer_device(dev)->class_id.bytes);
}
static DEVICE_ATTR_RO(modalias);

static struct attribute *veneer_dev_attrs[] = {
	&dev_attr_channel_id.attr,
	&dev_attr_class_id.attr,
	&dev_attr_instance_id.attr,
	&dev_attr_modalias.attr,
	NULL,
};
ATTRIBUTE_GROUPS(veneer_dev);

static int veneer_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "MODALIAS=veneer:%16phN",
			      to_veneer_device(dev)->class_id.bytes);
}

static int veneer_match(struct device *dev, struct device_driver *drv)
{
	return !memcmp(&to_veneer_device(dev)->class_id,
		       &to_veneer_driver(drv)->class_id,
		       sizeof(struct vnr_guid));
}

static int veneer_probe(struct device *dev)
{
	struct veneer_driver *drv = to_veneer_driver(dev->driver);

	return drv->probe ? drv->probe(to_veneer_device(dev)) : 0;
}

/* A driver that left its channel open gets it closed. */
static void veneer_remove(struct device *dev)
{
	struct veneer_driver *drv = to_veneer_driver(dev->driver);
	struct veneer_device *vdev = to_veneer_device(dev);

	if (drv->remove)
		drv->remove(vdev);
	veneer_channel_close(vdev);
}

static ssize_t signals_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&veneer_signals));
}
static BUS_ATTR_RO(signals);

static ssize_t interrupts_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&veneer_interrupts));
}
static BUS_ATTR_RO(interrupts);

static struct attribute *veneer_bus_attrs[] = {
	&bus_attr_signals.attr,
	&bus_attr_interrupts.attr,
	NULL,
};
ATTRIBUTE_GROUPS(veneer_bus);

static struct bus_type veneer_bus_type = {
	.name = "veneer",
	.bus_groups = veneer_bus_groups,
	.dev_groups = veneer_dev_groups,
	.match = veneer_match,
	.uevent = veneer_uevent,
	.probe = veneer_probe,
	.remove = veneer_remove,
};

int __veneer_driver_register(struct veneer_driver *drv, struct module *owner)
{
	drv->driver.bus = &veneer_bus_type;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__veneer_driver_register);

void veneer_driver_unregister(struct veneer_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(veneer_driver_unregister);

int veneer_bus_register(void)
{
	int err;

	veneer_add_wq = alloc_workqueue("veneer_bus_add", 0, 0);
	if (!veneer_add_wq)
		return -ENOMEM;
	err = bus_register(&veneer_bus_type);
	if (err)
		destroy_workqueue(veneer_add_wq);
	return err;
}

void veneer_bus_unregister(void)
{
	bus_unregister(&veneer_bus_type);
	destroy_workqueue(veneer_add_wq);
}

struct veneer_channel *veneer_channel_find(u32 id)
{
	struct veneer_channel *ch = NULL;

	mutex_lock(&veneer_channels_lock);
	if (id && id <= VENEER_CHANNEL_MAX_ID)
		ch = veneer_channels[id];
	mutex_unlock(&veneer_channels_lock);
	return ch;
}

/* The last reference: the channel's rings were released by then. */
static void veneer_device_release(struct device *dev)
{
	kfree(to_channel(to_veneer_device(dev)));
}

/* The driver is told, unlike after its own veneer_channel_close(). */
static void veneer_corrupted_work(struct work_struct *work)
{
	struct veneer_channel *ch =
		container_of(work, struct veneer_channel, close_work);

	mutex_lock(&ch->op_lock);
	veneer_channel_close_locked(ch);
	mutex_unlock(&ch->op_lock);
	veneer_channel_settle(ch);
}

void veneer_channel_queue_close(struct veneer_channel *ch)
{
	queue_work(veneer_add_wq, &ch->close_work);
}

static struct veneer_channel *veneer_channel_alloc(
	const struct vnr_channel_offer *offer, u32 sender)
{
	struct veneer_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->vdev.channel_id = offer->channel_id;
	ch->vdev.class_id = offer->device_class;
	ch->vdev.instance_id = offer->instance;
	ch->peer = sender;
	ch->state = VENEER_CH_OFFERED;
	spin_lock_init(&ch->lock);
	mutex_init(&ch->op_lock);
	mutex_init(&ch->notify_lock);
	init_completion(&ch->answered);
	INIT_WORK(&ch->close_work, veneer_corrupted_work);
	device_initialize(&ch->vdev.dev);
	ch->vdev.dev.bus = &veneer_bus_type;
	ch->vdev.dev.parent = veneer_bus_parent;
	ch->vdev.dev.release = veneer_device_release;
	return ch;
}

/* Adding probes the driver, which may wait for the bus's work queue. */
struct veneer_add {
	struct work_struct work;
	struct veneer_channel *ch;
};

static void veneer_add_work(struct work_struct *work)
{
	struct veneer_add *add = container_of(work, struct veneer_add, work);
	struct veneer_channel *ch = add->ch;
	int err;

	kfree(add);
	err = dev_set_name(&ch->vdev.dev, "vnr-%u", ch->vdev.channel_id);
	if (!err)
		err = device_add(&ch->vdev.dev);
	if (err)
		pr_err("channel %u: no device: %d\n", ch->vdev.channel_id, err);
}

static bool veneer_offer_valid(const struct vnr_channel_offer *offer,
			       u32 sender)
{
	u32 id = offer->channel_id;

	if (!id || id > VENEER_CHANNEL_MAX_ID || veneer_offers_closed ||
	    veneer_channels[id])
		return false;
	/* Connections 1 and 2 lead to one partition. */
	return !veneer_provider || veneer_provider == sender;
}

void veneer_device_offer(const struct vnr_channel_offer *offer, u32 sender)
{
	struct veneer_channel *ch;
	struct veneer_add *add;

	mutex_lock(&veneer_channels_lock);
	if (!veneer_offer_valid(offer, sender))
		goto out;
	add = kmalloc(sizeof(*add), GFP_KERNEL);
	if (!add)
		goto out;
	ch = veneer_channel_alloc(offer, sender);
	if (!ch) {
		kfree(add);
		goto out;
	}
	veneer_provider = sender;
	veneer_channels[offer->channel_id] = ch;
	add->ch = ch;
	INIT_WORK(&add->work, veneer_add_work);
	queue_work(veneer_add_wq, &add->work);
out:
	mutex_unlock(&veneer_channels_lock);
}

/*
 * The driver lets go, the channel is closed (the bus's work queue still
 * handles the provider's answer), then no work can see the channel any
 * more before its memory goes.
 */
static void veneer_device_remove(struct veneer_channel *ch)
{
	if (device_is_registered(&ch->vdev.dev))
		device_del(&ch->vdev.dev);
	veneer_channel_close(&ch->vdev);
	cancel_work_sync(&ch->close_work);
	mutex_lock(&veneer_channels_lock);
	veneer_channels[ch->vdev.channel_id] = NULL;
	mutex_unlock(&veneer_channels_lock);
	flush_workqueue(veneer_bus_wq);
	put_device(&ch->vdev.dev);
}

void veneer_devices_remove(void)
{
	u32 id;

	mutex_lock(&veneer_channels_lock);
	veneer_offers_closed = true;
	mutex_unlock(&veneer_channels_lock);
	/* The adds queued before are done, and no new one comes. */
	flush_workqueue(veneer_add_wq);
	for (id = 1; id <= VENEER_CHANNEL_MAX_ID; id++)
		if (veneer_channels[id])
			veneer_device_remove(veneer_channels[id]);
	/*
	 * Offers stay refused: until the SynIC is off, the work queue still
	 * takes the provider's messages, and a device added now would
	 * outlive the bus.
	 */
	veneer_provider = 0;
}

void veneer_devices_open(void)
{
	mutex_lock(&veneer_channels_lock);
	veneer_offers_closed = false;
	mutex_unlock(&veneer_channels_lock);
}
