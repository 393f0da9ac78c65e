// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The root as the provider of its children's channels (docs/spec/
 * root-stack.md, "Channels").  Each child is given the SDK's client ports
 * and connections to the root's two ports when it is created.  The root's
 * control port queues every message a child sends on that child's
 * descriptor; the root's event port has one flag per channel id, and ids
 * are unique among all the root's channels, so a flag names the child
 * whose channel it is.  The rings are user space's: it maps the child's
 * grants (grant_window.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <veneer/ipc.h>

#include "veneer.h"

/* The root's ports, made once; a reload of the module finds them. */
#define VENEER_ROOT_MSG_PORT   1u
#define VENEER_ROOT_EVENT_PORT 2u
/* A child's, as the SDK's clients expect them (channels.md). */
#define VENEER_CHILD_MSG_PORT	1u
#define VENEER_CHILD_EVENT_PORT 2u
#define VENEER_CHILD_MSG_SINT	2u
#define VENEER_CHILD_EVENT_SINT 3u
#define VENEER_CHILD_MSG_CONN	1u
#define VENEER_CHILD_EVENT_CONN 2u
#define VENEER_CHANNEL_FLAGS	64u

/*
 * veneer_channel_lock: the wired list, every child's queue, events and
 * ids, and the owner of each id.  Taken in the interrupt.
 */
static DEFINE_SPINLOCK(veneer_channel_lock);
static LIST_HEAD(veneer_wired);
static struct veneer_channels *veneer_id_owner[VENEER_CHANNEL_FLAGS];
/* Slot s of a child: the root's connections 2s + 1 and 2s + 2. */
static unsigned long veneer_slots;

static int veneer_port_create(u32 partition, u32 port, u32 kind, u32 sint,
			      u32 flags)
{
	struct vnr_port_create_input in = {
		.partition_id = partition,
		.port_id = port,
		.kind = kind,
		.sint = sint,
		.flag_count = flags,
	};

	return veneer_call_ipc(VNR_CALL_PORT_CREATE, &in, sizeof(in));
}

static int veneer_connection_create(u32 partition, u32 conn, u32 target,
				    u32 port)
{
	struct vnr_connection_create_input in = {
		.partition_id = partition,
		.connection_id = conn,
		.target_partition_id = target,
		.target_port_id = port,
	};

	return veneer_call_ipc(VNR_CALL_CONNECTION_CREATE, &in, sizeof(in));
}

/*
 * The hypervisor keeps the root's ports for as long as the root runs, so
 * after a reload they exist: the module is the only maker of the root's
 * ports, and "that port exists" (-EINVAL) means they are its own.
 */
int veneer_channels_init(void)
{
	int err;

	err = veneer_port_create(veneer_hv.root_id, VENEER_ROOT_MSG_PORT,
				 VNR_PORT_MESSAGE, VENEER_CHANNEL_MSG_SINT, 0);
	if (err && err != -EINVAL)
		return err;
	err = veneer_port_create(veneer_hv.root_id, VENEER_ROOT_EVENT_PORT,
				 VNR_PORT_EVENT, VENEER_CHANNEL_EVENT_SINT,
				 VENEER_CHANNEL_FLAGS);
	return err == -EINVAL ? 0 : err;
}

static int veneer_wire_child(u32 child, u32 slot)
{
	int err;

	err = veneer_port_create(child, VENEER_CHILD_MSG_PORT,
				 VNR_PORT_MESSAGE, VENEER_CHILD_MSG_SINT, 0);
	if (!err)
		err = veneer_port_create(child, VENEER_CHILD_EVENT_PORT,
					 VNR_PORT_EVENT,
					 VENEER_CHILD_EVENT_SINT,
					 VENEER_CHANNEL_FLAGS);
	if (!err)
		err = veneer_connection_create(child, VENEER_CHILD_MSG_CONN,
					       veneer_hv.root_id,
					       VENEER_ROOT_MSG_PORT);
	if (!err)
		err = veneer_connection_create(child, VENEER_CHILD_EVENT_CONN,
					       veneer_hv.root_id,
					       VENEER_ROOT_EVENT_PORT);
	if (!err)
		err = veneer_connection_create(veneer_hv.root_id, 2 * slot + 1,
					       child, VENEER_CHILD_MSG_PORT);
	if (!err)
		err = veneer_connection_create(veneer_hv.root_id, 2 * slot + 2,
					       child, VENEER_CHILD_EVENT_PORT);
	return err;
}

/*
 * The child is CREATED and has nothing yet.  A connection the root made
 * before a failure goes with the child, which the caller destroys; the
 * slot stays taken until then (veneer_channels_unwire()).
 */
int veneer_channels_wire(struct veneer_partition *partition)
{
	struct veneer_channels *chan = &partition->chan;
	unsigned long flags;
	int slot, err;

	spin_lock_irqsave(&veneer_channel_lock, flags);
	slot = find_first_zero_bit(&veneer_slots, veneer_hv.max_partitions);
	if (slot < veneer_hv.max_partitions)
		__set_bit(slot, &veneer_slots);
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
	if (slot >= veneer_hv.max_partitions)
		return -ENOSPC;
	chan->slot = slot;
	chan->has_slot = true;
	err = veneer_wire_child(partition->id, slot);
	if (!err) {
		spin_lock_irqsave(&veneer_channel_lock, flags);
		list_add_tail(&chan->node, &veneer_wired);
		spin_unlock_irqrestore(&veneer_channel_lock, flags);
	}
	return err;
}

/*
 * After the child's destroy: the hypervisor removes the root's
 * connections to a child it destroys, so the slot's connection ids are
 * free again.  A child it refused to destroy keeps them, and so keeps
 * its slot: given to the next child, the slot would refuse its wiring,
 * and every later child's, the lowest free slot being the one taken.
 * Its channel ids go: it is stopped and signals no more.
 */
void veneer_channels_unwire(struct veneer_partition *partition, bool destroyed)
{
	struct veneer_channels *chan = &partition->chan;
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&veneer_channel_lock, flags);
	list_del_init(&chan->node);
	if (chan->has_slot && destroyed) {
		__clear_bit(chan->slot, &veneer_slots);
		chan->has_slot = false;
	}
	for (id = 1; id < VENEER_CHANNEL_FLAGS; id++)
		if (veneer_id_owner[id] == chan)
			veneer_id_owner[id] = NULL;
	chan->ids = 0;
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
}

