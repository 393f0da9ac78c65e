// SPDX-License-Identifier: MIT
/*
 * Building a Linux partition through /dev/veneer as the hypervisor builds
 * one from the boot configuration (docs/spec/boot-protocol.md, "Linux
 * kernels"): a child of the PC platform (docs/spec/pc-platform.md), the
 * kernel, its command line, zero page and boot region by libvnr's loader,
 * the initrd, the MP table, and VP 0's entry registers.  Both files are
 * checked against the partition's memory before anything is made.
 */
#include "veneerctl.h"

#include <errno.h>
#include <libvnr/linux_boot.h>
#include <libvnr/mp_table.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct linux_files {
	struct ctl_file kernel, initrd;
	struct vnr_bzimage img;
	struct vnr_linux_layout layout;
};

static int refuse(const char *path, const struct vnr_bzimage_error *why,
		  char *err, size_t size)
{
	int n = snprintf(err, size, "kernel %s: ", path);

	snprintf(err + n, size - n, why->format, why->arg[0], why->arg[1],
		 why->arg[2], why->arg[3], why->arg[4]);
	return -1;
}

static int read_and_check(const struct ctl_config *cfg, struct linux_files *f,
			  char *err, size_t size)
{
	struct vnr_bzimage_error why;

	/* Neither file can fit if it is larger than the partition's RAM:
	 * refused before it is read into memory. */
	if (ctl_file_read("kernel", cfg->kernel, cfg->memory_size, &f->kernel,
			  err, size))
		return -1;
	if (cfg->initrd[0] &&
	    ctl_file_read("initrd", cfg->initrd, cfg->memory_size, &f->initrd,
			  err, size))
		return -1;
	if (!vnr_bzimage_check(f->kernel.data, f->kernel.size, cfg->memory_size,
			       &f->img, &why) ||
	    !vnr_bzimage_place(&f->img, cfg->cmdline, f->initrd.size,
			       &f->layout, &why))
		return refuse(cfg->kernel, &why, err, size);
	return 0;
}

static int load(const struct ctl_config *cfg, const struct linux_files *f,
		struct ctl_child *c, char *err, size_t size)
{
	struct vnr_gpa_writer to_child = ctl_child_writer(c);
	int e;

	e = vnr_bzimage_load(f->kernel.data, &f->img, cfg->cmdline, &f->layout,
			     &to_child);
	if (!e && f->initrd.size)
		e = vnr_gpa_write_pages(&to_child, f->layout.initrd,
					f->initrd.data, f->initrd.size);
	if (!e)
		e = vnr_mp_table_write(&to_child, cfg->vp_count);
	return e ? ctl_fail(err, size, "writing '%s': %s", cfg->name,
			    strerror(e > 0 ? e : EINVAL))
		 : 0;
}

static int create_vp(struct ctl_child *c, const struct vnr_linux_layout *l,
		     char *err, size_t size)
{
	const struct vnr_register_value regs[] = {
		{.name = VNR_REG_RIP, .value = l->entry},
		{.name = VNR_REG_RSP, .value = l->boot.stack_top},
		{.name = VNR_REG_RSI, .value = l->zero_page},
		{.name = VNR_REG_CR3, .value = l->boot.pml4},
		{.name = VNR_REG_GDTR_BASE, .value = l->boot.gdt},
		{.name = VNR_REG_GDTR_LIMIT, .value = l->boot.gdt_limit},
	};

	return ctl_child_create_vp(c, regs, sizeof(regs) / sizeof(regs[0]), err,
				   size);
}

int ctl_linux_build(int dev, const struct ctl_config *cfg, struct ctl_child *c,
		    char *err, size_t err_size)
{
	struct linux_files f = {0};
	int r;

	*c = (struct ctl_child){.partition = -1, .vp = -1};
	r = read_and_check(cfg, &f, err, err_size);
	if (!r)
		r = ctl_child_create(dev, cfg, VNR_PLATFORM_PC, c, err,
				     err_size);
	if (!r)
		r = load(cfg, &f, c, err, err_size);
	if (!r)
		r = create_vp(c, &f.layout, err, err_size);
	free(f.kernel.data);
	free(f.initrd.data);
	if (r)
		ctl_child_close(c);
	return r;
}
