// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A child's grant mapped into the root (docs/spec/root-stack.md,
 * "Channels").  The hypervisor maps a grant at a guest-physical address
 * of the root's, which in root mode is a physical address: the module
 * gives each grant a window of an aperture it takes from the physical
 * address space that neither RAM nor any device uses.  The grant's
 * descriptor maps its window into user space; the last close unmaps it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include <veneer/boot.h>
#include <veneer/info.h>
#include <veneer/ipc.h>

#include "veneer.h"

/* A window holds the largest grant (VNR_GRANT_MAX_PAGES pages). */
#define VENEER_WINDOW_SIZE   SZ_2M
#define VENEER_WINDOWS	     128
#define VENEER_APERTURE_SIZE ((resource_size_t)VENEER_WINDOWS * SZ_2M)
/* Grants are mapped below 2^40 (hypercalls.md, grants). */
#define VENEER_GRANT_GPA_END (1ull << 40)

static struct resource veneer_aperture = {
	.name = "Veneer grants",
	.flags = IORESOURCE_MEM,
};
struct veneer_grant_window {
	struct file *partition_file; /* the reference the window holds */
	u32 owner;
	u64 handle;
	u32 pages;
	bool writable;
	unsigned int index;
	u64 gpa;
};

/*
 * veneer_window_lock: the aperture and the window of each index, NULL if
 * free.  Only the module maps grants in the root, so a grant that one of
 * them holds is the only grant mapped already.
 */
static DEFINE_MUTEX(veneer_window_lock);
static struct veneer_grant_window *veneer_windows[VENEER_WINDOWS];

/*
 * Above all RAM, 1 GiB aligned: the hypervisor maps the root's physical
 * address space up to the top of the firmware's memory map (at least
 * 4 GiB) at the start, and what lies above only when the root touches it.
 */
static int veneer_take_aperture(void)
{
	/* 64-bit Linux maps all RAM directly: high_memory is past its end. */
	resource_size_t ram_end = __pa(high_memory - 1) + 1;
	resource_size_t start = ALIGN(max_t(u64, ram_end, SZ_4G), SZ_1G);
	resource_size_t end = min_t(u64, VENEER_GRANT_GPA_END,
				    1ull << boot_cpu_data.x86_phys_bits) - 1;
	int err;

	if (veneer_aperture.parent)
		return 0;
	err = allocate_resource(&iomem_resource, &veneer_aperture,
				VENEER_APERTURE_SIZE, start, end, SZ_1G, NULL,
				NULL);
	if (err)
		pr_err("no physical address space for grants: %d\n", err);
	else
		pr_info("grants are mapped at %pR\n", &veneer_aperture);
	return err;
}

/*
 * A free window for w, or -EBUSY for a grant a window holds: the
 * hypervisor would refuse its map as it refuses a window in use, and
 * only the latter is the module's fault.
 */
static int veneer_window_get(struct veneer_grant_window *w)
{
	unsigned int i, index = VENEER_WINDOWS;
	int err;

	mutex_lock(&veneer_window_lock);
	err = veneer_take_aperture();
	for (i = 0; !err && i < VENEER_WINDOWS; i++) {
		struct veneer_grant_window *other = veneer_windows[i];

		if (!other && index == VENEER_WINDOWS)
			index = i;
		else if (other && other->owner == w->owner &&
			 other->handle == w->handle)
			err = -EBUSY;
	}
	if (!err && index == VENEER_WINDOWS)
		err = -ENOSPC;
	if (!err) {
		veneer_windows[index] = w;
		w->index = index;
	}
	mutex_unlock(&veneer_window_lock);
	return err;
}

static void veneer_window_put(unsigned int index)
{
	mutex_lock(&veneer_window_lock);
	veneer_windows[index] = NULL;
	mutex_unlock(&veneer_window_lock);
}

void veneer_grant_windows_exit(void)
{
	if (veneer_aperture.parent)
		release_resource(&veneer_aperture);
}

