// SPDX-License-Identifier: MIT
/*
 * Building a partition through /dev/veneer exactly as the hypervisor builds
 * a boot partition (docs/spec/boot-protocol.md), with libvnr's loaders:
 * the ELF image, the boot region's page tables and GDT, the start
 * information, and VP 0's entry registers.  A Linux kernel is built by
 * build_linux.c with the pieces here that both share.
 */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <libvnr/boot_layout.h>
#include <libvnr/start_info.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Image files beyond the largest partition are refused unread. */
#define IMAGE_FILE_MAX (64u << 20)

/*
 * Linux's read() returns at most 2 GiB - 4 KiB at a time, and a signal
 * may cut one short: the bytes up to size or the end of the file, or -1.
 */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int ctl_file_read(const char *what, const char *path, vnr_u64 max,
		  struct ctl_file *f, char *err, size_t size)
{
	/* O_NONBLOCK: a FIFO must not hang the open; files ignore it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	ssize_t n = -1;

	*f = (struct ctl_file){NULL, 0};
	if (fd < 0)
		return ctl_fail(err, size, "%s %s: %s", what, path,
				strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (vnr_u64)st.st_size > max) {
		close(fd);
		return ctl_fail(err, size,
				"%s %s: not a regular file of at "
				"most %llu MiB",
				what, path, (unsigned long long)(max >> 20));
	}
	f->size = (size_t)st.st_size;
	f->data = malloc(f->size ? f->size : 1);
	if (f->data)
		n = read_all(fd, f->data, f->size);
	close(fd);
	if (n < 0 || (size_t)n != f->size) {
		free(f->data);
		f->data = NULL;
		return ctl_fail(err, size, "%s %s: cannot read it", what, path);
	}
	return 0;
}

/* libvnr's loaders write through VENEER_WRITE_MEMORY; ctx is the fd. */
static int write_child(void *ctx, vnr_u64 gpa, const void *src, vnr_u64 len)
{
	struct veneer_write_memory w = {
		.gpa = gpa,
		.size = len,
		.data = (uintptr_t)src,
	};

	return ioctl(*(const int *)ctx, VENEER_WRITE_MEMORY, &w) ? errno : 0;
}

struct vnr_gpa_writer ctl_child_writer(struct ctl_child *c)
{
	return (struct vnr_gpa_writer){write_child, &c->partition};
}

/*
 * The hypervisor refuses a name in use with INVALID_PARAMETER, like any
 * bad argument: asking first gives the operator the real reason.
 */
static bool name_taken(int dev, const char *name)
{
	vnr_u32 count = 0;
	struct veneer_partition_entry *entries = ctl_list(dev, &count, NULL);
	bool taken = false;

	for (vnr_u32 i = 0; entries && i < count; i++)
		taken |= !strncmp(entries[i].name, name, VNR_NAME_MAX);
	free(entries);
	return taken;
}

int ctl_child_create(int dev, const struct ctl_config *cfg, vnr_u32 platform,
		     struct ctl_child *c, char *err, size_t size)
{
	struct veneer_create_partition create = {
		.privileges = cfg->privileges,
		.vp_count = cfg->vp_count,
		.platform = platform,
	};
	struct veneer_memory map = {.gpa = 0, .size = cfg->memory_size};

	memcpy(create.name, cfg->name, sizeof(create.name));
	if (name_taken(dev, cfg->name))
		return ctl_fail(err, size,
				"a partition named '%s' exists already",
				cfg->name);
	c->partition = ioctl(dev, VENEER_CREATE_PARTITION, &create);
	if (c->partition < 0 && errno == ENOMEM)
		return ctl_fail(err, size,
				"creating '%s': no free partition slot or no "
				"memory for it (veneerctl info: limits)",
				cfg->name);
	if (c->partition < 0 && errno == EINVAL)
		return ctl_fail(err, size,
				"creating '%s': %s (or its name is taken by a "
				"partition veneer.ko does not hold, like the "
				"root's)",
				cfg->name, strerror(errno));
	if (c->partition < 0)
		return ctl_fail(err, size, "creating '%s': %s", cfg->name,
				strerror(errno));
	c->id = create.partition_id;
	if (ioctl(c->partition, VENEER_MAP_MEMORY, &map))
		return ctl_fail(err, size, "%llu MiB of memory for '%s': %s",
				(unsigned long long)(cfg->memory_size >> 20),
				cfg->name, strerror(errno));
	return 0;
}

/* The image must fit below the boot region, checked before anything is made. */
static int check_image(const struct ctl_config *cfg,
		       const struct ctl_file *file, struct vnr_elf_image *elf,
		       char *err, size_t size)
{
	vnr_u64 boot = cfg->memory_size - VNR_BOOT_REGION_SIZE;
	struct vnr_elf_error why;
	int n;

	if (vnr_elf_check(file->data, file->size, boot, elf, &why))
		return 0;
	n = snprintf(err, size, "image %s: ", cfg->image);
	snprintf(err + n, size - n, why.format, why.arg[0], why.arg[1],
		 why.arg[2], why.arg[3], why.arg[4]);
	return -1;
}

/* The image, the boot region and the start info, into the child's RAM. */
static int load(const struct ctl_config *cfg, const struct ctl_file *file,
		struct ctl_child *c, struct vnr_elf_image *elf,
		struct vnr_boot_layout *bl, char *err, size_t size)
{
	struct vnr_gpa_writer to_child = ctl_child_writer(c);
	static struct vnr_start_info si;
	struct vnr_start_info_source src = {
		.partition_id = c->id,
		.name = cfg->name,
		.cmdline = cfg->cmdline,
		.memory_size = cfg->memory_size,
		.image = elf,
	};
	int e;

