// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A VP's descriptor: its registers, VENEER_RUN and the read-only mapping
 * of the exit record its last run wrote.  It holds a reference to its
 * partition's descriptor, so the partition outlives its VPs.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "veneer.h"

static enum hrtimer_restart veneer_vp_timer(struct hrtimer *timer)
{
	/* Its interrupt alone ends VP_RUN: the hypervisor serves the timer. */
	return HRTIMER_NORESTART;
}

static void veneer_vp_free(struct veneer_vp *vp)
{
	if (vp->input_page)
		__free_page(vp->input_page);
	if (vp->exit_page)
		__free_page(vp->exit_page);
	kfree(vp);
}

static struct veneer_vp *veneer_vp_alloc(struct veneer_partition *partition,
					 u32 index)
{
	struct veneer_vp *vp = kzalloc(sizeof(*vp), GFP_KERNEL);

	if (!vp)
		return NULL;
	vp->partition = partition;
	vp->index = index;
	vp->input_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	vp->exit_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!vp->input_page || !vp->exit_page) {
		veneer_vp_free(vp);
		return NULL;
	}
	hrtimer_init(&vp->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	vp->timer.function = veneer_vp_timer;
	vp->timer_due = KTIME_MAX;
	vp->timer_armed = KTIME_MAX;
	atomic_set(&vp->running, 0);
	return vp;
}

static int veneer_vp_release(struct inode *inode, struct file *file)
{
	struct veneer_vp *vp = file->private_data;

	hrtimer_cancel(&vp->timer);
	fput(vp->partition_file);
	veneer_vp_free(vp);
	return 0;
}

/*
 * The user's array, checked: count within one call, reserved fields zero.
 * Returns the kernel copy or an ERR_PTR.
 */
static struct vnr_register_value *
veneer_registers_in(const struct veneer_registers *args)
{
	struct vnr_register_value *regs;
	u32 i;

	if (args->reserved || !args->count ||
	    args->count > VENEER_REGISTERS_MAX)
		return ERR_PTR(-EINVAL);
	regs = memdup_user(veneer_user_ptr(args->registers),
			   args->count * sizeof(*regs));
	if (IS_ERR(regs))
		return regs;
	for (i = 0; i < args->count; i++) {
		if (regs[i].reserved) {
			kfree(regs);
			return ERR_PTR(-EINVAL);
		}
	}
	return regs;
}

static long veneer_vp_registers(struct veneer_vp *vp, unsigned int cmd,
				void __user *arg)
{
	struct veneer_partition *partition = vp->partition;
	struct vnr_register_value *regs;
	struct veneer_registers args;
	int err;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	regs = veneer_registers_in(&args);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	mutex_lock(&partition->lock);
	if (cmd == VENEER_GET_REGISTERS)
		err = veneer_call_get_registers(partition->id, vp->index, regs,
						args.count);
	else
		err = veneer_call_set_registers(partition->id, vp->index, regs,
						args.count);
	mutex_unlock(&partition->lock);
	if (!err && cmd == VENEER_GET_REGISTERS &&
	    copy_to_user(veneer_user_ptr(args.registers), regs,
			 args.count * sizeof(*regs)))
		err = -EFAULT;
	kfree(regs);
	return err;
}

static long veneer_vp_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct veneer_vp *vp = file->private_data;
	struct veneer_run run;

	switch (cmd) {
	case VENEER_GET_REGISTERS:
	case VENEER_SET_REGISTERS:
		return veneer_vp_registers(vp, cmd, (void __user *)arg);
	case VENEER_RUN:
		if (copy_from_user(&run, (void __user *)arg, sizeof(run)))
			return -EFAULT;
		if (run.reserved)
			return -EINVAL;
		return veneer_vp_run(vp, &run);
	default:
		return -ENOTTY;
	}
}

/* Offset 0, one page, never writable: the exit record is the module's. */
static int veneer_vp_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct veneer_vp *vp = file->private_data;

	if (vma->vm_pgoff || vma_pages(vma) != 1)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return vm_insert_page(vma, vma->vm_start, vp->exit_page);
}

static const struct file_operations veneer_vp_fops = {
	.owner = THIS_MODULE,
	.release = veneer_vp_release,
	.unlocked_ioctl = veneer_vp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = veneer_vp_mmap,
	.llseek = noop_llseek,
};

/*
 * The descriptor's file exists before the VP: VP_CREATE cannot be undone,
 * so nothing may fail after it but the hypercall itself.
 */
int veneer_vp_create(struct file *pfile, u32 index)
{
	struct veneer_partition *partition = pfile->private_data;
	struct veneer_vp *vp;
	struct file *file;
	int fd, err;

	lockdep_assert_held(&partition->lock);
	if (index >= partition->vp_count)
		return -EINVAL;
	vp = veneer_vp_alloc(partition, index);
	if (!vp)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		veneer_vp_free(vp);
		return fd;
	}
	vp->partition_file = get_file(pfile);
	file = anon_inode_getfile("veneer-vp", &veneer_vp_fops, vp, O_RDWR);
	if (IS_ERR(file)) {
		fput(vp->partition_file);
		veneer_vp_free(vp);
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	err = veneer_call_vp_create(partition->id, index);
	if (err) {
		fput(file);
		put_unused_fd(fd);
		return err;
	}
	fd_install(fd, file);
	return fd;
}
