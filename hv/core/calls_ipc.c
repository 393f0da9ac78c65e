/* SPDX-License-Identifier: MIT */
/* POST_MESSAGE and SIGNAL_EVENT: messages and events through connections. */
#include <hv/hypercall_calls.h>
#include <hv/string.h>

HV_CALL_HANDLER(POST_MESSAGE)
{
	const struct vnr_post_message_input *in = call->input;
	struct hv_partition *owner;
	const struct hv_port *port;
	struct vnr_message msg;
	const void *payload;

	/* Header and payload must share the input's page. */
	if ((call->input_gpa & (PAGE_SIZE - 1)) + IN_POST_MESSAGE +
		    MIN(in->payload_size, VNR_MESSAGE_PAYLOAD_MAX) >
	    PAGE_SIZE)
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->reserved || in->message_type == VNR_MSG_NONE ||
	    in->message_type >= VNR_MSG_HYPERVISOR_FIRST ||
	    in->payload_size > VNR_MESSAGE_PAYLOAD_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	port = connection_target(call->vp->partition, in->connection_id,
				 HV_PORT_MESSAGE, &owner);
	if (!port)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	memset(&msg, 0, sizeof(msg));
	msg.header.message_type = in->message_type;
	msg.header.payload_size = (u8)in->payload_size;
	msg.header.sender_partition = call->vp->partition->id;
	msg.header.port_id = port->id;
	payload = partition_gpa_to_host(call->vp->partition,
					call->input_gpa + IN_POST_MESSAGE,
					in->payload_size);
	if (in->payload_size)
		memcpy(msg.payload, payload, in->payload_size);
	return synic_post(&owner->vps[0], port->sint, &msg);
}

HV_CALL_HANDLER(SIGNAL_EVENT)
{
	struct hv_partition *owner;
	const struct hv_port *port;

	if (call->arg0 > 0xFFFFFFFFull)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	port = connection_target(call->vp->partition, (u32)call->arg0,
				 HV_PORT_EVENT, &owner);
	if (!port)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	if (call->arg1 >= port->flag_count)
		return VNR_STATUS_INVALID_PARAMETER;
	return synic_signal(&owner->vps[0], port->sint, (u32)call->arg1);
}
