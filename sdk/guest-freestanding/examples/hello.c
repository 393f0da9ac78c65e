// SPDX-License-Identifier: MIT
/* Greets the console with what the partition learns about itself. */
#include <vnr_guest/guest.h>

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_discovery d;
	struct vnr_partition_info info;

	if (!vnr_detect(&d)) {
		vnr_printf("hello: not running on Veneer\n");
		return 1;
	}
	if (vnr_get_partition_info(&info) != VNR_STATUS_SUCCESS) {
		vnr_printf("hello: PARTITION_INFO failed\n");
		return 1;
	}
	vnr_printf("Hello from partition '%s' (id %u, VP %u of %u)\n",
		   info.name, info.partition_id, d.vp_index, info.vp_count);
	vnr_printf("Veneer ABI %u.%u, features 0x%x, privileges 0x%lx\n",
		   d.abi_version >> 16, d.abi_version & 0xFFFF, d.features,
		   info.privileges);
	vnr_printf("%lu KiB of RAM, command line '%s'\n",
		   info.memory_size / 1024, si->cmdline);
	return 0;
}