static struct veneer_channels *veneer_wired_child(u32 id)
{
	struct veneer_channels *chan;

	list_for_each_entry(chan, &veneer_wired, node)
		if (container_of(chan, struct veneer_partition, chan)->id == id)
			return chan;
	return NULL;
}

/*
 * In the interrupt: a message a child sent to the root's control port.
 * One from anyone else, or one that finds the child's queue full, is
 * dropped and counted: a child that floods the root loses only its own.
 */
void veneer_channels_message(const struct vnr_message *msg)
{
	struct veneer_channels *chan;
	struct veneer_message *slot;
	u32 size = min_t(u32, msg->header.payload_size,
			 VNR_MESSAGE_PAYLOAD_MAX);

	spin_lock(&veneer_channel_lock);
	chan = veneer_wired_child(msg->header.sender_partition);
	if (chan && chan->count == VENEER_MESSAGE_QUEUE)
		chan->dropped++;
	if (chan && chan->count < VENEER_MESSAGE_QUEUE) {
		slot = &chan->queue[(chan->head + chan->count) %
				    VENEER_MESSAGE_QUEUE];
		slot->type = msg->header.message_type;
		slot->size = size;
		memcpy(slot->payload, msg->payload, size);
		memset(slot->payload + size, 0, sizeof(slot->payload) - size);
		chan->count++;
		wake_up_interruptible(&chan->wait);
	}
	spin_unlock(&veneer_channel_lock);
}