	e = vnr_elf_load(file->data, elf, &to_child);
	if (!e)
		e = vnr_boot_layout_build(cfg->memory_size, &to_child, bl);
	vnr_start_info_build(&src, &si);
	if (!e)
		e = write_child(&c->partition, bl->start_info, &si, sizeof(si));
	return e ? ctl_fail(err, size, "writing '%s': %s", cfg->name,
			    strerror(e))
		 : 0;
}

int ctl_child_create_vp(struct ctl_child *c,
			const struct vnr_register_value *regs, vnr_u32 count,
			char *err, size_t size)
{
	struct veneer_registers set = {
		.count = count,
		.registers = (uintptr_t)regs,
	};
	vnr_u32 index = 0;
	void *page;

	c->vp = ioctl(c->partition, VENEER_CREATE_VP, &index);
	if (c->vp < 0)
		return ctl_fail(err, size, "creating VP 0: %s",
				strerror(errno));
	page = mmap(NULL, VNR_PAGE_SIZE, PROT_READ, MAP_SHARED, c->vp, 0);
	if (page == MAP_FAILED)
		return ctl_fail(err, size, "mapping VP 0's exit record: %s",
				strerror(errno));
	c->exit = page;
	if (ioctl(c->vp, VENEER_SET_REGISTERS, &set))
		return ctl_fail(err, size, "VP 0's registers: %s",
				strerror(errno));
	return 0;
}

static int create_vp(struct ctl_child *c, const struct vnr_elf_image *elf,
		     const struct vnr_boot_layout *bl, char *err, size_t size)
{
	const struct vnr_register_value regs[] = {
		{.name = VNR_REG_RIP, .value = elf->entry},
		{.name = VNR_REG_RSP, .value = bl->stack_top},
		{.name = VNR_REG_RDI, .value = bl->start_info},
		{.name = VNR_REG_CR3, .value = bl->pml4},
		{.name = VNR_REG_GDTR_BASE, .value = bl->gdt},
		{.name = VNR_REG_GDTR_LIMIT, .value = VNR_BOOT_GDT_LIMIT},
	};

	return ctl_child_create_vp(c, regs, sizeof(regs) / sizeof(regs[0]), err,
				   size);
}

int ctl_child_build(int dev, const struct ctl_config *cfg, struct ctl_child *c,
		    char *err, size_t err_size)
{
	struct ctl_file file;
	struct vnr_boot_layout bl;
	struct vnr_elf_image elf;
	int r;

	if (cfg->kernel[0])
		return ctl_linux_build(dev, cfg, c, err, err_size);
	*c = (struct ctl_child){.partition = -1, .vp = -1};
	if (ctl_file_read("image", cfg->image, IMAGE_FILE_MAX, &file, err,
			  err_size))
		return -1;
	r = check_image(cfg, &file, &elf, err, err_size);
	if (!r)
		r = ctl_child_create(dev, cfg, VNR_PLATFORM_VENEER, c, err,
				     err_size);
	if (!r)
		r = load(cfg, &file, c, &elf, &bl, err, err_size);
	if (!r)
		r = create_vp(c, &elf, &bl, err, err_size);
	free(file.data);
	if (r)
		ctl_child_close(c);
	return r;
}

void ctl_child_close(struct ctl_child *c)
{
	if (c->exit)
		munmap((void *)c->exit, VNR_PAGE_SIZE);
	if (c->vp >= 0)
		close(c->vp);
	if (c->partition >= 0)
		close(c->partition);
	*c = (struct ctl_child){.partition = -1, .vp = -1};
}
