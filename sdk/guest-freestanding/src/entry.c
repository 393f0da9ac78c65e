// SPDX-License-Identifier: MIT
/* From the start stub to vnr_main() and back out through PARTITION_EXIT. */
#include <vnr_guest/guest.h>
#include "internal.h"

static const struct vnr_start_info *boot_info;

const struct vnr_start_info *vnr_boot_info(void)
{
	return boot_info;
}

static bool start_info_valid(const struct vnr_start_info *si)
{
	return si->magic == VNR_START_INFO_MAGIC &&
	       si->abi_version >> 16 == VNR_ABI_MAJOR;
}

void vnr_guest_main(const struct vnr_start_info *si)
{
	boot_info = si;
	/* Hypercalls first: the exception report needs the console. */
	vnr_hypercall_init();
	vnr_exceptions_init();
	if (!start_info_valid(si)) {
		vnr_printf("vnr_guest: bad start info (magic 0x%x, ABI 0x%x)\n",
			   si->magic, si->abi_version);
		vnr_partition_exit(VNR_EXIT_BAD_START);
	}
	vnr_partition_exit((vnr_u32)vnr_main(si));
}
