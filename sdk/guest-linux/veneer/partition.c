// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A partition's descriptor: the child's memory, its VPs and its state.
 * The last reference (each VP descriptor holds one) stops and destroys
 * the child and gives the deposits no child uses back to the kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "veneer.h"

/* A child's GPA space is [0, 4 GiB) (management.md, memory model). */
#define VENEER_CHILD_GPA_END (4ull << 30)

static LIST_HEAD(veneer_partitions);
static DEFINE_MUTEX(veneer_partitions_lock);

u32 veneer_partition_count(void)
{
	struct veneer_partition *partition;
	u32 count = 0;

	mutex_lock(&veneer_partitions_lock);
	list_for_each_entry(partition, &veneer_partitions, node)
		count++;
	mutex_unlock(&veneer_partitions_lock);
	return count;
}

static bool veneer_child_range_ok(u64 gpa, u64 size)
{
	return gpa < VENEER_CHILD_GPA_END && size <= VENEER_CHILD_GPA_END - gpa;
}

/*
 * Deposits what the pool lacks, then maps: the pool lock keeps every
 * other map off the pool in between, so no rep fails for want of a
 * deposited page.  A rep that fails otherwise leaves the pages before it
 * mapped (they return to the pool when the child is destroyed).
 */
static int veneer_map_memory(struct veneer_partition *partition,
			     const struct veneer_memory *range)
{
	u64 pages = range->size >> PAGE_SHIFT, done = 0;
	int err;

	if (!range->size || !PAGE_ALIGNED(range->gpa) ||
	    !PAGE_ALIGNED(range->size) ||
	    !veneer_child_range_ok(range->gpa, range->size))
		return -EINVAL;
	mutex_lock(&veneer_pool_lock);
	err = veneer_pool_reserve(pages);
	while (!err && done < pages) {
		u32 count = min_t(u64, pages - done, veneer_hv.max_reps);
		u32 mapped;

		err = veneer_call_map_gpa_pages(partition->id,
						range->gpa + done * PAGE_SIZE,
						count, &mapped);
		done += mapped;
		cond_resched();
	}
	mutex_unlock(&veneer_pool_lock);
	return err;
}

/* One call per piece: none is longer than a call takes or crosses a page. */
static int veneer_write_memory(struct veneer_partition *partition,
			       const struct veneer_write_memory *write)
{
	const u8 __user *data = veneer_user_ptr(write->data);
	u64 done = 0;
	void *bounce;
	int err = 0;

	if (!write->size)
		return 0;
	if (!veneer_child_range_ok(write->gpa, write->size))
		return -EINVAL;
	bounce = (void *)__get_free_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (!err && done < write->size) {
		u64 gpa = write->gpa + done;
		u32 length = min_t(u64, write->size - done,
				   min_t(u64, VNR_WRITE_MEMORY_MAX,
					 PAGE_SIZE - (gpa & ~PAGE_MASK)));

		if (copy_from_user(bounce, data + done, length))
			err = -EFAULT;
		else
			err = veneer_call_write_memory(partition->id, gpa,
						       bounce, length);
		done += length;
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	free_page((unsigned long)bounce);
	return err;
}

static const u16 veneer_transition_calls[] = {
	[VENEER_START] = VNR_CALL_PARTITION_START,
	[VENEER_SUSPEND] = VNR_CALL_PARTITION_SUSPEND,
	[VENEER_RESUME] = VNR_CALL_PARTITION_RESUME,
	[VENEER_STOP] = VNR_CALL_PARTITION_STOP,
};

/* A state change wakes the VP threads: a suspended or halted one looks. */
static int veneer_set_state(struct veneer_partition *partition, u32 transition)
{
	int err;

	if (transition >= ARRAY_SIZE(veneer_transition_calls) ||
	    !veneer_transition_calls[transition])
		return -EINVAL;
	err = veneer_call_fast(veneer_transition_calls[transition],
			       partition->id);
	if (!err)
		veneer_wake_all();
	return err;
}

static long veneer_partition_locked_ioctl(struct file *file,
					  unsigned int cmd, void __user *arg)
{
	struct veneer_partition *partition = file->private_data;
	struct veneer_write_memory write;
	struct veneer_memory range;
	u32 value;

	switch (cmd) {
	case VENEER_MAP_MEMORY:
		if (copy_from_user(&range, arg, sizeof(range)))
			return -EFAULT;
		return veneer_map_memory(partition, &range);
	case VENEER_WRITE_MEMORY:
		if (copy_from_user(&write, arg, sizeof(write)))
			return -EFAULT;
		return veneer_write_memory(partition, &write);
	case VENEER_CREATE_VP:
		if (get_user(value, (u32 __user *)arg))
			return -EFAULT;
		return veneer_vp_create(file, value);
	case VENEER_SET_STATE:
		if (get_user(value, (u32 __user *)arg))
			return -EFAULT;
		return veneer_set_state(partition, value);
	default:
		return -ENOTTY;
	}
}

static long veneer_query(struct veneer_partition *partition, void __user *arg)
{
	struct vnr_partition_status status;
	int err = veneer_call_partition_query(partition->id, &status);

	if (err)
		return err;
	return copy_to_user(arg, &status, sizeof(status)) ? -EFAULT : 0;
}

static long veneer_partition_ioctl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	struct veneer_partition *partition = file->private_data;
	long ret;

	if (cmd == VENEER_QUERY)
		return veneer_query(partition, (void __user *)arg);
	/* The channel calls take no partition lock: see channels.c. */
	ret = veneer_channels_ioctl(file, cmd, (void __user *)arg);
	if (ret != -ENOTTY)
		return ret;
	mutex_lock(&partition->lock);
	ret = veneer_partition_locked_ioctl(file, cmd, (void __user *)arg);
	mutex_unlock(&partition->lock);
	return ret;
}