/* Every page a grant page, writable if it must be. */
static int veneer_window_pages_check(const struct veneer_grant_window *w)
{
	u64 want = VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ |
		   (w->writable ? VNR_GPA_ATTR_WRITE : 0) |
		   ((u64)VNR_MEM_GRANT << VNR_GPA_ATTR_TYPE_SHIFT);
	u64 mask = want | VNR_GPA_ATTR_TYPE_MASK;
	u64 *attrs = kmalloc_array(VNR_GPA_QUERY_MAX, sizeof(*attrs),
				   GFP_KERNEL);
	u32 done = 0, i;
	int err = attrs ? 0 : -ENOMEM;

	while (!err && done < w->pages) {
		u32 count = min_t(u32, w->pages - done, VNR_GPA_QUERY_MAX);

		err = veneer_call_gpa_attributes(w->gpa + done * PAGE_SIZE,
						 count, attrs);
		for (i = 0; !err && i < count; i++)
			if ((attrs[i] & mask) != want)
				err = -EINVAL;
		done += count;
	}
	kfree(attrs);
	return err;
}

/*
 * The child says how many pages its grant has; what the hypervisor mapped
 * decides.  A page that is not a grant page, or not writable when it must
 * be, refuses the whole map: the root never writes to a read-only grant
 * (which would stop it) nor reads past what was granted.  Nor may the
 * grant be larger than the child said: the page after the last is no
 * grant page (the window is larger than any grant).
 */
static int veneer_window_check(const struct veneer_grant_window *w)
{
	u64 after;
	int err;

	err = veneer_call_gpa_attributes(w->gpa + (u64)w->pages * PAGE_SIZE,
					 1, &after);
	if (err)
		return err;
	if (after & VNR_GPA_ATTR_PRESENT)
		return -EINVAL;
	return veneer_window_pages_check(w);
}

static int veneer_window_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct veneer_grant_window *w = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || size > (unsigned long)w->pages * PAGE_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!w->writable) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	/* A forked process does not take the child's pages along. */
	vma->vm_flags |= VM_DONTCOPY;
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(w->gpa), size,
			       vma->vm_page_prot);
}

/*
 * The last mapping is gone too (each holds the file).  A grant the child
 * revoked is not mapped any more: its window holds the hypervisor's
 * scratch page, which the next map over the window replaces.
 */
static int veneer_window_release(struct inode *inode, struct file *file)
{
	struct veneer_grant_window *w = file->private_data;

	veneer_call_grant_unmap(w->owner, w->handle);
	veneer_window_put(w->index);
	fput(w->partition_file);
	kfree(w);
	return 0;
}

static const struct file_operations veneer_window_fops = {
	.owner = THIS_MODULE,
	.mmap = veneer_window_mmap,
	.release = veneer_window_release,
	.llseek = noop_llseek,
};

static int veneer_window_map(struct veneer_grant_window *w)
{
	int err = veneer_window_get(w);

	if (err)
		return err;
	w->gpa = veneer_aperture.start + (u64)w->index * VENEER_WINDOW_SIZE;
	err = veneer_call_grant_map(w->owner, w->handle, w->gpa);
	if (err == -EEXIST)
		pr_err_ratelimited("the hypervisor maps grant window %#llx already\n",
				   w->gpa);
	if (!err) {
		err = veneer_window_check(w);
		if (err)
			veneer_call_grant_unmap(w->owner, w->handle);
	}
	if (err)
		veneer_window_put(w->index);
	return err;
}

long veneer_grant_window_open(struct file *pfile,
			      struct veneer_grant_map __user *uargs)
{
	struct veneer_partition *partition = pfile->private_data;
	struct veneer_grant_window *w;
	struct veneer_grant_map args;
	int fd, err;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (!args.page_count || args.page_count > VNR_GRANT_MAX_PAGES ||
	    args.flags & ~VENEER_GRANT_WRITABLE)
		return -EINVAL;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->owner = partition->id;
	w->handle = args.handle;
	w->pages = args.page_count;
	w->writable = args.flags & VENEER_GRANT_WRITABLE;
	err = veneer_window_map(w);
	if (err) {
		kfree(w);
		return err;
	}
	w->partition_file = get_file(pfile);
	fd = anon_inode_getfd("veneer-grant", &veneer_window_fops, w,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		veneer_call_grant_unmap(w->owner, w->handle);
		veneer_window_put(w->index);
		fput(pfile);
		kfree(w);
	}
	return fd;
}
