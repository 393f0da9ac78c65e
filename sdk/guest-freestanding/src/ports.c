// SPDX-License-Identifier: MIT
/* Ports and connections a parent makes for itself and its children. */
#include <vnr_guest/guest.h>
#include <vnr_guest/mgmt.h>

enum vnr_status vnr_port_create(vnr_u32 partition_id, vnr_u32 port_id,
				vnr_u32 kind, vnr_u32 sint, vnr_u32 flag_count)
{
	struct vnr_port_create_input *in = vnr_hc_input_page();

	*in = (struct vnr_port_create_input){.partition_id = partition_id,
					     .port_id = port_id,
					     .kind = kind,
					     .sint = sint,
					     .flag_count = flag_count};
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_PORT_CREATE, in, NULL));
}

enum vnr_status vnr_connection_create(vnr_u32 partition_id,
				      vnr_u32 connection_id, vnr_u32 target,
				      vnr_u32 port_id)
{
	struct vnr_connection_create_input *in = vnr_hc_input_page();

	*in = (struct vnr_connection_create_input){
		.partition_id = partition_id,
		.connection_id = connection_id,
		.target_partition_id = target,
		.target_port_id = port_id};
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_CONNECTION_CREATE, in, NULL));
}
