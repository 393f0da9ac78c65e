/* SPDX-License-Identifier: MIT */
/* The ELF loader's writer for guest RAM the caller has mapped whole. */
#include <libvnr/gpa_writer.h>
#include <libvnr/string.h>

int vnr_gpa_copy_to_ram(void *ram, vnr_u64 gpa, const void *src, vnr_u64 len)
{
	memcpy((vnr_u8 *)ram + gpa, src, len);
	return 0;
}