/* In the interrupt: the event port's flags, taken (cleared) by the caller. */
void veneer_channels_events(u64 flags)
{
	unsigned long bits = flags & ~1ull; /* id 0 is no channel */
	unsigned int id;

	spin_lock(&veneer_channel_lock);
	for_each_set_bit(id, &bits, VENEER_CHANNEL_FLAGS) {
		struct veneer_channels *chan = veneer_id_owner[id];

		if (!chan)
			continue;
		chan->events |= BIT_ULL(id);
		wake_up_interruptible(&chan->wait);
	}
	spin_unlock(&veneer_channel_lock);
}

static long veneer_channel_id(struct veneer_channels *chan)
{
	unsigned long flags;
	long id = -ENOSPC;
	unsigned int k;

	spin_lock_irqsave(&veneer_channel_lock, flags);
	if (hweight64(chan->ids) < VENEER_CHANNELS_PER_PARTITION) {
		for (k = 1; k < VENEER_CHANNEL_FLAGS && veneer_id_owner[k]; k++)
			;
		if (k < VENEER_CHANNEL_FLAGS) {
			veneer_id_owner[k] = chan;
			chan->ids |= BIT_ULL(k);
			id = k;
		}
	}
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
	return id;
}

static long veneer_post(struct veneer_partition *partition,
			struct veneer_message __user *umsg)
{
	struct veneer_message msg;

	if (copy_from_user(&msg, umsg, sizeof(msg)))
		return -EFAULT;
	if (!msg.type || msg.type >= VNR_MSG_HYPERVISOR_FIRST ||
	    msg.size > VNR_MESSAGE_PAYLOAD_MAX)
		return -EINVAL;
	return veneer_call_post(2 * partition->chan.slot + 1, msg.type,
				msg.payload, msg.size);
}

static long veneer_recv(struct veneer_channels *chan,
			struct veneer_message __user *umsg)
{
	struct veneer_message msg;
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&veneer_channel_lock, flags);
	if (chan->count) {
		msg = chan->queue[chan->head];
		chan->head = (chan->head + 1) % VENEER_MESSAGE_QUEUE;
		chan->count--;
		got = true;
	}
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
	if (!got)
		return -EAGAIN;
	return copy_to_user(umsg, &msg, sizeof(msg)) ? -EFAULT : 0;
}

static long veneer_signal(struct veneer_partition *partition,
			  u32 __user *uid)
{
	u32 id;

	if (get_user(id, uid))
		return -EFAULT;
	if (id >= VENEER_CHANNEL_FLAGS ||
	    !(READ_ONCE(partition->chan.ids) & BIT_ULL(id)))
		return -EINVAL;
	return veneer_call_signal(2 * partition->chan.slot + 2, id);
}

static long veneer_take_events(struct veneer_channels *chan,
			       u64 __user *uevents)
{
	unsigned long flags;
	u64 events;

	spin_lock_irqsave(&veneer_channel_lock, flags);
	events = chan->events;
	chan->events = 0;
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
	return put_user(events, uevents);
}

long veneer_channels_ioctl(struct file *file, unsigned int cmd,
			   void __user *arg)
{
	struct veneer_partition *partition = file->private_data;

	switch (cmd) {
	case VENEER_CHANNEL_ID:
		return veneer_channel_id(&partition->chan);
	case VENEER_POST_MESSAGE:
		return veneer_post(partition, arg);
	case VENEER_RECV_MESSAGE:
		return veneer_recv(&partition->chan, arg);
	case VENEER_SIGNAL:
		return veneer_signal(partition, arg);
	case VENEER_TAKE_EVENTS:
		return veneer_take_events(&partition->chan, arg);
	case VENEER_MAP_GRANT:
		return veneer_grant_window_open(file, arg);
	default:
		return -ENOTTY;
	}
}

__poll_t veneer_channels_poll(struct file *file, poll_table *wait)
{
	struct veneer_channels *chan =
		&((struct veneer_partition *)file->private_data)->chan;
	unsigned long flags;
	__poll_t mask = 0;

	poll_wait(file, &chan->wait, wait);
	spin_lock_irqsave(&veneer_channel_lock, flags);
	if (chan->count || chan->events)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irqrestore(&veneer_channel_lock, flags);
	return mask;
}
