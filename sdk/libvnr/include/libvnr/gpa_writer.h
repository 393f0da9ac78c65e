/* SPDX-License-Identifier: MIT */
/*
 * Where the loaders of libvnr put what they build: guest-physical memory of
 * the partition being built.  The hypervisor copies into the partition's RAM
 * directly; a root partition writes its child's with WRITE_PARTITION_MEMORY.
 */
#ifndef LIBVNR_GPA_WRITER_H
#define LIBVNR_GPA_WRITER_H

#include <veneer/types.h>

struct vnr_gpa_writer {
	/*
	 * Copies len bytes from src to GPA gpa of the partition; returns 0,
	 * or a nonzero code of the writer's own that the loader hands back.
	 * The loaders never write outside [0, the RAM size they were given).
	 */
	int (*write)(void *ctx, vnr_u64 gpa, const void *src, vnr_u64 len);
	void *ctx;
};

/*
 * A write function for RAM the caller maps whole: ctx is the address of
 * GPA 0, so {vnr_gpa_copy_to_ram, ram} writes with memcpy.
 */
int vnr_gpa_copy_to_ram(void *ram, vnr_u64 gpa, const void *src, vnr_u64 len);

/*
 * Writes [src, src + len) at GPA gpa through w in calls that each stay
 * within one page, as a writer that makes a hypercall a page needs (an
 * initrd's bytes, for one).  Returns 0, or the first nonzero result of
 * w->write (after which it writes nothing more).
 */
int vnr_gpa_write_pages(const struct vnr_gpa_writer *w, vnr_u64 gpa,
			const void *src, vnr_u64 len);

#endif /* LIBVNR_GPA_WRITER_H */
