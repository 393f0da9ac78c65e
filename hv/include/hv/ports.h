/* SPDX-License-Identifier: MIT */
/*
 * Ports (owned by a partition, delivering to its VP 0) and connections
 * (what another partition may post or signal to).  A partition can only
 * reach ports it holds a connection to.
 */
#ifndef HV_PORTS_H
#define HV_PORTS_H

#include <hv/config.h>

struct hv_partition;

struct hv_port {
	u32 id;
	enum hv_port_kind kind;
	u32 sint;
	u32 flag_count;
};

struct hv_connection {
	u32 id;
	u32 target_partition;
	u32 port_id;
};

/* A partition's ports and the connections it may use. */
struct hv_partition_ipc {
	u32 port_count;
	struct hv_port ports[HV_MAX_PORTS];
	u32 connection_count;
	struct hv_connection connections[HV_MAX_CONNECTIONS];
};

/*
 * Adds a port or a connection of p as the configuration declares it
 * (already checked by the parser): 0, or -1 when p has the maximum.
 */
int port_create(struct hv_partition *p, const struct hv_port_config *pc);
int connection_create(struct hv_partition *p, u32 id, u32 target_partition,
		      u32 port_id);
/*
 * The port of kind that connection conn_id of p reaches, in *port and
 * *owner: SUCCESS; INVALID_CONNECTION_ID if p has no such connection or it
 * leads to no port of that kind (its partition destroyed, or the port of
 * the other kind); INVALID_PARTITION_STATE if the port exists but its
 * partition does not run (stopped: it keeps its id and its ports).
 */
enum vnr_status connection_target(struct hv_partition *p, u32 conn_id,
				  enum hv_port_kind kind,
				  const struct hv_port **port,
				  struct hv_partition **owner);

/*
 * Removes every connection of every partition that leads to the partition
 * gone (being destroyed), so that its places can be used again.
 */
void connections_drop_to(u32 gone);

#endif /* HV_PORTS_H */
