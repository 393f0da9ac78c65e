/* SPDX-License-Identifier: MIT */
/*
 * The loaders' writer for guest RAM the caller has mapped whole, and
 * page-by-page writing for writers that take a page a call.
 */
#include <libvnr/gpa_writer.h>
#include <libvnr/string.h>

int vnr_gpa_copy_to_ram(void *ram, vnr_u64 gpa, const void *src, vnr_u64 len)
{
	memcpy((vnr_u8 *)ram + gpa, src, len);
	return 0;
}

int vnr_gpa_write_pages(const struct vnr_gpa_writer *w, vnr_u64 gpa,
			const void *src, vnr_u64 len)
{
	const vnr_u8 *p = src;

	while (len) {
		vnr_u64 room = VNR_PAGE_SIZE - (gpa & (VNR_PAGE_SIZE - 1));
		vnr_u64 n = len < room ? len : room;
		int rc = w->write(w->ctx, gpa, p, n);

		if (rc)
			return rc;
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}
