/* SPDX-License-Identifier: MIT */
/*
 * Channels (docs/spec/channels.md): a provider offers a channel to a
 * client over a message connection; the client opens it with a grant that
 * holds two rings (sdk/ring); data then moves through the rings and each
 * side wakes the other with SIGNAL_EVENT on flag = channel id.
 *
 * One partition uses two SINTs for all its channels: control messages
 * arrive on msg_sint, the peers' signals on event_sint (vector 0x40 + SINT
 * for both).  Everything runs in thread context: the interrupts only wake
 * the VP, and vnr_channels_poll() (called by every blocking helper) takes
 * the messages and drives the state machine.
 *
 * A ring the peer corrupts closes that channel with
 * VNR_CHANNEL_CLOSE_CORRUPTED (the peer is told); the caller sees
 * VNR_CHANNEL_CLOSED and carries on with its other channels.
 */
#ifndef VNR_GUEST_CHANNEL_H
#define VNR_GUEST_CHANNEL_H

#include <stdbool.h>
#include <veneer/abi.h>
#include <vnr_ring.h>

#define VNR_CHANNEL_MAX		   16  /* channels one partition tracks */
#define VNR_CHANNEL_MAX_ID	   63  /* channel ids are 1..63 (event flags) */
#define VNR_CHANNEL_MAX_RING_PAGES 256 /* a provider maps at most this */
#define VNR_CHANNEL_VECTOR_BASE	   0x40

enum vnr_channel_role {
	VNR_CHANNEL_PROVIDER = 1,
	VNR_CHANNEL_CLIENT = 2,
};

enum vnr_channel_state {
	VNR_CHSTATE_IDLE = 0,	    /* not registered */
	VNR_CHSTATE_OFFERED = 1,    /* provider: waiting for OPEN */
	VNR_CHSTATE_WAIT_OFFER = 2, /* client: waiting for OFFER */
	VNR_CHSTATE_OPENING = 3,    /* client: OPEN sent */
	VNR_CHSTATE_OPEN = 4,
	VNR_CHSTATE_CLOSED = 5,
	VNR_CHSTATE_CLOSING =
		6, /* client: CLOSE sent, grant kept until acked */
	VNR_CHSTATE_DRAINING = 7, /* peer sent CLOSE: packets left to read */
};

enum vnr_channel_result {
	VNR_CHANNEL_OK = 0,
	VNR_CHANNEL_EMPTY = 1,	 /* recv: nothing to read now */
	VNR_CHANNEL_FULL = 2,	 /* send: no room now; wait and retry */
	VNR_CHANNEL_TOO_BIG = 3, /* send: never fits; recv: packet skipped */
	VNR_CHANNEL_CLOSED = 4,	 /* not open (see close_reason) */
};

struct vnr_channel {
	vnr_u32 id;
	vnr_u32 role;	    /* enum vnr_channel_role */
	vnr_u32 state;	    /* enum vnr_channel_state */
	vnr_u32 msg_conn;   /* connection to the peer's message port */
	vnr_u32 event_conn; /* connection to the peer's event port */
	vnr_u32 peer;	    /* peer partition id, 0 until known */
	struct vnr_guid device_class;
	struct vnr_guid instance;
	vnr_u32 open_status;  /* VNR_CHANNEL_OPEN_* the provider answered */
	vnr_u32 close_reason; /* VNR_CHANNEL_CLOSE_* */
	bool closed_by_peer;
	struct vnr_ring tx, rx;
	vnr_u8 *rings;	    /* client: its RAM; provider: where it is mapped */
	vnr_u32 ring_pages; /* whole grant */
	vnr_u32 send_ring_pages; /* client-to-provider ring */
	vnr_u64 grant_handle;
	vnr_u64 signals; /* SIGNAL_EVENT calls made for this channel */
	/*
	 * Called, if set, when the channel closes, just before the library
	 * releases the rings: on a provider before it sends or answers
	 * CLOSE, on a client once the provider's CLOSE came (or the wait for
	 * it ended).  There a side releases any other grant it shares for
	 * the channel, as channels.md's closing rules order for the rings:
	 * a provider unmaps it, a client revokes it.  Set it after offer or
	 * connect, which clear the structure.
	 */
	void (*on_release)(struct vnr_channel *ch);
};

/*
 * Sets up the SynIC (if needed) and routes msg_sint and event_sint.  Call
 * once before any other channel function.
 */
bool vnr_channels_init(unsigned int msg_sint, unsigned int event_sint);

/*
 * Provider: offers channel id (1..VNR_CHANNEL_MAX_ID, unique in this
 * partition) to the client behind msg_conn/event_conn.
 */
enum vnr_status vnr_channel_offer(struct vnr_channel *ch, vnr_u32 id,
				  vnr_u32 msg_conn, vnr_u32 event_conn,
				  const struct vnr_guid *device_class,
				  const struct vnr_guid *instance);

/*
 * Client: waits for an offer of device_class from the provider behind
 * msg_conn/event_conn and opens it with rings in `rings` (page aligned,
 * ring_pages pages of this partition's RAM, the first send_ring_pages for
 * the client-to-provider ring).  Returns when the channel is open
 * (VNR_CHANNEL_OK) or refused (VNR_CHANNEL_CLOSED, see open_status).
 */
enum vnr_channel_result
vnr_channel_connect(struct vnr_channel *ch, vnr_u32 msg_conn,
		    vnr_u32 event_conn, const struct vnr_guid *device_class,
		    void *rings, vnr_u32 ring_pages, vnr_u32 send_ring_pages);

/*
 * Closes the channel and tells the peer (VNR_CHANNEL_CLOSE_NORMAL).  A
 * client waits for the provider's acknowledgement (at most
 * VNR_CHANNEL_CLOSE_WAIT) before it revokes the grant.
 */
void vnr_channel_close(struct vnr_channel *ch);
#define VNR_CHANNEL_CLOSE_WAIT (1000 * 10000ull) /* 1 s in 100 ns units */

/*
 * Closes the channel for `reason` (VNR_CHANNEL_CLOSE_*) and tells the
 * peer, without waiting: for a peer that broke the channel's protocol
 * above the rings (VNR_CHANNEL_CLOSE_CORRUPTED).  A provider's channel is
 * CLOSED when it returns; a client's waits for the provider's answer in
 * CLOSING (vnr_channels_poll() completes it).
 */
void vnr_channel_fail(struct vnr_channel *ch, vnr_u32 reason);

/* Non-blocking data transfer; both signal the peer when the ring says so. */
enum vnr_channel_result vnr_channel_send(struct vnr_channel *ch, vnr_u16 type,
					 const void *data, vnr_u32 len);
enum vnr_channel_result vnr_channel_recv(struct vnr_channel *ch, vnr_u16 *type,
					 void *buf, vnr_u32 buflen,
					 vnr_u32 *len);
/* Blocking send: waits for room while the channel stays open. */
enum vnr_channel_result vnr_channel_send_wait(struct vnr_channel *ch,
					      vnr_u16 type, const void *data,
					      vnr_u32 len);

/*
 * Takes the pending control messages and event flags.  Returns true if
 * anything arrived (a state change or a signal).
 */
bool vnr_channels_poll(void);

/*
 * Sleeps until a message or a signal arrives for any channel, unless a
 * receive ring already holds data.  Receive rings are masked (the
 * "polling" state of docs/spec/ring.md) except during this wait.
 */
void vnr_channels_wait(void);

#endif /* VNR_GUEST_CHANNEL_H */
