/* SPDX-License-Identifier: MIT */
/*
 * Ports and connections (hv/ports.h), and the calls that go through a
 * connection: POST_MESSAGE and SIGNAL_EVENT.
 */
#include <hv/hypercall_calls.h>
#include <hv/partition.h>
#include <hv/string.h>

int port_create(struct hv_partition *p, const struct hv_port_config *pc)
{
	struct hv_port *port;

	if (p->ipc.port_count == HV_MAX_PORTS)
		return -1;
	port = &p->ipc.ports[p->ipc.port_count++];
	port->id = pc->id;
	port->kind = pc->kind;
	port->sint = pc->sint;
	port->flag_count = pc->flag_count;
	return 0;
}

int connection_create(struct hv_partition *p, u32 id, u32 target_partition,
		      u32 port_id)
{
	struct hv_connection *c;

	if (p->ipc.connection_count == HV_MAX_CONNECTIONS)
		return -1;
	c = &p->ipc.connections[p->ipc.connection_count++];
	c->id = id;
	c->target_partition = target_partition;
	c->port_id = port_id;
	return 0;
}

static const struct hv_port *find_port(const struct hv_partition *p, u32 id)
{
	for (u32 i = 0; i < p->ipc.port_count; i++)
		if (p->ipc.ports[i].id == id)
			return &p->ipc.ports[i];
	return NULL;
}

static const struct hv_connection *find_connection(struct hv_partition *p,
						   u32 id)
{
	for (u32 i = 0; i < p->ipc.connection_count; i++)
		if (p->ipc.connections[i].id == id)
			return &p->ipc.connections[i];
	return NULL;
}

enum vnr_status connection_target(struct hv_partition *p, u32 conn_id,
				  enum hv_port_kind kind,
				  const struct hv_port **port,
				  struct hv_partition **owner)
{
	const struct hv_connection *c = find_connection(p, conn_id);
	struct hv_partition *t;

	if (!c)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	t = partition_by_id(c->target_partition);
	if (!t)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	for (u32 i = 0; i < t->ipc.port_count; i++) {
		if (t->ipc.ports[i].id != c->port_id ||
		    t->ipc.ports[i].kind != kind)
			continue;
		/* It exists: the status says why it cannot be reached. */
		if (t->state != HV_PARTITION_RUNNING)
			return VNR_STATUS_INVALID_PARTITION_STATE;
		*owner = t;
		*port = &t->ipc.ports[i];
		return VNR_STATUS_SUCCESS;
	}
	return VNR_STATUS_INVALID_CONNECTION_ID;
}

enum vnr_status call_post_message(struct hv_call *call)
{
	const struct vnr_post_message_input *in = call->input;
	struct hv_partition *owner;
	const struct hv_port *port;
	struct vnr_message msg;
	const void *payload;
	enum vnr_status st;

	/* Header and payload must share the input's page. */
	if ((call->input_gpa & (PAGE_SIZE - 1)) + IN_POST_MESSAGE +
		    MIN(in->payload_size, VNR_MESSAGE_PAYLOAD_MAX) >
	    PAGE_SIZE)
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->reserved || in->message_type == VNR_MSG_NONE ||
	    in->message_type >= VNR_MSG_HYPERVISOR_FIRST ||
	    in->payload_size > VNR_MESSAGE_PAYLOAD_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	st = connection_target(call->vp->partition, in->connection_id,
			       HV_PORT_MESSAGE, &port, &owner);
	if (st != VNR_STATUS_SUCCESS)
		return st;
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

enum vnr_status call_signal_event(struct hv_call *call)
{
	struct hv_partition *owner;
	const struct hv_port *port;
	enum vnr_status st;

	if (call->arg0 > 0xFFFFFFFFull)
		return VNR_STATUS_INVALID_CONNECTION_ID;
	st = connection_target(call->vp->partition, (u32)call->arg0,
			       HV_PORT_EVENT, &port, &owner);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (call->arg1 >= port->flag_count)
		return VNR_STATUS_INVALID_PARAMETER;
	return synic_signal(&owner->vps[0], port->sint, (u32)call->arg1);
}

/*
 * The partition named by id for a port or connection call: the caller
 * itself (at any time), or its child while it is being built (CREATED),
 * so that what a running child can reach never changes under it.
 */
static enum vnr_status ipc_owner(struct hv_partition *caller, u32 id,
				 struct hv_partition **p)
{
	if (id == caller->id) {
		*p = caller;
		return VNR_STATUS_SUCCESS;
	}
	*p = partition_child(caller, id);
	if (!*p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	return (*p)->state == HV_PARTITION_CREATED
		       ? VNR_STATUS_SUCCESS
		       : VNR_STATUS_INVALID_PARTITION_STATE;
}

static bool port_input_valid(const struct vnr_port_create_input *in)
{
	if (in->reserved || !in->port_id || in->sint >= VNR_SINT_COUNT)
		return false;
	if (in->kind == VNR_PORT_MESSAGE)
		return in->flag_count == 0;
	return in->kind == VNR_PORT_EVENT && in->flag_count >= 1 &&
	       in->flag_count <= VNR_EVENT_FLAGS_PER_SINT;
}

enum vnr_status call_port_create(struct hv_call *call)
{
	const struct vnr_port_create_input *in = call->input;
	struct hv_port_config pc = {.id = in->port_id,
				    .kind = in->kind == VNR_PORT_EVENT
						    ? HV_PORT_EVENT
						    : HV_PORT_MESSAGE,
				    .sint = in->sint,
				    .flag_count = in->flag_count};
	struct hv_partition *p;
	enum vnr_status st;

	if (!port_input_valid(in))
		return VNR_STATUS_INVALID_PARAMETER;
	st = ipc_owner(call->vp->partition, in->partition_id, &p);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (find_port(p, in->port_id))
		return VNR_STATUS_INVALID_PARAMETER;
	return port_create(p, &pc) ? VNR_STATUS_QUOTA_EXCEEDED
				   : VNR_STATUS_SUCCESS;
}

enum vnr_status call_connection_create(struct hv_call *call)
{
	const struct vnr_connection_create_input *in = call->input;
	struct hv_partition *caller = call->vp->partition, *p, *target;
	enum vnr_status st;

	if (!in->connection_id || !in->target_port_id)
		return VNR_STATUS_INVALID_PARAMETER;
	st = ipc_owner(caller, in->partition_id, &p);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	target = in->target_partition_id == caller->id
			 ? caller
			 : partition_child(caller, in->target_partition_id);
	if (!target)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (!find_port(target, in->target_port_id) ||
	    find_connection(p, in->connection_id))
		return VNR_STATUS_INVALID_PARAMETER;
	return connection_create(p, in->connection_id, target->id,
				 in->target_port_id)
		       ? VNR_STATUS_QUOTA_EXCEEDED
		       : VNR_STATUS_SUCCESS;
}

static void drop_from(struct hv_partition *p, u32 gone)
{
	struct hv_partition_ipc *ipc = &p->ipc;
	u32 kept = 0;

	for (u32 i = 0; i < ipc->connection_count; i++)
		if (ipc->connections[i].target_partition != gone)
			ipc->connections[kept++] = ipc->connections[i];
	memset(&ipc->connections[kept], 0,
	       (ipc->connection_count - kept) * sizeof(ipc->connections[0]));
	ipc->connection_count = kept;
}

void connections_drop_to(u32 gone)
{
	for (u32 slot = 0; slot < HV_MAX_PARTITIONS; slot++) {
		struct hv_partition *p = partition_at(slot);

		if (p->state != HV_PARTITION_FREE)
			drop_from(p, gone);
	}
}
