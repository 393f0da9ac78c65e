// SPDX-License-Identifier: MIT
/*
 * A guest built outside Veneer's tree against the installed SDK, with
 * find_package(Veneer) (CMakeLists.txt) or pkg-config (Makefile).
 */
#include <vnr_guest/guest.h>

#ifndef BUILT_WITH
#define BUILT_WITH "find_package(Veneer)"
#endif

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_partition_info info;

	if (vnr_get_partition_info(&info) != VNR_STATUS_SUCCESS) {
		vnr_printf("greeter: PARTITION_INFO failed\n");
		return 1;
	}
	vnr_printf("greeter: partition '%s' built with %s, command line '%s'\n",
		   info.name, BUILT_WITH, si->cmdline);
	return 0;
}