/*
 * STOP first: it ends a running or suspended child and is refused (and
 * changes nothing) for one that is still being built or already stopped.
 */
static int veneer_partition_destroy(struct veneer_partition *partition)
{
	int err;

	veneer_call_fast(VNR_CALL_PARTITION_STOP, partition->id);
	err = veneer_call_fast(VNR_CALL_PARTITION_DESTROY, partition->id);
	if (err)
		pr_err("partition %u (%s) could not be destroyed (%d); its pages stay deposited\n",
		       partition->id, partition->name, err);
	return err;
}

static void veneer_partition_free(struct veneer_partition *partition)
{
	put_pid(partition->owner);
	kfree(partition);
}

static int veneer_partition_release(struct inode *inode, struct file *file)
{
	struct veneer_partition *partition = file->private_data;

	veneer_channels_unwire(partition, !veneer_partition_destroy(partition));
	mutex_lock(&veneer_partitions_lock);
	list_del(&partition->node);
	mutex_unlock(&veneer_partitions_lock);
	veneer_pool_shrink();
	veneer_partition_free(partition);
	return 0;
}

static const struct file_operations veneer_partition_fops = {
	.owner = THIS_MODULE,
	.release = veneer_partition_release,
	.unlocked_ioctl = veneer_partition_ioctl,
	.poll = veneer_channels_poll,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct veneer_partition *
veneer_partition_alloc(const struct veneer_create_partition *args)
{
	struct veneer_partition *partition =
		kzalloc(sizeof(*partition), GFP_KERNEL);

	if (!partition)
		return NULL;
	mutex_init(&partition->lock);
	INIT_LIST_HEAD(&partition->node);
	INIT_LIST_HEAD(&partition->chan.node);
	init_waitqueue_head(&partition->chan.wait);
	strscpy(partition->name, args->name, sizeof(partition->name));
	partition->vp_count = args->vp_count;
	partition->owner = get_pid(task_tgid(current));
	return partition;
}

/* The name must end within its field; the hypervisor checks the rest. */
static int veneer_create_input(const struct veneer_create_partition *args,
			       struct vnr_partition_create_input *in)
{
	if (strnlen(args->name, sizeof(args->name)) == sizeof(args->name) ||
	    args->reserved)
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	strscpy(in->name, args->name, sizeof(in->name));
	in->privileges = args->privileges;
	in->vp_count = args->vp_count;
	in->notify_sint = VENEER_SINT;
	in->platform = args->platform;
	return 0;
}

/*
 * Creates the child with its channels' ports and connections, then its
 * descriptor's file (or destroys the child again), and lists it.
 */
static struct file *veneer_partition_file(struct veneer_partition *partition,
					  const struct vnr_partition_create_input *in)
{
	struct file *file;
	int err;

	err = veneer_call_partition_create(in, &partition->id);
	if (err)
		return ERR_PTR(err);
	err = veneer_channels_wire(partition);
	file = err ? ERR_PTR(err)
		   : anon_inode_getfile("veneer-partition",
					&veneer_partition_fops, partition,
					O_RDWR);
	if (IS_ERR(file)) {
		err = veneer_call_fast(VNR_CALL_PARTITION_DESTROY,
				       partition->id);
		veneer_channels_unwire(partition, !err);
		return file;
	}
	mutex_lock(&veneer_partitions_lock);
	list_add_tail(&partition->node, &veneer_partitions);
	mutex_unlock(&veneer_partitions_lock);
	return file;
}

int veneer_partition_create(struct veneer_create_partition __user *uargs)
{
	struct veneer_create_partition args;
	struct vnr_partition_create_input in;
	struct veneer_partition *partition;
	struct file *file;
	int fd, err;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	err = veneer_create_input(&args, &in);
	if (err)
		return err;
	partition = veneer_partition_alloc(&args);
	if (!partition)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		veneer_partition_free(partition);
		return fd;
	}
	file = veneer_partition_file(partition, &in);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		veneer_partition_free(partition);
		return PTR_ERR(file);
	}
	/* From here the file owns the partition: its release destroys it. */
	if (put_user(partition->id, &uargs->partition_id)) {
		fput(file);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;
}

static void veneer_entry_fill(struct veneer_partition_entry *entry,
			      const struct veneer_partition *partition)
{
	memcpy(entry->name, partition->name, sizeof(entry->name));
	entry->owner_pid = pid_vnr(partition->owner);
	entry->status.partition_id = partition->id;
}

/*
 * A snapshot of the list, then one query each: a partition destroyed in
 * between is left out.
 */
int veneer_partition_list(struct veneer_partition_entry __user *entries,
			  u32 capacity)
{
	struct veneer_partition_entry *snapshot;
	struct veneer_partition *partition;
	u32 n = 0, i, written = 0;

	capacity = min(capacity, veneer_hv.max_partitions);
	if (!capacity)
		return 0;
	snapshot = kcalloc(capacity, sizeof(*snapshot), GFP_KERNEL);
	if (!snapshot)
		return -ENOMEM;
	mutex_lock(&veneer_partitions_lock);
	list_for_each_entry(partition, &veneer_partitions, node) {
		if (n == capacity)
			break;
		veneer_entry_fill(&snapshot[n++], partition);
	}
	mutex_unlock(&veneer_partitions_lock);
	for (i = 0; i < n; i++) {
		struct veneer_partition_entry *entry = &snapshot[i];

		if (veneer_call_partition_query(entry->status.partition_id,
						&entry->status))
			continue;
		if (copy_to_user(&entries[written], entry, sizeof(*entry))) {
			kfree(snapshot);
			return -EFAULT;
		}
		written++;
	}
	kfree(snapshot);
	return written;
}
