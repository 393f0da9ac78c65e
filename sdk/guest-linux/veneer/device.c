// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * /dev/veneer (sdk/include/veneer/ioctl.h): root's only, it reports the
 * hypervisor, creates partitions, lists them and reads the hypervisor's
 * log.  Each open descriptor holds the module, so the module cannot be
 * unloaded while any of its descriptors is open.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "veneer.h"

static long veneer_info(void __user *arg)
{
	struct veneer_info info;
	int err;

	memset(&info, 0, sizeof(info));
	info.abi_version = veneer_hv.abi_version;
	info.features = veneer_hv.features;
	info.max_partitions = veneer_hv.max_partitions;
	info.max_vps = veneer_hv.max_vps;
	err = veneer_call_memory_info(&info.memory);
	if (err)
		return err;
	info.partitions = veneer_partition_count();
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long veneer_list(struct veneer_list __user *uargs)
{
	struct veneer_list args;
	int count;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	count = veneer_partition_list(veneer_user_ptr(args.entries),
				      args.capacity);
	if (count < 0)
		return count;
	return put_user(count, &uargs->count);
}

static long veneer_log(struct veneer_log_read __user *uargs)
{
	struct veneer_log_read args;
	int err;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	err = veneer_read_log(&args);
	if (err)
		return err;
	return copy_to_user(uargs, &args, sizeof(args)) ? -EFAULT : 0;
}

static long veneer_device_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VENEER_INFO:
		return veneer_info(uarg);
	case VENEER_CREATE_PARTITION:
		return veneer_partition_create(uarg);
	case VENEER_LIST:
		return veneer_list(uarg);
	case VENEER_READ_LOG:
		return veneer_log(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations veneer_device_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = veneer_device_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice veneer_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "veneer",
	.fops = &veneer_device_fops,
	.mode = 0600,
};

int veneer_device_register(void)
{
	return misc_register(&veneer_device);
}

void veneer_device_unregister(void)
{
	misc_deregister(&veneer_device);
}
