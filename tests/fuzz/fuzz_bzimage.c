/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: libvnr's vnr_bzimage_check() on arbitrary bytes and,
 * when it accepts, vnr_bzimage_place() and vnr_bzimage_load() through a
 * writer that holds no RAM but checks each write.  Properties: no memory
 * error, the kernel lies in the file and at an aligned load address with
 * its init_size below the boot region, the initrd between the kernel and
 * the boot region, page-aligned; every write stays inside RAM and one
 * page, none touches the initrd, and the kernel's bytes are the file's.
 */
#include <string.h>

#include <libvnr/linux_boot.h>

#include "fuzz_util.h"

/* Two partitions: the smallest a kernel of 16 MiB fits, and 4 GiB. */
static const vnr_u64 sizes[] = {0x2000000ull, 0x100000000ull};

struct sink {
	const unsigned char *data;
	const struct vnr_bzimage *img;
	const struct vnr_linux_layout *layout;
};

static int check_write(void *ctx, vnr_u64 gpa, const void *src, vnr_u64 len)
{
	const struct sink *s = ctx;
	const struct vnr_bzimage *img = s->img;

	FUZZ_ASSERT(len && gpa < img->memory_size &&
		    len <= img->memory_size - gpa);
	FUZZ_ASSERT((gpa & (VNR_PAGE_SIZE - 1)) + len <= VNR_PAGE_SIZE);
	FUZZ_ASSERT(gpa + len <= s->layout->initrd ||
		    gpa >= s->layout->initrd + s->layout->initrd_size);
	if (gpa >= img->load_gpa && gpa < img->load_gpa + img->kernel_size)
		FUZZ_ASSERT(!memcmp(src,
				    s->data + img->kernel_offset +
					    (gpa - img->load_gpa),
				    len));
	return 0;
}

static void check_accepted(const struct vnr_bzimage *img, size_t size)
{
	vnr_u64 boot = img->memory_size - VNR_BOOT_REGION_SIZE;

	FUZZ_ASSERT(img->kernel_offset == img->setup_size);
	FUZZ_ASSERT(img->kernel_offset <= size &&
		    img->kernel_size <= size - img->kernel_offset);
	FUZZ_ASSERT(img->load_gpa >= 0x100000 &&
		    img->load_gpa % VNR_PAGE_SIZE == 0);
	FUZZ_ASSERT(img->init_size >= img->kernel_size &&
		    img->load_gpa + img->init_size <= boot);
	FUZZ_ASSERT(img->entry == img->load_gpa + 0x200);
	FUZZ_ASSERT(img->version >= 0x020C && (img->xloadflags & 1));
	FUZZ_ASSERT(img->header_size <= VNR_LINUX_HEADER_MAX);
}

static void check_and_load(const unsigned char *data, size_t size,
			   vnr_u64 memory_size)
{
	struct vnr_bzimage img;
	struct vnr_linux_layout layout;
	struct vnr_bzimage_error err;
	struct sink sink = {data, &img, &layout};
	/* The input's last bytes choose the initrd's size. */
	vnr_u64 initrd = 0;

	if (!vnr_bzimage_check(data, size, memory_size, &img, &err)) {
		FUZZ_ASSERT(err.format != NULL);
		return;
	}
	check_accepted(&img, size);
	if (size >= 4)
		memcpy(&initrd, data + size - 4, 4);
	if (!vnr_bzimage_place(&img, "console=ttyS0", initrd, &layout, &err)) {
		FUZZ_ASSERT(err.format != NULL);
		return;
	}
	if (initrd) {
		FUZZ_ASSERT(layout.initrd % VNR_PAGE_SIZE == 0);
		FUZZ_ASSERT(layout.initrd >= img.load_gpa + img.init_size);
		FUZZ_ASSERT(layout.initrd + initrd <= layout.boot.boot_region);
		FUZZ_ASSERT(layout.initrd + initrd <= img.initrd_limit);
	}
	FUZZ_ASSERT(!vnr_bzimage_load(
		data, &img, "console=ttyS0", &layout,
		&(struct vnr_gpa_writer){check_write, &sink}));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_and_load(data, size, sizes[i]);
	return 0;
}
