/* SPDX-License-Identifier: MIT */
#include <hv/partition.h>

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

static const struct hv_connection *find_connection(struct hv_partition *p,
						   u32 id)
{
	for (u32 i = 0; i < p->ipc.connection_count; i++)
		if (p->ipc.connections[i].id == id)
			return &p->ipc.connections[i];
	return NULL;
}

const struct hv_port *connection_target(struct hv_partition *p, u32 conn_id,
					enum hv_port_kind kind,
					struct hv_partition **owner)
{
	const struct hv_connection *c = find_connection(p, conn_id);
	struct hv_partition *t;

	if (!c)
		return NULL;
	t = partition_by_id(c->target_partition);
	if (!t || t->state != HV_PARTITION_RUNNING)
		return NULL;
	for (u32 i = 0; i < t->ipc.port_count; i++)
		if (t->ipc.ports[i].id == c->port_id &&
		    t->ipc.ports[i].kind == kind) {
			*owner = t;
			return &t->ipc.ports[i];
		}
	return NULL;
}
